// What the tc families (qdisc, class, filter) share in their descriptors.
import { AF_PACKET } from '../../generated/libc/socket.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { decodeLink, linkRequest } from '../links.js';
import type { DumpVia } from '../family.js';

/** Counters: they change without a notification. */
export const tcVolatile = ['stats', 'xstats'];

/** Every link's index, for the kinds the kernel lists per device. */
export async function ifindexes(dump: DumpVia): Promise<number[]> {
  return (await dump(linkRequest(R.RTM_GETLINK, 0, { family: AF_PACKET }, 'link show'), decodeLink)).map((l) => l.index);
}
