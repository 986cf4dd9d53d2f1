// fq_codel: fair queuing with CoDel per flow. Options are sent only when
// given (and, as tc does, counts only when non-zero).
import {
  TCA_FQ_CODEL_CE_THRESHOLD, TCA_FQ_CODEL_CE_THRESHOLD_MASK, TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR, TCA_FQ_CODEL_DROP_BATCH_SIZE,
  TCA_FQ_CODEL_ECN, TCA_FQ_CODEL_FLOWS, TCA_FQ_CODEL_INTERVAL, TCA_FQ_CODEL_LIMIT, TCA_FQ_CODEL_MEMORY_LIMIT,
  TCA_FQ_CODEL_QUANTUM, TCA_FQ_CODEL_TARGET, TCA_FQ_CODEL_XSTATS_CLASS, TCA_FQ_CODEL_XSTATS_QDISC, tc_fq_codel_cl_stats,
  tc_fq_codel_qd_stats, tc_fq_codel_xstats,
} from '../../../generated/linux/pkt_sched.js';
import { u32, u8 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { isRecord } from '../../../netlink/narrow.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { type StructValue, decodeStruct } from '../../../netlink/struct.js';
import { type QdiscKind, type TcPrint } from '../kind.js';
import { boolOption, checkKeys, intOption, optionsObject } from '../options.js';
import { type Size, type Time, parseSize, parseTime } from '../units.js';
import { type Words, UsageError, cNumber } from '../../words.js';
import { sprintSize, sprintTime } from '../printer.js';
import { hex0x } from '../../json-values.js';

// ── tc words and printers ──

function fqCodelWords(w: Words): Record<string, unknown> {
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

const printFqCodel: TcPrint<FqCodelOptions> = (p, o) => {
  if (o.limit !== undefined) p.any('limit', o.limit, `limit ${o.limit}p `);
  if (o.flows !== undefined) p.any('flows', o.flows, `flows ${o.flows} `);
  if (o.quantum !== undefined) p.any('quantum', o.quantum, `quantum ${o.quantum} `);
  if (o.target !== undefined) p.any('target', o.target, `target ${sprintTime(o.target)} `);
  if (o.ceThreshold !== undefined) p.any('ce_threshold', o.ceThreshold, `ce_threshold ${sprintTime(o.ceThreshold)} `);
  if (o.ceThresholdSelector || o.ceThresholdMask) {
    p.any('ce_threshold_selector', o.ceThresholdSelector ?? 0, `ce_threshold_selector ${hex0x(o.ceThresholdSelector ?? 0)}`)
      .any('ce_threshold_mask', o.ceThresholdMask ?? 0, `/${hex0x(o.ceThresholdMask ?? 0)} `);
  }
  if (o.interval !== undefined) p.any('interval', o.interval, `interval ${sprintTime(o.interval)} `);
  if (o.memoryLimit !== undefined) p.any('memory_limit', o.memoryLimit, `memory_limit ${sprintSize(o.memoryLimit)} `);
  if (o.ecn) p.any('ecn', true, 'ecn ');
  if (o.dropBatch) p.any('drop_batch', o.dropBatch, `drop_batch ${o.dropBatch} `);
};

const printFqCodelXstats: TcPrint<FqCodelXstats> = (p, x) => {
  if (x.type === 'qdisc') {
    p.any('maxpacket', x.maxpacket, `  maxpacket ${x.maxpacket}`).any('drop_overlimit', x.drop_overlimit, ` drop_overlimit ${x.drop_overlimit}`)
      .any('new_flow_count', x.new_flow_count, ` new_flow_count ${x.new_flow_count}`).any('ecn_mark', x.ecn_mark, ` ecn_mark ${x.ecn_mark}`);
    if (x.ce_mark) p.any('ce_mark', x.ce_mark, ` ce_mark ${x.ce_mark}`);
    if (x.memory_usage) p.any('memory_used', x.memory_usage, ` memory_used ${x.memory_usage}`);
    if (x.drop_overmemory) p.any('drop_overmemory', x.drop_overmemory, ` drop_overmemory ${x.drop_overmemory}`);
    p.any('new_flows_len', x.new_flows_len, `\n  new_flows_len ${x.new_flows_len}`).any('old_flows_len', x.old_flows_len, ` old_flows_len ${x.old_flows_len}`);
  }
};

const attrs = attrSet('fq_codel', {
  target: attr(TCA_FQ_CODEL_TARGET, u32),
  limit: attr(TCA_FQ_CODEL_LIMIT, u32),
  interval: attr(TCA_FQ_CODEL_INTERVAL, u32),
  ecn: attr(TCA_FQ_CODEL_ECN, u32),
  flows: attr(TCA_FQ_CODEL_FLOWS, u32),
  quantum: attr(TCA_FQ_CODEL_QUANTUM, u32),
  ceThreshold: attr(TCA_FQ_CODEL_CE_THRESHOLD, u32),
  dropBatch: attr(TCA_FQ_CODEL_DROP_BATCH_SIZE, u32),
  memoryLimit: attr(TCA_FQ_CODEL_MEMORY_LIMIT, u32),
  ceThresholdSelector: attr(TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR, u8),
  ceThresholdMask: attr(TCA_FQ_CODEL_CE_THRESHOLD_MASK, u8),
});

/** fq_codel as the kernel describes it; times in microseconds. */
export interface FqCodelOptions {
  target?: number;
  limit?: number;
  interval?: number;
  ecn?: boolean;
  flows?: number;
  quantum?: number;
  ceThreshold?: number;
  dropBatch?: number;
  memoryLimit?: number;
  ceThresholdSelector?: number;
  ceThresholdMask?: number;
  unknown?: RawAttr[];
}

/** fq_codel's options as given. */
export interface FqCodelOptionsInput {
  /** Packets. */
  limit?: number;
  flows?: number;
  quantum?: number;
  target?: Time;
  interval?: Time;
  ecn?: boolean;
  ceThreshold?: Time;
  /** Apply ce_threshold only to packets whose DS field & mask equals value. */
  ceThresholdSelector?: { value: number; mask: number };
  memoryLimit?: Size;
  dropBatch?: number;
}

/** fq_codel's own statistics: of the qdisc, or of one of its flows (a class). */
export type FqCodelXstats =
  | ({ type: 'qdisc' } & StructValue<typeof tc_fq_codel_qd_stats>)
  | ({ type: 'class' } & StructValue<typeof tc_fq_codel_cl_stats>)
  | { type: number };

const KEYS = ['limit', 'flows', 'quantum', 'target', 'interval', 'ecn', 'ceThreshold', 'ceThresholdSelector', 'memoryLimit', 'dropBatch'] as const;

const nonZero = (n: number): number | undefined => (n === 0 ? undefined : n);

export const fqCodel: QdiscKind<FqCodelOptions, FqCodelOptionsInput | undefined, never, never, FqCodelXstats, never> = {
  kind: 'fq_codel',
  words: fqCodelWords,
  print: printFqCodel,
  printXstats: printFqCodelXstats,
  qdisc: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, KEYS, path, 'fq_codel');
      let sel: { value: number; mask: number } | undefined;
      if (v.ceThresholdSelector !== undefined) {
        const s = v.ceThresholdSelector;
        if (!isRecord(s)) throw new EncodeError(`${path}.ceThresholdSelector`, 'expected { value, mask }');
        sel = { value: intOption(s.value, `${path}.ceThresholdSelector.value`, 0, 0xff), mask: intOption(s.mask, `${path}.ceThresholdSelector.mask`, 0, 0xff) };
      }
      attrs.encode(w, {
        limit: v.limit === undefined ? undefined : nonZero(intOption(v.limit, `${path}.limit`)),
        flows: v.flows === undefined ? undefined : nonZero(intOption(v.flows, `${path}.flows`)),
        quantum: v.quantum === undefined ? undefined : nonZero(intOption(v.quantum, `${path}.quantum`)),
        interval: v.interval === undefined ? undefined : nonZero(parseTime(v.interval, `${path}.interval`)),
        target: v.target === undefined ? undefined : nonZero(parseTime(v.target, `${path}.target`)),
        ecn: v.ecn === undefined ? undefined : boolOption(v.ecn, `${path}.ecn`) ? 1 : 0,
        ceThreshold: v.ceThreshold === undefined ? undefined : parseTime(v.ceThreshold, `${path}.ceThreshold`),
        ceThresholdMask: sel?.mask,
        ceThresholdSelector: sel?.value,
        memoryLimit: v.memoryLimit === undefined ? undefined : parseSize(v.memoryLimit, `${path}.memoryLimit`),
        dropBatch: v.dropBatch === undefined ? undefined : nonZero(intOption(v.dropBatch, `${path}.dropBatch`)),
      }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = attrs.decode(buf, start, end, issues, path);
      const { ecn, ...rest } = a;
      return ecn === undefined ? rest : { ...rest, ecn: ecn !== 0 };
    },
  },
  xstats(buf, start, end, issues, path) {
    const x = decodeStruct(tc_fq_codel_xstats, buf, start, end, issues, path);
    if (x.type === TCA_FQ_CODEL_XSTATS_QDISC) return { type: 'qdisc', ...x.qdisc_stats };
    if (x.type === TCA_FQ_CODEL_XSTATS_CLASS) return { type: 'class', ...x.class_stats };
    return { type: x.type };
  },
};
