// What the monitor knows about each kind of object: the message types that
// announce it, the schema that decodes it, its identity (to reconcile a
// listing with the changes that raced it) and the dump that lists them all.
// One entry per family; a family added to the library adds one line here.
import { AF_PACKET } from '../generated/libc/socket.js';
import * as R from '../generated/linux/rtnetlink.js';
import { decodeLink, linkRequest } from '../api/links.js';
import { decodeNeighbour, neighbourListRequest } from '../api/neighbours.js';
import { decodeRule, ruleListRequest } from '../api/rules.js';
import type { Link } from '../route/link.js';
import type { Neighbour } from '../route/neighbour.js';
import type { Rule } from '../route/rule.js';
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
  // Rules are never changed in place: a rule is all of its fields (but "unresolved", which the kernel flips silently).
  key: (r) => JSON.stringify({ ...r, flags: r.flags.filter((f) => f !== 'unresolved') }),
  dump: [ruleListRequest()],
};

export const eventKinds: readonly EventKind<never>[] = [
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
