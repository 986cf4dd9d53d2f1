// The mdb family (docs/architecture.md, "The family descriptor"): multicast
// group memberships of bridge ports (`bridge mdb`, docs/bridge.md). Its verbs
// live in nl.bridge.mdb until the generic verb engine lands.
import * as R from '../../generated/linux/rtnetlink.js';
import { type MdbMessage, decodeMdb, mdbEntries, mdbMessage } from '../../rtnl/bridge-mdb.js';
import { mdbListRequest } from '../bridge.js';
import type { FamilyDescriptor } from '../family.js';

export const mdbFamily: FamilyDescriptor<MdbMessage, 'mdb', 'list' | 'add' | 'delete'> = {
  kind: 'mdb',
  schema: mdbMessage,
  getType: R.RTM_GETMDB,
  verbs: ['list', 'add', 'delete'],
  newType: R.RTM_NEWMDB,
  delType: R.RTM_DELMDB,
  groups: [R.RTNLGRP_MDB],
  decode: decodeMdb,
  // A message names a bridge and the memberships it announces (an event carries one).
  key: (m) => [m.ifindex, ...mdbEntries(m).map((e) => `${e.port}/${e.grp}/${e.vid}`)].join('|'),
  dump: [mdbListRequest()],
  volatile: ['mdb'],
};
