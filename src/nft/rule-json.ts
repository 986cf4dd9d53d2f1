// A rule's expressions as nft prints them (`nft -j list ruleset`): the
// registers are followed from load to match, so `payload → cmp` becomes
// { match: { left: { payload: { protocol, field } }, right } }. As nft does,
// a protocol match that only guards a later payload load (`meta nfproto
// ipv4` before `ip saddr` in an inet table, `meta l4proto tcp` before `tcp
// dport`) is dropped, a shorter load is a prefix, `& mask != 0` on a bit
// mask type is "in" a list of flags. What this does not model is printed
// as { "netlink-ts": { expr, ... } } with the expression's attributes.
import { isDeepStrictEqual } from 'node:util';
import { ARPHRD_ETHER } from '../generated/linux/if_arp.js';
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { lookup } from '../netlink/narrow.js';
import { type Datatype, type NftValue, DATATYPES, datatypesOfId, integerOf, isNftObject, readUint, VERDICT_TYPE_ID } from './datatypes.js';
import { type ElementsView, concatLens, elementsJson, intervalJson, keyValue, prefixOf, verdictJson } from './elements-json.js';
import type { Expr, KnownExpr } from './expr.js';
import { CT_TYPES, META_TYPES, type Protocol, PROTOCOLS, fieldAt, networkByEthertype, networkByNfproto, transportByIpproto } from './fields.js';
import type { NftFamily } from './names.js';
import type { Elem } from './objects.js';
import type { NftSet } from './messages.js';
import { ICMP_CODES } from './datatypes.js';
import { LOG_ALL, LOG_FLAGS, NAT_FLAGS, byteUnit, flagWords, periodName } from './units.js';

export interface SetWithElements { set: NftSet; elems: readonly Elem[] }

export interface RuleContext {
  family: NftFamily | number;
  /** The table's sets by name, anonymous ones included, with their elements. */
  sets: ReadonlyMap<string, SetWithElements>;
  /** Interface names by index, for `meta iif` (nft resolves them too). */
  ifname?: (index: number) => string | undefined;
}

interface Reg {
  expr: NftValue;
  type: Datatype;
  /** Bytes of the whole field. */
  len: number;
  /** Bytes loaded (fewer: a prefix of the field). */
  loaded: number;
  mask?: Buffer;
  /** Immediate data (for NAT addresses, meta set...). */
  bytes?: Buffer;
  /** What a match on this sets: the network or transport protocol. */
  selects?: 'net' | 'l4' | 'll';
}

const bigInt = integerOf(true);
const hostInt = integerOf(false);

/** Registers as 4-byte slots: reg 1-4 are 16-byte registers over slots 8-23. */
function slot(reg: number): number {
  return reg >= T.NFT_REG_1 && reg <= T.NFT_REG_4 ? T.NFT_REG32_00 + (reg - T.NFT_REG_1) * 4 : reg;
}

export function ruleJson(exprs: readonly Expr[], ctx: RuleContext): NftValue[] {
  const out: (NftValue | undefined)[] = [];
  const regs = new Map<number, Reg>();
  let net: Protocol | undefined = ctx.family === 'ip' ? PROTOCOLS.ip : ctx.family === 'ip6' ? PROTOCOLS.ip6 : undefined;
  let l4: Protocol | undefined;
  let netDep: number | undefined;
  let l4Dep: number | undefined;
  /** `meta iiftype ether`, which nft writes before a link-layer match outside bridge and netdev tables. */
  let llDep: number | undefined;

  const consume = (layer: 'net' | 'l4' | 'll'): void => {
    if (layer === 'net' && netDep !== undefined) { out[netDep] = undefined; netDep = undefined; }
    if (layer === 'l4' && l4Dep !== undefined) { out[l4Dep] = undefined; l4Dep = undefined; }
    if (layer === 'll' && llDep !== undefined) { out[llDep] = undefined; llDep = undefined; }
  };
  const fmt = (r: Reg | undefined, b: Buffer | undefined): NftValue => (r && b ? r.type.format(b) : b ? `0x${b.toString('hex')}` : null);

  for (const e of exprs) {
    if (isKnown(e)) {
      const k = e;
      switch (k.expr) {
        case 'payload': {
          if (k.dreg === undefined) {
            if (k.sreg !== undefined) {
              const key = payloadKey(k, net, l4);
              const r = regs.get(slot(k.sreg));
              out.push({ mangle: { key: key.expr, value: r?.bytes ? key.type.format(r.bytes) : null } });
              continue;
            }
            break;
          }
          const p = payloadKey(k, net, l4);
          if (p.layer) consume(p.layer);
          if (k.base === 'll') consume('ll');
          regs.set(slot(k.dreg), p);
          continue;
        }
        case 'meta': {
          const key = typeof k.key === 'string' ? k.key : undefined;
          const mt = lookup(META_TYPES, key);
          const expr = { meta: { key: key ?? k.key ?? 0 } };
          if (k.sreg !== undefined) {
            const r = regs.get(slot(k.sreg));
            out.push({ mangle: { key: expr, value: r?.bytes ? (mt?.type ?? hostInt).format(r.bytes) : (r?.expr ?? null) } });
            continue;
          }
          if (k.dreg === undefined) break;
          const reg: Reg = { expr, type: mt?.type ?? hostInt, len: mt?.len ?? 4, loaded: mt?.len ?? 4 };
          if (key === 'nfproto' || key === 'protocol') reg.selects = 'net';
          if (key === 'l4proto') reg.selects = 'l4';
          if (key === 'iiftype') reg.selects = 'll';
          if (key === 'iif' || key === 'oif') reg.type = ifindexType(ctx);
          regs.set(slot(k.dreg), reg);
          continue;
        }
        case 'ct': {
          const key = typeof k.key === 'string' ? k.key : undefined;
          const ct = lookup(CT_TYPES, key);
          const body: Record<string, NftValue> = {};
          if (key?.includes(' ')) { const [fam, kk] = key.split(' '); body.key = kk!; body.family = fam!; } else body.key = key ?? k.key ?? 0;
          if (k.direction !== undefined) body.dir = k.direction[0] === 0 ? 'original' : 'reply';
          const expr = { ct: body };
          if (k.sreg !== undefined) {
            const r = regs.get(slot(k.sreg));
            out.push({ mangle: { key: expr, value: r?.bytes ? (ct?.type ?? hostInt).format(r.bytes) : (r?.expr ?? null) } });
            continue;
          }
          if (k.dreg === undefined) break;
          regs.set(slot(k.dreg), { expr, type: ct?.type ?? hostInt, len: ct?.len ?? 4, loaded: ct?.len ?? 4 });
          continue;
        }
        case 'bitwise': {
          const r = k.sreg !== undefined ? regs.get(slot(k.sreg)) : undefined;
          if (!r || k.dreg === undefined || !k.mask?.value || (k.op !== undefined && k.op !== T.NFT_BITWISE_MASK_XOR)) break;
          const xor = k.xor?.value;
          if (xor && xor.some((x) => x !== 0)) break;
          regs.set(slot(k.dreg), { ...r, mask: k.mask.value });
          continue;
        }
        case 'cmp': {
          const r = k.sreg !== undefined ? regs.get(slot(k.sreg)) : undefined;
          const data = k.data?.value;
          if (!r || !data || typeof k.op !== 'string') break;
          const m = matchOf(r, k.op, data);
          // nft writes a range as `>= lo` then `<= hi` on the same load: one range match.
          const last = out[out.length - 1];
          const prev = isNftObject(last) && isNftObject(last.match) ? last.match : undefined;
          if (m.op === '<=' && prev?.op === '>=' && isDeepStrictEqual(prev.left, m.left)) {
            out[out.length - 1] = { match: { op: '==', left: m.left, right: { range: [prev.right ?? null, m.right] } } };
            continue;
          }
          out.push({ match: m });
          if (k.op === '==' && !r.mask && r.selects) {
            const n = readUint(data, r.type.big);
            if (r.selects === 'll') {
              if (n === ARPHRD_ETHER) llDep = out.length - 1;
            } else if (r.selects === 'net') {
              const p = r.type.name === 'ether_type' ? networkByEthertype(n) : networkByNfproto(n);
              if (p) { net = p; netDep = out.length - 1; }
            } else {
              const p = transportByIpproto(n);
              if (p) { l4 = p; l4Dep = out.length - 1; }
            }
          }
          continue;
        }
        case 'range': {
          const r = k.sreg !== undefined ? regs.get(slot(k.sreg)) : undefined;
          if (!r || !k.from?.value || !k.to?.value) break;
          out.push({ match: { op: k.op === '!=' ? '!=' : '==', left: r.expr, right: { range: [r.type.format(k.from.value), r.type.format(k.to.value)] } } });
          continue;
        }
        case 'lookup': {
          const s = k.set !== undefined ? ctx.sets.get(k.set) : undefined;
          if (k.sreg === undefined || k.set === undefined) break;
          const left = lookupKey(regs, k.sreg, s?.set);
          if (!left) break;
          const right = setRef(k.set, s, left.types);
          if (k.dreg === T.NFT_REG_VERDICT) { out.push({ vmap: { key: left.expr, data: right } }); continue; }
          if (k.dreg !== undefined) {
            const dt = s?.set.dataType !== undefined ? datatypesOfId(s.set.dataType)[0] : undefined;
            regs.set(slot(k.dreg), { expr: { map: { key: left.expr, data: right } }, type: dt ?? hostInt, len: s?.set.dataLen ?? 4, loaded: s?.set.dataLen ?? 4 });
            continue;
          }
          out.push({ match: { op: (k.flags ?? 0) & T.NFT_LOOKUP_F_INV ? '!=' : '==', left: left.expr, right } });
          continue;
        }
        case 'immediate': {
          if (k.dreg === T.NFT_REG_VERDICT && k.data?.verdict) { out.push(verdictJson(k.data.verdict)); continue; }
          if (k.dreg !== undefined && k.data?.value) {
            regs.set(slot(k.dreg), { expr: `0x${k.data.value.toString('hex')}`, type: hostInt, len: k.data.value.length, loaded: k.data.value.length, bytes: k.data.value });
            continue;
          }
          break;
        }
        case 'counter':
          out.push({ counter: { packets: Number(k.packets ?? 0), bytes: Number(k.bytes ?? 0) } });
          continue;
        case 'limit': {
          const o = limitJson(k);
          if (!o) break;
          out.push({ limit: o });
          continue;
        }
        case 'quota': {
          const [val, unit] = byteUnit(Number(k.bytes ?? 0));
          const o: Record<string, NftValue> = { val, val_unit: unit };
          if ((k.flags ?? 0) & T.NFT_QUOTA_F_INV) o.inv = true;
          if (k.consumed) { const [u, uu] = byteUnit(Number(k.consumed)); o.used = u; o.used_unit = uu; }
          out.push({ quota: o });
          continue;
        }
        case 'log': {
          const o: Record<string, NftValue> = {};
          if (k.prefix !== undefined) o.prefix = k.prefix;
          if (k.group !== undefined) o.group = k.group.readUInt16BE(0);
          if (k.snaplen !== undefined) o.snaplen = k.snaplen;
          if (k.qthreshold !== undefined) o['queue-threshold'] = k.qthreshold.readUInt16BE(0);
          if (k.level !== undefined && k.level !== 'warn') o.level = k.level;
          if (k.flags) o.flags = (k.flags & LOG_ALL) === LOG_ALL ? 'all' : flagWords(k.flags, LOG_FLAGS);
          out.push({ log: Object.keys(o).length ? o : null });
          continue;
        }
        case 'reject': {
          // The protocol a reject needs (tcp for a reset, the family for icmp) is its dependency.
          consume(k.type === 'tcp reset' ? 'l4' : 'net');
          out.push({ reject: rejectJson(k, net) });
          continue;
        }
        case 'nat': {
          if (typeof k.type !== 'string') break;
          const o: Record<string, NftValue> = {};
          const famName = typeof k.family === 'string' ? k.family : undefined;
          if (ctx.family === 'inet' && famName) o.family = famName;
          const addrType = famName === 'ip6' ? DATATYPES.ipv6_addr! : DATATYPES.ipv4_addr!;
          const a = k.regAddrMin !== undefined ? regs.get(slot(k.regAddrMin)) : undefined;
          const b = k.regAddrMax !== undefined ? regs.get(slot(k.regAddrMax)) : undefined;
          if (a) o.addr = natValue(a, b, addrType);
          const p = k.regProtoMin !== undefined ? regs.get(slot(k.regProtoMin)) : undefined;
          const q = k.regProtoMax !== undefined ? regs.get(slot(k.regProtoMax)) : undefined;
          if (p) o.port = natValue(p, q, DATATYPES.inet_service!);
          const flags = flagWords(k.flags ?? 0, NAT_FLAGS);
          if (flags.length) o.flags = flags.length === 1 ? flags[0]! : flags;
          out.push({ [k.type]: o });
          continue;
        }
        case 'masq':
        case 'redir': {
          const o: Record<string, NftValue> = {};
          const p = k.regProtoMin !== undefined ? regs.get(slot(k.regProtoMin)) : undefined;
          const q = k.regProtoMax !== undefined ? regs.get(slot(k.regProtoMax)) : undefined;
          if (p) o.port = natValue(p, q, DATATYPES.inet_service!);
          const flags = flagWords(k.flags ?? 0, NAT_FLAGS);
          if (flags.length) o.flags = flags.length === 1 ? flags[0]! : flags;
          out.push({ [k.expr === 'masq' ? 'masquerade' : 'redirect']: Object.keys(o).length ? o : null });
          continue;
        }
        case 'objref': {
          if (typeof k.immType !== 'string' || k.immName === undefined) break;
          out.push({ [k.immType]: k.immName });
          continue;
        }
        case 'dynset': {
          const s = k.setName !== undefined ? ctx.sets.get(k.setName) : undefined;
          if (k.sregKey === undefined || k.setName === undefined) break;
          const key = lookupKey(regs, k.sregKey, s?.set);
          if (!key) break;
          const op = ['add', 'update', 'delete'][k.op ?? 0] ?? 'add';
          const elem = k.timeout ? { elem: { val: key.expr, timeout: Math.floor(Number(k.timeout) / 1000) } } : key.expr;
          out.push({ set: { op, elem, set: `@${k.setName}` } });
          continue;
        }
        case 'flow_offload':
          out.push({ flow: { op: 'add', flowtable: `@${k.table ?? ''}` } });
          continue;
        case 'notrack':
          out.push({ notrack: null });
          continue;
        default:
          break;
      }
    }
    out.push({ 'netlink-ts': rawJson(e) });
  }
  return out.filter((x): x is NftValue => x !== undefined);

  function matchOf(r: Reg, op: string, data: Buffer): Record<string, NftValue> {
    if (r.mask) {
      if (r.type.bitmask && op === '!=' && data.every((x) => x === 0)) return { op: 'in', left: r.expr, right: r.type.format(r.mask) };
      const bits = prefixOf(Buffer.alloc(r.mask.length), Buffer.from(r.mask.map((x) => ~x & 0xff)));
      if (bits !== undefined && op === '==' && isAddress(r.type)) {
        return { op, left: r.expr, right: { prefix: { addr: r.type.format(pad(data, r.len)), len: bits } } };
      }
      return { op, left: { '&': [r.expr, r.type.format(r.mask)] }, right: fmt(r, data) };
    }
    if (r.loaded < r.len && isAddress(r.type)) {
      return { op, left: r.expr, right: { prefix: { addr: r.type.format(pad(data, r.len)), len: r.loaded * 8 } } };
    }
    if (r.type.name === 'ifname' && data.length < r.len && data[data.length - 1] !== 0) {
      return { op, left: r.expr, right: `${data.toString('utf8')}*` };
    }
    if (r.type.bitmask && op === '==') return { op, left: r.expr, right: r.type.format(data) };
    return { op, left: r.expr, right: fmt(r, data) };
  }
}

function isAddress(t: Datatype): boolean {
  return t.name === 'ipv4_addr' || t.name === 'ipv6_addr';
}

function pad(b: Buffer, len: number): Buffer {
  if (b.length >= len) return b;
  const out = Buffer.alloc(len);
  b.copy(out);
  return out;
}

function payloadKey(k: Extract<KnownExpr, { expr: 'payload' }>, net: Protocol | undefined, l4: Protocol | undefined): Reg & { layer?: 'net' | 'l4' } {
  const offset = k.offset ?? 0;
  const len = k.len ?? 0;
  const candidates: [Protocol | undefined, 'net' | 'l4' | undefined][] = k.base === 'll' ? [[PROTOCOLS.ether, undefined]]
    : k.base === 'nh' ? [[net, 'net']] : k.base === 'th' ? [[l4, 'l4'], [PROTOCOLS.th, undefined]] : [];
  for (const [p, layer] of candidates) {
    const f = p ? fieldAt(p, offset, len) : undefined;
    if (p && f) {
      const r: Reg & { layer?: 'net' | 'l4' } = { expr: { payload: { protocol: p.name, field: f.name } }, type: f.type, len: f.len, loaded: len };
      if (layer) r.layer = layer;
      if (p.name === 'ip' && f.name === 'protocol') r.selects = 'l4';
      if (p.name === 'ip6' && f.name === 'nexthdr') r.selects = 'l4';
      if (p.name === 'ether' && f.name === 'type') r.selects = 'net';
      return r;
    }
  }
  return { expr: { payload: { base: k.base ?? 0, offset: offset * 8, len: len * 8 } }, type: bigInt, len, loaded: len };
}

function ifindexType(ctx: RuleContext): Datatype {
  const base = DATATYPES.iface_index!;
  if (!ctx.ifname) return base;
  return { ...base, format: (b) => { const n = readUint(b, false); return ctx.ifname!(n) ?? n; } };
}

/** The key of a lookup: one register, or a concatenation over consecutive ones. */
function lookupKey(regs: Map<number, Reg>, sreg: number, set: NftSet | undefined): { expr: NftValue; types: Datatype[] } | undefined {
  const first = regs.get(slot(sreg));
  if (!first) return undefined;
  const keyLen = set?.keyLen ?? first.len;
  if (keyLen <= ((first.loaded + 3) & ~3)) return { expr: first.expr, types: [first.type] };
  const parts: NftValue[] = [];
  const types: Datatype[] = [];
  let at = slot(sreg);
  let covered = 0;
  while (covered < keyLen) {
    const r = regs.get(at);
    if (!r) return undefined;
    parts.push(r.expr);
    types.push(r.type);
    const l = (r.loaded + 3) & ~3;
    if (l === 0) return undefined; // a zero-length load (only a malformed rule has one) would never cover the key
    covered += l;
    at += l / 4;
  }
  return { expr: { concat: parts }, types };
}

/** A set a rule names: `@name`, or an anonymous set's elements in place. */
function setRef(name: string, s: SetWithElements | undefined, leftTypes: readonly Datatype[]): NftValue {
  const flags = s?.set.flags ?? [];
  if (!s || !flags.includes('anonymous')) return `@${name}`;
  return { set: elementsJson(s.elems, elementsView(s.set, leftTypes)) };
}

/** How a set's elements print: by the set's key type, or (anonymous sets) the matched expression's. */
export function elementsView(set: NftSet, leftTypes?: readonly Datatype[]): ElementsView {
  const known = set.keyType !== undefined ? datatypesOfId(set.keyType) : [];
  const types = leftTypes && leftTypes.length > 0 ? leftTypes : known;
  const fieldLens = set.desc?.concat?.map((f) => f.len ?? 0);
  const view: ElementsView = {
    types, fallback: bigInt, interval: (set.flags ?? []).includes('interval'),
    lens: concatLens(types.map((t) => t ?? bigInt), set.keyLen ?? 0, fieldLens),
  };
  if (set.dataType !== undefined) view.dataType = set.dataType === VERDICT_TYPE_ID ? 'verdict' : (datatypesOfId(set.dataType)[0] ?? bigInt);
  return view;
}

function natValue(lo: Reg, hi: Reg | undefined, type: Datatype): NftValue {
  if (!lo.bytes) return lo.expr;
  const a = type.format(lo.bytes);
  if (!hi?.bytes || hi.bytes.equals(lo.bytes)) return a;
  return intervalJson(lo.bytes, hi.bytes, type);
}

function limitJson(k: Extract<KnownExpr, { expr: 'limit' }>): Record<string, NftValue> | undefined {
  if (k.rate === undefined) return undefined;
  const o: Record<string, NftValue> = {};
  const per = periodName(Number(k.unit ?? 1));
  if (k.type === 'bytes') {
    const [rate, unit] = byteUnit(Number(k.rate));
    o.rate = rate; o.rate_unit = unit; o.per = per;
    // Byte limits print their burst even when 0, as nft does.
    const [b, bu] = byteUnit(k.burst ?? 0); o.burst = b; o.burst_unit = bu;
  } else {
    o.rate = Number(k.rate);
    if (k.burst) o.burst = k.burst;
    o.per = per;
  }
  if ((k.flags ?? 0) & T.NFT_LIMIT_F_INV) o.inv = true;
  return o;
}

function rejectJson(k: Extract<KnownExpr, { expr: 'reject' }>, net: Protocol | undefined): NftValue {
  const code = k.code?.[0] ?? 0;
  if (k.type === 'tcp reset') return { type: 'tcp reset' };
  if (k.type === 'icmpx') return { type: 'icmpx', expr: codeName(ICMP_CODES.icmpx, code) };
  const v6 = net?.name === 'ip6';
  return { type: v6 ? 'icmpv6' : 'icmp', expr: codeName(v6 ? ICMP_CODES.icmpv6 : ICMP_CODES.icmp, code) };
}

function codeName(table: Readonly<Record<string, number>>, n: number): NftValue {
  return Object.entries(table).find(([, v]) => v === n)?.[0] ?? n;
}

/** An expression decoded by its set: a raw one always carries its bytes. */
function isKnown(e: Expr): e is KnownExpr {
  return !('raw' in e) || e.raw === undefined;
}

function rawJson(e: Expr): NftValue {
  const o: Record<string, NftValue> = {};
  for (const [k, v] of Object.entries(e)) o[k] = plain(v);
  return o;
}

function plain(v: unknown): NftValue {
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'bigint') return v.toString();
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v as NftValue;
}

