// What apply() would change: the document is built into the same messages
// apply() sends, those are decoded back and printed as nft -j lists (so both
// sides are in nft's canonical words), and compared with what the kernel
// lists for the tables the document names. Handles, counter values, quota
// use and element expiry change on their own and are not compared.
import { isDeepStrictEqual } from 'node:util';
import { NLMSG_HDRLEN, NetlinkWriter } from '../netlink/writer.js';
import { type NftValue, isNftObject } from './datatypes.js';
import { type NftDocument, documentRequests } from './document.js';
import { decodeNftMessage } from './messages.js';
import type { NftFamily } from './names.js';
import type { Ruleset, RulesetSet } from './ruleset.js';
import { objectState } from './ruleset.js';
import { rulesetJson } from './ruleset-json.js';

/** One change a plan would make to the ruleset: add, delete or change, of what, where, before and after. */
export interface PlanChange {
  op: 'add' | 'delete' | 'change';
  /** table, chain, set, map, counter, quota, limit, flowtable or rule. */
  kind: string;
  /** `family table [name]`, for a rule its chain. */
  where: string;
  before?: NftValue;
  after?: NftValue;
}

type Obj = Record<string, NftValue>;
const isObj = isNftObject;

/** The tables (family, name) a document names. */
export function documentTables(doc: NftDocument): Set<string> {
  const out = new Set<string>();
  for (const item of doc.nftables ?? []) {
    if (!isObj(item)) continue;
    let [k, v] = Object.entries(item)[0] ?? [];
    if ((k === 'add' || k === 'create') && isObj(v)) [k, v] = Object.entries(v)[0] ?? [];
    if (!isObj(v)) continue;
    if (k === 'table') out.add(`${String(v.family)} ${String(v.name)}`);
    else if (typeof v.table === 'string') out.add(`${String(v.family)} ${v.table}`);
  }
  return out;
}

/** The ruleset a document makes, decoded from the messages apply() would send (no kernel involved). */
export function documentRuleset(doc: NftDocument, ifindex?: (name: string) => number | undefined): Ruleset {
  const reqs = documentRequests(doc, { replaceTables: true, ...(ifindex ? { ifindex } : {}) });
  const r: Ruleset = { genId: 0, tables: [], chains: [], rules: [], sets: [], objects: [], flowtables: [] };
  const anonNames = new Map<number, string>();
  const w = new NetlinkWriter();
  for (const req of reqs) {
    w.truncate(0);
    const at = w.beginMessage(req.type, req.flags ?? 0);
    req.body?.(w);
    w.endMessage(at);
    const buf = Buffer.from(w.view());
    const m = decodeNftMessage(buf, 0, buf.length);
    if (!m || m.verb !== 'new') continue;
    const fam = m.family;
    switch (m.kind) {
      case 'table': if (!r.tables.some((t) => t.family === fam && t.name === m.attrs.name)) r.tables.push({ family: fam, ...m.attrs }); break;
      case 'chain': r.chains.push({ family: fam, ...m.attrs }); break;
      case 'object': { const o = { family: fam, ...m.attrs }; const state = objectState(o); r.objects.push(state ? { ...o, state } : o); break; }
      case 'flowtable': r.flowtables.push({ family: fam, ...m.attrs }); break;
      case 'set': {
        const s: RulesetSet = { family: fam, ...m.attrs, elements: [] };
        if (s.name === '__set%d' && s.id !== undefined) { s.name = `__set${anonNames.size}`; anonNames.set(s.id, s.name); }
        r.sets.push(s);
        break;
      }
      case 'elements': {
        const nm = m.attrs.setId !== undefined && anonNames.has(m.attrs.setId) ? anonNames.get(m.attrs.setId) : m.attrs.set;
        r.sets.find((s) => s.family === fam && s.table === m.attrs.table && s.name === nm)?.elements.push(...(m.attrs.elements ?? []));
        break;
      }
      case 'rule': {
        const exprs = (m.attrs.expressions ?? []).map((e) => (e.expr === 'lookup' && 'setId' in e && e.setId !== undefined && anonNames.has(e.setId) ? { ...e, set: anonNames.get(e.setId)! } : e));
        r.rules.push({ family: fam, ...m.attrs, expressions: exprs });
        break;
      }
      default: break;
    }
  }
  return r;
}

/** Strips what changes by itself: handles, counters, quota use, element expiry. */
function stable(v: NftValue): NftValue {
  if (Array.isArray(v)) return v.map(stable);
  if (!isObj(v)) return v;
  return stableObj(v);
}

function stableObj(v: Obj): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'handle' || k === 'expires' || k === 'packets' || k === 'bytes' && !('used' in v) || k === 'used' || k === 'used_unit') continue;
    out[k] = stable(x);
  }
  return out;
}

function keyOf(kind: string, o: Obj): string {
  if (kind === 'table') return `${String(o.family)} ${String(o.name)}`;
  if (kind === 'rule') return `${String(o.family)} ${String(o.table)} ${String(o.chain)}`;
  return `${String(o.family)} ${String(o.table)} ${String(o.name)}`;
}

function entries(list: readonly NftValue[], tables: Set<string>): { kind: string; key: string; body: Obj }[] {
  const out: { kind: string; key: string; body: Obj }[] = [];
  for (const item of list) {
    if (!isObj(item)) continue;
    const [kind, body] = Object.entries(item)[0] ?? [];
    if (!kind || kind === 'metainfo' || !isObj(body)) continue;
    const t = kind === 'table' ? `${String(body.family)} ${String(body.name)}` : `${String(body.family)} ${String(body.table)}`;
    if (!tables.has(t)) continue;
    out.push({ kind, key: keyOf(kind, body), body: stableObj(body) });
  }
  return out;
}

export function planChanges(doc: NftDocument, current: { nftables: NftValue[] }, tables: Set<string>, names?: ReadonlyMap<number, string>): PlanChange[] {
  const byName = new Map([...(names ?? [])].map(([i, n]) => [n, i]));
  const want = entries(rulesetJson(documentRuleset(doc, (n) => byName.get(n)), { ifname: (i) => names?.get(i) }).nftables, tables);
  const have = entries(current.nftables, tables);
  const changes: PlanChange[] = [];
  const named = (xs: typeof want) => new Map(xs.filter((x) => x.kind !== 'rule').map((x) => [`${x.kind} ${x.key}`, x]));
  const w = named(want);
  const h = named(have);
  for (const [k, x] of h) if (!w.has(k)) changes.push({ op: 'delete', kind: x.kind, where: x.key, before: x.body });
  for (const [k, x] of w) {
    const old = h.get(k);
    if (!old) changes.push({ op: 'add', kind: x.kind, where: x.key, after: x.body });
    else if (!isDeepStrictEqual(old.body, x.body)) changes.push({ op: 'change', kind: x.kind, where: x.key, before: old.body, after: x.body });
  }
  // Rules: per chain, in order; a rule of one list not matched in the other is removed or added.
  const chains = new Set([...want, ...have].filter((x) => x.kind === 'rule').map((x) => x.key));
  for (const chain of chains) {
    const a = have.filter((x) => x.kind === 'rule' && x.key === chain).map((x) => x.body);
    const b = want.filter((x) => x.kind === 'rule' && x.key === chain).map((x) => x.body);
    const rest = [...b];
    for (const r of a) {
      const i = rest.findIndex((x) => isDeepStrictEqual(x, r));
      if (i >= 0) rest.splice(i, 1); else changes.push({ op: 'delete', kind: 'rule', where: chain, before: r });
    }
    for (const r of rest) changes.push({ op: 'add', kind: 'rule', where: chain, after: r });
  }
  return changes;
}

