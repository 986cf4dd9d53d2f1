// tc's words for each qdisc kind's options (and htb's class options), turned
// into the typed options the library takes. Units stay text: the library
// reads '10mbit' or '100ms' exactly as tc does.
import { UsageError } from '../args.js';
import { Words, cNumber } from './words.js';

export type KindParser = (w: Words) => Record<string, unknown>;

function htbQdisc(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matchesWord(k, 'r2q')) o.r2q = cNumber(w.value(k), 'htb r2q', 10);
    else if (matchesWord(k, 'default')) o.default = w.value(k);
    else if (matchesWord(k, 'debug')) o.debug = debugWord(w.value(k));
    else if (matchesWord(k, 'direct_qlen')) o.directQlen = cNumber(w.value(k), 'htb direct_qlen', 10);
    else if (matchesWord(k, 'offload')) o.offload = true;
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

function htbClass(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matchesWord(k, 'prio')) o.prio = cNumber(w.value(k), 'htb prio', 10);
    else if (matchesWord(k, 'mtu')) o.mtu = cNumber(w.value(k), 'htb mtu', 10);
    else if (matchesWord(k, 'mpu')) o.mpu = cNumber(w.value(k), 'htb mpu', 10);
    else if (matchesWord(k, 'overhead')) o.overhead = cNumber(w.value(k), 'htb overhead', 10);
    else if (matchesWord(k, 'linklayer')) o.linklayer = linkLayerWord(w.value(k));
    else if (matchesWord(k, 'quantum')) o.quantum = cNumber(w.value(k), 'htb quantum', 10);
    else if (matchesWord(k, 'burst') || k === 'buffer' || k === 'maxburst') o.burst = w.value(k);
    else if (matchesWord(k, 'cburst') || k === 'cbuffer' || k === 'cmaxburst') o.cburst = w.value(k);
    else if (k === 'ceil') o.ceil = once(o.ceil, w.value(k), 'ceil');
    else if (k === 'rate') o.rate = once(o.rate, w.value(k), 'rate');
    else w.unknown(k);
  }
  return o;
}

function tbf(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matchesWord(k, 'limit')) o.limit = once(o.limit, w.value(k), 'limit');
    else if (matchesWord(k, 'latency')) o.latency = once(o.latency, w.value(k), 'latency');
    else if (matchesWord(k, 'burst') || k === 'buffer' || k === 'maxburst') o.burst = once(o.burst, w.value(k), 'burst');
    else if (k === 'mtu' || k === 'minburst') o.mtu = once(o.mtu, w.value(k), 'mtu');
    else if (k === 'mpu') o.mpu = once(o.mpu, w.value(k), 'mpu');
    else if (k === 'rate') o.rate = once(o.rate, w.value(k), 'rate');
    else if (matchesWord(k, 'peakrate')) o.peakrate = once(o.peakrate, w.value(k), 'peakrate');
    else if (matchesWord(k, 'overhead')) o.overhead = cNumber(w.value(k), 'tbf overhead', 10);
    else if (matchesWord(k, 'linklayer')) o.linklayer = linkLayerWord(w.value(k));
    else w.unknown(k);
  }
  return o;
}

function fifo(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'limit') o.limit = w.value(k);
    else w.unknown(k);
  }
  return o;
}

function prio(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  let map: number[] | undefined;
  while (!w.done) {
    const k = w.next();
    if (k === 'bands') o.bands = cNumber(w.value(k), 'prio bands', 10);
    else if (k === 'priomap') { if (map) throw new UsageError('prio: duplicate priomap'); map = []; }
    else if (map) map.push(cNumber(k, 'prio priomap', 10));
    else w.unknown(k);
  }
  if (map) o.priomap = map;
  return o;
}

function none(w: Words): Record<string, unknown> {
  if (!w.done) w.unknown(w.next());
  return {};
}

export function matchesWord(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}

function once(prev: unknown, v: string, what: string): string {
  if (prev !== undefined) throw new UsageError(`duplicate "${what}"`);
  return v;
}

function linkLayerWord(v: string): string {
  if (matchesWord(v, 'ethernet')) return 'ethernet';
  if (matchesWord(v, 'atm') || matchesWord(v, 'adsl')) return 'atm';
  throw new UsageError(`illegal linklayer "${v}"`);
}

/** Qdisc option parsers by kind. */
export const qdiscArgParsers: Record<string, KindParser> = {
  htb: htbQdisc, tbf, pfifo: fifo, bfifo: fifo, pfifo_head_drop: fifo, prio,
  pfifo_fast: none, ingress: none, clsact: none, noqueue: none,
};

/** Class option parsers by kind. */
export const classArgParsers: Record<string, KindParser> = { htb: htbClass };
