// A Ruleset as `nft -j list ruleset` prints it: { nftables: [metainfo,
// table, its objects, sets, flowtables, chains, then its rules, next table...] }.
import type { NftValue } from './datatypes.js';
import { datatypesOfId, VERDICT_TYPE_ID } from './datatypes.js';
import { elementsJson } from './elements-json.js';
import { elementsView, ruleJson, type SetWithElements } from './rule-json.js';
import type { Ruleset, RulesetChain, RulesetFlowtable, RulesetObject, RulesetRule, RulesetSet, RulesetTable } from './ruleset.js';
import { byteUnit, periodName } from './units.js';
import { hookName } from './names.js';

export interface JsonOptions {
  /** Interface names by index, for `meta iif` matches. */
  ifname?: (index: number) => string | undefined;
}

/** The JSON schema version nft's output declares (libnftables-json(5)). */
export const JSON_SCHEMA_VERSION = 1;

const sameTable = (t: RulesetTable) => (x: { family: unknown; table?: string }): boolean => x.family === t.family && x.table === t.name;

export function rulesetJson(r: Ruleset, opts: JsonOptions = {}): { nftables: NftValue[] } {
  const out: NftValue[] = [{ metainfo: { version: 'netlink-ts', json_schema_version: JSON_SCHEMA_VERSION } }];
  for (const t of r.tables) {
    out.push(tableJson(t));
    const mine = sameTable(t);
    for (const o of r.objects.filter(mine)) out.push(objectJson(o));
    const sets = r.sets.filter(mine);
    for (const s of sets) if (!(s.flags ?? []).includes('anonymous')) out.push(setJson(s));
    for (const f of r.flowtables.filter(mine)) out.push(flowtableJson(f));
    const chains = r.chains.filter(mine);
    for (const c of chains) out.push(chainJson(c));
    const byName = new Map<string, SetWithElements>(sets.map((s) => [s.name ?? '', { set: s, elems: s.elements }]));
    const rules = r.rules.filter(mine);
    for (const c of chains) for (const rule of rules.filter((x) => x.chain === c.name)) out.push(ruleJsonOf(rule, byName, opts));
  }
  return { nftables: out };
}

export function tableJson(t: RulesetTable): NftValue {
  const o: Record<string, NftValue> = { family: t.family, name: t.name ?? '', handle: Number(t.handle ?? 0) };
  if (t.flags && t.flags.length) o.flags = t.flags;
  return { table: o };
}

export function chainJson(c: RulesetChain): NftValue {
  const o: Record<string, NftValue> = { family: c.family, table: c.table ?? '', name: c.name ?? '', handle: Number(c.handle ?? 0) };
  if (c.hook) {
    if (c.type !== undefined) o.type = c.type;
    if (c.hook.hooknum !== undefined) o.hook = hookName(c.family, c.hook.hooknum);
    if (c.hook.priority !== undefined) o.prio = c.hook.priority;
    // nft 1.0.6 prints no "dev" for a netdev chain; the device is in the Ruleset (hook.dev / hook.devs).
    if (c.policy !== undefined) o.policy = c.policy;
  }
  return { chain: o };
}

export function setJson(s: RulesetSet): NftValue {
  const isMap = s.dataType !== undefined && (s.flags ?? []).includes('map');
  const o: Record<string, NftValue> = { family: s.family, name: s.name ?? '', table: s.table ?? '' };
  const types = s.keyType !== undefined ? datatypesOfId(s.keyType) : [];
  const names = types.map((t) => t?.name ?? 'integer');
  o.type = names.length === 1 ? names[0]! : names;
  o.handle = Number(s.handle ?? 0);
  if (isMap) o.map = s.dataType === VERDICT_TYPE_ID ? 'verdict' : (datatypesOfId(s.dataType!)[0]?.name ?? 'integer');
  if (s.policy === 1) o.policy = 'memory';
  // nft 1.0.6 prints these three (not "dynamic").
  const flags = (s.flags ?? []).filter((f) => f === 'constant' || f === 'interval' || f === 'timeout');
  if (flags.length) o.flags = flags;
  if (s.timeout !== undefined) o.timeout = Math.floor(Number(s.timeout) / 1000);
  if (s.gcInterval !== undefined) o['gc-interval'] = Math.floor(s.gcInterval / 1000);
  if (s.desc?.size !== undefined) o.size = s.desc.size;
  if (s.elements.length) o.elem = elementsJson(s.elements, elementsView(s));
  return { [isMap ? 'map' : 'set']: o };
}

export function objectJson(x: RulesetObject): NftValue {
  const o: Record<string, NftValue> = { family: x.family, name: x.name ?? '', table: x.table ?? '', handle: Number(x.handle ?? 0) };
  const s = x.state ?? {};
  const num = (v: unknown): number => Number(v ?? 0);
  switch (x.type) {
    case 'counter':
      o.packets = num(s.packets); o.bytes = num(s.bytes);
      break;
    case 'quota':
      o.bytes = num(s.bytes); o.used = num(s.consumed);
      if (num(s.flags) & 1) o.inv = true;
      break;
    case 'limit': {
      const per = periodName(num(s.unit));
      if (s.type === 'bytes') {
        const [rate, unit] = byteUnit(num(s.rate));
        o.rate = rate; o.per = per; o.rate_unit = unit;
        const [b, bu] = byteUnit(num(s.burst)); o.burst = b; o.burst_unit = bu;
      } else {
        o.rate = num(s.rate); o.per = per;
        if (num(s.burst)) o.burst = num(s.burst);
      }
      if (num(s.flags) & 1) o.inv = true;
      break;
    }
    default:
      break;
  }
  return { [typeof x.type === 'string' ? x.type : `object ${x.type}`]: o };
}

export function flowtableJson(f: RulesetFlowtable): NftValue {
  const o: Record<string, NftValue> = { family: f.family, name: f.name ?? '', table: f.table ?? '', handle: Number(f.handle ?? 0) };
  // A flowtable's hook is a netdev hook whatever the table's family.
  if (f.hook?.num !== undefined) o.hook = hookName('netdev', f.hook.num);
  if (f.hook?.priority !== undefined) o.prio = f.hook.priority;
  const devs = f.hook?.devs?.name ?? [];
  if (devs.length) o.dev = devs.length === 1 ? devs[0]! : devs;
  return { flowtable: o };
}

export function ruleJsonOf(r: RulesetRule, sets: ReadonlyMap<string, SetWithElements>, opts: JsonOptions = {}): NftValue {
  const o: Record<string, NftValue> = { family: r.family, table: r.table ?? '', chain: r.chain ?? '', handle: Number(r.handle ?? 0) };
  const comment = ruleComment(r.userdata);
  if (comment !== undefined) o.comment = comment;
  o.expr = ruleJson(r.expressions ?? [], { family: r.family, sets, ...(opts.ifname ? { ifname: opts.ifname } : {}) });
  return { rule: o };
}

/** nft keeps a rule's comment in its userdata: TLVs of u8 type, u8 length; type 0 is the comment (NUL-terminated). */
export function ruleComment(u: Buffer | undefined): string | undefined {
  if (!u) return undefined;
  for (let at = 0; at + 2 <= u.length;) {
    const type = u[at]!;
    const len = u[at + 1]!;
    if (at + 2 + len > u.length) return undefined;
    if (type === 0) { const v = u.subarray(at + 2, at + 2 + len); const z = v.indexOf(0); return v.toString('utf8', 0, z < 0 ? v.length : z); }
    at += 2 + len;
  }
  return undefined;
}
