// What the monitor knows about each kind of object: the message types that
// announce it, the schema that decodes it, its identity (to reconcile a
// listing with the changes that raced it) and the dump that lists them all.
// One entry per family; a family added to the library adds one line here.
import { AF_PACKET, AF_UNSPEC } from '../generated/libc/socket.js';
import * as R from '../generated/linux/rtnetlink.js';
import { addressMessageRequest } from '../api/addresses.js';
import { decodeLink, linkRequest } from '../api/links.js';
import { decodeNeighbour, neighbourListRequest } from '../api/neighbours.js';
import { routeMessageRequest } from '../api/routes.js';
import { decodeRule, ruleListRequest } from '../api/rules.js';
import { type Address, decodeAddress } from '../route/address.js';
import type { Link } from '../route/link.js';
import type { Neighbour } from '../route/neighbour.js';
import type { Rule } from '../route/rule.js';
import { type Route, decodeRoute } from '../route/route.js';
import type { Decoder, Request } from '../socket/messages.js';

export interface EventKind<T = unknown> {
  readonly kind: string;
  readonly newType: number;
  readonly delType: number;
  readonly groups: readonly number[];
  readonly decode: Decoder<T>;
  /** Identity: two objects with the same key are the same object in two states. */
  key(obj: T): string;
  /** Requests that list every object of this kind. */
  readonly dump: readonly Request[];
  /** Fields that change without a notification (counters): ignored when comparing states. */
  readonly volatile?: readonly string[];
}

const link: EventKind<Link> = {
  kind: 'link',
  newType: R.RTM_NEWLINK,
  delType: R.RTM_DELLINK,
  groups: [R.RTNLGRP_LINK],
  decode: decodeLink,
  key: (l) => String(l.index),
  dump: [linkRequest(R.RTM_GETLINK, 0, { family: AF_PACKET }, 'link show')],
  volatile: ['stats64', 'carrierChanges', 'carrierUpCount', 'carrierDownCount'],
};

const neigh: EventKind<Neighbour> = {
  kind: 'neigh',
  newType: R.RTM_NEWNEIGH,
  delType: R.RTM_DELNEIGH,
  groups: [R.RTNLGRP_NEIGH],
  decode: decodeNeighbour,
  // A bridge FDB entry is known by its MAC and VLAN; a cache or proxy entry by its address.
  key: (n) => [n.family, n.ifindex, n.flags.includes('proxy') ? 'proxy' : '', n.address ?? '', n.family === 'bridge' ? `${n.lladdr}/${n.vlan ?? ''}` : ''].join('|'),
  dump: [neighbourListRequest(), neighbourListRequest({ proxy: true })],
  volatile: ['cacheinfo', 'probes'],
};

const rule: EventKind<Rule> = {
  kind: 'rule',
  newType: R.RTM_NEWRULE,
  delType: R.RTM_DELRULE,
  groups: [R.RTNLGRP_IPV4_RULE, R.RTNLGRP_IPV6_RULE],
  decode: decodeRule,
  // Rules are never changed in place: a rule is all of its fields (but "unresolved", which the kernel flips
  // silently, and decode issues, whose offsets say where in a datagram the message happened to lie).
  key: (r) => JSON.stringify({ ...r, flags: r.flags.filter((f) => f !== 'unresolved'), issues: undefined }),
  dump: [ruleListRequest()],
};

const address: EventKind<Address> = {
  kind: 'address',
  newType: R.RTM_NEWADDR,
  delType: R.RTM_DELADDR,
  groups: [R.RTNLGRP_IPV4_IFADDR, R.RTNLGRP_IPV6_IFADDR],
  decode: decodeAddress,
  key: (a) => [a.family, a.index, a.local, a.prefixlen, a.address].join('|'),
  dump: [addressMessageRequest(R.RTM_GETADDR, 0, { family: AF_UNSPEC }, 'address show', true)],
  volatile: ['cacheinfo'],
};

const route: EventKind<Route> = {
  kind: 'route',
  newType: R.RTM_NEWROUTE,
  delType: R.RTM_DELROUTE,
  groups: [R.RTNLGRP_IPV4_ROUTE, R.RTNLGRP_IPV6_ROUTE],
  decode: decodeRoute,
  // What the kernel replaces in place: a route is its table, prefixes, tos and metric.
  key: (r) => [r.family, r.table, r.dst, r.dstLen, r.src, r.srcLen, r.tos, r.priority].join('|'),
  dump: [routeMessageRequest(R.RTM_GETROUTE, 0, { family: AF_UNSPEC }, 'route show', true)],
  volatile: ['cacheinfo'],
};

export const eventKinds: readonly EventKind<never>[] = [
  address,
  route,
  link,
  neigh,
  rule,
] as EventKind<never>[];

/** The entry for a message type, and whether it announces a new object or a deletion. */
export function kindOfType(type: number): { entry: EventKind<unknown>; action: 'new' | 'del' } | undefined {
  for (const e of eventKinds as readonly EventKind<unknown>[]) {
    if (e.newType === type) return { entry: e, action: 'new' };
    if (e.delType === type) return { entry: e, action: 'del' };
  }
  return undefined;
}
