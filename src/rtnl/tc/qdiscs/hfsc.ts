// hfsc: Hierarchical Fair Service Curve. The qdisc names its default class
// (`hfsc default 10`); each class has service curves — real-time (rt),
// link-sharing (ls), both at once (sc), upper limit (ul) — given as
// "m1 RATE d TIME m2 RATE" or "umax SIZE dmax TIME rate RATE", converted as
// tc's q_hfsc.c does. tc 6.1 prints hfsc in text only (its -j shows no options).
import { TCA_HFSC_FSC, TCA_HFSC_RSC, TCA_HFSC_USC, tc_hfsc_qopt, tc_service_curve } from '../../../generated/linux/pkt_sched.js';
import { struct } from '../../../netlink/codec.js';
import { describe } from '../../../netlink/describe.js';
import { EncodeError } from '../../../netlink/errors.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { type StructValue, decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import type { EncodeContext, QdiscKind, TcPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { sprintRate, sprintTime } from '../printer.js';
import { TIME_UNITS_PER_SEC, pschedClock, time2ktime } from '../psched.js';
import { type Rate, type Size, type Time, parseRate32, parseSize, parseTime } from '../units.js';
import { type Words, UsageError, cNumber, matches } from '../../words.js';

const hfscClassAttrs = attrSet('hfsc class', {
  rsc: attr(TCA_HFSC_RSC, struct(tc_service_curve)),
  fsc: attr(TCA_HFSC_FSC, struct(tc_service_curve)),
  usc: attr(TCA_HFSC_USC, struct(tc_service_curve)),
});

/** An hfsc qdisc as the kernel reports it (`tc qdisc show ... hfsc default N`). */
export interface HfscOptions {
  /** The default class's minor number (0: none). */
  defcls: number;
}

/** An hfsc qdisc as `tc qdisc add ... hfsc [default N]` takes it. */
export interface HfscOptionsInput {
  /** Minor number of the default class, hex as tc reads it ("10" is 0x10). */
  defcls?: number | string;
}

/** A service curve as the kernel keeps it: m1, m2 in bytes/s, d in kernel time units. */
export type ServiceCurve = StructValue<typeof tc_service_curve>;

/** A curve to set: two slopes and where they meet, or a packet size, its delay bound and a rate. */
export type ServiceCurveInput = { m1?: Rate; d?: Time; m2: Rate } | { umax?: Size; dmax?: Time; rate: Rate };

/** An hfsc class as the kernel reports it: its service curves. */
export interface HfscClassOptions {
  /** The real-time curve (guaranteed service, `rt`). */
  rt?: ServiceCurve;
  /** The link-sharing curve (share of the excess, `ls`). */
  ls?: ServiceCurve;
  /** The upper-limit curve (a cap, `ul`). */
  ul?: ServiceCurve;
  unknown?: RawAttr[];
}

/** An hfsc class as `tc class add ... hfsc [sc|rt|ls|ul CURVE]...` takes it. */
export interface HfscClassOptionsInput {
  /** rt and ls at once. */
  sc?: ServiceCurveInput;
  /** The real-time curve (guaranteed service). */
  rt?: ServiceCurveInput;
  /** The link-sharing curve (share of the excess). */
  ls?: ServiceCurveInput;
  /** The upper-limit curve (a cap). */
  ul?: ServiceCurveInput;
}

function curve(v: unknown, ctx: EncodeContext, path: string): ServiceCurve {
  const o = optionsObject(v, path);
  if ('m2' in o || 'm1' in o || 'd' in o) {
    checkKeys(o, ['m1', 'd', 'm2'], path, 'a service curve');
    if (o.m2 === undefined) throw new EncodeError(`${path}.m2`, 'a curve needs m2');
    const c = {
      m1: o.m1 === undefined ? 0 : parseRate32(o.m1, `${path}.m1`, ctx),
      d: time2ktime(o.d === undefined ? 0 : parseTime(o.d, `${path}.d`), pschedClock()),
      m2: parseRate32(o.m2, `${path}.m2`, ctx),
    };
    if (!c.m1 && !c.m2) throw new EncodeError(path, 'a curve with m1 and m2 both 0 serves nothing');
    return c;
  }
  checkKeys(o, ['umax', 'dmax', 'rate'], path, 'a service curve');
  if (o.rate === undefined) throw new EncodeError(`${path}.rate`, `a curve needs m2 or rate, got ${describe(v)}`);
  const umax = o.umax === undefined ? 0 : parseSize(o.umax, `${path}.umax`);
  const dmax = o.dmax === undefined ? 0 : parseTime(o.dmax, `${path}.dmax`);
  const rate = parseRate32(o.rate, `${path}.rate`, ctx);
  if (umax !== 0 && dmax === 0) throw new EncodeError(`${path}.dmax`, 'umax needs dmax');
  if (dmax !== 0 && Math.ceil((umax * TIME_UNITS_PER_SEC) / dmax) > rate) {
    // Concave: the first slope is umax/dmax up to dmax.
    return { m1: Math.ceil((umax * TIME_UNITS_PER_SEC) / dmax), d: time2ktime(dmax), m2: rate };
  }
  if (!rate) throw new EncodeError(`${path}.rate`, 'a curve with rate 0 serves nothing');
  // Convex: nothing until dmax - umax/rate, then the rate.
  return { m1: 0, d: time2ktime(Math.ceil(dmax - (umax * TIME_UNITS_PER_SEC) / rate)), m2: rate };
}

// ── tc words and printers ──

function hfscWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'default')) {
      if (o.defcls !== undefined) throw new UsageError('hfsc: "default" given twice');
      o.defcls = cNumber(w.value(k), 'hfsc default', 16);
    } else w.unknown(k);
  }
  return o;
}

/** "m1 R d T m2 R" or "umax S dmax T rate R" after rt/ls/sc/ul. */
function curveWords(w: Words): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  const first = w.peek();
  const two = first !== undefined && (matches(first, 'umax') || matches(first, 'dmax') || matches(first, 'rate'));
  for (const key of two ? ['umax', 'dmax', 'rate'] : ['m1', 'd', 'm2']) {
    const next = w.peek();
    if (next !== undefined && matches(next, key)) { w.next(); c[key] = w.value(key); }
  }
  if (c.m2 === undefined && c.rate === undefined) throw new UsageError('hfsc: a service curve needs "m2" (or "rate")');
  return c;
}

function hfscClassWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    const key = (['rt', 'ls', 'sc', 'ul'] as const).find((n) => matches(k, n));
    if (!key) w.unknown(k);
    else o[key] = curveWords(w);
  }
  if (!Object.keys(o).length) throw new UsageError('hfsc: a class needs a service curve (rt, ls, sc or ul)');
  return o;
}

const printHfsc: TcPrint<HfscOptions> = (p, o) => { if (o.defcls) p.onlyText(`default ${o.defcls.toString(16)} `); };

const curveText = (name: string, c: ServiceCurve): string =>
  `${name} m1 ${sprintRate(c.m1)} d ${sprintTime(Math.trunc(c.d / pschedClock().clockFactor))} m2 ${sprintRate(c.m2)} `;

const printHfscClass: TcPrint<HfscClassOptions> = (p, o) => {
  const same = o.rt && o.ls && o.rt.m1 === o.ls.m1 && o.rt.d === o.ls.d && o.rt.m2 === o.ls.m2;
  if (same && o.rt) p.onlyText(curveText('sc', o.rt));
  else {
    if (o.rt) p.onlyText(curveText('rt', o.rt));
    if (o.ls) p.onlyText(curveText('ls', o.ls));
  }
  if (o.ul) p.onlyText(curveText('ul', o.ul));
};

export const hfsc: QdiscKind<HfscOptions, HfscOptionsInput | undefined, HfscClassOptions, HfscClassOptionsInput> = {
  kind: 'hfsc',
  words: hfscWords,
  print: printHfsc,
  qdisc: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['defcls'], path, 'hfsc');
      const d = v.defcls;
      const defcls = d === undefined ? 0 : typeof d === 'string' ? cNumberOrThrow(d, `${path}.defcls`) : intOption(d, `${path}.defcls`, 0, 0xffff);
      encodeStruct(w, tc_hfsc_qopt, { defcls }, path);
    },
    decode(buf, start, end, issues, path) { return decodeStruct(tc_hfsc_qopt, buf, start, end, issues, path); },
  },
  class: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['sc', 'rt', 'ls', 'ul'], path, 'hfsc class');
      if (v.sc !== undefined && (v.rt !== undefined || v.ls !== undefined)) throw new EncodeError(`${path}.sc`, 'sc sets rt and ls: give sc, or rt and ls');
      if (v.sc === undefined && v.rt === undefined && v.ls === undefined && v.ul === undefined) throw new EncodeError(path, 'an hfsc class needs a service curve (sc, rt, ls or ul)');
      const rt = v.sc !== undefined ? curve(v.sc, ctx, `${path}.sc`) : v.rt === undefined ? undefined : curve(v.rt, ctx, `${path}.rt`);
      const ls = v.sc !== undefined ? rt : v.ls === undefined ? undefined : curve(v.ls, ctx, `${path}.ls`);
      if (v.ul !== undefined && ls === undefined) throw new EncodeError(`${path}.ul`, 'an upper limit (ul) needs a link-sharing curve (ls or sc)');
      hfscClassAttrs.encode(w, { rsc: rt, fsc: ls, usc: v.ul === undefined ? undefined : curve(v.ul, ctx, `${path}.ul`) }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = hfscClassAttrs.decode(buf, start, end, issues, path);
      const o: HfscClassOptions = {};
      if (a.rsc) o.rt = a.rsc;
      if (a.fsc) o.ls = a.fsc;
      if (a.usc) o.ul = a.usc;
      if (a.unknown) o.unknown = a.unknown;
      return o;
    },
  },
  classWords: hfscClassWords,
  printClass: printHfscClass,
};

function cNumberOrThrow(s: string, path: string): number {
  const n = /^(0x)?[0-9a-f]{1,4}$/i.test(s) ? parseInt(s.replace(/^0x/i, ''), 16) : NaN;
  if (Number.isNaN(n)) throw new EncodeError(path, `"${s}" is not a hex class minor (1 to 4 hex digits)`);
  return n;
}
