// The shape of a lab as a network: its interfaces (bridges and veth ends, each
// in a namespace), their addresses, and which of them share a wire (a veth
// pair, a bridge and its ports). Validation, the plan, the expected
// connectivity and the picture all read the lab through this.
import { type Prefix, parsePrefix } from '../netlink/ip.js';
import type { BridgeSpec, LabDescription, LabLinkSpec, LabVlanSpec, TapSpec, VethEnd } from './description.js';
import type { NsKey } from './names.js';

export interface IfAddr {
  /** As written in the description. */
  text: string;
  /** Where it is written, e.g. `veths[0].a.addresses[1]`. */
  path: string;
  prefix: Prefix;
}

export interface Iface {
  /** Unique in the lab: where it is described (`bridges[0]`, `veths[1].b`). */
  key: string;
  ns: NsKey;
  /** The lab's name for it (the root namespace adds the prefix on the system). */
  name: string;
  kind: 'bridge' | 'veth' | 'tap';
  up: boolean;
  /** Key of the bridge this veth end is a port of. */
  master?: string;
  /** Key of the other end of the veth pair. */
  peer?: string;
  addresses: IfAddr[];
  spec: LabLinkSpec;
}

/**
 * The namespace a veth end lives in: its own `namespace`, else its bridge's,
 * else the root namespace. Undefined when its bridge is unknown or ambiguous
 * (the validator reports that).
 */
export function endNamespace(bridges: readonly BridgeSpec[], end: VethEnd): NsKey | undefined {
  if (end.namespace !== undefined) return end.namespace;
  if (end.bridge === undefined) return null;
  const found = bridgesNamed(bridges, end.bridge);
  return found.length === 1 ? found[0]!.namespace ?? null : undefined;
}

const bridgeIndex = new WeakMap<readonly BridgeSpec[], Map<string, BridgeSpec[]>>();

/**
 * The bridges of a list with this name (one per namespace at most, in a valid
 * lab), through an index made on first use: a lab with thousands of ports
 * would otherwise scan every bridge for each. The list must not change after.
 */
export function bridgesNamed(bridges: readonly BridgeSpec[], name: string): BridgeSpec[] {
  let index = bridgeIndex.get(bridges);
  if (!index) {
    index = new Map();
    for (const b of bridges) {
      const list = index.get(b.name);
      if (list) list.push(b);
      else index.set(b.name, [b]);
    }
    bridgeIndex.set(bridges, index);
  }
  return index.get(name) ?? [];
}

/** Parses an interface's addresses, skipping any that do not parse (the validator reports them). */
function addressesOf(spec: LabLinkSpec, path: string): IfAddr[] {
  const out: IfAddr[] = [];
  (spec.addresses ?? []).forEach((text, i) => {
    const p = `${path}.addresses[${i}]`;
    try {
      out.push({ text, path: p, prefix: parsePrefix(text, p) });
    } catch { /* reported by the validator */ }
  });
  return out;
}

export class Topology {
  readonly ifaces: Iface[] = [];
  readonly byKey = new Map<string, Iface>();
  private readonly byName = new Map<string, Iface>();
  /** The lab's namespaces, then null when the lab has links in the root namespace. */
  readonly namespaces: NsKey[];

  /**
   * With `known`, interfaces in namespaces outside it are left out (the
   * validator passes the namespaces that exist, so that one bad reference
   * does not hide the rest of the lab from the network checks).
   */
  constructor(readonly lab: LabDescription, known?: ReadonlySet<string>) {
    const bridges = lab.bridges ?? [];
    const add = (i: Iface) => {
      if (i.ns !== null && known && !known.has(i.ns)) return;
      this.ifaces.push(i);
      this.byKey.set(i.key, i);
      const name = `${i.ns ?? ''}/${i.name}`;
      if (!this.byName.has(name)) this.byName.set(name, i); // a duplicate is the validator's to report
    };
    bridges.forEach((b, i) => {
      const ns = b.namespace ?? null;
      const key = `bridges[${i}]`;
      add({ key, ns, name: b.name, kind: 'bridge', up: b.up !== false, addresses: addressesOf(b, key), spec: b });
    });
    (lab.veths ?? []).forEach((v, i) => {
      for (const side of ['a', 'b'] as const) {
        const end = v[side] as VethEnd | undefined; // the validator's drafts may lack one
        if (!end) continue;
        const ns = endNamespace(bridges, end);
        if (ns === undefined) continue;
        const key = `veths[${i}].${side}`;
        add({ key, ns, name: end.name, kind: 'veth', up: end.up !== false, peer: `veths[${i}].${side === 'a' ? 'b' : 'a'}`, addresses: addressesOf(end, key), spec: end });
      }
    });
    (lab.taps ?? []).forEach((t: TapSpec, i) => {
      const ns = endNamespace(bridges, t);
      if (ns === undefined) return;
      const key = `taps[${i}]`;
      add({ key, ns, name: t.name, kind: 'tap', up: t.up !== false, addresses: addressesOf(t, key), spec: t });
    });
    for (const i of this.ifaces) {
      if (i.kind === 'bridge') continue;
      const bridge = (i.spec as VethEnd).bridge;
      const master = bridge === undefined ? undefined : this.find(i.ns, bridge);
      if (master?.kind === 'bridge') i.master = master.key;
    }
    const names = [...new Set(lab.namespaces.map((n) => n.name))];
    this.namespaces = this.ifaces.some((i) => i.ns === null) ? [...names, null] : names;
  }

  /** The interface with this lab name in this namespace. */
  find(ns: NsKey, name: string): Iface | undefined {
    return this.byName.get(`${ns ?? ''}/${name}`);
  }

  /** The interfaces of a namespace, in description order (an index, made on first use: labs have thousands). */
  in(ns: NsKey): Iface[] {
    if (!this.byNs) {
      this.byNs = new Map();
      for (const i of this.ifaces) {
        const list = this.byNs.get(i.ns);
        if (list) list.push(i);
        else this.byNs.set(i.ns, [i]);
      }
    }
    return this.byNs.get(ns) ?? [];
  }

  private byNs: Map<NsKey, Iface[]> | undefined;

  /**
   * Which interfaces share a wire: a map from interface key to a segment id.
   * With onlyUp, a link that is down (or a bridge that is down) cuts its wire.
   */
  segments(onlyUp = false): Map<string, number> {
    const parent = new Map<string, string>();
    const find = (k: string): string => {
      let r = k;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(k, r);
      return r;
    };
    // A VLAN of a VLAN-filtering bridge is a wire of its own: "<bridge key>#<vid>".
    const node = (k: string): string => { if (!parent.has(k)) parent.set(k, k); return k; };
    const union = (a: string, b: string) => parent.set(find(node(a)), find(node(b)));
    for (const i of this.ifaces) parent.set(i.key, i.key);
    const filtering = (b: Iface | undefined): boolean => (b?.spec as BridgeSpec | undefined)?.vlanFiltering === true;
    const vlans = (i: Iface): LabVlanSpec[] => (i.spec as VethEnd).vlans ?? [];
    const pvid = (i: Iface): number | undefined => vlans(i).find((v) => v.pvid)?.vid;
    for (const i of this.ifaces) {
      const peer = i.peer === undefined ? undefined : this.byKey.get(i.peer);
      if (peer && (!onlyUp || (i.up && peer.up))) union(i.key, peer.key);
      const master = i.master === undefined ? undefined : this.byKey.get(i.master);
      // A tap has no carrier until a program opens it: its wire carries nothing a lab can count on.
      if (!master || (onlyUp && !(i.up && master.up && i.kind !== 'tap'))) continue;
      if (!filtering(master)) { union(i.key, master.key); continue; }
      // Untagged frames coming in belong to the port's PVID; without one they are dropped.
      const p = pvid(i);
      if (p !== undefined) union(i.key, `${master.key}#${p}`);
      // A trunk: what leaves this port for a port of another filtering bridge arrives there tagged
      // (its VLAN, if that port has it) or untagged (that port's PVID).
      const far = peer?.master === undefined ? undefined : this.byKey.get(peer.master);
      if (!peer || !filtering(far) || (onlyUp && !(peer.up && far!.up))) continue;
      for (const v of vlans(i)) {
        const there = v.untagged ? pvid(peer) : vlans(peer).some((w) => w.vid === v.vid) ? v.vid : undefined;
        if (there !== undefined) union(`${master.key}#${v.vid}`, `${far!.key}#${there}`);
      }
    }
    // A VLAN-filtering bridge's own traffic goes out on its PVID.
    for (const b of this.ifaces) {
      const p = b.kind === 'bridge' && filtering(b) ? (b.spec as BridgeSpec).vlans?.find((v) => v.pvid)?.vid : undefined;
      if (p !== undefined && (!onlyUp || b.up)) union(b.key, `${b.key}#${p}`);
    }
    const ids = new Map<string, number>();
    const out = new Map<string, number>();
    for (const i of this.ifaces) {
      const r = find(i.key);
      if (!ids.has(r)) ids.set(r, ids.size);
      out.set(i.key, ids.get(r)!);
    }
    return out;
  }
}
