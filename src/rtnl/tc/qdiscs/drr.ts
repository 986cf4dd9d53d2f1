// drr: Deficit Round Robin. The qdisc takes no options (tc sends none);
// each class has a quantum (`tc class add ... drr quantum 1500`).
import { TCA_DRR_QUANTUM } from '../../../generated/linux/pkt_sched.js';
import { u32 } from '../../../netlink/codec.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import type { QdiscKind, TcPrint } from '../kind.js';
import { checkKeys, noOptions, optionsObject } from '../options.js';
import { sprintSize } from '../printer.js';
import { type Size, parseSize } from '../units.js';
import { type Words } from '../../words.js';

const drrAttrs = attrSet('drr', { quantum: attr(TCA_DRR_QUANTUM, u32) });

/** A drr class as the kernel reports it. */
export interface DrrClassOptions {
  /** Bytes the class may send per round. */
  quantum?: number;
  unknown?: RawAttr[];
}

/** A drr class as `tc class add ... drr [quantum Q]` takes it. */
export interface DrrClassOptionsInput {
  /** Bytes a class may send per round (default: the device's MTU). */
  quantum?: Size;
}

function drrWords(w: Words): Record<string, unknown> {
  if (!w.done) w.unknown(w.next());
  return {};
}

function drrClassWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'quantum') o.quantum = w.value(k);
    else w.unknown(k);
  }
  return o;
}

/** tc 6.1 prints the quantum in text only (print_size to PRINT_FP). */
const printDrrClass: TcPrint<DrrClassOptions> = (p, o) => { if (o.quantum !== undefined) p.onlyText(`quantum ${sprintSize(o.quantum)} `); };

export const drr: QdiscKind<Record<string, never>, Record<string, never> | undefined, DrrClassOptions, DrrClassOptionsInput | undefined> = {
  kind: 'drr',
  words: drrWords,
  print: null,
  qdisc: noOptions,
  class: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['quantum'], path, 'drr class');
      drrAttrs.encode(w, { quantum: v.quantum === undefined ? undefined : parseSize(v.quantum, `${path}.quantum`) }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = drrAttrs.decode(buf, start, end, issues, path);
      const o: DrrClassOptions = {};
      if (a.quantum !== undefined) o.quantum = a.quantum;
      if (a.unknown) o.unknown = a.unknown;
      return o;
    },
  },
  classWords: drrClassWords,
  printClass: printDrrClass,
};
