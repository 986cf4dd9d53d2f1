// The YNL attribute types that rtnetlink's codecs (src/netlink/codec.ts) do
// not cover: variable-width integers (uint/sint), bitfield32, indexed arrays,
// pad, and the spec's `checks` applied before anything is sent.
import { describe } from '../netlink/describe.js';
import type { Codec } from '../netlink/codec.js';
import { EncodeError } from '../netlink/errors.js';
import { checkInt } from '../netlink/ints.js';
import { NLA_F_NESTED } from '../generated/linux/netlink.js';
import type { YnlChecks } from './spec.js';

/** NLA_UINT / NLA_SINT: 4 bytes when the value fits, else 8; read at either width. */
function variableInt(signed: boolean): Codec<number | bigint, number | bigint> {
  const kind = signed ? 's64' : 'u64';
  return {
    name: signed ? 'sint' : 'uint',
    write(w, v, path) {
      const n = checkInt(kind, v, path);
      const fits32 = signed ? n >= -0x80000000 && n <= 0x7fffffff : n <= 0xffffffff;
      if (fits32) {
        const at = w.reserve(4);
        if (signed) w.buffer.writeInt32LE(Number(n), at); else w.buffer.writeUInt32LE(Number(n), at);
      } else {
        const at = w.reserve(8);
        if (signed) w.buffer.writeBigInt64LE(BigInt(n), at); else w.buffer.writeBigUInt64LE(BigInt(n), at);
      }
    },
    read(buf, start, end, issues, path) {
      const len = end - start;
      if (len === 4) return signed ? buf.readInt32LE(start) : buf.readUInt32LE(start);
      if (len === 8) {
        const b = signed ? buf.readBigInt64LE(start) : buf.readBigUInt64LE(start);
        return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
      }
      issues?.push({ path, problem: `${len} bytes, a ${signed ? 'sint' : 'uint'} is 4 or 8`, offset: start });
      return undefined;
    },
  };
}
export const uint = variableInt(false);
export const sint = variableInt(true);

/** NLA_BITFIELD32: the bits to set and which bits the request is about. */
export interface Bitfield32 { value: number; selector: number }
export const bitfield32: Codec<Bitfield32> = {
  name: 'bitfield32',
  write(w, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError(path, `expected { value, selector }, got ${describe(v)}`);
    const value = checkInt('u32', v.value, `${path}.value`);
    const selector = checkInt('u32', v.selector, `${path}.selector`);
    const at = w.reserve(8);
    w.buffer.writeUInt32LE(Number(value), at);
    w.buffer.writeUInt32LE(Number(selector), at + 4);
  },
  read(buf, start, end, issues, path) {
    if (end - start < 8) { issues?.push({ path, problem: `${end - start} bytes, a bitfield32 is 8`, offset: start }); return undefined; }
    return { value: buf.readUInt32LE(start), selector: buf.readUInt32LE(start + 4) };
  },
};

/** A pad attribute (alignment for 64-bit values): never sent, dropped when read. */
export const pad: Codec<undefined, never> = {
  name: 'pad',
  write(_w, v, path) { throw new EncodeError(path, `a pad attribute carries no value (got ${describe(v)})`); },
  read() { return undefined; },
};

/**
 * An indexed array (nlctrl's ops and groups, ethtool's strings): a nest
 * whose attributes are the elements, their types being indexes. Decoded as
 * an array in wire order; encoded with indexes counted from 1.
 */
export function indexedArray<O, I>(elem: Codec<O, I>): Codec<O[], readonly I[]> {
  return {
    name: `indexed-array of ${elem.name}`,
    typeFlags: NLA_F_NESTED,
    write(w, v, path) {
      if (!Array.isArray(v)) throw new EncodeError(path, `expected an array, got ${describe(v)}`);
      v.forEach((item, i) => {
        const p = `${path}[${i}]`;
        const at = w.beginAttr((i + 1) | (elem.typeFlags ?? 0), p);
        elem.write(w, item, p);
        w.endAttr(at, p);
      });
    },
    read(buf, start, end, issues, path) {
      const out: O[] = [];
      let at = start;
      while (end - at >= 4) {
        const len = buf.readUInt16LE(at);
        if (len < 4 || len > end - at) { issues?.push({ path, problem: `element length ${len} does not fit the ${end - at} bytes left`, offset: at }); break; }
        const v = elem.read(buf, at + 4, at + len, issues, `${path}[${out.length}]`);
        if (v !== undefined) out.push(v);
        at += (len + 3) & ~3;
      }
      return out;
    },
  };
}

/** The spec's checks on what a caller sends (the kernel's policy would refuse it anyway, with less to say). */
export function checked<O, I>(c: Codec<O, I>, checks: YnlChecks): Codec<O, I> {
  const { min, max, minLen, maxLen, exactLen } = checks;
  return {
    ...c,
    write(w, v, path) {
      if (typeof v === 'number' || typeof v === 'bigint') {
        if (min !== undefined && v < min) throw new EncodeError(path, `${v} is below the minimum ${min}`);
        if (max !== undefined && v > max) throw new EncodeError(path, `${v} is above the maximum ${max}`);
      }
      const len = typeof v === 'string' ? Buffer.byteLength(v) : v instanceof Uint8Array ? v.length : undefined;
      if (len !== undefined) {
        if (maxLen !== undefined && len > maxLen) throw new EncodeError(path, `${len} bytes, at most ${maxLen} allowed`);
        if (minLen !== undefined && len < minLen) throw new EncodeError(path, `${len} bytes, at least ${minLen} needed`);
        if (exactLen !== undefined && len !== exactLen) throw new EncodeError(path, `${len} bytes, exactly ${exactLen} needed`);
      }
      c.write(w, v, path);
    },
  };
}
