// Value codecs nf_tables needs beyond src/netlink/codec.ts: its integers are
// big-endian (htonl), verdict codes are signed, and every nest carries
// NLA_F_NESTED (libmnl sets it, and the kernel's strict validation wants it).
import { type Codec, be32, cstring, mapped, type ValueMap } from '../netlink/codec.js';
import { checkInt } from '../netlink/ints.js';
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
