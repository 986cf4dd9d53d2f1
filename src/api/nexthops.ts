// The typed verbs for nexthop objects (`ip nexthop`). A friendly input (a
// gateway as `via`, a device by name, a group as a list of { id, weight })
// becomes a message of the nexthop schema; the request builders are pure, so
// a batch can send many (docs/nexthops.md). The client's verbs are derived
// from the descriptor (families/nexthop.ts).
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../generated/linux/netlink.js';
import * as R from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { type IpFamily, parseIP } from '../netlink/ip.js';
import type { Request } from '../netlink/request.js';
import type { AttrsIn } from '../netlink/schema.js';
import { type AddressFamily, type RouteProtocol } from '../rtnl/names.js';
import {
  type NexthopGroupMemberInput, type NexthopObject, type NexthopObjectMessage,
  nexthopMessage, type resilientGroupAttrs,
} from '../rtnl/nexthop.js';
import type { NexthopFlag } from '../rtnl/route-names.js';
import { agree, familyName, ipFamilyOfName } from './ip-family.js';
import type { LinkRef } from './link-spec.js';

/**
 * A nexthop to add or replace. One of: a gateway (`via`) and/or a device
 * (`dev`), a `blackhole`, or a `group` of other nexthops. Attributes are sent
 * in the order of the keys (as `ip nexthop add` sends them in the order of
 * its words).
 */
export interface NexthopObjectInput<Dev = LinkRef> {
  /** The id routes refer to (`nhid`); the kernel picks one when absent. */
  id?: number;
  /** The gateway address (IPv4 or IPv6). */
  via?: string;
  dev?: Dev;
  /** The gateway is on the link even if no prefix says so. */
  onlink?: boolean;
  blackhole?: boolean;
  /** For the FDB of vxlan devices, not for routes. */
  fdb?: boolean;
  /** Members, by id, with weights 1..256 (default 1). */
  group?: readonly NexthopGroupMemberInput[];
  /** The group's type: 'mpath' (default) or 'resilient'. */
  type?: 'mpath' | 'resilient';
  /** A resilient group's parameters (times in seconds); implies type 'resilient'. */
  resilient?: Omit<AttrsIn<typeof resilientGroupAttrs.specs>, 'unbalancedTime'>;
  protocol?: RouteProtocol | number;
  /** By default the gateway's family; IPv4 for a device or blackhole alone. */
  family?: 'inet' | 'inet6';
  /** Other RTNH_F_* bits for the header (onlink is `onlink`). */
  flags?: readonly NexthopFlag[];
  /** A lightweight tunnel encapsulation, as attributes on the wire (like a route's). */
  encapType?: NexthopObjectMessage['encapType'];
  encap?: Uint8Array;
}

/** The nexthop changes, as `ip nexthop add|replace|del` (`delete` for `del`). */
export type NexthopVerb = 'add' | 'replace' | 'delete';

const VERBS: Record<NexthopVerb, { type: number; flags: number; word: string }> = {
  add: { type: R.RTM_NEWNEXTHOP, flags: NLM_F_CREATE | NLM_F_EXCL, word: 'add' },
  replace: { type: R.RTM_NEWNEXTHOP, flags: NLM_F_CREATE | NLM_F_REPLACE, word: 'replace' },
  delete: { type: R.RTM_DELNEXTHOP, flags: 0, word: 'del' },
};

const INPUT_KEYS = ['id', 'via', 'dev', 'onlink', 'blackhole', 'fdb', 'group', 'type', 'resilient', 'protocol', 'family', 'flags', 'encapType', 'encap'];
const inputKeys = new Set(INPUT_KEYS);

function checkId(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 0xffffffff) throw new EncodeError(path, `${describe(v)} is not a nexthop id (1..4294967295)`);
  return v;
}

function checkIndex(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 0x7fffffff) throw new EncodeError(path, `${describe(v)} is not an interface index`);
  return v;
}

function checkBool(v: unknown, path: string): boolean {
  if (v !== true && v !== false) throw new EncodeError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

/** The schema message for an add or replace (the device already an index). */
export function nexthopMessageOf(input: NexthopObjectInput<number>, path = 'nexthop'): NexthopObjectMessage {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected a nexthop, got ${describe(input)}`);
  for (const k of Object.keys(input)) {
    if (!inputKeys.has(k)) throw new EncodeError(`${path}.${k}`, `unknown field (known: ${INPUT_KEYS.join(', ')})`);
  }
  let fam: IpFamily | undefined = ipFamilyOfName(input.family, `${path}.family`);
  const flags: NexthopFlag[] = [...(input.flags ?? [])];
  if (input.onlink !== undefined && checkBool(input.onlink, `${path}.onlink`) && !flags.includes('onlink')) flags.push('onlink');
  const out: NexthopObjectMessage = { family: AF_UNSPEC, protocol: input.protocol, flags };
  const o = out as Record<string, unknown>;
  let groupTypeDone = false;
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    const p = `${path}.${k}`;
    switch (k) {
      case 'id': o.id = checkId(v, p); break;
      case 'via': {
        const bytes = parseIP(v, p, fam);
        fam = agree(fam, bytes.length === 4 ? 4 : 6, p);
        o.gateway = v;
        break;
      }
      case 'dev': o.oif = checkIndex(v, p); break;
      case 'blackhole': if (checkBool(v, p)) o.blackhole = true; break;
      case 'fdb': if (checkBool(v, p)) o.fdb = true; break;
      case 'group': o.group = v; break;
      case 'type': case 'resilient':
        // ip sends the resilient parameters, then the type.
        if (groupTypeDone) break;
        groupTypeDone = true;
        if (input.type !== undefined && input.type !== 'mpath' && input.type !== 'resilient') {
          throw new EncodeError(`${path}.type`, `expected 'mpath' or 'resilient', got ${describe(input.type)}`);
        }
        if (input.resilient !== undefined) {
          if (input.type === 'mpath') throw new EncodeError(`${path}.resilient`, "resilient parameters need type 'resilient'");
          o.resilient = input.resilient;
        }
        o.groupType = input.type ?? 'resilient';
        break;
      case 'encapType': o.encapType = v; break;
      case 'encap': o.encap = v; break;
      default: break; // family, protocol, flags, onlink: header fields, set above
    }
  }
  if (out.group !== undefined && (out.blackhole || out.gateway !== undefined || out.oif !== undefined)) {
    throw new EncodeError(`${path}.group`, 'a group has members only: no via, dev or blackhole');
  }
  if (out.groupType !== undefined && out.group === undefined) throw new EncodeError(`${path}.type`, 'a type is for groups: give `group` too');
  // ip sets the family from the gateway, else IPv4 for a device or a blackhole.
  if (fam === undefined && (out.oif !== undefined || out.blackhole)) fam = 4;
  out.family = fam === undefined ? AF_UNSPEC : familyName(fam);
  return out;
}

function label(verb: NexthopVerb, input: { id?: unknown } | number): string {
  const id = typeof input === 'number' ? input : input?.id;
  return `nexthop ${VERBS[verb]?.word ?? verb}${id === undefined ? '' : ` id ${String(id)}`}`;
}

/** The request for an add or replace (pure: nothing is sent). */
export function nexthopRequest(verb: 'add' | 'replace', input: NexthopObjectInput<number>, operation?: string): Request;
/** The request for a delete by id (pure). */
export function nexthopRequest(verb: 'delete', input: number | { id: number }, operation?: string): Request;
export function nexthopRequest(verb: NexthopVerb, input: NexthopObjectInput<number> | number | { id: number }, operation?: string): Request {
  const v = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!v) throw new EncodeError('verb', `unknown nexthop verb ${describe(verb)} (one of: ${Object.keys(VERBS).join(', ')})`);
  return {
    type: v.type, flags: v.flags, headerSize: nexthopMessage.headerSize, expectReply: false,
    operation: operation ?? label(verb, input),
    body: (w) => nexthopMessage.encodePayload(w, verb === 'delete' ? deleteMessage(input) : (typeof input === 'number' ? notANexthop(input) : nexthopMessageOf(input)), 'nexthop'),
  };
}

/** An add or replace given a number (an id is for delete): the error nexthopMessageOf gives for a non-object. */
function notANexthop(input: number): never {
  throw new EncodeError('nexthop', `expected a nexthop, got ${describe(input)}`);
}

function deleteMessage(input: unknown): NexthopObjectMessage {
  const id = typeof input === 'number' ? input : typeof input === 'object' && input !== null && 'id' in input ? input.id : undefined;
  return { family: AF_UNSPEC, id: checkId(id, 'nexthop.id') };
}

/** What `nl.nexthop.list()` keeps (`ip nexthop show [dev DEV] [master M] [groups] [fdb] [protocol P]`); `Dev` is a name or index, or an index once resolved. */
export interface NexthopListFilter<Dev = LinkRef> {
  /** Only nexthops of this family (`ip -4`/`-6 nexthop show`). */
  family?: AddressFamily;
  /** Only nexthops on this device (kernel-side). */
  dev?: Dev;
  /** Only nexthops on devices enslaved to this master, e.g. a VRF (kernel-side). */
  master?: Dev;
  /** Only groups (kernel-side). */
  groups?: boolean;
  /** Only FDB nexthops (kernel-side). */
  fdb?: boolean;
  /** Only nexthops of this protocol (filtered here, as ip does). */
  protocol?: RouteProtocol | number;
}

/** What `nl.nexthop.buckets()` keeps, the buckets of resilient groups (`ip nexthop bucket show [id ID] [nhid NHID] [dev DEV]`). */
export interface NexthopBucketFilter<Dev = LinkRef> extends Omit<NexthopListFilter<Dev>, 'groups' | 'fdb' | 'protocol'> {
  /** Only the buckets of this group. */
  id?: number;
  /** Only buckets that send to this nexthop. */
  nhid?: number;
}

function filterMessage(filter: NexthopListFilter<number> & { id?: number; nhid?: number }, path: string): NexthopObjectMessage {
  if (filter === null || typeof filter !== 'object') throw new EncodeError(path, `expected a filter, got ${describe(filter)}`);
  const m: NexthopObjectMessage = { family: filter.family ?? AF_UNSPEC };
  // ip's order: device, groups, master, fdb; then a bucket dump's group id and nexthop id.
  if (filter.dev !== undefined) m.oif = checkIndex(filter.dev, `${path}.dev`);
  if (filter.groups !== undefined && checkBool(filter.groups, `${path}.groups`)) m.groups = true;
  if (filter.master !== undefined) m.master = checkIndex(filter.master, `${path}.master`);
  if (filter.fdb !== undefined && checkBool(filter.fdb, `${path}.fdb`)) m.fdb = true;
  if (filter.id !== undefined) m.id = checkId(filter.id, `${path}.id`);
  if (filter.nhid !== undefined) m.bucket = { nhid: checkId(filter.nhid, `${path}.nhid`) };
  return m;
}

/** The dump request for a listing (pure). */
export function nexthopListRequest(filter: NexthopListFilter<number> = {}): Request {
  const m = filterMessage(filter, 'nexthop');
  return { type: R.RTM_GETNEXTHOP, headerSize: nexthopMessage.headerSize, operation: 'nexthop show', body: (w) => nexthopMessage.encodePayload(w, m, 'nexthop') };
}

/** The dump request for the buckets of resilient groups (pure). */
export function nexthopBucketListRequest(filter: NexthopBucketFilter<number> = {}): Request {
  const m = filterMessage(filter, 'nexthop.bucket');
  return { type: R.RTM_GETNEXTHOPBUCKET, headerSize: nexthopMessage.headerSize, operation: 'nexthop bucket show', body: (w) => nexthopMessage.encodePayload(w, m, 'nexthop') };
}

/** The request for one nexthop by id (pure). */
export function nexthopGetRequest(id: number, family: AddressFamily = AF_UNSPEC): Request {
  const m: NexthopObjectMessage = { family, id: checkId(id, 'nexthop.id') };
  return { type: R.RTM_GETNEXTHOP, headerSize: nexthopMessage.headerSize, operation: `nexthop get id ${id}`, body: (w) => nexthopMessage.encodePayload(w, m, 'nexthop') };
}

/** The request for one bucket of a resilient group (pure). */
export function nexthopBucketGetRequest(id: number, index: number, family: AddressFamily = AF_UNSPEC): Request {
  if (!Number.isInteger(index) || index < 0 || index > 0xffff) throw new EncodeError('nexthop.bucket.index', `${describe(index)} is not a bucket index (0..65535)`);
  const m: NexthopObjectMessage = { family, id: checkId(id, 'nexthop.id'), bucket: { index } };
  return { type: R.RTM_GETNEXTHOPBUCKET, headerSize: nexthopMessage.headerSize, operation: `nexthop bucket get id ${id} index ${index}`, body: (w) => nexthopMessage.encodePayload(w, m, 'nexthop') };
}

/** Which nexthops `ip nexthop flush` removes: the listing's filter, and a predicate checked on each. */
export interface NexthopFlushFilter extends NexthopListFilter {
  /** Only the nexthops this accepts. */
  where?: (nh: NexthopObject) => boolean;
}
