// An MPLS route's destination (RTA_DST of family AF_MPLS): one 32-bit label
// entry, label << 12 with the bottom-of-stack bit, where other routes have an
// address. The attribute's codec cannot see the family in the header, so it
// writes a number as a label and a string as an address, and reads 4 bytes
// as IPv4; decodeRoute turns that back into the label for an MPLS route.
import { type Codec, ip } from '../netlink/codec.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';

export const ipOrLabel: Codec<string, string | number> = {
  name: 'address or MPLS label',
  write(w, v, path) {
    if (typeof v !== 'number') { ip.write(w, v, path); return; }
    if (!Number.isInteger(v) || v < 0 || v > 0xfffff) throw new EncodeError(path, `${describe(v)} is not an MPLS label (0..1048575)`);
    w.buffer.writeUInt32BE(((v << 12) | 0x100) >>> 0, w.reserve(4));
  },
  read: ip.read,
};

/** The label of a 4-byte destination read as dotted IPv4; undefined for anything else (kept as it is). */
export function mplsLabelOf(dotted: string): number | undefined {
  const b = dotted.split('.').map(Number);
  if (b.length !== 4 || b.some((x) => !Number.isInteger(x))) return undefined;
  return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 12);
}
