// The qdiscs a lab can put on a link, and how their options are checked
// before anything is created. Keys are tc's words and values tc's text; the
// lab turns them into tc's words and the kind's CLI words make the options
// (src/lab/tc.ts), and the encoder, run once by the validator, converts them
// to kernel units as tc does.
import type { HtbClassSpec, LabQdiscSpec } from './description.js';
import { EncodeError } from '../netlink/errors.js';
import { parsePercent, parseRate, parseSize, parseTime64 } from '../rtnl/tc/units.js';
import { type Reader, join, kindOf } from './shape.js';

export const QDISC_KINDS = ['netem', 'tbf', 'htb', 'pfifo', 'bfifo'] as const;

/**
 * The tc words a lab's netem, tbf and fifo take as keys, in tc's order
 * (src/lab/tc.ts writes them back as tc's words). netem's jitter is the
 * number after its delay.
 */
export const LAB_QDISC_WORDS = {
  netem: ['delay', 'jitter', 'loss', 'duplicate', 'corrupt', 'reorder', 'rate', 'limit'],
  tbf: ['rate', 'burst', 'latency', 'limit'],
  fifo: ['limit'],
} as const;

// Values are read by the same unit parsers that read tc's words for the
// library (src/rtnl/tc/units.ts), so the lab has no grammar of its own. One
// rule is the lab's: a value names its unit ('100ms', not '100'), since tc's
// unitless default differs from field to field.
type Parse = (v: string, path: string) => unknown;

function text(r: Reader, v: unknown, path: string, parse: Parse, what: string, example: string, unit = /[a-z]$/i): string | undefined {
  const s = r.string(v, path);
  if (s === undefined) return undefined;
  let ok = unit.test(s.trim());
  if (ok) {
    try { parse(s, path); } catch (err) { if (!(err instanceof EncodeError)) throw err; ok = false; }
  }
  if (!ok) {
    r.report(path, `${JSON.stringify(s)} is not ${what} (e.g. ${example})`);
    return undefined;
  }
  return s;
}

const rate = (r: Reader, v: unknown, path: string) => text(r, v, path, (s, p) => parseRate(s, p), 'a rate', '"1mbit", "100kbps"');
const time = (r: Reader, v: unknown, path: string) => text(r, v, path, parseTime64, 'a time', '"100ms", "1s", "500us"');

function size(r: Reader, v: unknown, path: string): string | number | undefined {
  if (typeof v === 'number') return r.integer(v, path, 1, 0xffffffff);
  return text(r, v, path, parseSize, 'a size', '"32kbit", "10kb", 1500', /./);
}

function percent(r: Reader, v: unknown, path: string): string | number | undefined {
  if (typeof v === 'number') {
    if (!(v >= 0 && v <= 100)) {
      r.report(path, `expected a percentage 0..100, got ${kindOf(v)}`);
      return undefined;
    }
    return v;
  }
  if (typeof v === 'string' && v.trim().endsWith('%') && Number(v.trim().slice(0, -1)) > 100) {
    r.report(path, `${JSON.stringify(v)} is more than 100%`);
    return undefined;
  }
  return text(r, v, path, parsePercent, 'a percentage', '"1%", "0.5%"', /%$/);
}

/** Reads one qdisc; undefined (with problems reported) when it is not usable. */
export function readQdisc(r: Reader, v: unknown, path: string): LabQdiscSpec | undefined {
  const head = r.record(v, path);
  if (!head) return undefined;
  const kind = head.kind;
  if (kind === undefined) {
    r.report(join(path, 'kind'), `required, missing; one of ${QDISC_KINDS.join(', ')}`);
    return undefined;
  }
  if (typeof kind !== 'string' || !(QDISC_KINDS as readonly string[]).includes(kind)) {
    r.report(join(path, 'kind'), `unknown qdisc kind ${typeof kind === 'string' ? JSON.stringify(kind) : kindOf(kind)}; a lab knows ${QDISC_KINDS.join(', ')}`);
    return undefined;
  }
  const at = (k: string) => join(path, k);
  const before = r.problems.length;
  switch (kind as LabQdiscSpec['kind']) {
    case 'netem': {
      const o = r.object(v, path, ['kind'], LAB_QDISC_WORDS.netem);
      if (!o) return undefined;
      const q: LabQdiscSpec = { kind: 'netem' };
      if (o.delay !== undefined) q.delay = time(r, o.delay, at('delay'));
      if (o.jitter !== undefined) q.jitter = time(r, o.jitter, at('jitter'));
      for (const k of ['loss', 'duplicate', 'corrupt', 'reorder'] as const) if (o[k] !== undefined) q[k] = percent(r, o[k], at(k));
      if (o.rate !== undefined) q.rate = rate(r, o.rate, at('rate'));
      if (o.limit !== undefined) q.limit = r.integer(o.limit, at('limit'), 1, 0xffffffff);
      if (o.jitter !== undefined && o.delay === undefined) r.report(at('jitter'), 'jitter needs a delay');
      if (o.reorder !== undefined && o.delay === undefined) r.report(at('reorder'), 'reorder needs a delay');
      return r.problems.length === before ? q : undefined;
    }
    case 'tbf': {
      const o = r.object(v, path, ['kind', 'rate', 'burst'], ['latency', 'limit']);
      if (!o) return undefined;
      const q: LabQdiscSpec = { kind: 'tbf', rate: rate(r, o.rate, at('rate')) ?? '', burst: o.burst === undefined ? '' : size(r, o.burst, at('burst')) ?? '' };
      if (o.latency !== undefined) q.latency = time(r, o.latency, at('latency'));
      if (o.limit !== undefined) q.limit = size(r, o.limit, at('limit'));
      if ((o.latency === undefined) === (o.limit === undefined)) r.report(path, 'tbf needs exactly one of latency and limit');
      return r.problems.length === before ? q : undefined;
    }
    case 'htb': {
      const o = r.object(v, path, ['kind', 'classes'], ['default']);
      if (!o) return undefined;
      const classes: HtbClassSpec[] = [];
      const list = o.classes === undefined ? [] : r.array(o.classes, at('classes')) ?? [];
      list.forEach((c, i) => {
        const cp = join(at('classes'), i);
        const co = r.object(c, cp, ['id', 'rate'], ['ceil', 'parent']);
        if (!co) return;
        const cls: HtbClassSpec = { id: r.integer(co.id, join(cp, 'id'), 1, 0xffff) ?? 0, rate: rate(r, co.rate, join(cp, 'rate')) ?? '' };
        if (co.ceil !== undefined) cls.ceil = rate(r, co.ceil, join(cp, 'ceil'));
        if (co.parent !== undefined) cls.parent = r.integer(co.parent, join(cp, 'parent'), 1, 0xffff);
        classes.push(cls);
      });
      const ids = new Map<number, number>();
      classes.forEach((c, i) => {
        if (ids.has(c.id)) r.report(join(join(at('classes'), i), 'id'), `class 1:${c.id} is already classes[${ids.get(c.id)}]`);
        else ids.set(c.id, i);
      });
      classes.forEach((c, i) => {
        if (c.parent !== undefined && !ids.has(c.parent)) r.report(join(join(at('classes'), i), 'parent'), `no class 1:${c.parent} in this qdisc`);
        if (c.parent === c.id) r.report(join(join(at('classes'), i), 'parent'), 'a class cannot be its own parent');
      });
      const q: LabQdiscSpec = { kind: 'htb', classes };
      if (o.default !== undefined) {
        q.default = r.integer(o.default, at('default'), 1, 0xffff);
        if (q.default !== undefined && !ids.has(q.default)) r.report(at('default'), `no class 1:${q.default} in this qdisc`);
      }
      return r.problems.length === before ? q : undefined;
    }
    default: {
      const o = r.object(v, path, ['kind'], ['limit']);
      if (!o) return undefined;
      const q: LabQdiscSpec = { kind: kind as 'pfifo' | 'bfifo' };
      if (o.limit !== undefined) q.limit = r.integer(o.limit, at('limit'), 1, 0xffffffff);
      return r.problems.length === before ? q : undefined;
    }
  }
}
