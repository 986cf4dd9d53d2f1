// Integer kinds of the wire format and their range checks. Encoding rejects
// anything that would not survive the trip exactly: fractions, out-of-range
// values, unsafe JS numbers for 64-bit fields (pass a bigint instead).
import { describe } from './describe.js';
import { EncodeError } from './errors.js';

/** The largest u32 (tc's UINT32_MAX): probabilities and "unlimited" in kernel structs. */
export const UINT32_MAX = 0xffffffff;

/** An integer's width, signedness and byte order. */
export type IntKind = 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'be16' | 'be32' | 'be64';

export const INT_SIZE: Record<IntKind, number> = {
  u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8, be16: 2, be32: 4, be64: 8,
};

const RANGE: Record<IntKind, readonly [bigint, bigint]> = {
  u8: [0n, 0xffn], u16: [0n, 0xffffn], u32: [0n, 0xffffffffn], u64: [0n, 0xffffffffffffffffn],
  s8: [-0x80n, 0x7fn], s16: [-0x8000n, 0x7fffn], s32: [-0x80000000n, 0x7fffffffn],
  s64: [-0x8000000000000000n, 0x7fffffffffffffffn],
  be16: [0n, 0xffffn], be32: [0n, 0xffffffffn], be64: [0n, 0xffffffffffffffffn],
};

/** The same bounds as JS numbers, for the common case (no bigint arithmetic on the hot path). */
const NUM_RANGE = Object.fromEntries(Object.entries(RANGE).map(([k, [lo, hi]]) => [k, [
  Math.max(Number(lo), Number.MIN_SAFE_INTEGER), Math.min(Number(hi), Number.MAX_SAFE_INTEGER),
]])) as unknown as Record<IntKind, readonly [number, number]>;

/** The range of a kind as JS numbers (safe integers), for encoders that check inline before calling checkInt. */
export function intRange(kind: IntKind): readonly [number, number] {
  return NUM_RANGE[kind];
}

/** Throws EncodeError unless v is an exact integer that fits `kind`. Returns it unchanged. */
export function checkInt(kind: IntKind, v: unknown, path: string): number | bigint {
  if (typeof v === 'number') {
    const r = NUM_RANGE[kind];
    if (v >= r[0] && v <= r[1] && Number.isInteger(v)) return v;
  }
  const [lo, hi] = RANGE[kind];
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new EncodeError(path, `${describe(v)} is not an integer (${kind})`);
    if (!Number.isSafeInteger(v)) throw new EncodeError(path, `${v} is beyond exact JS numbers; pass a bigint (${kind})`);
    if (v < Number(lo) || v > Number(hi)) throw new EncodeError(path, `${v} is out of range for ${kind} (${lo}..${hi})`);
    return v;
  }
  if (typeof v === 'bigint') {
    if (v < lo || v > hi) throw new EncodeError(path, `${v}n is out of range for ${kind} (${lo}..${hi})`);
    return v;
  }
  throw new EncodeError(path, `expected an integer (${kind}), got ${describe(v)}`);
}

/** Writes an already-checked integer at off. */
export function writeInt(buf: Buffer, off: number, kind: IntKind, v: number | bigint): void {
  switch (kind) {
    case 'u8': buf[off] = Number(v); return;
    case 's8': buf.writeInt8(Number(v), off); return;
    case 'u16': buf.writeUInt16LE(Number(v), off); return;
    case 's16': buf.writeInt16LE(Number(v), off); return;
    case 'u32': buf.writeUInt32LE(Number(v), off); return;
    case 's32': buf.writeInt32LE(Number(v), off); return;
    case 'u64': buf.writeBigUInt64LE(BigInt(v), off); return;
    case 's64': buf.writeBigInt64LE(BigInt(v), off); return;
    case 'be16': buf.writeUInt16BE(Number(v), off); return;
    case 'be32': buf.writeUInt32BE(Number(v), off); return;
    case 'be64': buf.writeBigUInt64BE(BigInt(v), off); return;
  }
}

/**
 * Reads an integer as a JS number. 64-bit values are exact below 2^53, which
 * covers every counter and rate in practice (9 PB, 9 Pbit/s); beyond that they
 * round. Encoders accept a bigint for the full range.
 */
export function readInt(buf: Buffer, off: number, kind: IntKind): number {
  switch (kind) {
    case 'u8': return buf[off]!;
    case 's8': return buf.readInt8(off);
    case 'u16': return buf.readUInt16LE(off);
    case 's16': return buf.readInt16LE(off);
    case 'u32': return buf.readUInt32LE(off);
    case 's32': return buf.readInt32LE(off);
    case 'u64': return readU64(buf, off);
    case 's64': return buf.readInt32LE(off + 4) * 0x100000000 + buf.readUInt32LE(off);
    case 'be16': return buf.readUInt16BE(off);
    case 'be32': return buf.readUInt32BE(off);
    case 'be64': return buf.readUInt32BE(off) * 0x100000000 + buf.readUInt32BE(off + 4);
  }
}

/** Reads a little-endian u64 as a number (see readInt). */
export function readU64(buf: Buffer, off: number): number {
  return buf.readUInt32LE(off) + buf.readUInt32LE(off + 4) * 0x100000000;
}
