// When an action was installed, last used and first used (struct tcf_t, in
// jiffies as the kernel keeps them; tc divides by USER_HZ to print seconds).
import type { tcf_t } from '../../../generated/linux/pkt_cls.js';
import type { StructValue } from '../../../netlink/struct.js';
import { type TcPrinter } from '../printer.js';
import { type TcPrintContext } from '../kind.js';
import { HZ } from '../../../generated/asm/param.js';

/** An action's timestamps (struct tcf_t): installed, last used, expires, first used. */
export interface ActionTimes {
  install: number;
  lastuse: number;
  expires: number;
  firstuse: number;
}

export function times(t: StructValue<typeof tcf_t>): ActionTimes {
  return { install: t.install, lastuse: t.lastuse, expires: t.expires, firstuse: t.firstuse };
}

// ── tc words and printers ──

/** print_tm: the kernel reports clock ticks (USER_HZ); tc prints whole seconds. */
export function timesOut(p: TcPrinter, tm: ActionTimes | undefined, ctx: TcPrintContext): void {
  if (!ctx.stats || !tm) return;
  const sec = (t: number): number => Math.floor(t / HZ);
  if (tm.install) p.any('installed', sec(tm.install), ` installed ${sec(tm.install)} sec`);
  if (tm.lastuse) p.any('last_used', sec(tm.lastuse), ` used ${sec(tm.lastuse)} sec`);
  if (tm.firstuse) p.any('first_used', sec(tm.firstuse), ` firstused ${sec(tm.firstuse)} sec`);
  if (tm.expires) p.any('expires', sec(tm.expires), ` expires ${sec(tm.expires)} sec`);
}
