// The whole nf_tables state of a namespace, read in one consistent view:
// the generation id before and after the dumps must agree (as nft does),
// else the dumps are read again. Set elements are dumped per set.
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { NFNL_SUBSYS_NFTABLES } from '../generated/linux/netfilter/nfnetlink.js';
import type { Request } from '../netlink/request.js';
import { encodeAttrsChecked } from '../netlink/narrow.js';
import { nfRequest } from '../nfnetlink/header.js';
import type { Nfnetlink } from '../nfnetlink/client.js';
import { EXPR_SETS } from './expr.js';
import {
  type NftChain, type NftFlowtable, type NftKind, type NftMessage, type NftObj, type NftRule, type NftSet, type NftTable,
  ATTRS_OF_KIND, decodeNftMessage,
} from './messages.js';
import { type NftFamily, nftFamilies } from './names.js';
import type { Elem } from './objects.js';

/** The table family every listed object carries (a number for a family this version does not name). */
export type RulesetFamily = { family: NftFamily | number };
/** A table in a listed ruleset, with its family. */
export type RulesetTable = NftTable & RulesetFamily;
/** A chain in a listed ruleset, with its family. */
export type RulesetChain = NftChain & RulesetFamily;
/** A rule in a listed ruleset, with its family. */
export type RulesetRule = NftRule & RulesetFamily;
/** A set in a listed ruleset, with its family and elements. */
export type RulesetSet = NftSet & RulesetFamily & { elements: Elem[] };
/** A stateful object in a listed ruleset, with its family and state. */
export type RulesetObject = NftObj & RulesetFamily & { state?: Record<string, unknown> };
/** A flowtable in a listed ruleset, with its family. */
export type RulesetFlowtable = NftFlowtable & RulesetFamily;

/** Everything the kernel holds, in its dump order (the order nft lists). */
export interface Ruleset {
  genId: number;
  tables: RulesetTable[];
  chains: RulesetChain[];
  rules: RulesetRule[];
  sets: RulesetSet[];
  objects: RulesetObject[];
  flowtables: RulesetFlowtable[];
}

const GET = { table: T.NFT_MSG_GETTABLE, chain: T.NFT_MSG_GETCHAIN, rule: T.NFT_MSG_GETRULE, set: T.NFT_MSG_GETSET,
  elements: T.NFT_MSG_GETSETELEM, object: T.NFT_MSG_GETOBJ, flowtable: T.NFT_MSG_GETFLOWTABLE, gen: T.NFT_MSG_GETGEN } as const;

/** A request of nf_tables message `msg` for a family with attributes of its kind. */
export function nftRequest<K extends NftKind>(kind: K, msg: number, family: NftFamily | number, attrs: Record<string, unknown> | undefined, operation: string, flags = 0): Request {
  // Attributes built from a document at run time: the kind's set checks each one as it writes it.
  const set = ATTRS_OF_KIND[kind];
  const fam = typeof family === 'number' ? family : nftFamilies.encode(family, `${operation}.family`);
  return nfRequest({
    subsys: NFNL_SUBSYS_NFTABLES, msg, family: fam, flags, operation,
    ...(attrs ? { attrs: (w) => encodeAttrsChecked(set, w, attrs, `nft.${kind}`) } : {}),
  });
}

/** Whether a decoded message is of kind K (its attributes then are K's). */
function isKind<K extends NftKind>(m: NftMessage, kind: K): m is Extract<NftMessage, { kind: K }> {
  return m.kind === kind;
}

function decoderOf<K extends NftKind>(kind: K) {
  return (buf: Buffer, start: number, length: number): Extract<NftMessage, { kind: K }> | undefined => {
    const m = decodeNftMessage(buf, start, length);
    return m && isKind(m, kind) ? m : undefined;
  };
}

const withFamily = <T extends object>(m: { family: NftFamily | number; attrs: T }): T & RulesetFamily => ({ family: m.family, ...m.attrs });

/** The generation id of the ruleset (NFT_MSG_GETGEN). */
export async function genId(nf: Nfnetlink): Promise<number> {
  const [g] = await nf.request(nftRequest('gen', GET.gen, 0, undefined, 'nft get generation'), decoderOf('gen'));
  return g?.attrs.id ?? 0;
}

/** Decodes a stateful object's NFTA_OBJ_DATA by its type (counter, quota, limit); others stay raw. */
export function objectState(o: NftObj): Record<string, unknown> | undefined {
  const set = o.type === 'counter' ? EXPR_SETS.counter : o.type === 'quota' ? EXPR_SETS.quota : o.type === 'limit' ? EXPR_SETS.limit : undefined;
  if (!o.data || set === undefined) return undefined;
  return set.decode(o.data, 0, o.data.length);
}

/** Reads every table, chain, rule, set (with its elements), object and flowtable, optionally of one family. */
export async function listRuleset(nf: Nfnetlink, opts: { family?: NftFamily; table?: string } = {}): Promise<Ruleset> {
  const family = opts.family ?? 0;
  const scope = opts.table !== undefined ? { table: opts.table } : undefined;
  for (let attempt = 0; ; attempt++) {
    const before = await genId(nf);
    const dump = <K extends NftKind>(kind: K, msg: number, attrs?: Record<string, unknown>) =>
      nf.dump(nftRequest(kind, msg, family, attrs, `nft list ${kind}s`), decoderOf(kind));
    const tables = (await dump('table', GET.table, opts.table !== undefined ? { name: opts.table } : undefined)).map(withFamily)
      .filter((t) => opts.table === undefined || t.name === opts.table);
    const chains = (await dump('chain', GET.chain, scope)).map(withFamily).filter((c) => opts.table === undefined || c.table === opts.table);
    const rules = (await dump('rule', GET.rule, scope)).map(withFamily).filter((r) => opts.table === undefined || r.table === opts.table);
    const sets: RulesetSet[] = [];
    for (const s of (await dump('set', GET.set, scope)).map(withFamily)) {
      if (opts.table !== undefined && s.table !== opts.table) continue;
      const lists = await nf.dump(nftRequest('elements', GET.elements, s.family, { table: s.table, set: s.name }, `nft list set ${s.name}`), decoderOf('elements'));
      sets.push({ ...s, elements: lists.flatMap((l) => l.attrs.elements ?? []) });
    }
    const objects = (await dump('object', GET.object, scope)).map(withFamily)
      .filter((o) => opts.table === undefined || o.table === opts.table)
      .map((o) => { const state = objectState(o); return state ? { ...o, state } : o; });
    const flowtables = (await dump('flowtable', GET.flowtable, scope)).map(withFamily).filter((f) => opts.table === undefined || f.table === opts.table);
    const after = await genId(nf);
    if (before === after || attempt >= 4) return { genId: after, tables, chains, rules, sets, objects, flowtables };
  }
}
