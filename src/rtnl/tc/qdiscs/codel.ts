// codel: Controlled Delay AQM (`codel target 5ms interval 100ms ecn`).
// Options are sent only when given, in tc's fixed order; times in µs.
import { TCA_CODEL_CE_THRESHOLD, TCA_CODEL_ECN, TCA_CODEL_INTERVAL, TCA_CODEL_LIMIT, TCA_CODEL_TARGET, tc_codel_xstats } from '../../../generated/linux/pkt_sched.js';
import { type StructValue, decodeStruct } from '../../../netlink/struct.js';
import { u32 } from '../../../netlink/codec.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import type { QdiscKind, TcPrint } from '../kind.js';
import { boolOption, checkKeys, intOption, optionsObject } from '../options.js';
import { sprintTime } from '../printer.js';
import { type Time, parseTime } from '../units.js';
import { type Words, cNumber } from '../../words.js';

const codelAttrs = attrSet('codel', {
  limit: attr(TCA_CODEL_LIMIT, u32),
  interval: attr(TCA_CODEL_INTERVAL, u32),
  target: attr(TCA_CODEL_TARGET, u32),
  ecn: attr(TCA_CODEL_ECN, u32),
  ceThreshold: attr(TCA_CODEL_CE_THRESHOLD, u32),
});

/** codel as the kernel reports it; times in microseconds. */
export interface CodelOptions {
  limit?: number;
  target?: number;
  interval?: number;
  ecn?: boolean;
  ceThreshold?: number;
  unknown?: RawAttr[];
}

/** codel as `tc qdisc add ... codel [limit P] [target T] [interval I] [ecn|noecn] [ce_threshold T]` takes it; times as microseconds or tc's text ('5ms'). */
export interface CodelOptionsInput {
  /** Packets. */
  limit?: number;
  /** The queueing delay codel aims at. */
  target?: Time;
  /** The window the delay must stay above target in before codel drops. */
  interval?: Time;
  /** Mark ECN-capable packets instead of dropping them. */
  ecn?: boolean;
  /** Mark packets queued longer than this (CE). */
  ceThreshold?: Time;
}

// ── tc words and printer ──

function codelWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'limit') o.limit = cNumber(w.value(k), 'codel limit');
    else if (k === 'target') o.target = w.value(k);
    else if (k === 'ce_threshold') o.ceThreshold = w.value(k);
    else if (k === 'interval') o.interval = w.value(k);
    else if (k === 'ecn') o.ecn = true;
    else if (k === 'noecn') o.ecn = false;
    else w.unknown(k);
  }
  return o;
}

const printCodel: TcPrint<CodelOptions> = (p, o) => {
  p.any('limit', o.limit, `limit ${o.limit}p `);
  if (o.target !== undefined) p.any('target', o.target, `target ${sprintTime(o.target)} `);
  if (o.ceThreshold !== undefined) p.any('ce_threshold', o.ceThreshold, `ce_threshold ${sprintTime(o.ceThreshold)} `);
  if (o.interval !== undefined) p.any('interval', o.interval, `interval ${sprintTime(o.interval)} `);
  if (o.ecn) p.any('ecn', true, 'ecn ');
};

/** codel's statistics (`tc -s qdisc`: count, lastcount, ldelay...), the kernel's `struct tc_codel_xstats` by its field names. */
export type CodelXstats = StructValue<typeof tc_codel_xstats>;

/** codel_print_xstats (tc -s). */
const printCodelXstats: TcPrint<CodelXstats> = (p, x) => {
  p.any('count', x.count, `  count ${x.count}`).any('lastcount', x.lastcount, ` lastcount ${x.lastcount}`)
    .any('ldelay', x.ldelay, ` ldelay ${sprintTime(x.ldelay)}`);
  if (x.dropping) p.any('dropping', true, ' dropping');
  p.any('drop_next', x.drop_next, ` drop_next ${x.drop_next < 0 ? `-${sprintTime(-x.drop_next)}` : sprintTime(x.drop_next)}`)
    .any('maxpacket', x.maxpacket, `\n  maxpacket ${x.maxpacket}`).any('ecn_mark', x.ecn_mark, ` ecn_mark ${x.ecn_mark}`)
    .any('drop_overlimit', x.drop_overlimit, ` drop_overlimit ${x.drop_overlimit}`);
  if (x.ce_mark) p.any('ce_mark', x.ce_mark, ` ce_mark ${x.ce_mark}`);
};

export const codel: QdiscKind<CodelOptions, CodelOptionsInput | undefined, never, never, CodelXstats> = {
  kind: 'codel',
  words: codelWords,
  print: printCodel,
  // A short struct is read as far as it goes (tc zero-fills it).
  xstats: (buf, start, end, issues, path) => decodeStruct(tc_codel_xstats, buf, start, end, issues, path),
  printXstats: printCodelXstats,
  qdisc: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['limit', 'target', 'interval', 'ecn', 'ceThreshold'], path, 'codel');
      const nz = (n: number): number | undefined => n || undefined;
      codelAttrs.encode(w, {
        limit: v.limit === undefined ? undefined : nz(intOption(v.limit, `${path}.limit`)),
        interval: v.interval === undefined ? undefined : nz(parseTime(v.interval, `${path}.interval`)),
        target: v.target === undefined ? undefined : nz(parseTime(v.target, `${path}.target`)),
        ecn: v.ecn === undefined ? undefined : boolOption(v.ecn, `${path}.ecn`) ? 1 : 0,
        ceThreshold: v.ceThreshold === undefined ? undefined : parseTime(v.ceThreshold, `${path}.ceThreshold`),
      }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = codelAttrs.decode(buf, start, end, issues, path);
      const o: CodelOptions = {};
      if (a.limit !== undefined) o.limit = a.limit;
      if (a.target !== undefined) o.target = a.target;
      if (a.interval !== undefined) o.interval = a.interval;
      if (a.ecn !== undefined) o.ecn = a.ecn !== 0;
      if (a.ceThreshold !== undefined) o.ceThreshold = a.ceThreshold;
      if (a.unknown) o.unknown = a.unknown;
      return o;
    },
  },
};
