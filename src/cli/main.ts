// netlink-ts: the command line. Objects and verbs follow iproute2 (`link show`,
// `-j` for JSON); each object's words live in commands/<object>.ts. The
// command itself is bin.ts, which calls main().
import type { Rtnl } from '../client.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { OsError } from '../ffi/os-error.js';
import { type GlobalOptions, UsageError, matches, parseGlobal } from './args.js';
import { runBatch } from './batch.js';
import { type Output, stdoutOutput } from './output.js';

type ObjectCommand = (nl: Rtnl, words: string[], opts: GlobalOptions, out: Output) => Promise<void>;

// Each command's module (and the library code only it needs) is imported when
// that command runs, not at start-up: the module loader's cost is per file and
// per byte, and one invocation runs one command (docs/packaging.md).
/** Objects that work on one client, with the shortest abbreviation iproute2 accepts. */
const OBJECTS: [names: string[], min: number, command: () => Promise<ObjectCommand>][] = [
  [['link'], 1, async () => (await import('./commands/link.js')).linkCommand],
  [['address'], 1, async () => (await import('./commands/addr.js')).addrCommand],
  [['route'], 1, async () => (await import('./commands/route.js')).routeCommand],
  [['neighbour', 'neighbor'], 1, async () => (await import('./commands/neigh.js')).neighCommand],
  [['rule'], 2, async () => (await import('./commands/rule.js')).ruleCommand],
  [['qdisc'], 1, async () => (await import('./commands/qdisc.js')).qdiscCommand],
  [['class'], 1, async () => (await import('./commands/class.js')).classCommand],
  [['filter'], 1, async () => (await import('./commands/filter.js')).filterCommand],
];

const USAGE = `usage: netlink-ts [-j|--json] [-s] [-p] OBJECT COMMAND [ARGS]
objects:
  link show [dev NAME]     links, like ip link show
  link add|set|del ...     change links, with ip link's words
  address show|add|del|replace|change|flush   addresses, like ip address
  route show|get|flush|add|del|replace|append|prepend|change   routes, like ip route
  monitor [GROUP...]       changes as they happen, like ip monitor (groups: link, address, route, neigh, rule, tc, nsid, ...)
  neigh show|get|flush|add|replace|change|del ...   neighbours, like ip neigh
  rule show|flush|add|del ...    routing rules, like ip rule
  lab validate|graph|up|down|status|show|exec|ping FILE, lab run FILE...
                           namespace labs: check, draw, build, inspect, probe and remove them
  qdisc show [dev NAME] | add|change|replace|link|del dev NAME ...   qdiscs, like tc qdisc
  class show [dev NAME] | add|change|replace|del dev NAME ...        classes, like tc class
  filter show dev NAME [parent P] | add|change|replace|del dev NAME ... filters, like tc filter
  genl list | --family NAME --do|--dump OP [--json ATTRS]
                           generic netlink families from their kernel specs, like genl ctrl list
  netns list|add|delete|set|list-id|exec NAME -- CMD...
                           named network namespaces, like ip netns
options:
  -n NAME                  work inside network namespace NAME, like ip -n
  -batch FILE [-force]     the commands of FILE (- for standard input), one per line, like ip -batch`;

/** Clients kept open across the lines of a batch, one per namespace (-n NAME). */
type Clients = Map<string, Rtnl>;

export async function main(argv: string[], clients?: Clients): Promise<number> {
  try {
    const { opts, rest, raw } = parseGlobal(argv);
    if (opts.batch !== undefined) {
      if (rest.length) throw new UsageError(`-batch takes its commands from the file, not "${rest.join(' ')}"`);
      const shared: Clients = new Map();
      try {
        return await runBatch(opts.batch, withoutBatchOptions(argv), opts.force ?? false, (line) => main(line, shared));
      } finally {
        for (const nl of shared.values()) nl.close();
      }
    }
    const [object, ...words] = rest;
    if (!object || object === 'help' || object === '--help' || object === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return object ? 0 : 2;
    }
    const out = stdoutOutput(opts.pretty);
    // -n NAME: every client opens inside that namespace, as ip -n does.
    const open = async (): Promise<Rtnl> => {
      const { Rtnl } = await import('../client.js');
      return Rtnl.openSync(opts.netns !== undefined ? { netns: opts.netns } : {});
    };
    // Alone, a command's client is closed after it; in a batch it is kept for the lines after (the batch closes it).
    const withClient = async (fn: (nl: Rtnl) => Promise<void>): Promise<void> => {
      if (!clients) {
        using nl = await open();
        return await fn(nl);
      }
      const key = opts.netns ?? '';
      let nl = clients.get(key);
      if (!nl) clients.set(key, nl = await open());
      return fn(nl);
    };
    if (matches(object, 'netns', 3)) return await (await import('./commands/netns.js')).netnsCommand(rest.slice(1), raw.slice(1), opts, out);
    if (object === 'genl') return await (await import('./commands/genl.js')).genlCommand(raw.slice(1), opts, out);
    if (matches(object, 'lab', 3)) return await (await import('./commands/lab.js')).labCommand(words, opts, out);
    if (matches(object, 'monitor', 3)) {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      process.once('SIGTERM', () => ac.abort());
      const { monitorCommand } = await import('./commands/monitor.js');
      await withClient((nl) => monitorCommand(nl, words, opts, out, ac.signal));
      return 0;
    }
    const load = OBJECTS.find(([names, min]) => names.some((n) => matches(object, n, min)))?.[2];
    if (load) {
      const command = await load();
      await withClient((nl) => command(nl, words, opts, out));
      return 0;
    }
    throw new UsageError(`unknown object "${object}"\n${USAGE}`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`netlink-ts: ${err.message}\n`);
      return 2;
    }
    if (err instanceof NetlinkError || err instanceof EncodeError || err instanceof OsError) {
      process.stderr.write(`netlink-ts: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** The command line's options for every line of a batch: all but -batch FILE and -force. */
function withoutBatchOptions(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-b' || a === '-batch' || a === '--batch') i++;
    else if (a !== '-force' && a !== '--force') out.push(a);
  }
  return out;
}
