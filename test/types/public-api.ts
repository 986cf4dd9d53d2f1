// Compiled by `npm run typecheck` and `npm test` (tsc), never run: the public
// surface as a TypeScript consumer sees it, imported from the package root.
// A verb missing from a family, a widened event type or a group name the type
// no longer checks fails the build.
import {
  type Address, type Filter, type Link, type MonitorEvent, type MonitorGroup, type Neighbour, type Qdisc,
  type Route, type Rule, type TcChain, type TcClass, type Monitor, Rtnl, type NexthopObject, type NexthopBucket, type Netconf, type Addrlabel, type Ntable, type LinkStats,
  type LinkApi, type AddressApi, type RouteApi, type NeighbourApi, type RuleApi, type QdiscApi, type ClassApi, type FilterApi,
  type LinkInput, type LinkMessage, type NeighbourInput, type NeighbourMessage, type RuleInput, type RuleMessage,
  type RouteInput, type RouteMessage, type AddressInput, type AddressMessage, type QdiscInput, type ClassInput, type FilterInput,
  type LinkListFilter, type AddressListFilter, type RouteListFilter, type NeighbourListFilter, type RuleListFilter,
  type QdiscListFilter, type ClassListFilter, type FilterListFilter,
  type NexthopApi, type NetconfApi, type AddrlabelApi, type NtableApi, type StatsApi,
  type BridgeApi, type BridgeFdbApi, type BridgePortApi, type BridgeVlanApi, type BridgeMdbApi, type BridgeLink, type BridgeMdbEntry, type FdbEntry,
} from '../../src/index.js';

type Expect<T extends true> = T;
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;

export async function events(nl: Rtnl): Promise<void> {
  const mon: Monitor = nl.monitor({ groups: ['link', 'address', 'route', 'neigh', 'rule', 'tc', 'nsid'], list: true });
  for await (const ev of mon) {
    const e: MonitorEvent = ev;
    if (e.kind === 'link') { const name: string | undefined = e.object.name; void name; }
    if (e.kind === 'address') { type _ = Expect<Equal<typeof e.object, Address>>; }
    if (e.kind === 'route') { type _ = Expect<Equal<typeof e.object, Route>>; }
    if (e.kind === 'neigh') { type _ = Expect<Equal<typeof e.object, Neighbour>>; }
    if (e.kind === 'nexthop') { type _ = Expect<Equal<typeof e.object, NexthopObject>>; }
    if (e.kind === 'netconf') { type _ = Expect<Equal<typeof e.object, Netconf>>; }
    if (e.kind === 'rule') { type _ = Expect<Equal<typeof e.object, Rule>>; }
    if (e.kind === 'qdisc') { type _ = Expect<Equal<typeof e.object, Qdisc>>; }
    if (e.kind === 'class') { type _ = Expect<Equal<typeof e.object, TcClass>>; }
    if (e.kind === 'filter') { type _ = Expect<Equal<typeof e.object, Filter>>; }
    if (e.kind === 'chain') { type _ = Expect<Equal<typeof e.object, TcChain>>; }
    if (e.kind === 'link') { type _ = Expect<Equal<typeof e.object, Link>>; }
    if (e.kind === 'overrun') { const m: string = e.error.message; void m; }
  }
  const g: MonitorGroup = 'ipv4-route';
  void g;
  // @ts-expect-error: not a group name
  nl.monitor({ groups: ['links'] });
}

/** Every verb of every family, with the input each takes. */
export async function verbs(nl: Rtnl): Promise<void> {
  const links: Link[] = await nl.link.list();
  for await (const l of nl.link.stream()) { const i: number = l.index; void i; }
  await nl.link.get('lo');
  await nl.link.add({ name: 'v0', linkinfo: { kind: 'veth', data: { peer: { name: 'v1' } } } });
  await nl.link.set('v0', { up: true });
  await nl.link.delete('v0');
  await nl.link.del('v0');
  void links;

  const addrs: Address[] = await nl.addr.list({ dev: 'lo' });
  for await (const a of nl.addr.stream()) void a.family;
  await nl.addr.add({ dev: 'lo', address: '198.18.0.1/24' });
  await nl.addr.replace({ dev: 'lo', address: '198.18.0.1/24' });
  await nl.addr.delete({ dev: 'lo', address: '198.18.0.1/24' });
  await nl.addr.del({ dev: 'lo', address: '198.18.0.1/24' });
  const n: number = await nl.addr.flush('lo');
  void addrs; void n;

  const routes: Route[] = await nl.route.list({ table: 'main' });
  for await (const r of nl.route.stream()) void r.dst;
  const r: Route = await nl.route.get({ dst: '198.18.0.1' });
  await nl.route.add({ dst: '198.18.1.0/24', dev: 'lo' });
  await nl.route.replace({ dst: '198.18.1.0/24', dev: 'lo' });
  await nl.route.append({ dst: '198.18.1.0/24', dev: 'lo' });
  await nl.route.prepend({ dst: '198.18.1.0/24', dev: 'lo' });
  await nl.route.delete({ dst: '198.18.1.0/24', dev: 'lo' });
  await nl.route.del({ dst: '198.18.1.0/24', dev: 'lo' });
  await nl.route.flush({ dev: 'lo' });
  void routes; void r;

  const neighs: Neighbour[] = await nl.neigh.list();
  for await (const x of nl.neigh.stream()) void x.ifindex;
  await nl.neigh.get({ dev: 'lo', address: '198.18.0.2' });
  await nl.neigh.add({ dev: 'lo', address: '198.18.0.2', lladdr: '02:00:00:00:00:02' });
  await nl.neigh.change({ dev: 'lo', address: '198.18.0.2', lladdr: '02:00:00:00:00:02' });
  await nl.neigh.replace({ dev: 'lo', address: '198.18.0.2', lladdr: '02:00:00:00:00:02' });
  await nl.neigh.delete({ dev: 'lo', address: '198.18.0.2' });
  await nl.neigh.flush({ dev: 'lo' });
  void neighs;

  const rules: Rule[] = await nl.rule.list();
  for await (const x of nl.rule.stream()) void x.priority;
  await nl.rule.add({ priority: 100, table: 100 });
  await nl.rule.delete({ priority: 100 });
  await nl.rule.flush();
  void rules;

  const qdiscs: Qdisc[] = await nl.qdisc.list();
  for await (const q of nl.qdisc.stream()) void q.kind;
  await nl.qdisc.add({ dev: 'lo', parent: 'root', handle: '1:', kind: 'htb', options: {} });
  await nl.qdisc.change({ dev: 'lo', parent: 'root', handle: '1:', kind: 'htb', options: {} });
  await nl.qdisc.replace({ dev: 'lo', parent: 'root', handle: '1:', kind: 'htb', options: {} });
  await nl.qdisc.delete({ dev: 'lo', parent: 'root', kind: 'htb' });
  void qdiscs;

  const classes: TcClass[] = await nl.class.list({ dev: 'lo' });
  for await (const c of nl.class.stream({ dev: 'lo' })) void c.handle;
  await nl.class.add({ dev: 'lo', parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '1mbit' } });
  await nl.class.change({ dev: 'lo', parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '1mbit' } });
  await nl.class.replace({ dev: 'lo', parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '1mbit' } });
  await nl.class.delete({ dev: 'lo', parent: '1:', classid: '1:1', kind: 'htb' });
  void classes;

  const filters: Filter[] = await nl.filter.list({ dev: 'lo', parent: '1:' });
  for await (const f of nl.filter.stream({ dev: 'lo', parent: '1:' })) void f.kind;
  await nl.filter.add({ dev: 'lo', parent: '1:', protocol: 'ip', priority: 1, kind: 'u32', options: { classid: '1:1', match: [] } });
  await nl.filter.change({ dev: 'lo', parent: '1:', protocol: 'ip', priority: 1, kind: 'u32', options: { classid: '1:1', match: [] } });
  await nl.filter.replace({ dev: 'lo', parent: '1:', protocol: 'ip', priority: 1, kind: 'u32', options: { classid: '1:1', match: [] } });
  await nl.filter.delete({ dev: 'lo', parent: '1:', protocol: 'ip', priority: 1, kind: 'u32' });
  void filters;
  await nl.qdisc.link({ dev: 'lo', parent: 'root', kind: 'htb' });
  const found: Link | undefined = await nl.link.find('lo');
  await nl.link.setUp('lo'); await nl.link.setDown('lo'); await nl.link.setMaster('lo', null);
  await nl.route.change('replace', { dst: '198.18.1.0/24', dev: 'lo' });
  await nl.addr.change('replace', { dev: 'lo', address: '198.18.0.1/24' });
  void found;

  await nl.nsid.list();
  await nl.nsid.set('ns1', 'auto');
  const nsid: number | undefined = await nl.nsid.get('ns1');
  await nl.nsid.names(); await nl.nsid.nameOf(1); await nl.nsid.peerNetns({ linkNetnsid: 1 });
  void nsid;

  const nexthops: NexthopObject[] = await nl.nexthop.list({ dev: 'lo' });
  for await (const n of nl.nexthop.stream()) void n.id;
  await nl.nexthop.get(1);
  await nl.nexthop.add({ id: 1, via: '198.18.0.2', dev: 'lo' });
  await nl.nexthop.replace({ id: 2, group: [{ id: 1, weight: 2 }], type: 'resilient', resilient: { buckets: 8 } });
  await nl.nexthop.delete(1);
  await nl.nexthop.flush();
  const buckets: NexthopBucket[] = await nl.nexthop.buckets({ id: 2 });
  void nexthops; void buckets;

  const netconf: Netconf[] = await nl.netconf.list({ family: 'inet', dev: 'all' });
  await nl.netconf.get({ family: 'inet6', dev: 'lo' });
  void netconf;

  const labels: Addrlabel[] = await nl.addrlabel.list();
  for await (const l of nl.addrlabel.stream()) void l.label;
  await nl.addrlabel.add({ prefix: 'fd00::/64', dev: 'lo', label: 5 });
  await nl.addrlabel.delete({ prefix: 'fd00::/64', dev: 'lo', label: 5 });
  await nl.addrlabel.flush();
  void labels;

  const tables: Ntable[] = await nl.ntable.list({ name: 'arp_cache', dev: 'none' });
  await nl.ntable.change({ name: 'arp_cache', dev: 'lo', parms: { queueLen: 10 } });
  void tables;

  const stats: LinkStats[] = await nl.stats.list({ dev: 'lo', groups: ['link64', 'offload'] });
  void stats;

  const fdb: FdbEntry[] = await nl.bridge.fdb.list({ br: 'br0', state: 'static' });
  await nl.bridge.fdb.add({ lladdr: '02:00:00:00:00:01', dev: 'p0' });
  await nl.bridge.fdb.append({ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '198.18.0.2' });
  await nl.bridge.fdb.replace({ lladdr: '02:00:00:00:00:01', dev: 'p0', master: true });
  await nl.bridge.fdb.delete({ lladdr: '02:00:00:00:00:01', dev: 'p0' });
  const ports: BridgeLink[] = await nl.bridge.link.list();
  await nl.bridge.link.set('p0', { learning: false, cost: 5 });
  const vlans: BridgeLink[] = await nl.bridge.vlan.list();
  await nl.bridge.vlan.add({ dev: 'p0', vid: 10, pvid: true });
  await nl.bridge.vlan.delete({ dev: 'p0', vid: 10 });
  const mdb: BridgeMdbEntry[] = await nl.bridge.mdb.list({ dev: 'br0', vid: 10 });
  await nl.bridge.mdb.add({ dev: 'br0', port: 'p0', grp: '239.1.1.1', permanent: true });
  await nl.bridge.mdb.delete({ dev: 'br0', port: 'p0', grp: '239.1.1.1' });
  void fdb; void ports; void vlans; void mdb;

  // The batch offers the change verbs of each family's descriptor.
  const b = nl.batch();
  b.link.add({ name: 'v0', linkinfo: { kind: 'veth', data: { peer: { name: 'v1' } } } }).link.set('v0', { up: true }).link.delete('v0').link.del('v0');
  b.addr.add({ dev: 1, address: '198.18.0.1/24' }).addr.replace({ dev: 1, address: '198.18.0.1/24' }).addr.delete({ dev: 1, address: '198.18.0.1/24' });
  b.route.add({ dst: '198.18.1.0/24', dev: 1 }).route.replace({ dst: '198.18.1.0/24', dev: 1 }).route.delete({ dst: '198.18.1.0/24', dev: 1 });
  b.neigh.add({ dev: 1, address: '198.18.0.2' }).neigh.change({ dev: 1, address: '198.18.0.2' }).neigh.replace({ dev: 1, address: '198.18.0.2' }).neigh.delete({ dev: 1, address: '198.18.0.2' });
  b.rule.add({ priority: 100, table: 100 }).rule.delete({ priority: 100 });
  b.addrlabel.add({ prefix: 'fd00::/64', label: 5 }).addrlabel.delete({ prefix: 'fd00::/64', label: 5 });
  b.nexthop.add({ id: 1, blackhole: true }).nexthop.replace({ id: 1, dev: 1 }).nexthop.delete(1);
  b.ntable.change({ name: 'arp_cache', thresh1: 128 });
  b.bridge.fdb.add({ lladdr: '02:00:00:00:00:01', dev: 1 }).bridge.fdb.append({ lladdr: '02:00:00:00:00:01', dev: 1 })
    .bridge.fdb.replace({ lladdr: '02:00:00:00:00:01', dev: 1 }).bridge.fdb.delete({ lladdr: '02:00:00:00:00:01', dev: 1 });
  b.bridge.link.set(1, { learning: true }).bridge.vlan.add({ dev: 1, vid: 10 }).bridge.vlan.delete({ dev: 1, vid: 10 });
  b.bridge.mdb.add({ dev: 1, port: 2, grp: '239.1.1.1' }).bridge.mdb.delete({ dev: 1, port: 2, grp: '239.1.1.1' });
  b.qdisc.add({ dev: 1, parent: 'root', kind: 'htb' }).qdisc.change({ dev: 1, parent: 'root', kind: 'htb' }).qdisc.replace({ dev: 1, parent: 'root', kind: 'htb' }).qdisc.delete({ dev: 1, parent: 'root', kind: 'htb' });
  b.class.add({ dev: 1, classid: '1:1', kind: 'htb' }).class.change({ dev: 1, classid: '1:1', kind: 'htb' }).class.replace({ dev: 1, classid: '1:1', kind: 'htb' }).class.delete({ dev: 1, classid: '1:1', kind: 'htb' });
  b.filter.add({ dev: 1, parent: '1:', kind: 'u32' }).filter.change({ dev: 1, parent: '1:', kind: 'u32' }).filter.replace({ dev: 1, parent: '1:', kind: 'u32' }).filter.delete({ dev: 1, parent: '1:', kind: 'u32' });
  await b.commit();
}

/** The naming rule (docs/architecture.md): Foo, FooInput, FooMessage, FooListFilter, FooApi for every family. */
export function naming(nl: Rtnl): void {
  type _api = [
    Expect<Equal<Rtnl['link'], LinkApi>>, Expect<Equal<Rtnl['addr'], AddressApi>>, Expect<Equal<Rtnl['route'], RouteApi>>,
    Expect<Equal<Rtnl['neigh'], NeighbourApi>>, Expect<Equal<Rtnl['rule'], RuleApi>>, Expect<Equal<Rtnl['qdisc'], QdiscApi>>,
    Expect<Equal<Rtnl['class'], ClassApi>>, Expect<Equal<Rtnl['filter'], FilterApi>>,
    Expect<Equal<Rtnl['nexthop'], NexthopApi>>, Expect<Equal<Rtnl['netconf'], NetconfApi>>, Expect<Equal<Rtnl['addrlabel'], AddrlabelApi>>,
    Expect<Equal<Rtnl['ntable'], NtableApi>>, Expect<Equal<Rtnl['stats'], StatsApi>>, Expect<Equal<Rtnl['bridge'], BridgeApi>>,
    Expect<Equal<Rtnl['bridge']['fdb'], BridgeFdbApi>>, Expect<Equal<Rtnl['bridge']['link'], BridgePortApi>>,
    Expect<Equal<Rtnl['bridge']['vlan'], BridgeVlanApi>>, Expect<Equal<Rtnl['bridge']['mdb'], BridgeMdbApi>>,
  ];
  // Each verb takes the family's friendly input, and list its list filter.
  type _inputs = [
    Expect<Equal<Parameters<LinkApi['add']>[0], LinkInput>>, Expect<Equal<Parameters<AddressApi['add']>[0], AddressInput>>,
    Expect<Equal<Parameters<RouteApi['add']>[0], RouteInput>>, Expect<Equal<Parameters<NeighbourApi['add']>[0], NeighbourInput>>,
    Expect<Equal<Parameters<RuleApi['add']>[0], RuleInput>>, Expect<Equal<Parameters<QdiscApi['add']>[0], QdiscInput>>,
    Expect<Equal<Parameters<ClassApi['add']>[0], ClassInput>>, Expect<Equal<Parameters<FilterApi['add']>[0], FilterInput>>,
    Expect<Equal<Parameters<LinkApi['list']>[0], LinkListFilter | undefined>>, Expect<Equal<Parameters<AddressApi['list']>[0], AddressListFilter | undefined>>,
    Expect<Equal<Parameters<RouteApi['list']>[0], RouteListFilter | undefined>>, Expect<Equal<Parameters<NeighbourApi['list']>[0], NeighbourListFilter | undefined>>,
    Expect<Equal<Parameters<RuleApi['list']>[0], RuleListFilter | undefined>>, Expect<Equal<Parameters<QdiscApi['list']>[0], QdiscListFilter | undefined>>,
    Expect<Equal<Parameters<ClassApi['list']>[0], ClassListFilter | undefined>>, Expect<Equal<Parameters<FilterApi['list']>[0], FilterListFilter>>,
  ];
  // The friendly input names a link by name; the message takes indexes only.
  const link: LinkInput = { up: true, master: 'br0' };
  const linkMsg: LinkMessage = { master: 3 };
  // @ts-expect-error: a message's master is an index
  const badMsg: LinkMessage = { master: 'br0' };
  const neigh: NeighbourInput = { dev: 'eth0', address: '198.18.0.2' };
  const neighMsg: NeighbourMessage = { family: 'inet', ifindex: 2 };
  const rule: RuleInput = { from: '198.18.0.0/24', table: 100 };
  const ruleMsg: RuleMessage = { family: 'inet', srcLen: 24 };
  const routeMsg: RouteMessage = { family: 'inet', dstLen: 24 };
  const addrMsg: AddressMessage = { family: 'inet', prefixlen: 24 };
  void nl; void link; void linkMsg; void badMsg; void neigh; void neighMsg; void rule; void ruleMsg; void routeMsg; void addrMsg;
}
