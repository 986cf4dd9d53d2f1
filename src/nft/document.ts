// An nft JSON document (`nft -j` input: { nftables: [...] }) as nf_tables
// messages for one transaction. The objects nft lists (table, chain, rule,
// set, map, counter, quota, limit, flowtable) are additions, as they are to
// `nft -j -f`; `add`/`create` commands wrap the same objects, `delete`
// names a table, `flush: { ruleset: null }` empties everything. Anything
// else is an EncodeError naming it, before anything is sent.
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { NLM_F_APPEND, NLM_F_CREATE } from '../generated/linux/netlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import type { Request } from '../netlink/request.js';
import { encodeAttrsChecked, encodeChecked } from '../netlink/narrow.js';
import { type Datatype, type NftValue, VERDICT_TYPE_ID, datatype, idOfDatatypes, isNftObject } from './datatypes.js';
import { EXPR_SETS } from './expr.js';
import { type NftFamily, NFT_FAMILIES, netdevHooks, nftHooks } from './names.js';
import type { ElemInput } from './objects.js';
import { type AnonSet, buildRule, limitExpr, setElements } from './rule-build.js';
import { nftRequest } from './ruleset.js';
import type { NftObject } from './statements.js';
import { NetlinkWriter } from '../netlink/writer.js';
import { BYTE_UNITS } from './units.js';

type Obj = Record<string, NftValue>;
const isObj = isNftObject;

/** nft's JSON input: { nftables: [ { table: {...} }, { chain: {...} }, ... ] }, typed (statements.ts) or as parsed JSON. */
export interface NftDocument { nftables: readonly (NftObject | NftValue)[] }

/** Chain priorities by name (nft's standard priorities for the filter, nat... types). */
const PRIORITIES: Readonly<Record<string, number>> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

export interface DocumentOptions {
  /** Empty each table the document names before filling it (in the same transaction). */
  replaceTables?: boolean;
  /** Interface indexes by name, for `meta iif` matches. */
  ifindex?: (name: string) => number | undefined;
}

interface Ctx { reqs: Request[]; nextSetId: number; setIds: Map<string, number>; opts: DocumentOptions }

const KINDS = ['table', 'chain', 'rule', 'set', 'map', 'counter', 'quota', 'limit', 'flowtable'] as const;
type Kind = (typeof KINDS)[number];

/** The messages of a document, in the order the kernel needs them: tables, objects, sets, flowtables, chains, rules. */
export function documentRequests(doc: NftDocument, opts: DocumentOptions = {}): Request[] {
  if (!isObj(doc) || !Array.isArray(doc.nftables)) throw new EncodeError('nftables', `expected { nftables: [...] }, got ${describe(doc)}`);
  const byKind = new Map<Kind, { v: Obj; path: string; map: boolean }[]>(KINDS.map((k) => [k, []]));
  const pre: Request[] = [];
  doc.nftables.forEach((item: unknown, i) => {
    const path = `nftables[${i}]`;
    if (!isObj(item) || Object.keys(item).length !== 1) throw new EncodeError(path, `expected one object such as { table: {...} }, got ${describe(item)}`);
    let [k, v] = Object.entries(item)[0]!;
    let p = `${path}.${k}`;
    if (k === 'metainfo') return;
    if (k === 'flush' && isObj(v) && 'ruleset' in v) { pre.push(nftRequest('table', T.NFT_MSG_DELTABLE, 0, undefined, 'nft flush ruleset')); return; }
    if (k === 'delete' && isObj(v) && isObj(v.table)) {
      const t = v.table;
      pre.push(nftRequest('table', T.NFT_MSG_DELTABLE, family(t.family, `${p}.table.family`), { name: name(t.name, `${p}.table.name`) }, `nft delete table ${String(t.name)}`));
      return;
    }
    if ((k === 'add' || k === 'create') && isObj(v) && Object.keys(v).length === 1) { [k, v] = Object.entries(v)[0]!; p = `${p}.${k}`; }
    const kind = KINDS.find((x) => x === k);
    if (kind === undefined || !isObj(v)) {
      throw new EncodeError(path, `"${k}" is not modelled by netlink-ts (modelled: ${KINDS.join(', ')}, add, create, delete table, flush ruleset)`);
    }
    // Sets and maps share one list: they are made in the document's order.
    byKind.get(kind === 'map' ? 'set' : kind)!.push({ v, path: p, map: kind === 'map' });
  });
  const ctx: Ctx = { reqs: [...pre], nextSetId: 1, setIds: new Map(), opts };
  for (const { v, path } of byKind.get('table')!) table(ctx, v, path);
  for (const k of ['counter', 'quota', 'limit'] as const) for (const { v, path } of byKind.get(k)!) object(ctx, k, v, path);
  for (const { v, path, map } of byKind.get('set')!) set(ctx, v, path, map);
  for (const { v, path } of byKind.get('flowtable')!) flowtable(ctx, v, path);
  for (const { v, path } of byKind.get('chain')!) chain(ctx, v, path);
  for (const { v, path } of byKind.get('rule')!) rule(ctx, v, path);
  // Encode every message now: bad input fails here, naming the object, before anything is sent.
  const w = new NetlinkWriter();
  for (const r of ctx.reqs) { w.truncate(0); r.body?.(w); }
  return ctx.reqs;
}

function family(v: NftValue | undefined, path: string): NftFamily {
  const f = NFT_FAMILIES.find((x) => x === v);
  if (f !== undefined) return f;
  throw new EncodeError(path, `expected a family (${NFT_FAMILIES.join(', ')}), got ${describe(v)}`);
}
function name(v: NftValue | undefined, path: string): string {
  if (typeof v !== 'string' || v.length === 0 || Buffer.byteLength(v) >= T.NFT_NAME_MAXLEN) throw new EncodeError(path, `expected a name of 1 to ${T.NFT_NAME_MAXLEN - 1} bytes, got ${describe(v)}`);
  return v;
}
function int(v: NftValue | undefined, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new EncodeError(path, `expected an integer, got ${describe(v)}`);
  return v;
}

function table(ctx: Ctx, t: Obj, path: string): void {
  const fam = family(t.family, `${path}.family`);
  const n = name(t.name, `${path}.name`);
  const mk = (): Request => nftRequest('table', T.NFT_MSG_NEWTABLE, fam, { name: n, flags: [] }, `nft add table ${fam} ${n}`, NLM_F_CREATE);
  ctx.reqs.push(mk());
  if (ctx.opts.replaceTables) {
    ctx.reqs.push(nftRequest('table', T.NFT_MSG_DELTABLE, fam, { name: n }, `nft delete table ${fam} ${n}`));
    ctx.reqs.push(mk());
  }
}

function chain(ctx: Ctx, c: Obj, path: string): void {
  const fam = family(c.family, `${path}.family`);
  const attrs: Record<string, unknown> = { table: name(c.table, `${path}.table`), name: name(c.name, `${path}.name`) };
  if (c.hook !== undefined) {
    const hooks = fam === 'netdev' ? netdevHooks : nftHooks;
    const hook: Record<string, unknown> = { hooknum: encodeChecked(hooks, c.hook, `${path}.hook`) };
    const prio = typeof c.prio === 'string' ? PRIORITIES[c.prio] : c.prio;
    hook.priority = int(prio ?? 0, `${path}.prio`);
    if (c.dev !== undefined) hook.dev = name(c.dev, `${path}.dev`);
    attrs.hook = hook;
    attrs.policy = c.policy === undefined ? 'accept' : c.policy === 'accept' || c.policy === 'drop' ? c.policy : badPolicy(c.policy, `${path}.policy`);
    attrs.type = c.type === undefined ? 'filter' : name(c.type, `${path}.type`);
  }
  ctx.reqs.push(nftRequest('chain', T.NFT_MSG_NEWCHAIN, fam, attrs, `nft add chain ${fam} ${String(c.table)} ${String(c.name)}`, NLM_F_CREATE));
}
function badPolicy(v: NftValue, path: string): never {
  throw new EncodeError(path, `expected accept or drop, got ${describe(v)}`);
}

function keyTypes(v: NftValue | undefined, path: string): Datatype[] {
  const names = Array.isArray(v) ? v : [v];
  return names.map((x, i) => {
    const t = typeof x === 'string' ? datatype(x) : undefined;
    if (!t || (t.size === 0 && t.name !== 'ifname')) throw new EncodeError(Array.isArray(v) ? `${path}[${i}]` : path, `set key type ${describe(x)} is not modelled (modelled: ipv4_addr, ipv6_addr, ether_addr, inet_proto, inet_service, ifname, mark, ct_state, ...)`);
    return t;
  });
}

/** nft's set userdata: the key's (and a map's data's) byte order, so nft prints the elements right. */
function setUserdata(types: Datatype[], data: Datatype | 'verdict' | undefined): Buffer {
  const order = (ts: Datatype[]): number => (ts.length > 1 ? 0 : ts[0]!.big ? 2 : 1);
  const tlv = (type: number, n: number): Buffer => { const b = Buffer.alloc(6); b[0] = type; b[1] = 4; b.writeUInt32LE(n, 2); return b; };
  const parts = [tlv(0, order(types))];
  if (data !== undefined) parts.push(tlv(1, data === 'verdict' ? 0 : order([data])));
  return Buffer.concat(parts);
}

function set(ctx: Ctx, s: Obj, path: string, isMap: boolean): void {
  const fam = family(s.family, `${path}.family`);
  const tbl = name(s.table, `${path}.table`);
  const n = name(s.name, `${path}.name`);
  const types = keyTypes(s.type, `${path}.type`);
  const lens = types.map((t) => (types.length > 1 ? (t.size + 3) & ~3 : t.size));
  const flags = new Set<string>(Array.isArray(s.flags) ? s.flags.map(String) : s.flags !== undefined ? [String(s.flags)] : []);
  for (const f of flags) if (!['constant', 'interval', 'timeout', 'dynamic'].includes(f)) throw new EncodeError(`${path}.flags`, `unknown set flag "${f}" (constant, interval, timeout, dynamic)`);
  if (s.timeout !== undefined) flags.add('timeout');
  let data: Datatype | 'verdict' | undefined;
  if (isMap) {
    if (s.map === 'verdict') data = 'verdict';
    else { data = keyTypes(s.map, `${path}.map`)[0]!; }
    flags.add('map');
  }
  const id = ctx.nextSetId++;
  ctx.setIds.set(`${fam} ${tbl} ${n}`, id);
  const attrs: Record<string, unknown> = { table: tbl, name: n, flags: [...flags], keyType: idOfDatatypes(types), keyLen: lens.reduce((a, b) => a + b, 0) };
  if (data !== undefined) { attrs.dataType = data === 'verdict' ? VERDICT_TYPE_ID : data.id; attrs.dataLen = data === 'verdict' ? 0 : data.size; }
  attrs.id = id;
  if (s.timeout !== undefined) attrs.timeout = int(s.timeout, `${path}.timeout`) * 1000;
  if (s.size !== undefined) attrs.desc = { size: int(s.size, `${path}.size`) };
  attrs.userdata = setUserdata(types, data);
  ctx.reqs.push(nftRequest('set', T.NFT_MSG_NEWSET, fam, attrs, `nft add ${isMap ? 'map' : 'set'} ${fam} ${tbl} ${n}`, NLM_F_CREATE));
  if (Array.isArray(s.elem) && s.elem.length > 0) {
    const elements = setElements(s.elem, types, lens, `${path}.elem`, data);
    ctx.reqs.push(elementsRequest(fam, tbl, n, id, elements));
  }
}

function elementsRequest(fam: NftFamily, tbl: string, setName: string, id: number, elements: ElemInput[]): Request {
  return nftRequest('elements', T.NFT_MSG_NEWSETELEM, fam, { table: tbl, set: setName, setId: id, elements }, `nft add element ${fam} ${tbl} ${setName}`, NLM_F_CREATE);
}

function anonSet(ctx: Ctx, fam: NftFamily, tbl: string, s: Omit<AnonSet, 'name' | 'id'>): AnonSet {
  const id = ctx.nextSetId++;
  const a: AnonSet = { ...s, name: '__set%d', id };
  const flags = ['anonymous', 'constant', ...(s.interval ? ['interval'] : []), ...(s.map ? ['map'] : [])];
  const attrs: Record<string, unknown> = { table: tbl, name: a.name, flags, keyType: idOfDatatypes(s.keyType), keyLen: s.keyLen };
  if (s.map) { attrs.dataType = s.map === 'verdict' ? VERDICT_TYPE_ID : s.map.id; attrs.dataLen = s.map === 'verdict' ? 0 : s.map.size; }
  attrs.id = id;
  attrs.desc = { size: s.elements.filter((e) => !(Number(e.flags ?? 0) & T.NFT_SET_ELEM_INTERVAL_END)).length };
  attrs.userdata = setUserdata(s.keyType, s.map);
  ctx.reqs.push(nftRequest('set', T.NFT_MSG_NEWSET, fam, attrs, `nft add anonymous set ${fam} ${tbl}`, NLM_F_CREATE));
  ctx.reqs.push(elementsRequest(fam, tbl, a.name, id, s.elements));
  return a;
}

function rule(ctx: Ctx, r: Obj, path: string): void {
  const fam = family(r.family, `${path}.family`);
  const tbl = name(r.table, `${path}.table`);
  const ch = name(r.chain, `${path}.chain`);
  if (!Array.isArray(r.expr)) throw new EncodeError(`${path}.expr`, `expected a list of statements, got ${describe(r.expr)}`);
  const exprs = buildRule(r.expr, {
    family: fam,
    setId: (n) => ctx.setIds.get(`${fam} ${tbl} ${n}`),
    anon: (s) => anonSet(ctx, fam, tbl, s),
    ...(ctx.opts.ifindex ? { ifindex: ctx.opts.ifindex } : {}),
  }, `${path}.expr`);
  const attrs: Record<string, unknown> = { table: tbl, chain: ch, expressions: exprs };
  if (r.comment !== undefined) {
    if (typeof r.comment !== 'string' || Buffer.byteLength(r.comment) > 252) throw new EncodeError(`${path}.comment`, `expected a comment of at most 252 bytes, got ${describe(r.comment)}`);
    const text = Buffer.from(`${r.comment}\0`, 'utf8');
    attrs.userdata = Buffer.concat([Buffer.from([0, text.length]), text]);
  }
  ctx.reqs.push(nftRequest('rule', T.NFT_MSG_NEWRULE, fam, attrs, `nft add rule ${fam} ${tbl} ${ch}`, NLM_F_CREATE | NLM_F_APPEND));
}

function object(ctx: Ctx, kind: 'counter' | 'quota' | 'limit', o: Obj, path: string): void {
  const fam = family(o.family, `${path}.family`);
  const tbl = name(o.table, `${path}.table`);
  const n = name(o.name, `${path}.name`);
  let state: Record<string, unknown>;
  if (kind === 'counter') state = { bytes: int(o.bytes ?? 0, `${path}.bytes`), packets: int(o.packets ?? 0, `${path}.packets`) };
  else if (kind === 'quota') state = { bytes: int(o.bytes, `${path}.bytes`), flags: o.inv ? T.NFT_QUOTA_F_INV : 0, consumed: int(o.used ?? 0, `${path}.used`) };
  else { const { expr: _e, ...rest } = limitExpr({ ...o, burst: o.burst ?? (o.rate_unit !== undefined && o.rate_unit !== 'packets' ? 0 : 5) }, path); state = rest; }
  const w = new NetlinkWriter();
  encodeAttrsChecked(EXPR_SETS[kind], w, state, path);
  const data = Buffer.from(w.view());
  ctx.reqs.push(nftRequest('object', T.NFT_MSG_NEWOBJ, fam, { table: tbl, name: n, type: kind, data }, `nft add ${kind} ${fam} ${tbl} ${n}`, NLM_F_CREATE));
}

function flowtable(ctx: Ctx, f: Obj, path: string): void {
  const fam = family(f.family, `${path}.family`);
  const devs = Array.isArray(f.dev) ? f.dev : f.dev !== undefined ? [f.dev] : [];
  const attrs = {
    table: name(f.table, `${path}.table`), name: name(f.name, `${path}.name`),
    hook: { num: encodeChecked(netdevHooks, f.hook ?? 'ingress', `${path}.hook`), priority: int(f.prio ?? 0, `${path}.prio`), devs: { name: devs.map((d, i) => name(d, `${path}.dev[${i}]`)) } },
  };
  ctx.reqs.push(nftRequest('flowtable', T.NFT_MSG_NEWFLOWTABLE, fam, attrs, `nft add flowtable ${fam} ${attrs.table} ${attrs.name}`, NLM_F_CREATE));
}

