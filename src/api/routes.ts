// The typed verbs for routes, and the pure request builders under them (for
// callers that send many requests in one batch).
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { RTM_DELROUTE, RTM_F_CLONED, RTM_GETROUTE, rtmsg } from '../generated/linux/rtnetlink.js';
import { flushDumped, headerFieldAt } from './flush.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { type AddressFamily, type RouteProtocol, type RouteTable, type RouteType, type ScopeInput, addressFamilies, routeTables, routeTypes, scopes } from '../rtnl/names.js';
import {
  type IfindexOf, type LinkRef, type RouteInput, type RouteOp, type RouteQuery, routeMessageOf, routeOps, routeQueryOf,
} from '../rtnl/route-input.js';
import { type Route, type RouteMessageInput, decodeRoute, routeMessage } from '../rtnl/route.js';
import type { Decoder, Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';
import { type NameLookup, ifindexVia, withIndexes } from './link-refs.js';
import { deleting } from './not-found.js';
import { type Resolve, retryStale } from './name-cache.js';
import { checked, schemaRequest } from './requests.js';

export const routeDecoder: Decoder<Route> = decodeRoute;

function describeRoute(m: RouteMessageInput): string {
  const dst = m.dst === undefined ? (m.dstLen ? `0/${m.dstLen}` : 'default') : `${m.dst}/${m.dstLen}`;
  return m.table !== undefined ? `${dst} table ${m.table}` : dst;
}

/** A request carrying an already built route message. */
export function routeMessageRequest(type: number, flags: number, msg: RouteMessageInput, operation: string, expectReply = false): Request {
  return schemaRequest(routeMessage, type, flags, msg, operation, expectReply);
}

/** Encodes the message once: what only the encoder checks (a weight, a u8) fails now. */
export const checkedRoute = (msg: RouteMessageInput): RouteMessageInput => checked(routeMessage, msg);

/**
 * The request for one route change, built and checked now (an EncodeError
 * naming the field for bad input). Interface names need `ifindex`.
 */
export function routeRequest(op: RouteOp, route: RouteInput, opts: { ifindex?: NameLookup } = {}): Request {
  return requestOf(op, checkedRoute(routeMessageOf(op, route, ifindexVia(opts.ifindex))));
}

function requestOf(op: RouteOp, msg: RouteMessageInput): Request {
  const { type, flags } = routeOps[op];
  return routeMessageRequest(type, flags, msg, `route ${op} ${describeRoute(msg)}`);
}

/** The request for a route lookup (`ip route get`). */
export function routeGetRequest(query: RouteQuery, opts: { ifindex?: NameLookup } = {}): Request {
  const msg = checkedRoute(routeQueryOf(query, ifindexVia(opts.ifindex)));
  return routeMessageRequest(RTM_GETROUTE, 0, msg, `route get ${query.dst}`, true);
}

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
}

export class RouteApi {
  constructor(private readonly sock: Requester, private readonly resolve: Resolve) {}

  /** Routes, filtered in the kernel by family, table, protocol and device (strict checking). */
  async list(filter: RouteListFilter = {}): Promise<Route[]> {
    const msg = await withIndexes((ifindex) => checkedRoute(dumpMessage(filter, ifindex)), this.resolve);
    const req = routeMessageRequest(RTM_GETROUTE, 0, msg, 'route show', true);
    let routes: Route[];
    try {
      routes = await this.sock.dump(req, routeDecoder);
    } catch (err) {
      // A table that does not exist holds no routes.
      if (err instanceof NetlinkError && err.code === 'ENOENT' && msg.table !== undefined) return [];
      throw err;
    }
    const type = filter.type === undefined ? undefined : routeTypes.decode(routeTypes.encode(filter.type, 'type'));
    const scope = filter.scope === undefined ? undefined : scopes.decode(scopes.encode(filter.scope, 'scope'));
    if (type === undefined && scope === undefined) return routes;
    return routes.filter((r) => (type === undefined || r.type === type) && (scope === undefined || r.scope === scope));
  }

  /**
   * Routes as they are read, datagram by datagram: memory stays flat however
   * large the table (list() holds them all). Same filters as list().
   */
  async *stream(filter: RouteListFilter = {}): AsyncGenerator<Route> {
    const msg = await withIndexes((ifindex) => checkedRoute(dumpMessage(filter, ifindex)), this.resolve);
    const type = filter.type === undefined ? undefined : routeTypes.decode(routeTypes.encode(filter.type, 'type'));
    const scope = filter.scope === undefined ? undefined : scopes.decode(scopes.encode(filter.scope, 'scope'));
    try {
      for await (const r of this.sock.dumpStream(routeMessageRequest(RTM_GETROUTE, 0, msg, 'route show', true), routeDecoder)) {
        if ((type === undefined || r.type === type) && (scope === undefined || r.scope === scope)) yield r;
      }
    } catch (err) {
      if (err instanceof NetlinkError && err.code === 'ENOENT' && msg.table !== undefined) return;
      throw err;
    }
  }

  /**
   * Deletes the routes a listing with this filter would show, like `ip
   * route flush` (table main unless told otherwise), and that `where`
   * accepts (each is decoded for it): one dump, each route sent back as a
   * delete, pipelined. Returns how many were deleted.
   */
  async flush(filter: RouteListFilter & { where?: (r: Route) => boolean } = {}): Promise<number> {
    const f = { ...filter, table: filter.table ?? 'main' };
    const msg = await withIndexes((ifindex) => checkedRoute(dumpMessage(f, ifindex)), this.resolve);
    const type = f.type === undefined ? undefined : routeTypes.encode(f.type, 'type');
    const scope = f.scope === undefined ? undefined : scopes.encode(f.scope, 'scope');
    const [typeAt, scopeAt] = [headerFieldAt(rtmsg, 'rtm_type'), headerFieldAt(rtmsg, 'rtm_scope')];
    const where = f.where;
    try {
      return await flushDumped(this.sock, routeMessageRequest(RTM_GETROUTE, 0, msg, 'route flush', true), {
        deleteType: RTM_DELROUTE, gone: ['ESRCH'],
        keep: type === undefined && scope === undefined && where === undefined ? undefined
          : (buf, start) => (type === undefined || buf[start + typeAt] === type) && (scope === undefined || buf[start + scopeAt] === scope)
            && (where === undefined || where(routeDecoder(buf, start, buf.readUInt32LE(start))!)),
      });
    } catch (err) {
      if (err instanceof NetlinkError && err.code === 'ENOENT' && msg.table !== undefined) return 0;
      throw err;
    }
  }

  /** Looks a destination up like `ip route get`: the route the kernel would use, with from/iif/oif/mark. */
  async get(query: RouteQuery): Promise<Route> {
    const [route] = await retryStale(this.resolve, async (resolve) => {
      const msg = await withIndexes((ifindex) => checkedRoute(routeQueryOf(query, ifindex)), resolve);
      return this.sock.request(routeMessageRequest(RTM_GETROUTE, 0, msg, `route get ${query.dst}`, true), routeDecoder);
    });
    if (!route) throw new Error(`route get ${query.dst}: the kernel sent no route`);
    return route;
  }

  /** Adds a route; EEXIST when it exists. */
  add(route: RouteInput): Promise<void> { return this.change('add', route); }
  /** Adds or replaces a route. */
  replace(route: RouteInput): Promise<void> { return this.change('replace', route); }
  /** Adds a route after the existing ones with the same destination (IPv6: adds a path). */
  append(route: RouteInput): Promise<void> { return this.change('append', route); }
  /** Adds a route before the existing ones with the same destination. */
  prepend(route: RouteInput): Promise<void> { return this.change('prepend', route); }
  /** Deletes a route; a NetlinkError ESRCH when there is no such route. */
  delete(route: RouteInput): Promise<void> { return this.change('del', route); }
  /** The same as delete(), by iproute2's name; kept as an alias. */
  del(route: RouteInput): Promise<void> { return this.change('del', route); }

  /** Any change by iproute2's verb (add, change, replace, prepend, append, test, del). */
  async change(op: RouteOp, route: RouteInput): Promise<void> {
    await retryStale(this.resolve, async (resolve) => {
      const msg = await withIndexes((ifindex) => checkedRoute(routeMessageOf(op, route, ifindex)), resolve);
      const send = (): Promise<unknown> => this.sock.request(requestOf(op, msg));
      await (op === 'del' ? deleting('route', send) : send());
    });
  }
}

/** The dump request message of a route listing (also what `ip route save` dumps: route-save.ts). */
export function dumpMessage(filter: RouteListFilter, ifindex: IfindexOf): RouteMessageInput {
  if (filter === null || typeof filter !== 'object') throw new EncodeError('filter', 'expected a filter object');
  const msg: RouteMessageInput = { family: filter.family === undefined ? AF_UNSPEC : addressFamilies.encode(filter.family, 'filter.family') };
  if (filter.protocol !== undefined) msg.protocol = filter.protocol;
  if (filter.cloned) msg.flags = RTM_F_CLONED;
  if (filter.table !== undefined && filter.table !== 'all') {
    const t = routeTables.encode(filter.table, 'filter.table');
    if (!Number.isInteger(t) || t < 0 || t > 0xffffffff) throw new EncodeError('filter.table', `table id ${t} is not 0..4294967295`);
    msg.table = t;
  }
  if (filter.dev !== undefined) msg.oif = ifindex(filter.dev, 'filter.dev');
  return msg;
}
