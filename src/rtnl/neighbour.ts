// Neighbours (RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH): the schema of a
// neighbour message — ndmsg plus NDA_* attributes. ARP and NDP cache entries
// and proxy entries share it; so do bridge FDB entries (AF_BRIDGE).
import * as N from '../generated/linux/neighbour.js';
import { binary, be16, hwaddr, ip, mapped, s32, struct, u16, u32, u8 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema } from '../netlink/schema.js';
import { neighExtFlags, neighFlags, neighStates } from './neighbour-names.js';
import { addressFamilies, routeProtocols, routeTypes } from './names.js';
import type { Decoder } from '../netlink/request.js';

/** The attributes of neighbour messages (NDA_*), by name. */
export const neighbourAttrs = attrSet('neigh', {
  /** The protocol address (iproute2's "dst", NDA_DST). */
  address: attr(N.NDA_DST, ip),
  lladdr: attr(N.NDA_LLADDR, hwaddr),
  cacheinfo: attr(N.NDA_CACHEINFO, struct(N.nda_cacheinfo)),
  probes: attr(N.NDA_PROBES, u32),
  vlan: attr(N.NDA_VLAN, u16),
  port: attr(N.NDA_PORT, be16),
  vni: attr(N.NDA_VNI, u32),
  /** A vxlan FDB entry's outgoing link ("via"); in a dump request, only entries on this link. */
  via: attr(N.NDA_IFINDEX, u32),
  master: attr(N.NDA_MASTER, u32),
  linkNetnsid: attr(N.NDA_LINK_NETNSID, s32),
  srcVni: attr(N.NDA_SRC_VNI, u32),
  protocol: attr(N.NDA_PROTOCOL, mapped(u8, routeProtocols)),
  nhId: attr(N.NDA_NH_ID, u32),
  fdbExtAttrs: attr(N.NDA_FDB_EXT_ATTRS, binary),
  flagsExt: attr(N.NDA_FLAGS_EXT, mapped(u32, neighExtFlags)),
  stateMask: attr(N.NDA_NDM_STATE_MASK, mapped(u16, neighStates)),
  flagsMask: attr(N.NDA_NDM_FLAGS_MASK, mapped(u8, neighFlags)),
});

/** The header fields of neighbour messages (struct ndmsg), by name. */
export const neighbourHeader = {
  family: field('ndm_family', addressFamilies),
  /** The link the entry belongs to (0 for a proxy entry on no particular link). */
  ifindex: 'ndm_ifindex',
  state: field('ndm_state', neighStates),
  flags: field('ndm_flags', neighFlags),
  type: field('ndm_type', routeTypes),
} as const;

export const neighbourMessage = messageSchema('neigh', N.ndmsg, neighbourHeader, neighbourAttrs);

/** A neighbour entry as the kernel describes it. Absent attributes are undefined, never 0. */
export interface Neighbour extends MessageOut<typeof neighbourHeader, typeof neighbourAttrs.specs> {}
/** What a neighbour request may carry: any header field or attribute. */
export interface NeighbourInput extends MessageIn<typeof neighbourHeader, typeof neighbourAttrs.specs> {}

/** Decodes one neighbour message (header included). */
export const decodeNeighbour: Decoder<Neighbour> = (buf, start, length) => neighbourMessage.decodeMessage(buf, start, length);
