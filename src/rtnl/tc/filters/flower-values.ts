// The values flower matches on, spelled as tc 6.1 spells them both ways:
// "value/mask" numbers with each field's own number base (f_flower.c reads
// ip_tos in decimal or hex, its mask in hex, tcp_flags in hex...), addresses
// with a prefix length or a mask, MAC addresses with a bit count or a mask,
// port ranges, conntrack states. Parsing is for the encoder (bad input is an
// EncodeError naming the field); formatting is for the decoder and printer.
import * as K from '../../../generated/linux/pkt_cls.js';
import { describe } from '../../../netlink/describe.js';
import { EncodeError } from '../../../netlink/errors.js';
import { formatHw, formatIP, parseHw, parseIPv4, parseIPv6 } from '../../../netlink/ip.js';
import { parseUnsigned } from '../../words.js';

/** A number matched under a mask: a plain number means every bit counts. */
export type Masked = number | { value: number; mask: number };

export interface MaskedRule {
  bits: 8 | 16 | 32;
  /** strtoul base of the value, and of the mask (f_flower.c's choices per field). */
  base: 0 | 10 | 16;
  maskBase: 0 | 10 | 16;
  /** ip_tos/ip_ttl: a value not read in decimal is tried in hex. */
  hexFallback?: boolean;
  /** Highest value allowed (vlan_prio: 7; tcp_flags: 0xfff). */
  max?: number;
  /** Mask when none is given (tcp_flags: 0xfff). */
  fullMask?: number;
}

const ALL = (bits: number): number => bits === 32 ? 0xffffffff : (1 << bits) - 1;

function numberIn(text: string, base: 0 | 10 | 16, max: number, path: string, what: string): number {
  const n = parseUnsigned(text, base);
  if (n === undefined || n > max) throw new EncodeError(path, `${what} "${text}" is not a number from 0 to ${max}${base === 16 ? ' (hex)' : ''}`);
  return n;
}

/** A masked number from a number, `{ value, mask }`, or tc's "value/mask" text. */
export function parseMasked(v: unknown, rule: MaskedRule, path: string): { value: number; mask: number } {
  const all = ALL(rule.bits);
  const max = rule.max ?? all;
  const full = rule.fullMask ?? all;
  const check = (n: unknown, top: number, p: string): number => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > top) throw new EncodeError(p, `expected a whole number from 0 to ${top}, got ${describe(n)}`);
    return n;
  };
  if (typeof v === 'number') return { value: check(v, max, path), mask: full };
  if (typeof v === 'object' && v !== null && 'value' in v && 'mask' in v) return { value: check(v.value, max, `${path}.value`), mask: check(v.mask, all, `${path}.mask`) };
  if (typeof v !== 'string') throw new EncodeError(path, `expected a number, { value, mask } or "value/mask", got ${describe(v)}`);
  const [val, mask, extra] = v.split('/');
  if (val === undefined || extra !== undefined) throw new EncodeError(path, `"${v}" is not "value" or "value/mask"`);
  let value: number;
  try {
    value = numberIn(val, rule.base, max, path, 'value');
  } catch (e) {
    if (!rule.hexFallback) throw e;
    value = numberIn(val, 16, max, path, 'value');
  }
  return { value, mask: mask === undefined ? full : numberIn(mask, rule.maskBase, all, path, 'mask') };
}

/** The decoded form: a plain number when the mask is full. */
export function masked(value: number, mask: number | undefined, full: number): Masked {
  return mask === undefined || mask === full ? value : { value, mask };
}

export function maskedParts(m: Masked, full: number): { value: number; mask: number } {
  return typeof m === 'number' ? { value: m, mask: full } : m;
}

/** How many leading one bits, or -1 when the mask has a hole (tc's __mask_bits). */
export function maskBits(mask: Uint8Array): number {
  let bits = 0;
  let hole = false;
  for (const byte of mask) {
    for (let j = 7; j >= 0; j--) {
      if ((byte >> j) & 1) {
        if (hole) return -1;
        bits++;
      } else if (bits) {
        hole = true;
      } else {
        return -1;
      }
    }
  }
  return bits;
}

/** "addr", "addr/bits" or "addr/mask" as tc prints an address under its mask. */
export function formatMaskedAddr(addr: Uint8Array, mask: Uint8Array | undefined, hw: boolean): string {
  const fmt = (b: Uint8Array): string => hw ? formatHw(b) : formatIP(b);
  if (!mask || mask.length !== addr.length) return fmt(addr);
  const bits = maskBits(mask);
  if (bits < 0) return `${fmt(addr)}/${fmt(mask)}`;
  return bits < addr.length * 8 ? `${fmt(addr)}/${bits}` : fmt(addr);
}

/** A prefix mask of `bits` ones over `len` bytes. */
function prefixMask(len: number, bits: number): Buffer {
  const m = Buffer.alloc(len);
  for (let i = 0; i < bits; i++) m[i >> 3]! |= 0x80 >> (i & 7);
  return m;
}

/** An IP address with an optional "/len" (tc's get_prefix; the host bits are sent as given). family 0: either. */
export function parseMaskedIp(v: unknown, family: 0 | 4 | 6, path: string): { addr: Buffer; mask: Buffer } {
  if (typeof v !== 'string') throw new EncodeError(path, `expected an address like "198.18.0.1" or "fd00::/64", got ${describe(v)}`);
  const slash = v.indexOf('/');
  const text = slash < 0 ? v : v.slice(0, slash);
  const addr = family === 6 ? parseIPv6(text) : family === 4 ? parseIPv4(text) : parseIPv4(text) ?? parseIPv6(text);
  if (!addr) throw new EncodeError(path, `"${text}" is not an IPv${family || '4 or IPv6'} address${family ? ' (the protocol says which)' : ''}`);
  const max = addr.length * 8;
  let bits = max;
  if (slash >= 0) {
    const tail = v.slice(slash + 1);
    const n = /^\d{1,3}$/.test(tail) ? Number(tail) : NaN;
    if (!(n <= max)) throw new EncodeError(path, `prefix length "${tail}" is not 0..${max}`);
    bits = n;
  }
  return { addr, mask: prefixMask(addr.length, bits) };
}

/** A MAC address with an optional "/bits" or "/mask" (tc's flower_parse_eth_addr). */
export function parseMaskedMac(v: unknown, path: string): { addr: Buffer; mask: Buffer } {
  if (typeof v !== 'string') throw new EncodeError(path, `expected a MAC address like "02:00:00:00:00:01[/mask]", got ${describe(v)}`);
  const [a, m, extra] = v.split('/');
  if (a === undefined || extra !== undefined) throw new EncodeError(path, `"${v}" is not "mac" or "mac/mask"`);
  const addr = parseHw(a, path, 6);
  if (m === undefined) return { addr, mask: Buffer.alloc(6, 0xff) };
  if (/^\d+$/.test(m)) {
    const bits = Number(m);
    if (bits > 48) throw new EncodeError(path, `mask length ${bits} is more than 48 bits`);
    return { addr, mask: prefixMask(6, bits) };
  }
  return { addr, mask: parseHw(m, path, 6) };
}

/** A port, "min-max" range, or masked port, as tc's flower_parse_port reads them. */
export type PortMatch = Masked | { min: number; max: number };

export function parsePort(v: unknown, path: string): { value: number; mask?: number } | { min: number; max: number } {
  if (typeof v === 'object' && v !== null && 'min' in v && 'max' in v) {
    const { min, max } = v;
    if (typeof min !== 'number' || typeof max !== 'number' || !Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 0xffff) {
      throw new EncodeError(path, `a port range is two ports from 1 to 65535, got ${describe(v)}`);
    }
    if (max <= min) throw new EncodeError(path, 'max value should be greater than min value');
    return { min, max };
  }
  if (typeof v === 'string' && /^\d+-\d+$/.test(v)) {
    const [min, max] = v.split('-').map(Number);
    return parsePort({ min, max }, path);
  }
  if (typeof v === 'string' && v.includes('/')) return parseMasked(v, { bits: 16, base: 0, maskBase: 0 }, path);
  // A single port without a mask is sent alone: the kernel takes it as fully masked.
  const p = parseMasked(v, { bits: 16, base: 10, maskBase: 10 }, path);
  if (typeof v === 'object') return p;
  if (p.value === 0) throw new EncodeError(path, 'port 0 matches nothing; give a port from 1 to 65535');
  return { value: p.value };
}

// ── conntrack state: "+trk+est-rel" ──

// In tc's order (the order it prints them).
export const CT_STATES: readonly (readonly [string, number])[] = [
  ['trk', K.TCA_FLOWER_KEY_CT_FLAGS_TRACKED], ['new', K.TCA_FLOWER_KEY_CT_FLAGS_NEW], ['est', K.TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED],
  ['rel', K.TCA_FLOWER_KEY_CT_FLAGS_RELATED], ['inv', K.TCA_FLOWER_KEY_CT_FLAGS_INVALID], ['rpl', K.TCA_FLOWER_KEY_CT_FLAGS_REPLY],
];

export function parseCtState(v: unknown, path: string): { value: number; mask: number } {
  if (typeof v !== 'string') throw new EncodeError(path, `expected a state like "+trk+est", got ${describe(v)}`);
  let value = 0;
  let mask = 0;
  let at = 0;
  while (at < v.length) {
    const sign = v[at];
    const hit = CT_STATES.find(([name]) => v.startsWith(name, at + 1));
    if ((sign !== '+' && sign !== '-') || !hit) throw new EncodeError(path, `"${v}" is not a conntrack state like "+trk+est" (flags: ${CT_STATES.map(([n]) => n).join(', ')})`);
    if (sign === '+') value |= hit[1];
    mask |= hit[1];
    at += hit[0].length + 1;
  }
  return { value, mask };
}

export function formatCtState(value: number, mask: number | undefined): string {
  const m = mask ?? 0xffff;
  return CT_STATES.filter(([, f]) => m & f).map(([name, f]) => `${value & f ? '+' : '-'}${name}`).join('');
}

/** ct_label: up to 16 bytes of hex, optionally "/mask". */
export function parseCtLabel(v: unknown, path: string): { value: Buffer; mask: Buffer } {
  if (typeof v !== 'string') throw new EncodeError(path, `expected hex like "0a0b/ffff", got ${describe(v)}`);
  const [val, m] = v.split('/');
  const hex = (s: string | undefined): Buffer => {
    if (s === undefined || !/^([0-9a-f]{2}){0,16}$/i.test(s)) throw new EncodeError(path, `"${s}" is not up to 32 hex digits`);
    return Buffer.from(s, 'hex');
  };
  return { value: hex(val), mask: m === undefined ? Buffer.alloc(16, 0xff) : hex(m) };
}

export function formatCtLabel(value: Buffer, mask: Buffer | undefined): string {
  const full = value.length === 16 && mask !== undefined && mask.subarray(0, 16).every((b) => b === 0xff);
  return full || !mask ? value.toString('hex') : `${value.toString('hex')}/${mask.subarray(0, value.length).toString('hex')}`;
}
