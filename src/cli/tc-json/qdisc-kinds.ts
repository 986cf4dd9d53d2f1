// Each qdisc kind's options and statistics as tc 6.1 prints them (the
// print_qopt / print_xstats functions of tc/q_*.c), one printer per kind.
import type { tc_fq_qd_stats } from '../../generated/linux/pkt_sched.js';
import type { StructValue } from '../../netlink/struct.js';
import { tick2time } from '../../rtnl/tc/psched.js';
import type { FifoOptions } from '../../rtnl/tc/qdiscs/fifo.js';
import type { FqOptions } from '../../rtnl/tc/qdiscs/fq.js';
import type { FqCodelOptions, FqCodelXstats } from '../../rtnl/tc/qdiscs/fq-codel.js';
import type { NetemOptions } from '../../rtnl/tc/qdiscs/netem.js';
import type { SfqOptions } from '../../rtnl/tc/qdiscs/sfq.js';
import type { HtbQdiscOptions } from '../../rtnl/tc/qdiscs/htb.js';
import type { PrioOptions } from '../../rtnl/tc/qdiscs/prio.js';
import type { TbfOptions } from '../../rtnl/tc/qdiscs/tbf.js';
import { formatG } from './json.js';
import { type TcPrinter, sprintRate, sprintSize, sprintTime, sprintTime64 } from './printer.js';

/** `details`: tc's -d (show_details), which some kinds print more for. */
type Printer<T> = (p: TcPrinter, v: T, details?: boolean) => void;

/** "%#llx": 0x-prefixed hex, plain "0" for zero. */
export const hex0x = (n: number): string => (n === 0 ? '0' : `0x${n.toString(16)}`);

const htb: Printer<HtbQdiscOptions> = (p, o, details) => {
  if (o.r2q !== undefined) {
    p.any('r2q', o.r2q, `r2q ${o.r2q}`)
      .any('default', hex0x(o.default ?? 0), ` default ${hex0x(o.default ?? 0)}`)
      .any('direct_packets_stat', o.directPacketsStat, ` direct_packets_stat ${o.directPacketsStat}`);
    if (details && o.version !== undefined) p.any('ver', `${o.version >> 16}.${o.version & 0xffff}`, ` ver ${o.version >> 16}.${o.version & 0xffff}`);
  }
  if (o.directQlen !== undefined) p.any('direct_qlen', o.directQlen, ` direct_qlen ${o.directQlen}`);
  if (o.offload) p.any('offload', null, ' offload');
};

const tbf: Printer<TbfOptions> = (p, o) => {
  p.any('rate', o.rate, `rate ${sprintRate(o.rate)} `).any('burst', o.burst, `burst ${sprintSize(o.burst)} `);
  if (o.peakrate) {
    p.onlyText(`peakrate ${sprintRate(o.peakrate)} `);
    if (o.minburst !== undefined) p.any('minburst', o.minburst, `minburst ${sprintSize(o.minburst)} `);
  }
  if (o.latency !== undefined) p.onlyJson('lat', o.latency).onlyText(`lat ${sprintTime(o.latency)} `);
  else p.any('limit', o.limit, `limit ${sprintSize(o.limit)} `);
  if (o.overhead) p.any('overhead', o.overhead, `overhead ${o.overhead} `);
  if (typeof o.linklayer !== 'string' || (o.linklayer !== 'ethernet' && o.linklayer !== 'unspec')) {
    p.any('linklayer', String(o.linklayer), `linklayer ${o.linklayer} `);
  }
};

const pfifo: Printer<FifoOptions> = (p, o) => { p.any('limit', o.limit, `limit ${o.limit}p`); };
const bfifo: Printer<FifoOptions> = (p, o) => { p.any('limit', o.limit, `limit ${sprintSize(o.limit)}`); };

const prio: Printer<PrioOptions> = (p, o) => {
  p.any('bands', o.bands, `bands ${o.bands} `);
  p.json.put('priomap', [...o.priomap]);
  p.onlyText(`priomap ${o.priomap.map((b) => ` ${b}`).join('')}`);
  p.onlyJson('multiqueue', false);
};

/** Options printers by kind; kinds without one print an empty options object, as tc does. */
const UINT32_MAX = 4294967295;
/** The kernel's u32 probability back from a decoded percent (exact: the rounding error is far below 0.5). */
const raw = (percent: number): number => Math.round((percent * UINT32_MAX) / 100);

const netem: Printer<NetemOptions> = (p, o) => {
  p.any('limit', o.limit, `limit ${o.limit}`);
  // tc 6.1 prints the 32-bit tick fields; the kernel derives them from nanoseconds.
  const us = (ns: number): number => tick2time(Math.min(Math.floor(ns / 64), UINT32_MAX));
  const corr = (p2: TcPrinter, shown: boolean, percent: number | undefined): void => {
    const v = raw(percent ?? 0);
    p2.float('correlation', v / UINT32_MAX, shown && v ? ` ${formatG((100 * v) / UINT32_MAX)}%` : undefined);
  };
  const pctOut = (p2: TcPrinter, key: string, label: string, percent: number): void => {
    const v = raw(percent);
    p2.float(key, v / UINT32_MAX, ` ${label} ${formatG((100 * v) / UINT32_MAX)}%`);
  };
  if (o.delay) {
    p.nest('delay', (d) => {
      d.float('delay', us(o.delay) / 1000000, ` delay ${sprintTime(us(o.delay))}`);
      d.float('jitter', us(o.jitter) / 1000000, o.jitter ? `  ${sprintTime(us(o.jitter))}` : undefined);
      corr(d, o.jitter !== 0 && !!o.delayCorrelation, o.delayCorrelation);
    });
  }
  if (o.loss) p.nest('loss-random', (d) => { pctOut(d, 'loss', 'loss', o.loss); corr(d, !!o.lossCorrelation, o.lossCorrelation); });
  const m = o.lossModel;
  if (m?.model === 'state') {
    p.nest('loss-state', (d) => {
      pctOut(d, 'p13', 'loss state p13', m.p13);
      for (const k of ['p31', 'p32', 'p23', 'p14'] as const) pctOut(d, k, k, m[k]);
    });
  } else if (m?.model === 'gemodel') {
    p.nest('loss-gemodel', (d) => {
      pctOut(d, 'p', 'loss gemodel p', m.p);
      pctOut(d, 'r', 'r', m.r);
      const oneMinusH = UINT32_MAX - raw(m.h);
      d.float('1-h', oneMinusH / UINT32_MAX, ` 1-h ${formatG((100 * oneMinusH) / UINT32_MAX)}%`);
      pctOut(d, '1-k', '1-k', m.k1);
    });
  }
  if (o.duplicate) p.nest('duplicate', (d) => { pctOut(d, 'duplicate', 'duplicate', o.duplicate); corr(d, !!o.duplicateCorrelation, o.duplicateCorrelation); });
  if (o.reorder?.probability) p.nest('reorder', (d) => { pctOut(d, 'reorder', 'reorder', o.reorder!.probability); corr(d, !!o.reorder!.correlation, o.reorder!.correlation); });
  if (o.corrupt?.probability) p.nest('corrupt', (d) => { pctOut(d, 'corrupt', 'corrupt', o.corrupt!.probability); corr(d, !!o.corrupt!.correlation, o.corrupt!.correlation); });
  if (o.rate?.rate) {
    const r = o.rate;
    p.nest('rate', (d) => {
      d.any('rate', r.rate, ` rate ${sprintRate(r.rate)}`)
        .any('packetoverhead', r.packetOverhead, r.packetOverhead ? ` packetoverhead ${r.packetOverhead}` : undefined)
        .any('cellsize', r.cellSize, r.cellSize ? ` cellsize ${r.cellSize}` : undefined)
        .any('celloverhead', r.cellOverhead, r.cellOverhead ? ` celloverhead ${r.cellOverhead}` : undefined);
    });
  }
  if (o.slot) {
    const sl = o.slot;
    p.nest('slot', (d) => {
      if (sl.distJitter > 0) {
        d.float('distribution', sl.distDelay / 1e9, ` slot distribution ${sprintTime64(sl.distDelay)}`).float('jitter', sl.distJitter / 1e9, ` ${sprintTime64(sl.distJitter)}`);
      } else {
        d.float('min-delay', sl.minDelay / 1e9, ` slot ${sprintTime64(sl.minDelay)}`).float('max-delay', sl.maxDelay / 1e9, ` ${sprintTime64(sl.maxDelay)}`);
      }
      d.any('packets', sl.maxPackets, sl.maxPackets ? ` packets ${sl.maxPackets}` : undefined).any('bytes', sl.maxBytes, sl.maxBytes ? ` bytes ${sl.maxBytes}` : undefined);
    });
  }
  p.any('ecn', !!o.ecn, o.ecn ? ' ecn ' : undefined);
  p.any('gap', o.gap, o.gap ? ` gap ${o.gap}` : undefined);
};

const fqCodel: Printer<FqCodelOptions> = (p, o) => {
  if (o.limit !== undefined) p.any('limit', o.limit, `limit ${o.limit}p `);
  if (o.flows !== undefined) p.any('flows', o.flows, `flows ${o.flows} `);
  if (o.quantum !== undefined) p.any('quantum', o.quantum, `quantum ${o.quantum} `);
  if (o.target !== undefined) p.any('target', o.target, `target ${sprintTime(o.target)} `);
  if (o.ceThreshold !== undefined) p.any('ce_threshold', o.ceThreshold, `ce_threshold ${sprintTime(o.ceThreshold)} `);
  if (o.ceThresholdSelector || o.ceThresholdMask) {
    p.any('ce_threshold_selector', o.ceThresholdSelector ?? 0, `ce_threshold_selector ${hex0x(o.ceThresholdSelector ?? 0)}`)
      .any('ce_threshold_mask', o.ceThresholdMask ?? 0, `/${hex0x(o.ceThresholdMask ?? 0)} `);
  }
  if (o.interval !== undefined) p.any('interval', o.interval, `interval ${sprintTime(o.interval)} `);
  if (o.memoryLimit !== undefined) p.any('memory_limit', o.memoryLimit, `memory_limit ${sprintSize(o.memoryLimit)} `);
  if (o.ecn) p.any('ecn', true, 'ecn ');
  if (o.dropBatch) p.any('drop_batch', o.dropBatch, `drop_batch ${o.dropBatch} `);
};

const fqCodelXstats: Printer<FqCodelXstats> = (p, x) => {
  if (x.type === 'qdisc') {
    p.any('maxpacket', x.maxpacket, `  maxpacket ${x.maxpacket}`).any('drop_overlimit', x.drop_overlimit, ` drop_overlimit ${x.drop_overlimit}`)
      .any('new_flow_count', x.new_flow_count, ` new_flow_count ${x.new_flow_count}`).any('ecn_mark', x.ecn_mark, ` ecn_mark ${x.ecn_mark}`);
    if (x.ce_mark) p.any('ce_mark', x.ce_mark, ` ce_mark ${x.ce_mark}`);
    if (x.memory_usage) p.any('memory_used', x.memory_usage, ` memory_used ${x.memory_usage}`);
    if (x.drop_overmemory) p.any('drop_overmemory', x.drop_overmemory, ` drop_overmemory ${x.drop_overmemory}`);
    p.any('new_flows_len', x.new_flows_len, `\n  new_flows_len ${x.new_flows_len}`).any('old_flows_len', x.old_flows_len, ` old_flows_len ${x.old_flows_len}`);
  }
};

const sfq: Printer<SfqOptions> = (p, o, details) => {
  p.any('limit', o.limit, `limit ${o.limit}p `).any('quantum', o.quantum, `quantum ${sprintSize(o.quantum)} `);
  if (o.depth) p.any('depth', o.depth, `depth ${o.depth} `);
  if (o.headdrop) p.any('headdrop', true, 'headdrop ');
  if (details) p.any('flows', o.flows, `flows ${o.flows} `);
  p.any('divisor', o.divisor, `divisor ${o.divisor} `);
  if (o.perturb) p.any('perturb', o.perturb, `perturb ${o.perturb}sec `);
};

const fq: Printer<FqOptions> = (p, o) => {
  if (o.limit !== undefined) p.any('limit', o.limit, `limit ${o.limit}p `);
  if (o.flowLimit !== undefined) p.any('flow_limit', o.flowLimit, `flow_limit ${o.flowLimit}p `);
  if (o.buckets !== undefined) p.any('buckets', o.buckets, `buckets ${o.buckets} `);
  if (o.orphanMask !== undefined) p.any('orphan_mask', o.orphanMask, `orphan_mask ${o.orphanMask} `);
  if (o.pacing === false) p.any('pacing', false, 'nopacing ');
  if (o.quantum !== undefined) p.any('quantum', o.quantum, `quantum ${sprintSize(o.quantum)} `);
  if (o.initialQuantum !== undefined) p.any('initial_quantum', o.initialQuantum, `initial_quantum ${sprintSize(o.initialQuantum)} `);
  if (o.maxrate !== undefined && o.maxrate !== UINT32_MAX) p.any('maxrate', o.maxrate, `maxrate ${sprintRate(o.maxrate)} `);
  if (o.defrate) p.any('defrate', o.defrate, `defrate ${sprintRate(o.defrate)} `);
  if (o.lowRateThreshold) p.any('low_rate_threshold', o.lowRateThreshold, `low_rate_threshold ${sprintRate(o.lowRateThreshold)} `);
  if (o.refillDelay !== undefined) p.any('refill_delay', o.refillDelay, `refill_delay ${sprintTime(o.refillDelay)} `);
  if (o.ceThreshold !== undefined && o.ceThreshold !== UINT32_MAX) p.any('ce_threshold', o.ceThreshold, `ce_threshold ${sprintTime(o.ceThreshold)} `);
  if (o.timerSlack !== undefined) p.any('timer_slack', o.timerSlack, `timer_slack ${sprintTime64(o.timerSlack)} `);
  if (o.horizon !== undefined) p.any('horizon', o.horizon, `horizon ${sprintTime(o.horizon)} `);
  if (o.horizonDrop !== undefined) p.any(o.horizonDrop ? 'horizon_drop' : 'horizon_cap', null, o.horizonDrop ? 'horizon_drop ' : 'horizon_cap ');
};

const ingress: Printer<unknown> = (p) => { p.onlyText('---------------- '); };

export const qdiscOptionPrinters: Record<string, Printer<never>> = {
  htb, tbf, pfifo, pfifo_head_drop: pfifo, bfifo, prio, ingress, netem, fq_codel: fqCodel, sfq, fq,
} as Record<string, Printer<never>>;

const sfqXstats: Printer<{ allot: number }> = (p, x) => { p.any('allot', x.allot, `  allot ${x.allot}`); };

const fqXstats: Printer<StructValue<typeof tc_fq_qd_stats>> = (p, x) => {
  p.any('flows', x.flows, `  flows ${x.flows}`).any('inactive', x.inactive_flows, ` (inactive ${x.inactive_flows}`)
    .any('throttled', x.throttled_flows, ` throttled ${x.throttled_flows})`);
  if (x.time_next_delayed_flow > 0) p.any('next_packet_delay', x.time_next_delayed_flow, ` next_packet_delay ${sprintTime64(x.time_next_delayed_flow)}`);
  p.any('gc', x.gc_flows, `\n  gc ${x.gc_flows}`).any('highprio', x.highprio_packets, ` highprio ${x.highprio_packets}`);
  if (x.tcp_retrans) p.any('retrans', x.tcp_retrans, ` retrans ${x.tcp_retrans}`);
  p.any('throttled', x.throttled, ` throttled ${x.throttled}`);
  if (x.unthrottle_latency_ns) p.any('latency', x.unthrottle_latency_ns, ` latency ${sprintTime64(x.unthrottle_latency_ns)}`);
  if (x.ce_mark) p.any('ce_mark', x.ce_mark, ` ce_mark ${x.ce_mark}`);
  if (x.flows_plimit) p.any('flows_plimit', x.flows_plimit, ` flows_plimit ${x.flows_plimit}`);
  if (x.pkts_too_long || x.allocation_errors || x.horizon_drops || x.horizon_caps) {
    p.onlyText('\n');
    if (x.pkts_too_long) p.any('pkts_too_long', x.pkts_too_long, ` pkts_too_long ${x.pkts_too_long}`);
    if (x.allocation_errors) p.any('alloc_errors', x.allocation_errors, ` alloc_errors ${x.allocation_errors}`);
    if (x.horizon_drops) p.any('horizon_drops', x.horizon_drops, ` horizon_drops ${x.horizon_drops}`);
    if (x.horizon_caps) p.any('horizon_caps', x.horizon_caps, `  horizon_caps ${x.horizon_caps}`);
  }
};

export const qdiscXstatsPrinters: Record<string, Printer<never>> = { fq_codel: fqCodelXstats, sfq: sfqXstats, fq: fqXstats } as Record<string, Printer<never>>;
