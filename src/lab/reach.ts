// Which namespaces should reach which addresses, worked out from the
// description alone: follow the packet from the source through each
// namespace's routing table (connected subnets of its up links, then its
// routes, longest prefix first), across wires (a veth pair, a bridge), through
// namespaces that forward, to the one that owns the address; then the reply
// back to the source address the same way.
//
// Linux answers ARP for any of its addresses on any interface (arp_ignore=0),
// but neighbour solicitations only on the interface that has the address.
// The root namespace is modelled by its lab links only and as not forwarding.
import { type FirewallSpec, chainAllows } from './firewall.js';
import { type Prefix, formatIP, parseIP, parsePrefix } from '../netlink/ip.js';
import type { LabDescription } from './description.js';
import { type NsKey, nsLabel } from './names.js';
import { sysctlsOf } from './plan.js';
import { subnetKey, subnetText } from './subnet.js';

/** An address as a map key: IPv4 as a number, IPv6 as hex (no allocation for IPv4, millions of lookups). */
type AddrKey = number | string;

function addrKey(b: Buffer): AddrKey {
  return b.length === 4 ? b.readUInt32BE(0) : b.toString('hex');
}

/** The key of the subnet of `length` bits that holds b (within one table of that length). */
function subnetOf(b: Buffer, length: number): AddrKey {
  if (b.length === 4) return length === 0 ? 0 : (b.readUInt32BE(0) & (-1 << (32 - length))) >>> 0;
  return subnetKey(b, length);
}
import { type Iface, Topology } from './topology.js';

/** An address a namespace may try to reach: which namespace and link it belongs to. */
export interface Target {
  /** Canonical address text. */
  address: string;
  family: 4 | 6;
  /** Lab name of the namespace that has it (null: root). */
  ns: NsKey;
  /** Lab name of the interface it is on. */
  dev: string;
  /** Where it is described. */
  source: string;
}

/** Whether a namespace should reach a target, and why (the route it takes, or what stops it). */
export interface Expectation {
  reach: boolean;
  /** Namespaces the request passes, from the source to the owner (lab names). */
  hops: NsKey[];
  /** Why not, when it should not reach. */
  reason?: string;
}

interface Route {
  prefix: Prefix;
  dev: Iface;
  via?: Buffer;
  src?: Buffer;
  metric: number;
}

/** A namespace's routes by destination subnet, the best (lowest metric, then first) for each; longest prefixes first. */
interface RouteTable {
  /** Per address size (4 or 16 bytes): for each prefix length in use, longest first, the routes by subnet. */
  bySize: Map<number, { length: number; routes: Map<AddrKey, Route> }[]>;
}

/**
 * Who answers for an address on one wire: by address, the first two
 * namespaces (in the wire's order) that do — ARP for any address of the
 * namespace, NDP only for the interface's own. Two are enough to find the
 * first that is not the asking namespace.
 */
type WireIndex = Map<AddrKey, NsKey[]>;

export class ReachModel {
  readonly topo: Topology;
  private readonly wires: Map<string, number>;
  private readonly routes = new Map<NsKey, RouteTable>();
  private readonly wireIndex = new Map<number, WireIndex>();
  private readonly specs: Map<string, LabDescription['namespaces'][number]>;
  /** Addresses by namespace, and by interface key. */
  private readonly nsAddrs = new Map<NsKey, Set<AddrKey>>();
  private readonly ifAddrs = new Map<string, Set<AddrKey>>();
  /** Up interfaces by wire. */
  private readonly onWire = new Map<number, Iface[]>();
  private readonly forwarding = new Map<NsKey, { 4: boolean; 6: boolean }>();

  constructor(readonly lab: LabDescription) {
    this.topo = new Topology(lab);
    this.wires = this.topo.segments(true);
    this.specs = new Map(lab.namespaces.map((n) => [n.name, n]));
    for (const ns of this.topo.namespaces) {
      this.routes.set(ns, this.routesOf(ns));
      this.nsAddrs.set(ns, new Set());
      const s = ns === null ? undefined : sysctlsOf(lab, this.topo, ns);
      this.forwarding.set(ns, { 4: s?.get('net.ipv4.ip_forward') === '1', 6: s?.get('net.ipv6.conf.all.forwarding') === '1' });
    }
    for (const i of this.topo.ifaces) {
      const set = new Set(i.addresses.map((a) => addrKey(a.prefix.bytes)));
      this.ifAddrs.set(i.key, set);
      for (const a of set) this.nsAddrs.get(i.ns)!.add(a);
      if (!i.up) continue;
      const w = this.wires.get(i.key)!;
      const on = this.onWire.get(w);
      if (on) on.push(i);
      else this.onWire.set(w, [i]);
    }
  }

  private routesOf(ns: NsKey): RouteTable {
    const ifaces = this.topo.in(ns).filter((i) => i.up);
    const out: Route[] = [];
    for (const i of ifaces) for (const a of i.addresses) out.push({ prefix: a.prefix, dev: i, src: a.prefix.bytes, metric: 0 });
    const connected: RouteTable = this.table(out);
    const spec = ns === null ? undefined : this.specs.get(ns);
    for (const r of spec?.routes ?? []) {
      const via = r.via === undefined ? undefined : parseIP(r.via, '');
      const to = r.to === 'default' ? (via?.length === 16 ? '::/0' : '0.0.0.0/0') : r.to;
      const prefix = parsePrefix(to, '');
      // The gateway's link: the first up link with a subnet holding it (as the validator requires).
      const dev = r.dev !== undefined ? ifaces.find((i) => i.name === r.dev)
        : via === undefined ? undefined : this.firstLinkFor(connected, via);
      if (!dev) continue; // its link is down: the kernel would not use it
      const route: Route = { prefix, dev, metric: r.metric ?? 0 };
      if (via) route.via = via;
      if (r.src !== undefined) route.src = parseIP(r.src, '');
      out.push(route);
    }
    return this.table(out);
  }

  /** Routes indexed by subnet; for one subnet the lowest metric wins, then the first. */
  private table(routes: Route[]): RouteTable {
    const bySize = new Map<number, Map<number, Map<AddrKey, Route>>>();
    for (const r of routes) {
      let byLength = bySize.get(r.prefix.bytes.length);
      if (!byLength) bySize.set(r.prefix.bytes.length, byLength = new Map());
      let map = byLength.get(r.prefix.length);
      if (!map) byLength.set(r.prefix.length, map = new Map());
      const key = subnetOf(r.prefix.bytes, r.prefix.length);
      const had = map.get(key);
      if (!had || r.metric < had.metric) map.set(key, r);
    }
    return {
      bySize: new Map([...bySize].map(([size, byLength]) => [size, [...byLength].sort(([a], [b]) => b - a).map(([length, m]) => ({ length, routes: m }))])),
    };
  }

  /** The first interface (description order) with a connected subnet that holds addr. */
  private firstLinkFor(connected: RouteTable, addr: Buffer): Iface | undefined {
    let best: Iface | undefined;
    let bestAt = Infinity;
    for (const { length, routes } of connected.bySize.get(addr.length) ?? []) {
      const r = routes.get(subnetOf(addr, length));
      // Several links can hold it only on subnets the validator refuses; the earliest link, as a scan would find.
      const at = r ? this.topo.ifaces.indexOf(r.dev) : Infinity;
      if (r && at < bestAt) {
        best = r.dev;
        bestAt = at;
      }
    }
    return best;
  }

  /** Every address of the lab, in description order. */
  targets(): Target[] {
    return this.topo.ifaces.flatMap((i) => i.addresses.map((a) => ({
      address: a.prefix.address, family: a.prefix.family, ns: i.ns, dev: i.name, source: a.path,
    })));
  }

  /**
   * Whether ns has the address (on interface `on` only, when given). A
   * link the lab leaves down still has its local route (both families: it
   * was never up).
   */
  private owns(ns: NsKey, addr: AddrKey, on?: Iface): boolean {
    return (on ? this.ifAddrs.get(on.key) : this.nsAddrs.get(ns))?.has(addr) ?? false;
  }

  private forwards(ns: NsKey, family: 4 | 6): boolean {
    return this.forwarding.get(ns)?.[family] ?? false;
  }

  /** Longest prefix first, then the lowest metric: one map lookup per prefix length in use. */
  private lookup(ns: NsKey, dst: Buffer): Route | undefined {
    for (const { length, routes } of this.routes.get(ns)?.bySize.get(dst.length) ?? []) {
      const r = routes.get(subnetOf(dst, length));
      if (r) return r;
    }
    return undefined;
  }

  private wireIndexOf(wire: number): WireIndex {
    let index = this.wireIndex.get(wire);
    if (index) return index;
    index = new Map();
    const note = (addr: AddrKey, ns: NsKey) => {
      const list = index!.get(addr);
      if (!list) index!.set(addr, [ns]);
      else if (list.length < 2 && list[0] !== ns) list.push(ns);
    };
    for (const i of this.onWire.get(wire) ?? []) {
      // ARP (IPv4): any address of the namespace; NDP (IPv6): only the interface's own.
      for (const a of this.nsAddrs.get(i.ns) ?? []) if (typeof a === 'number') note(a, i.ns);
      for (const a of this.ifAddrs.get(i.key) ?? []) if (typeof a === 'string') note(a, i.ns);
    }
    this.wireIndex.set(wire, index);
    return index;
  }

  /** The namespace on the wire of `dev` that answers for `addr`, if any: the first in the wire's order, not dev's own. */
  private neighbour(dev: Iface, addr: AddrKey): NsKey | undefined {
    const found = this.wireIndexOf(this.wires.get(dev.key)!).get(addr);
    return found?.find((ns) => ns !== dev.ns);
  }

  /** Follows a packet from ns to dst; the source address it would carry comes back too. */
  /** The interface of `ns` on the wire of `dev` (where a packet sent through dev comes in). */
  private ifaceOn(ns: NsKey, dev: Iface): Iface | undefined {
    const wire = this.wires.get(dev.key);
    return this.topo.in(ns).find((i) => this.wires.get(i.key) === wire);
  }

  private firewallOf(ns: NsKey): FirewallSpec | undefined {
    return ns === null ? undefined : this.specs.get(ns)?.firewall;
  }

  /**
   * Follows a packet from ns to dst. A request (reply false) meets the
   * firewalls on its way: input where it ends, forward where it is routed,
   * and masquerade, which gives it the outgoing interface's address; an
   * answer (reply true) is part of a connection they let through.
   */
  walk(from: NsKey, dst: Buffer, reply = false): Expectation & { src?: Buffer; owner?: NsKey } {
    const family = dst.length === 4 ? 4 : 6;
    const dstKey = addrKey(dst);
    const hops: NsKey[] = [from];
    let src: Buffer | undefined;
    let cur = from;
    for (let n = 0; n < 64; n++) { // Linux's default TTL and hop limit
      if (this.owns(cur, dstKey)) {
        const out: Expectation & { src?: Buffer; owner?: NsKey } = { reach: true, hops, owner: cur };
        if (src) out.src = src;
        return out;
      }
      const r = this.lookup(cur, dst);
      if (!r) return { reach: false, hops, reason: `${nsLabel(cur)} has no route to ${formatIP(dst)}` };
      if (!src) {
        src = r.src ?? r.dev.addresses.find((a) => a.prefix.family === family)?.prefix.bytes ??
          this.topo.in(cur).flatMap((i) => i.addresses).find((a) => a.prefix.family === family)?.prefix.bytes;
        if (!src) return { reach: false, hops, reason: `${nsLabel(cur)} has no IPv${family} address to send from` };
      }
      const hop = r.via ?? dst;
      const next = this.neighbour(r.dev, r.via ? addrKey(r.via) : dstKey);
      if (next === undefined) {
        return { reach: false, hops, reason: `no one on the wire of ${r.dev.name} in ${nsLabel(cur)} answers for ${formatIP(hop)}${r.via ? '' : ` (route ${subnetText(r.prefix)})`}` };
      }
      hops.push(next);
      const fw = reply ? undefined : this.firewallOf(next);
      const inIf = fw ? this.ifaceOn(next, r.dev)?.name : undefined;
      if (this.owns(next, dstKey)) {
        if (fw && !chainAllows(fw.input, inIf)) return { reach: false, hops, reason: `the firewall of ${nsLabel(next)} drops it (input from ${inIf})` };
        return { reach: true, hops, src, owner: next };
      }
      if (!this.forwards(next, family)) return { reach: false, hops, reason: `${nsLabel(next)} does not forward IPv${family}` };
      if (fw) {
        const out = this.lookup(next, dst);
        if (out && !chainAllows(fw.forward, inIf, out.dev.name)) {
          return { reach: false, hops, reason: `the firewall of ${nsLabel(next)} drops it (forward from ${inIf} to ${out.dev.name})` };
        }
        // Masqueraded: the far end sees (and answers) the router's address on the way out.
        const own = out && family === 4 && fw.masquerade?.includes(out.dev.name) ? out.dev.addresses.find((a) => a.prefix.family === 4) : undefined;
        if (own) src = own.prefix.bytes;
      }
      if (hops.indexOf(next) !== hops.length - 1) return { reach: false, hops, reason: `routing loop through ${nsLabel(next)}` };
      cur = next;
    }
    return { reach: false, hops, reason: 'more than 64 hops: the TTL runs out' };
  }

  private readonly addressCache = new Map<string, Buffer>();

  private parsed(address: string): Buffer {
    let b = this.addressCache.get(address);
    if (!b) this.addressCache.set(address, b = parseIP(address, ''));
    return b;
  }

  /** Should a request from `from` to `target` get its answer back? */
  expect(from: NsKey, target: Target): Expectation {
    const dst = this.parsed(target.address);
    if (this.owns(from, addrKey(dst))) {
      const spec = from === null ? undefined : this.specs.get(from);
      return spec?.loopback === false ? { reach: false, hops: [from], reason: `lo is down in ${nsLabel(from)}` } : { reach: true, hops: [from] };
    }
    const there = this.walk(from, dst);
    if (!there.reach) return { reach: false, hops: there.hops, ...(there.reason ? { reason: there.reason } : {}) };
    const back = this.walk(there.owner!, there.src!, true);
    if (!back.reach) return { reach: false, hops: there.hops, reason: `the answer does not come back: ${back.reason}` };
    return { reach: true, hops: there.hops };
  }
}


/** Which namespace should reach which address, read from the description alone (routes, forwarding, firewalls). */
export interface ExpectedMatrix {
  sources: NsKey[];
  targets: Target[];
  /** cells[i][j]: from sources[i] to targets[j]. */
  cells: Expectation[][];
}

/** What a lab's description says about reachability, without building it. */
export function expectedMatrix(lab: LabDescription): ExpectedMatrix {
  const m = new ReachModel(lab);
  const targets = m.targets();
  // A namespace without addresses (a switch that only holds a bridge) sends nothing.
  const owners = new Set(targets.map((t) => t.ns));
  const sources = m.topo.namespaces.filter((ns) => owners.has(ns));
  return { sources, targets, cells: sources.map((s) => targets.map((t) => m.expect(s, t))) };
}
