// The interface statistics family (docs/architecture.md, "The family descriptor"; docs/stats.md).
import * as R from '../../generated/linux/rtnetlink.js';
import { type LinkStats, decodeLinkStats, statsMessage } from '../../rtnl/stats.js';
import type { FamilyDescriptor } from '../family.js';
import { statsRequest } from '../stats.js';

export const statsFamily: FamilyDescriptor<LinkStats, 'stats', 'list'> = {
  kind: 'stats',
  schema: statsMessage,
  getType: R.RTM_GETSTATS,
  verbs: ['list'],
  newType: R.RTM_NEWSTATS,
  // Statistics are never deleted: no message type says so.
  delType: -1,
  groups: [R.RTNLGRP_STATS],
  decode: decodeLinkStats,
  key: (s) => String(s.ifindex),
  dump: [statsRequest(0)],
  // Counters move without a notification.
  volatile: ['link64', 'offload', 'xstats', 'xstatsSlave', 'afSpec'],
};
