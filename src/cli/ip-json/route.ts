// A route in the shape `ip -j route show` prints (ip/iproute.c, print_route):
// same keys, same values, same order, including iproute2's habit of leaving
// out what the command line filtered on. Also the one-line text form.
import * as C from '../../generated/linux/in_route.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { AF_INET, AF_INET6, AF_MPLS } from '../../generated/libc/socket.js';
import { type AddressFamily, addressFamilies, routeTables } from '../../rtnl/names.js';
import { metricFeatures, metricIds, metricLocks, nexthopFlags } from '../../rtnl/route-names.js';
import { type Nexthop, type Route, type Via, routeMessage } from '../../rtnl/route.js';
import type { Json } from './link.js';
import { jsonObject, jsonObjects, jsonStrings } from './json-read.js';
import { printEncap } from './route-encap.js';
import { dsfieldNames, protocolNames, realmNames, scopeNames, tableNames } from './iproute2-names.js';

export interface RouteJsonOptions {
  /** The name of an interface by index (iproute2 prints `if%d` for one it does not know). */
  ifname: (index: number) => string;
  /** `table all` (or a lookup): the table is printed unless it is main. A table filter hides it. */
  showTable?: boolean;
  /** What the command line filtered on, which iproute2 then leaves out. */
  devFiltered?: boolean;
  protocolFiltered?: boolean;
  scopeFiltered?: boolean;
  /** `via ADDR` / `src ADDR` naming one host, `tos`, `iif`, `metric`: ip leaves out what was selected on. */
  gatewayFiltered?: boolean;
  prefsrcFiltered?: boolean;
  tosFiltered?: boolean;
  iifFiltered?: boolean;
  metricFiltered?: boolean;
  /** -s: the usage counters of the cache info. */
  stats?: boolean;
  /** USER_HZ, the unit of rta_expires (sysconf(_SC_CLK_TCK), 100 on Linux). */
  hz?: number;
}

type Obj = Record<string, Json>;

/** A printed route's encapsulation text, and the route printed without it (whose keys the encap's overwrote). */
const encapOf = new WeakMap<Obj, { text: string; base: Obj }>();

const num = <T>(map: { encode(v: T, path: string): number }, v: T): number => map.encode(v, 'route');

/** ip's name of an address family, from the kernel's number or the decoded word (no word back to a number). */
export function familyName(f: number | AddressFamily): string {
  const n = typeof f === 'number' ? addressFamilies.decode(f) : f;
  return n === 'packet' ? 'link' : typeof n === 'string' && n !== 'unspec' ? n : '???';
}

function hostLen(family: number): number {
  return family === AF_INET6 ? 128 : family === AF_INET ? 32 : family === AF_MPLS ? 20 : 0;
}

/** print_rt_flags: the names iproute2 knows, in its order. */
// Made once: `route show` names the flags of every route it prints.
const RT_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [R.RTNH_F_DEAD, 'dead'], [R.RTNH_F_ONLINK, 'onlink'], [R.RTNH_F_PERVASIVE, 'pervasive'], [R.RTNH_F_OFFLOAD, 'offload'],
  [R.RTNH_F_TRAP, 'trap'], [R.RTM_F_NOTIFY, 'notify'], [R.RTNH_F_LINKDOWN, 'linkdown'], [R.RTNH_F_UNRESOLVED, 'unresolved'],
  [R.RTM_F_OFFLOAD, 'rt_offload'], [R.RTM_F_TRAP, 'rt_trap'], [R.RTM_F_OFFLOAD_FAILED, 'rt_offload_failed'],
];

export function rtFlagNames(flags: number): string[] {
  const out: string[] = [];
  if (flags === 0) return out;
  for (const [bit, name] of RT_FLAG_NAMES) if (flags & bit) out.push(name);
  return out;
}

/** print_cache_flags: the RTCF_* bits of an IPv4 lookup result. */
function cacheFlagNames(flags: number): string[] {
  const names: [number, string][] = [
    [C.RTCF_LOCAL, 'local'], [C.RTCF_REJECT, 'reject'], [C.RTCF_MULTICAST, 'mc'], [C.RTCF_BROADCAST, 'brd'],
    [C.RTCF_DNAT, 'dst-nat'], [C.RTCF_SNAT, 'src-nat'], [C.RTCF_MASQ, 'masq'], [C.RTCF_DIRECTDST, 'dst-direct'],
    [C.RTCF_DIRECTSRC, 'src-direct'], [C.RTCF_REDIRECTED, 'redirected'], [C.RTCF_DOREDIRECT, 'redirect'],
    [C.RTCF_FAST, 'fastroute'], [C.RTCF_NOTIFY, 'notify'], [C.RTCF_TPROXY, 'proxy'],
  ];
  const out: string[] = [];
  for (const [bit, name] of names) if ((flags >>> 0) & (bit >>> 0)) out.push(name);
  return out;
}

function viaJson(v: Via): Obj {
  return { family: familyName(v.family), host: v.host };
}

function flowJson(flow: number): Obj {
  const from = flow >>> 16;
  const o: Obj = {};
  if (from) o.from = realmNames.name(from);
  o.to = realmNames.name(flow & 0xffff);
  return o;
}

function metricsJson(m: NonNullable<Route['metrics']>): Obj {
  const o: Obj = {};
  const lock = m.lock === undefined ? 0 : num(metricLocks, m.lock);
  // In RTAX order, as iproute2 walks them.
  const byId = Object.entries(metricIds).sort((a, b) => a[1] - b[1]);
  const features = m.features === undefined ? 0 : num(metricFeatures, m.features);
  for (const [key, id] of byId) {
    const v: unknown = Object.getOwnPropertyDescriptor(m, key)?.value;
    if (v === undefined && !(lock & 2 ** id)) continue;
    if (key === 'congctl') { o.congestion = typeof v === 'string' ? v : null; continue; }
    let n = key === 'features' ? features : typeof v === 'number' ? v : 0;
    if (key === 'hoplimit' && n === 0xffffffff) continue;
    if (key === 'features') {
      if (n & R.RTAX_FEATURE_ECN) { o.ecn = null; n &= ~R.RTAX_FEATURE_ECN; }
      if (n) o.features = `0x${features.toString(16)}`;
      continue;
    }
    if (key === 'rtt') n = Math.floor(n / 8);
    else if (key === 'rttvar') n = Math.floor(n / 4);
    o[METRIC_JSON[key] ?? key] = n;
  }
  return o;
}


/** mx_names of ip/iproute.c where they differ from our keys. */
const METRIC_JSON: Record<string, string> = { rtoMin: 'rto_min', fastopenNoCookie: 'fastopen_no_cookie' };

function nexthopJson(nh: Nexthop, family: number, o: RouteJsonOptions, cloned: boolean, type: number): Obj {
  const j: Obj = {};
  if (nh.gateway !== undefined) j.gateway = nh.gateway;
  if (nh.via !== undefined) j.via = viaJson(nh.via);
  if (nh.flow !== undefined) j.flow = flowJson(nh.flow);
  j.dev = o.ifname(nh.oif ?? 0);
  if (cloned && type === R.RTN_MULTICAST) {
    if (nh.weight !== 2) j.ttl = nh.weight - 1;
  } else if (family !== AF_MPLS) {
    j.weight = nh.weight;
  }
  j.flags = rtFlagNames(num(nexthopFlags, nh.flags));
  return j;
}

/** print_route in JSON mode. */
export function routeToIpJson(r: Route, o: RouteJsonOptions): Obj {
  const j: Obj = {};
  // The kernel's numbers behind the header's words, kept by the decoder.
  const k = routeMessage.numbersOf(r);
  const family = k.family;
  const type = k.type;
  const flags = k.flags;
  const cloned = (flags & R.RTM_F_CLONED) !== 0;
  const host = hostLen(family);
  // rtnl_rtntype_n2a calls type 0 "none".
  if (type !== R.RTN_UNICAST) j.type = r.type === 'unspec' ? 'none' : String(r.type);
  if (r.dst !== undefined) j.dst = r.dstLen !== host ? `${r.dst}/${r.dstLen}` : r.dst;
  else j.dst = r.dstLen ? `0/${r.dstLen} ` : 'default';
  if (r.src !== undefined) j.from = r.srcLen !== host ? `${r.src}/${r.srcLen}` : r.src;
  else if (r.srcLen) j.src = `0/${r.srcLen}`;
  if (r.nhid !== undefined) j.nhid = r.nhid;
  const enc = printEncap(r.encapType, r.encap, o.ifname, o.stats);
  // ip prints the encap's keys here, "dst" and "src" among them again: they
  // take the place of the first and the value of the last, as a JSON reader
  // reads ip's output; the text line is made from the route's own (below).
  const encKeys = enc?.json.length ?? 0;
  if (enc) for (const [k, v] of enc.json) j[k] = v;
  if (r.tos && !o.tosFiltered) j.tos = dsfieldNames.name(r.tos);
  if (r.gateway !== undefined && !o.gatewayFiltered) j.gateway = r.gateway;
  if (r.via !== undefined) j.via = viaJson(r.via);
  if (r.oif !== undefined && !o.devFiltered) j.dev = o.ifname(r.oif);
  const table = r.table === undefined ? 0 : num(routeTables, r.table);
  if (table && table !== R.RT_TABLE_MAIN && o.showTable) j.table = tableNames.name(table);
  if (!cloned) {
    const protocol = k.protocol;
    if (protocol !== R.RTPROT_BOOT && !o.protocolFiltered) j.protocol = protocolNames.name(protocol);
    const scope = k.scope;
    if (scope !== R.RT_SCOPE_UNIVERSE && !o.scopeFiltered) j.scope = scopeNames.name(scope);
  }
  if (r.prefsrc !== undefined && !o.prefsrcFiltered) j.prefsrc = r.prefsrc;
  if (r.priority !== undefined && !o.metricFiltered) j.metric = r.priority;
  j.flags = rtFlagNames(flags);
  if (r.mark) j.mark = r.mark;
  if (r.flow !== undefined) j.flow = flowJson(r.flow);
  if (r.uid !== undefined) j.uid = r.uid;
  if (family === AF_INET && cloned) j.cache = cacheFlagNames(flags & ~0xffff);
  if ((family === AF_INET || family === AF_INET6) && r.cacheinfo) {
    const ci = r.cacheinfo;
    const hz = o.hz ?? 100;
    if (ci.rta_expires !== 0) j.expires = Math.trunc(ci.rta_expires / hz);
    if (ci.rta_error !== 0) j.error = ci.rta_error;
    if (o.stats) {
      if (ci.rta_clntref) j.users = ci.rta_clntref;
      if (ci.rta_used !== 0) j.used = ci.rta_used;
      if (ci.rta_lastuse !== 0) j.age = Math.trunc(ci.rta_lastuse / hz);
    }
    if (ci.rta_id) j.ipid = `0x${ci.rta_id.toString(16)}`;
    if (ci.rta_ts || ci.rta_tsage) {
      j.ts = ci.rta_ts ? `0x${ci.rta_ts.toString(16)}` : '0';
      j.tsage = ci.rta_tsage;
    }
  }
  if (r.metrics) j.metrics = [metricsJson(r.metrics)];
  if (r.iif !== undefined && !o.iifFiltered) j.iif = o.ifname(r.iif);
  if (r.pref !== undefined) j.pref = r.pref;
  if (enc && encKeys) encapOf.set(j, { text: enc.text, base: routeToIpJson({ ...r, encap: undefined, encapType: undefined }, o) });
  if (r.ttlPropagate !== undefined) j['ttl-propogate'] = r.ttlPropagate !== 0;
  if (r.nexthops) j.nexthops = r.nexthops.map((nh) => nexthopJson(nh, family, o, cloned, type));
  return j;
}

/** The one-line text form of `ip route show`. */
export function routeToText(j: Obj): string {
  const parts: string[] = [];
  const enc = encapOf.get(j);
  if (enc) j = enc.base;
  if (j.type !== undefined) parts.push(String(j.type));
  parts.push(String(j.dst).trim());
  if (j.from !== undefined) parts.push(`from ${j.from}`);
  if (j.src !== undefined) parts.push(`from ${j.src}`);
  if (j.nhid !== undefined) parts.push(`nhid ${j.nhid}`);
  if (enc) parts.push(enc.text);
  if (j.tos !== undefined) parts.push(`tos ${j.tos}`);
  if (j.gateway !== undefined) parts.push(`via ${j.gateway}`);
  if (j.via !== undefined) { const v = jsonObject(j.via); parts.push(`via ${v.family} ${v.host}`); }
  for (const [key, label] of [['dev', 'dev'], ['table', 'table'], ['protocol', 'proto'], ['scope', 'scope'], ['prefsrc', 'src'], ['metric', 'metric']] as const) {
    if (j[key] !== undefined) parts.push(`${label} ${j[key]}`);
  }
  parts.push(...jsonStrings(j.flags));
  if (j.flow !== undefined) {
    const f = jsonObject(j.flow);
    parts.push(f.from !== undefined ? `realms ${f.from}/${f.to}` : `realm ${f.to}`);
  }
  if (j.mark !== undefined) parts.push(`mark ${Number(j.mark) >= 16 ? `0x${Number(j.mark).toString(16)}` : j.mark}`);
  if (j.uid !== undefined) parts.push(`uid ${j.uid}`);
  if (j.expires !== undefined) parts.push(`expires ${j.expires}sec`);
  if (j.metrics) {
    for (const [k, v] of Object.entries(jsonObjects(j.metrics)[0] ?? {})) parts.push(v === null ? k : `${k} ${v}`);
  }
  if (j.iif !== undefined) parts.push(`iif ${j.iif}`);
  if (j.pref !== undefined) parts.push(`pref ${j.pref}`);
  // ip prints "pref %s" without the space every other value has after it.
  let text = j.pref !== undefined ? parts.join(' ') : `${parts.join(' ')} `;
  if (j.cache !== undefined) { const cache = jsonStrings(j.cache); text += `\n    cache ${cache.length ? `<${cache.join(',')}> ` : ''}`; }
  for (const nh of jsonObjects(j.nexthops)) {
    const p = ['\tnexthop'];
    if (nh.gateway !== undefined) p.push(`via ${nh.gateway}`);
    if (nh.via !== undefined) { const v = jsonObject(nh.via); p.push(`via ${v.family} ${v.host}`); }
    p.push(`dev ${nh.dev}`);
    if (nh.weight !== undefined) p.push(`weight ${nh.weight}`);
    p.push(...jsonStrings(nh.flags));
    text += `\n${p.join(' ')} `;
  }
  return text;
}
