// The nexthop family (docs/architecture.md, "The family descriptor"; docs/nexthops.md).
import * as R from '../../generated/linux/rtnetlink.js';
import { type NexthopObject, decodeNexthopObject, nexthopMessage } from '../../rtnl/nexthop.js';
import type { FamilyDescriptor } from '../family.js';
import { nexthopListRequest } from '../nexthops.js';

export const nexthopFamily: FamilyDescriptor<NexthopObject, 'nexthop', 'list' | 'stream' | 'get' | 'add' | 'replace' | 'delete' | 'flush'> = {
  kind: 'nexthop',
  schema: nexthopMessage,
  getType: R.RTM_GETNEXTHOP,
  verbs: ['list', 'stream', 'get', 'add', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWNEXTHOP,
  delType: R.RTM_DELNEXTHOP,
  groups: [R.RTNLGRP_NEXTHOP],
  decode: decodeNexthopObject,
  // The id is the nexthop: replace changes one in place under the same id.
  key: (nh) => String(nh.id),
  dump: [nexthopListRequest()],
};
