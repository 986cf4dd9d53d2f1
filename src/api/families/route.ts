// The route family (docs/architecture.md, "The family descriptor"): its
// messages, its builders (friendly RouteInput → request), its dump filter and
// the verbs only routes have (append, prepend, change by iproute2's word,
// flush). The client's and batches' verbs are derived from it (api/engine.ts).
import { AF_UNSPEC } from '../../generated/libc/socket.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { EncodeError, NetlinkError } from '../../netlink/errors.js';
import type { Decoder, Request } from '../../netlink/request.js';
import { type AddressFamily, type RouteProtocol, type RouteTable, type RouteType, type ScopeInput, addressFamilies, routeTables, routeTypes, scopes } from '../../rtnl/names.js';
import {
  type IfindexOf, type LinkRef, type RouteInput, type RouteOp, type RouteQuery, routeMessageOf, routeOps, routeQueryOf,
} from '../../rtnl/route-input.js';
import { type Route, type RouteMessageInput as RouteMessage, decodeRoute, routeMessage } from '../../rtnl/route.js';
import { type Engine, type FamilyApi, resolvedBuild } from '../engine.js';
import { type BuildContext, type ChangeOps, type FamilyDescriptor, byFamily } from '../family.js';
import { flushDumped, headerFieldAt } from '../flush.js';
import { type NameLookup, ifindexVia, pureContext } from '../link-refs.js';
import { checked, checkedRequest, schemaRequest } from '../requests.js';

export type { RouteMessage };

/** @deprecated The old name of RouteMessage (docs/architecture.md, "Naming rule"); it goes in the next release. */
export type RouteMessageInput = RouteMessage;

/** Decodes a route message into a {@link Route}. */
export const routeDecoder: Decoder<Route> = decodeRoute;

function describeRoute(m: RouteMessage): string {
  const dst = m.dst === undefined ? (m.dstLen ? `0/${m.dstLen}` : 'default') : `${m.dst}/${m.dstLen}`;
  return m.table !== undefined ? `${dst} table ${m.table}` : dst;
}

/** A request carrying an already built route message. */
export function routeMessageRequest(type: number, flags: number, msg: RouteMessage, operation: string, expectReply = false): Request {
  return schemaRequest(routeMessage, type, flags, msg, operation, expectReply);
}

/** Encodes the message once: what only the encoder checks (a weight, a u8) fails now. */
export const checkedRoute = (msg: RouteMessage): RouteMessage => checked(routeMessage, msg);

function requestOf(op: RouteOp, msg: RouteMessage): Request {
  const { type, flags } = routeOps[op];
  return routeMessageRequest(type, flags, msg, `route ${op} ${describeRoute(msg)}`);
}

/** The builder of every change verb (iproute2's words, and `delete`). */
const change = (op: RouteOp) => (route: RouteInput, ctx: BuildContext): Request => requestOf(op, routeMessageOf(op, route, ctx.ifindex));

/**
 * The request for one route change, built and checked now (an EncodeError
 * naming the field for bad input). Interface names need `ifindex`.
 */
export function routeRequest(op: RouteOp, route: RouteInput, opts: { ifindex?: NameLookup } = {}): Request {
  // The builder checks the input and names a verb it does not know; a verb that is not one of ours fails the same way.
  const build = Object.hasOwn(routeChanges.build, op) ? routeChanges.build[op] : change(op);
  return checkedRequest(build(route, pureContext(opts.ifindex)));
}

/** The request for a route lookup (`ip route get`). */
export function routeGetRequest(query: RouteQuery, opts: { ifindex?: NameLookup } = {}): Request {
  const msg = checkedRoute(routeQueryOf(query, ifindexVia(opts.ifindex)));
  return routeMessageRequest(R.RTM_GETROUTE, 0, msg, `route get ${query.dst}`, true);
}

/** What `nl.route.list()` keeps: by family, table, protocol, device, type or scope; cloned (cached) routes. */
export interface RouteListFilter {
  /** inet or inet6 (default: every family). Kernel-side. */
  family?: AddressFamily;
  /** A table id or name, or 'all' (the default). Kernel-side. */
  table?: RouteTable | 'all';
  /** Only routes installed by this protocol. Kernel-side. */
  protocol?: RouteProtocol;
  /** Only routes through this interface. Kernel-side. */
  dev?: LinkRef;
  /** Only routes of this type (the kernel does not filter dumps by type). */
  type?: RouteType;
  /** Only routes of this scope (filtered here). */
  scope?: ScopeInput;
  /** The route cache / exceptions instead of the routes (RTM_F_CLONED). */
  cloned?: boolean;
  /** A table that does not exist: an empty list (the default), or the kernel's ENOENT as `ip route show table N` reports it. */
  missingTable?: 'empty' | 'error';
}

/** The dump request message of a route listing (also what `ip route save` dumps: route-save.ts). */
export function dumpMessage(filter: RouteListFilter, ifindex: IfindexOf): RouteMessage {
  if (filter === null || typeof filter !== 'object') throw new EncodeError('filter', 'expected a filter object');
  const msg: RouteMessage = { family: filter.family === undefined ? AF_UNSPEC : addressFamilies.encode(filter.family, 'filter.family') };
  if (filter.protocol !== undefined) msg.protocol = filter.protocol;
  if (filter.cloned) msg.flags = R.RTM_F_CLONED;
  if (filter.table !== undefined && filter.table !== 'all') {
    const t = routeTables.encode(filter.table, 'filter.table');
    if (!Number.isInteger(t) || t < 0 || t > 0xffffffff) throw new EncodeError('filter.table', `table id ${t} is not 0..4294967295`);
    msg.table = t;
  }
  if (filter.dev !== undefined) msg.oif = ifindex(filter.dev, 'filter.dev');
  return msg;
}

/** A table that does not exist holds no routes. */
const noTable = (msg: RouteMessage) => (err: unknown): boolean => err instanceof NetlinkError && err.code === 'ENOENT' && msg.table !== undefined;

/** The builders of every change a batch offers: iproute2's words, and `delete`. */
export type RouteInputs = Record<RouteOp | 'delete', RouteInput>;

/** The builders of every change verb (batches offer each), and what a delete's refusal names. */
export const routeChanges: ChangeOps<RouteInputs> = {
  build: {
    add: change('add'), change: change('change'), replace: change('replace'), prepend: change('prepend'),
    append: change('append'), test: change('test'), del: change('del'), delete: change('del'),
  },
  absent: { del: () => 'route', delete: () => 'route' },
};

/** The route family's descriptor (RTM_*ROUTE): `nl.route`'s verbs, its events and batch verbs derive from it. */
export const routeFamily: FamilyDescriptor<Route, 'route', 'list' | 'stream' | 'get' | 'add' | 'replace' | 'delete' | 'flush', RouteInputs, RouteListFilter, RouteQuery> = {
  kind: 'route',
  schema: routeMessage,
  getType: R.RTM_GETROUTE,
  verbs: ['list', 'stream', 'get', 'add', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWROUTE,
  delType: R.RTM_DELROUTE,
  groups: [R.RTNLGRP_IPV4_ROUTE, R.RTNLGRP_IPV6_ROUTE],
  groupOf: (r) => byFamily(r.family, R.RTNLGRP_IPV4_ROUTE, R.RTNLGRP_IPV6_ROUTE),
  decode: decodeRoute,
  // What the kernel replaces in place: a route is its table, prefixes, tos and metric.
  key: (r) => [r.family, r.table, r.dst, r.dstLen, r.src, r.srcLen, r.tos, r.priority].join('|'),
  dump: [routeMessageRequest(R.RTM_GETROUTE, 0, { family: AF_UNSPEC }, 'route show', true)],
  volatile: ['cacheinfo'],
  change: routeChanges,
  // Filtered in the kernel by family, table, protocol and device (strict checking); by type and scope here.
  async dumpFilter(filter = {}, { resolve }) {
    const msg = await resolvedBuild((ctx) => checkedRoute(dumpMessage(filter, ctx.ifindex)), resolve);
    const type = filter.type === undefined ? undefined : routeTypes.decode(routeTypes.encode(filter.type, 'type'));
    const scope = filter.scope === undefined ? undefined : scopes.decode(scopes.encode(filter.scope, 'scope'));
    const req = routeMessageRequest(R.RTM_GETROUTE, 0, msg, 'route show', true);
    return {
      req, empty: filter.missingTable === 'error' ? undefined : noTable(msg),
      keep: type === undefined && scope === undefined ? undefined : (r) => (type === undefined || r.type === type) && (scope === undefined || r.scope === scope),
    };
  },
  get: {
    noun: 'route',
    request: (query, ctx) => routeMessageRequest(R.RTM_GETROUTE, 0, routeQueryOf(query, ctx.ifindex), `route get ${query.dst}`, true),
  },
};

/** The verbs only routes have. */
export function routeVerbs(e: Engine<Route, RouteInputs, RouteListFilter, RouteQuery>) {
  return {
    /** Adds a route after the existing ones with the same destination (IPv6: adds a path). */
    append: (route: RouteInput): Promise<void> => e.run('append', route),
    /** Adds a route before the existing ones with the same destination. */
    prepend: (route: RouteInput): Promise<void> => e.run('prepend', route),
    /** The same as delete(), by iproute2's name; kept as an alias. */
    del: (route: RouteInput): Promise<void> => e.run('del', route),
    /** Any change by iproute2's verb (add, change, replace, prepend, append, test, del). */
    change: (op: RouteOp, route: RouteInput): Promise<void> => e.run(op, route),
    /**
     * Deletes the routes a listing with this filter would show, like `ip
     * route flush` (table main unless told otherwise), and that `where`
     * accepts (each is decoded for it): one dump, each route sent back as a
     * delete, pipelined. Returns how many were deleted.
     */
    async flush(filter: RouteListFilter & { where?: (r: Route) => boolean } = {}): Promise<number> {
      const f = { ...filter, table: filter.table ?? 'main' };
      const msg = await resolvedBuild((ctx) => checkedRoute(dumpMessage(f, ctx.ifindex)), e.deps.resolve);
      const type = f.type === undefined ? undefined : routeTypes.encode(f.type, 'type');
      const scope = f.scope === undefined ? undefined : scopes.encode(f.scope, 'scope');
      const [typeAt, scopeAt] = [headerFieldAt(R.rtmsg, 'rtm_type'), headerFieldAt(R.rtmsg, 'rtm_scope')];
      const where = f.where;
      try {
        return await flushDumped(e.deps.sock, routeMessageRequest(R.RTM_GETROUTE, 0, msg, 'route flush', true), {
          deleteType: R.RTM_DELROUTE, gone: ['ESRCH'],
          keep: type === undefined && scope === undefined && where === undefined ? undefined
            : (buf, start) => (type === undefined || buf[start + typeAt] === type) && (scope === undefined || buf[start + scopeAt] === scope)
              && (where === undefined || where(decodeRoute(buf, start, buf.readUInt32LE(start)))),
        });
      } catch (err) {
        if (noTable(msg)(err)) return 0;
        throw err;
      }
    },
  };
}

/** `nl.route`: the verbs derived from the descriptor, and the route-only ones. */
export type RouteApi = FamilyApi<typeof routeFamily, ReturnType<typeof routeVerbs>>;
