// Addresses (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR): the schema of an
// address message — ifaddrmsg plus IFA_* attributes — for IPv4 and IPv6.
import { IFNAMSIZ } from '../generated/linux/if.js';
import * as A from '../generated/linux/if_addr.js';
import { cstring, enumMap, flagsMap, ip, mapped, s32, struct, u32, u8 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema } from '../netlink/schema.js';
import { addressFamilies, scopes } from './names.js';

/** The address flags (IFA_F_*) by the names `ip addr` prints. */
export const addressFlagTable = {
  secondary: A.IFA_F_SECONDARY, temporary: A.IFA_F_TEMPORARY, nodad: A.IFA_F_NODAD, optimistic: A.IFA_F_OPTIMISTIC,
  dadfailed: A.IFA_F_DADFAILED, home: A.IFA_F_HOMEADDRESS, deprecated: A.IFA_F_DEPRECATED,
  tentative: A.IFA_F_TENTATIVE, permanent: A.IFA_F_PERMANENT, mngtmpaddr: A.IFA_F_MANAGETEMPADDR,
  noprefixroute: A.IFA_F_NOPREFIXROUTE, autojoin: A.IFA_F_MCAUTOJOIN, 'stable-privacy': A.IFA_F_STABLE_PRIVACY,
} as const;

/**
 * IFA_F_* in iproute2's order and spelling. 0x1 decodes as "secondary"
 * (an IPv6 temporary address has the same bit; "temporary" is accepted).
 */
export const addressFlags = flagsMap('address flag', addressFlagTable);
/** An address flag (IFA_F_*) by its name as `ip addr` prints it. */
export type AddressFlag = keyof typeof addressFlagTable;

/** The flags a request may set; the others describe the kernel's state of an address. */
export const settableAddressFlags = addressFlags.encode(['nodad', 'optimistic', 'home', 'mngtmpaddr', 'noprefixroute', 'autojoin'], 'flags');
/** Flags the kernel honours for IPv6 addresses only (iproute2 refuses them for IPv4). */
export const ipv6OnlyAddressFlags = addressFlags.encode(['nodad', 'optimistic', 'home', 'mngtmpaddr'], 'flags');

/** IFA_PROTO (IFAPROT_*): who added the address. */
export const addressProtocols = enumMap('address protocol', {
  unspec: A.IFAPROT_UNSPEC, kernel_lo: A.IFAPROT_KERNEL_LO, kernel_ra: A.IFAPROT_KERNEL_RA, kernel_ll: A.IFAPROT_KERNEL_LL,
});

/** The attributes of address messages (IFA_*), by name. */
export const addressAttrs = attrSet('address', {
  /** IFA_ADDRESS: the peer on a point-to-point address, otherwise the same as local. */
  address: attr(A.IFA_ADDRESS, ip),
  /** IFA_LOCAL: this host's address (decoded from IFA_ADDRESS when the kernel sends no IFA_LOCAL, as for IPv6). */
  local: attr(A.IFA_LOCAL, ip),
  label: attr(A.IFA_LABEL, cstring(IFNAMSIZ - 1)),
  broadcast: attr(A.IFA_BROADCAST, ip),
  anycast: attr(A.IFA_ANYCAST, ip),
  /** Lifetimes in seconds (0xffffffff: forever) and creation/update stamps in 1/100 s since boot. */
  cacheinfo: attr(A.IFA_CACHEINFO, struct(A.ifa_cacheinfo)),
  multicast: attr(A.IFA_MULTICAST, ip),
  /** All 32 flag bits (ifaFlags holds only the low 8). */
  flags: attr(A.IFA_FLAGS, mapped(u32, addressFlags)),
  /** Metric of the prefix route the address brings (`ip addr ... metric N`). */
  priority: attr(A.IFA_RT_PRIORITY, u32),
  targetNetnsid: attr(A.IFA_TARGET_NETNSID, s32),
  proto: attr(A.IFA_PROTO, mapped(u8, addressProtocols)),
});

/** The header fields of address messages (struct ifaddrmsg), by name. */
export const addressHeader = {
  family: field('ifa_family', addressFamilies),
  prefixlen: 'ifa_prefixlen',
  /** The legacy 8-bit flags field; `flags` is the whole word. */
  ifaFlags: field('ifa_flags', addressFlags),
  scope: field('ifa_scope', scopes),
  /** The interface index. */
  index: 'ifa_index',
} as const;

export const addressMessage = messageSchema('address', A.ifaddrmsg, addressHeader, addressAttrs);

/** An address as the kernel describes it. Absent attributes are undefined, never 0. */
export interface Address extends MessageOut<typeof addressHeader, typeof addressAttrs.specs> {}
/** An address message as the schema encodes it (see AddressInput for the friendly form). */
export interface AddressMessageInput extends MessageIn<typeof addressHeader, typeof addressAttrs.specs> {}

/** Decodes one address message; `local` and `flags` are filled the way iproute2 reads them. */
export function decodeAddress(buf: Buffer, start: number, length: number): Address {
  const a: Address = addressMessage.decodeMessage(buf, start, length);
  if (a.local === undefined && a.address !== undefined) a.local = a.address;
  if (a.flags === undefined) a.flags = a.ifaFlags;
  return a;
}
