// The link family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { AF_PACKET } from '../../generated/libc/socket.js';
import { decodeLink, linkRequest } from '../links.js';
import { type Link, linkMessage } from '../../route/link.js';
import type { FamilyDescriptor } from '../family.js';

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
  volatile: ['stats64', 'carrierChanges', 'carrierUpCount', 'carrierDownCount'],
};
