// vxlan: an L2 overlay over UDP. The remote end of a point-to-point tunnel
// and the multicast group of a shared one are the same attribute (`group`,
// or `group6` for IPv6), as in the kernel; `link` is the parent device's
// index, `port` the UDP destination port.
import * as X from '../../generated/linux/if_link.js';
import { type Codec, be16, be32, enumMap, flag, ipv4, ipv6, mapped, struct, u32, u8 } from '../../netlink/codec.js';
import { attr, attrSet } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { linkKind } from './kind.js';

/**
 * A flag in requests that the kernel reports as a u8 0/1 (ttl_inherit):
 * sent as a flag, read as on/off. Named 'flag' so that the schema sends
 * false as no attribute at all: an empty one would switch it on.
 */
const flagU8: Codec<boolean, boolean> = {
  name: 'flag',
  write: flag.write,
  read: (buf, start, end) => (end > start ? buf[start] !== 0 : true),
};

/** Don't-fragment bit of the outer IPv4 header. */
export const vxlanDf = enumMap('vxlan df', { unset: X.VXLAN_DF_UNSET, set: X.VXLAN_DF_SET, inherit: X.VXLAN_DF_INHERIT });

export const vxlanData = attrSet('vxlan', {
  /** The VXLAN network identifier (VNI), 24 bits. */
  id: attr(X.IFLA_VXLAN_ID, u32),
  /** IPv4 remote (unicast) or multicast group. */
  group: attr(X.IFLA_VXLAN_GROUP, ipv4),
  /** Index of the parent device the tunnel sends through. */
  link: attr(X.IFLA_VXLAN_LINK, u32),
  local: attr(X.IFLA_VXLAN_LOCAL, ipv4),
  /** Outer TTL; 0 means the route's default. */
  ttl: attr(X.IFLA_VXLAN_TTL, u8),
  /** Outer TOS; 1 means inherit from the inner packet. */
  tos: attr(X.IFLA_VXLAN_TOS, u8),
  learning: attr(X.IFLA_VXLAN_LEARNING, bool8),
  /** Seconds a learned entry lives. */
  ageing: attr(X.IFLA_VXLAN_AGEING, u32),
  /** Most forwarding entries; 0 for no limit. */
  limit: attr(X.IFLA_VXLAN_LIMIT, u32),
  /** UDP source port range (iproute2's srcport low high). */
  portRange: attr(X.IFLA_VXLAN_PORT_RANGE, struct(X.ifla_vxlan_port_range)),
  proxy: attr(X.IFLA_VXLAN_PROXY, bool8),
  rsc: attr(X.IFLA_VXLAN_RSC, bool8),
  l2miss: attr(X.IFLA_VXLAN_L2MISS, bool8),
  l3miss: attr(X.IFLA_VXLAN_L3MISS, bool8),
  /** UDP destination port. */
  port: attr(X.IFLA_VXLAN_PORT, be16),
  group6: attr(X.IFLA_VXLAN_GROUP6, ipv6),
  local6: attr(X.IFLA_VXLAN_LOCAL6, ipv6),
  udpCsum: attr(X.IFLA_VXLAN_UDP_CSUM, bool8),
  udpZeroCsum6Tx: attr(X.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, bool8),
  udpZeroCsum6Rx: attr(X.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, bool8),
  remcsumTx: attr(X.IFLA_VXLAN_REMCSUM_TX, bool8),
  remcsumRx: attr(X.IFLA_VXLAN_REMCSUM_RX, bool8),
  gbp: attr(X.IFLA_VXLAN_GBP, flag),
  remcsumNopartial: attr(X.IFLA_VXLAN_REMCSUM_NOPARTIAL, flag),
  /** `external`: the tunnel takes its parameters from each packet's metadata. */
  collectMetadata: attr(X.IFLA_VXLAN_COLLECT_METADATA, bool8),
  /** IPv6 flow label, in network byte order as the kernel keeps it. */
  label: attr(X.IFLA_VXLAN_LABEL, be32),
  gpe: attr(X.IFLA_VXLAN_GPE, flag),
  ttlInherit: attr(X.IFLA_VXLAN_TTL_INHERIT, flagU8),
  df: attr(X.IFLA_VXLAN_DF, mapped(u8, vxlanDf)),
  vnifilter: attr(X.IFLA_VXLAN_VNIFILTER, bool8),
});

export const vxlan = linkKind('vxlan', vxlanData);
