// Neighbour tables (RTM_NEWNEIGHTBL / RTM_GETNEIGHTBL / RTM_SETNEIGHTBL,
// `ip ntable`): the ARP and NDP caches' thresholds, their parameters (the
// table's defaults, and one set per device) and statistics. struct ndtmsg
// plus NDTA_* attributes, the parameters nested as NDTPA_*. Times are in
// milliseconds, as the kernel and ip give them.
import * as N from '../generated/linux/neighbour.js';
import { string, struct, u32, u64 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema, nested } from '../netlink/schema.js';
import type { Decoder } from '../netlink/request.js';
import { padding } from './codecs.js';
import { addressFamilies } from './names.js';

/** NDTA_PARMS: one set of parameters (the table's when `ifindex` is absent). */
export const ntableParmsAttrs = attrSet('ntable.parms', {
  ifindex: attr(N.NDTPA_IFINDEX, u32),
  refcnt: attr(N.NDTPA_REFCNT, u32),
  /** The current (randomised) reachable time, ms. */
  reachableTime: attr(N.NDTPA_REACHABLE_TIME, u64),
  baseReachableTime: attr(N.NDTPA_BASE_REACHABLE_TIME, u64),
  retransTime: attr(N.NDTPA_RETRANS_TIME, u64),
  gcStaletime: attr(N.NDTPA_GC_STALETIME, u64),
  delayProbeTime: attr(N.NDTPA_DELAY_PROBE_TIME, u64),
  queueLen: attr(N.NDTPA_QUEUE_LEN, u32),
  appProbes: attr(N.NDTPA_APP_PROBES, u32),
  ucastProbes: attr(N.NDTPA_UCAST_PROBES, u32),
  mcastProbes: attr(N.NDTPA_MCAST_PROBES, u32),
  anycastDelay: attr(N.NDTPA_ANYCAST_DELAY, u64),
  proxyDelay: attr(N.NDTPA_PROXY_DELAY, u64),
  proxyQlen: attr(N.NDTPA_PROXY_QLEN, u32),
  locktime: attr(N.NDTPA_LOCKTIME, u64),
  queueLenbytes: attr(N.NDTPA_QUEUE_LENBYTES, u32),
  mcastReprobes: attr(N.NDTPA_MCAST_REPROBES, u32),
  pad: attr(N.NDTPA_PAD, padding),
  intervalProbeTimeMs: attr(N.NDTPA_INTERVAL_PROBE_TIME_MS, u64),
});

/** The attributes of neighbour table messages (NDTA_*), by name. */
export const ntableAttrs = attrSet('ntable', {
  /** 'arp_cache', 'ndisc_cache'. */
  name: attr(N.NDTA_NAME, string),
  thresh1: attr(N.NDTA_THRESH1, u32),
  thresh2: attr(N.NDTA_THRESH2, u32),
  thresh3: attr(N.NDTA_THRESH3, u32),
  /** Garbage collection interval, ms. */
  gcInterval: attr(N.NDTA_GC_INTERVAL, u64),
  config: attr(N.NDTA_CONFIG, struct(N.ndt_config)),
  parms: attr(N.NDTA_PARMS, nested(ntableParmsAttrs)),
  stats: attr(N.NDTA_STATS, struct(N.ndt_stats)),
  pad: attr(N.NDTA_PAD, padding),
});

/** The header fields of neighbour table messages (struct ndtmsg), by name. */
export const ntableHeader = { family: field('ndtm_family', addressFamilies) } as const;

/** The schema of neighbour table messages. */
export const ntableMessage = messageSchema('ntable', N.ndtmsg, ntableHeader, ntableAttrs);

/**
 * One message of a table dump: the table itself (thresholds, config,
 * default parameters, statistics) or one device's parameters (`parms.ifindex`).
 */
export interface Ntable extends MessageOut<typeof ntableHeader, typeof ntableAttrs.specs> {}
/** A neighbour table message at the schema level (struct ndtmsg and NDTA_*). */
export interface NtableMessage extends MessageIn<typeof ntableHeader, typeof ntableAttrs.specs> {}

/** Decodes a neighbour table message (RTM_NEWNEIGHTBL). */
export const decodeNtable: Decoder<Ntable> = (buf, start, length) => ntableMessage.decodeMessage(buf, start, length);
