// The client users open: one rtnetlink socket and the typed verbs on it.
//
//   await using nl = await Rtnl.open();
//   for (const link of await nl.link.list()) console.log(link.index, link.name);
import { Batch } from './api/batch.js';
import { type BridgeApi, bridgeFamilies, bridgePortVerbs } from './api/families/bridge.js';
import { mdbVerbs } from './api/families/mdb.js';
import { type EngineDeps, familyApi } from './api/engine.js';
import { type AddressApi, addressVerbs } from './api/families/address.js';
import type { ClassApi } from './api/families/class.js';
import type { FilterApi } from './api/families/filter.js';
import type { ChainApi } from './api/families/chain.js';
import { families } from './api/families/index.js';
import { type LinkApi, linkVerbs } from './api/families/link.js';
import { type NeighbourApi, neighbourVerbs } from './api/families/neighbour.js';
import { type QdiscApi, qdiscVerbs } from './api/families/qdisc.js';
import { type RouteApi, routeVerbs } from './api/families/route.js';
import { type RuleApi, ruleVerbs } from './api/families/rule.js';
import type { LinkRef } from './api/link-spec.js';
import { NsidApi } from './api/nsid.js';
import { type NexthopApi, nexthopVerbs } from './api/families/nexthop.js';
import type { NetconfApi } from './api/families/netconf.js';
import { type AddrlabelApi, addrlabelVerbs } from './api/families/addrlabel.js';
import type { NtableApi } from './api/families/ntable.js';
import type { StatsApi } from './api/families/stats.js';
import { Monitor, type MonitorOptions } from './events/monitor.js';
import { EncodeError } from './netlink/errors.js';
import { NameCache, type Resolve, cachingResolve } from './api/name-cache.js';
import { NetlinkSocket, type Requester, type SocketOptions } from './socket/netlink-socket.js';
import type { RequestOptions } from './socket/request-options.js';
import { withRequestOptions } from './socket/request-view.js';

/**
 * How to open a client: the socket's options (namespace, receive buffer, transport) and the request defaults (timeoutMs, signal).
 */
export interface RtnlOptions extends SocketOptions {}

/**
 * An rtnetlink client: one NETLINK_ROUTE socket and the typed verbs of every family on it
 * (`nl.link`, `nl.addr`, `nl.route`, `nl.neigh`, `nl.rule`, `nl.qdisc`, `nl.class`, `nl.filter`...).
 * Open it with {@link Rtnl.open} or {@link Rtnl.openSync}; close it with `close()` or `using`.
 */
export class Rtnl {
  readonly socket: NetlinkSocket;
  readonly link: LinkApi;
  readonly addr: AddressApi;
  readonly route: RouteApi;
  readonly nsid: NsidApi;
  readonly nexthop: NexthopApi;
  readonly netconf: NetconfApi;
  readonly addrlabel: AddrlabelApi;
  readonly ntable: NtableApi;
  readonly stats: StatsApi;
  readonly neigh: NeighbourApi;
  readonly rule: RuleApi;
  readonly qdisc: QdiscApi;
  readonly class: ClassApi;
  readonly filter: FilterApi;
  /** Filter chains: `tc chain add|del|show`. */
  readonly chain: ChainApi;
  /** `bridge fdb|link|vlan` (docs/bridge.md). */
  readonly bridge: BridgeApi;

  /** Whether close() closes the socket: false for a view made by with(). */
  private readonly owner: boolean;
  /** What the verbs send their requests through: the socket, or a view of it that adds options. */
  private readonly requester: Requester;

  private constructor(socket: NetlinkSocket, private readonly opts: RtnlOptions, requester?: Requester, private readonly names = new NameCache()) {
    this.socket = socket;
    this.owner = requester === undefined;
    const sock = this.requester = requester ?? socket;
    const resolve: Resolve = cachingResolve((ref) => this.ifindex(ref), names);
    // Every family's verbs come from its descriptor (api/families/) through the verb engine.
    const deps: EngineDeps = {
      sock, resolve, names,
      nameOf: async (i) => (await this.link.get(i)).name ?? String(i),
      linkIndexes: async () => (await this.link.list()).map((l) => l.index),
    };
    const none = (): object => ({});
    this.link = familyApi(families.link, deps, linkVerbs);
    this.addr = familyApi(families.address, deps, addressVerbs);
    this.route = familyApi(families.route, deps, routeVerbs);
    this.nsid = new NsidApi(sock);
    this.neigh = familyApi(families.neigh, deps, neighbourVerbs);
    this.rule = familyApi(families.rule, deps, ruleVerbs);
    this.qdisc = familyApi(families.qdisc, deps, qdiscVerbs);
    this.class = familyApi(families.class, deps, none);
    this.filter = familyApi(families.filter, deps, none);
    this.chain = familyApi(families.chain, deps, none);
    this.bridge = {
      fdb: familyApi(bridgeFamilies.fdb, deps, none),
      link: familyApi(bridgeFamilies.link, deps, bridgePortVerbs),
      vlan: familyApi(bridgeFamilies.vlan, deps, none),
      mdb: familyApi(bridgeFamilies.mdb, deps, mdbVerbs),
    };
    this.nexthop = familyApi(families.nexthop, deps, nexthopVerbs);
    this.netconf = familyApi(families.netconf, deps, none);
    this.addrlabel = familyApi(families.addrlabel, deps, addrlabelVerbs);
    this.ntable = familyApi(families.ntable, deps, none);
    this.stats = familyApi(families.stats, deps, none);
  }

  /**
   * The same client, with options for every request its verbs make, the
   * name lookups they do included:
   *   await nl.with({ signal: ac.signal, timeoutMs: 2000 }).link.list();
   * A view: it shares this client's socket, and its close() leaves the
   * socket open, and its name cache. The client's own defaults are `Rtnl.open({ timeoutMs, signal })`.
   */
  with(opts: RequestOptions): Rtnl {
    return new Rtnl(this.socket, this.opts, withRequestOptions(this.requester, opts), this.names);
  }

  /** Opens a client on a new NETLINK_ROUTE socket. */
  static async open(opts: RtnlOptions = {}): Promise<Rtnl> {
    return Rtnl.openSync(opts);
  }

  /** Opens a client on a new NETLINK_ROUTE socket, synchronously (the socket is ready when it returns). */
  static openSync(opts: RtnlOptions = {}): Rtnl {
    return new Rtnl(NetlinkSocket.open(opts), opts);
  }

  /**
   * A batch of changes of any family, sent pipelined by commit():
   *   const b = nl.batch(); b.route.add({ dst, dev: 'eth0' }); const r = await b.commit();
   */
  batch(): Batch {
    return new Batch({ socket: this.requester, linkNames: async () => new Map((await this.link.list()).map((l) => [l.name ?? '', l.index])) });
  }

  /**
   * Resolves a link name to its index (an index is returned as it is). A
   * name is asked of the kernel once and then remembered by this client (see
   * docs/architecture.md, "The name cache"); verbs that used a remembered
   * index and are refused with ENODEV look the name up again and retry once.
   */
  async ifindex(ref: LinkRef): Promise<number> {
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref <= 0) throw new EncodeError('link', `${ref} is not an interface index`);
      return ref;
    }
    const cached = this.names.get(ref);
    if (cached !== undefined) return cached;
    const { index } = await this.link.get(ref);
    this.names.set(ref, index);
    return index;
  }

  /**
   * Watches changes (multicast groups named as `ip monitor` names them) on
   * sockets of its own, in the same namespace as this client.
   *
   *   for await (const ev of nl.monitor({ groups: ['link', 'address'], list: true })) ...
   */
  monitor(opts: MonitorOptions = {}): Monitor {
    const { transport: _t, groups: _g, netns, netnsFd, ...base } = this.opts;
    if (netns === undefined && netnsFd === undefined) return new Monitor((o) => NetlinkSocket.open({ ...base, ...o }), opts);
    // Another namespace: the monitor's sockets go where this client's socket lives, asked of the socket
    // itself when the monitor starts. The reference the client was opened with may name another
    // namespace by now (a name deleted or made again, an fd closed and its number reused).
    let ns: { fd: number; close(): void } | undefined;
    return new Monitor({
      start: () => { ns = this.socket.openNetns(); },
      open: (o) => NetlinkSocket.open({ ...base, ...o, netnsFd: ns!.fd }),
      stop: () => { ns?.close(); ns = undefined; },
    }, opts);
  }

  /** Closes the client's socket (a view made by `with()` leaves it open). */
  close(): void {
    if (this.owner) this.socket.close();
  }

  /** Closes the client: `using nl = Rtnl.openSync()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes the client: `await using nl = await Rtnl.open()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
