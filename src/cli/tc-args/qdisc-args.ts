// tc's words for each qdisc kind's options (and htb's class options), turned
// into the typed options the library takes. Units stay text: the library
// reads '10mbit' or '100ms' exactly as tc does.
import { UsageError } from '../args.js';
import { Words, cNumber, cSigned } from '../../rtnl/words.js';

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

function netem(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const pct = (): string => w.next();
  while (!w.done) {
    const k = w.next();
    if (matchesWord(k, 'limit')) o.limit = w.value(k);
    else if (matchesWord(k, 'latency') || matchesWord(k, 'delay')) {
      o.delay = w.value(k);
      if (w.nextIsNumber()) {
        o.jitter = w.next();
        if (w.nextIsNumber()) o.delayCorrelation = pct();
      }
    } else if (matchesWord(k, 'loss') || matchesWord(k, 'drop')) {
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
    } else if (matchesWord(k, 'ecn')) o.ecn = true;
    else if (matchesWord(k, 'reorder')) { o.reorder = w.value(k); if (w.nextIsNumber()) o.reorderCorrelation = pct(); }
    else if (matchesWord(k, 'corrupt')) { o.corrupt = w.value(k); if (w.nextIsNumber()) o.corruptCorrelation = pct(); }
    else if (matchesWord(k, 'gap')) o.gap = cNumber(w.value(k), 'netem gap');
    else if (matchesWord(k, 'duplicate')) { o.duplicate = w.value(k); if (w.nextIsNumber()) o.duplicateCorrelation = pct(); }
    else if (matchesWord(k, 'distribution')) o.distribution = w.value(k);
    else if (matchesWord(k, 'rate')) {
      o.rate = w.value(k);
      if (w.nextIsNumber(true)) o.packetOverhead = cSigned(w.next(), 'netem packet overhead');
      if (w.nextIsNumber()) o.cellSize = cNumber(w.next(), 'netem cell size');
      if (w.nextIsNumber(true)) o.cellOverhead = cSigned(w.next(), 'netem cell overhead');
    } else if (matchesWord(k, 'slot')) {
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
      if (w.peek() !== undefined && matchesWord(w.peek()!, 'packets')) { w.next(); slot.packets = cSigned(w.value('packets'), 'slot packets'); }
      if (w.peek() !== undefined && matchesWord(w.peek()!, 'bytes')) { w.next(); slot.bytes = w.value('bytes'); }
      o.slot = slot;
    } else w.unknown(k);
  }
  return o;
}

function fqCodel(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'limit') o.limit = cNumber(w.value(k), 'fq_codel limit');
    else if (k === 'flows') o.flows = cNumber(w.value(k), 'fq_codel flows');
    else if (k === 'quantum') o.quantum = cNumber(w.value(k), 'fq_codel quantum');
    else if (k === 'drop_batch') o.dropBatch = cNumber(w.value(k), 'fq_codel drop_batch');
    else if (k === 'target') o.target = w.value(k);
    else if (k === 'ce_threshold') o.ceThreshold = w.value(k);
    else if (k === 'ce_threshold_selector') {
      const [value, mask] = w.value(k).split('/');
      if (mask === undefined) throw new UsageError('fq_codel: missing mask for "ce_threshold_selector"');
      o.ceThresholdSelector = { value: cNumber(value!, 'ce_threshold_selector'), mask: cNumber(mask, 'ce_threshold_selector mask') };
    } else if (k === 'memory_limit') o.memoryLimit = w.value(k);
    else if (k === 'interval') o.interval = w.value(k);
    else if (k === 'ecn') o.ecn = true;
    else if (k === 'noecn') o.ecn = false;
    else w.unknown(k);
  }
  return o;
}

function sfq(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'quantum') o.quantum = w.value(k);
    else if (k === 'perturb') o.perturb = cSigned(w.value(k), 'sfq perturb');
    else if (k === 'limit') o.limit = cNumber(w.value(k), 'sfq limit');
    else if (k === 'divisor') o.divisor = cNumber(w.value(k), 'sfq divisor');
    else if (k === 'flows') o.flows = cNumber(w.value(k), 'sfq flows');
    else if (k === 'depth') o.depth = cNumber(w.value(k), 'sfq depth');
    else if (k === 'headdrop') o.headdrop = true;
    else throw new UsageError(`sfq: "${k}" is not modeled (RED mode is not supported)`);
  }
  return o;
}

function fq(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const num: Record<string, string> = { limit: 'limit', flow_limit: 'flowLimit', buckets: 'buckets', quantum: 'quantum', initial_quantum: 'initialQuantum', orphan_mask: 'orphanMask' };
  const text: Record<string, string> = { maxrate: 'maxrate', low_rate_threshold: 'lowRateThreshold', ce_threshold: 'ceThreshold', timer_slack: 'timerSlack', horizon: 'horizon', defrate: 'defrate', refill_delay: 'refillDelay' };
  while (!w.done) {
    const k = w.next();
    if (num[k]) o[num[k]!] = cNumber(w.value(k), `fq ${k}`);
    else if (text[k]) o[text[k]!] = w.value(k);
    else if (k === 'horizon_drop') o.horizonDrop = true;
    else if (k === 'horizon_cap') o.horizonDrop = false;
    else if (k === 'pacing') o.pacing = true;
    else if (k === 'nopacing') o.pacing = false;
    else w.unknown(k);
  }
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
  htb: htbQdisc, tbf, pfifo: fifo, bfifo: fifo, pfifo_head_drop: fifo, prio, netem, fq_codel: fqCodel, sfq, fq,
  pfifo_fast: none, ingress: none, clsact: none, noqueue: none,
};

/** Class option parsers by kind. */
export const classArgParsers: Record<string, KindParser> = { htb: htbClass };
