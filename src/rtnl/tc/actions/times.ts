// When an action was installed, last used and first used (struct tcf_t, in
// jiffies as the kernel keeps them; tc divides by USER_HZ to print seconds).
import type { tcf_t } from '../../../generated/linux/pkt_cls.js';
import type { StructValue } from '../../../netlink/struct.js';

export interface ActionTimes {
  install: number;
  lastuse: number;
  expires: number;
  firstuse: number;
}

export function times(t: StructValue<typeof tcf_t>): ActionTimes {
  return { install: t.install, lastuse: t.lastuse, expires: t.expires, firstuse: t.firstuse };
}
