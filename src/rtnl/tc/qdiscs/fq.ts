// fq: fair queue packet scheduler with pacing. Options are sent only when
// given, in tc's order.
import {
  TCA_FQ_BUCKETS_LOG, TCA_FQ_CE_THRESHOLD, TCA_FQ_FLOW_DEFAULT_RATE, TCA_FQ_FLOW_MAX_RATE, TCA_FQ_FLOW_PLIMIT,
  TCA_FQ_FLOW_REFILL_DELAY, TCA_FQ_HORIZON, TCA_FQ_HORIZON_DROP, TCA_FQ_INITIAL_QUANTUM, TCA_FQ_LOW_RATE_THRESHOLD,
  TCA_FQ_ORPHAN_MASK, TCA_FQ_PLIMIT, TCA_FQ_QUANTUM, TCA_FQ_RATE_ENABLE, TCA_FQ_TIMER_SLACK, tc_fq_qd_stats,
} from '../../../generated/linux/pkt_sched.js';
import { u32, u8 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { type StructValue, decodeStruct } from '../../../netlink/struct.js';
import { type QdiscKind, type TcPrint } from '../kind.js';
import { boolOption, checkKeys, intOption, optionsObject } from '../options.js';
import { type Rate, type Time, type Time64, parseRate32, parseTime, parseTime64 } from '../units.js';
import { UINT32_MAX } from '../../../netlink/ints.js';
import { type Words, cNumber } from '../../words.js';
import { sprintRate, sprintSize, sprintTime, sprintTime64 } from '../printer.js';

// ── tc words and printers ──

function fqWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const num: Record<string, string> = { limit: 'limit', flow_limit: 'flowLimit', buckets: 'buckets', quantum: 'quantum', initial_quantum: 'initialQuantum', orphan_mask: 'orphanMask' };
  const text: Record<string, string> = { maxrate: 'maxrate', low_rate_threshold: 'lowRateThreshold', ce_threshold: 'ceThreshold', timer_slack: 'timerSlack', horizon: 'horizon', defrate: 'defrate', refill_delay: 'refillDelay' };
  while (!w.done) {
    const k = w.next();
    if (num[k]) o[num[k]!] = cNumber(w.value(k), `fq ${k}`);
    else if (text[k]) o[text[k]!] = w.value(k);
    else if (k === 'horizon_drop') o.horizonDrop = true;
    else if (k === 'horizon_cap') o.horizonDrop = false;
    else if (k === 'pacing') o.pacing = true;
    else if (k === 'nopacing') o.pacing = false;
    else w.unknown(k);
  }
  return o;
}

const printFq: TcPrint<FqOptions> = (p, o) => {
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

const printFqXstats: TcPrint<StructValue<typeof tc_fq_qd_stats>> = (p, x) => {
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

const attrs = attrSet('fq', {
  plimit: attr(TCA_FQ_PLIMIT, u32),
  flowPlimit: attr(TCA_FQ_FLOW_PLIMIT, u32),
  quantum: attr(TCA_FQ_QUANTUM, u32),
  initialQuantum: attr(TCA_FQ_INITIAL_QUANTUM, u32),
  rateEnable: attr(TCA_FQ_RATE_ENABLE, u32),
  flowDefaultRate: attr(TCA_FQ_FLOW_DEFAULT_RATE, u32),
  flowMaxRate: attr(TCA_FQ_FLOW_MAX_RATE, u32),
  bucketsLog: attr(TCA_FQ_BUCKETS_LOG, u32),
  flowRefillDelay: attr(TCA_FQ_FLOW_REFILL_DELAY, u32),
  orphanMask: attr(TCA_FQ_ORPHAN_MASK, u32),
  lowRateThreshold: attr(TCA_FQ_LOW_RATE_THRESHOLD, u32),
  ceThreshold: attr(TCA_FQ_CE_THRESHOLD, u32),
  timerSlack: attr(TCA_FQ_TIMER_SLACK, u32),
  horizon: attr(TCA_FQ_HORIZON, u32),
  horizonDrop: attr(TCA_FQ_HORIZON_DROP, u8),
});

/** fq as the kernel describes it: rates bytes/s, times microseconds (timerSlack nanoseconds). */
export interface FqOptions {
  limit?: number;
  flowLimit?: number;
  buckets?: number;
  quantum?: number;
  initialQuantum?: number;
  pacing?: boolean;
  maxrate?: number;
  defrate?: number;
  lowRateThreshold?: number;
  refillDelay?: number;
  orphanMask?: number;
  ceThreshold?: number;
  timerSlack?: number;
  horizon?: number;
  horizonDrop?: boolean;
  unknown?: RawAttr[];
}

/** fq's options as given. */
export interface FqOptionsInput {
  /** Packets. */
  limit?: number;
  flowLimit?: number;
  /** Hash buckets (rounded up to a power of two). */
  buckets?: number;
  quantum?: number;
  initialQuantum?: number;
  pacing?: boolean;
  maxrate?: Rate;
  defrate?: Rate;
  lowRateThreshold?: Rate;
  refillDelay?: Time;
  orphanMask?: number;
  ceThreshold?: Time;
  timerSlack?: Time64;
  horizon?: Time;
  /** Drop packets beyond the horizon (true) or cap their time (false). */
  horizonDrop?: boolean;
}

const KEYS = ['limit', 'flowLimit', 'buckets', 'quantum', 'initialQuantum', 'pacing', 'maxrate', 'defrate', 'lowRateThreshold',
  'refillDelay', 'orphanMask', 'ceThreshold', 'timerSlack', 'horizon', 'horizonDrop'] as const;

/** tc's ilog2: the exponent of the power of two at or above val. */
function ilog2(val: number): number {
  let res = 0;
  for (let v = val - 1; v > 0; v = Math.floor(v / 2)) res++;
  return res;
}

export const fq: QdiscKind<FqOptions, FqOptionsInput | undefined, never, never, StructValue<typeof tc_fq_qd_stats>, never> = {
  kind: 'fq',
  words: fqWords,
  print: printFq,
  printXstats: printFqXstats,
  qdisc: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, KEYS, path, 'fq');
      const n = (k: string): number | undefined => (v[k] === undefined ? undefined : intOption(v[k], `${path}.${k}`));
      let slack: number | undefined;
      if (v.timerSlack !== undefined) {
        slack = parseTime64(v.timerSlack, `${path}.timerSlack`);
        if (slack > 0xffffffff) throw new EncodeError(`${path}.timerSlack`, 'out of range (at most 2^32-1 ns)');
      }
      const buckets = n('buckets');
      attrs.encode(w, {
        bucketsLog: buckets ? ilog2(buckets) : undefined,
        plimit: n('limit'),
        flowPlimit: n('flowLimit'),
        quantum: n('quantum'),
        initialQuantum: n('initialQuantum'),
        rateEnable: v.pacing === undefined ? undefined : boolOption(v.pacing, `${path}.pacing`) ? 1 : 0,
        flowMaxRate: v.maxrate === undefined ? undefined : parseRate32(v.maxrate, `${path}.maxrate`, ctx),
        lowRateThreshold: v.lowRateThreshold === undefined ? undefined : parseRate32(v.lowRateThreshold, `${path}.lowRateThreshold`, ctx),
        flowDefaultRate: v.defrate === undefined ? undefined : parseRate32(v.defrate, `${path}.defrate`, ctx),
        flowRefillDelay: v.refillDelay === undefined ? undefined : parseTime(v.refillDelay, `${path}.refillDelay`),
        orphanMask: n('orphanMask'),
        ceThreshold: v.ceThreshold === undefined ? undefined : parseTime(v.ceThreshold, `${path}.ceThreshold`),
        timerSlack: slack,
        horizon: v.horizon === undefined ? undefined : parseTime(v.horizon, `${path}.horizon`),
        horizonDrop: v.horizonDrop === undefined ? undefined : boolOption(v.horizonDrop, `${path}.horizonDrop`) ? 1 : 0,
      }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = attrs.decode(buf, start, end, issues, path);
      const out: FqOptions = {};
      if (a.plimit !== undefined) out.limit = a.plimit;
      if (a.flowPlimit !== undefined) out.flowLimit = a.flowPlimit;
      if (a.bucketsLog !== undefined) out.buckets = 2 ** a.bucketsLog;
      if (a.quantum !== undefined) out.quantum = a.quantum;
      if (a.initialQuantum !== undefined) out.initialQuantum = a.initialQuantum;
      if (a.rateEnable !== undefined) out.pacing = a.rateEnable !== 0;
      if (a.flowMaxRate !== undefined) out.maxrate = a.flowMaxRate;
      if (a.flowDefaultRate !== undefined) out.defrate = a.flowDefaultRate;
      if (a.lowRateThreshold !== undefined) out.lowRateThreshold = a.lowRateThreshold;
      if (a.flowRefillDelay !== undefined) out.refillDelay = a.flowRefillDelay;
      if (a.orphanMask !== undefined) out.orphanMask = a.orphanMask;
      if (a.ceThreshold !== undefined) out.ceThreshold = a.ceThreshold;
      if (a.timerSlack !== undefined) out.timerSlack = a.timerSlack;
      if (a.horizon !== undefined) out.horizon = a.horizon;
      if (a.horizonDrop !== undefined) out.horizonDrop = a.horizonDrop !== 0;
      if (a.unknown) out.unknown = a.unknown;
      return out;
    },
  },
  xstats: (buf, start, end, issues, path) => decodeStruct(tc_fq_qd_stats, buf, start, end, issues, path),
};
