// The address family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { AF_UNSPEC } from '../../generated/libc/socket.js';
import { addressMessageRequest } from '../addresses.js';
import { type Address, addressMessage, decodeAddress } from '../../rtnl/address.js';
import { byFamily } from '../family.js';
import type { FamilyDescriptor } from '../family.js';

export const addressFamily: FamilyDescriptor<Address, 'address', 'list' | 'stream' | 'add' | 'replace' | 'delete' | 'flush'> = {
  kind: 'address',
  schema: addressMessage,
  getType: R.RTM_GETADDR,
  verbs: ['list', 'stream', 'add', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWADDR,
  delType: R.RTM_DELADDR,
  groups: [R.RTNLGRP_IPV4_IFADDR, R.RTNLGRP_IPV6_IFADDR],
  groupOf: (a) => byFamily(a.family, R.RTNLGRP_IPV4_IFADDR, R.RTNLGRP_IPV6_IFADDR),
  decode: decodeAddress,
  key: (a) => [a.family, a.index, a.local, a.prefixlen, a.address].join('|'),
  dump: [addressMessageRequest(R.RTM_GETADDR, 0, { family: AF_UNSPEC }, 'address show', true)],
  volatile: ['cacheinfo'],
};
