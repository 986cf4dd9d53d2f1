// u32 selectors: each "match" becomes 32-bit value/mask keys at offsets into
// the packet, packed exactly as tc's f_u32.c packs them (a key at an offset
// already used is merged into it). Values here are host-order numbers of the
// big-endian words the kernel compares.
import { describe } from '../../../netlink/describe.js';
import { EncodeError } from '../../../netlink/errors.js';
import { isRecord } from '../../../netlink/narrow.js';
import { parseHw, parsePrefix } from '../../../netlink/ip.js';

/** One u32 key: a 32-bit value and mask at an offset. */
export interface U32Key {
  /** The 32-bit word compared, as a number (bytes in network order). */
  val: number;
  mask: number;
  /** Byte offset of the word from the header start (or the next header's). */
  off: number;
  /** -1: the offset is relative to the next header ("nexthdr+"), 0 otherwise. */
  offmask: number;
}

/** Where a match looks: a byte offset, or 'nexthdr+N' (relative to the transport header). */
export type U32At = number | string;

/** One tc "match", in tc's words: `match ip dst 198.18.0.0/16` is { ip: 'dst', value: '198.18.0.0/16' }. */
export type U32Match =
  | { u32: number; mask?: number; at?: U32At }
  | { u16: number; mask?: number; at?: U32At }
  | { u8: number; mask?: number; at?: U32At }
  | { ip: 'src' | 'dst'; value: string; at?: U32At }
  | { ip: 'tos' | 'dsfield' | 'precedence' | 'ihl' | 'protocol' | 'sport' | 'dport' | 'icmp_type' | 'icmp_code'; value: number; mask?: number; at?: U32At }
  | { ip: 'nofrag' | 'firstfrag' | 'df' | 'mf' }
  | { ip6: 'src' | 'dst'; value: string; at?: U32At }
  | { ip6: 'priority' | 'protocol' | 'flowlabel' | 'sport' | 'dport' | 'icmp_type' | 'icmp_code'; value: number; mask?: number; at?: U32At }
  | { tcp: 'src' | 'dst'; value: number; mask?: number; at?: U32At }
  | { udp: 'src' | 'dst'; value: number; mask?: number; at?: U32At }
  | { icmp: 'type' | 'code'; value: number; mask?: number; at?: U32At }
  | { ether: 'src' | 'dst'; value: string; at?: U32At }
  | { mark: number; mask?: number };

export class U32Selector {
  readonly keys: U32Key[] = [];

  constructor(private readonly path: string) {}

  /** tc's pack_key: merge with a key at the same offset or append one (at most 128). */
  pack(key: number, mask: number, off: number, offmask: number, path = this.path): void {
    key = (key & mask) >>> 0;
    for (const k of this.keys) {
      if (k.off === off && k.offmask === offmask) {
        const intersect = (mask & k.mask) >>> 0;
        if (((key ^ k.val) & intersect) >>> 0) throw new EncodeError(path, 'this match contradicts an earlier one at the same offset');
        k.val = (k.val | key) >>> 0;
        k.mask = (k.mask | mask) >>> 0;
        return;
      }
    }
    if (this.keys.length >= 128) throw new EncodeError(path, 'at most 128 u32 keys');
    if (off % 4) throw new EncodeError(path, `offset ${off} is not a multiple of 4`);
    this.keys.push({ val: key, mask: mask >>> 0, off, offmask });
  }

  pack16(key: number, mask: number, off: number, offmask: number, path: string): void {
    if (key > 0xffff || mask > 0xffff) throw new EncodeError(path, 'value and mask must fit 16 bits');
    if ((off & 3) === 0) { key *= 0x10000; mask *= 0x10000; }
    this.pack(key, mask, off & ~3, offmask, path);
  }

  pack8(key: number, mask: number, off: number, offmask: number, path: string): void {
    if (key > 0xff || mask > 0xff) throw new EncodeError(path, 'value and mask must fit 8 bits');
    const shift = [24, 16, 8, 0][off & 3]!;
    this.pack(key * 2 ** shift, mask * 2 ** shift, off & ~3, offmask, path);
  }

  /** Adds one match (a U32Match; checked here), as parse_selector would. */
  add(m: unknown, path: string): void {
    if (!isRecord(m)) throw new EncodeError(path, `expected a match like { ip: 'dst', value: '10.0.0.0/8' }, got ${describe(m)}`);
    const o: Record<string, unknown> = m;
    if ('u32' in o) return this.raw(32, o, path);
    if ('u16' in o) return this.raw(16, o, path);
    if ('u8' in o) return this.raw(8, o, path);
    if ('ip' in o) return this.ip(o, path);
    if ('ip6' in o) return this.ip6(o, path);
    if ('tcp' in o || 'udp' in o) {
      const w = o.tcp ?? o.udp;
      if (w !== 'src' && w !== 'dst') throw new EncodeError(path, `${'tcp' in o ? 'tcp' : 'udp'} matches src or dst`);
      return this.num(16, o, w === 'src' ? 0 : 2, -1, path);
    }
    if ('icmp' in o) {
      if (o.icmp !== 'type' && o.icmp !== 'code') throw new EncodeError(path, 'icmp matches type or code');
      return this.num(8, o, o.icmp === 'type' ? 0 : 1, -1, path);
    }
    if ('ether' in o) return this.ether(o, path);
    if ('mark' in o) return; // a TCA_U32_MARK attribute, not a key
    throw new EncodeError(path, `unknown match ${describe(Object.keys(o)[0])} (u32, u16, u8, ip, ip6, tcp, udp, icmp, ether, mark)`);
  }

  private raw(bits: 8 | 16 | 32, o: Record<string, unknown>, path: string): void {
    const key = uint(o[`u${bits}`], bits, `${path}.u${bits}`);
    const mask = o.mask === undefined ? 2 ** bits - 1 : uint(o.mask, bits, `${path}.mask`);
    const [off, offmask] = at(o.at, 0, 0, path);
    if (bits === 32) this.pack(key, mask, off, offmask, path);
    else if (bits === 16) this.pack16(key, mask, off, offmask, path);
    else this.pack8(key, mask, off, offmask, path);
  }

  /** A u8/u16 field at a fixed place (ip protocol, ports...), with an optional `at`. */
  private num(bits: 8 | 16 | 32, o: Record<string, unknown>, off0: number, offmask0: number, path: string): void {
    const key = uint(o.value, bits, `${path}.value`);
    const mask = o.mask === undefined ? 2 ** bits - 1 : uint(o.mask, bits, `${path}.mask`);
    const [off, offmask] = at(o.at, off0, offmask0, path);
    if (bits === 32) this.pack(key, mask, off, offmask, path);
    else if (bits === 16) this.pack16(key, mask, off, offmask, path);
    else this.pack8(key, mask, off, offmask, path);
  }

  private ip(o: Record<string, unknown>, path: string): void {
    switch (o.ip) {
      case 'src': case 'dst': {
        const p = parsePrefix(o.value, `${path}.value`, 4);
        const [off, offmask] = at(o.at, o.ip === 'src' ? 12 : 16, 0, path);
        const mask = p.length ? (0xffffffff * 2 ** (32 - p.length)) % 2 ** 32 : 0;
        this.pack(p.bytes.readUInt32BE(0), mask, off, offmask, path);
        return;
      }
      case 'tos': case 'dsfield': case 'precedence': return this.num(8, o, 1, 0, path);
      case 'ihl': return this.num(8, o, 0, 0, path);
      case 'protocol': return this.num(8, o, 9, 0, path);
      case 'nofrag': return this.pack16(0, 0x3fff, 6, 0, path);
      case 'firstfrag': return this.pack16(0x2000, 0x3fff, 6, 0, path);
      case 'df': return this.pack16(0x4000, 0x4000, 6, 0, path);
      case 'mf': return this.pack16(0x2000, 0x2000, 6, 0, path);
      case 'dport': return this.num(16, o, 22, 0, path);
      case 'sport': return this.num(16, o, 20, 0, path);
      case 'icmp_type': return this.num(8, o, 20, 0, path);
      case 'icmp_code': return this.num(8, o, 21, 0, path);
      default: throw new EncodeError(`${path}.ip`, `unknown ip match ${describe(o.ip)} (src, dst, tos, dsfield, precedence, ihl, protocol, nofrag, firstfrag, df, mf, sport, dport, icmp_type, icmp_code)`);
    }
  }

  private ip6(o: Record<string, unknown>, path: string): void {
    switch (o.ip6) {
      case 'src': case 'dst': {
        const p = parsePrefix(o.value, `${path}.value`, 6);
        const [off, offmask] = at(o.at, o.ip6 === 'src' ? 8 : 24, 0, path);
        for (let i = 0; i < p.length; i += 32) {
          const word = p.bytes.readUInt32BE(i / 8);
          const mask = i + 31 < p.length ? 0xffffffff : (0xffffffff * 2 ** (32 - (p.length - i))) % 2 ** 32;
          this.pack(word, mask, off + 4 * (i / 32), offmask, path);
        }
        return;
      }
      case 'priority': {
        const key = uint(o.value, 8, `${path}.value`);
        const mask = o.mask === undefined ? 0xff : uint(o.mask, 8, `${path}.mask`);
        this.pack(key * 2 ** 20, mask * 2 ** 20, 0, 0, path);
        return;
      }
      case 'protocol': return this.num(8, o, 6, 0, path);
      case 'flowlabel': return this.num(32, o, 0, 0, path);
      case 'dport': return this.num(16, o, 42, 0, path);
      case 'sport': return this.num(16, o, 40, 0, path);
      case 'icmp_type': return this.num(8, o, 40, 0, path);
      case 'icmp_code': return this.num(8, o, 41, 1, path);
      default: throw new EncodeError(`${path}.ip6`, `unknown ip6 match ${describe(o.ip6)} (src, dst, priority, protocol, flowlabel, sport, dport, icmp_type, icmp_code)`);
    }
  }

  private ether(o: Record<string, unknown>, path: string): void {
    if (o.ether !== 'src' && o.ether !== 'dst') throw new EncodeError(`${path}.ether`, 'ether matches src or dst');
    const mac = parseHw(o.value, `${path}.value`, 6);
    const [off, offmask] = at(o.at, o.ether === 'src' ? -8 : -14, 0, path);
    for (let i = 0; i < 6; i++) this.pack8(mac[i]!, 0xff, off + i, offmask, path);
  }
}

function uint(v: unknown, bits: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new EncodeError(path, `expected a ${bits}-bit unsigned number, got ${describe(v)}`);
  return v;
}

/** tc's parse_at: "at N" or "at nexthdr+N". */
function at(v: unknown, off: number, offmask: number, path: string): [number, number] {
  if (v === undefined) return [off, offmask];
  if (typeof v === 'number' && Number.isInteger(v)) return [v, offmask];
  if (typeof v === 'string') {
    const m = /^(nexthdr\+)?(-?(?:0x[0-9a-f]+|\d+))$/i.exec(v);
    if (m) return [Number(m[2]!.startsWith('-') ? -Number(m[2]!.slice(1)) : m[2]), m[1] ? -1 : offmask];
  }
  throw new EncodeError(`${path}.at`, `expected an offset or "nexthdr+N", got ${describe(v)}`);
}

/** tc's u32_hash_fold: the masked value shifted down to the mask's lowest bit (for "sample"). */
export function hashFold(k: U32Key): number {
  if (!k.mask) return (k.val & k.mask) >>> 0;
  let shift = 0;
  while (!((k.mask >>> shift) & 1)) shift++;
  return ((k.val & k.mask) >>> 0) >>> shift;
}
