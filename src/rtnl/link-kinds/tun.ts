// tun/tap: what the kernel reports about a tun or tap device. They are made
// with the TUNSETIFF ioctl (`ip tuntap add`); the kernel refuses to create
// them over rtnetlink, so these options are for reading.
import * as T from '../../generated/linux/if_link.js';
import { TUN_TAP_DEV, TUN_TUN_DEV } from '../../generated/linux/if_tun.js';
import { enumMap, mapped, u32, u8 } from '../../netlink/codec.js';
import { attr, attrSet } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { linkKind } from './kind.js';

export const tunTypes = enumMap('tun type', { tun: TUN_TUN_DEV, tap: TUN_TAP_DEV });

export const tunData = attrSet('tun', {
  /** Owning user id, when set. */
  owner: attr(T.IFLA_TUN_OWNER, u32),
  group: attr(T.IFLA_TUN_GROUP, u32),
  type: attr(T.IFLA_TUN_TYPE, mapped(u8, tunTypes)),
  /** Packet information header (not IFF_NO_PI). */
  pi: attr(T.IFLA_TUN_PI, bool8),
  vnetHdr: attr(T.IFLA_TUN_VNET_HDR, bool8),
  persist: attr(T.IFLA_TUN_PERSIST, bool8),
  multiQueue: attr(T.IFLA_TUN_MULTI_QUEUE, bool8),
  numQueues: attr(T.IFLA_TUN_NUM_QUEUES, u32),
  numDisabledQueues: attr(T.IFLA_TUN_NUM_DISABLED_QUEUES, u32),
});

export const tun = linkKind('tun', tunData);
