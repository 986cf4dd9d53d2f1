// Names for kernel numbers shared by several rtnetlink families. Every number
// comes from src/generated; only the names (as iproute2 spells them, lower
// case) are written here.
import { AF_BRIDGE, AF_INET, AF_INET6, AF_MPLS, AF_PACKET, AF_UNSPEC } from '../generated/libc/socket.js';
import * as R from '../generated/linux/rtnetlink.js';
import { enumMap } from '../netlink/codec.js';

export const addressFamilies = enumMap('address family', {
  unspec: AF_UNSPEC, inet: AF_INET, inet6: AF_INET6, bridge: AF_BRIDGE, packet: AF_PACKET, mpls: AF_MPLS,
});
/** An address family by name (inet, inet6, bridge...), or its number. */
export type AddressFamily = 'unspec' | 'inet' | 'inet6' | 'bridge' | 'packet' | 'mpls' | number;

/** rtm_scope / ifa_scope (RT_SCOPE_*): iproute2 says "global" for universe; both are accepted. */
export const scopes = enumMap('scope', {
  global: R.RT_SCOPE_UNIVERSE, universe: R.RT_SCOPE_UNIVERSE, site: R.RT_SCOPE_SITE, link: R.RT_SCOPE_LINK,
  host: R.RT_SCOPE_HOST, nowhere: R.RT_SCOPE_NOWHERE,
});
/** An address or route scope by its name, or a number. */
export type Scope = 'global' | 'site' | 'link' | 'host' | 'nowhere' | number;
/** A scope as given: a name (universe is global), or a number. */
export type ScopeInput = Scope | 'universe';

/** RTN_* (route types; also a neighbour's ndm_type). */
export const routeTypes = enumMap('route type', {
  unspec: R.RTN_UNSPEC, unicast: R.RTN_UNICAST, local: R.RTN_LOCAL, broadcast: R.RTN_BROADCAST,
  anycast: R.RTN_ANYCAST, multicast: R.RTN_MULTICAST, blackhole: R.RTN_BLACKHOLE, unreachable: R.RTN_UNREACHABLE,
  prohibit: R.RTN_PROHIBIT, throw: R.RTN_THROW, nat: R.RTN_NAT, xresolve: R.RTN_XRESOLVE,
});
/** A route type as `ip route` names it (unicast, local, blackhole...), or a number. */
export type RouteType = ReturnType<typeof routeTypes.decode>;

/** RT_TABLE_* (the reserved routing table ids; any other u32 is a table too). */
export const routeTables = enumMap('route table', {
  unspec: R.RT_TABLE_UNSPEC, default: R.RT_TABLE_DEFAULT, main: R.RT_TABLE_MAIN, local: R.RT_TABLE_LOCAL,
});
/** A routing table by its name (main, local, default) or number. */
export type RouteTable = ReturnType<typeof routeTables.decode>;

/** RTPROT_* (who installed a route, rule or neighbour entry). */
export const routeProtocols = enumMap('route protocol', {
  unspec: R.RTPROT_UNSPEC, redirect: R.RTPROT_REDIRECT, kernel: R.RTPROT_KERNEL, boot: R.RTPROT_BOOT,
  static: R.RTPROT_STATIC, gated: R.RTPROT_GATED, ra: R.RTPROT_RA, mrt: R.RTPROT_MRT, zebra: R.RTPROT_ZEBRA,
  bird: R.RTPROT_BIRD, dnrouted: R.RTPROT_DNROUTED, xorp: R.RTPROT_XORP, ntk: R.RTPROT_NTK, dhcp: R.RTPROT_DHCP,
  mrouted: R.RTPROT_MROUTED, keepalived: R.RTPROT_KEEPALIVED, babel: R.RTPROT_BABEL, openr: R.RTPROT_OPENR,
  bgp: R.RTPROT_BGP, isis: R.RTPROT_ISIS, ospf: R.RTPROT_OSPF, rip: R.RTPROT_RIP, eigrp: R.RTPROT_EIGRP,
});
/** A route protocol as `ip route` names it (kernel, boot, static...), or a number. */
export type RouteProtocol = ReturnType<typeof routeProtocols.decode>;
