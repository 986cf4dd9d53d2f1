// pie and fq_pie: Proportional Integral controller Enhanced AQM, alone or
// per flow (`pie target 15ms limit 1000 ecn`, `fq_pie flows 1024`). One
// table of options drives both kinds' words, encoders and printers: each
// option is sent only when given (counts and times only when non-zero), in
// the kernel's attribute order, as tc does.
import * as S from '../../../generated/linux/pkt_sched.js';
import { u32 } from '../../../netlink/codec.js';
import { type DecodeIssue } from '../../../netlink/errors.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { type StructValue, decodeStruct } from '../../../netlink/struct.js';
import type { NetlinkWriter } from '../../../netlink/writer.js';
import type { OptionsCodec, QdiscKind, TcPrint } from '../kind.js';
import { boolOption, checkKeys, intOption, optionsObject } from '../options.js';
import { sprintSize, sprintTime } from '../printer.js';
import { type Size, type Time, parseSize, parseTime } from '../units.js';
import { type Words, cNumber } from '../../words.js';

type Kind = 'count' | 'time' | 'size' | 'flag';
interface Field { key: string; word: string; kind: Kind; max?: number }

// In tc's order of attributes.
const PIE: readonly Field[] = [
  { key: 'limit', word: 'limit', kind: 'count' }, { key: 'tupdate', word: 'tupdate', kind: 'time' },
  { key: 'target', word: 'target', kind: 'time' }, { key: 'alpha', word: 'alpha', kind: 'count', max: 32 },
  { key: 'beta', word: 'beta', kind: 'count', max: 32 }, { key: 'ecn', word: 'ecn', kind: 'flag' },
  { key: 'bytemode', word: 'bytemode', kind: 'flag' }, { key: 'dqRateEstimator', word: 'dq_rate_estimator', kind: 'flag' },
];
const FQ_PIE: readonly Field[] = [
  { key: 'limit', word: 'limit', kind: 'count' }, { key: 'flows', word: 'flows', kind: 'count' },
  { key: 'target', word: 'target', kind: 'time' }, { key: 'tupdate', word: 'tupdate', kind: 'time' },
  { key: 'alpha', word: 'alpha', kind: 'count', max: 32 }, { key: 'beta', word: 'beta', kind: 'count', max: 32 },
  { key: 'quantum', word: 'quantum', kind: 'size' }, { key: 'memoryLimit', word: 'memory_limit', kind: 'size' },
  { key: 'ecnProb', word: 'ecn_prob', kind: 'count', max: 99 }, { key: 'ecn', word: 'ecn', kind: 'flag' },
  { key: 'bytemode', word: 'bytemode', kind: 'flag' }, { key: 'dqRateEstimator', word: 'dq_rate_estimator', kind: 'flag' },
];

const pieAttrs = attrSet('pie', {
  limit: attr(S.TCA_PIE_LIMIT, u32), tupdate: attr(S.TCA_PIE_TUPDATE, u32), target: attr(S.TCA_PIE_TARGET, u32),
  alpha: attr(S.TCA_PIE_ALPHA, u32), beta: attr(S.TCA_PIE_BETA, u32), ecn: attr(S.TCA_PIE_ECN, u32),
  bytemode: attr(S.TCA_PIE_BYTEMODE, u32), dqRateEstimator: attr(S.TCA_PIE_DQ_RATE_ESTIMATOR, u32),
});
const fqPieAttrs = attrSet('fq_pie', {
  limit: attr(S.TCA_FQ_PIE_LIMIT, u32), flows: attr(S.TCA_FQ_PIE_FLOWS, u32), target: attr(S.TCA_FQ_PIE_TARGET, u32),
  tupdate: attr(S.TCA_FQ_PIE_TUPDATE, u32), alpha: attr(S.TCA_FQ_PIE_ALPHA, u32), beta: attr(S.TCA_FQ_PIE_BETA, u32),
  quantum: attr(S.TCA_FQ_PIE_QUANTUM, u32), memoryLimit: attr(S.TCA_FQ_PIE_MEMORY_LIMIT, u32),
  ecnProb: attr(S.TCA_FQ_PIE_ECN_PROB, u32), ecn: attr(S.TCA_FQ_PIE_ECN, u32), bytemode: attr(S.TCA_FQ_PIE_BYTEMODE, u32),
  dqRateEstimator: attr(S.TCA_FQ_PIE_DQ_RATE_ESTIMATOR, u32),
});

/** pie as the kernel reports it: times in microseconds, flags as booleans. */
export interface PieOptions {
  limit?: number;
  target?: number;
  tupdate?: number;
  alpha?: number;
  beta?: number;
  ecn?: boolean;
  bytemode?: boolean;
  dqRateEstimator?: boolean;
  unknown?: RawAttr[];
}

/** pie as `tc qdisc add ... pie [limit P] [target T] [tupdate T] [alpha A] [beta B] [ecn] [bytemode] [dq_rate_estimator]` takes it; times as microseconds or tc's text ('15ms'). */
export interface PieOptionsInput {
  /** Packets. */
  limit?: number;
  /** The queueing delay pie aims at. */
  target?: Time;
  /** How often the drop probability is recomputed. */
  tupdate?: Time;
  /** How much the delay's distance from target moves the probability (0-32). */
  alpha?: number;
  /** How much the delay's trend moves the probability (0-32). */
  beta?: number;
  /** Mark ECN-capable packets instead of dropping them. */
  ecn?: boolean;
  /** Scale the drop probability by packet size. */
  bytemode?: boolean;
  /** Estimate the delay from the dequeue rate rather than timestamps. */
  dqRateEstimator?: boolean;
}

export interface FqPieOptions extends PieOptions {
  flows?: number;
  quantum?: number;
  memoryLimit?: number;
  ecnProb?: number;
}

/** fq_pie as `tc qdisc add ... fq_pie [flows N] [quantum Q] [memory_limit M] [ecn_prob P] ...` takes it, with pie's options per flow. */
export interface FqPieOptionsInput extends PieOptionsInput {
  /** Number of flow queues. */
  flows?: number;
  /** Bytes a flow may send per round. */
  quantum?: Size;
  /** The most memory all queued packets may use. */
  memoryLimit?: Size;
  /** Percent (0-99). */
  ecnProb?: number;
}

function wordsOf(fields: readonly Field[], kind: string): (w: Words) => Record<string, unknown> {
  return (w) => {
    const o: Record<string, unknown> = {};
    while (!w.done) {
      const k = w.next();
      const f = fields.find((x) => x.word === k || (x.kind === 'flag' && (k === `no${x.word}` || k === `no_${x.word}`)));
      if (!f) return w.unknown(k);
      if (f.kind === 'flag') o[f.key] = k === f.word;
      else if (f.kind === 'count') o[f.key] = cNumber(w.value(k), `${kind} ${k}`);
      else o[f.key] = w.value(k);
    }
    return o;
  };
}

type PieAttrs = ReturnType<typeof pieAttrs.decode> & Partial<ReturnType<typeof fqPieAttrs.decode>>;

/** The decoded options: numbers as sent, flags as booleans. */
function decoded(a: PieAttrs): FqPieOptions {
  const o: FqPieOptions = {};
  if (a.limit !== undefined) o.limit = a.limit;
  if (a.flows !== undefined) o.flows = a.flows;
  if (a.target !== undefined) o.target = a.target;
  if (a.tupdate !== undefined) o.tupdate = a.tupdate;
  if (a.alpha !== undefined) o.alpha = a.alpha;
  if (a.beta !== undefined) o.beta = a.beta;
  if (a.quantum !== undefined) o.quantum = a.quantum;
  if (a.memoryLimit !== undefined) o.memoryLimit = a.memoryLimit;
  if (a.ecnProb !== undefined) o.ecnProb = a.ecnProb;
  if (a.ecn !== undefined) o.ecn = a.ecn !== 0;
  if (a.bytemode !== undefined) o.bytemode = a.bytemode !== 0;
  if (a.dqRateEstimator !== undefined) o.dqRateEstimator = a.dqRateEstimator !== 0;
  if (a.unknown) o.unknown = a.unknown;
  return o;
}

function encoderOf(fields: readonly Field[], set: typeof pieAttrs | typeof fqPieAttrs, kind: string): OptionsCodec<unknown, unknown>['encode'] {
  return (w: NetlinkWriter, value: unknown, _ctx, path: string) => {
    const v = optionsObject(value, path);
    checkKeys(v, fields.map((f) => f.key), path, kind);
    for (const f of fields) {
      const x = v[f.key];
      if (x === undefined) continue;
      const p = `${path}.${f.key}`;
      const n = f.kind === 'flag' ? (boolOption(x, p) ? 1 : 0) : f.kind === 'time' ? parseTime(x, p) : f.kind === 'size' ? parseSize(x, p) : intOption(x, p, 0, f.max ?? 0xffffffff);
      // tc sends counts and times only when non-zero, flags whenever given.
      if (n === 0 && f.kind !== 'flag') continue;
      w.attrInt(attrType(set, f.key), 'u32', n, p);
    }
  };
}

function attrType(set: typeof pieAttrs | typeof fqPieAttrs, key: string): number {
  const spec: unknown = Object.hasOwn(set.specs, key) ? Object.getOwnPropertyDescriptor(set.specs, key)?.value : undefined;
  if (typeof spec === 'object' && spec !== null && 'id' in spec && typeof spec.id === 'number') return spec.id;
  throw new Error(`pie: no attribute for ${key}`);
}

function printOf(fields: readonly Field[]): TcPrint<FqPieOptions> {
  return (p, o) => {
    const rec = new Map<string, unknown>(Object.entries(o));
    for (const f of fields) {
      const x = rec.get(f.key);
      if (x === undefined) continue;
      if (f.kind === 'flag') { if (x === true) p.any(f.word, true, `${f.word} `); }
      else if (typeof x === 'number') {
        const text = f.kind === 'time' ? sprintTime(x) : f.kind === 'size' ? sprintSize(x) : f.key === 'limit' ? `${x}p` : String(x);
        p.any(f.word, x, `${f.word} ${text} `);
      }
    }
  };
}

// tc prints in its own order: limit, flows, target, tupdate, alpha, beta, quantum, memory_limit, ecn_prob, flags.
const PRINT_ORDER = ['limit', 'flows', 'target', 'tupdate', 'alpha', 'beta', 'quantum', 'memoryLimit', 'ecnProb', 'ecn', 'bytemode', 'dqRateEstimator'];
const printed = (fields: readonly Field[]): Field[] => PRINT_ORDER.flatMap((k) => fields.filter((f) => f.key === k));

/** pie's and fq_pie's statistics (`tc -s qdisc`: prob, delay, packets_in, dropped...), the kernel's `struct tc_pie_xstats` by its field names. */
export type PieXstats = StructValue<typeof S.tc_pie_xstats>;

/** pie_print_xstats (tc -s): prob is a fraction of 2^64-1. */
const printPieXstats: TcPrint<PieXstats> = (p, x) => {
  const prob = Number(x.prob) / 18446744073709551615;
  p.float('prob', prob, `  prob ${prob}`).any('delay', x.delay, ` delay ${sprintTime(x.delay)}`);
  if (x.dq_rate_estimating) p.any('avg_dq_rate', x.avg_dq_rate, ` avg_dq_rate ${x.avg_dq_rate}`);
  p.any('pkts_in', x.packets_in, `\n  pkts_in ${x.packets_in}`).any('overlimit', x.overlimit, ` overlimit ${x.overlimit}`)
    .any('dropped', x.dropped, ` dropped ${x.dropped}`).any('maxq', x.maxq, ` maxq ${x.maxq}`).any('ecn_mark', x.ecn_mark, ` ecn_mark ${x.ecn_mark}`);
};

export const pie: QdiscKind<PieOptions, PieOptionsInput | undefined, never, never, PieXstats> = {
  kind: 'pie',
  xstats: (buf, start, end, issues, path) => decodeStruct(S.tc_pie_xstats, buf, start, end, issues, path),
  printXstats: printPieXstats,
  words: wordsOf(PIE, 'pie'),
  print: printOf(printed(PIE)),
  qdisc: { encode: encoderOf(PIE, pieAttrs, 'pie'), decode: (buf, start, end, issues, path) => decoded(pieAttrs.decode(buf, start, end, issues, path)) },
};

export const fqPie: QdiscKind<FqPieOptions, FqPieOptionsInput | undefined> = {
  kind: 'fq_pie',
  words: wordsOf(FQ_PIE, 'fq_pie'),
  print: printOf(printed(FQ_PIE)),
  qdisc: { nested: true, encode: encoderOf(FQ_PIE, fqPieAttrs, 'fq_pie'), decode: (buf, start, end, issues, path) => decoded(fqPieAttrs.decode(buf, start, end, issues, path)) },
};
