// The qdisc kinds this version models, one module each. Adding a kind is one
// module plus one line here; nothing registers itself on import. A kind not
// listed is still listed, added and deleted: its options travel as raw bytes.
import { bfifo, pfifo, pfifoHeadDrop } from './fifo.js';
import { fq } from './fq.js';
import { fqCodel } from './fq-codel.js';
import { htb } from './htb.js';
import { clsact, ingress } from './ingress.js';
import { netem } from './netem.js';
import { noqueue } from './noqueue.js';
import { pfifoFast, prio } from './prio.js';
import { sfq } from './sfq.js';
import { tbf } from './tbf.js';

export const qdiscKinds = {
  htb,
  tbf,
  pfifo,
  bfifo,
  pfifo_head_drop: pfifoHeadDrop,
  pfifo_fast: pfifoFast,
  noqueue,
  prio,
  netem,
  fq_codel: fqCodel,
  sfq,
  fq,
  ingress,
  clsact,
} as const;

export type QdiscKinds = typeof qdiscKinds;
export type KnownQdiscKind = keyof QdiscKinds;
