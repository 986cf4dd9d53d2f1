// The neigh family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { neighbourListRequest } from '../neighbours.js';
import { decodeNeighbour } from '../../rtnl/neighbour.js';
import { type Neighbour, neighbourMessage } from '../../rtnl/neighbour.js';
import type { FamilyDescriptor } from '../family.js';

export const neighFamily: FamilyDescriptor<Neighbour, 'neigh', 'list' | 'stream' | 'get' | 'add' | 'change' | 'replace' | 'delete' | 'flush'> = {
  kind: 'neigh',
  schema: neighbourMessage,
  getType: R.RTM_GETNEIGH,
  verbs: ['list', 'stream', 'get', 'add', 'change', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWNEIGH,
  delType: R.RTM_DELNEIGH,
  groups: [R.RTNLGRP_NEIGH],
  decode: decodeNeighbour,
  // A bridge FDB entry is known by its MAC and VLAN; a cache or proxy entry by its address.
  key: (n) => [n.family, n.ifindex, n.flags.includes('proxy') ? 'proxy' : '', n.address ?? '', n.family === 'bridge' ? `${n.lladdr}/${n.vlan ?? ''}` : ''].join('|'),
  dump: [neighbourListRequest(), neighbourListRequest({ proxy: true })],
  volatile: ['cacheinfo', 'probes'],
};
