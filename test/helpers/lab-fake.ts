// An in-memory world for lab unit tests: namespaces, links, addresses,
// routes, sysctls, qdiscs, /etc/netns files and lab records, following the
// kernel's rules where a lab depends on them (EEXIST on a taken name, a veth
// pair dies with either end, a namespace takes its links and their peers with
// it, a gateway must be on a connected subnet). Faults can be injected at the
// k-th change, and snapshot() tells whether the world is back to what it was.
import type { NftDocument } from '../../src/nft/document.js';
import { PassThrough } from 'node:stream';
import type { ExecOptions, ExecResult, LabBackend, LabProcess, LabRecord, LinkState, NamespaceState, Needs, RouteState, SpawnOptions } from '../../src/lab/backend.js';
import type { LabQdiscSpec } from '../../src/lab/description.js';
import type { NsKey } from '../../src/lab/names.js';
import type { AddressAdd, DnsFiles, LinkAdd, RouteAdd } from '../../src/lab/plan.js';
import { contains } from '../../src/lab/subnet.js';
import { formatIP, networkOf, parseIP, parsePrefix } from '../../src/netlink/ip.js';

export class FakeError extends Error {
  constructor(readonly code: string, message: string, readonly index?: number) {
    super(`${code}: ${message}`);
  }
}

/** A link as inspect() shows it, with its whole qdisc and its veth peer. */
type FakeLink = Omit<LinkState, 'name' | 'qdisc'> & { qdisc?: LabQdiscSpec; peer?: { ns: NsKey; name: string } };

interface FakeNs {
  links: Map<string, FakeLink>;
  routes: RouteState[];
  sysctls: Map<string, string>;
}

const ROOT = '\0root';
const key = (ns: NsKey) => ns ?? ROOT;

export interface FakeOptions {
  /** Qdisc kinds this "kernel" has; default: this machine's (no netem). */
  qdiscKinds?: string[];
  linkKinds?: string[];
}

export class FakeBackend implements LabBackend {
  readonly spaces = new Map<string, FakeNs>();
  readonly dns = new Map<string, DnsFiles>();
  readonly records = new Map<string, LabRecord>();
  /** Every call, in order: "addLinks(pair-red)". */
  readonly calls: string[] = [];
  /** Fail the n-th change (1-based), counting each item of a batch. */
  failAt: number | undefined;
  /** Fail every removal of these objects ("namespace NAME", "link NAME", "dns NAME"). */
  failRemoval = new Set<string>();
  changes = 0;
  /** How many times release() was called. */
  released = 0;
  exec: (ns: NsKey, argv: string[], options?: ExecOptions) => Promise<ExecResult> = async () => {
    const err = new Error('spawn: no such program') as NodeJS.ErrnoException;
    err.code = 'ENOENT';
    throw err;
  };
  spawn: (ns: NsKey, argv: string[], options?: SpawnOptions) => LabProcess = () => fakeProcess('');
  private readonly qdiscKinds: Set<string>;
  private readonly linkKinds: Set<string>;

  constructor(options: FakeOptions = {}) {
    this.qdiscKinds = new Set(options.qdiscKinds ?? ['tbf', 'htb', 'pfifo', 'bfifo', 'pfifo_fast', 'ingress', 'clsact']);
    this.linkKinds = new Set(options.linkKinds ?? ['veth', 'bridge', 'macvlan', 'vxlan']);
    const root = this.emptyNs();
    root.links.get('lo')!.up = true;
    root.links.set('eth0', { kind: undefined, up: true, addresses: ['192.0.2.10/24'] });
    root.routes.push({ family: 4, to: '0.0.0.0/0', via: '192.0.2.1', dev: 'eth0', protocol: 'dhcp' });
    root.sysctls.set('net.ipv4.ip_forward', '0');
    this.spaces.set(ROOT, root);
  }

  private emptyNs(): FakeNs {
    return {
      links: new Map([['lo', { up: false, addresses: ['127.0.0.1/8', '::1/128'] }]]),
      routes: [],
      sysctls: new Map([['net.ipv4.ip_forward', '0'], ['net.ipv6.conf.all.forwarding', '0']]),
    };
  }

  /** Everything there is, as text: equal snapshots are equal worlds. */
  snapshot(): string {
    const spaces = [...this.spaces].sort(([a], [b]) => a.localeCompare(b)).map(([n, s]) => [n, {
      links: [...s.links].sort(([a], [b]) => a.localeCompare(b)),
      routes: s.routes,
      sysctls: [...s.sysctls].sort(),
    }]);
    return JSON.stringify({ spaces, dns: [...this.dns].sort(), records: [...this.records].sort() });
  }

  /** Counts one change; throws the injected fault when its turn comes. */
  private change(what: string, index?: number): void {
    this.changes++;
    if (this.failAt === this.changes) throw new FakeError('EFAULT', `injected fault at change ${this.changes} (${what})`, index);
  }

  private space(ns: NsKey): FakeNs {
    const s = this.spaces.get(key(ns));
    if (!s) throw new FakeError('ENOENT', `no namespace ${ns}`);
    return s;
  }

  private link(ns: NsKey, name: string): FakeLink {
    const l = this.space(ns).links.get(name);
    if (!l) throw new FakeError('ENODEV', `no link ${name} in ${ns ?? 'root'}`);
    return l;
  }

  /** Runs fn on each item; an error carries the item's index, as a batch error does. */
  private batch<T>(items: T[], fn: (item: T, index: number) => void): void {
    items.forEach((item, i) => {
      try {
        fn(item, i);
      } catch (err) {
        if (err instanceof FakeError) throw new FakeError(err.code, err.message.replace(/^\w+: /, ''), i);
        throw err;
      }
    });
  }

  async listNamespaces(): Promise<string[]> {
    this.calls.push('listNamespaces');
    return [...this.spaces.keys()].filter((k) => k !== ROOT);
  }

  async createNamespace(name: string): Promise<void> {
    this.calls.push(`createNamespace(${name})`);
    if (this.spaces.has(name)) throw new FakeError('EEXIST', `namespace ${name} exists`);
    this.change(`create namespace ${name}`);
    this.spaces.set(name, this.emptyNs());
  }

  async deleteNamespace(name: string): Promise<boolean> {
    this.calls.push(`deleteNamespace(${name})`);
    if (this.failRemoval.has(`namespace ${name}`)) throw new FakeError('EBUSY', `cannot remove namespace ${name}`);
    const s = this.spaces.get(name);
    if (!s) return false;
    for (const [n, l] of s.links) if (l.peer) this.dropLink(name, n);
    this.spaces.delete(name);
    return true;
  }

  /** Removes a link, its veth peer, and what hangs on them. */
  private dropLink(ns: NsKey, name: string): void {
    const s = this.spaces.get(key(ns));
    const l = s?.links.get(name);
    if (!s || !l) return;
    s.links.delete(name);
    s.routes = s.routes.filter((r) => r.dev !== name);
    for (const other of s.links.values()) if (other.master === name) delete other.master;
    if (l.peer) this.dropLink(l.peer.ns, l.peer.name);
  }

  async addLinks(ns: NsKey, links: LinkAdd[]): Promise<void> {
    this.calls.push(`addLinks(${ns ?? 'root'}, ${links.length})`);
    this.batch(links, (l) => {
      const s = this.space(ns);
      if (!this.linkKinds.has(l.kind)) throw new FakeError('EOPNOTSUPP', `unknown link kind ${l.kind}`);
      if (s.links.has(l.name)) throw new FakeError('EEXIST', `link ${l.name} exists in ${ns ?? 'root'}`);
      const base = (o: { mtu?: number; mac?: string; alias?: string }): FakeLink => ({
        kind: l.kind, up: false, addresses: [],
        ...(o.mtu !== undefined ? { mtu: o.mtu } : {}), ...(o.mac !== undefined ? { mac: o.mac } : {}), ...(o.alias !== undefined ? { alias: o.alias } : {}),
      });
      if (l.kind === 'veth') {
        const ps = this.space(l.peer.ns);
        if (ps.links.has(l.peer.name) || (l.peer.ns === ns && l.peer.name === l.name)) throw new FakeError('EEXIST', `link ${l.peer.name} exists in ${l.peer.ns ?? 'root'}`);
        this.change(`add veth ${l.name}`);
        s.links.set(l.name, { ...base(l), peer: { ns: l.peer.ns, name: l.peer.name } });
        ps.links.set(l.peer.name, { ...base(l.peer), peer: { ns, name: l.name } });
      } else {
        this.change(`add ${l.kind} ${l.name}`);
        s.links.set(l.name, base(l));
      }
    });
  }

  async deleteLink(ns: NsKey, name: string): Promise<boolean> {
    this.calls.push(`deleteLink(${ns ?? 'root'}, ${name})`);
    if (this.failRemoval.has(`link ${name}`)) throw new FakeError('EBUSY', `cannot remove link ${name}`);
    if (!this.spaces.get(key(ns))?.links.has(name)) return false;
    this.dropLink(ns, name);
    return true;
  }

  async setMasters(ns: NsKey, ports: { name: string; master: string }[]): Promise<void> {
    this.calls.push(`setMasters(${ns ?? 'root'}, ${ports.length})`);
    this.batch(ports, (p) => {
      const l = this.link(ns, p.name);
      if (this.link(ns, p.master).kind !== 'bridge') throw new FakeError('EOPNOTSUPP', `${p.master} is not a bridge`);
      this.change(`enslave ${p.name}`);
      l.master = p.master;
    });
  }

  async addBridgeVlans(ns: NsKey, vlans: { dev: string; vlan: { vid: number }; self?: boolean }[]): Promise<void> {
    this.calls.push(`addBridgeVlans(${ns ?? 'root'}, ${vlans.length})`);
    this.batch(vlans, (v) => {
      const l = this.link(ns, v.dev);
      if (!v.self && l.master === undefined) throw new FakeError('EOPNOTSUPP', `${v.dev} is not a bridge port`);
      this.change(`vlan ${v.vlan.vid} on ${v.dev}`);
    });
  }

  async setLinksUp(ns: NsKey, names: string[]): Promise<void> {
    this.calls.push(`setLinksUp(${ns ?? 'root'}, ${names.length})`);
    this.batch(names, (n) => {
      const l = this.link(ns, n);
      this.change(`up ${n}`);
      l.up = true;
    });
  }

  async addAddresses(ns: NsKey, addresses: AddressAdd[]): Promise<void> {
    this.calls.push(`addAddresses(${ns ?? 'root'}, ${addresses.length})`);
    this.batch(addresses, (a) => {
      const l = this.link(ns, a.dev);
      if (l.addresses.includes(a.address)) throw new FakeError('EEXIST', `${a.address} exists on ${a.dev}`);
      this.change(`address ${a.address}`);
      l.addresses.push(a.address);
    });
  }

  /** Connected routes, as the kernel derives them from addresses on up links. */
  private connected(s: FakeNs): RouteState[] {
    const out: RouteState[] = [];
    for (const [name, l] of s.links) {
      if (!l.up || name === 'lo') continue;
      for (const a of l.addresses) {
        const p = parsePrefix(a, '');
        const to = `${formatIP(networkOf(p.bytes, p.length))}/${p.length}`;
        out.push({ family: p.family, to, dev: name, protocol: 'kernel' });
      }
    }
    return out;
  }

  async addRoutes(ns: NsKey, routes: RouteAdd[]): Promise<void> {
    this.calls.push(`addRoutes(${ns ?? 'root'}, ${routes.length})`);
    this.batch(routes, (r) => {
      const s = this.space(ns);
      let dev = r.dev;
      if (dev !== undefined) this.link(ns, dev);
      if (r.via !== undefined) {
        const via = parseIP(r.via, '');
        const on = [...s.links].find(([n, l]) => l.up && (dev === undefined || n === dev) && l.addresses.some((a) => contains(parsePrefix(a, ''), via)));
        if (!on) throw new FakeError('ENETUNREACH', `gateway ${r.via} is not on a connected subnet`);
        dev = on[0];
      }
      if (s.routes.some((x) => x.to === r.to && (x.metric ?? 0) === (r.metric ?? 0))) throw new FakeError('EEXIST', `route to ${r.to} exists`);
      this.change(`route ${r.to}`);
      const route: RouteState = { family: r.family, to: r.to, protocol: 'boot' };
      if (r.via !== undefined) route.via = r.via;
      if (dev !== undefined) route.dev = dev;
      if (r.metric !== undefined) route.metric = r.metric;
      s.routes.push(route);
    });
  }

  async setSysctls(ns: string, values: { key: string; value: string }[]): Promise<void> {
    this.calls.push(`setSysctls(${ns}, ${values.length})`);
    this.batch(values, (v) => {
      const s = this.space(ns);
      if (!v.key.startsWith('net.')) throw new FakeError('EPERM', `${v.key} is not per namespace`);
      this.change(`sysctl ${v.key}`);
      s.sysctls.set(v.key, v.value);
    });
  }

  async addQdiscs(ns: NsKey, qdiscs: { dev: string; qdisc: LabQdiscSpec }[]): Promise<void> {
    this.calls.push(`addQdiscs(${ns ?? 'root'}, ${qdiscs.length})`);
    this.batch(qdiscs, (q) => {
      const l = this.link(ns, q.dev);
      if (!this.qdiscKinds.has(q.qdisc.kind)) throw new FakeError('ENOENT', `Error: Specified qdisc kind is unknown (${q.qdisc.kind})`);
      this.change(`qdisc ${q.qdisc.kind} on ${q.dev}`);
      l.qdisc = q.qdisc;
    });
  }

  async applyFirewall(ns: string, doc: NftDocument): Promise<void> {
    this.calls.push(`applyFirewall(${ns}, ${doc.nftables.length})`);
  }

  async writeDnsFiles(ns: string, files: DnsFiles): Promise<void> {
    this.calls.push(`writeDnsFiles(${ns})`);
    this.change(`dns ${ns}`);
    this.dns.set(ns, { ...files });
  }

  async removeDnsFiles(ns: string): Promise<boolean> {
    this.calls.push(`removeDnsFiles(${ns})`);
    if (this.failRemoval.has(`dns ${ns}`)) throw new FakeError('EBUSY', `cannot remove /etc/netns/${ns}`);
    return this.dns.delete(ns);
  }

  async unsupported(need: Needs): Promise<Needs> {
    return { linkKinds: need.linkKinds.filter((k) => !this.linkKinds.has(k)), qdiscKinds: need.qdiscKinds.filter((k) => !this.qdiscKinds.has(k)) };
  }

  async inspect(ns: NsKey, query: { sysctls: string[] }): Promise<NamespaceState> {
    this.calls.push(`inspect(${ns ?? 'root'})`);
    const s = this.space(ns);
    const links: LinkState[] = [...s.links].map(([name, l]) => {
      const st: LinkState = { name, up: l.up, addresses: [...l.addresses] };
      if (l.kind !== undefined) st.kind = l.kind;
      if (l.mtu !== undefined) st.mtu = l.mtu;
      if (l.mac !== undefined) st.mac = l.mac;
      if (l.alias !== undefined) st.alias = l.alias;
      if (l.master !== undefined) st.master = l.master;
      st.qdisc = l.qdisc?.kind ?? 'noqueue';
      return st;
    });
    const sysctls: Record<string, string> = {};
    for (const k of query.sysctls) if (s.sysctls.has(k)) sysctls[k] = s.sysctls.get(k)!;
    const state: NamespaceState = { links, routes: [...this.connected(s), ...s.routes], sysctls };
    const dns = ns === null ? undefined : this.dns.get(ns);
    if (dns) state.dns = { ...dns };
    return state;
  }

  async loadRecord(lab: string): Promise<LabRecord | undefined> {
    const r = this.records.get(lab);
    return r && structuredClone(r);
  }

  async saveRecord(record: LabRecord): Promise<void> {
    this.records.set(record.lab, structuredClone(record));
  }

  async removeRecord(lab: string): Promise<void> {
    this.records.delete(lab);
  }

  async release(): Promise<void> {
    this.released++;
  }
}

/** A process that printed `out` and runs until killed. */
export function fakeProcess(out: string): LabProcess {
  const stdout = new PassThrough();
  if (out) stdout.write(out);
  let end!: (r: ExecResult) => void;
  const done = new Promise<ExecResult>((resolve) => { end = resolve; });
  return {
    stdout,
    kill: () => {
      stdout.end();
      end({ code: null, signal: 'SIGTERM', stdout: out, stderr: '' });
    },
    done,
  };
}
