// The rule family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { ruleListRequest } from '../rules.js';
import { decodeRule } from '../../rtnl/rule.js';
import { type Rule, ruleMessage } from '../../rtnl/rule.js';
import { byFamily } from '../family.js';
import type { FamilyDescriptor } from '../family.js';

export const ruleFamily: FamilyDescriptor<Rule, 'rule', 'list' | 'stream' | 'add' | 'delete' | 'flush'> = {
  kind: 'rule',
  schema: ruleMessage,
  getType: R.RTM_GETRULE,
  verbs: ['list', 'stream', 'add', 'delete', 'flush'],
  newType: R.RTM_NEWRULE,
  delType: R.RTM_DELRULE,
  groups: [R.RTNLGRP_IPV4_RULE, R.RTNLGRP_IPV6_RULE],
  groupOf: (r) => byFamily(r.family, R.RTNLGRP_IPV4_RULE, R.RTNLGRP_IPV6_RULE),
  decode: decodeRule,
  // Rules are never changed in place: a rule is all of its fields (but "unresolved", which the kernel flips
  // silently, and decode issues, whose offsets say where in a datagram the message happened to lie).
  key: (r) => JSON.stringify({ ...r, flags: r.flags.filter((f) => f !== 'unresolved'), issues: undefined }),
  dump: [ruleListRequest()],
};
