// multiq: one band per hardware transmit queue of a multiqueue device. tc
// sends an empty tc_multiq_qopt; the kernel fills bands and max_bands.
import { tc_multiq_qopt } from '../../../generated/linux/pkt_sched.js';
import { type StructValue, decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import type { QdiscKind, TcPrint } from '../kind.js';
import { noOptions } from '../options.js';
import { type Words } from '../../words.js';

/** multiq as the kernel reports it: `bands` in use and `max_bands`, the device's transmit queues (`struct tc_multiq_qopt`). */
export type MultiqOptions = StructValue<typeof tc_multiq_qopt>;

function multiqWords(w: Words): Record<string, unknown> {
  if (!w.done) w.unknown(w.next());
  return {};
}

/** tc 6.1 prints "bands N/M" with fprintf, outside its JSON (so -j shows no options). */
const printMultiq: TcPrint<MultiqOptions> = (p, o) => { p.onlyText(`bands ${o.bands}/${o.max_bands} `); };

export const multiq: QdiscKind<MultiqOptions, Record<string, never> | undefined> = {
  kind: 'multiq',
  words: multiqWords,
  print: printMultiq,
  qdisc: {
    encode(w, value, ctx, path) {
      noOptions.encode(w, value, ctx, path);
      encodeStruct(w, tc_multiq_qopt, { bands: 0, max_bands: 0 }, path);
    },
    decode(buf, start, end, issues, path) { return decodeStruct(tc_multiq_qopt, buf, start, end, issues, path); },
  },
};
