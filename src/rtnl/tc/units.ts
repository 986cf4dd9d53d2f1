// Rates, sizes, times and percentages as tc reads them ('1mbit', '100kbps',
// '10kb', '1.5mb', '100ms', '50us', '5%'), computed the way tc computes them
// (the same doubles, the same truncations) so encoded bytes match tc's.
// Numbers given directly are exact: bytes per second, bytes, microseconds
// (nanoseconds for the 64-bit times), percent.
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';

/** Bytes per second, or tc's text ('10mbit', '1gbit', '100kbps', '5%'). */
export type Rate = number | bigint | string;
/** Bytes, or tc's text ('1500', '10kb', '1.5mb', '64kbit'). */
export type Size = number | string;
/** Microseconds, or tc's text ('100ms', '50us', '1s'). */
export type Time = number | string;
/** Nanoseconds, or tc's text ('100ms', '50us', '10ns'). */
export type Time64 = number | bigint | string;
/** Percent (0–100), or text ('1%', '0.5%', '1'). */
export type Percent = number | string;

/** What encoders may need from outside: the device's speed for percentage rates. */
export interface UnitContext {
  /** The device's speed in Mbit/s (as /sys/class/net/DEV/speed says), for rates like '5%'. */
  speedMbit?: () => number;
}

// strtod's decimal syntax, and its hexadecimal integers (`limit 0x10`, as tc takes them); not inf.
const NUMBER = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(.*)$/i;
const HEX_NUMBER = /^([+-]?)0x([0-9a-f]+)(.*)$/i;

function split(v: string, path: string, what: string): [number, string] {
  const h = HEX_NUMBER.exec(v.trim());
  if (h) return [(h[1] === '-' ? -1 : 1) * parseInt(h[2]!, 16), h[3]!];
  const m = NUMBER.exec(v.trim());
  if (!m) throw new EncodeError(path, `${what} "${v}" does not start with a number`);
  return [Number(m[1]), m[2]!];
}

// lib/utils_math.c, compared case-insensitively as tc does.
const RATE_UNITS: Record<string, number> = {
  bit: 1, kibit: 1024, kbit: 1000, mibit: 1024 * 1024, mbit: 1000000, gibit: 1024 * 1024 * 1024, gbit: 1000000000,
  tibit: 1024 * 1024 * 1024 * 1024, tbit: 1000000000000, bps: 8, kibps: 8 * 1024, kbps: 8000, mibps: 8 * 1024 * 1024,
  mbps: 8000000, gibps: 8 * 1024 * 1024 * 1024, gbps: 8000000000, tibps: 8 * 1024 * 1024 * 1024 * 1024, tbps: 8000000000000,
};
const RATE_HELP = 'bit, kbit, mbit, gbit, tbit, kibit..tibit, bps, kbps, mbps, gbps, tbps, kibps..tibps, or N%';

const U64_MAX = 2 ** 64;

/**
 * A rate in bytes per second, as tc's get_rate64 (or get_percent_rate64 for
 * 'N%', which needs the device's speed). Zero and negative rates are errors.
 */
export function parseRate(v: unknown, path: string, ctx: UnitContext = {}): number {
  let bytes: number;
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (typeof v === 'bigint' && v > BigInt(Number.MAX_SAFE_INTEGER)) throw new EncodeError(path, `rate ${v}n is beyond exact JS numbers`);
    const n = Number(v);
    if (!Number.isInteger(n)) throw new EncodeError(path, `rate ${n} is not a whole number of bytes per second`);
    bytes = n;
  } else if (typeof v === 'string') {
    bytes = v.includes('%') ? percentRate(v, path, ctx) : textRate(v, path);
  } else {
    throw new EncodeError(path, `expected a rate ('10mbit' or bytes per second), got ${describe(v)}`);
  }
  if (bytes < 0) throw new EncodeError(path, `rate ${describe(v)} is negative`);
  if (bytes === 0) throw new EncodeError(path, `rate ${describe(v)} is zero`);
  if (!Number.isSafeInteger(bytes)) throw new EncodeError(path, `rate ${describe(v)} overflows (more than 2^53 bytes per second)`);
  return bytes;
}

/** A rate that must fit 32 bits (fq's maxrate, tbf's legacy fields): tc's get_rate. */
export function parseRate32(v: unknown, path: string, ctx: UnitContext = {}): number {
  const r = parseRate(v, path, ctx);
  if (r > 0xffffffff) throw new EncodeError(path, `rate ${describe(v)} does not fit 32 bits (${r} bytes/s)`);
  return r;
}

function textRate(v: string, path: string): number {
  const [num, suffix] = split(v, path, 'rate');
  let bps = num;
  if (suffix !== '') {
    const scale = RATE_UNITS[suffix.toLowerCase()];
    if (scale === undefined) throw new EncodeError(path, `rate "${v}": unknown unit "${suffix}" (${RATE_HELP})`);
    bps *= scale;
  }
  if (num < 0) throw new EncodeError(path, `rate "${v}" is negative`);
  bps /= 8;
  if (bps >= U64_MAX) throw new EncodeError(path, `rate "${v}" overflows 64 bits`);
  return Math.trunc(bps);
}

function percentRate(v: string, path: string, ctx: UnitContext): number {
  const m = /^([0-9.]+)%$/.exec(v.trim());
  if (!m) throw new EncodeError(path, `rate "${v}" is not a percentage like 5%`);
  const perc = Number(m[1]) / 100;
  if (!Number.isFinite(perc) || perc < 0 || perc > 1) throw new EncodeError(path, `rate "${v}" must be between 0% and 100%`);
  if (!ctx.speedMbit) throw new EncodeError(path, `rate "${v}" is relative to the device's speed, which is not known here`);
  const speed = ctx.speedMbit();
  if (!(speed > 0)) throw new EncodeError(path, `rate "${v}": the device reports no speed`);
  // tc prints the bit rate with "%lf" and parses that string again.
  return textRate((perc * speed * 1000 * 1000).toFixed(6), path);
}

/** A size in bytes, as tc's get_size (kb = 1024, mb = 1024², kbit = 128...). */
export function parseSize(v: unknown, path: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodeError(path, `size ${v} is not a byte count from 0 to 2^32-1`);
    return v;
  }
  if (typeof v !== 'string') throw new EncodeError(path, `expected a size ('10kb' or bytes), got ${describe(v)}`);
  const [num, suffix] = split(v, path, 'size');
  let sz = num;
  switch (suffix.toLowerCase()) {
    case '': case 'b': break;
    case 'k': case 'kb': sz *= 1024; break;
    case 'm': case 'mb': sz *= 1024 * 1024; break;
    case 'g': case 'gb': sz *= 1024 * 1024 * 1024; break;
    case 'kbit': sz *= 1024 / 8; break;
    case 'mbit': sz *= (1024 * 1024) / 8; break;
    case 'gbit': sz *= (1024 * 1024 * 1024) / 8; break;
    default: throw new EncodeError(path, `size "${v}": unknown unit "${suffix}" (b, kb, mb, gb, kbit, mbit, gbit)`);
  }
  if (sz < 0) throw new EncodeError(path, `size "${v}" is negative`);
  if (sz > 0xffffffff) throw new EncodeError(path, `size "${v}" overflows 32 bits`);
  if (sz !== Math.floor(sz)) throw new EncodeError(path, `size "${v}" is not a whole number of bytes`);
  return sz;
}

/** A time in microseconds, as tc's get_time (no unit means microseconds). */
export function parseTime(v: unknown, path: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodeError(path, `time ${v} is not a whole number of microseconds from 0 to 2^32-1`);
    return v;
  }
  if (typeof v !== 'string') throw new EncodeError(path, `expected a time ('100ms' or microseconds), got ${describe(v)}`);
  const [num, suffix] = split(v, path, 'time');
  let t = num;
  switch (suffix.toLowerCase()) {
    case '': case 'us': case 'usec': case 'usecs': break;
    case 's': case 'sec': case 'secs': t *= 1000000; break;
    case 'ms': case 'msec': case 'msecs': t *= 1000; break;
    default: throw new EncodeError(path, `time "${v}": unknown unit "${suffix}" (s, ms, us)`);
  }
  if (t < 0) throw new EncodeError(path, `time "${v}" is negative`);
  if (t >= 2 ** 32) throw new EncodeError(path, `time "${v}" overflows 32 bits of microseconds`);
  return Math.trunc(t);
}

/** A time in nanoseconds, as tc's get_time64 (no unit means nanoseconds). */
export function parseTime64(v: unknown, path: string): number {
  if (typeof v === 'number' || typeof v === 'bigint') {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new EncodeError(path, `time ${describe(v)} is not a whole number of nanoseconds`);
    return n;
  }
  if (typeof v !== 'string') throw new EncodeError(path, `expected a time ('10ms' or nanoseconds), got ${describe(v)}`);
  const [num, suffix] = split(v, path, 'time');
  let t = num;
  switch (suffix.toLowerCase()) {
    case '': case 'ns': case 'nsec': case 'nsecs': break;
    case 'us': case 'usec': case 'usecs': t *= 1000; break;
    case 'ms': case 'msec': case 'msecs': t *= 1000000; break;
    case 's': case 'sec': case 'secs': t *= 1000000000; break;
    default: throw new EncodeError(path, `time "${v}": unknown unit "${suffix}" (s, ms, us, ns)`);
  }
  if (t < 0) throw new EncodeError(path, `time "${v}" is negative`);
  if (t > Number.MAX_SAFE_INTEGER) throw new EncodeError(path, `time "${v}" overflows`);
  return Math.trunc(t);
}

/**
 * A probability as a fraction 0..1, as tc's parse_percent ('1%', '1' and 1
 * all mean one percent). Outside 0–100% is an error.
 */
export function parsePercent(v: unknown, path: string): number {
  let per: number;
  if (typeof v === 'number') {
    per = v / 100;
  } else if (typeof v === 'string') {
    const [num, suffix] = split(v, path, 'percentage');
    if (suffix !== '' && suffix !== '%') throw new EncodeError(path, `percentage "${v}" has a stray "${suffix}"`);
    per = num / 100;
  } else {
    throw new EncodeError(path, `expected a percentage ('1%' or a number of percent), got ${describe(v)}`);
  }
  if (!Number.isFinite(per) || per < 0 || per > 1) throw new EncodeError(path, `probability ${describe(v)} is outside 0–100%`);
  return per;
}
