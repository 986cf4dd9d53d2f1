// The qdisc kinds this version models, one module each (codecs, tc words,
// printers). Adding a kind is one module plus one line here; nothing
// registers itself on import. The encoder, `tc qdisc|class` words and tc's
// printers all read this table (docs/architecture.md, "Kinds"). A kind not
// listed is still listed, added and deleted: its options travel as raw bytes.
import { isKey } from '../../../netlink/narrow.js';
import { qdiscTable } from '../kind.js';
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
import { codel } from './codel.js';
import { plug } from './plug.js';
import { multiq } from './multiq.js';
import { drr } from './drr.js';
import { fqPie, pie } from './pie.js';
import { red } from './red.js';
import { hfsc } from './hfsc.js';

/** The qdisc kinds this version knows (htb, tbf, netem, fq_codel...): each kind's options, statistics, words and printer. */
export const qdiscKinds = qdiscTable({
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
  codel,
  plug,
  multiq,
  drr,
  pie,
  fq_pie: fqPie,
  red,
  hfsc,
});

/** The qdisc registry's type: each known kind's module, by kind name. */
export type QdiscKinds = typeof qdiscKinds;
/** A qdisc kind this version has a schema for. */
export type KnownQdiscKind = keyof QdiscKinds;

/** The kind module named by TCA_KIND (or by the word after the handles on tc's command line), if this version models it. */
export function qdiscKindOf(name: string): QdiscKinds[KnownQdiscKind] | undefined {
  return isKey(qdiscKinds, name) ? qdiscKinds[name] : undefined;
}
