// red: Random Early Detection (`red limit 400000 min 30000 max 90000 avpkt
// 1000 burst 55 probability 0.02 bandwidth 10mbit ecn`). The encoder derives
// Wlog, Plog, Scell_log and the idle-damping table as tc's tc_red.c does.
import { nla_bitfield32 } from '../../../generated/linux/netlink.js';
import {
  TCA_RED_FLAGS, TCA_RED_MAX_P, TCA_RED_PARMS, TCA_RED_STAB, TC_RED_ADAPTATIVE, TC_RED_ECN, TC_RED_HARDDROP, TC_RED_NODROP,
  tc_red_qopt, tc_red_xstats,
} from '../../../generated/linux/pkt_sched.js';
import { type StructValue, decodeStruct } from '../../../netlink/struct.js';
import { binary, struct, u32 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import type { QdiscKind, TcPrint } from '../kind.js';
import { boolOption, checkKeys, intOption, optionsObject } from '../options.js';
import { sprintSize } from '../printer.js';
import { pschedClock, xmitTime } from '../psched.js';
import { type Rate, type Size, parseRate32, parseSize } from '../units.js';
import { type Words, UsageError, cNumber } from '../../words.js';

const redAttrs = attrSet('red', {
  parms: attr(TCA_RED_PARMS, struct(tc_red_qopt)),
  stab: attr(TCA_RED_STAB, binary),
  maxP: attr(TCA_RED_MAX_P, u32),
  flags: attr(TCA_RED_FLAGS, struct(nla_bitfield32)),
});

const SUPPORTED = TC_RED_ECN | TC_RED_HARDDROP | TC_RED_ADAPTATIVE | TC_RED_NODROP;

/** red as the kernel reports it (`tc qdisc show ... red`): sizes in bytes, the flags as booleans. */
export interface RedOptions {
  /** Bytes. */
  limit: number;
  /** The average queue size (bytes) where marking starts. */
  min: number;
  /** The average queue size (bytes) where the probability reaches its maximum. */
  max: number;
  /** Mark ECN-capable packets instead of dropping them. */
  ecn: boolean;
  /** Drop above max even ECN-capable packets. */
  harddrop: boolean;
  /** Adaptive RED: the probability follows the load. */
  adaptive: boolean;
  /** Mark, never drop. */
  nodrop: boolean;
  /** The EWMA weight's log (tc's `ewma`, W = 2^-ewma). */
  ewma: number;
  /** The probability's log as the kernel computes it (tc's `Plog`). */
  plog: number;
  /** The idle-time cell's log (tc's `Scell_log`). */
  scellLog: number;
  /** max_P / 2^32, when the kernel reports it. */
  probability?: number;
  unknown?: RawAttr[];
}

/** red as `tc qdisc add ... red limit L avpkt A [min M] [max M] [burst B] [probability P] [bandwidth R] [ecn] [harddrop] [nodrop] [adaptive]` takes it. */
export interface RedOptionsInput {
  /** The hard limit on the queue, in bytes. */
  limit: Size;
  /** Average packet size. */
  avpkt: Size;
  /** The average queue size where marking starts (default max / 3). */
  min?: Size;
  /** The average queue size where the probability reaches its maximum (default min × 3, or limit / 4). */
  max?: Size;
  /** Packets (default from min, max and avpkt). */
  burst?: number;
  /** Default 0.02. */
  probability?: number;
  /** Default 10mbit. */
  bandwidth?: Rate;
  /** Mark ECN-capable packets instead of dropping them. */
  ecn?: boolean;
  /** Drop above max even ECN-capable packets. */
  harddrop?: boolean;
  /** Mark, never drop. */
  nodrop?: boolean;
  /** Adaptive RED: the probability follows the load. */
  adaptive?: boolean;
}

const KEYS = ['limit', 'avpkt', 'min', 'max', 'burst', 'probability', 'bandwidth', 'ecn', 'harddrop', 'nodrop', 'adaptive'];

/** tc_red_eval_ewma: the EWMA weight's log. */
function evalEwma(qmin: number, burst: number, avpkt: number, path: string): number {
  let W = 0.5;
  const a = burst + 1 - qmin / avpkt;
  if (a < 1) throw new EncodeError(`${path}.burst`, `burst ${burst} is too small; try burst ${1 + Math.floor(qmin / avpkt)}`);
  for (let wlog = 1; wlog < 32; wlog++, W /= 2) if (a <= (1 - Math.pow(1 - W, burst)) / W) return wlog;
  throw new EncodeError(`${path}.burst`, 'no EWMA weight fits this burst');
}

/** tc_red_eval_P: the drop probability's log. */
function evalP(qmin: number, qmax: number, prob: number, path: string): number {
  let i = qmax - qmin;
  if (!i) return 0;
  if (i < 0) throw new EncodeError(`${path}.max`, 'max is below min');
  prob /= i;
  for (i = 0; i < 32; i++) {
    if (prob > 1) break;
    prob *= 2;
  }
  if (i >= 32) throw new EncodeError(`${path}.probability`, 'the probability is too small for these thresholds');
  return i;
}

/** tc_red_eval_idle_damping: Scell_log and the 256-byte table. */
function evalIdle(wlog: number, avpkt: number, bps: number, path: string): { clog: number; stab: Buffer } {
  const xmit = xmitTime(bps, avpkt, `${path}.avpkt`, pschedClock(), true);
  const lW = -Math.log(1 - 1 / (1 << wlog)) / xmit;
  const maxtime = 31 / lW;
  let clog = 0;
  for (; clog < 32; clog++) if (maxtime / 2 ** clog < 512) break;
  if (clog >= 32) throw new EncodeError(`${path}.bandwidth`, 'no idle damping fits this bandwidth');
  const stab = Buffer.alloc(256);
  for (let i = 1; i < 255; i++) stab[i] = Math.min(31, Math.trunc(((i << clog) >>> 0) * lW) & 0xff);
  stab[255] = 31;
  return { clog, stab };
}

// ── tc words and printer ──

function redWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'limit' || k === 'min' || k === 'max' || k === 'avpkt' || k === 'bandwidth') o[k] = w.value(k);
    else if (k === 'burst') o.burst = cNumber(w.value(k), 'red burst');
    else if (k === 'probability') {
      const t = w.value(k);
      const n = Number(t);
      if (t.trim() === '' || !Number.isFinite(n)) throw new UsageError(`Illegal "probability" "${t}"`);
      o.probability = n;
    } else if (k === 'ecn' || k === 'harddrop' || k === 'nodrop') o[k] = true;
    else if (k === 'adaptive' || k === 'adaptative') o.adaptive = true;
    else w.unknown(k);
  }
  return o;
}

const printRed: TcPrint<RedOptions> = (p, o, details) => {
  p.any('limit', o.limit, `limit ${sprintSize(o.limit)} `).any('min', o.min, `min ${sprintSize(o.min)} `).any('max', o.max, `max ${sprintSize(o.max)} `);
  for (const f of ['ecn', 'harddrop', 'adaptive', 'nodrop'] as const) p.any(f, o[f], o[f] ? `${f} ` : undefined);
  if (details) {
    p.any('ewma', o.ewma, `ewma ${o.ewma} `);
    if (o.probability !== undefined) p.float('probability', o.probability, `probability ${o.probability} `);
    else p.any('Plog', o.plog, `Plog ${o.plog} `);
    p.any('Scell_log', o.scellLog, `Scell_log ${o.scellLog}`);
  }
};

/** red's statistics (`tc -s qdisc`: marked, early, pdrop, other), the kernel's `struct tc_red_xstats` by its field names. */
export type RedXstats = StructValue<typeof tc_red_xstats>;

const printRedXstats: TcPrint<RedXstats> = (p, x) => {
  p.any('marked', x.marked, `  marked ${x.marked} `).any('early', x.early, `early ${x.early} `)
    .any('pdrop', x.pdrop, `pdrop ${x.pdrop} `).any('other', x.other, `other ${x.other} `);
};

export const red: QdiscKind<RedOptions, RedOptionsInput, never, never, RedXstats> = {
  kind: 'red',
  words: redWords,
  print: printRed,
  xstats: (buf, start, end, issues, path) => decodeStruct(tc_red_xstats, buf, start, end, issues, path),
  printXstats: printRedXstats,
  qdisc: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, KEYS, path, 'red');
      const limit = v.limit === undefined ? 0 : parseSize(v.limit, `${path}.limit`);
      const avpkt = v.avpkt === undefined ? 0 : parseSize(v.avpkt, `${path}.avpkt`);
      if (!limit || !avpkt) throw new EncodeError(`${path}.${limit ? 'avpkt' : 'limit'}`, 'red needs a limit and avpkt');
      let qmin = v.min === undefined ? 0 : parseSize(v.min, `${path}.min`);
      let qmax = v.max === undefined ? 0 : parseSize(v.max, `${path}.max`);
      // Sally Floyd's defaults, as tc computes them.
      if (!qmax) qmax = qmin ? qmin * 3 : Math.floor(limit / 4);
      if (!qmin) qmin = Math.floor(qmax / 3);
      const burst = v.burst === undefined || v.burst === 0 ? Math.floor((2 * qmin + qmax) / (3 * avpkt)) : intOption(v.burst, `${path}.burst`);
      const probability = v.probability === undefined ? 0.02 : v.probability;
      if (typeof probability !== 'number' || !(probability >= 0) || probability > 1) throw new EncodeError(`${path}.probability`, 'a probability from 0 to 1');
      const rate = v.bandwidth === undefined ? 1250000 : parseRate32(v.bandwidth, `${path}.bandwidth`, ctx);
      const wlog = evalEwma(qmin, burst, avpkt, path);
      const plog = evalP(qmin, qmax, probability, path);
      const idle = evalIdle(wlog, avpkt, rate, path);
      let flags = 0;
      for (const [k, bit] of [['ecn', TC_RED_ECN], ['harddrop', TC_RED_HARDDROP], ['nodrop', TC_RED_NODROP], ['adaptive', TC_RED_ADAPTATIVE]] as const) {
        if (v[k] !== undefined && boolOption(v[k], `${path}.${k}`)) flags |= bit;
      }
      redAttrs.encode(w, {
        parms: { limit, qth_min: qmin, qth_max: qmax, Wlog: wlog, Plog: plog, Scell_log: idle.clog, flags: 0 },
        stab: idle.stab,
        maxP: Math.trunc(probability * 2 ** 32) >>> 0,
        flags: { value: flags, selector: SUPPORTED },
      }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = redAttrs.decode(buf, start, end, issues, path);
      const q = a.parms ?? { limit: 0, qth_min: 0, qth_max: 0, Wlog: 0, Plog: 0, Scell_log: 0, flags: 0 };
      if (!a.parms) issues?.push({ path, problem: 'red without TCA_RED_PARMS' });
      const f = a.flags ? a.flags.value : q.flags;
      const o: RedOptions = {
        limit: q.limit, min: q.qth_min, max: q.qth_max,
        ecn: (f & TC_RED_ECN) !== 0, harddrop: (f & TC_RED_HARDDROP) !== 0, adaptive: (f & TC_RED_ADAPTATIVE) !== 0, nodrop: (f & TC_RED_NODROP) !== 0,
        ewma: q.Wlog, plog: q.Plog, scellLog: q.Scell_log,
      };
      if (a.maxP) o.probability = a.maxP / 2 ** 32;
      if (a.unknown) o.unknown = a.unknown;
      return o;
    },
  },
};
