// IFLA_AF_SPEC of a link message (family AF_PACKET/AF_UNSPEC): one nest per
// address family with that family's per-link settings. Only IPv6's address
// generation mode is typed beyond bytes; it is also what `ip link set ...
// addrgenmode` changes.
import { AF_INET, AF_INET6 } from '../generated/libc/socket.js';
import * as L from '../generated/linux/if_link.js';
import { binary, enumMap, ipv6, mapped, struct, u32, u8 } from '../netlink/codec.js';
import { attr, attrSet, nested } from '../netlink/schema.js';

/** How IPv6 link-local addresses are made, named as iproute2 names them. */
export const addrGenModes = enumMap('IPv6 address generation mode', {
  eui64: L.IN6_ADDR_GEN_MODE_EUI64, none: L.IN6_ADDR_GEN_MODE_NONE,
  stable_secret: L.IN6_ADDR_GEN_MODE_STABLE_PRIVACY, random: L.IN6_ADDR_GEN_MODE_RANDOM,
});

const inet = attrSet('link.afSpec.inet', {
  /** The IPv4 devconf values, u32 each, by IPV4_DEVCONF_* - 1. */
  conf: attr(L.IFLA_INET_CONF, binary),
});

const inet6 = attrSet('link.afSpec.inet6', {
  flags: attr(L.IFLA_INET6_FLAGS, u32),
  /** The IPv6 devconf values, s32 each, by DEVCONF_*. */
  conf: attr(L.IFLA_INET6_CONF, binary),
  stats: attr(L.IFLA_INET6_STATS, binary),
  mcast: attr(L.IFLA_INET6_MCAST, binary),
  cacheinfo: attr(L.IFLA_INET6_CACHEINFO, struct(L.ifla_cacheinfo)),
  icmp6stats: attr(L.IFLA_INET6_ICMP6STATS, binary),
  token: attr(L.IFLA_INET6_TOKEN, ipv6),
  addrGenMode: attr(L.IFLA_INET6_ADDR_GEN_MODE, mapped(u8, addrGenModes)),
  raMtu: attr(L.IFLA_INET6_RA_MTU, u32),
});

export const afSpec = attrSet('link.afSpec', {
  inet: attr(AF_INET, nested(inet)),
  inet6: attr(AF_INET6, nested(inet6)),
});
