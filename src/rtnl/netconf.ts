// Per-device IP configuration as the kernel announces it (RTM_NEWNETCONF /
// RTM_GETNETCONF, `ip netconf`): struct netconfmsg (the family) plus
// NETCONFA_* attributes, the values of the matching sysctls
// (net.ipv4.conf.DEV.forwarding, ...). Read only: the sysctls are the way
// to change them.
import * as C from '../generated/linux/netconf.js';
import { s32, u32 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema } from '../netlink/schema.js';
import type { Decoder } from '../netlink/request.js';
import { addressFamilies } from './names.js';

/** NETCONFA_IFINDEX values that are not a device: the `all` and `default` sysctl directories. */
export const NETCONF_ALL = C.NETCONFA_IFINDEX_ALL;
/** The ifindex netconf uses for the defaults new devices get (NETCONFA_IFINDEX_DEFAULT). */
export const NETCONF_DEFAULT = C.NETCONFA_IFINDEX_DEFAULT;

/** The attributes of netconf messages (NETCONFA_*), by name. */
export const netconfAttrs = attrSet('netconf', {
  /** The device's index; -1 for `all`, -2 for `default`. */
  ifindex: attr(C.NETCONFA_IFINDEX, s32),
  forwarding: attr(C.NETCONFA_FORWARDING, u32),
  /** 0 off, 1 strict, 2 loose (IPv4). */
  rpFilter: attr(C.NETCONFA_RP_FILTER, u32),
  mcForwarding: attr(C.NETCONFA_MC_FORWARDING, u32),
  proxyNeigh: attr(C.NETCONFA_PROXY_NEIGH, u32),
  ignoreRoutesWithLinkdown: attr(C.NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, u32),
  /** MPLS: whether the device accepts labelled packets. */
  input: attr(C.NETCONFA_INPUT, u32),
  bcForwarding: attr(C.NETCONFA_BC_FORWARDING, u32),
});

/** The header fields of netconf messages (struct netconfmsg), by name. */
export const netconfHeader = { family: field('ncm_family', addressFamilies) } as const;

/** The schema of netconf messages. */
export const netconfMessage = messageSchema('netconf', C.netconfmsg, netconfHeader, netconfAttrs);

/** One device's (or `all`'s, or `default`'s) configuration in one family. Absent attributes are undefined. */
export interface Netconf extends MessageOut<typeof netconfHeader, typeof netconfAttrs.specs> {}
/** What a netconf request may carry. */
export interface NetconfMessage extends MessageIn<typeof netconfHeader, typeof netconfAttrs.specs> {}

/** Decodes a netconf message (RTM_NEWNETCONF). */
export const decodeNetconf: Decoder<Netconf> = (buf, start, length) => netconfMessage.decodeMessage(buf, start, length);
