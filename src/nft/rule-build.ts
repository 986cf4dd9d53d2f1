// From nft's JSON words to the kernel's expressions, as nft writes them
// (the reverse of rule-json.ts): the typed expression builder. A match on
// `ip saddr` in an inet table gets its `meta nfproto ipv4` first, `tcp
// dport` its `meta l4proto tcp`; a byte-aligned prefix is a shorter load; a
// flag list is `& mask != 0`; an anonymous set is made in the same
// transaction. What is not modelled is an EncodeError naming it.
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { ARPHRD_ETHER } from '../generated/linux/if_arp.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { encodeChecked, lookup } from '../netlink/narrow.js';
import { type Datatype, type NftValue, DATATYPES, integerOf, isNftObject, writeUint } from './datatypes.js';
import { ICMP_CODES } from './datatypes.js';
import type { ExprInput } from './expr.js';
import { CT_TYPES, META_TYPES, PROTOCOLS, type Protocol, fieldOf } from './fields.js';
import { type CmpOp, type NftFamily, ctKeys, logLevels, metaKeys, payloadBases, verdictCodes } from './names.js';
import type { ElemInput } from './objects.js';
import { plusOne } from './elements-json.js';
import { BYTE_UNITS, LOG_ALL, LOG_FLAGS, NAT_FLAGS, PERIODS } from './units.js';
import * as NAT from '../generated/linux/netfilter/nf_nat.js';

/** An anonymous set a rule needs, made in the same transaction before the rule. */
export interface AnonSet {
  name: string;
  id: number;
  keyType: Datatype[];
  keyLen: number;
  interval: boolean;
  map?: Datatype | 'verdict';
  elements: ElemInput[];
}

export interface BuildContext {
  family: NftFamily;
  /** Named sets of the table (for concatenation key lengths and set ids in the same transaction). */
  setId?: (name: string) => number | undefined;
  /** Makes an anonymous set's name and id. */
  anon: (s: Omit<AnonSet, 'name' | 'id'>) => AnonSet;
  /** Interface indexes by name, for `meta iif`. */
  ifindex?: (name: string) => number | undefined;
}

interface Loaded { type: Datatype; len: number; regLen: number }

const bigInt = integerOf(true);
const hostInt = integerOf(false);

type Obj = Record<string, NftValue>;
/** Expressions built a field at a time. */
type DynsetInput = Extract<ExprInput, { expr: 'dynset' }>;
type LogInput = Extract<ExprInput, { expr: 'log' }>;
type NatInput = Extract<ExprInput, { expr: 'nat' }>;
type MasqInput = Extract<ExprInput, { expr: 'masq' | 'redir' }>;
const isObj = isNftObject;
const only = (v: Obj): [string, NftValue] | undefined => { const k = Object.keys(v); return k.length === 1 ? [k[0]!, v[k[0]!]!] : undefined; };

/** nft's JSON statements of one rule → the kernel's expressions. */
export function buildRule(stmts: readonly NftValue[], ctx: BuildContext, path = 'rule.expr'): ExprInput[] {
  if (!Array.isArray(stmts)) throw new EncodeError(path, `expected a list of statements, got ${describe(stmts)}`);
  const b = new Builder(ctx);
  stmts.forEach((s, i) => b.statement(s, `${path}[${i}]`));
  return b.out;
}

class Builder {
  out: ExprInput[] = [];
  private net: Protocol | undefined;
  private l4: Protocol | undefined;
  private ll = false;

  constructor(private readonly ctx: BuildContext) {
    if (ctx.family === 'ip') this.net = PROTOCOLS.ip;
    if (ctx.family === 'ip6') this.net = PROTOCOLS.ip6;
    if (ctx.family === 'bridge' || ctx.family === 'netdev') this.ll = true;
  }

  statement(s: NftValue, path: string): void {
    if (!isObj(s)) throw new EncodeError(path, `expected a statement object, got ${describe(s)}`);
    const kv = only(s);
    if (!kv) throw new EncodeError(path, `a statement has one key, got ${Object.keys(s).join(', ') || 'none'}`);
    const [k, v] = kv;
    const p = `${path}.${k}`;
    switch (k) {
      case 'match': return this.match(v, p);
      case 'accept': case 'drop': case 'continue': case 'return': case 'queue':
        this.out.push({ expr: 'immediate', dreg: T.NFT_REG_VERDICT, data: { verdict: { code: k } } });
        return;
      case 'jump': case 'goto': {
        const target = isObj(v) ? v.target : undefined;
        if (typeof target !== 'string') throw new EncodeError(p, `expected { target: "chain" }, got ${describe(v)}`);
        this.out.push({ expr: 'immediate', dreg: T.NFT_REG_VERDICT, data: { verdict: { code: k, chain: target } } });
        return;
      }
      case 'counter':
        if (typeof v === 'string') { this.out.push({ expr: 'objref', immType: 'counter', immName: v }); return; }
        this.out.push(isObj(v) && (v.packets || v.bytes) ? { expr: 'counter', bytes: num(v.bytes ?? 0, `${p}.bytes`), packets: num(v.packets ?? 0, `${p}.packets`) } : { expr: 'counter' });
        return;
      case 'quota':
        if (typeof v === 'string') { this.out.push({ expr: 'objref', immType: 'quota', immName: v }); return; }
        this.out.push(quotaExpr(v, p));
        return;
      case 'limit':
        if (typeof v === 'string') { this.out.push({ expr: 'objref', immType: 'limit', immName: v }); return; }
        this.out.push(limitExpr(v, p));
        return;
      case 'log': return this.log(v, p);
      case 'reject': return this.reject(v, p);
      case 'snat': case 'dnat': return this.nat(k, v, p);
      case 'masquerade': case 'redirect': return this.masq(k, v, p);
      case 'mangle': return this.mangle(v, p);
      case 'vmap': return this.vmap(v, p);
      case 'notrack': this.out.push({ expr: 'notrack' }); return;
      case 'set': return this.dynset(v, p);
      default:
        throw new EncodeError(path, `statement "${k}" is not modelled by netlink-ts (modelled: match, accept, drop, continue, return, jump, goto, counter, quota, limit, log, reject, snat, dnat, masquerade, redirect, mangle, vmap, notrack, set)`);
    }
  }

  /** Loads an expression into registers from `reg`; returns its type and length. */
  private load(e: NftValue, reg: number, path: string, prefixBytes?: number): Loaded {
    if (!isObj(e)) throw new EncodeError(path, `expected an expression (payload, meta, ct, concat), got ${describe(e)}`);
    const kv = only(e);
    if (!kv) throw new EncodeError(path, `an expression has one key, got ${Object.keys(e).join(', ')}`);
    const [k, v] = kv;
    if (k === 'payload' && isObj(v)) {
      if (typeof v.protocol === 'string' && typeof v.field === 'string') {
        const f = fieldOf(v.protocol, v.field);
        if (!f) throw new EncodeError(`${path}.payload`, `unknown payload field ${v.protocol} ${v.field} (known: ${Object.values(PROTOCOLS).flatMap((p) => p.fields.map((x) => `${p.name} ${x.name}`)).join(', ')})`);
        this.dependency(f.proto, path);
        const len = prefixBytes ?? f.field.len;
        this.out.push({ expr: 'payload', dreg: reg, base: f.proto.base, offset: f.field.offset, len });
        return { type: f.field.type, len: f.field.len, regLen: len };
      }
      if (typeof v.base === 'string' && typeof v.offset === 'number' && typeof v.len === 'number' && v.offset % 8 === 0 && v.len % 8 === 0) {
        const base = payloadBases.decode(encodeChecked(payloadBases, v.base, `${path}.payload.base`));
        this.out.push({ expr: 'payload', dreg: reg, base, offset: v.offset / 8, len: v.len / 8 });
        return { type: bigInt, len: v.len / 8, regLen: v.len / 8 };
      }
      throw new EncodeError(`${path}.payload`, `expected { protocol, field } or byte-aligned { base, offset, len }, got ${describe(v)}`);
    }
    if (k === 'meta' && isObj(v) && typeof v.key === 'string') {
      const key = encodeChecked(metaKeys, v.key, `${path}.meta.key`);
      const mt = lookup(META_TYPES, v.key);
      this.out.push({ expr: 'meta', key, dreg: reg });
      return { type: mt?.type ?? hostInt, len: mt?.len ?? 4, regLen: mt?.len ?? 4 };
    }
    if (k === 'ct' && isObj(v) && typeof v.key === 'string') {
      const name = typeof v.family === 'string' ? `${v.family} ${v.key}` : v.key;
      const key = encodeChecked(ctKeys, name, `${path}.ct.key`);
      const ct = lookup(CT_TYPES, name);
      this.out.push(v.dir === undefined ? { expr: 'ct', key, dreg: reg } : { expr: 'ct', key, dreg: reg, direction: Buffer.from([v.dir === 'reply' ? 1 : 0]) });
      return { type: ct?.type ?? hostInt, len: ct?.len ?? 4, regLen: ct?.len ?? 4 };
    }
    if (k === 'map' && isObj(v) && v.key !== undefined && v.data !== undefined) {
      // A value looked up in a map (`dnat to tcp dport map @ports`): the key in reg 1, the data into `reg`.
      const parts = this.loadKey(v.key, `${path}.map.key`);
      const s = this.setOf(v.data, parts, `${path}.map.data`);
      this.out.push({ expr: 'lookup', sreg: T.NFT_REG_1, dreg: reg, ...s });
      return { type: hostInt, len: 4, regLen: 4 };
    }
    throw new EncodeError(path, `expression "${k}" is not modelled as a match key (modelled: payload, meta, ct, concat, &, map)`);
  }

  /** The protocol match nft writes before a payload load of `p`. */
  private dependency(p: Protocol, path: string): void {
    if (p.base === 'll') {
      if (!this.ll) { this.cmpConst({ meta: { key: 'iiftype' } }, DATATYPES.integer!, 2, ARPHRD_ETHER, path); this.ll = true; }
      return;
    }
    if (p.base === 'nh') {
      if (this.net === p) return;
      if (this.net !== undefined) throw new EncodeError(path, `a ${p.name} match after a ${this.net.name} one never matches`);
      if (this.ctx.family === 'inet') this.cmpConst({ meta: { key: 'nfproto' } }, DATATYPES.nf_proto!, 1, p.nfproto!, path);
      else this.cmpConst({ meta: { key: 'protocol' } }, DATATYPES.ether_type!, 2, p.ethertype!, path);
      this.net = p;
      return;
    }
    if (p.name === 'th' || this.l4 === p) return;
    this.cmpConst({ meta: { key: 'l4proto' } }, DATATYPES.inet_proto!, 1, p.ipproto!, path);
    this.l4 = p;
  }

  private cmpConst(left: Obj, type: Datatype, len: number, n: number, path: string): void {
    this.load(left, T.NFT_REG_1, path);
    this.out.push({ expr: 'cmp', sreg: T.NFT_REG_1, op: '==', data: { value: writeUint(n, len, type.big, path) } });
  }

  private match(m: NftValue, path: string): void {
    if (!isObj(m)) throw new EncodeError(path, `expected { op, left, right }, got ${describe(m)}`);
    const op = m.op ?? '==';
    if (typeof op !== 'string') throw new EncodeError(`${path}.op`, `unknown operator ${describe(op)} (==, !=, <, <=, >, >=, in)`);
    let left = m.left;
    const right = m.right;
    let mask: NftValue | undefined;
    if (isObj(left) && Array.isArray(left['&'])) { [left, mask] = left['&']; }
    // Concatenations and sets are lookups.
    if (isObj(left) && Array.isArray(left.concat)) return this.lookup(left, op, right, path);
    if ((isObj(right) && Array.isArray(right.set)) || (typeof right === 'string' && right.startsWith('@'))) return this.lookup(left, op, right, path);
    // A prefix: a shorter load when byte-aligned, else a mask.
    if (isObj(right) && isObj(right.prefix)) {
      const { addr, len } = right.prefix;
      const l = this.peek(left, path);
      if (typeof len !== 'number' || len < 0 || len > l.len * 8) throw new EncodeError(`${path}.right.prefix.len`, `expected a prefix length 0..${l.len * 8}, got ${describe(len)}`);
      // Byte-aligned: a shorter load. Otherwise the whole field under a mask (as nft writes both).
      const bytes = len % 8 === 0 ? len / 8 : l.len;
      const value = l.type.parse(addr, `${path}.right.prefix.addr`, l.len);
      const loaded = this.load(left, T.NFT_REG_1, `${path}.left`, bytes);
      if (len % 8 !== 0) {
        const maskBytes = Buffer.alloc(bytes);
        for (let i = 0; i < len; i++) maskBytes[i >> 3]! |= 0x80 >> (i & 7);
        this.out.push({ expr: 'bitwise', sreg: T.NFT_REG_1, dreg: T.NFT_REG_1, len: bytes, mask: { value: maskBytes }, xor: { value: Buffer.alloc(bytes) } });
        for (let i = 0; i < bytes; i++) value[i]! &= maskBytes[i]!;
      }
      this.out.push({ expr: 'cmp', sreg: T.NFT_REG_1, op: cmpOp(op, path), data: { value: value.subarray(0, loaded.regLen) } });
      return;
    }
    const l = this.load(left, T.NFT_REG_1, `${path}.left`);
    this.track(left, op, right, l);
    if (isObj(right) && Array.isArray(right.range)) {
      const [lo, hi] = right.range;
      const a = l.type.parse(lo, `${path}.right.range[0]`, l.len);
      const bb = l.type.parse(hi, `${path}.right.range[1]`, l.len);
      if (op === '!=') { this.out.push({ expr: 'range', sreg: T.NFT_REG_1, op: '!=', from: { value: a }, to: { value: bb } }); return; }
      this.out.push({ expr: 'cmp', sreg: T.NFT_REG_1, op: '>=', data: { value: a } }, { expr: 'cmp', sreg: T.NFT_REG_1, op: '<=', data: { value: bb } });
      return;
    }
    if (mask !== undefined) {
      this.out.push({ expr: 'bitwise', sreg: T.NFT_REG_1, dreg: T.NFT_REG_1, len: l.len, mask: { value: l.type.parse(mask, `${path}.left["&"][1]`, l.len) }, xor: { value: Buffer.alloc(l.len) } });
      this.out.push({ expr: 'cmp', sreg: T.NFT_REG_1, op: cmpOp(op, path), data: { value: l.type.parse(right, `${path}.right`, l.len) } });
      return;
    }
    if (op === 'in' || (l.type.bitmask && Array.isArray(right))) {
      if (!l.type.bitmask) throw new EncodeError(`${path}.op`, `"in" is modelled for flag types (ct state, ct status, tcp flags), not ${l.type.name}`);
      this.out.push({ expr: 'bitwise', sreg: T.NFT_REG_1, dreg: T.NFT_REG_1, len: l.len, mask: { value: l.type.parse(right, `${path}.right`, l.len) }, xor: { value: Buffer.alloc(l.len) } });
      this.out.push({ expr: 'cmp', sreg: T.NFT_REG_1, op: '!=', data: { value: Buffer.alloc(l.len) } });
      return;
    }
    let value: Buffer;
    if (l.type.name === 'ifname' && typeof right === 'string' && right.endsWith('*')) value = Buffer.from(right.slice(0, -1), 'utf8');
    else if (l.type.name === 'iface_index' && typeof right === 'string') {
      const n = this.ctx.ifindex?.(right);
      if (n === undefined) throw new EncodeError(`${path}.right`, `no interface "${right}" in this namespace`);
      value = writeUint(n, 4, false, `${path}.right`);
    } else value = l.type.parse(right, `${path}.right`, l.len);
    this.out.push({ expr: 'cmp', sreg: T.NFT_REG_1, op: cmpOp(op, path), data: { value } });
  }

  /** What a match on a protocol selector tells later payload matches (no dependency needed then). */
  private track(left: NftValue, op: string, right: NftValue, l: Loaded): void {
    if (op !== '==' || !isObj(left) || typeof right !== 'string') return;
    const key = isObj(left.meta) ? left.meta.key : isObj(left.payload) ? `${left.payload.protocol} ${left.payload.field}` : undefined;
    if (key === 'nfproto' || key === 'protocol') this.net = right === 'ipv4' || right === 'ip' ? PROTOCOLS.ip : right === 'ipv6' || right === 'ip6' ? PROTOCOLS.ip6 : this.net;
    if (key === 'l4proto' || key === 'ip protocol' || key === 'ip6 nexthdr') {
      this.l4 = Object.values(PROTOCOLS).find((p) => p.base === 'th' && (p.name === right || (right === 'ipv6-icmp' && p.name === 'icmpv6')));
    }
    void l;
  }

  /** Type and length of an expression without emitting it (for parsing the right side first). */
  private peek(e: NftValue, path: string): Loaded {
    const save = this.out.length;
    const state = [this.net, this.l4, this.ll] as const;
    const l = this.load(e, T.NFT_REG_1, path);
    this.out.length = save;
    [this.net, this.l4, this.ll] = state;
    return l;
  }

  /** Loads a key (one expression or a concatenation) into reg 1 onwards; the member types and lengths. */
  private loadKey(left: NftValue, path: string): Loaded[] {
    if (isObj(left) && Array.isArray(left.concat)) {
      // Every member's protocol match first: a dependency loads into reg 1, over a member already there.
      for (const x of left.concat) {
        const pl = isObj(x) && isObj(x.payload) ? x.payload : undefined;
        const f = pl && typeof pl.protocol === 'string' && typeof pl.field === 'string' ? fieldOf(pl.protocol, pl.field) : undefined;
        if (f) this.dependency(f.proto, path);
      }
      const parts: Loaded[] = [];
      let at = 0;
      left.concat.forEach((x, i) => {
        const reg = i === 0 ? T.NFT_REG_1 : T.NFT_REG32_00 + at / 4;
        const l = this.load(x, reg, `${path}.concat[${i}]`);
        parts.push(l);
        at += (l.len + 3) & ~3;
      });
      return parts;
    }
    return [this.load(left, T.NFT_REG_1, path)];
  }

  private setOf(right: NftValue, parts: Loaded[], path: string, map?: Datatype | 'verdict'): { set: string; setId?: number } {
    if (typeof right === 'string' && right.startsWith('@')) {
      const name = right.slice(1);
      const id = this.ctx.setId?.(name);
      return id === undefined ? { set: name } : { set: name, setId: id };
    }
    if (!isObj(right) || !Array.isArray(right.set)) throw new EncodeError(path, `expected "@set" or { set: [...] }, got ${describe(right)}`);
    const types = parts.map((p) => p.type);
    const lens = parts.map((p) => (parts.length > 1 ? (p.len + 3) & ~3 : p.len));
    const elements = setElements(right.set, types, lens, path, map);
    const interval = elements.some((e) => (Number(e.flags ?? 0) & T.NFT_SET_ELEM_INTERVAL_END) !== 0);
    const a = this.ctx.anon({ keyType: types, keyLen: lens.reduce((x, y) => x + y, 0), interval, elements, ...(map ? { map } : {}) });
    return { set: a.name, setId: a.id };
  }

  private lookup(left: NftValue, op: string, right: NftValue, path: string): void {
    const parts = this.loadKey(left, `${path}.left`);
    const s = this.setOf(right, parts, `${path}.right`);
    if (op !== '!=' && op !== '==' && op !== 'in') throw new EncodeError(`${path}.op`, `a set match is == or !=, got ${describe(op)}`);
    this.out.push(op === '!=' ? { expr: 'lookup', sreg: T.NFT_REG_1, ...s, flags: T.NFT_LOOKUP_F_INV } : { expr: 'lookup', sreg: T.NFT_REG_1, ...s });
  }

  private vmap(v: NftValue, path: string): void {
    if (!isObj(v)) throw new EncodeError(path, `expected { key, data }, got ${describe(v)}`);
    const parts = this.loadKey(v.key!, `${path}.key`);
    const s = this.setOf(v.data!, parts, `${path}.data`, 'verdict');
    this.out.push({ expr: 'lookup', sreg: T.NFT_REG_1, dreg: T.NFT_REG_VERDICT, ...s });
  }

  private dynset(v: NftValue, path: string): void {
    if (!isObj(v) || typeof v.set !== 'string' || !v.set.startsWith('@')) throw new EncodeError(path, `expected { op, elem, set: "@name" }, got ${describe(v)}`);
    let elem = v.elem!;
    let timeout: number | undefined;
    if (isObj(elem) && isObj(elem.elem)) { timeout = typeof elem.elem.timeout === 'number' ? elem.elem.timeout : undefined; elem = elem.elem.val!; }
    this.loadKey(elem, `${path}.elem`);
    const op = ['add', 'update', 'delete'].indexOf(String(v.op));
    if (op < 0) throw new EncodeError(`${path}.op`, `expected add, update or delete, got ${describe(v.op)}`);
    const name = v.set.slice(1);
    const id = this.ctx.setId?.(name);
    const x: DynsetInput = { expr: 'dynset', sregKey: T.NFT_REG_1, op, setName: name };
    if (id !== undefined) x.setId = id;
    if (timeout !== undefined) x.timeout = timeout * 1000;
    this.out.push(x);
  }

  private mangle(v: NftValue, path: string): void {
    if (!isObj(v) || !isObj(v.key)) throw new EncodeError(path, `expected { key, value }, got ${describe(v)}`);
    const key = v.key;
    if (isObj(key.meta) && typeof key.meta.key === 'string') {
      const mt = lookup(META_TYPES, key.meta.key);
      this.value(v.value!, mt?.type ?? hostInt, mt?.len ?? 4, `${path}.value`);
      this.out.push({ expr: 'meta', key: encodeChecked(metaKeys, key.meta.key, `${path}.key.meta.key`), sreg: T.NFT_REG_1 });
      return;
    }
    if (isObj(key.ct) && typeof key.ct.key === 'string') {
      const ct = lookup(CT_TYPES, key.ct.key);
      this.value(v.value!, ct?.type ?? hostInt, ct?.len ?? 4, `${path}.value`);
      this.out.push({ expr: 'ct', key: encodeChecked(ctKeys, key.ct.key, `${path}.key.ct.key`), sreg: T.NFT_REG_1 });
      return;
    }
    throw new EncodeError(`${path}.key`, 'setting is modelled for meta and ct keys');
  }

  /** A value into reg 1: a constant, or another key loaded (`ct mark set meta mark`). */
  private value(v: NftValue, type: Datatype, len: number, path: string, reg = T.NFT_REG_1): void {
    if (isObj(v)) { this.load(v, reg, path); return; }
    this.out.push({ expr: 'immediate', dreg: reg, data: { value: type.parse(v, path, len) } });
  }

  private log(v: NftValue, path: string): void {
    const x: LogInput = { expr: 'log' };
    if (v !== null) {
      if (!isObj(v)) throw new EncodeError(path, `expected log options or null, got ${describe(v)}`);
      if (v.prefix !== undefined) x.prefix = str(v.prefix, `${path}.prefix`);
      if (v.group !== undefined) { const g = Buffer.alloc(2); g.writeUInt16BE(num(v.group, `${path}.group`)); x.group = g; }
      if (v.snaplen !== undefined) x.snaplen = num(v.snaplen, `${path}.snaplen`);
      if (v['queue-threshold'] !== undefined) { const q = Buffer.alloc(2); q.writeUInt16BE(num(v['queue-threshold'], `${path}.queue-threshold`)); x.qthreshold = q; }
      if (v.level !== undefined) x.level = encodeChecked(logLevels, v.level, `${path}.level`);
      if (v.flags !== undefined) {
        const words = Array.isArray(v.flags) ? v.flags : [v.flags];
        x.flags = words.reduce<number>((n, w) => n | (w === 'all' ? LOG_ALL : flagBit(LOG_FLAGS, w, `${path}.flags`)), 0);
      }
    }
    this.out.push(x);
  }

  private reject(v: NftValue, path: string): void {
    if (v === null) {
      // nft's default: icmpx port-unreachable in inet/bridge/netdev, icmp(v6) port-unreachable in ip/ip6.
      if (this.ctx.family === 'ip' || this.ctx.family === 'ip6') {
        const t = this.ctx.family === 'ip6' ? ICMP_CODES.icmpv6['port-unreachable'] : ICMP_CODES.icmp['port-unreachable'];
        this.out.push({ expr: 'reject', type: 'icmp', code: Buffer.from([t]) });
      } else this.out.push({ expr: 'reject', type: 'icmpx', code: Buffer.from([ICMP_CODES.icmpx['port-unreachable']]) });
      return;
    }
    if (!isObj(v)) throw new EncodeError(path, `expected { type, expr } or null, got ${describe(v)}`);
    if (v.type === 'tcp reset') {
      if (this.l4 !== PROTOCOLS.tcp) this.dependency(PROTOCOLS.tcp!, path);
      this.out.push({ expr: 'reject', type: 'tcp reset', code: Buffer.from([0]) });
      return;
    }
    const kind = v.type === 'icmpx' ? 'icmpx' : v.type === 'icmpv6' ? 'icmpv6' : v.type === 'icmp' ? 'icmp' : undefined;
    if (!kind) throw new EncodeError(`${path}.type`, `expected icmp, icmpv6, icmpx or tcp reset, got ${describe(v.type)}`);
    const codes: Readonly<Record<string, number>> = ICMP_CODES[kind];
    const code = v.expr === undefined ? codes['port-unreachable']! : typeof v.expr === 'string' && Object.hasOwn(codes, v.expr) ? codes[v.expr]! : undefined;
    if (code === undefined) throw new EncodeError(`${path}.expr`, `unknown ${kind} code ${describe(v.expr)} (one of: ${Object.keys(codes).join(', ')})`);
    if (kind !== 'icmpx' && this.ctx.family !== 'ip' && this.ctx.family !== 'ip6') this.dependency(kind === 'icmp' ? PROTOCOLS.ip! : PROTOCOLS.ip6!, path);
    this.out.push({ expr: 'reject', type: kind === 'icmpx' ? 'icmpx' : 'icmp', code: Buffer.from([code]) });
  }

  private nat(kind: 'snat' | 'dnat', v: NftValue, path: string): void {
    if (!isObj(v)) throw new EncodeError(path, `expected { addr, port, family, flags }, got ${describe(v)}`);
    const fam = typeof v.family === 'string' ? v.family : this.ctx.family === 'ip6' ? 'ip6' : 'ip';
    if (fam !== 'ip' && fam !== 'ip6') throw new EncodeError(`${path}.family`, `expected ip or ip6, got ${describe(v.family)}`);
    const addrType = fam === 'ip6' ? DATATYPES.ipv6_addr! : DATATYPES.ipv4_addr!;
    const x: NatInput = { expr: 'nat', type: kind, family: fam };
    let flags = 0;
    let reg: number = T.NFT_REG_1;
    if (v.addr !== undefined) {
      const [a, b] = rangeOf(v.addr);
      this.value(a, addrType, addrType.size, `${path}.addr`, reg);
      x.regAddrMin = reg;
      if (b !== undefined) { this.value(b, addrType, addrType.size, `${path}.addr`, reg + 1); x.regAddrMax = reg + 1; reg++; }
      reg++;
      flags |= 0; // nft sends MAP_IPS only with a range; the kernel sets it from the registers
    }
    if (v.port !== undefined) {
      const [a, b] = rangeOf(v.port);
      this.value(a, DATATYPES.inet_service!, 2, `${path}.port`, reg);
      x.regProtoMin = reg;
      if (b !== undefined) { this.value(b, DATATYPES.inet_service!, 2, `${path}.port`, reg + 1); x.regProtoMax = reg + 1; }
      flags |= NAT.NF_NAT_RANGE_PROTO_SPECIFIED;
    }
    flags |= natFlags(v.flags, `${path}.flags`);
    if (flags) x.flags = flags;
    this.out.push(x);
  }

  private masq(kind: 'masquerade' | 'redirect', v: NftValue, path: string): void {
    const x: MasqInput = { expr: kind === 'masquerade' ? 'masq' : 'redir' };
    if (v !== null) {
      if (!isObj(v)) throw new EncodeError(path, `expected { port, flags } or null, got ${describe(v)}`);
      let flags = natFlags(v.flags, `${path}.flags`);
      if (v.port !== undefined) {
        const [a, b] = rangeOf(v.port);
        this.value(a, DATATYPES.inet_service!, 2, `${path}.port`, T.NFT_REG_1);
        x.regProtoMin = T.NFT_REG_1;
        if (b !== undefined) { this.value(b, DATATYPES.inet_service!, 2, `${path}.port`, T.NFT_REG_2); x.regProtoMax = T.NFT_REG_2; }
        flags |= NAT.NF_NAT_RANGE_PROTO_SPECIFIED;
      }
      if (flags) x.flags = flags;
    }
    this.out.push(x);
  }
}

function rangeOf(v: NftValue): [NftValue, NftValue | undefined] {
  if (isObj(v) && Array.isArray(v.range) && v.range.length === 2) return [v.range[0]!, v.range[1]!];
  return [v, undefined];
}

function natFlags(v: NftValue | undefined, path: string): number {
  if (v === undefined) return 0;
  const words = Array.isArray(v) ? v : [v];
  return words.reduce<number>((n, w) => n | flagBit(NAT_FLAGS, w, path), 0);
}

function flagBit(table: Readonly<Record<string, number>>, w: NftValue, path: string): number {
  if (typeof w === 'string' && Object.hasOwn(table, w)) return table[w]!;
  throw new EncodeError(path, `unknown flag ${describe(w)} (one of: ${Object.keys(table).join(', ')})`);
}

/** A map element's verdict ({ accept: null }, { jump: { target } }...), as the verdict nest takes it. */
function verdictOf([code, arg]: [string, NftValue], path: string): { code: number; chain?: string } {
  if (code !== 'jump' && code !== 'goto') return { code: encodeChecked(verdictCodes, code, path) };
  if (!isObj(arg)) throw new EncodeError(path, `expected { ${code}: { target } }, got ${describe(arg)}`);
  return { code: encodeChecked(verdictCodes, code, path), chain: String(arg.target) };
}

function cmpOp(op: string, path: string): CmpOp {
  if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') return op;
  throw new EncodeError(`${path}.op`, `unknown operator ${describe(op)} (==, !=, <, <=, >, >=, in)`);
}

function num(v: NftValue | undefined, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new EncodeError(path, `expected a non-negative integer, got ${describe(v)}`);
  return v;
}
function str(v: NftValue | undefined, path: string): string {
  if (typeof v !== 'string') throw new EncodeError(path, `expected a string, got ${describe(v)}`);
  return v;
}

function quotaExpr(v: NftValue, path: string): ExprInput {
  if (!isObj(v)) throw new EncodeError(path, `expected { val, val_unit, inv }, got ${describe(v)}`);
  const unit = BYTE_UNITS[String(v.val_unit ?? 'bytes')];
  if (unit === undefined) throw new EncodeError(`${path}.val_unit`, `expected bytes, kbytes or mbytes, got ${describe(v.val_unit)}`);
  const bytes = num(v.val, `${path}.val`) * unit;
  const flags = v.inv ? T.NFT_QUOTA_F_INV : 0;
  const consumed = v.used !== undefined ? num(v.used, `${path}.used`) * (BYTE_UNITS[String(v.used_unit ?? 'bytes')] ?? 1) : 0;
  return { expr: 'quota', bytes, consumed, flags };
}

export function limitExpr(v: NftValue, path: string): ExprInput {
  if (!isObj(v)) throw new EncodeError(path, `expected { rate, per, burst }, got ${describe(v)}`);
  const per = PERIODS[String(v.per ?? 'second')];
  if (per === undefined) throw new EncodeError(`${path}.per`, `expected one of ${Object.keys(PERIODS).join(', ')}, got ${describe(v.per)}`);
  const bytes = v.rate_unit !== undefined && v.rate_unit !== 'packets';
  const rateUnit = bytes ? BYTE_UNITS[String(v.rate_unit)] : 1;
  if (rateUnit === undefined) throw new EncodeError(`${path}.rate_unit`, `expected packets, bytes, kbytes or mbytes, got ${describe(v.rate_unit)}`);
  const burst = v.burst === undefined ? (bytes ? 0 : 5) : num(v.burst, `${path}.burst`) * (bytes ? (BYTE_UNITS[String(v.burst_unit ?? 'bytes')] ?? 1) : 1);
  return { expr: 'limit', rate: num(v.rate, `${path}.rate`) * rateUnit, unit: per, burst, type: bytes ? 'bytes' : 'packets', flags: v.inv ? T.NFT_LIMIT_F_INV : 0 };
}

/** A set's elements in the kernel's form: values, intervals as start/end pairs, [key, data] pairs for maps. */
export function setElements(list: readonly NftValue[], types: readonly Datatype[], lens: readonly number[], path: string, map?: Datatype | 'verdict'): ElemInput[] {
  const out: ElemInput[] = [];
  const intervals: { lo: Buffer; hi: Buffer; extra: ElemInput }[] = [];
  list.forEach((raw, i) => {
    const p = `${path}[${i}]`;
    let key = raw;
    const extra: ElemInput = {};
    if (Array.isArray(raw) && map !== undefined) {
      key = raw[0]!;
      const data = raw[1]!;
      if (map === 'verdict') {
        const kv = isObj(data) ? only(data) : undefined;
        if (!kv) throw new EncodeError(`${p}[1]`, `expected a verdict ({ accept: null }, { jump: { target } }...), got ${describe(data)}`);
        extra.data = { verdict: verdictOf(kv, `${p}[1]`) };
      } else extra.data = { value: map.parse(data, `${p}[1]`, map.size) };
    }
    if (isObj(key) && isObj(key.elem)) {
      const e = key.elem;
      if (e.timeout !== undefined) extra.timeout = num(e.timeout, `${p}.elem.timeout`) * 1000;
      key = e.val!;
    }
    if (types.length > 1) {
      if (!isObj(key) || !Array.isArray(key.concat) || key.concat.length !== types.length) throw new EncodeError(p, `expected { concat: [${types.map((t) => t.name).join(', ')}] }, got ${describe(key)}`);
      const parts = key.concat.map((x, j) => { const b = types[j]!.parse(x, `${p}.concat[${j}]`, types[j]!.size || lens[j]!); const padded = Buffer.alloc(lens[j]!); b.copy(padded); return padded; });
      out.push({ key: { value: Buffer.concat(parts) }, ...extra });
      return;
    }
    const t = types[0]!;
    const len = lens[0]!;
    if (isObj(key) && (isObj(key.prefix) || Array.isArray(key.range))) {
      let lo: Buffer; let hi: Buffer;
      if (isObj(key.prefix)) {
        const bits = num(key.prefix.len, `${p}.prefix.len`);
        lo = t.parse(key.prefix.addr, `${p}.prefix.addr`, len);
        hi = Buffer.from(lo);
        for (let b = 0; b < len * 8; b++) if (b >= bits) { lo[b >> 3]! &= ~(0x80 >> (b & 7)); hi[b >> 3]! |= 0x80 >> (b & 7); }
      } else {
        // Not a prefix, so a range (the test above).
        const r = Array.isArray(key.range) ? key.range : [];
        lo = t.parse(r[0], `${p}.range[0]`, len);
        hi = t.parse(r[1], `${p}.range[1]`, len);
      }
      intervals.push({ lo, hi, extra });
      return;
    }
    const v = t.parse(key, p, len);
    intervals.push({ lo: v, hi: v, extra });
  });
  const ranged = intervals.some((x) => !x.lo.equals(x.hi));
  if (!ranged) return [...out, ...intervals.map((x) => ({ key: { value: x.lo }, ...x.extra }))];
  // An interval set: each interval is its start and, one past its end, an end element; nft
  // also marks the space before the first one with an end element at zero.
  intervals.sort((a, b) => Buffer.compare(a.lo, b.lo));
  if (intervals[0] && intervals[0].lo.some((x) => x !== 0)) out.push({ key: { value: Buffer.alloc(intervals[0].lo.length) }, flags: T.NFT_SET_ELEM_INTERVAL_END });
  for (const x of intervals) {
    out.push({ key: { value: x.lo }, ...x.extra });
    const end = plusOne(x.hi);
    if (end) out.push({ key: { value: end }, flags: T.NFT_SET_ELEM_INTERVAL_END });
  }
  return out;
}
