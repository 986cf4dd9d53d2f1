// Multicast groups named as `ip monitor` names them.
import * as R from '../generated/linux/rtnetlink.js';
import { EncodeError } from '../netlink/errors.js';

/** The multicast groups a monitor joins, by the names `ip monitor` takes. */
export const monitorGroups = {
  link: [R.RTNLGRP_LINK],
  address: [R.RTNLGRP_IPV4_IFADDR, R.RTNLGRP_IPV6_IFADDR],
  'ipv4-addr': [R.RTNLGRP_IPV4_IFADDR],
  'ipv6-addr': [R.RTNLGRP_IPV6_IFADDR],
  route: [R.RTNLGRP_IPV4_ROUTE, R.RTNLGRP_IPV6_ROUTE],
  'ipv4-route': [R.RTNLGRP_IPV4_ROUTE],
  'ipv6-route': [R.RTNLGRP_IPV6_ROUTE],
  mroute: [R.RTNLGRP_IPV4_MROUTE, R.RTNLGRP_IPV6_MROUTE],
  neigh: [R.RTNLGRP_NEIGH],
  mdb: [R.RTNLGRP_MDB],
  rule: [R.RTNLGRP_IPV4_RULE, R.RTNLGRP_IPV6_RULE],
  'ipv4-rule': [R.RTNLGRP_IPV4_RULE],
  'ipv6-rule': [R.RTNLGRP_IPV6_RULE],
  tc: [R.RTNLGRP_TC],
  qdisc: [R.RTNLGRP_TC],
  nsid: [R.RTNLGRP_NSID],
  netconf: [R.RTNLGRP_IPV4_NETCONF, R.RTNLGRP_IPV6_NETCONF, R.RTNLGRP_MPLS_NETCONF],
  nexthop: [R.RTNLGRP_NEXTHOP],
  prefix: [R.RTNLGRP_IPV6_PREFIX],
  stats: [R.RTNLGRP_STATS],
} as const;

/** A group name as `ip monitor` takes it, or 'all'. */
export type MonitorGroup = keyof typeof monitorGroups | 'all';

/** Whether a word (from a command line, a file) names a group. */
export function isMonitorGroup(name: string): name is MonitorGroup {
  return name === 'all' || Object.hasOwn(monitorGroups, name);
}

/** The names as group names; an unknown name is an error listing the valid ones. */
export function checkGroups(names: readonly string[]): MonitorGroup[] {
  return names.map((n) => {
    if (!isMonitorGroup(n)) throw new EncodeError('monitor.groups', `unknown group "${n}" (valid: all, ${Object.keys(monitorGroups).join(', ')})`);
    return n;
  });
}

/** Group numbers for a list of names (checked: callers in plain JavaScript may pass anything). */
export function resolveGroups(names: readonly string[]): number[] {
  const list = checkGroups(names.length === 0 || names.includes('all') ? ['link', 'address', 'route', 'mroute', 'neigh', 'rule', 'nsid', 'netconf', 'nexthop', 'prefix'] : names);
  const out = new Set<number>();
  for (const n of list) {
    if (n === 'all') continue;
    for (const g of monitorGroups[n]) out.add(g);
  }
  return [...out];
}
