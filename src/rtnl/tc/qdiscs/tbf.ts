// tbf: a token bucket (rate, burst) with a queue bounded by a byte limit or
// by the latency it would add, and an optional second bucket (peakrate, mtu).
// Encoded as tc 6.1 encodes it: limit computed from latency, times in ticks,
// 32-bit rates saturated with the exact value in RATE64/PRATE64, rate tables.
import {
  TCA_TBF_BURST, TCA_TBF_PARMS, TCA_TBF_PBURST, TCA_TBF_PRATE64, TCA_TBF_PTAB, TCA_TBF_RATE64, TCA_TBF_RTAB, tc_tbf_qopt,
} from '../../../generated/linux/pkt_sched.js';
import { binary, struct, u32, u64 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import { decodeStruct } from '../../../netlink/struct.js';
import { type OptionsCodec, type QdiscKind, type TcPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { TIME_UNITS_PER_SEC, pschedClock, tick2time, toU32, xmitSize, xmitTime } from '../psched.js';
import { type LinkLayer, linkLayerName, linkLayerNumber, rate32, rateTable } from '../rate-table.js';
import { type Rate, type Size, type Time, parseRate, parseSize, parseTime } from '../units.js';
import { parseSizeAndCell } from './burst.js';
import { type Words, cNumber, matches } from '../../words.js';
import { once, linkLayerWord } from '../kind-words.js';
import { sprintRate, sprintSize, sprintTime } from '../printer.js';

// ── tc words and printers ──

function tbfWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'limit')) o.limit = once(o.limit, w.value(k), 'limit');
    else if (matches(k, 'latency')) o.latency = once(o.latency, w.value(k), 'latency');
    else if (matches(k, 'burst') || k === 'buffer' || k === 'maxburst') o.burst = once(o.burst, w.value(k), 'burst');
    else if (k === 'mtu' || k === 'minburst') o.mtu = once(o.mtu, w.value(k), 'mtu');
    else if (k === 'mpu') o.mpu = once(o.mpu, w.value(k), 'mpu');
    else if (k === 'rate') o.rate = once(o.rate, w.value(k), 'rate');
    else if (matches(k, 'peakrate')) o.peakrate = once(o.peakrate, w.value(k), 'peakrate');
    else if (matches(k, 'overhead')) o.overhead = cNumber(w.value(k), 'tbf overhead', 10);
    else if (matches(k, 'linklayer')) o.linklayer = linkLayerWord(w.value(k));
    else w.unknown(k);
  }
  return o;
}

const printTbf: TcPrint<TbfOptions> = (p, o) => {
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

const tbfAttrs = attrSet('tbf', {
  parms: attr(TCA_TBF_PARMS, struct(tc_tbf_qopt)),
  rtab: attr(TCA_TBF_RTAB, binary),
  ptab: attr(TCA_TBF_PTAB, binary),
  rate64: attr(TCA_TBF_RATE64, u64),
  prate64: attr(TCA_TBF_PRATE64, u64),
  burst: attr(TCA_TBF_BURST, u32),
  pburst: attr(TCA_TBF_PBURST, u32),
});

/** tbf's options as decoded: rate, burst, limit, peak rate. */
export interface TbfOptions {
  /** Bytes/s. */
  rate: number;
  /** Bucket size in bytes, as tc prints it (derived from `buffer`). */
  burst: number;
  /** The bucket as the kernel keeps it: ticks at `rate`. */
  buffer: number;
  /** Queue limit in bytes. */
  limit: number;
  /** The latency the limit allows, in microseconds, as tc computes it (undefined when negative). */
  latency?: number;
  peakrate?: number;
  /** Peak bucket in bytes (tc's "minburst"), derived from `mtu`. */
  minburst?: number;
  /** The peak bucket as the kernel keeps it: ticks at `peakrate`. */
  mtu?: number;
  mpu: number;
  overhead: number;
  linklayer: LinkLayer | 'unspec' | number;
}

/** tbf's options as given (`tc qdisc add ... tbf rate R burst B latency L`). */
export interface TbfOptionsInput {
  /** Required. */
  rate: Rate;
  /** Required: bucket size ("SIZE/CELL" sets the rate table's cell too). */
  burst: Size;
  /** Queue limit in bytes; give this or latency. */
  limit?: Size;
  /** Longest a packet may wait; give this or limit. */
  latency?: Time;
  peakrate?: Rate;
  /** Peak bucket size; required with peakrate. */
  mtu?: Size;
  mpu?: Size;
  overhead?: number;
  linklayer?: 'ethernet' | 'atm' | 'adsl';
}

const KEYS = ['rate', 'burst', 'limit', 'latency', 'peakrate', 'mtu', 'mpu', 'overhead', 'linklayer'] as const;

const tbfOptions: OptionsCodec<TbfOptions, TbfOptionsInput> = {
  encode(w, value, ctx, path) {
    const v = optionsObject(value, path);
    checkKeys(v, KEYS, path, 'tbf');
    if (v.rate === undefined) throw new EncodeError(`${path}.rate`, 'tbf needs a rate');
    if (v.burst === undefined) throw new EncodeError(`${path}.burst`, 'tbf needs a burst');
    if (v.limit !== undefined && v.latency !== undefined) throw new EncodeError(`${path}.latency`, 'give limit or latency, not both');
    if (v.limit === undefined && v.latency === undefined) throw new EncodeError(`${path}.limit`, 'tbf needs a limit or a latency');
    if (v.peakrate !== undefined && v.mtu === undefined) throw new EncodeError(`${path}.mtu`, 'with a peakrate, mtu is required');
    const rate64 = parseRate(v.rate, `${path}.rate`, ctx);
    const prate64 = v.peakrate === undefined ? 0 : parseRate(v.peakrate, `${path}.peakrate`, ctx);
    const burst = parseSizeAndCell(v.burst, `${path}.burst`);
    if (burst.size === 0) throw new EncodeError(`${path}.burst`, 'the burst cannot be zero');
    const mtu = v.mtu === undefined ? { size: 0 } : parseSizeAndCell(v.mtu, `${path}.mtu`);
    const mpu = v.mpu === undefined ? 0 : parseSize(v.mpu, `${path}.mpu`);
    const overhead = v.overhead === undefined ? 0 : intOption(v.overhead, `${path}.overhead`, 0, 0xffff);
    const linklayer = linkLayerNumber(v.linklayer, `${path}.linklayer`);
    let limit = v.limit === undefined ? 0 : parseSize(v.limit, `${path}.limit`);
    if (v.limit !== undefined && limit === 0) throw new EncodeError(`${path}.limit`, 'the limit cannot be zero');
    if (v.limit === undefined) {
      const latency = parseTime(v.latency, `${path}.latency`);
      if (latency === 0) throw new EncodeError(`${path}.latency`, 'the latency cannot be zero');
      let lim = (rate64 * latency) / TIME_UNITS_PER_SEC + burst.size;
      if (prate64) {
        const lim2 = (prate64 * latency) / TIME_UNITS_PER_SEC + mtu.size;
        if (lim2 < lim) lim = lim2;
      }
      if (lim >= 2 ** 32) throw new EncodeError(`${path}.latency`, `the limit this latency means (${Math.trunc(lim)} bytes) overflows 32 bits`);
      limit = toU32(lim);
    }
    const clock = pschedClock();
    const rtab = rateTable({ rate: rate32(rate64), cellLog: burst.cellLog, mtu: mtu.size, mpu, overhead, linklayer }, `${path}.rate`, clock);
    const parms: Record<string, unknown> = {
      rate: rtab.spec, limit,
      buffer: xmitTime(rtab.spec.rate, burst.size, `${path}.burst`, clock),
    };
    let ptab: Buffer | undefined;
    if (prate64) {
      const p = rateTable({ rate: rate32(prate64), cellLog: mtu.cellLog, mtu: mtu.size, mpu, overhead, linklayer }, `${path}.peakrate`, clock);
      parms.peakrate = p.spec;
      parms.mtu = xmitTime(p.spec.rate, mtu.size, `${path}.mtu`, clock);
      ptab = p.table;
    }
    tbfAttrs.encode(w, {
      parms, burst: burst.size,
      rate64: rate64 >= 2 ** 32 ? rate64 : undefined,
      rtab: rtab.table,
      prate64: prate64 >= 2 ** 32 ? prate64 : undefined,
      pburst: prate64 ? mtu.size : undefined,
      ptab,
    }, path);
  },
  decode(buf, start, end, issues, path) {
    const a = tbfAttrs.decode(buf, start, end, issues, path);
    if (!a.parms) issues?.push({ path, problem: 'tbf without TCA_TBF_PARMS' });
    const p = a.parms ?? decodeStruct(tc_tbf_qopt, Buffer.alloc(tc_tbf_qopt.size), 0);
    const rate = a.rate64 ?? p.rate.rate;
    const out: TbfOptions = {
      rate, burst: xmitSize(rate, p.buffer), buffer: p.buffer, limit: p.limit,
      mpu: p.rate.mpu, overhead: p.rate.overhead, linklayer: linkLayerName(p.rate.linklayer),
    };
    const prate = a.prate64 ?? p.peakrate.rate;
    // tc's "lat": how long the limit lasts beyond the bucket, the longer of the two buckets.
    let latency = TIME_UNITS_PER_SEC * (p.limit / rate) - tick2time(p.buffer);
    if (prate) {
      out.peakrate = prate;
      out.mtu = p.mtu;
      if (p.mtu || p.peakrate.mpu) out.minburst = xmitSize(prate, p.mtu);
      const lat2 = TIME_UNITS_PER_SEC * (p.limit / prate) - tick2time(p.mtu);
      if (lat2 > latency) latency = lat2;
    }
    if (latency >= 0) out.latency = Math.trunc(latency);
    return out;
  },
};

export const tbf: QdiscKind<TbfOptions, TbfOptionsInput, never, never, never, never> = { kind: 'tbf', qdisc: tbfOptions, words: tbfWords, print: printTbf };
