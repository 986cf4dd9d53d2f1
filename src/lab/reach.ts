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
import { type Prefix, formatIP, parseIP, parsePrefix } from '../netlink/ip.js';
import type { LabDescription } from './description.js';
import { type NsKey, nsLabel } from './names.js';
import { sysctlsOf } from './plan.js';
import { contains, subnetText } from './subnet.js';
import { type Iface, Topology } from './topology.js';

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

export class ReachModel {
  readonly topo: Topology;
  private readonly wires: Map<string, number>;
  private readonly routes = new Map<NsKey, Route[]>();
  /** Addresses (hex) by namespace, and by interface key. */
  private readonly nsAddrs = new Map<NsKey, Set<string>>();
  private readonly ifAddrs = new Map<string, Set<string>>();
  /** Up interfaces by wire. */
  private readonly onWire = new Map<number, Iface[]>();
  private readonly forwarding = new Map<NsKey, { 4: boolean; 6: boolean }>();

  constructor(readonly lab: LabDescription) {
    this.topo = new Topology(lab);
    this.wires = this.topo.segments(true);
    for (const ns of this.topo.namespaces) {
      this.routes.set(ns, this.routesOf(ns));
      this.nsAddrs.set(ns, new Set());
      const s = ns === null ? undefined : sysctlsOf(lab, this.topo, ns);
      this.forwarding.set(ns, { 4: s?.get('net.ipv4.ip_forward') === '1', 6: s?.get('net.ipv6.conf.all.forwarding') === '1' });
    }
    for (const i of this.topo.ifaces) {
      const set = new Set(i.addresses.map((a) => a.prefix.bytes.toString('hex')));
      this.ifAddrs.set(i.key, set);
      for (const a of set) this.nsAddrs.get(i.ns)!.add(a);
      if (!i.up) continue;
      const w = this.wires.get(i.key)!;
      this.onWire.set(w, [...(this.onWire.get(w) ?? []), i]);
    }
  }

  private routesOf(ns: NsKey): Route[] {
    const ifaces = this.topo.in(ns).filter((i) => i.up);
    const out: Route[] = [];
    for (const i of ifaces) for (const a of i.addresses) out.push({ prefix: a.prefix, dev: i, src: a.prefix.bytes, metric: 0 });
    const spec = ns === null ? undefined : this.lab.namespaces.find((n) => n.name === ns);
    for (const r of spec?.routes ?? []) {
      const via = r.via === undefined ? undefined : parseIP(r.via, '');
      const to = r.to === 'default' ? (via?.length === 16 ? '::/0' : '0.0.0.0/0') : r.to;
      const prefix = parsePrefix(to, '');
      const dev = r.dev !== undefined ? ifaces.find((i) => i.name === r.dev)
        : ifaces.find((i) => via !== undefined && i.addresses.some((a) => contains(a.prefix, via)));
      if (!dev) continue; // its link is down: the kernel would not use it
      const route: Route = { prefix, dev, metric: r.metric ?? 0 };
      if (via) route.via = via;
      if (r.src !== undefined) route.src = parseIP(r.src, '');
      out.push(route);
    }
    return out;
  }

  /** Every address of the lab, in description order. */
  targets(): Target[] {
    return this.topo.ifaces.flatMap((i) => i.addresses.map((a) => ({
      address: a.prefix.address, family: a.prefix.family, ns: i.ns, dev: i.name, source: a.path,
    })));
  }

  /**
   * Whether ns has addr (on interface `on` only, when given). A link the lab
   * leaves down still has its local route (both families: it was never up).
   */
  private owns(ns: NsKey, addr: Buffer, on?: Iface): boolean {
    return (on ? this.ifAddrs.get(on.key) : this.nsAddrs.get(ns))?.has(addr.toString('hex')) ?? false;
  }

  private forwards(ns: NsKey, family: 4 | 6): boolean {
    return this.forwarding.get(ns)?.[family] ?? false;
  }

  private lookup(ns: NsKey, dst: Buffer): Route | undefined {
    let best: Route | undefined;
    for (const r of this.routes.get(ns) ?? []) {
      if (!contains(r.prefix, dst)) continue;
      if (!best || r.prefix.length > best.prefix.length || (r.prefix.length === best.prefix.length && r.metric < best.metric)) best = r;
    }
    return best;
  }

  /** The namespace on the wire of `dev` that answers for `addr`, if any. */
  private neighbour(dev: Iface, addr: Buffer): NsKey | undefined {
    for (const i of this.onWire.get(this.wires.get(dev.key)!) ?? []) {
      if (i.ns === dev.ns) continue;
      // ARP: any address of the namespace; NDP: only the interface's own.
      if (addr.length === 4 ? this.owns(i.ns, addr) : this.owns(i.ns, addr, i)) return i.ns;
    }
    return undefined;
  }

  /** Follows a packet from ns to dst; the source address it would carry comes back too. */
  walk(from: NsKey, dst: Buffer): Expectation & { src?: Buffer; owner?: NsKey } {
    const family = dst.length === 4 ? 4 : 6;
    const text = formatIP(dst);
    const hops: NsKey[] = [from];
    let src: Buffer | undefined;
    let cur = from;
    for (let n = 0; n < 64; n++) { // Linux's default TTL and hop limit
      if (this.owns(cur, dst)) {
        const out: Expectation & { src?: Buffer; owner?: NsKey } = { reach: true, hops, owner: cur };
        if (src) out.src = src;
        return out;
      }
      const r = this.lookup(cur, dst);
      if (!r) return { reach: false, hops, reason: `${nsLabel(cur)} has no route to ${text}` };
      if (!src) {
        src = r.src ?? r.dev.addresses.find((a) => a.prefix.family === family)?.prefix.bytes ??
          this.topo.in(cur).flatMap((i) => i.addresses).find((a) => a.prefix.family === family)?.prefix.bytes;
        if (!src) return { reach: false, hops, reason: `${nsLabel(cur)} has no IPv${family} address to send from` };
      }
      const hop = r.via ?? dst;
      const next = this.neighbour(r.dev, hop);
      if (next === undefined) {
        return { reach: false, hops, reason: `no one on the wire of ${r.dev.name} in ${nsLabel(cur)} answers for ${formatIP(hop)}${r.via ? '' : ` (route ${subnetText(r.prefix)})`}` };
      }
      hops.push(next);
      if (this.owns(next, dst)) return { reach: true, hops, src, owner: next };
      if (!this.forwards(next, family)) return { reach: false, hops, reason: `${nsLabel(next)} does not forward IPv${family}` };
      if (hops.indexOf(next) !== hops.length - 1) return { reach: false, hops, reason: `routing loop through ${nsLabel(next)}` };
      cur = next;
    }
    return { reach: false, hops, reason: 'more than 64 hops: the TTL runs out' };
  }

  /** Should a request from `from` to `target` get its answer back? */
  expect(from: NsKey, target: Target): Expectation {
    const dst = parseIP(target.address, '');
    if (this.owns(from, dst)) {
      const spec = from === null ? undefined : this.lab.namespaces.find((n) => n.name === from);
      return spec?.loopback === false ? { reach: false, hops: [from], reason: `lo is down in ${nsLabel(from)}` } : { reach: true, hops: [from] };
    }
    const there = this.walk(from, dst);
    if (!there.reach) return { reach: false, hops: there.hops, ...(there.reason ? { reason: there.reason } : {}) };
    const back = this.walk(there.owner!, there.src!);
    if (!back.reach) return { reach: false, hops: there.hops, reason: `the answer does not come back: ${back.reason}` };
    return { reach: true, hops: there.hops };
  }
}


export interface ExpectedMatrix {
  sources: NsKey[];
  targets: Target[];
  /** cells[i][j]: from sources[i] to targets[j]. */
  cells: Expectation[][];
}

export function expectedMatrix(lab: LabDescription): ExpectedMatrix {
  const m = new ReachModel(lab);
  const targets = m.targets();
  // A namespace without addresses (a switch that only holds a bridge) sends nothing.
  const sources = m.topo.namespaces.filter((ns) => targets.some((t) => t.ns === ns));
  return { sources, targets, cells: sources.map((s) => targets.map((t) => m.expect(s, t))) };
}
