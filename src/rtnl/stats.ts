// Interface statistics by group (RTM_NEWSTATS / RTM_GETSTATS, `ip stats
// show`, `ip link xstats`): struct if_stats_msg (the device and the groups
// asked for, filter_mask) plus one IFLA_STATS_* attribute per group. The
// 64-bit link counters and the offload statistics are decoded; a kind's
// xstats (bridge, bond) and the per-family part are kept as bytes.
import * as L from '../generated/linux/if_link.js';
import { binary, flagsMap, struct } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema, nested } from '../netlink/schema.js';
import type { Decoder } from '../netlink/request.js';
import { addressFamilies } from './names.js';

/** filter_mask: bit (attribute - 1) asks for a group (IFLA_STATS_FILTER_BIT). */
export const statsGroups = flagsMap('stats group', {
  link64: 1 << (L.IFLA_STATS_LINK_64 - 1),
  xstats: 1 << (L.IFLA_STATS_LINK_XSTATS - 1),
  xstatsSlave: 1 << (L.IFLA_STATS_LINK_XSTATS_SLAVE - 1),
  offload: 1 << (L.IFLA_STATS_LINK_OFFLOAD_XSTATS - 1),
  afSpec: 1 << (L.IFLA_STATS_AF_SPEC - 1),
});
/** A group of link statistics, as `ip stats` names them. */
export type StatsGroup = 'link64' | 'xstats' | 'xstatsSlave' | 'offload' | 'afSpec';

/** The attributes of offload statistics (IFLA_OFFLOAD_XSTATS_*), by name. */
export const statsOffloadAttrs = attrSet('stats.offload', {
  /** Packets the device handed to the CPU. */
  cpuHit: attr(L.IFLA_OFFLOAD_XSTATS_CPU_HIT, struct(L.rtnl_link_stats64)),
  /** Which hardware statistics are requested and used (nests per kind), as on the wire. */
  hwStatsInfo: attr(L.IFLA_OFFLOAD_XSTATS_HW_S_INFO, binary),
  l3Stats: attr(L.IFLA_OFFLOAD_XSTATS_L3_STATS, struct(L.rtnl_hw_stats64)),
});

/** The attributes of statistics messages (IFLA_STATS_*), by name. */
export const statsAttrs = attrSet('stats', {
  link64: attr(L.IFLA_STATS_LINK_64, struct(L.rtnl_link_stats64)),
  /** The link kind's own statistics (bridge, bond), as on the wire. */
  xstats: attr(L.IFLA_STATS_LINK_XSTATS, binary),
  /** The port's statistics from its master's kind, as on the wire. */
  xstatsSlave: attr(L.IFLA_STATS_LINK_XSTATS_SLAVE, binary),
  offload: attr(L.IFLA_STATS_LINK_OFFLOAD_XSTATS, nested(statsOffloadAttrs)),
  /** Per address family (MPLS), as on the wire. */
  afSpec: attr(L.IFLA_STATS_AF_SPEC, binary),
});

/** The header fields of statistics messages (struct if_stats_msg), by name. */
export const statsHeader = {
  family: field('family', addressFamilies),
  ifindex: 'ifindex',
  /** The groups asked for (in a reply: those the message carries). */
  groups: field('filter_mask', statsGroups),
} as const;

/** The schema of statistics messages. */
export const statsMessage = messageSchema('stats', L.if_stats_msg, statsHeader, statsAttrs);

/** One device's statistics, the groups asked for. */
export interface LinkStats extends MessageOut<typeof statsHeader, typeof statsAttrs.specs> {}
/** A statistics message at the schema level (struct if_stats_msg and IFLA_STATS_*). */
export interface LinkStatsMessage extends MessageIn<typeof statsHeader, typeof statsAttrs.specs> {}

/** Decodes a statistics message (RTM_NEWSTATS). */
export const decodeLinkStats: Decoder<LinkStats> = (buf, start, length) => statsMessage.decodeMessage(buf, start, length);
