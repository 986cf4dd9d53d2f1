// ss's command-line words: flags (bundled as ss takes them: -tanp), `state`
// and `exclude` words, then a filter expression. Which tables (tcp, udp...),
// families and states they select follows ss 6.1's main() and its default
// tables (default_dbs, default_afs), so that `-u` alone is established UDP
// sockets, `-x` connected UNIX ones, `-l` listening and unconnected ones.
import { UsageError } from '../args.js';
import { OBJECTS } from '../help.js';
import { ALL_STATES, LISTENING_STATES, DEFAULT_STATES, stateMask } from '../../diag/states.js';
import type { SocketFilter } from '../../diag/filter.js';
import { parseFilterWords } from './expr.js';

/** ss's socket tables this command lists. */
export type Db = 'tcp' | 'udp' | 'raw' | 'u_str' | 'u_dgr' | 'u_seq' | 'p_raw' | 'p_dgr' | 'nl';
type Af = 'inet' | 'inet6' | 'unix' | 'packet' | 'netlink';

const E = 1 << 1; // established
const CLOSE = 1 << 7;
const DB: Readonly<Record<Db, { states: number; af: readonly Af[] }>> = {
  tcp: { states: DEFAULT_STATES, af: ['inet', 'inet6'] },
  udp: { states: E, af: ['inet', 'inet6'] },
  raw: { states: E, af: ['inet', 'inet6'] },
  u_str: { states: DEFAULT_STATES, af: ['unix'] },
  u_dgr: { states: CLOSE, af: ['unix'] },
  u_seq: { states: DEFAULT_STATES, af: ['unix'] },
  p_raw: { states: CLOSE, af: ['packet'] },
  p_dgr: { states: CLOSE, af: ['packet'] },
  nl: { states: CLOSE, af: ['netlink'] },
};
const AF: Readonly<Record<Af, { dbs: readonly Db[]; states: number }>> = {
  inet: { dbs: ['tcp', 'udp', 'raw'], states: DEFAULT_STATES },
  inet6: { dbs: ['tcp', 'udp', 'raw'], states: DEFAULT_STATES },
  unix: { dbs: ['u_str', 'u_dgr', 'u_seq'], states: DEFAULT_STATES },
  packet: { dbs: ['p_raw', 'p_dgr'], states: CLOSE },
  netlink: { dbs: ['nl'], states: CLOSE },
};
const ALL_DBS = Object.keys(DB) as Db[];
const NAMED_DBS: Readonly<Record<string, readonly Db[]>> = {
  all: ALL_DBS, inet: ['udp', 'tcp', 'raw'], tcp: ['tcp'], udp: ['udp'], raw: ['raw'],
  unix: ['u_str', 'u_dgr', 'u_seq'], unix_stream: ['u_str'], u_str: ['u_str'], unix_dgram: ['u_dgr'], u_dgr: ['u_dgr'],
  unix_seqpacket: ['u_seq'], u_seq: ['u_seq'], packet: ['p_raw', 'p_dgr'], packet_raw: ['p_raw'], p_raw: ['p_raw'],
  packet_dgram: ['p_dgr'], p_dgr: ['p_dgr'], netlink: ['nl'],
};

export interface SsOptions {
  dbs: Set<Db>;
  families: Set<Af>;
  states: number;
  filter?: SocketFilter;
  processes: boolean;
  info: boolean;
  memory: boolean;
  extended: boolean;
  options: boolean;
  header: boolean;
  kill: boolean;
  json: boolean;
  netns?: string;
}

const SS_USAGE = OBJECTS.find((x) => x.names[0] === 'ss')!.usage;

const LONG: Readonly<Record<string, string>> = {
  '--tcp': 't', '--udp': 'u', '--raw': 'w', '--unix': 'x', '--packet': '0', '--ipv4': '4', '--ipv6': '6',
  '--all': 'a', '--listening': 'l', '--numeric': 'n', '--no-header': 'H', '--processes': 'p', '--extended': 'e',
  '--memory': 'm', '--info': 'i', '--options': 'o', '--kill': 'K', '--json': 'j', '--family': 'f', '--query': 'A',
  '--socket': 'A', '--net': 'N', '--resolve': 'r',
};

export function parseSsWords(words: readonly string[], globalJson: boolean, globalNetns: string | undefined): SsOptions {
  const o: SsOptions = { dbs: new Set(), families: new Set(), states: 0, processes: false, info: false, memory: false,
    extended: false, options: false, header: true, kill: false, json: globalJson, netns: globalNetns };
  let stateFilter = 0;
  let defaults = true;
  const setDb = (db: Db): void => { o.states |= DB[db].states; o.dbs.add(db); defaults = false; };
  const setAf = (af: Af): void => { o.states |= AF[af].states; o.families.add(af); defaults = false; };
  let i = 0;
  const value = (flag: string): string => {
    const v = words[++i];
    if (v === undefined) throw new UsageError(`ss: option ${flag} needs a value\n${SS_USAGE}`);
    return v;
  };
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') { i++; break; }
    if (!w.startsWith('-') || w === '-') break;
    const flags = w.startsWith('--') ? [LONG[w] ?? w] : [...w.slice(1)];
    for (const f of flags) {
      switch (f) {
        case 't': setDb('tcp'); break;
        case 'u': setDb('udp'); break;
        case 'w': setDb('raw'); break;
        case 'x': setAf('unix'); break;
        case '0': setAf('packet'); break;
        case '4': setAf('inet'); break;
        case '6': setAf('inet6'); break;
        case 'a': stateFilter = ALL_STATES; break;
        case 'l': stateFilter = LISTENING_STATES; break;
        case 'n': case 'r': break;
        case 'H': o.header = false; break;
        case 'p': o.processes = true; break;
        case 'e': o.extended = true; break;
        case 'm': o.memory = true; break;
        case 'i': o.info = true; break;
        case 'o': o.options = true; break;
        case 'K': o.kill = true; break;
        case 'j': o.json = true; break;
        case 'N': o.netns = value(w); break;
        case 'f': {
          const fam = value(w);
          const af = ({ inet: 'inet', inet6: 'inet6', unix: 'unix', link: 'packet', packet: 'packet', netlink: 'netlink' } as Record<string, Af>)[fam];
          if (!af) throw new UsageError(`ss: "${fam}" is invalid family`);
          setAf(af);
          break;
        }
        case 'A':
          for (const q of value(w).split(',')) {
            const off = q.startsWith('!');
            const dbs = NAMED_DBS[off ? q.slice(1) : q];
            if (!dbs) throw new UsageError(`ss: "${q}" is illegal socket table id`);
            for (const db of dbs) { if (off) { o.dbs.delete(db); defaults = false; } else setDb(db); }
          }
          break;
        default: throw new UsageError(`ss: unknown option ${f.length === 1 ? `-${f}` : f}\n${SS_USAGE}`);
      }
    }
  }
  let sawStates = false;
  while (i < words.length && (words[i] === 'state' || words[i] === 'exclude' || words[i] === 'excl')) {
    const kind = words[i]!;
    const name = words[i + 1];
    if (name === undefined) throw new UsageError(`ss: ${kind} needs a state name`);
    let mask: number;
    try { mask = stateMask(name); } catch { throw new UsageError(`ss: wrong state name: ${name}`); }
    if (!sawStates) stateFilter = kind === 'state' ? 0 : ALL_STATES;
    stateFilter = kind === 'state' ? stateFilter | mask : stateFilter & ~mask;
    sawStates = true;
    i += 2;
  }
  if (defaults) {
    stateFilter ||= DEFAULT_STATES;
    for (const db of ALL_DBS) setDb(db);
  }
  if (stateFilter) o.states = stateFilter;
  // ss's filter_merge_defaults: a table brings its families, a family its tables.
  for (const db of o.dbs) if (!DB[db].af.some((a) => o.families.has(a))) for (const a of DB[db].af) o.families.add(a);
  for (const af of o.families) if (!AF[af].dbs.some((d) => o.dbs.has(d))) for (const d of AF[af].dbs) o.dbs.add(d);
  o.filter = parseFilterWords(words.slice(i));
  return o;
}
