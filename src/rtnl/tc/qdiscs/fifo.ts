// pfifo, bfifo and pfifo_head_drop: one limit (packets for pfifo, bytes for
// bfifo), sent as struct tc_fifo_qopt, and only when given (tc sends no
// options otherwise and the kernel takes the device's queue length). The
// whole kind is this module: codec, tc's words, tc's printer
// (docs/architecture.md, "Kinds").
import { tc_fifo_qopt } from '../../../generated/linux/pkt_sched.js';
import { decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import type { Words } from '../../words.js';
import type { OptionsCodec, QdiscKind, TcPrint } from '../kind.js';
import { checkKeys, optionsObject } from '../options.js';
import { sprintSize } from '../printer.js';
import { type Size, parseSize } from '../units.js';

/** pfifo's and bfifo's options as decoded: the queue's limit (packets or bytes). */
export interface FifoOptions {
  /** Packets (pfifo, pfifo_head_drop) or bytes (bfifo). */
  limit: number;
}
/** pfifo's and bfifo's options as given. */
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

/** `tc qdisc add ... pfifo limit N` (tc's q_fifo.c); the value stays text for the codec's parseSize. */
function fifoWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'limit') o.limit = w.value(k);
    else w.unknown(k);
  }
  return o;
}

/** tc 6.1's fifo_print_opt: packets for pfifo, a size for bfifo. */
const printPfifo: TcPrint<FifoOptions> = (p, o) => { p.any('limit', o.limit, `limit ${o.limit}p`); };
const printBfifo: TcPrint<FifoOptions> = (p, o) => { p.any('limit', o.limit, `limit ${sprintSize(o.limit)}`); };

const fifo = (kind: string, print: TcPrint<FifoOptions>): QdiscKind<FifoOptions, FifoOptionsInput | undefined> =>
  ({ kind, qdisc: fifoOptions, words: fifoWords, print });

export const pfifo = fifo('pfifo', printPfifo);
export const bfifo = fifo('bfifo', printBfifo);
export const pfifoHeadDrop = fifo('pfifo_head_drop', printPfifo);
