// ethtool's bit sets (ETHTOOL_A_BITSET_*): either compact (a size and u32
// words of value and mask) or verbose (one nest per bit with its index,
// name and a value flag). A set without `nomask` carries a mask: listed (or
// masked) bits are the ones that exist, `value` says which are on.
import type { GenlAttrs } from '../genl/types.js';
import type { YnlFamilies } from '../generated/ynl/index.js';

export type EthtoolBitsetAttrs = GenlAttrs<YnlFamilies['ethtool'], 'bitset'>;

/** A decoded bit set: which bits are on and, unless the kernel sent no mask, which exist. */
export interface Bits {
  size: number;
  on: (index: number) => boolean;
  /** Whether the bit is in the mask (every bit up to size when the set has no mask). */
  inMask: (index: number) => boolean;
  /** Names the kernel sent along (verbose sets), by index. */
  names: Map<number, string>;
}

function wordBit(buf: Buffer | undefined, i: number): boolean {
  if (!buf || i < 0 || (i >> 5) * 4 + 4 > buf.length) return false;
  return ((buf.readUInt32LE((i >> 5) * 4) >>> (i & 31)) & 1) === 1;
}

/** Reads a bit set in either form; an absent set is empty. */
export function readBits(b: EthtoolBitsetAttrs | undefined): Bits {
  const names = new Map<number, string>();
  if (!b) return { size: 0, on: () => false, inMask: () => false, names };
  const size = b.size ?? 0;
  const nomask = b.nomask === true;
  if (b.bits) {
    const on = new Set<number>();
    const listed = new Set<number>();
    for (const bit of b.bits.bit ?? []) {
      if (bit.index === undefined) continue;
      listed.add(bit.index);
      if (bit.name !== undefined) names.set(bit.index, bit.name);
      // In a set without a mask every listed bit is on.
      if (nomask || bit.value === true) on.add(bit.index);
    }
    return { size, on: (i) => on.has(i), inMask: (i) => (nomask ? i < size : listed.has(i)), names };
  }
  const value = b.value;
  const mask = b.mask;
  return { size, on: (i) => i < size && wordBit(value, i), inMask: (i) => i < size && (nomask || !mask || wordBit(mask, i)), names };
}

/** A verbose bit set for a request: only the listed bits change, each to its value. */
export function changeBits(changes: ReadonlyMap<number, boolean>): EthtoolBitsetAttrs {
  return { bits: { bit: [...changes].map(([index, on]) => (on ? { index, value: true as const } : { index })) } };
}
