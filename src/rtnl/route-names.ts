// Names for the numbers in a route message, spelled as iproute2 spells them.
import { ICMPV6_ROUTER_PREF_HIGH, ICMPV6_ROUTER_PREF_LOW, ICMPV6_ROUTER_PREF_MEDIUM } from '../generated/linux/icmpv6.js';
import * as W from '../generated/linux/lwtunnel.js';
import * as R from '../generated/linux/rtnetlink.js';
import { enumMap, flagsMap } from '../netlink/codec.js';

/** The nexthop flags (RTNH_F_*) by name. */
export const nexthopFlagTable = {
  dead: R.RTNH_F_DEAD, pervasive: R.RTNH_F_PERVASIVE, onlink: R.RTNH_F_ONLINK, offload: R.RTNH_F_OFFLOAD,
  linkdown: R.RTNH_F_LINKDOWN, unresolved: R.RTNH_F_UNRESOLVED, trap: R.RTNH_F_TRAP,
} as const;

/** rtnh_flags (RTNH_F_*), per nexthop. */
export const nexthopFlags = flagsMap('nexthop flag', nexthopFlagTable);
/** A nexthop flag (RTNH_F_*) by its name. */
export type NexthopFlag = keyof typeof nexthopFlagTable;

/**
 * rtm_flags: the RTNH_F_* bits of a single-path route plus RTM_F_*. The high
 * bits of an IPv4 lookup result are RTCF_* cache flags, which share values
 * with RTM_F_* (RTCF_MULTICAST is RTM_F_OFFLOAD_FAILED); they decode as hex.
 */
export const routeFlags = flagsMap('route flag', {
  ...nexthopFlagTable,
  notify: R.RTM_F_NOTIFY, cloned: R.RTM_F_CLONED, equalize: R.RTM_F_EQUALIZE, prefix: R.RTM_F_PREFIX,
  lookup_table: R.RTM_F_LOOKUP_TABLE, fib_match: R.RTM_F_FIB_MATCH, rt_offload: R.RTM_F_OFFLOAD,
  rt_trap: R.RTM_F_TRAP, rt_offload_failed: R.RTM_F_OFFLOAD_FAILED,
});
/** A route flag (RTNH_F_*, RTM_F_*) by its name. */
export type RouteFlag = NexthopFlag | 'notify' | 'cloned' | 'equalize' | 'prefix' | 'lookup_table' | 'fib_match'
  | 'rt_offload' | 'rt_trap' | 'rt_offload_failed';

/** Flags that describe the kernel's state of a route rather than a request: dropped from requests. */
export const readOnlyRouteFlags = routeFlags.encode(
  ['dead', 'offload', 'linkdown', 'unresolved', 'trap', 'cloned', 'rt_offload', 'rt_trap', 'rt_offload_failed'], 'flags');

/** RTA_PREF: an IPv6 router preference (RFC 4191). */
export const routerPrefs = enumMap('router preference', {
  low: ICMPV6_ROUTER_PREF_LOW, medium: ICMPV6_ROUTER_PREF_MEDIUM, high: ICMPV6_ROUTER_PREF_HIGH,
});
/** An IPv6 router preference. */
export type RouterPref = 'low' | 'medium' | 'high' | number;

/** RTA_ENCAP_TYPE (LWTUNNEL_ENCAP_*), named as `ip route ... encap TYPE`. */
export const encapTypes = enumMap('encap type', {
  none: W.LWTUNNEL_ENCAP_NONE, mpls: W.LWTUNNEL_ENCAP_MPLS, ip: W.LWTUNNEL_ENCAP_IP, ila: W.LWTUNNEL_ENCAP_ILA,
  ip6: W.LWTUNNEL_ENCAP_IP6, seg6: W.LWTUNNEL_ENCAP_SEG6, bpf: W.LWTUNNEL_ENCAP_BPF,
  seg6local: W.LWTUNNEL_ENCAP_SEG6_LOCAL, rpl: W.LWTUNNEL_ENCAP_RPL, ioam6: W.LWTUNNEL_ENCAP_IOAM6,
  xfrm: W.LWTUNNEL_ENCAP_XFRM,
});

/** The route metrics (RTAX_*), by the keys of the metrics object. */
export const metricIds = {
  mtu: R.RTAX_MTU, window: R.RTAX_WINDOW, rtt: R.RTAX_RTT, rttvar: R.RTAX_RTTVAR, ssthresh: R.RTAX_SSTHRESH,
  cwnd: R.RTAX_CWND, advmss: R.RTAX_ADVMSS, reordering: R.RTAX_REORDERING, hoplimit: R.RTAX_HOPLIMIT,
  initcwnd: R.RTAX_INITCWND, features: R.RTAX_FEATURES, rtoMin: R.RTAX_RTO_MIN, initrwnd: R.RTAX_INITRWND,
  quickack: R.RTAX_QUICKACK, congctl: R.RTAX_CC_ALGO, fastopenNoCookie: R.RTAX_FASTOPEN_NO_COOKIE,
} as const;
/** A route metric's name (RTAX_*, lowercase). */
export type MetricName = keyof typeof metricIds;

/** RTAX_LOCK: one bit per metric (1 << RTAX_*) the kernel must not change. */
export const metricLocks = flagsMap('locked metric',
  Object.fromEntries(Object.entries(metricIds).map(([k, id]) => [k, 2 ** id])) as Record<MetricName, number>);

/** RTAX_FEATURES bits. */
export const metricFeatures = flagsMap('TCP feature', {
  ecn: R.RTAX_FEATURE_ECN, sack: R.RTAX_FEATURE_SACK, timestamp: R.RTAX_FEATURE_TIMESTAMP,
  allfrag: R.RTAX_FEATURE_ALLFRAG,
});
