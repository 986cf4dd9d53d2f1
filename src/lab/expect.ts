// A description's `expect`: measured properties of paths between its
// namespaces, read and checked with the rest of the description (every
// problem with its path), and turned into numbers for check.ts.
import { EncodeError } from '../netlink/errors.js';
import { ipFamilyOf } from '../netlink/ip.js';
import { parsePercent, parseRate, parseTime } from '../rtnl/tc/units.js';
import type { LabDescription, PathExpectation } from './description.js';
import { type Reader, didYouMean, join } from './shape.js';

const KEYS = ['reachable', 'rtt', 'rttTolerance', 'rate', 'rateTolerance', 'loss'] as const;

/** A tolerance: a fraction of the expected value ("20%"), or an amount in the value's own unit. */
export type Tolerance = { fraction: number } | { amount: number };

/** An expectation in numbers: rtt in milliseconds, rate in bits per second, loss as a fraction. */
export interface Expected {
  from: string;
  to: string;
  reachable: boolean;
  rtt?: { ms: number; tolerance: Tolerance };
  rate?: { bitsPerSecond: number; tolerance: Tolerance };
  loss?: number;
}

function tolerance(v: string | undefined, parse: (s: string) => number, fallback: number): Tolerance {
  if (v === undefined) return { fraction: fallback };
  if (/^\d+(\.\d+)?%$/.test(v)) return { fraction: Number(v.slice(0, -1)) / 100 };
  return { amount: parse(v) };
}

const ms = (s: string, path = '') => parseTime(s, path) / 1000;
const bits = (s: string, path = '') => parseRate(s, path) * 8;

/** The numbers of a valid expectation. */
export function expected(e: PathExpectation): Expected {
  const out: Expected = { from: e.from, to: e.to, reachable: e.reachable ?? true };
  if (e.rtt !== undefined) out.rtt = { ms: ms(e.rtt), tolerance: tolerance(e.rttTolerance, ms, 0.25) };
  if (e.rate !== undefined) out.rate = { bitsPerSecond: bits(e.rate), tolerance: tolerance(e.rateTolerance, bits, 0.2) };
  if (e.loss !== undefined) out.loss = parsePercent(e.loss, '');
  return out;
}

/** Whether `measured` is within the tolerance of `want`; the bounds, for messages. */
export function within(want: number, t: Tolerance, measured: number): { ok: boolean; low: number; high: number } {
  const d = 'fraction' in t ? want * t.fraction : t.amount;
  return { ok: measured >= want - d && measured <= want + d, low: Math.max(0, want - d), high: want + d };
}

/** Reads `expect` (a list), checking names and values against the draft description read so far. */
export function readExpectations(r: Reader, v: unknown, path: string, draft: LabDescription): PathExpectation[] | undefined {
  const list = r.array(v, path);
  if (!list) return undefined;
  const namespaces = draft.namespaces.map((n) => n.name);
  const addresses = new Set<string>();
  for (const l of [...(draft.bridges ?? []), ...(draft.veths ?? []).flatMap((p) => [p.a, p.b]), ...(draft.taps ?? [])]) {
    for (const a of l?.addresses ?? []) addresses.add(a.split('/')[0]!.toLowerCase());
  }
  const out: PathExpectation[] = [];
  list.forEach((item, i) => {
    const p = join(path, i);
    const o = r.object(item, p, ['from', 'to'], KEYS);
    if (!o) return;
    const from = r.string(o.from, join(p, 'from'));
    const to = r.string(o.to, join(p, 'to'));
    if (from !== undefined && !namespaces.includes(from)) r.report(join(p, 'from'), `unknown namespace "${from}"${didYouMean(from, namespaces)}`);
    if (to !== undefined && (ipFamilyOf(to) === undefined || !addresses.has(to.toLowerCase()))) r.report(join(p, 'to'), `"${to}" is not one of the lab's addresses`);
    if (from === undefined || to === undefined) return;
    const e: PathExpectation = { from, to };
    if (o.reachable !== undefined) {
      const b = r.boolean(o.reachable, join(p, 'reachable'));
      if (b !== undefined) e.reachable = b;
    }
    const text = (key: 'rtt' | 'rttTolerance' | 'rate' | 'rateTolerance', check: (s: string, path: string) => unknown) => {
      if (o[key] === undefined) return;
      const s = r.string(o[key], join(p, key));
      if (s === undefined) return;
      try {
        if (!(key.endsWith('Tolerance') && /^\d+(\.\d+)?%$/.test(s))) check(s, join(p, key));
        e[key] = s;
      } catch (err) {
        if (!(err instanceof EncodeError)) throw err;
        r.report(join(p, key), err.message.replace(/^[^:]*: /, ''));
      }
    };
    text('rtt', ms);
    text('rttTolerance', ms);
    text('rate', bits);
    text('rateTolerance', bits);
    if (o.loss !== undefined) {
      if (typeof o.loss !== 'string' && typeof o.loss !== 'number') r.report(join(p, 'loss'), 'expected a percentage ("1%" or a number)');
      else {
        try {
          parsePercent(o.loss, join(p, 'loss'));
          e.loss = o.loss;
        } catch (err) {
          if (!(err instanceof EncodeError)) throw err;
          r.report(join(p, 'loss'), err.message.replace(/^[^:]*: /, ''));
        }
      }
    }
    if (e.rttTolerance !== undefined && e.rtt === undefined) r.report(join(p, 'rttTolerance'), 'needs rtt');
    if (e.rateTolerance !== undefined && e.rate === undefined) r.report(join(p, 'rateTolerance'), 'needs rate');
    if (e.reachable === false && (e.rtt !== undefined || e.rate !== undefined || e.loss !== undefined)) r.report(p, 'a path expected unreachable has no rtt, rate or loss to measure');
    out.push(e);
  });
  return out;
}
