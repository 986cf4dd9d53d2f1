// The neighbour table family (docs/architecture.md, "The family descriptor"; docs/netconf.md).
import * as R from '../../generated/linux/rtnetlink.js';
import { type Ntable, decodeNtable, ntableMessage } from '../../rtnl/ntable.js';
import type { FamilyDescriptor } from '../family.js';
import { ntableListRequest } from '../ntables.js';

export const ntableFamily: FamilyDescriptor<Ntable, 'ntable', 'list' | 'change'> = {
  kind: 'ntable',
  schema: ntableMessage,
  getType: R.RTM_GETNEIGHTBL,
  verbs: ['list', 'change'],
  newType: R.RTM_NEWNEIGHTBL,
  // Tables are never deleted: no message type says so.
  delType: -1,
  // The kernel announces no table change.
  groups: [],
  decode: decodeNtable,
  key: (t) => `${String(t.family)} ${t.name} ${t.parms?.ifindex ?? ''}`,
  dump: [ntableListRequest()],
  volatile: ['stats', 'config', 'parms'],
};
