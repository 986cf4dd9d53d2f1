// Reading tun and tap devices back: a link dump filtered on kind "tun" (as
// `ip tuntap show` asks for it), and the options the kernel reports in
// IFLA_INFO_DATA. `ip tuntap show` reads /sys/class/net/NAME/tun_flags
// instead; the netlink answer holds the same facts without needing the
// namespace's own sysfs.
import * as TUN from '../generated/linux/if_tun.js';
import { Rtnl } from '../client.js';
import type { Link } from '../rtnl/link.js';
import { kindData } from '../rtnl/link-info.js';
import type { NetnsRef } from '../netns/ref.js';
import { EncodeError } from '../netlink/errors.js';
import { type TuntapMode, unpersist } from './device.js';

/** A tun or tap device as the kernel reports it. */
export interface Tuntap {
  name: string;
  index: number;
  mode: TuntapMode;
  pi: boolean;
  vnetHdr: boolean;
  multiQueue: boolean;
  persist: boolean;
  owner?: number;
  group?: number;
  /** Queues attached now (multi-queue devices). */
  numQueues?: number;
  numDisabledQueues?: number;
  /** The TUNSETIFF flag word these add up to, as /sys/class/net/NAME/tun_flags shows it. */
  flags: number;
}

/** Which namespace to list tun/tap devices in. */
export interface TuntapWhere {
  /** The namespace to look in; absent: this thread's. */
  netns?: NetnsRef;
}

/** The tun/tap view of a link; undefined for a link of another kind. */
export function tuntapOf(link: Link): Tuntap | undefined {
  const d = kindData(link.linkinfo, 'tun');
  if (d === undefined || (d.type !== 'tun' && d.type !== 'tap')) return undefined;
  const t: Tuntap = {
    name: link.name ?? String(link.index),
    index: link.index,
    mode: d.type,
    pi: d.pi === true,
    vnetHdr: d.vnetHdr === true,
    multiQueue: d.multiQueue === true,
    persist: d.persist === true,
    flags: (d.type === 'tun' ? TUN.IFF_TUN : TUN.IFF_TAP) | (d.pi ? 0 : TUN.IFF_NO_PI) | (d.vnetHdr ? TUN.IFF_VNET_HDR : 0)
      | (d.multiQueue ? TUN.IFF_MULTI_QUEUE : 0) | (d.persist ? TUN.IFF_PERSIST : 0),
  };
  if (d.owner !== undefined) t.owner = d.owner;
  if (d.group !== undefined) t.group = d.group;
  if (d.multiQueue) {
    if (d.numQueues !== undefined) t.numQueues = d.numQueues;
    if (d.numDisabledQueues !== undefined) t.numDisabledQueues = d.numDisabledQueues;
  }
  return t;
}

async function withClient<T>(where: TuntapWhere, fn: (nl: Rtnl) => Promise<T>): Promise<T> {
  if (where === null || typeof where !== 'object') throw new EncodeError('options', 'expected { netns? }');
  await using nl = await Rtnl.open(where.netns === undefined ? {} : { netns: where.netns });
  return await fn(nl); // awaited here, before the client is disposed
}

/** Every tun and tap device, like `ip tuntap show`. */
export async function list(where: TuntapWhere = {}): Promise<Tuntap[]> {
  return withClient(where, async (nl) => (await nl.link.list({ kind: 'tun' })).map(tuntapOf).filter((t) => t !== undefined));
}

/**
 * Deletes a tun or tap device by name, like `ip tuntap del`: its mode and
 * multi-queue flag are read from the kernel first (TUNSETIFF must repeat
 * them). A device another process holds open goes when that process closes it.
 */
export async function remove(name: string, where: TuntapWhere = {}): Promise<void> {
  const t = await withClient(where, async (nl) => {
    const link = await nl.link.get(name);
    const info = tuntapOf(link);
    if (info === undefined) throw new EncodeError('name', `${name} is a ${link.linkinfo?.kind ?? 'link of unknown kind'}, not a tun or tap device`);
    return info;
  });
  unpersist(name, t.mode, t.multiQueue, where.netns);
}
