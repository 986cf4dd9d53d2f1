// The qdisc family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { type Qdisc, decodeQdisc, qdiscDumpRequest } from '../../rtnl/tc/qdisc.js';
import { tcMessage } from '../../rtnl/tc/tcmsg.js';
import { tcVolatile } from './tc.js';
import type { FamilyDescriptor } from '../family.js';

export const qdiscFamily: FamilyDescriptor<Qdisc, 'qdisc', 'list' | 'stream' | 'add' | 'change' | 'replace' | 'delete'> = {
  kind: 'qdisc',
  schema: tcMessage,
  getType: R.RTM_GETQDISC,
  verbs: ['list', 'stream', 'add', 'change', 'replace', 'delete'],
  newType: R.RTM_NEWQDISC,
  delType: R.RTM_DELQDISC,
  groups: [R.RTNLGRP_TC],
  decode: decodeQdisc,
  key: (q) => [q.ifindex, q.parent, q.handle].join('|'),
  dump: [qdiscDumpRequest({})],
  volatile: tcVolatile,
};
