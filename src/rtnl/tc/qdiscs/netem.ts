// netem: network emulation — delay with jitter, correlation and a
// distribution, loss (random, 4-state, Gilbert-Elliott), duplication,
// corruption, reordering, rate limiting with per-packet overhead and cells,
// slotting, ECN marking. Encoded as tc 6.1 encodes it: struct tc_netem_qopt
// as the head of TCA_OPTIONS, then the attributes, delays in scheduler ticks,
// probabilities scaled to 2^32-1.
import { UINT32_MAX } from '../../../netlink/ints.js';
import {
  NETEM_LOSS_GE, NETEM_LOSS_GI, TCA_NETEM_CORR, TCA_NETEM_CORRUPT, TCA_NETEM_DELAY_DIST, TCA_NETEM_ECN,
  TCA_NETEM_JITTER64, TCA_NETEM_LATENCY64, TCA_NETEM_LOSS, TCA_NETEM_RATE, TCA_NETEM_RATE64, TCA_NETEM_REORDER,
  TCA_NETEM_SLOT, TCA_NETEM_SLOT_DIST, tc_netem_corr, tc_netem_corrupt, tc_netem_gemodel, tc_netem_gimodel,
  tc_netem_qopt, tc_netem_rate, tc_netem_reorder, tc_netem_slot,
} from '../../../generated/linux/pkt_sched.js';
import { describe } from '../../../netlink/describe.js';
import { binary, s64, struct, u32, u64 } from '../../../netlink/codec.js';
import { type DecodeIssue, EncodeError } from '../../../netlink/errors.js';
import { encodeAttrsChecked, isRecord } from '../../../netlink/narrow.js';
import { type RawAttr, attr, attrSet, nested } from '../../../netlink/schema.js';
import { decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import type { NetlinkWriter } from '../../../netlink/writer.js';
import { type EncodeContext, type OptionsCodec, type QdiscKind, type TcPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { pschedClock, tick2time, time2tick } from '../psched.js';
import { type Percent, type Rate, type Size, type Time64, parsePercent, parseRate, parseSize, parseTime, parseTime64 } from '../units.js';
import { DISTRIBUTIONS, type NetemDistribution, distributionTable, rint } from './netem-dist.js';
import { type Words, UsageError, cNumber, cSigned, matches } from '../../words.js';
import { type TcPrinter, sprintRate, sprintTime, sprintTime64 } from '../printer.js';
import { formatG } from '../json.js';

// ── tc words and printers ──

function netemWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const pct = (): string => w.next();
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'limit')) o.limit = w.value(k);
    else if (matches(k, 'latency') || matches(k, 'delay')) {
      o.delay = w.value(k);
      if (w.nextIsNumber()) {
        o.jitter = w.next();
        if (w.nextIsNumber()) o.delayCorrelation = pct();
      }
    } else if (matches(k, 'loss') || matches(k, 'drop')) {
      if (o.loss !== undefined) throw new UsageError('netem: duplicate loss argument');
      const m = w.value(k);
      if (/^\d/.test(m) || m === 'random') {
        const p = m === 'random' ? w.value('random') : m;
        o.loss = w.nextIsNumber() ? { random: p, correlation: pct() } : { random: p };
      } else if (m === 'state') {
        const st: Record<string, string> = { p13: w.value('state') };
        for (const key of ['p31', 'p32', 'p23', 'p14']) { if (!w.nextIsNumber()) break; st[key] = w.next(); }
        o.loss = { state: st };
      } else if (m === 'gemodel') {
        const ge: Record<string, string> = { p: w.value('gemodel') };
        for (const key of ['r', 'oneMinusH', 'oneMinusK']) { if (!w.nextIsNumber()) break; ge[key] = w.next(); }
        o.loss = { gemodel: ge };
      } else {
        throw new UsageError(`netem: unknown loss parameter "${m}"`);
      }
    } else if (matches(k, 'ecn')) o.ecn = true;
    else if (matches(k, 'reorder')) { o.reorder = w.value(k); if (w.nextIsNumber()) o.reorderCorrelation = pct(); }
    else if (matches(k, 'corrupt')) { o.corrupt = w.value(k); if (w.nextIsNumber()) o.corruptCorrelation = pct(); }
    else if (matches(k, 'gap')) o.gap = cNumber(w.value(k), 'netem gap');
    else if (matches(k, 'duplicate')) { o.duplicate = w.value(k); if (w.nextIsNumber()) o.duplicateCorrelation = pct(); }
    else if (matches(k, 'distribution')) o.distribution = w.value(k);
    else if (matches(k, 'rate')) {
      o.rate = w.value(k);
      if (w.nextIsNumber(true)) o.packetOverhead = cSigned(w.next(), 'netem packet overhead');
      if (w.nextIsNumber()) o.cellSize = cNumber(w.next(), 'netem cell size');
      if (w.nextIsNumber(true)) o.cellOverhead = cSigned(w.next(), 'netem cell overhead');
    } else if (matches(k, 'slot')) {
      const slot: Record<string, unknown> = {};
      if (w.nextIsNumber()) {
        slot.min = w.next();
        if (w.nextIsNumber()) slot.max = w.next();
      } else if (w.value(k) === 'distribution') {
        slot.distribution = w.value('distribution');
        slot.delay = w.value('distribution');
        slot.jitter = w.value('distribution');
      } else {
        throw new UsageError('netem: slot MIN [MAX] or slot distribution NAME DELAY JITTER');
      }
      if (w.peek() !== undefined && matches(w.peek()!, 'packets')) { w.next(); slot.packets = cSigned(w.value('packets'), 'slot packets'); }
      if (w.peek() !== undefined && matches(w.peek()!, 'bytes')) { w.next(); slot.bytes = w.value('bytes'); }
      o.slot = slot;
    } else w.unknown(k);
  }
  return o;
}

/** The kernel's u32 probability back from a decoded percent (exact: the rounding error is far below 0.5). */
const raw = (percent: number): number => Math.round((percent * UINT32_MAX) / 100);

const printNetem: TcPrint<NetemOptions> = (p, o) => {
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

const lossAttrs = attrSet('netem.loss', {
  gi: attr(NETEM_LOSS_GI, struct(tc_netem_gimodel)),
  ge: attr(NETEM_LOSS_GE, struct(tc_netem_gemodel)),
});

const netemAttrs = attrSet('netem', {
  corr: attr(TCA_NETEM_CORR, struct(tc_netem_corr)),
  delayDist: attr(TCA_NETEM_DELAY_DIST, binary),
  reorder: attr(TCA_NETEM_REORDER, struct(tc_netem_reorder)),
  corrupt: attr(TCA_NETEM_CORRUPT, struct(tc_netem_corrupt)),
  loss: attr(TCA_NETEM_LOSS, nested(lossAttrs, { nestFlag: true })),
  rate: attr(TCA_NETEM_RATE, struct(tc_netem_rate)),
  ecn: attr(TCA_NETEM_ECN, u32),
  rate64: attr(TCA_NETEM_RATE64, u64),
  latency64: attr(TCA_NETEM_LATENCY64, s64),
  jitter64: attr(TCA_NETEM_JITTER64, s64),
  slot: attr(TCA_NETEM_SLOT, struct(tc_netem_slot)),
  slotDist: attr(TCA_NETEM_SLOT_DIST, binary),
});

/** A probability as the kernel keeps it: fraction × (2^32 − 1), rounded as tc's set_percent. */
const scaled = (fraction: number): number => rint(fraction * UINT32_MAX);
/** Back to percent, as tc prints it. */
const percentOf = (n: number): number => (100 * n) / UINT32_MAX;

/** netem's slotting: packets sent in bursts at intervals. */
export interface NetemSlot {
  /** Nanoseconds. */
  minDelay: number;
  maxDelay: number;
  /** With a distribution: its mean and jitter, nanoseconds. */
  distDelay: number;
  distJitter: number;
  maxPackets: number;
  maxBytes: number;
}

/** netem's loss model: Gilbert-Elliott or the 4-state model, as decoded. */
export type NetemLossModel =
  | { model: 'state'; p13: number; p31: number; p32: number; p23: number; p14: number }
  | { model: 'gemodel'; p: number; r: number; h: number; k1: number };

/** netem as the kernel describes it. Probabilities in percent, times in nanoseconds, rates in bytes/s. */
export interface NetemOptions {
  limit: number;
  delay: number;
  jitter: number;
  /** Random loss, percent. */
  loss: number;
  gap: number;
  duplicate: number;
  delayCorrelation?: number;
  lossCorrelation?: number;
  duplicateCorrelation?: number;
  reorder?: { probability: number; correlation: number };
  corrupt?: { probability: number; correlation: number };
  /** Percentages of the 4-state or Gilbert-Elliott model (h as the kernel keeps it; tc prints 1-h). */
  lossModel?: NetemLossModel;
  rate?: { rate: number; packetOverhead: number; cellSize: number; cellOverhead: number };
  ecn?: boolean;
  slot?: NetemSlot;
  unknown?: RawAttr[];
}

/** A loss model as tc takes it ("loss random 1% 25%", "loss state 1 2 3", "loss gemodel 1% 10% 70% 0.1%"). */
export type NetemLossInput =
  | Percent
  | { random: Percent; correlation?: Percent }
  | { state: { p13: Percent; p31?: Percent; p32?: Percent; p23?: Percent; p14?: Percent } }
  | { gemodel: { p: Percent; r?: Percent; oneMinusH?: Percent; oneMinusK?: Percent } };

/** netem's options. Times: strings ('100ms') or nanoseconds; probabilities: '1%' or percent. */
export interface NetemOptionsInput {
  /** Packets; default 1000. */
  limit?: Size;
  delay?: Time64;
  jitter?: Time64;
  delayCorrelation?: Percent;
  /** The jitter's shape: tc's tables, computed (not read from files), or your own table of s16 values. */
  distribution?: NetemDistribution | readonly number[] | Int16Array;
  loss?: NetemLossInput;
  duplicate?: Percent;
  duplicateCorrelation?: Percent;
  corrupt?: Percent;
  corruptCorrelation?: Percent;
  reorder?: Percent;
  reorderCorrelation?: Percent;
  /** Reorder every gap-th packet (default 1 with reorder). */
  gap?: number;
  rate?: Rate;
  packetOverhead?: number;
  cellSize?: number;
  cellOverhead?: number;
  slot?:
    | { min: Time64; max?: Time64; packets?: number; bytes?: Size }
    | { distribution: NetemDistribution | readonly number[] | Int16Array; delay: Time64; jitter: Time64; packets?: number; bytes?: Size };
  /** Mark (ECN CE) instead of dropping, with a loss model. */
  ecn?: boolean;
}

const KEYS = [
  'limit', 'delay', 'jitter', 'delayCorrelation', 'distribution', 'loss', 'duplicate', 'duplicateCorrelation', 'corrupt',
  'corruptCorrelation', 'reorder', 'reorderCorrelation', 'gap', 'rate', 'packetOverhead', 'cellSize', 'cellOverhead', 'slot', 'ecn',
] as const;

/** tc's get_ticks: microseconds of a 32-bit time, refused when its ticks would not fit 32 bits. */
function ticks(v: unknown, path: string): number {
  const us = typeof v === 'string' ? parseTime(v, path) : Math.trunc(parseTime64(v, path) / 1000);
  const clock = pschedClock();
  if (us * clock.tickInUsec >= 2 ** 32) throw new EncodeError(path, `${describe(v)} is too large for netem's 32-bit delay`);
  return time2tick(us, clock);
}

const pct = (v: unknown, path: string): number => scaled(parsePercent(v, path));

function table(v: unknown, path: string): Buffer {
  if (typeof v === 'string') {
    const name = DISTRIBUTIONS.find((d) => d === v);
    if (name === undefined) throw new EncodeError(path, `no distribution "${v}" (normal, pareto, paretonormal, or a table of values)`);
    return distributionTable(name);
  }
  const values = v instanceof Int16Array ? Array.from(v) : v;
  if (!Array.isArray(values) || values.length === 0) throw new EncodeError(path, `expected a distribution name or a table of s16 values, got ${describe(v)}`);
  if (values.length > 16384) throw new EncodeError(path, `a distribution table holds at most 16384 values, got ${values.length}`);
  const b = Buffer.alloc(values.length * 2);
  values.forEach((x: unknown, i: number) => b.writeInt16LE(intOption(x, `${path}[${i}]`, -32768, 32767), i * 2));
  return b;
}

function lossModel(v: unknown, path: string): { loss?: number; lossCorr?: number; gi?: Record<string, number>; ge?: Record<string, number> } {
  if (typeof v === 'number' || typeof v === 'string') return { loss: pct(v, path) };
  if (!isRecord(v)) throw new EncodeError(path, `expected a loss percentage or model, got ${describe(v)}`);
  const o = v;
  if ('random' in o) {
    return { loss: pct(o.random, `${path}.random`), lossCorr: o.correlation === undefined ? undefined : pct(o.correlation, `${path}.correlation`) };
  }
  if ('state' in o) {
    const s = isRecord(o.state) ? o.state : {};
    const p13 = parsePercent(s.p13, `${path}.state.p13`);
    const gi: Record<string, number> = { p13: scaled(p13), p31: scaled(1 - p13), p32: 0, p23: scaled(1), p14: 0 };
    for (const k of ['p31', 'p32', 'p23', 'p14']) if (s[k] !== undefined) gi[k] = pct(s[k], `${path}.state.${k}`);
    return { gi };
  }
  if ('gemodel' in o) {
    const g = isRecord(o.gemodel) ? o.gemodel : {};
    const p = parsePercent(g.p, `${path}.gemodel.p`);
    const ge: Record<string, number> = { p: scaled(p), r: scaled(1 - p), h: 0, k1: 0 };
    if (g.r !== undefined) ge.r = pct(g.r, `${path}.gemodel.r`);
    // tc takes "1-h" and the kernel wants h.
    if (g.oneMinusH !== undefined) ge.h = UINT32_MAX - pct(g.oneMinusH, `${path}.gemodel.oneMinusH`);
    if (g.oneMinusK !== undefined) ge.k1 = pct(g.oneMinusK, `${path}.gemodel.oneMinusK`);
    return { ge };
  }
  throw new EncodeError(path, 'expected a percentage, { random }, { state } or { gemodel }');
}

function encode(w: NetlinkWriter, value: NetemOptionsInput | undefined, ctx: EncodeContext, path: string): void {
  const v = optionsObject(value, path);
  checkKeys(v, KEYS, path, 'netem');
  const opt = { latency: 0, limit: 1000, loss: 0, gap: 0, duplicate: 0, jitter: 0 };
  const cor = { delay_corr: 0, loss_corr: 0, dup_corr: 0 };
  let corrPresent = false;
  if (v.limit !== undefined) opt.limit = parseSize(v.limit, `${path}.limit`);
  if (v.delay !== undefined) opt.latency = ticks(v.delay, `${path}.delay`);
  if (v.jitter !== undefined) {
    if (v.delay === undefined) throw new EncodeError(`${path}.jitter`, 'jitter needs a delay');
    opt.jitter = ticks(v.jitter, `${path}.jitter`);
  }
  if (v.delayCorrelation !== undefined) {
    if (v.jitter === undefined) throw new EncodeError(`${path}.delayCorrelation`, 'a delay correlation needs a jitter');
    cor.delay_corr = pct(v.delayCorrelation, `${path}.delayCorrelation`);
    corrPresent = true;
  }
  let gi: Record<string, number> | undefined;
  let ge: Record<string, number> | undefined;
  if (v.loss !== undefined) {
    const l = lossModel(v.loss, `${path}.loss`);
    if (l.loss !== undefined) opt.loss = l.loss;
    if (l.lossCorr !== undefined) { cor.loss_corr = l.lossCorr; corrPresent = true; }
    gi = l.gi;
    ge = l.ge;
  }
  const reorder = probability(v, 'reorder', path);
  const corrupt = probability(v, 'corrupt', path);
  if (v.reorderCorrelation !== undefined || v.corruptCorrelation !== undefined) corrPresent = true;
  if (v.gap !== undefined) opt.gap = intOption(v.gap, `${path}.gap`);
  if (v.duplicate !== undefined) {
    opt.duplicate = pct(v.duplicate, `${path}.duplicate`);
    // tc sends the duplicate correlation only when another correlation is present.
    if (v.duplicateCorrelation !== undefined) cor.dup_corr = pct(v.duplicateCorrelation, `${path}.duplicateCorrelation`);
  } else if (v.duplicateCorrelation !== undefined) {
    throw new EncodeError(`${path}.duplicateCorrelation`, 'a duplicate correlation needs duplicate');
  }
  const dist = v.distribution === undefined ? undefined : table(v.distribution, `${path}.distribution`);
  let rate: Record<string, number> | undefined;
  let rate64 = 0;
  if (v.rate !== undefined) {
    rate64 = parseRate(v.rate, `${path}.rate`, ctx);
    rate = {
      rate: rate64 >= 2 ** 32 ? 0xffffffff : rate64,
      packet_overhead: v.packetOverhead === undefined ? 0 : intOption(v.packetOverhead, `${path}.packetOverhead`, -0x80000000, 0x7fffffff),
      cell_size: v.cellSize === undefined ? 0 : intOption(v.cellSize, `${path}.cellSize`),
      cell_overhead: v.cellOverhead === undefined ? 0 : intOption(v.cellOverhead, `${path}.cellOverhead`, -0x80000000, 0x7fffffff),
    };
  } else if (v.packetOverhead !== undefined || v.cellSize !== undefined || v.cellOverhead !== undefined) {
    throw new EncodeError(`${path}.rate`, 'packet overhead and cells need a rate');
  }
  let slot: Record<string, number> | undefined;
  let slotDist: Buffer | undefined;
  if (v.slot !== undefined) ({ slot, slotDist } = slotOf(v.slot, `${path}.slot`));

  // tc's consistency rules.
  if (reorder && reorder.probability) {
    if (opt.latency === 0) throw new EncodeError(`${path}.reorder`, 'reordering needs a delay');
    if (opt.gap === 0) opt.gap = 1;
  } else if (opt.gap > 0) {
    throw new EncodeError(`${path}.gap`, 'gap needs a reorder probability');
  }
  if (v.ecn && opt.loss <= 0 && !gi && !ge) throw new EncodeError(`${path}.ecn`, 'ecn needs a loss model');
  if (dist && (opt.latency === 0 || opt.jitter === 0)) throw new EncodeError(`${path}.distribution`, 'a distribution needs a delay and a jitter');

  encodeStruct(w, tc_netem_qopt, opt, path);
  // Built from checked parts; the set checks each attribute again as it writes it.
  encodeAttrsChecked(netemAttrs, w, {
    corr: corrPresent ? cor : undefined,
    reorder,
    ecn: v.ecn ? 1 : undefined,
    corrupt,
    slot,
    loss: gi ? { gi } : ge ? { ge } : undefined,
    rate64: rate64 >= 2 ** 32 ? rate64 : undefined,
    rate,
    delayDist: dist,
    slotDist,
  }, path);
}

/** reorder / corrupt: a probability and its correlation (tc's struct of two scaled u32). */
function probability(v: Record<string, unknown>, key: 'reorder' | 'corrupt', path: string): { probability: number; correlation: number } | undefined {
  const corr = `${key}Correlation`;
  if (v[key] === undefined) {
    if (v[corr] !== undefined) throw new EncodeError(`${path}.${corr}`, `a ${key} correlation needs ${key}`);
    return undefined;
  }
  return { probability: pct(v[key], `${path}.${key}`), correlation: v[corr] === undefined ? 0 : pct(v[corr], `${path}.${corr}`) };
}

function slotOf(v: unknown, path: string): { slot: Record<string, number>; slotDist?: Buffer } {
  if (!isRecord(v)) throw new EncodeError(path, `expected { min, max? } or { distribution, delay, jitter }, got ${describe(v)}`);
  const o = v;
  const slot: Record<string, number> = { min_delay: 0, max_delay: 0, max_packets: 0, max_bytes: 0, dist_delay: 0, dist_jitter: 0 };
  let slotDist: Buffer | undefined;
  if (o.distribution !== undefined) {
    slotDist = table(o.distribution, `${path}.distribution`);
    slot.dist_delay = parseTime64(o.delay, `${path}.delay`);
    slot.dist_jitter = parseTime64(o.jitter, `${path}.jitter`);
    if (slot.dist_jitter <= 0) throw new EncodeError(`${path}.jitter`, 'the slot jitter must be positive');
  } else {
    slot.min_delay = parseTime64(o.min, `${path}.min`);
    slot.max_delay = o.max === undefined ? slot.min_delay : parseTime64(o.max, `${path}.max`);
    if (slot.max_delay < slot.min_delay) throw new EncodeError(`${path}.max`, 'the slot maximum is below the minimum');
  }
  if (o.packets !== undefined) slot.max_packets = intOption(o.packets, `${path}.packets`, -0x80000000, 0x7fffffff);
  if (o.bytes !== undefined) {
    const b = parseSize(o.bytes, `${path}.bytes`);
    slot.max_bytes = b > 0x7fffffff ? b - 2 ** 32 : b;
  }
  return { slot, slotDist };
}

function decode(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): NetemOptions {
  const q = decodeStruct(tc_netem_qopt, buf, start, end, issues, path);
  const a = start + tc_netem_qopt.size < end ? netemAttrs.decode(buf, start + tc_netem_qopt.size, end, issues, path) : {};
  const out: NetemOptions = {
    limit: q.limit,
    delay: a.latency64 ?? tick2time(q.latency) * 1000,
    jitter: a.jitter64 ?? tick2time(q.jitter) * 1000,
    loss: percentOf(q.loss), gap: q.gap, duplicate: percentOf(q.duplicate),
  };
  if (a.corr) {
    out.delayCorrelation = percentOf(a.corr.delay_corr);
    out.lossCorrelation = percentOf(a.corr.loss_corr);
    out.duplicateCorrelation = percentOf(a.corr.dup_corr);
  }
  if (a.reorder) out.reorder = { probability: percentOf(a.reorder.probability), correlation: percentOf(a.reorder.correlation) };
  if (a.corrupt) out.corrupt = { probability: percentOf(a.corrupt.probability), correlation: percentOf(a.corrupt.correlation) };
  if (a.loss?.gi) {
    const g = a.loss.gi;
    out.lossModel = { model: 'state', p13: percentOf(g.p13), p31: percentOf(g.p31), p32: percentOf(g.p32), p23: percentOf(g.p23), p14: percentOf(g.p14) };
  } else if (a.loss?.ge) {
    const g = a.loss.ge;
    out.lossModel = { model: 'gemodel', p: percentOf(g.p), r: percentOf(g.r), h: percentOf(g.h), k1: percentOf(g.k1) };
  }
  if (a.rate) out.rate = { rate: a.rate64 ?? a.rate.rate, packetOverhead: a.rate.packet_overhead, cellSize: a.rate.cell_size, cellOverhead: a.rate.cell_overhead };
  if (a.ecn !== undefined) out.ecn = a.ecn !== 0;
  if (a.slot) {
    const s = a.slot;
    out.slot = { minDelay: s.min_delay, maxDelay: s.max_delay, distDelay: s.dist_delay, distJitter: s.dist_jitter, maxPackets: s.max_packets, maxBytes: s.max_bytes };
  }
  if (a.unknown) out.unknown = a.unknown;
  return out;
}

const netemOptions: OptionsCodec<NetemOptions, NetemOptionsInput | undefined> = { encode, decode };

export const netem: QdiscKind<NetemOptions, NetemOptionsInput | undefined, never, never, never, never> = { kind: 'netem', qdisc: netemOptions, words: netemWords, print: printNetem };
