// The requests for interface statistics (RTM_GETSTATS, `ip stats show`):
// the groups asked for, of every device or of one. The client's verb
// (nl.stats.list) comes from the descriptor (families/stats.ts).
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { RTM_GETSTATS } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import type { Request } from '../netlink/request.js';
import { type LinkStatsMessage, type StatsGroup, statsMessage } from '../rtnl/stats.js';
import type { LinkRef } from './link-spec.js';

/** What `nl.stats.list()` fetches (`ip stats show [dev DEV] [group GROUP]`): which devices, which counter groups. */
export interface StatsFilter {
  /** One device (a lookup); every device otherwise (a dump). */
  dev?: LinkRef;
  /** The groups to fetch; default: the 64-bit link counters. */
  groups?: readonly StatsGroup[];
}

function message(groups: readonly StatsGroup[] | undefined, ifindex: number): LinkStatsMessage {
  const g = groups ?? ['link64'];
  if (!Array.isArray(g) || g.length === 0) throw new EncodeError('stats.groups', `expected a non-empty list of groups, got ${describe(groups)}`);
  return { family: AF_UNSPEC, ifindex, groups: g };
}

/** The request for the statistics of one device (ifindex > 0) or of all (0, a dump) (pure). */
export function statsRequest(ifindex: number, groups?: readonly StatsGroup[]): Request {
  const m = message(groups, ifindex);
  return { type: RTM_GETSTATS, headerSize: statsMessage.headerSize, operation: 'stats show', body: (w) => statsMessage.encodePayload(w, m, 'stats') };
}
