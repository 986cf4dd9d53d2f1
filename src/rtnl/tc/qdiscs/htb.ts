// htb: the qdisc (default class, r2q, direct queue length) and its classes
// (rate, ceil, bursts, priority, quantum). Class options are computed the
// way tc 6.1 computes them: default bursts from the rate and the scheduler
// clock, 32-bit rates saturated with the exact value in RATE64/CEIL64, and
// the two 256-entry rate tables.
import {
  TCA_HTB_CEIL64, TCA_HTB_CTAB, TCA_HTB_DIRECT_QLEN, TCA_HTB_INIT, TCA_HTB_OFFLOAD, TCA_HTB_PARMS, TCA_HTB_RATE64,
  TCA_HTB_RTAB, TC_HTB_PROTOVER, tc_htb_glob, tc_htb_opt, tc_htb_xstats,
} from '../../../generated/linux/pkt_sched.js';
import { binary, flag, struct, u32, u64 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import { type StructValue, decodeStruct } from '../../../netlink/struct.js';
import { type OptionsCodec, type QdiscKind, type TcPrint } from '../kind.js';
import { boolOption, checkKeys, intOption, optionsObject } from '../options.js';
import { pschedClock, xmitSize, xmitTime } from '../psched.js';
import { type LinkLayer, linkLayerName, linkLayerNumber, rate32, rateTable } from '../rate-table.js';
import { type Rate, type Size, parseRate } from '../units.js';
import { parseSizeAndCell } from './burst.js';
import { type Words, cNumber, matches } from '../../words.js';
import { once, linkLayerWord } from '../kind-words.js';
import { sprintRate, sprintSize } from '../printer.js';
import { hex0x } from '../../json-values.js';

// ── tc words and printers ──

function htbWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'r2q')) o.r2q = cNumber(w.value(k), 'htb r2q', 10);
    else if (matches(k, 'default')) o.default = w.value(k);
    else if (matches(k, 'debug')) o.debug = debugWord(w.value(k));
    else if (matches(k, 'direct_qlen')) o.directQlen = cNumber(w.value(k), 'htb direct_qlen', 10);
    else if (matches(k, 'offload')) o.offload = true;
    else w.unknown(k);
  }
  return o;
}

function debugWord(s: string): number {
  let n = 0;
  for (let i = 0; i < 16 && i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 3) break;
    n += c * 4 ** i;
  }
  return n;
}

function htbClassWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'prio')) o.prio = cNumber(w.value(k), 'htb prio', 10);
    else if (matches(k, 'mtu')) o.mtu = cNumber(w.value(k), 'htb mtu', 10);
    else if (matches(k, 'mpu')) o.mpu = cNumber(w.value(k), 'htb mpu', 10);
    else if (matches(k, 'overhead')) o.overhead = cNumber(w.value(k), 'htb overhead', 10);
    else if (matches(k, 'linklayer')) o.linklayer = linkLayerWord(w.value(k));
    else if (matches(k, 'quantum')) o.quantum = cNumber(w.value(k), 'htb quantum', 10);
    else if (matches(k, 'burst') || k === 'buffer' || k === 'maxburst') o.burst = w.value(k);
    else if (matches(k, 'cburst') || k === 'cbuffer' || k === 'cmaxburst') o.cburst = w.value(k);
    else if (k === 'ceil') o.ceil = once(o.ceil, w.value(k), 'ceil');
    else if (k === 'rate') o.rate = once(o.rate, w.value(k), 'rate');
    else w.unknown(k);
  }
  return o;
}

const printHtb: TcPrint<HtbQdiscOptions> = (p, o, details) => {
  if (o.r2q !== undefined) {
    p.any('r2q', o.r2q, `r2q ${o.r2q}`)
      .any('default', hex0x(o.default ?? 0), ` default ${hex0x(o.default ?? 0)}`)
      .any('direct_packets_stat', o.directPacketsStat, ` direct_packets_stat ${o.directPacketsStat}`);
    if (details && o.version !== undefined) p.any('ver', `${o.version >> 16}.${o.version & 0xffff}`, ` ver ${o.version >> 16}.${o.version & 0xffff}`);
  }
  if (o.directQlen !== undefined) p.any('direct_qlen', o.directQlen, ` direct_qlen ${o.directQlen}`);
  if (o.offload) p.any('offload', null, ' offload');
};

const printHtbClass: TcPrint<HtbClassOptions> = (p, o) => {
  if (!o.level) p.any('prio', o.prio, `prio ${o.prio} `);
  p.any('rate', o.rate, `rate ${sprintRate(o.rate)} `);
  if (o.overhead) p.any('overhead', o.overhead, `overhead ${o.overhead} `);
  p.any('ceil', o.ceil, `ceil ${sprintRate(o.ceil)} `);
  if (o.linklayer === 'atm' || typeof o.linklayer === 'number') p.any('linklayer', String(o.linklayer), `linklayer ${o.linklayer} `);
  p.any('burst', o.burst, `burst ${sprintSize(o.burst)} `).any('cburst', o.cburst, `cburst ${sprintSize(o.cburst)}`);
};

const printHtbClassXstats: TcPrint<HtbClassXstats> = (p, x) => {
  p.any('lended', x.lends, ` lended: ${x.lends} `).any('borrowed', x.borrows, `borrowed: ${x.borrows} `)
    .any('giants', x.giants, `giants: ${x.giants}\n`)
    .any('tokens', x.tokens, ` tokens: ${x.tokens} `).any('ctokens', x.ctokens, `ctokens: ${x.ctokens}`);
};

const htbAttrs = attrSet('htb', {
  parms: attr(TCA_HTB_PARMS, struct(tc_htb_opt)),
  init: attr(TCA_HTB_INIT, struct(tc_htb_glob)),
  directQlen: attr(TCA_HTB_DIRECT_QLEN, u32),
  rate64: attr(TCA_HTB_RATE64, u64),
  ceil64: attr(TCA_HTB_CEIL64, u64),
  offload: attr(TCA_HTB_OFFLOAD, flag),
  rtab: attr(TCA_HTB_RTAB, binary),
  ctab: attr(TCA_HTB_CTAB, binary),
});

/** htb's qdisc options as decoded: default class, r2q, direct queue. */
export interface HtbQdiscOptions {
  /** Divisor turning a class rate (bytes/s) into its default quantum. */
  r2q?: number;
  /** Minor number of the class unclassified traffic goes to (0: sent directly). */
  default?: number;
  /** Packets sent directly (unclassified, no default class). */
  directPacketsStat?: number;
  /** HTB protocol version, major << 16 | minor. */
  version?: number;
  debug?: number;
  /** Limit of the direct queue, in packets. */
  directQlen?: number;
  offload?: boolean;
}

/** htb's qdisc options as given. */
export interface HtbQdiscOptionsInput {
  /** Minor of the default class, as a number or in hex like tc ('10' is 0x10). */
  default?: number | string;
  /** Default 10. */
  r2q?: number;
  directQlen?: number;
  offload?: boolean;
  /** tc's "debug" word (2 bits per class level). */
  debug?: number;
}

/** An htb class's options as decoded: rate, ceil, bursts, priority, quantum. */
export interface HtbClassOptions {
  /** Guaranteed rate, bytes/s. */
  rate: number;
  /** Upper rate, bytes/s. */
  ceil: number;
  /** Bytes that may be sent at ceil speed, as tc prints it (derived from `buffer`). */
  burst: number;
  cburst: number;
  /** The burst as the kernel keeps it: scheduler ticks at `rate`. */
  buffer: number;
  cbuffer: number;
  prio: number;
  /** Bytes served per round (the kernel computes it from r2q unless set). */
  quantum: number;
  /** 0 for a leaf; the depth from the leaves otherwise. */
  level: number;
  mpu: number;
  overhead: number;
  linklayer: LinkLayer | 'unspec' | number;
  offload?: boolean;
}

/** An htb class's options as given (`tc class add ... htb rate R ceil C`). */
export interface HtbClassOptionsInput {
  /** Required: guaranteed rate ('10mbit', bytes/s, or '5%' of the device's speed). */
  rate: Rate;
  /** Default: the rate. */
  ceil?: Rate;
  /** Default: rate / HZ + mtu, as tc computes it. "SIZE/CELL" sets the cell size too. */
  burst?: Size;
  cburst?: Size;
  prio?: number;
  quantum?: number;
  /** Largest packet the rate tables cover; default 1600. */
  mtu?: number;
  mpu?: number;
  overhead?: number;
  linklayer?: 'ethernet' | 'atm' | 'adsl';
}

/** An htb class's own statistics: lends, borrows, giants, tokens. */
export interface HtbClassXstats {
  lends: number;
  borrows: number;
  giants: number;
  tokens: number;
  ctokens: number;
}

const QDISC_KEYS = ['default', 'r2q', 'directQlen', 'offload', 'debug'] as const;
const CLASS_KEYS = ['rate', 'ceil', 'burst', 'cburst', 'prio', 'quantum', 'mtu', 'mpu', 'overhead', 'linklayer'] as const;

function defaultClass(v: unknown, path: string): number {
  if (typeof v === 'string') {
    if (!/^(0x)?[0-9a-f]+$/i.test(v)) throw new EncodeError(path, `default class "${v}" is not a hex minor number`);
    v = parseInt(v.replace(/^0x/i, ''), 16);
  }
  return intOption(v, path);
}

const htbQdisc: OptionsCodec<HtbQdiscOptions, HtbQdiscOptionsInput | undefined> = {
  encode(w, value, _ctx, path) {
    const v = optionsObject(value, path);
    checkKeys(v, QDISC_KEYS, path, 'htb');
    const glob = {
      version: TC_HTB_PROTOVER,
      rate2quantum: v.r2q === undefined ? 10 : intOption(v.r2q, `${path}.r2q`),
      defcls: v.default === undefined ? 0 : defaultClass(v.default, `${path}.default`),
      debug: v.debug === undefined ? 0 : intOption(v.debug, `${path}.debug`),
    };
    htbAttrs.encode(w, {
      init: glob,
      directQlen: v.directQlen === undefined ? undefined : intOption(v.directQlen, `${path}.directQlen`),
      offload: v.offload === undefined ? undefined : boolOption(v.offload, `${path}.offload`),
    }, path);
  },
  decode(buf, start, end, issues, path) {
    const a = htbAttrs.decode(buf, start, end, issues, path);
    const out: HtbQdiscOptions = {};
    if (a.init) {
      out.r2q = a.init.rate2quantum;
      out.default = a.init.defcls;
      out.directPacketsStat = a.init.direct_pkts;
      out.version = a.init.version;
      out.debug = a.init.debug;
    }
    if (a.directQlen !== undefined) out.directQlen = a.directQlen;
    if (a.offload) out.offload = true;
    return out;
  },
};

const htbClass: OptionsCodec<HtbClassOptions, HtbClassOptionsInput> = {
  encode(w, value, ctx, path) {
    const v = optionsObject(value, path);
    checkKeys(v, CLASS_KEYS, path, 'htb class');
    if (v.rate === undefined) throw new EncodeError(`${path}.rate`, 'an htb class needs a rate');
    const rate64 = parseRate(v.rate, `${path}.rate`, ctx);
    const ceil64 = v.ceil === undefined ? rate64 : parseRate(v.ceil, `${path}.ceil`, ctx);
    const mtu = v.mtu === undefined ? 1600 : intOption(v.mtu, `${path}.mtu`);
    const mpu = v.mpu === undefined ? 0 : intOption(v.mpu, `${path}.mpu`, 0, 0xffff);
    const overhead = v.overhead === undefined ? 0 : intOption(v.overhead, `${path}.overhead`, 0, 0xffff);
    const linklayer = linkLayerNumber(v.linklayer, `${path}.linklayer`);
    const burst = v.burst === undefined ? { size: 0 } : parseSizeAndCell(v.burst, `${path}.burst`);
    const cburst = v.cburst === undefined ? { size: 0 } : parseSizeAndCell(v.cburst, `${path}.cburst`);
    const clock = pschedClock();
    // tc: "minimal allowed burst from rate; mtu is added to make sure that buffer is larger than mtu".
    const buffer = burst.size || toU32Sum(Math.floor(rate64 / clock.hz), mtu);
    const cbuffer = cburst.size || toU32Sum(Math.floor(ceil64 / clock.hz), mtu);
    const rtab = rateTable({ rate: rate32(rate64), cellLog: burst.cellLog, mtu, mpu, overhead, linklayer }, `${path}.rate`, clock);
    const ctab = rateTable({ rate: rate32(ceil64), cellLog: cburst.cellLog, mtu, mpu, overhead, linklayer }, `${path}.ceil`, clock);
    const parms = {
      rate: rtab.spec, ceil: ctab.spec,
      buffer: xmitTime(rate64, buffer, `${path}.burst`, clock),
      cbuffer: xmitTime(ceil64, cbuffer, `${path}.cburst`, clock),
      quantum: v.quantum === undefined ? 0 : intOption(v.quantum, `${path}.quantum`),
      prio: v.prio === undefined ? 0 : intOption(v.prio, `${path}.prio`),
    };
    htbAttrs.encode(w, {
      rate64: rate64 >= 2 ** 32 ? rate64 : undefined,
      ceil64: ceil64 >= 2 ** 32 ? ceil64 : undefined,
      parms, rtab: rtab.table, ctab: ctab.table,
    }, path);
  },
  decode(buf, start, end, issues, path) {
    const a = htbAttrs.decode(buf, start, end, issues, path);
    const p = a.parms ?? decodeStruct(tc_htb_opt, Buffer.alloc(tc_htb_opt.size), 0);
    if (!a.parms) issues?.push({ path, problem: 'htb class without TCA_HTB_PARMS' });
    return classFromParms(p, a.rate64, a.ceil64, a.offload);
  },
};

function classFromParms(p: StructValue<typeof tc_htb_opt>, rate64?: number, ceil64?: number, offload?: true): HtbClassOptions {
  const rate = rate64 ?? p.rate.rate;
  const ceil = ceil64 ?? p.ceil.rate;
  const out: HtbClassOptions = {
    rate, ceil,
    burst: xmitSize(rate, p.buffer), cburst: xmitSize(ceil, p.cbuffer),
    buffer: p.buffer, cbuffer: p.cbuffer,
    prio: p.prio, quantum: p.quantum, level: p.level,
    mpu: p.rate.mpu, overhead: p.rate.overhead, linklayer: linkLayerName(p.rate.linklayer),
  };
  if (offload) out.offload = true;
  return out;
}

function toU32Sum(a: number, b: number): number {
  return (a + b) % 4294967296;
}

export const htb: QdiscKind<HtbQdiscOptions, HtbQdiscOptionsInput | undefined, HtbClassOptions, HtbClassOptionsInput, never, HtbClassXstats> = {
  kind: 'htb',
  words: htbWords,
  print: printHtb,
  classWords: htbClassWords,
  printClass: printHtbClass,
  printClassXstats: printHtbClassXstats,
  qdisc: htbQdisc,
  class: htbClass,
  classXstats: (buf, start, end, issues, path) => decodeStruct(tc_htb_xstats, buf, start, end, issues, path),
};
