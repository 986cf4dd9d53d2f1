// Names for the numbers in a routing rule message. Actions are spelled as
// `ip rule` spells them, except FR_ACT_TO_TBL, which ip shows as "lookup
// TABLE" and which is named after the kernel constant here.
import * as F from '../generated/linux/fib_rules.js';
import { enumMap, flagsMap } from '../netlink/codec.js';

/** fib_rule_hdr.action (FR_ACT_*). */
export const ruleActions = enumMap('rule action', {
  unspec: F.FR_ACT_UNSPEC, to_tbl: F.FR_ACT_TO_TBL, goto: F.FR_ACT_GOTO, nop: F.FR_ACT_NOP,
  blackhole: F.FR_ACT_BLACKHOLE, unreachable: F.FR_ACT_UNREACHABLE, prohibit: F.FR_ACT_PROHIBIT,
});
/** A rule's action as `ip rule` names it (lookup, blackhole, unreachable, prohibit...). */
export type RuleAction = ReturnType<typeof ruleActions.decode>;

/** fib_rule_hdr.flags (FIB_RULE_*); `invert` is ip's "not". */
export const ruleFlags = flagsMap('rule flag', {
  permanent: F.FIB_RULE_PERMANENT, invert: F.FIB_RULE_INVERT, unresolved: F.FIB_RULE_UNRESOLVED,
  iif_detached: F.FIB_RULE_IIF_DETACHED, oif_detached: F.FIB_RULE_OIF_DETACHED, find_saddr: F.FIB_RULE_FIND_SADDR,
});
/** A rule flag (FIB_RULE_*) by its name. */
export type RuleFlag = Exclude<ReturnType<typeof ruleFlags.decode>[number], `0x${string}`>;
