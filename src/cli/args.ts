// Command-line words, iproute2 style: global options first (-j, -s, -n NAME),
// then an object, a verb and key/value words.
import { UsageError } from '../rtnl/words.js';

export { UsageError, matches } from '../rtnl/words.js';

export interface GlobalOptions {
  json: boolean;
  stats: boolean;
  pretty: boolean;
  /** -d: kind options and the other details `ip -d` shows. */
  details: boolean;
  netns?: string;
  /** -4 / -6 / -f inet|inet6: the address family, as ip's preferred_family. */
  family?: 'inet' | 'inet6';
  /** -b / -batch FILE: the commands of FILE ('-': standard input), one per line, like ip -batch. */
  batch?: string;
  /** -force: a batch goes on after a failed command (and still exits 1). */
  force?: boolean;
  /** -br / -brief: one line per object, as ip -br (link and address show). */
  brief?: boolean;
  /** -o / -oneline: each record on one line, as ip -o. */
  oneline?: boolean;
  /** -c / -color[=always|auto|never]: colours, as ip -c (alone, as always; auto: only when standard output is a terminal). */
  color?: 'always' | 'auto' | 'never';
  /** -a / -all: `-all netns delete`, as ip. */
  all?: boolean;
  /** -V / -Version: print the version and stop. */
  version?: boolean;
}

/** ip -c's WHEN: -c alone is always (ip(8): "If parameter is omitted or always"), auto only a terminal. */
function colorOption(a: string): GlobalOptions['color'] | undefined {
  const m = /^--?c(?:o|ol|olo|olor|olour)?(?:=(.*))?$/.exec(a);
  if (!m) return undefined;
  const when = m[1];
  if (when === undefined) return 'always';
  if (when === 'always' || when === 'never' || when === 'auto') return when;
  throw new UsageError(`Option "${a}" is unknown, try "netlink-ts help".`);
}

/** Splits leading global options from the rest (`raw`: the rest before trailing options were taken out). */
export function parseGlobal(argv: readonly string[]): { opts: GlobalOptions; rest: string[]; raw: string[] } {
  const opts: GlobalOptions = { json: false, stats: false, pretty: false, details: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-j' || a === '--json' || a === '-json') opts.json = true;
    else if (a === '-s' || a === '--stats' || a === '-stats') opts.stats = true;
    else if (a === '-p' || a === '--pretty') opts.pretty = true;
    else if (a === '-d' || a === '--details' || a === '-details') opts.details = true;
    else if (a === '-4' || a === '-6') opts.family = a === '-4' ? 'inet' : 'inet6';
    else if (a === '-a' || a === '-all' || a === '--all') opts.all = true;
    else if (a === '-V' || a === '-Version' || a === '--version') opts.version = true;
    else if (a.length >= 3 && ('-brief'.startsWith(a) || a === '--brief')) opts.brief = true;
    else if (a.length >= 2 && ('-oneline'.startsWith(a) || a === '--oneline')) opts.oneline = true;
    else if (colorOption(a)) opts.color = colorOption(a);
    else if (a === '-f' || a === '-family') {
      const v = argv[++i];
      if (v !== 'inet' && v !== 'inet6') throw new UsageError(`${a} takes inet or inet6`);
      opts.family = v;
    } else if (a === '-b' || a === '-batch' || a === '--batch') {
      const v = argv[++i];
      if (!v) throw new UsageError(`${a} needs a file name (or - for standard input)`);
      opts.batch = v;
    } else if (a === '-force' || a === '--force') {
      opts.force = true;
    } else if (a === '-n' || a === '--netns' || a === '-netns') {
      const v = argv[++i];
      if (!v) throw new UsageError(`${a} needs a namespace name`);
      opts.netns = v;
    } else break;
  }
  const rest = argv.slice(i);
  // Options may also follow the command (`link show --json`), as our README shows.
  const words: string[] = [];
  for (const [n, a] of rest.entries()) {
    if (a === '--') { words.push(...rest.slice(n)); break; } // what follows belongs to a command we run
    if (a === '--json' || a === '-j') opts.json = true;
    else if (a === '-s' || a === '--stats') opts.stats = true;
    else if (a === '-d' || a === '--details') opts.details = true;
    else words.push(a);
  }
  return { opts, rest: words, raw: rest };
}
