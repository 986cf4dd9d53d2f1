// The route family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { AF_UNSPEC } from '../../generated/libc/socket.js';
import { routeMessageRequest } from '../routes.js';
import { type Route, decodeRoute, routeMessage } from '../../rtnl/route.js';
import { byFamily } from '../family.js';
import type { FamilyDescriptor } from '../family.js';

export const routeFamily: FamilyDescriptor<Route, 'route', 'list' | 'stream' | 'get' | 'add' | 'replace' | 'delete' | 'flush'> = {
  kind: 'route',
  schema: routeMessage,
  getType: R.RTM_GETROUTE,
  verbs: ['list', 'stream', 'get', 'add', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWROUTE,
  delType: R.RTM_DELROUTE,
  groups: [R.RTNLGRP_IPV4_ROUTE, R.RTNLGRP_IPV6_ROUTE],
  groupOf: (r) => byFamily(r.family, R.RTNLGRP_IPV4_ROUTE, R.RTNLGRP_IPV6_ROUTE),
  decode: decodeRoute,
  // What the kernel replaces in place: a route is its table, prefixes, tos and metric.
  key: (r) => [r.family, r.table, r.dst, r.dstLen, r.src, r.srcLen, r.tos, r.priority].join('|'),
  dump: [routeMessageRequest(R.RTM_GETROUTE, 0, { family: AF_UNSPEC }, 'route show', true)],
  volatile: ['cacheinfo'],
};
