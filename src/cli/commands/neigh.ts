// `netlink-ts neigh show|get|add|replace|change|del ...`, in ip neigh's words
// (ip/ipneigh.c): the same arguments build the same request iproute2 builds.
import { neighBrief } from '../brief.js';
import type { NeighbourListFilter, NeighbourSpec, NeighbourVerb } from '../../api/families/neighbour.js';
import type { Rtnl } from '../../client.js';
import { type Prefix, parsePrefix } from '../../netlink/ip.js';
import type { Link } from '../../rtnl/link.js';
import type { Neighbour } from '../../rtnl/neighbour.js';
import { NUD_NONE_MARK, type NeighFlag, type NeighState, nudTable } from '../../rtnl/neighbour-names.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { idOf, parseUnsigned, protocolNames } from '../ip-json/iproute2-names.js';
import { DEFAULT_SHOW_STATES, type NeighView, neighShown, neighToIpJson, neighToText } from '../ip-json/neigh.js';
import type { Output } from '../output.js';

/** The states in the order nud_state_a2n tries them (the order decides what an abbreviation means). */
const NUD: Record<string, number> = {
  permanent: nudTable.permanent, reachable: nudTable.reachable, noarp: nudTable.noarp, none: 0, stale: nudTable.stale,
  incomplete: nudTable.incomplete, delay: nudTable.delay, probe: nudTable.probe, failed: nudTable.failed,
};
/** nud_state_a2n: three states may be abbreviated, the others are exact. */
const ABBREVIABLE = new Set(['permanent', 'reachable', 'failed']);

function nudState(word: string): NeighState | 'none' | number {
  for (const [name, bit] of Object.entries(NUD)) {
    if (word === name || (ABBREVIABLE.has(name) && word.length > 0 && name.startsWith(word))) return bit === 0 ? 'none' : name as NeighState;
  }
  const n = parseUnsigned(word);
  if (n === undefined || n >= NUD_NONE_MARK || (n & (n - 1)) !== 0) throw new UsageError(`nud state is bad: "${word}"`);
  return n;
}

function next(words: string[], i: number, what: string): string {
  const w = words[i + 1];
  if (w === undefined) throw new UsageError(`"${what}" needs an argument`);
  return w;
}

export interface NeighModify {
  verb: NeighbourVerb;
  /** The link by name, as typed; resolved when sent. */
  spec: NeighbourSpec<string>;
}

const VERB_WORDS: [NeighbourVerb, (w: string) => boolean][] = [
  ['add', (w) => matches(w, 'add')],
  ['change', (w) => matches(w, 'change') || w === 'chg'],
  ['replace', (w) => matches(w, 'replace')],
  ['delete', (w) => matches(w, 'delete')],
];

/** ipneigh_modify: the spec, with its attributes in the order iproute2 sends them. */
export function parseNeighModify(verb: NeighbourVerb, words: string[], opts: Pick<GlobalOptions, 'family'>): NeighModify {
  let address: string | undefined;
  let lladdr: string | undefined;
  let dev: string | undefined;
  let state: NeighState | 'none' | number | undefined;
  let protocol: number | string | undefined;
  const flags: NeighFlag[] = [];
  let managed = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (matches(w, 'lladdr')) {
      if (lladdr !== undefined) throw new UsageError('duplicate "lladdr"');
      lladdr = next(words, i++, w);
    } else if (w === 'nud') {
      state = nudState(next(words, i++, w));
    } else if (matches(w, 'proxy')) {
      if (address !== undefined) throw new UsageError('duplicate address');
      address = next(words, i++, w);
      flags.push('proxy');
    } else if (w === 'router' || w === 'use') {
      flags.push(w);
    } else if (w === 'managed') {
      managed = true;
      state = 'none';
    } else if (matches(w, 'extern_learn')) {
      flags.push('extern_learn');
    } else if (w === 'dev') {
      dev = next(words, i++, w);
    } else if (matches(w, 'protocol')) {
      protocol = idOf(protocolNames, next(words, i++, w));
    } else {
      const a = w === 'to' ? next(words, i++, w) : w;
      if (address !== undefined) throw new UsageError(`duplicate address "${a}"`);
      address = a;
    }
  }
  if (address === undefined || (dev === undefined && !flags.includes('proxy'))) {
    throw new UsageError('Device and destination are required arguments.');
  }
  // iproute2 puts NDA_PROTOCOL first (as it parses), then NDA_DST, NDA_FLAGS_EXT, NDA_LLADDR.
  const spec: NeighbourSpec<string> = {
    family: opts.family, dev, state: state ?? 'permanent', flags,
    ...(protocol !== undefined ? { protocol: protocol as number } : {}),
    address,
    ...(managed ? { flagsExt: ['managed' as const] } : {}),
    ...(lladdr !== undefined && lladdr !== 'null' ? { lladdr } : {}),
  };
  return { verb, spec };
}

export interface NeighShow {
  filter: NeighbourListFilter & { dev?: string; master?: string };
  view: NeighView;
}

/** What `ip neigh flush` deletes unless `nud` says otherwise: all but permanent and noarp entries (NUD_NONE included). */
const FLUSH_STATES = ~(NUD.permanent! | NUD.noarp!) >>> 0;

/** do_show_or_flush's arguments. */
export function parseNeighShow(words: string[], opts: Pick<GlobalOptions, 'family'>, flush = false): NeighShow {
  const filter: NeighShow['filter'] = { family: opts.family };
  let states = flush ? FLUSH_STATES : DEFAULT_SHOW_STATES;
  let stateGiven = false;
  let prefix: Prefix | undefined;
  let protocol: number | undefined;
  let unused = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'dev') {
      if (filter.dev !== undefined) throw new UsageError('duplicate "dev"');
      filter.dev = next(words, i++, w);
    } else if (w === 'master' || w === 'vrf') {
      filter.master = next(words, i++, w);
    } else if (w === 'unused') {
      unused = true;
    } else if (w === 'nud') {
      const word = next(words, i++, w);
      if (!stateGiven) { stateGiven = true; states = 0; }
      // As ip: `nud all` leaves NOARP entries out of a flush (`nud noarp` takes them).
      let bit = word === 'all' ? (flush ? ~NUD.noarp! : ~0) >>> 0 : nudState(word);
      if (bit === 'none') bit = NUD_NONE_MARK;
      else if (typeof bit === 'string') bit = NUD[bit]!;
      states |= bit;
    } else if (w === 'proxy') {
      filter.proxy = true;
    } else if (matches(w, 'protocol')) {
      const word = next(words, i++, w);
      const p = idOf(protocolNames, word);
      if (typeof p === 'string' && word !== 'all') throw new UsageError(`invalid "protocol": "${word}"`);
      protocol = typeof p === 'number' ? p : undefined;
    } else {
      const a = w === 'to' ? next(words, i++, w) : w;
      prefix = parsePrefix(a, 'to', filter.family === 'inet6' ? 6 : filter.family === 'inet' ? 4 : undefined);
      filter.family ??= prefix.family === 4 ? 'inet' : 'inet6';
    }
  }
  return { filter, view: { states, prefix, protocol, unused } };
}

export async function neighCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const rest = words.slice(1);
  const modify = VERB_WORDS.find(([, m]) => m(verb));
  if (modify) {
    const { spec } = parseNeighModify(modify[0], rest, opts);
    switch (modify[0]) {
      case 'add': await nl.neigh.add(spec); break;
      case 'change': await nl.neigh.change(spec); break;
      case 'replace': await nl.neigh.replace(spec); break;
      case 'delete': await nl.neigh.delete(spec); break;
    }
    return;
  }
  if (matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst')) {
    const { filter, view } = parseNeighShow(rest, opts);
    const entries = (await nl.neigh.list(filter)).filter((n) => neighShown(n, view));
    print(await linksOf(nl), entries, opts, out, filter.dev !== undefined);
    return;
  }
  if (matches(verb, 'flush')) {
    if (rest.length === 0) throw new UsageError('Flush requires arguments.', 1);
    // ip flushes every state but permanent and noarp unless told (`nud all`, `nud permanent`...).
    const { filter, view } = parseNeighShow(rest, opts, true);
    await nl.neigh.flush({ ...filter, states: 'all', where: (n) => neighShown(n, view) });
    return;
  }
  if (matches(verb, 'get')) {
    const { spec } = parseNeighModify('add', rest, opts);
    if (spec.dev === undefined) throw new UsageError('Device and address are required arguments.');
    const proxy = Array.isArray(spec.flags) && spec.flags.includes('proxy');
    const n = await nl.neigh.get({ dev: spec.dev, address: spec.address, proxy });
    print(await linksOf(nl), [n], opts, out, false);
    return;
  }
  throw new UsageError(`neigh: unknown verb "${verb}" (this version has: show, get, flush, add, replace, change, del)`);
}

async function linksOf(nl: Rtnl): Promise<(i: number) => Link | undefined> {
  const byIndex = new Map((await nl.link.list()).map((l) => [l.index, l]));
  return (i) => byIndex.get(i);
}

function print(linkOf: (i: number) => Link | undefined, entries: Neighbour[], opts: GlobalOptions, out: Output, oneLink: boolean): void {
  const hz = Number(process.env.HZ) || 100;
  const rows = entries.map((n) => neighToIpJson(n, { stats: opts.stats, linkOf, oneLink, hz }));
  if (opts.json) out.json(rows);
  else for (const r of rows) out.line(opts.brief ? neighBrief(r) : neighToText(r));
}
