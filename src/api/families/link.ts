// The link family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { AF_PACKET } from '../../generated/libc/socket.js';
import { linkRequest } from '../links.js';
import { decodeLink } from '../../rtnl/link.js';
import { type Link, linkMessage } from '../../rtnl/link.js';
import type { FamilyDescriptor } from '../family.js';
import { IFLA_STATS } from '../../generated/linux/if_link.js';
import { unknownAttr } from '../../events/fingerprint.js';

export const linkFamily: FamilyDescriptor<Link, 'link', 'list' | 'stream' | 'get' | 'add' | 'set' | 'delete'> = {
  kind: 'link',
  schema: linkMessage,
  getType: R.RTM_GETLINK,
  verbs: ['list', 'stream', 'get', 'add', 'set', 'delete'],
  newType: R.RTM_NEWLINK,
  delType: R.RTM_DELLINK,
  groups: [R.RTNLGRP_LINK],
  decode: decodeLink,
  key: (l) => String(l.index),
  dump: [linkRequest(R.RTM_GETLINK, 0, { family: AF_PACKET }, 'link show')],
  // What changes without a link notification: counters (64- and 32-bit statistics, the latter kept
  // undecoded; IPv6 and ICMPv6 statistics), IPv6 cacheinfo (its reachable time is redrawn now and then),
  // and the per-device IPv4/IPv6 settings (sysctls announce themselves as netconf, if at all, and an
  // MTU change is announced before IPv6 updates its own copy of the MTU).
  volatile: ['stats64', 'carrierChanges', 'carrierUpCount', 'carrierDownCount', 'stats', 'icmp6stats', 'cacheinfo', 'conf', unknownAttr(IFLA_STATS)],
};
