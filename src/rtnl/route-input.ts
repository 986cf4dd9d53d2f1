// The friendly form of a route request — `{ dst: '198.18.1.0/24', gateway:
// '198.18.0.254', dev: 'eth0' }` — and how it becomes a route message, with
// the defaults iproute2 applies (protocol boot, scope link for a route
// without a gateway, table main, ids above 255 in RTA_TABLE...).
//
// Attributes are written in the order of the input's keys, as iproute2 writes
// them in the order of its arguments, so an input built from a command line
// gives the bytes that command gives; RTA_OIF, RTA_METRICS and RTA_MULTIPATH
// come last, as iproute2 adds them after reading all its arguments. A decoded
// Route is a valid input too: what only describes kernel state is ignored.
import { AF_INET, AF_INET6, AF_MPLS } from '../generated/libc/socket.js';
import { mplsLabels } from './lwtunnel.js';
import { NetlinkWriter } from '../netlink/writer.js';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../generated/linux/netlink.js';
import * as R from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { encodeChecked, fieldsOf, isRecord } from '../netlink/narrow.js';
import { EncodeError } from '../netlink/errors.js';
import { checkInt } from '../netlink/ints.js';
import { type IpFamily, formatIP, parseIP, parsePrefixText } from '../netlink/ip.js';
import { type AddressFamily, type RouteProtocol, type RouteTable, type RouteType, type ScopeInput, addressFamilies, routeTables, routeTypes, scopes } from './names.js';
import type { NexthopMessageInput, Via } from './route-nexthop.js';
import {
  type MetricName, type NexthopFlag, type RouteFlag, type RouterPref, metricIds, nexthopFlags, readOnlyRouteFlags,
  routeFlags,
} from './route-names.js';
import type { RouteMessageInput } from './route.js';
import { type RouteEncapInput, encodeEncap } from './lwtunnel.js';

/** A link named by its interface name or its index (the one declaration; others re-export it). */
export type LinkRef = string | number;

/** Turns a LinkRef into an index, or throws an EncodeError naming `path`. */
export type IfindexOf = (ref: LinkRef, path: string) => number;

/** Accepts indexes only: for pure builders that were given no name resolver. */
export const indexOnly: IfindexOf = (ref, path) => {
  if (typeof ref === 'number') return checkIndex(ref, path);
  throw new EncodeError(path, `"${ref}" is an interface name; pass its index, or a name resolver (ifindex option)`);
};

export function checkIndex(ref: unknown, path: string): number {
  if (typeof ref !== 'number' || !Number.isInteger(ref) || ref <= 0 || ref > 0x7fffffff) {
    throw new EncodeError(path, `${describe(ref)} is not an interface index or name`);
  }
  return ref;
}

/** Route changes as iproute2 names them, with their message type and NLM_F_* flags. */
export const routeOps = {
  add: { type: R.RTM_NEWROUTE, flags: NLM_F_CREATE | NLM_F_EXCL },
  change: { type: R.RTM_NEWROUTE, flags: NLM_F_REPLACE },
  replace: { type: R.RTM_NEWROUTE, flags: NLM_F_CREATE | NLM_F_REPLACE },
  prepend: { type: R.RTM_NEWROUTE, flags: NLM_F_CREATE },
  append: { type: R.RTM_NEWROUTE, flags: NLM_F_CREATE | NLM_F_APPEND },
  test: { type: R.RTM_NEWROUTE, flags: NLM_F_EXCL },
  del: { type: R.RTM_DELROUTE, flags: 0 },
} as const;
/** The changes a route takes. */
export type RouteOp = keyof typeof routeOps;

/** Flags as given: names (or `0x` hex for unnamed bits) or the number. */
export type FlagList<N extends string> = readonly (N | `0x${string}`)[] | number;

/** A route's metrics as given, by name. */
export interface RouteMetricsInput {
  mtu?: number; window?: number; rtt?: number; rttvar?: number; ssthresh?: number; cwnd?: number;
  advmss?: number; reordering?: number; hoplimit?: number; initcwnd?: number; rtoMin?: number;
  initrwnd?: number; quickack?: number | boolean; fastopenNoCookie?: number | boolean;
  features?: FlagList<'ecn' | 'sack' | 'timestamp' | 'allfrag'>;
  congctl?: string;
  /** Metrics the kernel must not change. Written after the others, as iproute2 does. */
  lock?: FlagList<MetricName>;
}

/** One path of a multipath route as given. */
export interface NexthopInput {
  /** Same family as the route: RTA_GATEWAY; an IPv6 gateway of an IPv4 route: RTA_VIA. */
  gateway?: string;
  via?: Via;
  dev?: LinkRef;
  oif?: LinkRef;
  /** 1..256 (default 1). */
  weight?: number;
  onlink?: boolean;
  flags?: FlagList<NexthopFlag>;
  flow?: number;
  /** MPLS: the labels pushed in place of the incoming one (`as 200/300`), or their bytes. */
  newdst?: Uint8Array | readonly number[];
  encapType?: RouteMessageInput['encapType'];
  encap?: Uint8Array | RouteEncapInput;
}

/** A route as given to `nl.route.add()` and the other changes: the destination, and how to reach it. */
export interface RouteInput {
  family?: AddressFamily;
  type?: RouteType;
  /** 'default', a prefix '198.18.1.0/24', or an address (a host route unless dstLen says otherwise). */
  /** A prefix, 'default', or for an MPLS route the incoming label. */
  dst?: string | number;
  dstLen?: number;
  /** Source prefix (`from`). */
  src?: string;
  srcLen?: number;
  tos?: number;
  /** Any u32 id or a reserved name; default main (local for local/broadcast/nat/anycast routes). */
  table?: RouteTable;
  /** Read back from the kernel; used only when `table` is absent. */
  rtmTable?: RouteTable;
  protocol?: RouteProtocol;
  scope?: ScopeInput;
  /** Kernel-state flags (dead, linkdown, offload...) are dropped; onlink and pervasive are sent. */
  flags?: FlagList<RouteFlag>;
  onlink?: boolean;
  gateway?: string;
  via?: Via;
  dev?: LinkRef;
  oif?: LinkRef;
  /** Preferred source address. */
  prefsrc?: string;
  /** The route's metric (`ip route ... metric N`). */
  priority?: number;
  metrics?: RouteMetricsInput;
  nexthops?: readonly NexthopInput[];
  mark?: number;
  flow?: number;
  pref?: RouterPref;
  expires?: number;
  ttlPropagate?: number | boolean;
  nhid?: number;
  /** MPLS: the labels pushed in place of the incoming one (`as 200/300`), or their bytes. */
  newdst?: Uint8Array | readonly number[];
  encapType?: RouteMessageInput['encapType'];
  /** The encapsulation: typed (`{ type: 'mpls', labels: [100] }`, docs/routes-encap.md; sets encapType too) or its bytes. */
  encap?: Uint8Array | RouteEncapInput;
}

/** Keys a decoded Route has that say nothing a request could use. */
const IGNORED = new Set(['cacheinfo', 'iif', 'uid', 'ipProto', 'sport', 'dport', 'unknown', 'issues', 'dstLen', 'srcLen']);

/** Where a gateway goes: a route message or one nexthop of it. */
type GatewayFields = Pick<RouteMessageInput, 'gateway' | 'via'>;

const famBits = (fam: number): IpFamily => (fam === AF_INET6 ? 6 : 4);

function familyOfInput(input: RouteInput, path: string): number {
  if (input.family !== undefined) {
    const f = addressFamilies.encode(input.family, `${path}.family`);
    if (f !== AF_INET && f !== AF_INET6 && f !== AF_MPLS) throw new EncodeError(`${path}.family`, 'this version builds inet, inet6 and mpls routes');
    return f;
  }
  // The destination decides first, then the other addresses; iproute2 defaults to IPv4.
  // A colon means IPv6 (as iproute2 decides); the field's own check comes later.
  const f = familyOfText(input.dst) ?? familyOfText(input.src) ?? familyOfText(input.prefsrc) ?? familyOfText(input.gateway);
  if (f !== undefined) return f;
  if (Array.isArray(input.nexthops)) for (const n of input.nexthops) { const g = familyOfText(n?.gateway); if (g !== undefined) return g; }
  return AF_INET;
}

function familyOfText(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === 'default') return undefined;
  return v.includes(':') ? AF_INET6 : AF_INET;
}

/** A prefix of the route's family: 'default', 'a.b.c.d/len', or an address with an optional separate length. */
function prefixOf(v: unknown, len: unknown, fam: number, path: string, lenPath: string): { address?: string; length: number } {
  const bits = famBits(fam);
  const max = bits === 4 ? 32 : 128;
  const explicit = len === undefined ? undefined : checkPrefixLength(len, max, lenPath);
  if (v === undefined) return { length: explicit ?? 0 };
  if (v === 'default') {
    if (explicit) throw new EncodeError(lenPath, `"default" has prefix length 0, not ${explicit}`);
    return { length: 0 };
  }
  const p = parsePrefixText(v, path);
  if (p.family !== bits) throw new EncodeError(path, `"${v}" is an IPv${p.family} prefix in an IPv${bits} route`);
  const slash = typeof v === 'string' && v.includes('/');
  if (slash && explicit !== undefined && explicit !== p.length) {
    throw new EncodeError(lenPath, `${explicit} disagrees with the length in "${v}"`);
  }
  return { address: p.address, length: slash ? p.length : explicit ?? max };
}

function checkPrefixLength(v: unknown, max: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new EncodeError(path, `prefix length ${describe(v)} is not 0..${max}`);
  }
  return v;
}

/** A gateway: RTA_GATEWAY in the route's family, RTA_VIA for an IPv6 gateway of an IPv4 route. */
function gatewayInto(out: GatewayFields, v: unknown, fam: number, path: string): void {
  const bytes = parseIP(v, path);
  const gfam = bytes.length === 4 ? AF_INET : AF_INET6;
  if (out.gateway !== undefined || out.via !== undefined) throw new EncodeError(path, 'a route has one gateway; use nexthops for more');
  // An MPLS route's gateway is always of another family: RTA_VIA.
  if (fam === AF_MPLS) out.via = { family: gfam === AF_INET ? 'inet' : 'inet6', host: formatIP(bytes) };
  else if (gfam === fam) out.gateway = formatIP(bytes);
  else if (fam === AF_INET) out.via = { family: 'inet6', host: formatIP(bytes) };
  else throw new EncodeError(path, `an IPv4 gateway cannot serve an IPv6 route (the kernel takes only an IPv6 gateway for an IPv4 route, as RTA_VIA)`);
}

function viaInto(out: GatewayFields, v: unknown, fam: number, path: string): void {
  if (!isRecord(v)) throw new EncodeError(path, `expected { family, host }, got ${describe(v)}`);
  const { family, host } = v;
  const vf = encodeChecked(addressFamilies, family, `${path}.family`);
  if (vf !== AF_INET && vf !== AF_INET6) throw new EncodeError(`${path}.family`, 'a gateway is inet or inet6');
  parseIP(host, `${path}.host`, famBits(vf));
  gatewayInto(out, host, fam, `${path}.host`);
}

/** An MPLS route's incoming label (RTA_DST, 20 bits long); it has no source. */
function mplsDstInto(msg: RouteMessageInput, key: string, v: unknown, len: unknown, path: string): void {
  if (key === 'src') throw new EncodeError(path, 'an MPLS route has no source prefix');
  const label = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label > 0xfffff) throw new EncodeError(path, `${describe(v)} is not an MPLS label (0..1048575)`);
  if (len !== undefined && len !== 20) throw new EncodeError(`${path}Len`, 'an MPLS label is 20 bits long');
  msg.dst = label;
  msg.dstLen = 20;
}

/** RTA_NEWDST: labels to push instead of the incoming one (`as 200/300`), or their bytes. */
function newdstOf(v: unknown, path: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (!Array.isArray(v)) throw new EncodeError(path, `expected a list of labels, got ${describe(v)}`);
  const w = new NetlinkWriter(64);
  mplsLabels.write(w, v, path);
  return w.toBuffer();
}

function tableId(v: unknown, path: string): number {
  const n = encodeChecked(routeTables, v, path);
  if (!Number.isInteger(n) || n < 0 || n > R.RT_TABLE_MAX) throw new EncodeError(path, `table id ${describe(v)} is not 0..${R.RT_TABLE_MAX}`);
  return n;
}

function boolInt(v: unknown, path: string): number {
  if (v === true || v === 1) return 1;
  if (v === false || v === 0) return 0;
  throw new EncodeError(path, `expected 0, 1 or a boolean, got ${describe(v)}`);
}

function metricsOf(v: unknown, path: string): Record<string, unknown> | undefined {
  if (v === null || typeof v !== 'object') throw new EncodeError(path, `expected an object of metrics, got ${describe(v)}`);
  const out: Record<string, unknown> = {};
  let lock: unknown;
  for (const [key, val] of Object.entries(v)) {
    if (val === undefined) continue;
    const p = `${path}.${key}`;
    if (key === 'lock') lock = val;
    else if (!Object.hasOwn(metricIds, key)) throw new EncodeError(p, `unknown metric (known: ${Object.keys(metricIds).join(', ')}, lock)`);
    else if (key === 'quickack' || key === 'fastopenNoCookie') out[key] = boolInt(val, p);
    else if (key === 'hoplimit') out[key] = checkRange(val, 255, p);
    else out[key] = val;
  }
  if (lock !== undefined) out.lock = lock;
  return Object.keys(out).length ? out : undefined;
}

function checkRange(v: unknown, max: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new EncodeError(path, `${describe(v)} is not 0..${max}`);
  return v;
}

function deviceOf(input: { dev?: LinkRef; oif?: LinkRef }, ifindex: IfindexOf, path: string): number | undefined {
  if (input.dev !== undefined && input.oif !== undefined) throw new EncodeError(`${path}.oif`, 'give dev or oif, not both');
  if (input.dev !== undefined) return ifindex(input.dev, `${path}.dev`);
  if (input.oif !== undefined) return ifindex(input.oif, `${path}.oif`);
  return undefined;
}

const NEXTHOP_IGNORED = new Set(['unknown', 'issues']);
const readOnlyNexthopFlags = readOnlyRouteFlags & 0xff;

function nexthopOf(nh: NexthopInput, fam: number, ifindex: IfindexOf, path: string): NexthopMessageInput {
  if (nh === null || typeof nh !== 'object') throw new EncodeError(path, `expected a nexthop object, got ${describe(nh)}`);
  const out: NexthopMessageInput = {};
  let flags = 0;
  for (const [key, v] of fieldsOf(nh)) {
    if (v === undefined) continue;
    const p = `${path}.${key}`;
    switch (key) {
      case 'gateway': gatewayInto(out, v, fam, p); break;
      case 'via': viaInto(out, v, fam, p); break;
      case 'weight': out.weight = nh.weight; break;
      case 'onlink': if (boolInt(v, p)) flags |= R.RTNH_F_ONLINK; break;
      case 'flags': flags |= encodeChecked(nexthopFlags, v, p) & ~readOnlyNexthopFlags; break;
      case 'encap': encapInto(out, nh.encap, p); break;
      case 'newdst': out.newdst = newdstOf(v, p); break;
      case 'flow': out.flow = nh.flow; break;
      case 'encapType': out.encapType = nh.encapType; break;
      case 'dev': case 'oif': break;
      default:
        if (!NEXTHOP_IGNORED.has(key)) throw new EncodeError(p, 'unknown nexthop field (gateway, via, dev, oif, weight, onlink, flags, flow, newdst, encapType, encap)');
    }
  }
  const oif = deviceOf(nh, ifindex, path);
  if (oif !== undefined) out.oif = oif;
  if (flags) out.flags = flags;
  return out;
}

/** RTA_ENCAP: typed, its bytes and then its type (the order ip sends them in); or bytes as given. */
function encapInto(out: Pick<RouteMessageInput, 'encap' | 'encapType'>, e: Uint8Array | RouteEncapInput | undefined, path: string): void {
  if (e instanceof Uint8Array) out.encap = e;
  else if (isRecord(e)) Object.assign(out, encodeEncap(e, path));
  // Anything else goes to the schema, whose binary codec names the field.
  else out.encap = e;
}

/** The route message for a change (add, replace, del...), with iproute2's defaults. */
export function routeMessageOf(op: RouteOp, input: RouteInput, ifindex: IfindexOf = indexOnly, path = 'route'): RouteMessageInput {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected a route object, got ${describe(input)}`);
  if (!Object.hasOwn(routeOps, op)) throw new EncodeError('op', `unknown route operation ${describe(op)} (one of: ${Object.keys(routeOps).join(', ')})`);
  const del = op === 'del';
  const fam = familyOfInput(input, path);
  const msg: RouteMessageInput = { family: fam };
  if (input.dst === undefined && input.dstLen === undefined) {
    throw new EncodeError(`${path}.dst`, 'a route needs a destination ("default" for the default route)');
  }
  let table: number | undefined;
  let type: number | undefined;
  let flags = 0;
  let gateways = false;
  for (const [key, v] of fieldsOf(input)) {
    if (v === undefined) continue;
    const p = `${path}.${key}`;
    switch (key) {
      case 'family': case 'dev': case 'oif': case 'metrics': case 'nexthops': break;
      case 'dst': case 'src': {
        if (fam === AF_MPLS) { mplsDstInto(msg, key, v, input.dstLen, p); break; }
        const pre = prefixOf(v, key === 'dst' ? input.dstLen : input.srcLen, fam, p, `${path}.${key}Len`);
        if (key === 'dst') msg.dstLen = pre.length; else msg.srcLen = pre.length;
        if (pre.address !== undefined) { if (key === 'dst') msg.dst = pre.address; else msg.src = pre.address; }
        break;
      }
      case 'gateway': gatewayInto(msg, v, fam, p); gateways = true; break;
      case 'via': viaInto(msg, v, fam, p); gateways = true; break;
      case 'prefsrc': msg.prefsrc = formatIP(parseIP(v, p, famBits(fam))); break;
      case 'table': {
        table = tableId(v, p);
        if (table > 255) msg.table = table;
        break;
      }
      case 'rtmTable': if (input.table === undefined) table = tableId(v, p); break;
      case 'type': type = encodeChecked(routeTypes, v, p); msg.type = type; break;
      case 'protocol': msg.protocol = input.protocol; break;
      case 'scope': msg.scope = input.scope; break;
      case 'tos': msg.tos = input.tos; break;
      case 'flags': flags |= encodeChecked(routeFlags, v, p) & ~readOnlyRouteFlags; break;
      case 'onlink': if (boolInt(v, p)) flags |= R.RTNH_F_ONLINK; break;
      case 'ttlPropagate': msg.ttlPropagate = boolInt(v, p); break;
      case 'nhid': gateways = true; msg.nhid = input.nhid; break;
      case 'expires': if (!del) msg.expires = input.expires; break;
      case 'encap': encapInto(msg, input.encap, p); break;
      case 'newdst': msg.newdst = newdstOf(v, p); break;
      case 'priority': msg.priority = input.priority; break;
      case 'mark': msg.mark = input.mark; break;
      case 'flow': msg.flow = input.flow; break;
      case 'pref': msg.pref = input.pref; break;
      case 'encapType': msg.encapType = input.encapType; break;
      default:
        if (!IGNORED.has(key)) throw new EncodeError(p, `unknown route field (known: ${KNOWN})`);
    }
  }
  if (input.dst === undefined) msg.dstLen = prefixOf(undefined, input.dstLen, fam, `${path}.dst`, `${path}.dstLen`).length;
  const oif = deviceOf(input, ifindex, path);
  if (oif !== undefined) msg.oif = oif;
  if (input.metrics !== undefined) {
    const m = metricsOf(input.metrics, `${path}.metrics`);
    if (m) msg.metrics = m;
  }
  if (input.nexthops !== undefined) {
    if (!Array.isArray(input.nexthops) || input.nexthops.length === 0) throw new EncodeError(`${path}.nexthops`, 'expected a non-empty list of nexthops');
    msg.nexthops = input.nexthops.map((nh, i) => nexthopOf(nh, fam, ifindex, `${path}.nexthops[${i}]`));
    gateways = true;
  }
  if (flags) msg.flags = flags;

  // iproute2's defaults (ip/iproute.c, iproute_modify).
  // ip makes every MPLS route unicast, a delete too.
  const given = type !== undefined;
  type ??= del && fam !== AF_MPLS ? R.RTN_UNSPEC : R.RTN_UNICAST;
  if (!given && del && fam === AF_MPLS) msg.type = type;
  if (!given && !del) msg.type = type;
  const localish = type === R.RTN_LOCAL || type === R.RTN_BROADCAST || type === R.RTN_NAT || type === R.RTN_ANYCAST;
  msg.rtmTable = table === undefined ? (localish ? R.RT_TABLE_LOCAL : R.RT_TABLE_MAIN) : table > 255 ? R.RT_TABLE_UNSPEC : table;
  if (msg.protocol === undefined && !del) msg.protocol = R.RTPROT_BOOT;
  if (msg.scope === undefined) msg.scope = defaultScope(type, fam, del, gateways);
  else msg.scope = scopes.encode(msg.scope, `${path}.scope`);
  return msg;
}

const KNOWN = 'family, type, dst, dstLen, src, srcLen, tos, table, protocol, scope, flags, onlink, gateway, via, dev, oif, prefsrc, priority, metrics, nexthops, mark, flow, pref, expires, ttlPropagate, nhid, newdst, encapType, encap';

function defaultScope(type: number, fam: number, del: boolean, gateways: boolean): number {
  if (fam === AF_INET6 || fam === AF_MPLS) return R.RT_SCOPE_UNIVERSE;
  if (type === R.RTN_LOCAL || type === R.RTN_NAT) return R.RT_SCOPE_HOST;
  if (type === R.RTN_BROADCAST || type === R.RTN_MULTICAST || type === R.RTN_ANYCAST) return R.RT_SCOPE_LINK;
  if (type === R.RTN_UNICAST || type === R.RTN_UNSPEC) {
    if (del) return R.RT_SCOPE_NOWHERE;
    return gateways ? R.RT_SCOPE_UNIVERSE : R.RT_SCOPE_LINK;
  }
  return del ? R.RT_SCOPE_NOWHERE : R.RT_SCOPE_UNIVERSE;
}

/** A route lookup, like `ip route get`. */
export interface RouteQuery {
  /** The address to look up (a /32 or /128 prefix is accepted). */
  dst: string;
  family?: AddressFamily;
  /** Source address of the packet. */
  from?: string;
  /** Pretend the packet arrived on this interface. */
  iif?: LinkRef;
  /** Force the output interface. */
  oif?: LinkRef;
  dev?: LinkRef;
  mark?: number;
  uid?: number;
  tos?: number;
  ipProto?: number;
  sport?: number;
  dport?: number;
  /** Return the FIB entry that matched rather than the resolved result. */
  fibMatch?: boolean;
}

/** The RTM_GETROUTE message for a lookup, as `ip route get` builds it. */
export function routeQueryOf(q: RouteQuery, ifindex: IfindexOf = indexOnly, path = 'route'): RouteMessageInput {
  if (q === null || typeof q !== 'object') throw new EncodeError(path, `expected a lookup object, got ${describe(q)}`);
  if (q.dst === undefined) throw new EncodeError(`${path}.dst`, 'a lookup needs a destination address');
  let fam: number;
  if (q.family !== undefined) fam = familyOfInput({ family: q.family }, path);
  else fam = familyOfInput({ dst: q.dst, src: q.from }, path);
  const msg: RouteMessageInput = { family: fam };
  let flags = fam === AF_INET ? R.RTM_F_LOOKUP_TABLE : 0;
  for (const [key, v] of fieldsOf(q)) {
    if (v === undefined) continue;
    const p = `${path}.${key}`;
    switch (key) {
      case 'dst': {
        const pre = prefixOf(v, undefined, fam, p, p);
        if (pre.address === undefined || pre.length !== (fam === AF_INET ? 32 : 128)) {
          throw new EncodeError(p, `a lookup takes an address, not the prefix "${v}"`);
        }
        msg.dst = pre.address;
        msg.dstLen = pre.length;
        break;
      }
      case 'from': {
        const pre = prefixOf(v, undefined, fam, p, p);
        if (pre.address !== undefined) msg.src = pre.address;
        msg.srcLen = pre.length;
        break;
      }
      case 'fibMatch': if (boolInt(v, p)) flags |= R.RTM_F_FIB_MATCH; break;
      case 'tos': msg.tos = q.tos; break;
      case 'uid': msg.uid = q.uid; break;
      case 'ipProto': msg.ipProto = q.ipProto; break;
      case 'sport': msg.sport = q.sport; break;
      case 'dport': msg.dport = q.dport; break;
      case 'family': case 'iif': case 'oif': case 'dev': case 'mark': break;
      default: throw new EncodeError(p, 'unknown lookup field (dst, family, from, iif, oif, dev, mark, uid, tos, ipProto, sport, dport, fibMatch)');
    }
  }
  if (q.iif !== undefined) msg.iif = ifindex(q.iif, `${path}.iif`);
  const oif = deviceOf(q, ifindex, path);
  if (oif !== undefined) msg.oif = oif;
  if (q.mark !== undefined && q.mark !== 0) msg.mark = q.mark;
  if (flags) msg.flags = flags;
  return msg;
}
