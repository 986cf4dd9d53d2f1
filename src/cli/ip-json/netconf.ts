// A netconf entry in the shape `ip -j netconf show` prints, and its text line
// (ip/ipnetconf.c, print_netconf of iproute2 6.1): same keys, same order.
import { NETCONF_ALL, NETCONF_DEFAULT, type Netconf } from '../../rtnl/netconf.js';
import type { Json } from './link.js';
import { familyName } from './route.js';

type Obj = Record<string, Json | undefined>;

const RP_FILTER = ['off', 'strict', 'loose'];

export function netconfToIpJson(n: Netconf, o: { ifname: (index: number) => string; deleted?: boolean }): Obj {
  const j: Obj = {};
  if (o.deleted) j.deleted = true;
  j.family = familyName(n.family);
  if (n.ifindex !== undefined) j.interface = n.ifindex === NETCONF_ALL ? 'all' : n.ifindex === NETCONF_DEFAULT ? 'default' : o.ifname(n.ifindex);
  if (n.forwarding !== undefined) j.forwarding = n.forwarding !== 0;
  if (n.rpFilter !== undefined) j.rp_filter = RP_FILTER[n.rpFilter] ?? n.rpFilter;
  if (n.mcForwarding !== undefined) j.mc_forwarding = n.mcForwarding !== 0;
  if (n.proxyNeigh !== undefined) j.proxy_neigh = n.proxyNeigh !== 0;
  if (n.ignoreRoutesWithLinkdown !== undefined) j.ignore_routes_with_linkdown = n.ignoreRoutesWithLinkdown !== 0;
  if (n.input !== undefined) j.input = n.input !== 0;
  return j;
}

/** The text line: "inet lo forwarding off rp_filter off ..." (a space after each value, as ip leaves it). */
export function netconfToText(j: Obj): string {
  let s = j.deleted ? 'Deleted ' : '';
  s += `${j.family} `;
  if (j.interface !== undefined) s += `${j.interface} `;
  for (const k of ['forwarding', 'rp_filter', 'mc_forwarding', 'proxy_neigh', 'ignore_routes_with_linkdown', 'input']) {
    const v = j[k];
    if (v === undefined) continue;
    s += `${k} ${typeof v === 'boolean' ? (v ? 'on' : 'off') : v} `;
  }
  return s;
}
