// The validator: takes anything (parsed JSON, or a TypeScript object whose
// type may lie) and returns either the typed description or every problem,
// each with its path. Three passes, each on what the one before could read:
// shapes and local values here, then names and references here, then
// addresses, subnets and routes (validate-net.ts). Nothing touches the system.
import type { NftValue } from '../nft/datatypes.js';
import { readExpectations } from './expect.js';
import { documentRequests } from '../nft/document.js';
import { type FirewallAllow, type FirewallChainSpec, type FirewallSpec, firewallDocument } from './firewall.js';
import { EncodeError } from '../netlink/errors.js';
import { parseHw, parseIP, parsePrefix } from '../netlink/ip.js';
import { checkIfname } from '../rtnl/codecs.js';
import type { BridgeSpec, DnsSpec, LabDescription, LabLinkSpec, LabVlanSpec, NamespaceSpec, RouteSpec, SysctlValue, TapSpec, VethEnd, VethSpec } from './description.js';
import { LabValidationError } from './errors.js';
import { LabNames, NAME_PATTERN, NETNS_NAME_MAX, type NsKey, defaultPrefix, nsLabel } from './names.js';
import { readQdisc } from './qdisc.js';
import { placeRootNamespace } from './root-namespace.js';
import { readHosts } from './hosts.js';
import { tcProblem } from './tc.js';
import { type Problem, Reader, didYouMean, join } from './shape.js';
import { Topology, bridgesNamed, endNamespace } from './topology.js';
import { checkNetwork, unusable } from './validate-net.js';

/** What validating a lab description found: the description, or every problem with its path. */
export type ValidationResult =
  | { ok: true; lab: LabDescription; problems: [] }
  | { ok: false; lab?: undefined; problems: Problem[] };

/** The longest lab name: long names only make every prefixed name too long. */
export const LAB_NAME_MAX = 64;
const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const SYSCTL = /^net(\.[A-Za-z0-9_-]+)+$/;

/** The problem an EncodeError describes, without its path (we add ours). */
function reason(err: unknown): string {
  if (err instanceof EncodeError) return err.message.replace(/^: /, '');
  throw err;
}

/** Checks a lab description read from JSON (or anything else): every problem at once, each with its path. */
export function validate(input: unknown): ValidationResult {
  const r = new Reader();
  const top = r.object(input, '', ['name', 'namespaces'], ['$schema', 'prefix', 'description', 'bridges', 'veths', 'taps', 'expect', 'rootNamespace', 'hosts', 'vxlan']);
  if (!top) return { ok: false, problems: r.problems };

  const name = top.name === undefined ? undefined : r.name(top.name, 'name', NAME_PATTERN);
  if (name !== undefined && name.length > LAB_NAME_MAX) r.report('name', `is ${name.length} characters; the limit is ${LAB_NAME_MAX}`);
  let prefix = name === undefined ? undefined : defaultPrefix(name);
  if (top.prefix !== undefined) {
    const p = r.string(top.prefix, 'prefix');
    if (p !== undefined && !PREFIX_PATTERN.test(p)) r.report('prefix', `${JSON.stringify(p)} is not a usable prefix: letters, digits, '_', '.', '-', starting with a letter or digit`);
    else prefix = p;
  }
  if (top.description !== undefined) r.string(top.description, 'description');

  const draft: LabDescription = { name: name ?? '', namespaces: [], bridges: [], veths: [], taps: [] };
  if (prefix !== undefined) draft.prefix = prefix;
  if (top.description !== undefined) draft.description = top.description as string;

  const list = (key: string) => (top[key] === undefined ? [] : r.array(top[key], key) ?? []);
  list('namespaces').forEach((v, i) => {
    const ns = readNamespace(r, v, `namespaces[${i}]`);
    if (ns) draft.namespaces.push(ns);
  });
  list('bridges').forEach((v, i) => {
    const path = `bridges[${i}]`;
    const o = r.object(v, path, ['name'], ['namespace', 'vlanFiltering', 'vlans', ...LINK_KEYS]);
    const b = o && readLink(r, o, path);
    if (!b) return;
    const bridge: BridgeSpec = b;
    if (o.namespace !== undefined) bridge.namespace = r.string(o.namespace, join(path, 'namespace'));
    if (o.vlanFiltering !== undefined) bridge.vlanFiltering = r.boolean(o.vlanFiltering, join(path, 'vlanFiltering'));
    if (o.vlans !== undefined) {
      bridge.vlans = readVlans(r, o.vlans, join(path, 'vlans'));
      if (bridge.vlanFiltering !== true) r.report(join(path, 'vlans'), 'VLANs need vlanFiltering: true');
    }
    draft.bridges!.push(bridge);
  });
  list('veths').forEach((v, i) => {
    const path = `veths[${i}]`;
    const o = r.object(v, path, ['a', 'b'], []);
    if (!o) return;
    const end = (side: 'a' | 'b'): VethEnd | undefined => (o[side] === undefined ? undefined : readEnd(r, o[side], join(path, side)));
    // A pair missing an end is kept with the hole, so the other end is still checked.
    draft.veths!.push({ a: end('a'), b: end('b') } as VethSpec);
  });
  list('taps').forEach((v, i) => {
    const tap = readEnd(r, v, `taps[${i}]`, TAP_KEYS);
    if (tap) draft.taps!.push(tap);
  });

  if (top.$schema !== undefined) {
    const schema = r.string(top.$schema, '$schema');
    if (schema !== undefined) draft.$schema = schema;
  }
  if (top.expect !== undefined) {
    const e = readExpectations(r, top.expect, 'expect', draft);
    if (e) draft.expect = e;
  }
  if (top.rootNamespace !== undefined) placeRootNamespace(r, top.rootNamespace, draft);
  if (top.hosts !== undefined) readHosts(r, top.hosts, top.vxlan, draft);
  else if (top.vxlan !== undefined) r.report('vxlan', 'VXLAN links join hosts: the lab has no hosts');
  if (name !== undefined && prefix !== undefined) {
    const names = new LabNames(name, prefix);
    checkNames(r, draft, names);
    checkNetwork(r, draft, new Topology(draft, new Set(draft.namespaces.map((n) => n.name))));
  }
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  const lab = draft;
  if (lab.bridges!.length === 0 && top.bridges === undefined) delete lab.bridges;
  if (lab.veths!.length === 0 && top.veths === undefined) delete lab.veths;
  if (lab.taps!.length === 0 && top.taps === undefined) delete lab.taps;
  if (top.prefix === undefined) delete lab.prefix;
  return { ok: true, lab, problems: [] };
}

/** The valid description, or a LabValidationError listing every problem. */
export function assertValid(input: unknown): LabDescription {
  const v = validate(input);
  if (!v.ok) throw new LabValidationError(v.problems);
  return v.lab;
}

const LINK_KEYS = ['addresses', 'up', 'mtu', 'mac', 'qdisc'] as const;
const TAP_KEYS = ['owner', 'group', 'multiQueue', 'vnetHdr'] as const;

/** A list of VLANs: vid 1-4094 once each, at most one pvid. */
function readVlans(r: Reader, v: unknown, path: string): LabVlanSpec[] {
  const out: LabVlanSpec[] = [];
  const seen = new Map<number, number>();
  let pvid: number | undefined;
  (r.array(v, path) ?? []).forEach((item, i) => {
    const p = join(path, i);
    const o = r.object(item, p, ['vid'], ['pvid', 'untagged']);
    if (!o) return;
    const vid = o.vid === undefined ? undefined : r.integer(o.vid, join(p, 'vid'), 1, 4094);
    if (vid === undefined) return;
    const spec: LabVlanSpec = { vid };
    if (o.pvid !== undefined) spec.pvid = r.boolean(o.pvid, join(p, 'pvid'));
    if (o.untagged !== undefined) spec.untagged = r.boolean(o.untagged, join(p, 'untagged'));
    if (seen.has(vid)) r.report(join(p, 'vid'), `VLAN ${vid} is listed twice (first at ${join(path, seen.get(vid)!)})`);
    seen.set(vid, i);
    if (spec.pvid) {
      if (pvid !== undefined) r.report(join(p, 'pvid'), `a port has one PVID; VLAN ${pvid} is it already`);
      pvid = vid;
    }
    out.push(spec);
  });
  return out;
}

/** A veth end, or a tap (an end with `ip tuntap add` options: `extra`). */
function readEnd(r: Reader, v: unknown, path: string, extra: readonly (typeof TAP_KEYS)[number][] = []): TapSpec | undefined {
  const e = r.object(v, path, ['name'], ['namespace', 'bridge', 'vlans', ...LINK_KEYS, ...extra]);
  const l = e && readLink(r, e, path);
  if (!l) return undefined;
  const out: TapSpec = l;
  if (e.namespace !== undefined) out.namespace = r.string(e.namespace, join(path, 'namespace'));
  if (e.bridge !== undefined) out.bridge = r.string(e.bridge, join(path, 'bridge'));
  if (e.vlans !== undefined) out.vlans = readVlans(r, e.vlans, join(path, 'vlans'));
  // A uid or gid: (uid_t)-1 means none, so the largest is 2^32 - 2.
  if (e.owner !== undefined) out.owner = r.integer(e.owner, join(path, 'owner'), 0, 0xfffffffe);
  if (e.group !== undefined) out.group = r.integer(e.group, join(path, 'group'), 0, 0xfffffffe);
  if (e.multiQueue !== undefined) out.multiQueue = r.boolean(e.multiQueue, join(path, 'multiQueue'));
  if (e.vnetHdr !== undefined) out.vnetHdr = r.boolean(e.vnetHdr, join(path, 'vnetHdr'));
  return out;
}

/** The fields bridges and veth ends share; undefined when the name is unusable. */
function readLink(r: Reader, o: Record<string, unknown>, path: string): LabLinkSpec | undefined {
  const name = o.name === undefined ? undefined : r.string(o.name, join(path, 'name'));
  if (name === undefined) return undefined;
  const l: LabLinkSpec = { name };
  if (o.addresses !== undefined) {
    const list = r.array(o.addresses, join(path, 'addresses'));
    if (list) l.addresses = list.map((a, i) => readAddress(r, a, join(join(path, 'addresses'), i))).filter((a): a is string => a !== undefined);
  }
  if (o.up !== undefined) l.up = r.boolean(o.up, join(path, 'up'));
  if (o.mtu !== undefined) l.mtu = r.integer(o.mtu, join(path, 'mtu'), 68, 65535);
  if (o.mac !== undefined) {
    const p = join(path, 'mac');
    const s = r.string(o.mac, p);
    if (s !== undefined) {
      try {
        const hw = parseHw(s, '', 6);
        if (hw[0]! & 1) r.report(p, `${s} is a multicast address; a link needs a unicast one (first byte even)`);
        else if (hw.every((b) => b === 0)) r.report(p, `${s} is all zeros`);
        else l.mac = s;
      } catch (err) { r.report(p, reason(err)); }
    }
  }
  if (o.qdisc !== undefined) {
    const q = readQdisc(r, o.qdisc, join(path, 'qdisc'));
    // Well formed; now what tc's units make of the values (a burst too small for the rate...).
    const bad = q && tcProblem(q);
    if (bad) r.report(bad.field ? `${join(path, 'qdisc')}.${bad.field}` : join(path, 'qdisc'), bad.problem);
    else l.qdisc = q;
  }
  return l;
}

/** An interface address: "address/length", parsed to catch what is not one. */
function readAddress(r: Reader, v: unknown, path: string): string | undefined {
  const s = r.string(v, path);
  if (s === undefined) return undefined;
  if (!s.includes('/')) {
    r.report(path, `"${s}" needs a prefix length, e.g. "${s}/${s.includes(':') ? 64 : 24}"`);
    return undefined;
  }
  try {
    const p = parsePrefix(s, '');
    const why = unusable(p);
    if (why) {
      r.report(path, `${p.address} ${why}`);
      return undefined;
    }
    return s;
  } catch (err) {
    r.report(path, reason(err));
    return undefined;
  }
}

function readIp(r: Reader, v: unknown, path: string): string | undefined {
  const s = r.string(v, path);
  if (s === undefined) return undefined;
  try {
    parseIP(s, '');
    return s;
  } catch (err) {
    r.report(path, reason(err));
    return undefined;
  }
}

function readNamespace(r: Reader, v: unknown, path: string): NamespaceSpec | undefined {
  const o = r.object(v, path, ['name'], ['host', 'loopback', 'forwarding', 'sysctls', 'routes', 'dns', 'firewall']);
  if (!o || o.name === undefined) return undefined;
  const name = r.name(o.name, join(path, 'name'), NAME_PATTERN);
  if (name === undefined) return undefined;
  const ns: NamespaceSpec = { name };
  if (o.host !== undefined) ns.host = r.string(o.host, join(path, 'host'));
  if (o.loopback !== undefined) ns.loopback = r.boolean(o.loopback, join(path, 'loopback'));
  if (o.forwarding !== undefined) ns.forwarding = r.boolean(o.forwarding, join(path, 'forwarding'));
  if (o.sysctls !== undefined) {
    const rec = r.record(o.sysctls, join(path, 'sysctls'));
    if (rec) {
      const out: Record<string, SysctlValue> = {};
      for (const [k, val] of Object.entries(rec)) {
        const p = `${join(path, 'sysctls')}[${JSON.stringify(k)}]`;
        if (!SYSCTL.test(k)) {
          r.report(p, k.startsWith('net.')
            ? `"${k}" is not a sysctl name (net.<words separated by dots>)`
            : `"${k}" is not a net.* sysctl: only those belong to a network namespace, anything else would change the host`);
          continue;
        }
        if (typeof val === 'number' ? Number.isFinite(val) : typeof val === 'boolean' || (typeof val === 'string' && !/[\n\0]/.test(val))) out[k] = val as SysctlValue;
        else r.report(p, `expected a string, number or boolean on one line, got ${typeof val === 'string' ? 'several lines' : JSON.stringify(val) ?? typeof val}`);
      }
      ns.sysctls = out;
      const fwd = out['net.ipv4.ip_forward'];
      if (ns.forwarding === true && fwd !== undefined && String(fwd === false ? 0 : fwd === true ? 1 : fwd) === '0') {
        r.report(`${join(path, 'sysctls')}["net.ipv4.ip_forward"]`, 'contradicts forwarding: true');
      }
    }
  }
  if (o.routes !== undefined) {
    const list = r.array(o.routes, join(path, 'routes'));
    if (list) {
      ns.routes = [];
      list.forEach((rv, i) => {
        const p = join(join(path, 'routes'), i);
        const ro = r.object(rv, p, ['to'], ['via', 'dev', 'metric', 'src']);
        if (!ro) return;
        const route: Partial<RouteSpec> = {};
        if (ro.to !== undefined) route.to = r.string(ro.to, join(p, 'to'));
        if (ro.via !== undefined) route.via = readIp(r, ro.via, join(p, 'via'));
        if (ro.dev !== undefined) route.dev = r.string(ro.dev, join(p, 'dev'));
        if (ro.metric !== undefined) route.metric = r.integer(ro.metric, join(p, 'metric'), 0, 0xffffffff);
        if (ro.src !== undefined) route.src = readIp(r, ro.src, join(p, 'src'));
        if (ro.via === undefined && ro.dev === undefined) r.report(p, 'a route needs a gateway (via), an interface (dev), or both');
        if (route.to !== undefined) ns.routes!.push(route as RouteSpec);
      });
    }
  }
  if (o.dns !== undefined) ns.dns = readDns(r, o.dns, join(path, 'dns'));
  if (o.firewall !== undefined) {
    const fw = readFirewall(r, o.firewall, join(path, 'firewall'));
    if (fw) ns.firewall = fw;
  }
  return ns;
}

/** A firewall spec: its shape here; its interface names against the namespace's in checkFirewalls. */
function readFirewall(r: Reader, v: unknown, path: string): FirewallSpec | undefined {
  const o = r.object(v, path, [], ['input', 'forward', 'masquerade', 'nftables']);
  if (!o) return undefined;
  const fw: FirewallSpec = {};
  for (const key of ['input', 'forward'] as const) {
    if (o[key] === undefined) continue;
    const p = join(path, key);
    const c = r.object(o[key], p, ['policy'], ['allow']);
    if (!c) continue;
    if (c.policy !== 'accept' && c.policy !== 'drop') { r.report(join(p, 'policy'), `expected "accept" or "drop", got ${JSON.stringify(c.policy)}`); continue; }
    const chain: FirewallChainSpec = { policy: c.policy };
    if (c.allow !== undefined) {
      chain.allow = (r.array(c.allow, join(p, 'allow')) ?? []).map((a, i) => {
        const ap = join(join(p, 'allow'), i);
        const ao = r.object(a, ap, [], key === 'input' ? ['in'] : ['in', 'out']);
        const out: FirewallAllow = {};
        if (ao?.in !== undefined) out.in = r.string(ao.in, join(ap, 'in'));
        if (ao?.out !== undefined) out.out = r.string(ao.out, join(ap, 'out'));
        return out;
      });
    }
    fw[key] = chain;
  }
  if (o.masquerade !== undefined) {
    fw.masquerade = (r.array(o.masquerade, join(path, 'masquerade')) ?? []).map((d, i) => r.string(d, join(join(path, 'masquerade'), i))).filter((d): d is string => d !== undefined);
  }
  if (o.nftables !== undefined) fw.nftables = r.array(o.nftables, join(path, 'nftables')) as NftValue[] | undefined ?? [];
  // The ruleset it makes is checked as apply() checks it: what nftables would refuse or netlink-ts does not model is named here.
  try {
    documentRequests(firewallDocument(fw), { replaceTables: true, ifindex: () => 1 });
  } catch (err) {
    if (!(err instanceof EncodeError)) throw err;
    r.report(path, err.message.replace(/^nftables\[(\d+)\]/, (_m, i: string) => `(ruleset item ${i})`));
  }
  return fw;
}

function readDns(r: Reader, v: unknown, path: string): DnsSpec | undefined {
  const o = r.object(v, path, [], ['nameservers', 'search', 'hosts']);
  if (!o) return undefined;
  const dns: DnsSpec = {};
  if (o.nameservers !== undefined) {
    dns.nameservers = (r.array(o.nameservers, join(path, 'nameservers')) ?? [])
      .map((a, i) => readIp(r, a, join(join(path, 'nameservers'), i))).filter((a): a is string => a !== undefined);
  }
  if (o.search !== undefined) {
    dns.search = (r.array(o.search, join(path, 'search')) ?? []).map((d, i) => {
      const p = join(join(path, 'search'), i);
      const s = r.string(d, p);
      if (s !== undefined && !HOSTNAME.test(s)) r.report(p, `${JSON.stringify(s)} is not a domain name`);
      return s;
    }).filter((s): s is string => s !== undefined);
  }
  if (o.hosts !== undefined) {
    const rec = r.record(o.hosts, join(path, 'hosts'));
    if (rec) {
      dns.hosts = {};
      for (const [host, addr] of Object.entries(rec)) {
        const p = `${join(path, 'hosts')}[${JSON.stringify(host)}]`;
        if (!HOSTNAME.test(host)) r.report(p, `${JSON.stringify(host)} is not a host name`);
        const a = readIp(r, addr, p);
        if (a !== undefined) dns.hosts[host] = a;
      }
    }
  }
  return dns;
}

/**
 * Pass two: namespace and interface names (duplicates, too long once
 * prefixed) and references (namespaces, bridges).
 */
function checkNames(r: Reader, lab: LabDescription, names: LabNames): void {
  const nsFirst = new Map<string, number>();
  lab.namespaces.forEach((ns, i) => {
    const path = `namespaces[${i}].name`;
    if (nsFirst.has(ns.name)) r.report(path, `duplicate namespace "${ns.name}" (first at namespaces[${nsFirst.get(ns.name)}])`);
    else nsFirst.set(ns.name, i);
    const full = names.namespace(ns.name);
    if (Buffer.byteLength(full) > NETNS_NAME_MAX) r.report(path, `becomes "${full.slice(0, 20)}…", ${Buffer.byteLength(full)} bytes; a namespace name is at most ${NETNS_NAME_MAX}`);
  });
  const knownNs = (v: string | undefined, path: string): boolean => {
    if (v === undefined || nsFirst.has(v)) return true;
    r.report(path, `unknown namespace "${v}"${didYouMean(v, nsFirst.keys())}`);
    return false;
  };

  // Every interface name, per namespace: bridges, veth ends, and lo.
  const taken = new Map<string, string>();
  const claim = (ns: NsKey, name: string, path: string) => {
    const key = `${ns ?? ''}/${name}`;
    if (name === 'lo') r.report(path, `"lo" is the loopback interface every namespace already has`);
    else if (taken.has(key)) r.report(path, `duplicate interface "${name}" in ${ns === null ? 'the root namespace' : `namespace "${ns}"`} (first at ${taken.get(key)})`);
    else taken.set(key, path);
    const real = names.link(ns, name);
    try {
      checkIfname(real, '');
    } catch (err) {
      const why = reason(err);
      r.report(path, ns === null && real !== name ? `becomes "${real}" in the root namespace: ${why} (shorten the name or the prefix)` : why);
    }
  };

  const bridges: BridgeSpec[] = [];
  (lab.bridges ?? []).forEach((b, i) => {
    const path = `bridges[${i}]`;
    if (!knownNs(b.namespace, join(path, 'namespace'))) return;
    claim(b.namespace ?? null, b.name, join(path, 'name'));
    bridges.push(b);
  });

  const ends: [VethEnd, string][] = [];
  (lab.veths ?? []).forEach((v, i) => {
    for (const side of ['a', 'b'] as const) {
      const end = v[side] as VethEnd | undefined;
      if (end) ends.push([end, `veths[${i}].${side}`]);
    }
  });
  (lab.taps ?? []).forEach((t, i) => ends.push([t, `taps[${i}]`]));
  for (const [end, path] of ends) {
    if (!knownNs(end.namespace, join(path, 'namespace'))) continue;
    let ok = true;
    if (end.bridge !== undefined) {
      const found = bridgesNamed(bridges, end.bridge);
      const here = found.filter((b) => (b.namespace ?? null) === (end.namespace ?? null));
      if (found.length === 0) {
        r.report(join(path, 'bridge'), `unknown bridge "${end.bridge}"${didYouMean(end.bridge, bridges.map((b) => b.name))}`);
        ok = false;
      } else if (end.namespace !== undefined && here.length === 0) {
        r.report(join(path, 'bridge'), `bridge "${end.bridge}" is in ${found.map((b) => nsLabel(b.namespace ?? null)).join(', ')}, not in namespace "${end.namespace}"; a port lives in its bridge's namespace`);
        ok = false;
      } else if (end.namespace === undefined && found.length > 1) {
        r.report(join(path, 'bridge'), `there is a bridge "${end.bridge}" in ${found.map((b) => nsLabel(b.namespace ?? null)).join(' and ')}: say which with "namespace"`);
        ok = false;
      }
      if (end.addresses?.length) r.report(join(path, 'addresses'), `a bridge port carries no addresses; put them on bridge "${end.bridge}"`);
      if (ok && end.vlans !== undefined && !(here[0] ?? found[0])?.vlanFiltering) r.report(join(path, 'vlans'), `bridge "${end.bridge}" does not filter VLANs (vlanFiltering: true)`);
    } else if (end.vlans !== undefined) {
      r.report(join(path, 'vlans'), 'VLANs belong to a port of a VLAN-filtering bridge ("bridge")');
    }
    const ns = endNamespace(bridges, end);
    if (ok && ns !== undefined) claim(ns, end.name, join(path, 'name'));
  }
}
