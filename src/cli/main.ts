#!/usr/bin/env node
// netlink-ts: the command line. Objects and verbs follow iproute2 (`link show`,
// `-j` for JSON); each object's words live in commands/<object>.ts.
import { Rtnl } from '../client.js';
import { NetlinkError } from '../netlink/errors.js';
import { EncodeError } from '../netlink/errors.js';
import { UsageError, matches, parseGlobal } from './args.js';
import { labCommand } from './commands/lab.js';
import { linkCommand } from './commands/link.js';
import { monitorCommand } from './commands/monitor.js';
import { neighCommand } from './commands/neigh.js';
import { ruleCommand } from './commands/rule.js';
import { classCommand } from './commands/class.js';
import { filterCommand } from './commands/filter.js';
import { qdiscCommand } from './commands/qdisc.js';
import { stdoutOutput } from './output.js';

const USAGE = `usage: netlink-ts [-j|--json] [-s] [-p] OBJECT COMMAND [ARGS]
objects:
  link show [dev NAME]     links, like ip link show
  link add|set|del ...     change links, with ip link's words
  monitor [GROUP...]       changes as they happen, like ip monitor (groups: link, address, route, neigh, rule, tc, nsid, ...)
  neigh show|get|add|replace|change|del ...   neighbours, like ip neigh
  rule show|add|del ...    routing rules, like ip rule
  lab validate|graph FILE  check or draw a namespace lab description (lab graph FILE [--format svg|dot|mermaid] [-o OUT])
  qdisc show [dev NAME] | add|change|replace|link|del dev NAME ...   qdiscs, like tc qdisc
  class show [dev NAME] | add|change|replace|del dev NAME ...        classes, like tc class
  filter show dev NAME [parent P] | add|change|replace|del dev NAME ... filters, like tc filter`;

export async function main(argv: string[]): Promise<number> {
  try {
    const { opts, rest } = parseGlobal(argv);
    const [object, ...words] = rest;
    if (!object || object === 'help' || object === '--help' || object === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return object ? 0 : 2;
    }
    const out = stdoutOutput(opts.pretty);
    if (matches(object, 'link', 1)) {
      using nl = Rtnl.openSync();
      await linkCommand(nl, words, opts, out);
      return 0;
    }
    if (matches(object, 'lab', 3)) return await labCommand(words, opts, out);
    if (matches(object, 'monitor', 3)) {
      using nl = Rtnl.openSync();
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      process.once('SIGTERM', () => ac.abort());
      await monitorCommand(nl, words, opts, out, ac.signal);
      return 0;
    }
    if (matches(object, 'neighbour') || matches(object, 'neighbor')) {
      using nl = Rtnl.openSync();
      await neighCommand(nl, words, opts, out);
      return 0;
    }
    if (matches(object, 'rule', 2)) {
      using nl = Rtnl.openSync();
      await ruleCommand(nl, words, opts, out);
      return 0;
    }
    if (matches(object, 'qdisc', 1)) {
      using nl = Rtnl.openSync();
      await qdiscCommand(nl, words, opts, out);
      return 0;
    }
    if (matches(object, 'class', 1)) {
      using nl = Rtnl.openSync();
      await classCommand(nl, words, opts, out);
      return 0;
    }
    if (matches(object, 'filter', 1)) {
      using nl = Rtnl.openSync();
      await filterCommand(nl, words, opts, out);
      return 0;
    }
    throw new UsageError(`unknown object "${object}"\n${USAGE}`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`netlink-ts: ${err.message}\n`);
      return 2;
    }
    if (err instanceof NetlinkError || err instanceof EncodeError) {
      process.stderr.write(`netlink-ts: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry || process.argv[1]?.endsWith('/netlink-ts')) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
