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
import { IFLA_STATS } from '../generated/linux/if_link.js';
import { unknownAttr } from './fingerprint.js';
import { decodeNsid } from '../api/nsid.js';
import { nsidMessage, type NsidMessage } from '../route/nsid.js';
import { type TcClass, classDumpRequest, decodeClass } from '../route/tc/class.js';
import { type Filter, decodeFilter, filterDumpRequest } from '../route/tc/filter.js';
import { type Qdisc, decodeQdisc, qdiscDumpRequest } from '../route/tc/qdisc.js';
import { formatHandle } from '../route/tc/handles.js';
import { decodeTcMessage } from '../route/tc/tcmsg.js';

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
  /**
   * For kinds the kernel dumps only per device or per parent (tc classes and
   * filters): lists them all through `dump`, which runs one dump request.
   */
  list?(dump: <U>(req: Request, decode: Decoder<U>) => Promise<U[]>): Promise<T[]>;
  /** Fields that change without a notification (counters): ignored when comparing states. */
  readonly volatile?: readonly string[];
  /** The group an object is announced in, where a kind spans several (IPv4 and IPv6 routes). */
  groupOf?(obj: T): number | undefined;
}

/** The IPv4 or IPv6 group of a family-split kind. */
function byFamily(family: unknown, v4: number, v6: number): number | undefined {
  return family === 'inet' ? v4 : family === 'inet6' ? v6 : undefined;
}

const link: EventKind<Link> = {
  kind: 'link',
  newType: R.RTM_NEWLINK,
  delType: R.RTM_DELLINK,
  groups: [R.RTNLGRP_LINK],
  decode: decodeLink,
  key: (l) => String(l.index),
  dump: [linkRequest(R.RTM_GETLINK, 0, { family: AF_PACKET }, 'link show')],
  // What changes without a link notification: counters (64- and 32-bit statistics, the latter kept
  // undecoded; IPv6 and ICMPv6 statistics), IPv6 cacheinfo (its reachable time is redrawn now and then),
  // and the per-device IPv4/IPv6 settings (sysctls announce themselves as netconf, if at all, and an
  // MTU change is announced before IPv6 updates its own copy of the MTU).
  volatile: ['stats64', 'carrierChanges', 'carrierUpCount', 'carrierDownCount', 'stats', 'icmp6stats', 'cacheinfo', 'conf', unknownAttr(IFLA_STATS)],
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
  groupOf: (r) => byFamily(r.family, R.RTNLGRP_IPV4_RULE, R.RTNLGRP_IPV6_RULE),
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
  groupOf: (a) => byFamily(a.family, R.RTNLGRP_IPV4_IFADDR, R.RTNLGRP_IPV6_IFADDR),
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
  groupOf: (r) => byFamily(r.family, R.RTNLGRP_IPV4_ROUTE, R.RTNLGRP_IPV6_ROUTE),
  decode: decodeRoute,
  // What the kernel replaces in place: a route is its table, prefixes, tos and metric.
  key: (r) => [r.family, r.table, r.dst, r.dstLen, r.src, r.srcLen, r.tos, r.priority].join('|'),
  dump: [routeMessageRequest(R.RTM_GETROUTE, 0, { family: AF_UNSPEC }, 'route show', true)],
  volatile: ['cacheinfo'],
};

/** Every link's index, for the kinds the kernel lists per device. */
async function ifindexes(dump: <U>(req: Request, decode: Decoder<U>) => Promise<U[]>): Promise<number[]> {
  return (await dump(linkRequest(R.RTM_GETLINK, 0, { family: AF_PACKET }, 'link show'), decodeLink)).map((l) => l.index);
}

// Counters (statistics, htb's count of packets sent straight through), and the warning a
// notification may carry (TCA_EXT_WARN_MSG: about the request, not part of the object's state).
const tcVolatile = ['stats', 'xstats', 'directPacketsStat', 'warning'];

const qdisc: EventKind<Qdisc> = {
  kind: 'qdisc',
  newType: R.RTM_NEWQDISC,
  delType: R.RTM_DELQDISC,
  groups: [R.RTNLGRP_TC],
  decode: decodeQdisc,
  key: (q) => [q.ifindex, q.parent, q.handle].join('|'),
  dump: [qdiscDumpRequest({})],
  volatile: tcVolatile,
};

const tclass: EventKind<TcClass> = {
  kind: 'class',
  newType: R.RTM_NEWTCLASS,
  delType: R.RTM_DELTCLASS,
  groups: [R.RTNLGRP_TC],
  decode: decodeClass,
  key: (c) => [c.ifindex, c.handle].join('|'),
  dump: [],
  async list(dump) {
    const out: TcClass[] = [];
    for (const i of await ifindexes(dump)) out.push(...await dump(classDumpRequest(i), decodeClass));
    return out;
  },
  volatile: tcVolatile,
};

const filter: EventKind<Filter> = {
  kind: 'filter',
  newType: R.RTM_NEWTFILTER,
  delType: R.RTM_DELTFILTER,
  groups: [R.RTNLGRP_TC],
  decode: decodeFilter,
  key: (f) => [f.ifindex, f.parent, f.priority, f.protocol, f.handle, f.kind].join('|'),
  dump: [],
  // Filters hang off qdiscs (and their ingress/egress points): list each parent.
  async list(dump) {
    const out: Filter[] = [];
    for (const q of await dump(qdiscDumpRequest({}), decodeQdisc)) {
      const parents = q.kind === 'clsact' ? ['ffff:fff2', 'ffff:fff3'] : [q.handle];
      for (const parent of parents) out.push(...await dump(filterDumpRequest({ ifindex: q.ifindex, parent }), decodeFilter));
    }
    return out;
  },
  volatile: tcVolatile,
};

/** A filter chain (RTM_NEWCHAIN / RTM_DELCHAIN): tc announces chains as filters come and go. */
export interface TcChain { ifindex: number; parent: string; chain: number }

const chain: EventKind<TcChain> = {
  kind: 'chain',
  newType: R.RTM_NEWCHAIN,
  delType: R.RTM_DELCHAIN,
  groups: [R.RTNLGRP_TC],
  decode: (buf, start, length) => {
    const m = decodeTcMessage(buf, start, length, []);
    return { ifindex: m.ifindex, parent: formatHandle(m.parent), chain: m.chain ?? 0 };
  },
  key: (c) => [c.ifindex, c.parent, c.chain].join('|'),
  dump: [],
  // Chains are implied by the filters listed; tracking them adds nothing.
  list: async () => [],
};

const nsid: EventKind<NsidMessage> = {
  kind: 'nsid',
  newType: R.RTM_NEWNSID,
  delType: R.RTM_DELNSID,
  groups: [R.RTNLGRP_NSID],
  decode: decodeNsid,
  key: (n) => String(n.nsid),
  dump: [{ type: R.RTM_GETNSID, operation: 'netns list-id', headerSize: nsidMessage.headerSize, body: (w) => nsidMessage.encodePayload(w, { family: 'unspec' }) }],
};

export const eventKinds: readonly EventKind<never>[] = [
  address,
  route,
  link,
  neigh,
  rule,
  qdisc,
  tclass,
  filter,
  chain,
  nsid,
] as EventKind<never>[];

/** The entry for a message type, and whether it announces a new object or a deletion. */
export function kindOfType(type: number): { entry: EventKind<unknown>; action: 'new' | 'del' } | undefined {
  for (const e of eventKinds as readonly EventKind<unknown>[]) {
    if (e.newType === type) return { entry: e, action: 'new' };
    if (e.delType === type) return { entry: e, action: 'del' };
  }
  return undefined;
}
