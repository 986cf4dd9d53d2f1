// pfifo, bfifo and pfifo_head_drop: one limit (packets for pfifo, bytes for
// bfifo), sent as struct tc_fifo_qopt, and only when given (tc sends no
// options otherwise and the kernel takes the device's queue length).
import { tc_fifo_qopt } from '../../../generated/linux/pkt_sched.js';
import { decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import type { OptionsCodec, QdiscKind } from '../kind.js';
import { checkKeys, optionsObject } from '../options.js';
import { type Size, parseSize } from '../units.js';
import { type Words } from '../../words.js';
import { sprintSize } from '../printer.js';
import { type TcPrint } from '../kind.js';

// ── tc words and printers ──

function fifoWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'limit') o.limit = w.value(k);
    else w.unknown(k);
  }
  return o;
}

const printPfifo: TcPrint<FifoOptions> = (p, o) => { p.any('limit', o.limit, `limit ${o.limit}p`); };

const printBfifo: TcPrint<FifoOptions> = (p, o) => { p.any('limit', o.limit, `limit ${sprintSize(o.limit)}`); };

export interface FifoOptions {
  /** Packets (pfifo, pfifo_head_drop) or bytes (bfifo). */
  limit: number;
}
export interface FifoOptionsInput {
  /** Packets (pfifo) or bytes (bfifo); tc's size syntax is accepted ('10kb'). */
  limit?: Size;
}

const fifoOptions: OptionsCodec<FifoOptions, FifoOptionsInput | undefined> = {
  encode(w, value, _ctx, path) {
    const v = optionsObject(value, path);
    checkKeys(v, ['limit'], path, 'fifo');
    if (v.limit === undefined) return false;
    encodeStruct(w, tc_fifo_qopt, { limit: parseSize(v.limit, `${path}.limit`) }, path);
  },
  decode(buf, start, end, issues, path) {
    return { limit: decodeStruct(tc_fifo_qopt, buf, start, end, issues, path).limit };
  },
};

const fifo = (kind: string, print: TcPrint<FifoOptions>): QdiscKind<FifoOptions, FifoOptionsInput | undefined, never, never, never, never> =>
  ({ kind, qdisc: fifoOptions, words: fifoWords, print });

export const pfifo = fifo('pfifo', printPfifo);
export const bfifo = fifo('bfifo', printBfifo);
export const pfifoHeadDrop = fifo('pfifo_head_drop', printPfifo);
