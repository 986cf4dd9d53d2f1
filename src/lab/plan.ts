// A valid description as an ordered list of steps, each with the step that
// undoes it. Pure data: nothing here touches the system, and every name in a
// step is the name on the system (prefixes applied). The order is the order
// of dependencies: namespaces, bridges, veth pairs, ports, sysctls,
// addresses, links up (lo too), routes, qdiscs, DNS files.
//
// Most steps need no undo of their own: what they made goes when its
// namespace (or its root-namespace link) is deleted, and `removedWith` says
// which. Consecutive steps with the same `batch` key may be sent together.
import type { NftDocument } from '../nft/document.js';
import { firewallDocument } from './firewall.js';
import { parseIP, parsePrefix } from '../netlink/ip.js';
import type { BridgeSpec, LabDescription, LabQdiscSpec, LabVlanSpec, RouteSpec, SysctlValue, TapSpec, VethEnd } from './description.js';
import { LabNames, type NsKey, defaultPrefix, nsLabel } from './names.js';
import { type Iface, Topology } from './topology.js';

/** What every link the lab makes has: its name, and optionally its MTU, MAC address and alias. */
export interface LinkOptions {
  name: string;
  mtu?: number;
  mac?: string;
  /** Set on root-namespace links: the lab's mark (names.ts). */
  alias?: string;
}

/** A link the lab makes: a veth pair, a bridge or a tap. */
export type LinkAdd =
  | (LinkOptions & { kind: 'bridge'; vlanFiltering?: boolean })
  | (LinkOptions & { kind: 'veth'; peer: LinkOptions & { ns: NsKey } })
  | (LinkOptions & { kind: 'tap'; owner?: number; group?: number; multiQueue?: boolean; vnetHdr?: boolean });

/** An address the lab adds to a link. */
export interface AddressAdd {
  dev: string;
  /** "address/length" */
  address: string;
  /** IPv6: skip duplicate address detection, so the address is usable at once. */
  nodad?: boolean;
}

/** A route the lab adds. */
export interface RouteAdd {
  family: 4 | 6;
  /** A prefix: "0.0.0.0/0" for an IPv4 default route. */
  to: string;
  via?: string;
  dev?: string;
  metric?: number;
  src?: string;
}

/** The resolv.conf and hosts a lab writes under /etc/netns/<namespace>. */
export interface DnsFiles {
  /** Contents of /etc/netns/<ns>/resolv.conf, when the lab sets one. */
  resolvConf?: string;
  /** Contents of /etc/netns/<ns>/hosts, when the lab sets one. */
  hosts?: string;
}

/** One change; `ns` is the namespace's name on the system, null for the root namespace. */
export type LabOp =
  | { op: 'netns.add'; ns: string }
  | { op: 'netns.del'; ns: string }
  | { op: 'link.add'; ns: NsKey; link: LinkAdd }
  | { op: 'link.del'; ns: NsKey; name: string }
  | { op: 'link.master'; ns: NsKey; name: string; master: string }
  /** `bridge vlan add dev DEV vid VID [pvid] [untagged] [self]`: self for the bridge's own VLANs. */
  | { op: 'vlan.add'; ns: NsKey; dev: string; vlan: LabVlanSpec; self?: boolean }
  | { op: 'link.up'; ns: NsKey; name: string }
  | { op: 'sysctl.set'; ns: string; key: string; value: string }
  | { op: 'addr.add'; ns: NsKey; address: AddressAdd }
  | { op: 'route.add'; ns: NsKey; route: RouteAdd }
  | { op: 'qdisc.add'; ns: NsKey; dev: string; qdisc: LabQdiscSpec }
  | { op: 'firewall.apply'; ns: string; doc: NftDocument }
  | { op: 'dns.write'; ns: string; files: DnsFiles }
  | { op: 'dns.remove'; ns: string }
  // Only apply() (apply.ts) takes these: undoing or changing a part of a lab that is up.
  | { op: 'addr.del'; ns: NsKey; address: AddressAdd }
  | { op: 'route.del'; ns: NsKey; route: RouteAdd }
  | { op: 'qdisc.del'; ns: NsKey; dev: string }
  /** `tc qdisc change`: new options for the root qdisc of the same kind, nothing else touched. */
  | { op: 'qdisc.change'; ns: NsKey; dev: string; qdisc: LabQdiscSpec };

/** One step of a lab's plan: the changes it makes and what it owns after. */
export interface Step {
  /** 1-based position in the plan. */
  n: number;
  op: LabOp;
  /** What takes this step back, or null when something else removes what it made. */
  undo: LabOp | null;
  /** When undo is null: what removes it ("namespace pair-red", "link bridge-br0"). */
  removedWith?: string;
  /** Consecutive steps with the same key may go in one batch. */
  batch?: string;
  /** For people: "add 10.0.0.1/24 to veth-red in pair-red". */
  what: string;
  /** Where in the description it comes from. */
  source: string;
}

/** What the lab owns on the system, by name: what down() removes. */
export interface Owned {
  namespaces: string[];
  rootLinks: string[];
  /** Namespaces whose /etc/netns/<ns> files the lab wrote. */
  dns: string[];
}

/** The steps that build a lab, in order, and what the lab owns when they are done. */
export interface Plan {
  names: LabNames;
  steps: Step[];
  owned: Owned;
}

export function labNames(lab: LabDescription): LabNames {
  return new LabNames(lab.name, lab.prefix ?? defaultPrefix(lab.name));
}

export function sysctlText(v: SysctlValue): string {
  return typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
}

/** The sysctls a namespace gets: forwarding first, then its own (which win). */
export function sysctlsOf(lab: LabDescription, topo: Topology, ns: string): Map<string, string> {
  const spec = lab.namespaces.find((n) => n.name === ns)!;
  const out = new Map<string, string>();
  if (spec.forwarding) {
    out.set('net.ipv4.ip_forward', '1');
    if (topo.in(ns).some((i) => i.addresses.some((a) => a.prefix.family === 6))) out.set('net.ipv6.conf.all.forwarding', '1');
  }
  for (const [k, v] of Object.entries(spec.sysctls ?? {})) out.set(k, sysctlText(v));
  return out;
}

/** A route with its destination as a prefix and its family decided. */
export function routeAdd(r: RouteSpec, names: LabNames, ns: NsKey): RouteAdd {
  const viaFamily = r.via === undefined ? undefined : parseIP(r.via, '').length === 4 ? 4 : 6;
  const to = r.to === 'default' ? (viaFamily === 6 ? '::/0' : '0.0.0.0/0') : r.to;
  const p = parsePrefix(to, '');
  const out: RouteAdd = { family: p.family, to: `${p.address}/${p.length}` };
  if (r.via !== undefined) out.via = parseIP(r.via, '').length === 4 ? r.via : r.via.toLowerCase();
  if (r.dev !== undefined) out.dev = names.link(ns, r.dev);
  if (r.metric !== undefined) out.metric = r.metric;
  if (r.src !== undefined) out.src = r.src;
  return out;
}

export function dnsFiles(lab: LabDescription, ns: string): DnsFiles | undefined {
  const dns = lab.namespaces.find((n) => n.name === ns)?.dns;
  if (!dns) return undefined;
  const mark = `# written by netlink-ts lab ${lab.name}\n`;
  const files: DnsFiles = {};
  if (dns.nameservers?.length || dns.search?.length) {
    files.resolvConf = mark + (dns.nameservers ?? []).map((a) => `nameserver ${a}\n`).join('') +
      (dns.search?.length ? `search ${dns.search.join(' ')}\n` : '');
  }
  if (dns.hosts) {
    files.hosts = `${mark}127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n` +
      Object.entries(dns.hosts).map(([name, addr]) => `${addr}\t${name}\n`).join('');
  }
  return files.resolvConf === undefined && files.hosts === undefined ? undefined : files;
}

/** Turns a valid description into its steps. */
export function makePlan(lab: LabDescription): Plan {
  const names = labNames(lab);
  const topo = new Topology(lab);
  const steps: Step[] = [];
  const owned: Owned = { namespaces: [], rootLinks: [], dns: [] };
  const where = (ns: NsKey) => (ns === null ? 'the root namespace' : names.namespace(ns));
  // Steps are made phase by phase (the order of dependencies); within a phase
  // they are grouped by namespace, so that each namespace's share is one batch.
  const order = new Map<NsKey, number>([[null, -1], ...lab.namespaces.map((n, i): [NsKey, number] => [names.namespace(n.name), i])]);
  let phase: Omit<Step, 'n'>[] = [];
  const push = (s: Omit<Step, 'n'>) => phase.push(s);
  const endPhase = () => {
    const sorted = phase.map((s, i) => ({ s, i })).sort((x, y) => order.get(x.s.op.ns)! - order.get(y.s.op.ns)! || x.i - y.i);
    for (const { s } of sorted) steps.push({ n: steps.length + 1, ...s });
    phase = [];
  };
  /** What deletes a thing made in ns, or on the interface i. */
  const holder = (ns: NsKey, i?: Iface) =>
    ns !== null ? `namespace ${names.namespace(ns)}` : `link ${names.link(null, i!.name)}`;
  const linkOpts = (i: Iface): LinkOptions => {
    const o: LinkOptions = { name: names.link(i.ns, i.name) };
    if (i.spec.mtu !== undefined) o.mtu = i.spec.mtu;
    if (i.spec.mac !== undefined) o.mac = i.spec.mac;
    if (i.ns === null) o.alias = names.alias;
    return o;
  };

  lab.namespaces.forEach((ns, k) => {
    const real = names.namespace(ns.name);
    owned.namespaces.push(real);
    push({ op: { op: 'netns.add', ns: real }, undo: { op: 'netns.del', ns: real }, what: `create namespace ${real}`, source: `namespaces[${k}]` });
  });
  endPhase();

  // Bridges before the veths whose ends are their ports.
  for (const i of topo.ifaces.filter((x) => x.kind === 'bridge')) {
    const ns = names.ns(i.ns);
    const link: LinkAdd = { kind: 'bridge', ...linkOpts(i), ...((i.spec as BridgeSpec).vlanFiltering ? { vlanFiltering: true } : {}) };
    if (i.ns === null) owned.rootLinks.push(link.name);
    push({
      op: { op: 'link.add', ns, link }, ...(i.ns === null ? { undo: { op: 'link.del', ns, name: link.name } } : { undo: null, removedWith: holder(i.ns) }),
      batch: `links ${nsLabel(ns)}`, what: `create bridge ${link.name} in ${where(i.ns)}`, source: i.key,
    });
  }
  for (const end of topo.ifaces.filter((x) => x.kind === 'veth' && x.key.endsWith('.a'))) {
    // Made from the root namespace when an end is there: the pairs of a root
    // bridge then go in one batch.
    const other = topo.byKey.get(end.peer!)!;
    const [a, b] = other.ns === null && end.ns !== null ? [other, end] : [end, other];
    const ns = names.ns(a.ns);
    const link: LinkAdd = { kind: 'veth', ...linkOpts(a), peer: { ...linkOpts(b), ns: names.ns(b.ns) } };
    for (const e of [a, b]) if (e.ns === null) owned.rootLinks.push(names.link(null, e.name));
    // Deleting either end deletes the pair; a root end must be deleted by name,
    // an end in a lab namespace goes with the namespace.
    const rootEnd = a.ns === null ? a : b.ns === null ? b : undefined;
    push({
      op: { op: 'link.add', ns, link },
      ...(rootEnd ? { undo: { op: 'link.del', ns: null, name: names.link(null, rootEnd.name) } } : { undo: null, removedWith: holder(a.ns) }),
      batch: `links ${nsLabel(ns)}`,
      what: `create veth pair ${link.name} (${where(a.ns)}) ⇄ ${link.peer.name} (${where(b.ns)})`,
      source: a.key.slice(0, -2),
    });
  }
  for (const i of topo.ifaces.filter((x) => x.kind === 'tap')) {
    const ns = names.ns(i.ns);
    const t = i.spec as TapSpec;
    const link: LinkAdd = { kind: 'tap', ...linkOpts(i) };
    if (t.owner !== undefined) link.owner = t.owner;
    if (t.group !== undefined) link.group = t.group;
    if (t.multiQueue !== undefined) link.multiQueue = t.multiQueue;
    if (t.vnetHdr !== undefined) link.vnetHdr = t.vnetHdr;
    if (i.ns === null) owned.rootLinks.push(link.name);
    push({
      op: { op: 'link.add', ns, link }, ...(i.ns === null ? { undo: { op: 'link.del', ns, name: link.name } } : { undo: null, removedWith: holder(i.ns) }),
      batch: `taps ${nsLabel(ns)}`, what: `create tap ${link.name} in ${where(i.ns)}`, source: i.key,
    });
  }
  endPhase();
  for (const i of topo.ifaces.filter((x) => x.master !== undefined)) {
    const br = topo.byKey.get(i.master!)!;
    const ns = names.ns(i.ns);
    const name = names.link(i.ns, i.name);
    const master = names.link(br.ns, br.name);
    push({ op: { op: 'link.master', ns, name, master }, undo: null, removedWith: holder(i.ns, i), batch: `master ${nsLabel(ns)}`, what: `make ${name} a port of ${master} in ${where(i.ns)}`, source: `${i.key}.bridge` });
  }
  endPhase();
  for (const i of topo.ifaces) {
    const list = i.kind === 'bridge' ? (i.spec as BridgeSpec).vlans : i.master !== undefined ? (i.spec as VethEnd).vlans : undefined;
    const ns = names.ns(i.ns);
    const dev = names.link(i.ns, i.name);
    (list ?? []).forEach((vlan, j) => push({
      op: { op: 'vlan.add', ns, dev, vlan, ...(i.kind === 'bridge' ? { self: true } : {}) }, undo: null, removedWith: holder(i.ns, i), batch: `vlan ${nsLabel(ns)}`,
      what: `add VLAN ${vlan.vid}${vlan.pvid ? ' pvid' : ''}${vlan.untagged ? ' untagged' : ''} to ${dev} in ${where(i.ns)}`, source: `${i.key}.vlans[${j}]`,
    }));
  }
  endPhase();
  lab.namespaces.forEach((spec, k) => {
    const ns = names.namespace(spec.name);
    for (const [key, value] of sysctlsOf(lab, topo, spec.name)) {
      const source = spec.sysctls?.[key] !== undefined ? `namespaces[${k}].sysctls["${key}"]` : `namespaces[${k}].forwarding`;
      push({ op: { op: 'sysctl.set', ns, key, value }, undo: null, removedWith: `namespace ${ns}`, batch: `sysctl ${ns}`, what: `set ${key}=${value} in ${ns}`, source });
    }
  });
  endPhase();
  for (const i of topo.ifaces) {
    const ns = names.ns(i.ns);
    const dev = names.link(i.ns, i.name);
    for (const a of i.addresses) {
      const address: AddressAdd = { dev, address: `${a.prefix.address}/${a.prefix.length}` };
      if (a.prefix.family === 6) address.nodad = true;
      push({ op: { op: 'addr.add', ns, address }, undo: null, removedWith: holder(i.ns, i), batch: `addr ${nsLabel(ns)}`, what: `add ${address.address} to ${dev} in ${where(i.ns)}`, source: a.path });
    }
  }
  endPhase();
  lab.namespaces.forEach((ns, k) => {
    if (ns.loopback === false) return;
    const real = names.namespace(ns.name);
    push({ op: { op: 'link.up', ns: real, name: 'lo' }, undo: null, removedWith: `namespace ${real}`, batch: `up ${real}`, what: `bring up lo in ${real}`, source: `namespaces[${k}].loopback` });
  });
  for (const i of [...topo.ifaces.filter((x) => x.kind === 'bridge'), ...topo.ifaces.filter((x) => x.kind !== 'bridge')]) {
    if (!i.up) continue;
    const ns = names.ns(i.ns);
    const name = names.link(i.ns, i.name);
    push({ op: { op: 'link.up', ns, name }, undo: null, removedWith: holder(i.ns, i), batch: `up ${nsLabel(ns)}`, what: `bring up ${name} in ${where(i.ns)}`, source: i.key });
  }
  endPhase();
  lab.namespaces.forEach((spec, k) => {
    const ns = names.namespace(spec.name);
    (spec.routes ?? []).forEach((r, j) => {
      const route = routeAdd(r, names, spec.name);
      const text = `${r.to}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.metric !== undefined ? ` metric ${r.metric}` : ''}`;
      push({ op: { op: 'route.add', ns, route }, undo: null, removedWith: `namespace ${ns}`, batch: `route ${ns}`, what: `add route ${text} in ${ns}`, source: `namespaces[${k}].routes[${j}]` });
    });
  });
  endPhase();
  for (const i of topo.ifaces) {
    if (!i.spec.qdisc) continue;
    const ns = names.ns(i.ns);
    const dev = names.link(i.ns, i.name);
    push({ op: { op: 'qdisc.add', ns, dev, qdisc: i.spec.qdisc }, undo: null, removedWith: holder(i.ns, i), batch: `qdisc ${nsLabel(ns)}`, what: `add ${i.spec.qdisc.kind} qdisc to ${dev} in ${where(i.ns)}`, source: `${i.key}.qdisc` });
  }
  endPhase();
  lab.namespaces.forEach((spec, k) => {
    if (!spec.firewall) return;
    const ns = names.namespace(spec.name);
    push({ op: { op: 'firewall.apply', ns, doc: firewallDocument(spec.firewall) }, undo: null, removedWith: `namespace ${ns}`, what: `apply the firewall of ${ns} (nftables)`, source: `namespaces[${k}].firewall` });
  });
  endPhase();
  lab.namespaces.forEach((spec, k) => {
    const files = dnsFiles(lab, spec.name);
    if (!files) return;
    const ns = names.namespace(spec.name);
    owned.dns.push(ns);
    const which = [files.resolvConf !== undefined ? 'resolv.conf' : '', files.hosts !== undefined ? 'hosts' : ''].filter(Boolean).join(' and ');
    push({ op: { op: 'dns.write', ns, files }, undo: { op: 'dns.remove', ns }, what: `write /etc/netns/${ns}/${which.includes(' and ') ? `{${which.replace(' and ', ',')}}` : which}`, source: `namespaces[${k}].dns` });
  });
  endPhase();
  return { names, steps, owned };
}

/**
 * The steps down() takes: every undo, last step first. Each removal is one
 * that does nothing when its object is already gone.
 */
export function teardown(plan: Plan): LabOp[] {
  return plan.steps.slice().reverse().flatMap((s) => (s.undo ? [s.undo] : []));
}
