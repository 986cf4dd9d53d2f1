// netlink-ts: the command line. Objects and verbs follow iproute2 (`link show`,
// `-j` for JSON); each object's words live in commands/<object>.ts. The
// command itself is bin.ts, which calls main().
import type { Rtnl } from '../client.js';
import { type GlobalOptions, UsageError, matches, parseGlobal } from './args.js';
import { EXIT_FAILED, EXIT_USAGE, describeFailure } from './failure.js';
import { GLOBAL_USAGE, HELP_WORDS, OBJECTS, isVerb, objectOf } from './help.js';
import { didYouMean } from './suggest.js';
import { version } from './version.js';
import { runBatch } from './batch.js';
import { type Output, stdoutOutput } from './output.js';

type ObjectCommand = (nl: Rtnl, words: string[], opts: GlobalOptions, out: Output) => Promise<void>;

// Each command's module (and the library code only it needs) is imported when
// that command runs, not at start-up: the module loader's cost is per file and
// per byte, and one invocation runs one command (docs/packaging.md).
/** Objects that work on one client, by their first name in help.ts's table. */
const COMMANDS: Record<string, () => Promise<ObjectCommand>> = {
  link: async () => (await import('./commands/link.js')).linkCommand,
  address: async () => (await import('./commands/addr.js')).addrCommand,
  route: async () => (await import('./commands/route.js')).routeCommand,
  neighbour: async () => (await import('./commands/neigh.js')).neighCommand,
  rule: async () => (await import('./commands/rule.js')).ruleCommand,
  nexthop: async () => (await import('./commands/nexthop.js')).nexthopCommand,
  netconf: async () => (await import('./commands/netconf.js')).netconfCommand,
  addrlabel: async () => (await import('./commands/addrlabel.js')).addrlabelCommand,
  ntable: async () => (await import('./commands/ntable.js')).ntableCommand,
  stats: async () => (await import('./commands/stats.js')).statsCommand,
  qdisc: async () => (await import('./commands/qdisc.js')).qdiscCommand,
  class: async () => (await import('./commands/class.js')).classCommand,
  filter: async () => (await import('./commands/filter.js')).filterCommand,
  chain: async () => (await import('./commands/chain.js')).chainCommand,
  tuntap: async () => (await import('./commands/tuntap.js')).tuntapCommand,
  bridge: async () => (await import('./commands/bridge.js')).bridgeCommand,
  tcp_metrics: async () => (await import('./commands/tcp-metrics.js')).tcpMetricsCommand,
};

/** Clients kept open across the lines of a batch, one per namespace (-n NAME). */
type Clients = Map<string, Rtnl>;

export async function main(argv: string[], clients?: Clients): Promise<number> {
  // The words after the options, as typed: what an error message names.
  let typed: string[] = [];
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
    if (opts.version) {
      process.stdout.write(`netlink-ts ${version()}\n`);
      return 0;
    }
    typed = rest;
    const [object, ...words] = rest;
    if (!object || HELP_WORDS.has(object)) {
      // `netlink-ts help link` is `netlink-ts link help`.
      const about = object && words[0] !== undefined ? objectOf(words[0]) : undefined;
      (object ? process.stdout : process.stderr).write(`${about?.usage ?? GLOBAL_USAGE}\n`);
      return object ? 0 : EXIT_USAGE;
    }
    if (object.startsWith('-')) throw new UsageError(`Option "${object}" is unknown, try "netlink-ts help".`);
    const o = objectOf(object);
    if (!o) {
      const close = didYouMean(object, OBJECTS.flatMap((x) => x.names));
      process.stderr.write(`Object "${object}" is unknown, try "netlink-ts help".${close}\n`);
      return EXIT_FAILED;
    }
    const name = o.names[0]!;
    if (asksForHelp(name, words)) {
      // The lab's verbs each take their own options: its module lists them.
      const more = name === 'lab' ? `\n${(await import('./commands/lab.js')).LAB_USAGE}` : '';
      process.stdout.write(`${o.usage}${more}\n`);
      return 0;
    }
    const verb = words[0];
    if (verb !== undefined && !isVerb(o, verb)) {
      throw new UsageError(`Command "${verb}" is unknown, try "netlink-ts ${name} help".${didYouMean(verb, o.verbs ?? [])}`);
    }
    const plain = stdoutOutput(opts.pretty);
    const out = opts.oneline ? (await import('./brief.js')).onelineOutput(plain) : plain;
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
    if (name === 'netns') return await (await import('./commands/netns.js')).netnsCommand(rest.slice(1), raw.slice(1), opts, out);
    if (name === 'ss') return await (await import('./commands/ss.js')).ssCommand(raw.slice(1), opts);
    if (name === 'ethtool') return await (await import('./commands/ethtool.js')).ethtoolCommand(raw.slice(1), opts, out);
    if (name === 'genl') return await (await import('./commands/genl.js')).genlCommand(raw.slice(1), opts, out);
    if (name === 'nft') return await (await import('./commands/nft.js')).nftCommand(raw.slice(1), opts, out);
    if (name === 'conntrack') {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      process.once('SIGTERM', () => ac.abort());
      return await (await import('./commands/conntrack.js')).conntrackCommand(raw.slice(1), opts, out, ac.signal);
    }
    if (name === 'lab') return await (await import('./commands/lab.js')).labCommand(words, opts, out);
    if (name === 'mptcp') {
      // `mptcp monitor` runs until Ctrl-C, as monitor does.
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      process.once('SIGTERM', () => ac.abort());
      const { mptcpCommand } = await import('./commands/mptcp.js');
      await withClient((nl) => mptcpCommand(nl, words, opts, out, ac.signal));
      return 0;
    }
    if (name === 'monitor') {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      process.once('SIGTERM', () => ac.abort());
      const { monitorCommand } = await import('./commands/monitor.js');
      await withClient((nl) => monitorCommand(nl, words, opts, out, ac.signal));
      return 0;
    }
    const command = await COMMANDS[name]!();
    await withClient((nl) => command(nl, words, opts, out));
    return 0;
  } catch (err) {
    const failure = describeFailure(err, typed);
    if (!failure) throw err;
    process.stderr.write(`netlink-ts: ${failure.message}\n`);
    return failure.status;
  }
}

/**
 * `help`, `--help` or `-h` among a command's words, as ip takes `help`
 * anywhere: up to a `--`, and never among the words of a program that
 * `netns exec` or `lab exec|run` will start (those are the program's).
 */
function asksForHelp(object: string, words: readonly string[]): boolean {
  const verb = words[0] ?? '';
  const runsProgram = (object === 'netns' && matches(verb, 'exec')) || (object === 'lab' && (matches(verb, 'exec') || verb === 'run'));
  const own = runsProgram ? words.slice(0, 1) : words;
  const end = own.indexOf('--');
  return (end < 0 ? own : own.slice(0, end)).some((w) => HELP_WORDS.has(w));
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
