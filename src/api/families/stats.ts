// The interface statistics family (docs/architecture.md, "The family descriptor"; docs/stats.md).
// The client's verb (nl.stats.list) is derived from this descriptor.
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { checkIfname } from '../../rtnl/codecs.js';
import { type LinkStats, decodeLinkStats, statsMessage } from '../../rtnl/stats.js';
import type { FamilyApi } from '../engine.js';
import type { FamilyDescriptor } from '../family.js';
import { type StatsFilter, statsRequest } from '../stats.js';

/** The link statistics family's descriptor (RTM_GETSTATS): `nl.stats.list()` derives from it (`ip stats show`). */
export const statsFamily: FamilyDescriptor<LinkStats, 'stats', 'list', object, StatsFilter> = {
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
  // Every device (a dump), or one (`dev`: a lookup with one reply), for the groups asked (default link64).
  async dumpFilter(filter = {}, { resolve }) {
    if (filter === null || typeof filter !== 'object') throw new EncodeError('stats', `expected a filter, got ${describe(filter)}`);
    if (filter.dev === undefined) return { req: statsRequest(0, filter.groups) };
    const ifindex = typeof filter.dev === 'number' ? filter.dev : await resolve(checkIfname(filter.dev, 'stats.dev'));
    if (!Number.isInteger(ifindex) || ifindex <= 0) throw new EncodeError('stats.dev', `${describe(filter.dev)} is not an interface index`);
    return { req: statsRequest(ifindex, filter.groups), reply: true };
  },
};

/** `nl.stats`: list, derived from the descriptor. */
export type StatsApi = FamilyApi<typeof statsFamily>;
