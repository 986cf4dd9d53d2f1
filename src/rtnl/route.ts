// Routes (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE): the schema of a route
// message — rtmsg plus RTA_* attributes — for IPv4 and IPv6.
import * as R from '../generated/linux/rtnetlink.js';
import { be16, binary, ip, mapped, stringNoNul, struct, u16, u32, u8, withNestFlag } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema, nested } from '../netlink/schema.js';
import { addressFamilies, routeProtocols, routeTables, routeTypes, scopes } from './names.js';
import { multipath, via } from './route-nexthop.js';
import { ipOrLabel, mplsLabelOf } from './mpls-label.js';
import { encapTypes, metricFeatures, metricLocks, routeFlags, routerPrefs } from './route-names.js';

/**
 * RTA_METRICS. Values are the kernel's: rtt in 1/8 ms, rttvar in 1/4 ms,
 * rtoMin in ms. Neither the kernel nor iproute2 sets NLA_F_NESTED on it.
 */
export const metricsAttrs = attrSet('route.metrics', {
  lock: attr(R.RTAX_LOCK, mapped(u32, metricLocks)),
  mtu: attr(R.RTAX_MTU, u32),
  window: attr(R.RTAX_WINDOW, u32),
  rtt: attr(R.RTAX_RTT, u32),
  rttvar: attr(R.RTAX_RTTVAR, u32),
  ssthresh: attr(R.RTAX_SSTHRESH, u32),
  cwnd: attr(R.RTAX_CWND, u32),
  advmss: attr(R.RTAX_ADVMSS, u32),
  reordering: attr(R.RTAX_REORDERING, u32),
  hoplimit: attr(R.RTAX_HOPLIMIT, u32),
  initcwnd: attr(R.RTAX_INITCWND, u32),
  features: attr(R.RTAX_FEATURES, mapped(u32, metricFeatures)),
  rtoMin: attr(R.RTAX_RTO_MIN, u32),
  initrwnd: attr(R.RTAX_INITRWND, u32),
  quickack: attr(R.RTAX_QUICKACK, u32),
  /** The congestion control algorithm; sent without a NUL, as iproute2 does. */
  congctl: attr(R.RTAX_CC_ALGO, stringNoNul),
  fastopenNoCookie: attr(R.RTAX_FASTOPEN_NO_COOKIE, u32),
});

/** The attributes of route messages (RTA_*), by name. */
export const routeAttrs = attrSet('route', {
  /** An address; for an MPLS route (family 'mpls'), the incoming label (a number when sent). */
  dst: attr(R.RTA_DST, ipOrLabel),
  /** The source prefix (`ip route ... from`), with srcLen. */
  src: attr(R.RTA_SRC, ip),
  iif: attr(R.RTA_IIF, u32),
  oif: attr(R.RTA_OIF, u32),
  gateway: attr(R.RTA_GATEWAY, ip),
  priority: attr(R.RTA_PRIORITY, u32),
  /** The preferred source address (`ip route ... src`). */
  prefsrc: attr(R.RTA_PREFSRC, ip),
  metrics: attr(R.RTA_METRICS, nested(metricsAttrs)),
  nexthops: attr(R.RTA_MULTIPATH, multipath),
  /** Realms: from << 16 | to. */
  flow: attr(R.RTA_FLOW, u32),
  cacheinfo: attr(R.RTA_CACHEINFO, struct(R.rta_cacheinfo)),
  /** The table id; the kernel always sends it, and it is the only place for ids above 255. */
  table: attr(R.RTA_TABLE, mapped(u32, routeTables)),
  mark: attr(R.RTA_MARK, u32),
  via: attr(R.RTA_VIA, via),
  newdst: attr(R.RTA_NEWDST, binary),
  pref: attr(R.RTA_PREF, mapped(u8, routerPrefs)),
  encapType: attr(R.RTA_ENCAP_TYPE, mapped(u16, encapTypes)),
  /** A nest (NLA_F_NESTED, as ip sends it); its content by type: decodeEncap (lwtunnel.ts). */
  encap: attr(R.RTA_ENCAP, withNestFlag(binary)),
  /** Seconds until an IPv6 route expires (requests only). */
  expires: attr(R.RTA_EXPIRES, u32),
  uid: attr(R.RTA_UID, u32),
  ttlPropagate: attr(R.RTA_TTL_PROPAGATE, u8),
  ipProto: attr(R.RTA_IP_PROTO, u8),
  sport: attr(R.RTA_SPORT, be16),
  dport: attr(R.RTA_DPORT, be16),
  nhid: attr(R.RTA_NH_ID, u32),
});

/** The header fields of route messages (struct rtmsg), by name. */
export const routeHeader = {
  family: field('rtm_family', addressFamilies),
  dstLen: 'rtm_dst_len',
  srcLen: 'rtm_src_len',
  tos: 'rtm_tos',
  /** The legacy 8-bit table field (RT_TABLE_COMPAT for ids above 255); `table` is the real one. */
  rtmTable: field('rtm_table', routeTables),
  protocol: field('rtm_protocol', routeProtocols),
  scope: field('rtm_scope', scopes),
  type: field('rtm_type', routeTypes),
  flags: field('rtm_flags', routeFlags),
} as const;

export const routeMessage = messageSchema('route', R.rtmsg, routeHeader, routeAttrs);

/** A route as the kernel describes it. Absent attributes are undefined, never 0. */
export interface Route extends MessageOut<typeof routeHeader, typeof routeAttrs.specs> {}
/** A route message as the schema encodes it (see RouteInput for the friendly form). */
export interface RouteMessageInput extends MessageIn<typeof routeHeader, typeof routeAttrs.specs> {}
/** A route's metrics (RTAX_*: mtu, window, rtt...) by name. */
export type RouteMetrics = NonNullable<Route['metrics']>;
export type { Nexthop, Via } from './route-nexthop.js';

/** Decodes one route message (header included). */
export function decodeRoute(buf: Buffer, start: number, length: number): Route {
  const r: Route = routeMessage.decodeMessage(buf, start, length);
  // Kernels older than 2.6.19 send no RTA_TABLE.
  if (r.table === undefined) r.table = r.rtmTable;
  // An MPLS route's destination is a label, which the address codec read as IPv4.
  if (r.family === 'mpls' && r.dst !== undefined) {
    const label = mplsLabelOf(r.dst);
    if (label !== undefined) r.dst = String(label);
  }
  return r;
}
