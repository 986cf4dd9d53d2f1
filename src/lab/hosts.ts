// Labs over several machines (docs/lab.md, "Several hosts"). A description
// may name `hosts`, each with the underlay address the others reach it at,
// and place every namespace on one of them. On one machine the file is an
// ordinary lab (the host placement is ignored); `lab up FILE --host A` builds
// host A's part: its namespaces and the links between them, and for each veth
// pair whose ends sit on two hosts, a VXLAN link in the local end's namespace,
// its UDP socket in the namespace the command runs in (the underlay's), sent to
// the other host's underlay address. The VNI is `vxlan.vniBase` plus the
// pair's number among the crossing pairs (the same on every host, since every
// host reads the same file); its MTU is the underlay's less the encapsulation.
import type { LabDescription, RouteSpec, VethEnd } from './description.js';
import { parseIP, parsePrefix } from '../netlink/ip.js';
import { NAME_PATTERN } from './names.js';
import { type Reader, didYouMean, join } from './shape.js';
import { contains } from './subnet.js';

export interface HostSpec {
  name: string;
  /** How the other hosts reach this one: its address, the device it leaves by, that device's MTU (default 1500). */
  underlay: { address: string; dev?: string; mtu?: number };
}

export interface VxlanOptions {
  /** UDP port (default 4789, IANA's). */
  port?: number;
  /** The first crossing pair's VNI is vniBase + 1 (default 1000). */
  vniBase?: number;
}

/** Outer Ethernet, IP, UDP and VXLAN headers. */
export const VXLAN_OVERHEAD = { 4: 14 + 20 + 8 + 8, 6: 14 + 40 + 8 + 8 } as const;

/** One host's end of a crossing pair. */
export interface Tunnel {
  /** The lab namespace (lab name) it lives in. */
  namespace: string;
  end: VethEnd;
  vni: number;
  local: string;
  remote: string;
  port: number;
  dev?: string;
  mtu: number;
  /** Where it is in the description: veths[i].a. */
  path: string;
}

const familyOf = (address: string): 4 | 6 => (address.includes(':') ? 6 : 4);

/** The host of a namespace. */
function hostOf(lab: LabDescription, ns: string | undefined): string | undefined {
  return lab.namespaces.find((n) => n.name === ns)?.host;
}

/** Every crossing pair's two tunnels, in the order of `veths` (what both hosts agree on). */
export function tunnels(lab: LabDescription): { a: Tunnel; b: Tunnel; index: number }[] {
  const hosts = new Map((lab.hosts ?? []).map((h) => [h.name, h]));
  const port = lab.vxlan?.port ?? 4789;
  let vni = lab.vxlan?.vniBase ?? 1000;
  const out: { a: Tunnel; b: Tunnel; index: number }[] = [];
  (lab.veths ?? []).forEach((v, index) => {
    const ha = hosts.get(hostOf(lab, v.a?.namespace) ?? '');
    const hb = hosts.get(hostOf(lab, v.b?.namespace) ?? '');
    if (!ha || !hb || ha === hb) return;
    vni++;
    const tunnel = (end: VethEnd, me: HostSpec, peer: HostSpec, side: 'a' | 'b'): Tunnel => {
      const t: Tunnel = {
        namespace: end.namespace!, end, vni, local: me.underlay.address, remote: peer.underlay.address, port,
        mtu: (me.underlay.mtu ?? 1500) - VXLAN_OVERHEAD[familyOf(me.underlay.address)], path: `veths[${index}].${side}`,
      };
      if (me.underlay.dev !== undefined) t.dev = me.underlay.dev;
      return t;
    };
    out.push({ a: tunnel(v.a, ha, hb, 'a'), b: tunnel(v.b, hb, ha, 'b'), index });
  });
  return out;
}

/** Reads `hosts` and `vxlan`, and checks the namespaces' placement and the crossing pairs. */
export function readHosts(r: Reader, hostsValue: unknown, vxlanValue: unknown, draft: LabDescription): void {
  const hosts: HostSpec[] = [];
  (r.array(hostsValue, 'hosts') ?? []).forEach((v, i) => {
    const path = `hosts[${i}]`;
    const o = r.object(v, path, ['name', 'underlay'], []);
    const name = o?.name === undefined ? undefined : r.name(o.name, join(path, 'name'), NAME_PATTERN);
    const u = o?.underlay === undefined ? undefined : r.object(o.underlay, join(path, 'underlay'), ['address'], ['dev', 'mtu']);
    if (name === undefined || !u) return;
    if (hosts.some((h) => h.name === name)) r.report(join(path, 'name'), `duplicate host "${name}"`);
    const address = r.string(u.address, join(join(path, 'underlay'), 'address'));
    if (address === undefined) return;
    try { parseIP(address, ''); } catch { r.report(join(join(path, 'underlay'), 'address'), `"${address}" is not an IP address`); return; }
    const host: HostSpec = { name, underlay: { address } };
    if (u.dev !== undefined) { const d = r.string(u.dev, join(join(path, 'underlay'), 'dev')); if (d !== undefined) host.underlay.dev = d; }
    if (u.mtu !== undefined) { const m = r.integer(u.mtu, join(join(path, 'underlay'), 'mtu'), 1280, 65535); if (m !== undefined) host.underlay.mtu = m; }
    hosts.push(host);
  });
  draft.hosts = hosts;
  if (vxlanValue !== undefined) {
    const o = r.object(vxlanValue, 'vxlan', [], ['port', 'vniBase']);
    if (o) {
      draft.vxlan = {};
      if (o.port !== undefined) { const p = r.integer(o.port, 'vxlan.port', 1, 65535); if (p !== undefined) draft.vxlan.port = p; }
      if (o.vniBase !== undefined) { const b = r.integer(o.vniBase, 'vxlan.vniBase', 0, 0xffffff - 1); if (b !== undefined) draft.vxlan.vniBase = b; }
    }
  }
  const names = hosts.map((h) => h.name);
  draft.namespaces.forEach((ns, i) => {
    if (ns.host === undefined) r.report(`namespaces[${i}]`, `the lab has hosts: say which one this namespace is on ("host": ${names.map((n) => JSON.stringify(n)).join(' or ')})`);
    else if (!names.includes(ns.host)) r.report(`namespaces[${i}].host`, `unknown host "${ns.host}"${didYouMean(ns.host, names)}`);
  });
  (draft.veths ?? []).forEach((v, i) => {
    for (const side of ['a', 'b'] as const) {
      if (v[side] && v[side].namespace === undefined && v[side].bridge === undefined) r.report(`veths[${i}].${side}`, 'the lab has hosts: every link must be in one of its namespaces');
    }
  });
  for (const { a, b, index } of tunnels(draft)) {
    if (a.end.bridge !== undefined || b.end.bridge !== undefined) r.report(`veths[${index}]`, 'a pair between two hosts becomes a VXLAN link; it cannot be a bridge port here');
    if (familyOf(a.local) !== familyOf(a.remote)) r.report(`veths[${index}]`, `the underlays of its two hosts differ in family (${a.local}, ${a.remote})`);
    if (a.vni > 0xffffff) r.report(`veths[${index}]`, `its VNI ${a.vni} is beyond 24 bits: lower vxlan.vniBase`);
    for (const t of [a, b]) {
      if (t.end.mtu !== undefined && t.end.mtu > t.mtu) {
        r.report(`${t.path}.mtu`, `${t.end.mtu} does not fit in VXLAN over this host's underlay: at most ${t.mtu} (${t.mtu + VXLAN_OVERHEAD[familyOf(t.local)]} less ${VXLAN_OVERHEAD[familyOf(t.local)]} bytes of headers)`);
      }
    }
  }
}

/** Whether a route needs a link of `tunnelsHere` (its `dev`, or a gateway on one of their subnets). */
function usesTunnel(route: RouteSpec, here: Tunnel[]): boolean {
  if (route.dev !== undefined && here.some((t) => t.end.name === route.dev)) return true;
  if (route.via === undefined) return false;
  const via = parseIP(route.via, '');
  return here.some((t) => (t.end.addresses ?? []).some((a) => contains(parsePrefix(a, ''), via)));
}

export interface HostPart {
  /** An ordinary lab: the host's namespaces and the links among them, named `<lab>.<host>`, with the lab's prefix. */
  part: LabDescription;
  /** The VXLAN links to add once the part is up. */
  tunnels: Tunnel[];
  /** Routes that go through them, added after them: namespace → routes. */
  routes: { namespace: string; route: RouteSpec }[];
}

/** What host `host` builds of a (valid) lab. */
export function hostPart(lab: LabDescription, host: string): HostPart {
  const local = new Set(lab.namespaces.filter((n) => n.host === host).map((n) => n.name));
  const mine = tunnels(lab).flatMap(({ a, b }) => [a, b]).filter((t) => local.has(t.namespace));
  const routes: HostPart['routes'] = [];
  const part: LabDescription = {
    name: `${lab.name}.${host}`,
    prefix: lab.prefix ?? `${lab.name}-`,
    namespaces: lab.namespaces.filter((n) => local.has(n.name)).map(({ host: _h, ...n }) => {
      const here = mine.filter((t) => t.namespace === n.name);
      if (!n.routes) return n;
      for (const route of n.routes) if (usesTunnel(route, here)) routes.push({ namespace: n.name, route });
      return { ...n, routes: n.routes.filter((route) => !usesTunnel(route, here)) };
    }),
    bridges: (lab.bridges ?? []).filter((b) => b.namespace !== undefined && local.has(b.namespace)),
    veths: (lab.veths ?? []).filter((v) => local.has(v.a.namespace ?? '') && local.has(v.b.namespace ?? '')),
    taps: (lab.taps ?? []).filter((t) => t.namespace !== undefined && local.has(t.namespace)),
  };
  if (lab.description !== undefined) part.description = `${lab.description} (host ${host}'s part)`;
  return { part, tunnels: mine, routes };
}
