// A nexthop (and a resilient group's bucket) in the shape `ip -j nexthop`
// prints, and its text line (ip/ipnexthop.c, __print_nexthop_entry and
// print_nexthop_bucket of iproute2 6.1): same keys, same order.
import { jsonStrings } from './json-read.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { type NexthopBucket, type NexthopObject, nexthopMessage } from '../../rtnl/nexthop.js';
import { formatG } from '../../rtnl/tc/json.js';
import { protocolNames, scopeNames } from './iproute2-names.js';
import type { Json } from './link.js';
import { rtFlagNames } from './route.js';

type Obj = Record<string, Json | undefined>;

export interface NexthopJsonOptions {
  /** The name of an interface by index (ip prints `if%d` for one it does not know). */
  ifname: (index: number) => string;
  /** -d: scope and protocol even when they are the defaults. */
  details?: boolean;
  /** A deletion (monitor): ip adds "deleted": true first. */
  deleted?: boolean;
}

/** print_tv: seconds as "%g" (the value JSON readers see is the same number). */
const seconds = (s: number | undefined): number => Number(formatG(s ?? 0));

/** The RTNH_F_* names of a nexthop's header flags (the kernel's number kept by the decoder). */
const flagNames = (nh: NexthopObject): string[] => rtFlagNames(nexthopMessage.numbersOf(nh).flags);

export function nexthopToIpJson(nh: NexthopObject, o: NexthopJsonOptions): Obj {
  const j: Obj = {};
  if (o.deleted) j.deleted = true;
  j.id = nh.id ?? 0;
  if (nh.group) j.group = nh.group.map((m) => (m.weight !== 1 ? { id: m.id, weight: m.weight } : { id: m.id }));
  if (nh.groupType !== undefined && nh.groupType !== 'mpath') j.type = typeof nh.groupType === 'number' ? '<unknown type>' : nh.groupType;
  if (nh.resilient) {
    j.resilient_args = {
      buckets: nh.resilient.buckets ?? 0,
      idle_timer: seconds(nh.resilient.idleTimer),
      unbalanced_timer: seconds(nh.resilient.unbalancedTimer),
      unbalanced_time: seconds(nh.resilient.unbalancedTime),
    };
  }
  if (nh.gateway !== undefined) j.gateway = nh.gateway;
  if (nh.oif) j.dev = o.ifname(nh.oif);
  // The kernel's numbers behind the header's words, kept by the decoder.
  const k = nexthopMessage.numbersOf(nh);
  const scope = k.scope;
  if (scope !== R.RT_SCOPE_UNIVERSE || o.details) j.scope = scopeNames.name(scope);
  if (nh.blackhole) j.blackhole = null;
  const protocol = k.protocol;
  if (protocol !== R.RTPROT_UNSPEC || o.details) j.protocol = protocolNames.name(protocol);
  j.flags = flagNames(nh);
  if (nh.fdb) j.fdb = null;
  return j;
}

/** The text line, from the JSON object (spaces as ip leaves them, "fdb" last without one). */
export function nexthopToText(j: Obj): string {
  let s = j.deleted ? 'Deleted ' : '';
  s += `id ${j.id} `;
  const group = j.group as { id: number; weight?: number }[] | undefined;
  if (group) s += `group ${group.map((m) => (m.weight === undefined ? `${m.id}` : `${m.id},${m.weight}`)).join('/')} `;
  if (j.type !== undefined) s += `type ${j.type} `;
  const res = j.resilient_args as Record<string, number> | undefined;
  if (res) {
    s += `buckets ${res.buckets} idle_timer ${formatG(res.idle_timer!)} unbalanced_timer ${formatG(res.unbalanced_timer!)} unbalanced_time ${formatG(res.unbalanced_time!)} `;
  }
  if (j.gateway !== undefined) s += `via ${j.gateway} `;
  if (j.dev !== undefined) s += `dev ${j.dev} `;
  if (j.scope !== undefined) s += `scope ${j.scope} `;
  if ('blackhole' in j) s += 'blackhole ';
  if (j.protocol !== undefined) s += `proto ${j.protocol} `;
  for (const f of jsonStrings(j.flags)) s += `${f} `;
  if ('fdb' in j) s += 'fdb';
  return s;
}

/** print_nexthop_bucket. */
export function bucketToIpJson(b: NexthopBucket, o: { deleted?: boolean } = {}): Obj {
  const j: Obj = {};
  if (o.deleted) j.deleted = true;
  if (b.id !== undefined) j.id = b.id;
  if (b.bucket) {
    const k: Obj = {};
    if (b.bucket.index !== undefined) k.index = b.bucket.index;
    if (b.bucket.idleTime !== undefined) k.idle_time = seconds(b.bucket.idleTime);
    if (b.bucket.nhid !== undefined) k.nhid = b.bucket.nhid;
    j.bucket = k;
  }
  j.flags = flagNames(b);
  return j;
}

export function bucketToText(j: Obj): string {
  let s = j.deleted ? 'Deleted ' : '';
  if (j.id !== undefined) s += `id ${j.id} `;
  const k = j.bucket as Record<string, number> | undefined;
  if (k) {
    if (k.index !== undefined) s += `index ${k.index} `;
    if (k.idle_time !== undefined) s += `idle_time ${formatG(k.idle_time)} `;
    if (k.nhid !== undefined) s += `nhid ${k.nhid} `;
  }
  for (const f of jsonStrings(j.flags)) s += `${f} `;
  return s;
}
