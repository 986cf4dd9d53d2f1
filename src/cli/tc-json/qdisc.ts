// Qdiscs and classes in the shapes tc prints them. Qdiscs follow tc 6.1
// (`tc -j qdisc show`); classes follow newer iproute2, since 6.1 prints
// classes as text even with -j. Field order and formats follow the print
// functions of each kind in iproute2's tc/q_*.c.
import type { TcClass } from '../../rtnl/tc/class.js';
import type { Qdisc } from '../../rtnl/tc/qdisc.js';
import type { TcStats } from '../../rtnl/tc/stats.js';
import { TcPrinter, sprintRate, sprintSize, sprintTime } from '../../rtnl/tc/printer.js';
import { putStats, statsText } from '../../rtnl/tc/print-stats.js';
import { qdiscKindOf } from '../../rtnl/tc/qdiscs/registry.js';
import type { TcPrint } from '../../rtnl/tc/kind.js';

export interface TcShowContext {
  /** The device name for an index (tc prints names). */
  devName(ifindex: number): string;
  /** True when the listing was for one device: tc then leaves "dev" out. */
  oneDev: boolean;
  stats: boolean;
  /** -d: what tc prints only with show_details (htb's version, sfq's flows). */
  details?: boolean;
}

export { sprintRate, sprintSize, sprintTime };

export function qdiscToTc(q: Qdisc, ctx: TcShowContext): TcPrinter {
  const p = new TcPrinter();
  p.any('kind', q.kind, `qdisc ${q.kind}`).any('handle', q.handle, ` ${q.handle} `);
  if (!ctx.oneDev) p.any('dev', ctx.devName(q.ifindex), `dev ${ctx.devName(q.ifindex)} `);
  if (q.parent === 'root') p.any('root', true, 'root ');
  else if (q.parent !== 'none') p.any('parent', q.parent, `parent ${q.parent} `);
  if (q.refcnt !== 1) p.any('refcnt', q.refcnt, `refcnt ${q.refcnt} `);
  if (q.offloaded) p.any('offloaded', true, 'offloaded ');
  if (q.ingressBlock) p.any('ingress_block', q.ingressBlock, `ingress_block ${q.ingressBlock} `);
  if (q.egressBlock) p.any('egress_block', q.egressBlock, `egress_block ${q.egressBlock} `);
  const kind = qdiscKindOf(q.kind);
  const printer: TcPrint<never> | null | undefined = kind?.print;
  p.nest('options', (o) => {
    if (q.options === undefined) return;
    if (printer && !Buffer.isBuffer(q.options)) printer(o, q.options as never, ctx.details ?? false);
    else if (Buffer.isBuffer(q.options) && q.options.length) o.onlyText(`[Unknown qdisc, optlen=${q.options.length}] `);
  });
  if (ctx.stats) appendStats(p, q.stats, q.xstats, kind?.printXstats ?? undefined);
  return p;
}

export function classToTc(c: TcClass, ctx: TcShowContext): TcPrinter {
  const p = new TcPrinter();
  p.any('class', c.kind, `class ${c.kind} `).any('handle', c.handle, `${c.handle} `);
  if (!ctx.oneDev) p.any('dev', ctx.devName(c.ifindex), `dev ${ctx.devName(c.ifindex)} `);
  if (c.parent === 'root') p.any('root', true, 'root ');
  else p.any('parent', c.parent, `parent ${c.parent} `);
  if (c.leaf !== undefined) {
    const maj = c.leaf.slice(0, -1);
    p.any('leaf', `0x${maj}`, `leaf ${maj}: `);
  }
  const kind = qdiscKindOf(c.kind);
  const printer: TcPrint<never> | null | undefined = kind?.printClass;
  if (c.options !== undefined && printer && !Buffer.isBuffer(c.options)) printer(p, c.options as never, ctx.details ?? false);
  if (ctx.stats) {
    p.nest('stats', (s) => appendStats(s, c.stats, c.xstats, kind?.printClassXstats ?? undefined));
  }
  return p;
}

function appendStats(p: TcPrinter, stats: TcStats | undefined, xstats: unknown, xprinter: TcPrint<never> | undefined): void {
  if (stats) {
    putStats(p.json, stats);
    p.onlyText(`\n${statsText(stats)}`);
  }
  if (xstats !== undefined && xprinter && !Buffer.isBuffer(xstats)) {
    p.onlyText('\n');
    xprinter(p, xstats as never, false);
  }
}
