// Nexthop objects (RTM_NEWNEXTHOP / RTM_DELNEXTHOP / RTM_GETNEXTHOP) and the
// buckets of resilient groups (RTM_*NEXTHOPBUCKET): struct nhmsg plus NHA_*
// attributes (linux/nexthop.h). A nexthop is a gateway and/or a device, a
// blackhole, or a group of other nexthops with weights; routes refer to one by
// `nhid`. The route's own multipath entry is `Nexthop` (route-nexthop.ts), so
// the names here say "object" (docs/nexthops.md).
import * as N from '../generated/linux/nexthop.js';
import { describe } from '../netlink/describe.js';
import { type Codec, type ValueMap, binary, enumMap, flag, ip, mapped, u16, u32, u64 } from '../netlink/codec.js';
import { EncodeError } from '../netlink/errors.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema, nested } from '../netlink/schema.js';
import type { Decoder } from '../netlink/request.js';
import { addressFamilies, routeProtocols, scopes } from './names.js';
import { encapTypes, nexthopFlags } from './route-names.js';

/** NEXTHOP_GRP_TYPE_*. */
export const nexthopGroupTypes = enumMap('nexthop group type', {
  mpath: N.NEXTHOP_GRP_TYPE_MPATH, resilient: N.NEXTHOP_GRP_TYPE_RES,
});
/** A nexthop group's type: multipath (mpath) or resilient. */
export type NexthopGroupType = ReturnType<typeof nexthopGroupTypes.decode>;

/** One member of a group: a nexthop id and its weight (1..256; the wire holds weight - 1). */
export interface NexthopGroupMember {
  id: number;
  weight: number;
}
/** A member of a nexthop group as given: its id and weight. */
export interface NexthopGroupMemberInput {
  id: number;
  /** 1..256; 1 when absent. */
  weight?: number;
}

const GRP = N.nexthop_grp.size;

/** NHA_GROUP: struct nexthop_grp records back to back. */
export const nexthopGroup: Codec<NexthopGroupMember[], readonly NexthopGroupMemberInput[]> = {
  name: 'nexthop group',
  write(w, list, path) {
    if (!Array.isArray(list) || list.length === 0) throw new EncodeError(path, `expected a non-empty list of { id, weight }, got ${describe(list)}`);
    const at = w.reserve(GRP * list.length);
    list.forEach((m: NexthopGroupMemberInput, i) => {
      const p = `${path}[${i}]`;
      if (m === null || typeof m !== 'object') throw new EncodeError(p, `expected { id, weight }, got ${describe(m)}`);
      for (const k of Object.keys(m)) if (k !== 'id' && k !== 'weight') throw new EncodeError(`${p}.${k}`, 'unknown field (known: id, weight)');
      if (!Number.isInteger(m.id) || m.id < 1 || m.id > 0xffffffff) throw new EncodeError(`${p}.id`, `${describe(m.id)} is not a nexthop id (1..4294967295)`);
      const weight = m.weight ?? 1;
      if (!Number.isInteger(weight) || weight < 1 || weight > 256) throw new EncodeError(`${p}.weight`, `weight ${describe(weight)} is not 1..256`);
      w.buffer.writeUInt32LE(m.id, at + i * GRP);
      w.buffer.writeUInt8(weight - 1, at + i * GRP + 4);
    });
  },
  read(buf, start, end, issues, path) {
    const len = end - start;
    if (len === 0 || len % GRP !== 0) {
      issues?.push({ path, problem: `payload of ${len} bytes is not a whole number of ${GRP}-byte group members`, offset: start });
    }
    const out: NexthopGroupMember[] = [];
    for (let at = start; at + GRP <= end; at += GRP) out.push({ id: buf.readUInt32LE(at), weight: buf[at + 4]! + 1 });
    return out;
  },
};

/**
 * A time the kernel counts in clock_t (USER_HZ, 1/100 s: what `ip` multiplies
 * seconds by), read and given in seconds.
 */
function centiseconds(base: typeof u32 | typeof u64): Codec<number, number> {
  const map: ValueMap<number, number> = {
    name: 'seconds',
    decode: (n) => n / 100,
    encode(v, path) {
      const ticks = Math.round(v * 100);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || Math.abs(ticks - v * 100) > 1e-6) {
        throw new EncodeError(path, `${describe(v)} is not a time in seconds (0 or more, in steps of 0.01)`);
      }
      return ticks;
    },
  };
  return mapped(base, map);
}

/** NHA_RES_GROUP: the parameters of a resilient group (times in seconds). */
export const resilientGroupAttrs = attrSet('nexthop.resilient', {
  buckets: attr(N.NHA_RES_GROUP_BUCKETS, u16),
  /** Seconds a bucket must be idle before it may move to another nexthop. */
  idleTimer: attr(N.NHA_RES_GROUP_IDLE_TIMER, centiseconds(u32)),
  /** Seconds the group may stay unbalanced before buckets move regardless of activity. */
  unbalancedTimer: attr(N.NHA_RES_GROUP_UNBALANCED_TIMER, centiseconds(u32)),
  /** Seconds the group has been unbalanced (reported by the kernel). */
  unbalancedTime: attr(N.NHA_RES_GROUP_UNBALANCED_TIME, centiseconds(u64)),
});

/** NHA_RES_BUCKET: one bucket of a resilient group. */
export const resilientBucketAttrs = attrSet('nexthop.bucket', {
  index: attr(N.NHA_RES_BUCKET_INDEX, u16),
  /** Seconds since the bucket last carried traffic. */
  idleTime: attr(N.NHA_RES_BUCKET_IDLE_TIME, centiseconds(u64)),
  /** The nexthop the bucket sends to. */
  nhid: attr(N.NHA_RES_BUCKET_NH_ID, u32),
});

/** The attributes of nexthop object messages (NHA_*), by name. */
export const nexthopAttrs = attrSet('nexthop', {
  id: attr(N.NHA_ID, u32),
  group: attr(N.NHA_GROUP, nexthopGroup),
  /** Sent after `resilient` (as ip sends it); absent on a group means mpath. */
  groupType: attr(N.NHA_GROUP_TYPE, mapped(u16, nexthopGroupTypes)),
  blackhole: attr(N.NHA_BLACKHOLE, flag),
  /** The device (interface index). In a dump request: only nexthops on it. */
  oif: attr(N.NHA_OIF, u32),
  gateway: attr(N.NHA_GATEWAY, ip),
  encapType: attr(N.NHA_ENCAP_TYPE, mapped(u16, encapTypes)),
  /** The encapsulation's attributes as they are on the wire (lwtunnel, like a route's RTA_ENCAP). */
  encap: attr(N.NHA_ENCAP, binary),
  /** Dump request only: only groups. */
  groups: attr(N.NHA_GROUPS, flag),
  /** Dump request only: only nexthops on devices enslaved to this master (interface index). */
  master: attr(N.NHA_MASTER, u32),
  /** A nexthop (or group) for the bridge FDB of vxlan devices, not for routes. In a dump request: only those. */
  fdb: attr(N.NHA_FDB, flag),
  resilient: attr(N.NHA_RES_GROUP, nested(resilientGroupAttrs, { nestFlag: true })),
  bucket: attr(N.NHA_RES_BUCKET, nested(resilientBucketAttrs, { nestFlag: true })),
});

/** The header fields of nexthop object messages (struct nhmsg), by name. */
export const nexthopHeader = {
  family: field('nh_family', addressFamilies),
  scope: field('nh_scope', scopes),
  protocol: field('nh_protocol', routeProtocols),
  flags: field('nh_flags', nexthopFlags),
} as const;

/** The schema of nexthop object messages. */
export const nexthopMessage = messageSchema('nexthop', N.nhmsg, nexthopHeader, nexthopAttrs);

/** A nexthop object as the kernel describes it. Absent attributes are undefined, never 0. */
export interface NexthopObject extends MessageOut<typeof nexthopHeader, typeof nexthopAttrs.specs> {}
/** What a nexthop request may carry: any header field or attribute. */
export interface NexthopObjectMessage extends MessageIn<typeof nexthopHeader, typeof nexthopAttrs.specs> {}

/** A bucket of a resilient group (RTM_NEWNEXTHOPBUCKET): the group's `id` and the `bucket`. */
export type NexthopBucket = NexthopObject;

/** Decodes one nexthop (or bucket) message, header included. */
export const decodeNexthopObject: Decoder<NexthopObject> = (buf, start, length) => nexthopMessage.decodeMessage(buf, start, length);
