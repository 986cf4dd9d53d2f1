// police: a token bucket (or an average-rate estimator) that lets traffic
// within the rate through and applies the exceed verdict to the rest
// (`action police rate 1mbit burst 10k conform-exceed drop/pipe`). Encoded as
// tc's act_parse_police, rate tables included.
import { TC_POLICE_RECLASSIFY, TCA_POLICE_AVRATE, TCA_POLICE_PEAKRATE, TCA_POLICE_PEAKRATE64, TCA_POLICE_PKTBURST64, TCA_POLICE_PKTRATE64, TCA_POLICE_RATE, TCA_POLICE_RATE64, TCA_POLICE_RESULT, TCA_POLICE_TBF, TCA_POLICE_TM, tc_police, tcf_t } from '../../../generated/linux/pkt_cls.js';
import { TC_LINKLAYER_ETHERNET, TC_LINKLAYER_MASK } from '../../../generated/linux/pkt_sched.js';
import { binary, struct, u32, u64 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import type { ActionKind, ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { pschedClock, xmitSize, xmitTime } from '../psched.js';
import { linkLayerName, linkLayerNumber, rate32, rateTable } from '../rate-table.js';
import { parseSizeAndCell } from '../qdiscs/burst.js';
import { type Rate, type Size, parseRate, parseSize } from '../units.js';
import { sprintRate, sprintSize } from '../printer.js';
import { type Control, controlName, controlOut, controlWords, isControlWord, parseControl } from './control.js';
import { type ActionTimes, times, timesOut } from './times.js';
import { UsageError, Words, cNumber, matches } from '../../words.js';

const policeAttrs = attrSet('police', {
  tbf: attr(TCA_POLICE_TBF, struct(tc_police)),
  rtab: attr(TCA_POLICE_RATE, binary),
  rate64: attr(TCA_POLICE_RATE64, u64),
  ptab: attr(TCA_POLICE_PEAKRATE, binary),
  prate64: attr(TCA_POLICE_PEAKRATE64, u64),
  avrate: attr(TCA_POLICE_AVRATE, u32),
  result: attr(TCA_POLICE_RESULT, u32),
  pps: attr(TCA_POLICE_PKTRATE64, u64),
  ppsBurst: attr(TCA_POLICE_PKTBURST64, u64),
  tm: attr(TCA_POLICE_TM, struct(tcf_t)),
});

/** A police action as the kernel reports it (`tc actions show action police`): rates in bytes per second, sizes in bytes. */
export interface PoliceOptions {
  /** The action's index in the kernel's police table. */
  index: number;
  /** Bytes per second (0 when policing by average rate or packets). */
  rate: number;
  /** Bucket size in bytes, as tc prints it back from the kernel's ticks. */
  burst: number;
  mtu: number;
  peakrate?: number;
  avrate?: number;
  pktsRate?: number;
  pktsBurst?: number;
  /** Verdict for traffic over the rate (conform-exceed X/Y: X). */
  exceed: Control;
  /** Verdict for traffic within the rate (conform-exceed X/Y: Y, TCA_POLICE_RESULT). */
  conform?: Control;
  overhead: number;
  linklayer: string | number;
  refcnt: number;
  bindcnt: number;
  tm?: ActionTimes;
}

/** A police action as `action police rate R burst B [mtu M] [peakrate P] [conform-exceed X/Y]` takes it: rates as a number of bytes per second or tc's text ('1mbit'), sizes as bytes or '10kb'. */
export interface PoliceOptionsInput {
  /** The token bucket's rate. */
  rate?: Rate;
  /** The bucket's size. */
  burst?: Size;
  /** The largest packet allowed (tc's `mtu`; needed with `peakrate`). */
  mtu?: Size;
  /** The least size a packet counts as in the rate (tc's `mpu`). */
  mpu?: Size;
  /** A second bucket's rate for bursts (needs `mtu`). */
  peakrate?: Rate;
  /** Police by the average rate an estimator measures instead of a bucket. */
  avrate?: Rate;
  /** Bytes added to each packet's size. */
  overhead?: number;
  /** The link layer the size is computed for (atm counts cells). */
  linklayer?: 'ethernet' | 'atm';
  /** Packets per second (`pkts_rate`), instead of a byte rate. */
  pktsRate?: number;
  /** The packet bucket's size (`pkts_burst`). */
  pktsBurst?: number;
  /** Verdict for traffic over the rate (tc's default reclassify). */
  exceed?: Control;
  /** conform-exceed's second verdict, for traffic within the rate. */
  conform?: Control;
  index?: number;
}

const KEYS = ['rate', 'burst', 'mtu', 'mpu', 'peakrate', 'avrate', 'overhead', 'linklayer', 'pktsRate', 'pktsBurst', 'exceed', 'conform', 'index'];

// ── tc words and printer ──

function policeWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const once = (key: string, word: string, v: unknown): void => {
    if (o[key] !== undefined) throw new UsageError(`police: duplicate "${word}"`);
    o[key] = v;
  };
  for (;;) {
    const k = w.peek();
    if (k === undefined) break;
    if (matches(k, 'index')) { w.next(); o.index = cNumber(w.value(k), 'police index', 10); }
    else if (matches(k, 'burst') || k === 'buffer' || k === 'maxburst') { w.next(); once('burst', k, w.value(k)); }
    else if (k === 'mtu' || k === 'minburst') { w.next(); once('mtu', k, w.value(k)); }
    else if (k === 'mpu') { w.next(); once('mpu', k, w.value(k)); }
    else if (k === 'rate') { w.next(); once('rate', k, w.value(k)); }
    else if (k === 'avrate') { w.next(); once('avrate', k, w.value(k)); }
    else if (matches(k, 'peakrate')) { w.next(); once('peakrate', k, w.value(k)); }
    else if (matches(k, 'overhead')) { w.next(); o.overhead = cNumber(w.value(k), 'police overhead', 10); }
    else if (matches(k, 'linklayer')) { w.next(); o.linklayer = w.value(k); }
    else if (matches(k, 'pkts_rate')) { w.next(); once('pktsRate', k, cNumber(w.value(k), 'police pkts_rate', 10)); }
    else if (matches(k, 'pkts_burst')) { w.next(); once('pktsBurst', k, cNumber(w.value(k), 'police pkts_burst', 10)); }
    else if (k === 'conform-exceed') {
      w.next();
      const word = w.peek() ?? '';
      if (word.includes('/')) {
        w.next();
        const [a, b] = word.split('/');
        o.exceed = controlWordsOf(a ?? '');
        o.conform = controlWordsOf(b ?? '');
      } else {
        // (tc 6.1 reads "X / Y" with spaces as X alone and sends no Y: only "X/Y" is taken here.)
        o.exceed = controlWords(w);
      }
    } else if (isControlWord(k) && !matches(k, 'jump') && !matches(k, 'trap')) o.exceed = controlWords(w);
    else break;
  }
  return o;
}

/** One control word read alone (the halves of "drop/pipe"). */
const controlWordsOf = (word: string): Control => controlWords(new Words([word], 'police'));

const printPolice: ActionPrint<PoliceOptions> = (p, o, ctx) => {
  p.onlyText(` police 0x${o.index.toString(16)} `).onlyJson('index', o.index)
    .onlyText(`rate ${sprintRate(o.rate)} burst ${sprintSize(o.burst)} mtu ${sprintSize(o.mtu)} `);
  if (o.peakrate) p.onlyText(`peakrate ${sprintRate(o.peakrate)} `);
  if (o.avrate !== undefined) p.onlyText(`avrate ${sprintRate(o.avrate)} `);
  if (o.pktsRate !== undefined && o.pktsBurst !== undefined) p.any('pkts_rate', o.pktsRate, `pkts_rate ${o.pktsRate} `).any('pkts_burst', o.pktsBurst, `pkts_burst ${o.pktsBurst} `);
  controlOut(p, o.exceed, 'action ', '');
  if (o.conform !== undefined) controlOut(p, o.conform, '/', ' ');
  else p.onlyText(' ');
  p.any('overhead', o.overhead, `overhead ${o.overhead}b `);
  if (o.linklayer !== 'ethernet' && o.linklayer !== 'unspec') p.any('linklayer', String(o.linklayer), `linklayer ${String(o.linklayer)} `);
  p.any('ref', o.refcnt, `\n\tref ${o.refcnt} `).any('bind', o.bindcnt, `bind ${o.bindcnt} `);
  timesOut(p, o.tm, ctx);
};

export const police: ActionKind<PoliceOptions, PoliceOptionsInput> = {
  kind: 'police',
  words: policeWords,
  print: printPolice,
  options: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, KEYS, path, 'police');
      const rate64 = v.rate === undefined ? 0 : parseRate(v.rate, `${path}.rate`, ctx);
      const prate64 = v.peakrate === undefined ? 0 : parseRate(v.peakrate, `${path}.peakrate`, ctx);
      const avrate = v.avrate === undefined ? 0 : rate32(parseRate(v.avrate, `${path}.avrate`, ctx));
      const burst = v.burst === undefined ? { size: 0 } : parseSizeAndCell(v.burst, `${path}.burst`);
      const mtu = v.mtu === undefined ? { size: 0 } : parseSizeAndCell(v.mtu, `${path}.mtu`);
      const mpu = v.mpu === undefined ? 0 : parseSize(v.mpu, `${path}.mpu`);
      const overhead = v.overhead === undefined ? 0 : intOption(v.overhead, `${path}.overhead`, 0, 0xffff);
      const linklayer = linkLayerNumber(v.linklayer, `${path}.linklayer`);
      const pps = v.pktsRate === undefined ? 0 : intOption(v.pktsRate, `${path}.pktsRate`, 0, Number.MAX_SAFE_INTEGER);
      const ppsBurst = v.pktsBurst === undefined ? 0 : intOption(v.pktsBurst, `${path}.pktsBurst`, 0, Number.MAX_SAFE_INTEGER);
      const index = v.index === undefined ? 0 : intOption(v.index, `${path}.index`);
      if (rate64 && avrate) throw new EncodeError(`${path}.avrate`, 'rate and avrate exclude each other');
      if (!rate64 && !avrate && !index && !mtu.size && !pps) throw new EncodeError(`${path}.rate`, 'police needs a rate, avrate, pktsRate, mtu or the index of an existing action');
      if (rate64 && !burst.size && !avrate) throw new EncodeError(`${path}.burst`, 'with a rate, a burst is required');
      if (pps && !ppsBurst) throw new EncodeError(`${path}.pktsBurst`, 'with pktsRate, pktsBurst is required');
      if (pps && rate64) throw new EncodeError(`${path}.pktsRate`, 'rate and pktsRate exclude each other');
      if (prate64 && !rate64) throw new EncodeError(`${path}.peakrate`, 'a peakrate needs a rate');
      if (prate64 && !mtu.size) throw new EncodeError(`${path}.mtu`, 'a peakrate needs an mtu');
      const clock = pschedClock();
      const zero = { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 };
      const r = rate64 ? rateTable({ rate: rate32(rate64), cellLog: burst.cellLog, mtu: mtu.size, mpu, overhead, linklayer }, `${path}.rate`, clock) : undefined;
      const pr = prate64 ? rateTable({ rate: rate32(prate64), cellLog: mtu.cellLog, mtu: mtu.size, mpu, overhead, linklayer }, `${path}.peakrate`, clock) : undefined;
      policeAttrs.encode(w, {
        tbf: {
          index, action: v.exceed === undefined ? TC_POLICE_RECLASSIFY : parseControl(v.exceed, `${path}.exceed`),
          burst: rate64 ? xmitTime(rate64, burst.size, `${path}.burst`, clock) : 0, mtu: mtu.size,
          rate: r ? r.spec : zero, peakrate: pr ? pr.spec : zero,
        },
        rtab: r?.table,
        rate64: rate64 >= 2 ** 32 ? rate64 : undefined,
        ptab: pr?.table,
        prate64: prate64 >= 2 ** 32 ? prate64 : undefined,
        avrate: avrate || undefined,
        // tc leaves the attribute out for 0 (pass), which is also what the kernel assumes without it.
        result: v.conform === undefined ? undefined : (parseControl(v.conform, `${path}.conform`) >>> 0) || undefined,
        pps: pps || undefined,
        ppsBurst: pps ? xmitTime(pps, ppsBurst, `${path}.pktsBurst`, clock) : undefined,
      }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = policeAttrs.decode(buf, start, end, issues, path);
      const p = a.tbf;
      if (!p) issues?.push({ path, problem: 'police without TCA_POLICE_TBF' });
      const rate = a.rate64 !== undefined ? Number(a.rate64) : p?.rate.rate ?? 0;
      const out: PoliceOptions = {
        index: p?.index ?? 0, rate, burst: rate ? xmitSize(rate, p?.burst ?? 0) : 0, mtu: p?.mtu ?? 0,
        exceed: controlName(p?.action ?? 0), overhead: p?.rate.overhead ?? 0,
        linklayer: linkLayerName((p?.rate.linklayer ?? TC_LINKLAYER_ETHERNET) & TC_LINKLAYER_MASK),
        refcnt: p?.refcnt ?? 0, bindcnt: p?.bindcnt ?? 0,
      };
      const prate = a.prate64 !== undefined ? Number(a.prate64) : p?.peakrate.rate ?? 0;
      if (prate) out.peakrate = prate;
      if (a.avrate !== undefined) out.avrate = a.avrate;
      if (a.result !== undefined) out.conform = controlName(a.result | 0);
      if (a.pps !== undefined && a.ppsBurst !== undefined) {
        out.pktsRate = Number(a.pps);
        out.pktsBurst = xmitSize(Number(a.pps), Number(a.ppsBurst));
      }
      if (a.tm) out.tm = times(a.tm);
      return out;
    },
  },
};
