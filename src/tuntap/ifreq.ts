// The struct ifreq the tun driver's ioctls take (TUNSETIFF, TUNSETQUEUE):
// the device name and a flag word, laid out by the generated layout of
// linux/if.h. ifr_flags is a C short; the tun flags use its top bit
// (IFF_TUN_EXCL is 0x8000), so the word is written as the signed short with
// the same bits.
import { ifreq } from '../generated/linux/if.js';
import { type StructValue, decodeStruct, structBytes } from '../netlink/struct.js';

// One member of the union is written; the encoder takes any subset of a union's members.
type Ifru = StructValue<(typeof ifreq.fields)[1]['struct']>;

export const IFREQ_SIZE = ifreq.size;

export function tunIfreq(name: string, flags: number): Buffer {
  return structBytes(ifreq, { ifr_ifrn: { ifrn_name: name }, ifr_ifru: { ifru_flags: (flags << 16) >> 16 } as Ifru }, 'name');
}

/** The name the kernel wrote back (it fills in a name given as a pattern such as tap%d, or none). */
export function ifreqName(buf: Buffer): string {
  return decodeStruct(ifreq, buf, 0).ifr_ifrn.ifrn_name;
}
