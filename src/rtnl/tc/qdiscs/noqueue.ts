// noqueue: what virtual devices (veth, bridge...) have instead of a queue.
// It is only ever read; it has no options.
import type { QdiscKind } from '../kind.js';
import { noOptions } from '../options.js';
import { noWords } from '../kind-words.js';

// ── tc words and printers ──



export const noqueue: QdiscKind<Record<string, never>, Record<string, never> | undefined, never, never, never, never> = {
  kind: 'noqueue',
  words: noWords,
  print: null,
  qdisc: noOptions,
};
