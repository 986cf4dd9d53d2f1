// The address label family (docs/architecture.md, "The family descriptor"; docs/netconf.md).
import * as R from '../../generated/linux/rtnetlink.js';
import { type Addrlabel, addrlabelMessage, decodeAddrlabel } from '../../rtnl/addrlabel.js';
import { addrlabelListRequest } from '../addrlabels.js';
import type { FamilyDescriptor } from '../family.js';

export const addrlabelFamily: FamilyDescriptor<Addrlabel, 'addrlabel', 'list' | 'stream' | 'add' | 'delete' | 'flush'> = {
  kind: 'addrlabel',
  schema: addrlabelMessage,
  getType: R.RTM_GETADDRLABEL,
  verbs: ['list', 'stream', 'add', 'delete', 'flush'],
  newType: R.RTM_NEWADDRLABEL,
  delType: R.RTM_DELADDRLABEL,
  // The kernel announces no label change: no multicast group.
  groups: [],
  decode: decodeAddrlabel,
  key: (l) => `${l.address}/${l.prefixLen} ${l.ifindex}`,
  dump: [addrlabelListRequest()],
};
