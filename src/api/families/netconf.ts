// The netconf family (docs/architecture.md, "The family descriptor"; docs/netconf.md).
import { AF_INET, AF_INET6, AF_MPLS } from '../../generated/libc/socket.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { addressFamilies } from '../../rtnl/names.js';
import { type Netconf, decodeNetconf, netconfMessage } from '../../rtnl/netconf.js';
import type { FamilyDescriptor } from '../family.js';
import { netconfListRequest } from '../netconf.js';

const GROUP_OF: Record<number, number> = { [AF_INET]: R.RTNLGRP_IPV4_NETCONF, [AF_INET6]: R.RTNLGRP_IPV6_NETCONF, [AF_MPLS]: R.RTNLGRP_MPLS_NETCONF };

export const netconfFamily: FamilyDescriptor<Netconf, 'netconf', 'list' | 'get'> = {
  kind: 'netconf',
  schema: netconfMessage,
  getType: R.RTM_GETNETCONF,
  verbs: ['list', 'get'],
  newType: R.RTM_NEWNETCONF,
  delType: R.RTM_DELNETCONF,
  groups: [R.RTNLGRP_IPV4_NETCONF, R.RTNLGRP_IPV6_NETCONF, R.RTNLGRP_MPLS_NETCONF],
  groupOf: (n) => GROUP_OF[addressFamilies.encode(n.family, 'netconf.family')],
  decode: decodeNetconf,
  // One entry per family and device; a change announces the attributes that changed only.
  key: (n) => `${String(n.family)} ${n.ifindex}`,
  dump: [netconfListRequest()],
};
