// pfifo, bfifo and pfifo_head_drop: one limit (packets for pfifo, bytes for
// bfifo), sent as struct tc_fifo_qopt, and only when given (tc sends no
// options otherwise and the kernel takes the device's queue length).
import { tc_fifo_qopt } from '../../../generated/linux/pkt_sched.js';
import { decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import type { OptionsCodec, QdiscKind } from '../kind.js';
import { checkKeys, optionsObject } from '../options.js';
import { type Size, parseSize } from '../units.js';

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

const fifo = (kind: string): QdiscKind<FifoOptions, FifoOptionsInput | undefined, never, never, never, never> => ({ kind, qdisc: fifoOptions });

export const pfifo = fifo('pfifo');
export const bfifo = fifo('bfifo');
export const pfifoHeadDrop = fifo('pfifo_head_drop');
