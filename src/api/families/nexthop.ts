// The nexthop family (docs/architecture.md, "The family descriptor"; docs/nexthops.md).
// The request builders are in api/nexthops.ts; the client's verbs (nl.nexthop)
// and the batch's are derived from this descriptor, plus flush and the buckets
// of resilient groups, which only nexthops have.
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { routeProtocols } from '../../rtnl/names.js';
import { type NexthopBucket, type NexthopObject, decodeNexthopObject, nexthopMessage } from '../../rtnl/nexthop.js';
import type { Engine, FamilyApi } from '../engine.js';
import { type BuildContext, type FamilyDescriptor, devIndex } from '../family.js';
import type { LinkRef } from '../link-spec.js';
import {
  type NexthopBucketFilter, type NexthopFlushFilter, type NexthopListFilter, type NexthopObjectInput,
  nexthopBucketGetRequest, nexthopBucketListRequest, nexthopGetRequest, nexthopListRequest, nexthopRequest,
} from '../nexthops.js';
import type { Resolve } from '../name-cache.js';
import { checkIfname } from '../../rtnl/codecs.js';

/** What each change verb takes (batch verbs are derived from it). */
export type NexthopInputs = { add: NexthopObjectInput; replace: NexthopObjectInput; delete: number | { id: number } };

function checkObject<T>(v: T, path: string, what: string): T & object {
  if (v === null || typeof v !== 'object') throw new EncodeError(path, `expected ${what}, got ${describe(v)}`);
  return v;
}

/** A device named in the input resolved to its index (the key keeps its place: attributes follow the keys' order). */
function withIndex(nh: NexthopObjectInput, ctx: BuildContext): NexthopObjectInput<number> {
  checkObject(nh, 'nexthop', 'a nexthop');
  return { ...nh, dev: devIndex(nh.dev, ctx, 'nexthop.dev') };
}

/** A filter's device name → index. */
async function linkIndex(ref: LinkRef | undefined, path: string, resolve: Resolve): Promise<number | undefined> {
  if (ref === undefined || typeof ref === 'number') return ref;
  return resolve(checkIfname(ref, path));
}

/** The nexthop family's descriptor (RTM_*NEXTHOP): `nl.nexthop`'s verbs, its events and batch verbs derive from it (`ip nexthop`). */
export const nexthopFamily: FamilyDescriptor<NexthopObject, 'nexthop', 'list' | 'stream' | 'get' | 'add' | 'replace' | 'delete' | 'flush', NexthopInputs, NexthopListFilter, number> = {
  kind: 'nexthop',
  schema: nexthopMessage,
  getType: R.RTM_GETNEXTHOP,
  verbs: ['list', 'stream', 'get', 'add', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWNEXTHOP,
  delType: R.RTM_DELNEXTHOP,
  groups: [R.RTNLGRP_NEXTHOP],
  decode: decodeNexthopObject,
  // The id is the nexthop: replace changes one in place under the same id.
  key: (nh) => String(nh.id),
  dump: [nexthopListRequest()],
  change: {
    build: {
      add: (nh, ctx) => nexthopRequest('add', withIndex(nh, ctx)),
      replace: (nh, ctx) => nexthopRequest('replace', withIndex(nh, ctx)),
      delete: (id) => nexthopRequest('delete', id),
    },
    // Routes using a deleted nexthop go with it.
    absent: { delete: (id) => `nexthop ${typeof id === 'number' ? id : id?.id}` },
    // An unknown device name is the lookup's own NetlinkError (ENODEV), as docs/errors.md says.
    nameError: (err) => err,
  },
  // `ip nexthop show`'s selectors: device, master, groups and fdb are kernel-side, the protocol is filtered here, as ip does.
  async dumpFilter(filter = {}, { resolve }) {
    checkObject(filter, 'nexthop', 'a filter');
    const dev = await linkIndex(filter.dev, 'nexthop.dev', resolve);
    const master = await linkIndex(filter.master, 'nexthop.master', resolve);
    const req = nexthopListRequest({ ...filter, dev, master });
    if (filter.protocol === undefined) return { req };
    const protocol = routeProtocols.encode(filter.protocol, 'nexthop.protocol');
    return { req, keep: (nh) => routeProtocols.encode(nh.protocol, 'nexthop.protocol') === protocol };
  },
  // `ip nexthop get id N`; ENOENT when there is none.
  get: { noun: 'nexthop', request: (id) => nexthopGetRequest(id) },
};

/** The verbs only nexthops have. */
export function nexthopVerbs(e: Engine<NexthopObject, NexthopInputs, NexthopListFilter, number>) {
  const sock = e.deps.sock;
  return {
    /**
     * Deletes nexthops like `ip nexthop flush`: the ones the filter lists (with
     * no kernel-side filter: groups first, then the rest, as ip does, so no
     * group is left pointing at nothing in between). Returns how many were
     * deleted; nexthops gone meanwhile (a group's member went with it) do not count.
     */
    async flush(filter: NexthopFlushFilter = {}): Promise<number> {
      const all = filter.dev === undefined && filter.master === undefined && !filter.groups && !filter.fdb;
      let deleted = 0;
      for (const pass of all ? [{ ...filter, groups: true }, filter] : [filter]) {
        const ids: number[] = [];
        for (const nh of await e.list(pass)) if (nh.id !== undefined && (!filter.where || filter.where(nh))) ids.push(nh.id);
        if (!ids.length) continue;
        const r = await sock.batch(ids.map((id) => nexthopRequest('delete', id)));
        const failed = r.errors.filter((err) => err.code !== 'ENOENT');
        if (failed.length) throw failed[0];
        deleted += ids.length - r.errors.length;
      }
      return deleted;
    },
    /** The buckets of resilient groups (`ip nexthop bucket show`). */
    async buckets(filter: NexthopBucketFilter = {}): Promise<NexthopBucket[]> {
      const dev = await linkIndex(filter.dev, 'nexthop.dev', e.deps.resolve);
      const master = await linkIndex(filter.master, 'nexthop.master', e.deps.resolve);
      return sock.dump(nexthopBucketListRequest({ ...filter, dev, master }), decodeNexthopObject);
    },
    /** One bucket of a resilient group (`ip nexthop bucket get id ID index N`). */
    async bucket(id: number, index: number): Promise<NexthopBucket> {
      const [b] = await sock.request({ ...nexthopBucketGetRequest(id, index), expectReply: true }, decodeNexthopObject);
      if (!b) throw new Error(`nexthop bucket get id ${id} index ${index}: the kernel sent no bucket`);
      return b;
    },
  };
}

/** `nl.nexthop`: the verbs derived from the descriptor, flush and buckets. */
export type NexthopApi = FamilyApi<typeof nexthopFamily, ReturnType<typeof nexthopVerbs>>;
