// macvlan: links with their own MAC addresses on top of a parent link. The
// parent is the link's IFLA_LINK (`link` in the link message); these are the
// kind's own options.
import * as M from '../../generated/linux/if_link.js';
import { enumMap, flagsMap, hwaddr, mapped, u16, u32 } from '../../netlink/codec.js';
import { attr, attrList, attrSet, nested } from '../../netlink/schema.js';
import { linkKind } from './kind.js';

export const macvlanModes = enumMap('macvlan mode', {
  private: M.MACVLAN_MODE_PRIVATE, vepa: M.MACVLAN_MODE_VEPA, bridge: M.MACVLAN_MODE_BRIDGE,
  passthru: M.MACVLAN_MODE_PASSTHRU, source: M.MACVLAN_MODE_SOURCE,
});

export const macvlanFlags = flagsMap('macvlan flag', { nopromisc: M.MACVLAN_FLAG_NOPROMISC, nodst: M.MACVLAN_FLAG_NODST });

/** What a request does with the source-mode MAC list. */
export const macvlanMacaddrModes = enumMap('macvlan macaddr mode', {
  add: M.MACVLAN_MACADDR_ADD, del: M.MACVLAN_MACADDR_DEL, flush: M.MACVLAN_MACADDR_FLUSH, set: M.MACVLAN_MACADDR_SET,
});

const macaddrList = attrSet('macvlan.macaddrData', {
  macaddr: attrList(M.IFLA_MACVLAN_MACADDR, hwaddr),
});

export const macvlanData = attrSet('macvlan', {
  mode: attr(M.IFLA_MACVLAN_MODE, mapped(u32, macvlanModes)),
  flags: attr(M.IFLA_MACVLAN_FLAGS, mapped(u16, macvlanFlags)),
  macaddrMode: attr(M.IFLA_MACVLAN_MACADDR_MODE, mapped(u32, macvlanMacaddrModes)),
  macaddr: attr(M.IFLA_MACVLAN_MACADDR, hwaddr),
  /** Source mode: the allowed source addresses. */
  macaddrData: attr(M.IFLA_MACVLAN_MACADDR_DATA, nested(macaddrList)),
  macaddrCount: attr(M.IFLA_MACVLAN_MACADDR_COUNT, u32),
  bcQueueLen: attr(M.IFLA_MACVLAN_BC_QUEUE_LEN, u32),
  bcQueueLenUsed: attr(M.IFLA_MACVLAN_BC_QUEUE_LEN_USED, u32),
});

export const macvlan = linkKind('macvlan', macvlanData);
