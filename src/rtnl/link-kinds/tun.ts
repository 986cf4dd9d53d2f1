// tun/tap: what the kernel reports about a tun or tap device. They are made
// with the TUNSETIFF ioctl (`ip tuntap add`); the kernel refuses to create
// them over rtnetlink, so these options are for reading.
import * as T from '../../generated/linux/if_link.js';
import { TUN_TAP_DEV, TUN_TUN_DEV } from '../../generated/linux/if_tun.js';
import { enumMap, mapped, u32, u8 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { type Json, type KindJson, linkKind } from './kind.js';
import { readFileSync } from 'node:fs';

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

// info_data of a tun or tap, as iproute2 6.1's tun_print_opt: the owner and
// group by name when /etc/passwd and /etc/group know them.
export const tunJson: KindJson<AttrsOut<typeof tunData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.type !== undefined) o.type = typeof d.type === 'string' ? d.type : `UNKNOWN:${d.type}`;
  o.pi = d.pi;
  o.vnet_hdr = d.vnetHdr;
  o.multi_queue = d.multiQueue === true;
  if (d.multiQueue) {
    o.numqueues = d.numQueues;
    o.numdisabled = d.numDisabledQueues;
  }
  o.persist = d.persist;
  if (d.owner !== undefined) o.user = idName('/etc/passwd', d.owner);
  if (d.group !== undefined) o.group = idName('/etc/group', d.group);
  return o;
};

/** getpwuid/getgrgid from the files: the name, or the number when there is none. */
function idName(file: string, id: number): string | number {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , num] = line.split(':');
      if (name && Number(num) === id && num !== '') return name;
    }
  } catch { /* no file: the number */ }
  return id;
}

// The kernel refuses to make a tun over rtnetlink (`ip link add type tun` fails too): no words.
export const tun = linkKind('tun', { data: tunData, words: null, json: tunJson });
