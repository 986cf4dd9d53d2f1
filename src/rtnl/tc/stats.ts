// Statistics of a qdisc, class, filter or action: TCA_STATS2 (the gnet_stats
// nest: basic counters, queue, rate estimator, hardware share and the kind's
// own "app" statistics) with the legacy TCA_STATS struct as a fallback.
import {
  TCA_STATS_APP, TCA_STATS_BASIC, TCA_STATS_BASIC_HW, TCA_STATS_PKT64, TCA_STATS_QUEUE, TCA_STATS_RATE_EST,
  TCA_STATS_RATE_EST64, gnet_stats_basic, gnet_stats_queue, gnet_stats_rate_est, gnet_stats_rate_est64,
} from '../../generated/linux/gen_stats.js';
import { tc_stats } from '../../generated/linux/pkt_sched.js';
import { type Codec, struct, u64 } from '../../netlink/codec.js';
import type { DecodeIssue } from '../../netlink/errors.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import type { StructValue } from '../../netlink/struct.js';

/** Where an attribute's payload lies in the receive buffer; resolved before the buffer is reused. */
export interface Span { start: number; end: number }

export const span: Codec<Span, never> = {
  name: 'payload span',
  write(_w, _v, path) { throw new Error(`${path}: a span is only read`); },
  read(_buf, start, end) { return { start, end }; },
};

export const stats2Attrs = attrSet('tc.stats2', {
  basic: attr(TCA_STATS_BASIC, struct(gnet_stats_basic)),
  rateEst: attr(TCA_STATS_RATE_EST, struct(gnet_stats_rate_est)),
  queue: attr(TCA_STATS_QUEUE, struct(gnet_stats_queue)),
  app: attr(TCA_STATS_APP, span),
  rateEst64: attr(TCA_STATS_RATE_EST64, struct(gnet_stats_rate_est64)),
  basicHw: attr(TCA_STATS_BASIC_HW, struct(gnet_stats_basic)),
  pkt64: attr(TCA_STATS_PKT64, u64),
});

/** Counters as `tc -s` shows them. Only what the kernel sent is set. */
export interface TcStats {
  bytes?: number;
  packets?: number;
  drops?: number;
  overlimits?: number;
  requeues?: number;
  /** Bytes queued. */
  backlog?: number;
  /** Packets queued. */
  qlen?: number;
  /** The rate estimator's view, when one is configured: bytes and packets per second. */
  rate?: { bps: number; pps: number };
  /** What hardware offload handled (when the kernel reports it). */
  hw?: { bytes: number; packets: number };
}

/** Builds TcStats from a decoded TCA_STATS2 nest; returns where the kind's own stats (TCA_STATS_APP) lie. */
export function statsFromNest(s: AttrsOut<typeof stats2Attrs.specs>): { stats: TcStats; app?: Span } {
  const stats: TcStats = {};
  if (s.basic) {
    stats.bytes = s.basic.bytes;
    stats.packets = s.pkt64 ?? s.basic.packets;
  }
  if (s.queue) setQueue(stats, s.queue);
  const est = s.rateEst64 ?? s.rateEst;
  if (est) stats.rate = { bps: est.bps, pps: est.pps };
  if (s.basicHw && (s.basicHw.bytes !== 0 || s.basicHw.packets !== 0)) stats.hw = { bytes: s.basicHw.bytes, packets: s.basicHw.packets };
  return { stats, app: s.app };
}

function setQueue(stats: TcStats, q: StructValue<typeof gnet_stats_queue>): void {
  stats.drops = q.drops;
  stats.overlimits = q.overlimits;
  stats.requeues = q.requeues;
  stats.backlog = q.backlog;
  stats.qlen = q.qlen;
}

/** The legacy struct tc_stats, from kernels (or objects) without TCA_STATS2. */
export function statsFromLegacy(s: StructValue<typeof tc_stats>): TcStats {
  const stats: TcStats = { bytes: s.bytes, packets: s.packets, drops: s.drops, overlimits: s.overlimits, backlog: s.backlog, qlen: s.qlen };
  if (s.bps || s.pps) stats.rate = { bps: s.bps, pps: s.pps };
  return stats;
}

export const legacyStats = struct(tc_stats);

export function decodeStats2(buf: Buffer, sp: Span, issues: DecodeIssue[] | undefined, path: string): { stats: TcStats; app?: Span } {
  return statsFromNest(stats2Attrs.decode(buf, sp.start, sp.end, issues, path));
}
