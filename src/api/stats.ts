// The typed verbs for interface statistics (RTM_GETSTATS, `ip stats show`):
// the groups asked for, of every device or of one.
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { RTM_GETSTATS } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import type { Request } from '../netlink/request.js';
import { checkIfname } from '../rtnl/codecs.js';
import { type LinkStats, type LinkStatsMessage, type StatsGroup, decodeLinkStats, statsMessage } from '../rtnl/stats.js';
import type { Requester } from '../socket/netlink-socket.js';
import type { LinkRef } from './link-spec.js';
import type { Resolve } from './name-cache.js';

/** Which devices' statistics, and which groups of them. */
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

/** Link statistics (`ip stats show`): 64-bit counters, offload statistics, by device or all. */
export class StatsApi {
  constructor(private readonly sock: Requester, private readonly resolve: Resolve) {}

  /** Statistics of every device (a dump), or of one (`dev`), for the groups asked (default link64). */
  async list(filter: StatsFilter = {}): Promise<LinkStats[]> {
    if (filter === null || typeof filter !== 'object') throw new EncodeError('stats', `expected a filter, got ${describe(filter)}`);
    if (filter.dev === undefined) return this.sock.dump(statsRequest(0, filter.groups), decodeLinkStats);
    const ifindex = typeof filter.dev === 'number' ? filter.dev : await this.resolve(checkIfname(filter.dev, 'stats.dev'));
    if (!Number.isInteger(ifindex) || ifindex <= 0) throw new EncodeError('stats.dev', `${describe(filter.dev)} is not an interface index`);
    return this.sock.request({ ...statsRequest(ifindex, filter.groups), expectReply: true }, decodeLinkStats);
  }
}
