// Value codecs nf_tables needs beyond src/netlink/codec.ts: its integers are
// big-endian (htonl), verdict codes are signed, and every nest carries
// NLA_F_NESTED (libmnl sets it, and the kernel's strict validation wants it).
import { type Codec, be32, cstring, mapped, type ValueMap } from '../netlink/codec.js';
import { checkInt } from '../netlink/ints.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { NLA_F_NESTED } from '../generated/linux/netlink.js';
import { type AttrSet, type AttrsIn, type AttrsOut, type SpecMap, nested } from '../netlink/schema.js';
import { NFT_NAME_MAXLEN } from '../generated/linux/netfilter/nf_tables.js';

/** A signed big-endian 32-bit integer (verdict codes, chain priorities). */
export const sbe32: Codec<number, number> = {
  name: 'signed be32',
  write(w, v, path) {
    const n = Number(checkInt('s32', v, path));
    const at = w.reserve(4);
    w.buffer.writeInt32BE(n, at);
  },
  read(buf, start, end, issues, path) {
    if (end - start < 4) { issues?.push({ path, problem: `payload of ${end - start} bytes, expected 4`, offset: start }); return undefined; }
    return buf.readInt32BE(start);
  },
};

/** A big-endian u32 seen through names. */
export function be32Of<O, I>(map: ValueMap<O, I>): Codec<O, I> {
  return mapped(be32, map);
}

/** A signed big-endian 32-bit integer seen through names (verdict codes). */
export function sbe32Of<O, I>(map: ValueMap<O, I>): Codec<O, I> {
  return {
    name: map.name,
    write(w, v, path) { sbe32.write(w, map.encode(v, path), path); },
    read(buf, start, end, issues, path) {
      const n = sbe32.read(buf, start, end, issues, path);
      return n === undefined ? undefined : map.decode(n);
    },
  };
}

/** A nest with NLA_F_NESTED set, as libmnl writes every nest. */
export function nest<S extends SpecMap>(set: AttrSet<S>): Codec<AttrsOut<S>, AttrsIn<S>> {
  return nested(set, { nestFlag: true });
}

/** Table, chain, set and object names: at most NFT_NAME_MAXLEN - 1 bytes and a NUL. */
export const nftName = cstring(NFT_NAME_MAXLEN - 1);

/**
 * A list whose members are nests numbered 1, 2, 3... (libnftnl numbers set
 * elements so): every attribute read is a member whatever its number, and
 * members are written numbered from 1.
 */
export function indexedList<S extends SpecMap>(set: AttrSet<S>): Codec<AttrsOut<S>[], readonly AttrsIn<S>[]> {
  return {
    name: `list of ${set.name}`,
    typeFlags: NLA_F_NESTED,
    write(w, list, path) {
      if (!Array.isArray(list)) throw new EncodeError(path, `expected a list, got ${describe(list)}`);
      list.forEach((v, i) => {
        const at = w.beginAttr((i + 1) | NLA_F_NESTED, `${path}[${i}]`);
        set.encode(w, v, `${path}[${i}]`);
        w.endAttr(at, `${path}[${i}]`);
      });
    },
    read(buf, start, end, issues, path) {
      const out: AttrsOut<S>[] = [];
      let at = start;
      while (end - at >= 4) {
        const len = buf.readUInt16LE(at);
        if (len < 4 || len > end - at) { issues?.push({ path, problem: `member of ${len} bytes does not fit the ${end - at} left`, offset: at }); break; }
        out.push(set.decode(buf, at + 4, at + len, issues, `${path}[${out.length}]`));
        at += (len + 3) & ~3;
      }
      return out;
    },
  };
}
