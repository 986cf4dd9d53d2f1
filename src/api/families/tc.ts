// What the tc families (qdisc, class, filter) share in their descriptors.
import { AF_PACKET } from '../../generated/libc/socket.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { linkRequest } from '../links.js';
import { decodeLink } from '../../rtnl/link.js';
import type { DumpVia } from '../family.js';

// Counters (statistics, htb's count of packets sent straight through), and the warning a
// notification may carry (TCA_EXT_WARN_MSG: about the request, not part of the object's state).
export const tcVolatile = ['stats', 'xstats', 'directPacketsStat', 'warning'];

/** Every link's index, for the kinds the kernel lists per device. */
export async function ifindexes(dump: DumpVia): Promise<number[]> {
  return (await dump(linkRequest(R.RTM_GETLINK, 0, { family: AF_PACKET }, 'link show'), decodeLink)).map((l) => l.index);
}
