// The lab description: what a namespace lab is made of. TypeScript users write
// it as a typed object (defineLab gives the types); a JSON file has exactly the
// same shape. Lists rather than maps, so that a duplicate name is an error the
// validator can report instead of a key JSON.parse silently drops.
//
// Names here are the lab's own names; what they become on the system (the
// namespace `<prefix><name>`, a root-namespace link `<prefix><name>`) is
// decided in names.ts.

import type { FirewallSpec } from './firewall.js';
import type { HostSpec, VxlanOptions } from './hosts.js';

/** A lab as written (JSON or TypeScript): its name, namespaces, bridges, veth pairs and taps. See docs/lab.md. */
export interface LabDescription {
  /** The JSON Schema of lab files (editors read it); ignored by the lab. */
  $schema?: string;
  /** The lab's name: letters, digits, '_', '.', '-'. Also the default prefix (`<name>-`). */
  name: string;
  /**
   * Put in front of every namespace name and every link the lab makes in the
   * root namespace, so its objects are recognizably its own. Default `<name>-`.
   */
  prefix?: string;
  /** Free text for people reading the file. */
  description?: string;
  namespaces: NamespaceSpec[];
  /**
   * The lab namespace that stands for the root namespace: bridges, veth ends
   * and taps given no namespace are placed in it, so the lab leaves the
   * host's own namespace alone. Without it they go in the root namespace.
   */
  rootNamespace?: string;
  /** Machines the lab spreads over (src/lab/hosts.ts): `lab up FILE --host NAME` builds one's part. */
  hosts?: HostSpec[];
  /** The VXLAN links that join namespaces on two hosts. */
  vxlan?: VxlanOptions;
  bridges?: BridgeSpec[];
  veths?: VethSpec[];
  /**
   * tap devices (made through /dev/net/tun, persistent): the place a VM or a
   * user-space program plugs into the lab. A tap carries nothing until a
   * program opens it, so the connectivity matrix never counts on one.
   */
  taps?: TapSpec[];
  /** What `lab check` measures: per path, reachable or not, round-trip time, rate, loss (check.ts). */
  expect?: PathExpectation[];
}

/** A measured property of a path between the lab's namespaces. */
export interface PathExpectation {
  /** The namespace the traffic starts in. */
  from: string;
  /** One of the lab's addresses (its namespace runs the far end of the probe). */
  to: string;
  /** Whether an answer comes back. Default true. */
  reachable?: boolean;
  /** Round-trip time, in tc's units ("200ms"): the median of the probe's UDP echoes. */
  rtt?: string;
  /** How far the measured rtt may be from `rtt`: a percentage ("25%", the default) or a time ("30ms"). */
  rttTolerance?: string;
  /** Throughput from → to, in tc's units ("1mbit"): bytes sent over TCP for a bounded time. */
  rate?: string;
  /** How far the measured rate may be from `rate`: a percentage ("20%", the default) or a rate ("100kbit"). */
  rateTolerance?: string;
  /** The most echoes that may be lost, in percent ("1%", 1). */
  loss?: string | number;
}

/** A namespace of a lab: forwarding, sysctls, routes, DNS files and a firewall. */
export interface NamespaceSpec {
  name: string;
  /** The host (of `hosts`) it is made on. */
  host?: string;
  /** Bring `lo` up. Default true. */
  loopback?: boolean;
  /**
   * Route between this namespace's links: net.ipv4.ip_forward=1, and
   * net.ipv6.conf.all.forwarding=1 when the namespace has IPv6 addresses.
   */
  forwarding?: boolean;
  /** net.* sysctls of this namespace, e.g. { "net.ipv4.conf.all.rp_filter": 0 }. */
  sysctls?: Record<string, SysctlValue>;
  routes?: RouteSpec[];
  /** /etc/netns/<namespace>/resolv.conf and hosts, seen by programs run with lab.exec. */
  dns?: DnsSpec;
  /** A firewall and NAT for this namespace, made with nftables (src/lab/firewall.ts). */
  firewall?: FirewallSpec;
}

/** A sysctl's value, written as text. */
export type SysctlValue = string | number | boolean;

/** What bridges and veth ends have in common. */
export interface LabLinkSpec {
  /** The interface name (the prefix is added in the root namespace). */
  name: string;
  /** Addresses with their prefix length, e.g. "10.0.0.1/24", "fd00::1/64". */
  addresses?: string[];
  /** Set the link up. Default true. */
  up?: boolean;
  mtu?: number;
  /** "aa:bb:cc:dd:ee:ff" */
  mac?: string;
  /** The root qdisc of this link. */
  qdisc?: LabQdiscSpec;
}

export interface BridgeSpec extends LabLinkSpec {
  /** The namespace the bridge lives in; absent: the root namespace. */
  namespace?: string;
  /**
   * VLAN filtering (802.1Q): each port carries only the VLANs its `vlans`
   * list, and frames cross between ports of one VLAN only. The bridge is
   * made without a default VLAN (vlan_default_pvid 0), so a port without
   * `vlans` carries nothing.
   */
  vlanFiltering?: boolean;
  /** The bridge's own VLANs (`bridge vlan add ... self`), for addresses on the bridge itself. */
  vlans?: LabVlanSpec[];
}

/** A VLAN on a port of a VLAN-filtering bridge: `bridge vlan add vid VID [pvid] [untagged]`. */
export interface LabVlanSpec {
  vid: number;
  /** Untagged frames coming in belong to this VLAN (at most one per port). */
  pvid?: boolean;
  /** Frames of this VLAN leave untagged. An access port: `{ vid, pvid: true, untagged: true }`; a trunk port: tagged VLANs. */
  untagged?: boolean;
}

export interface VethEnd extends LabLinkSpec {
  /**
   * The namespace this end lives in; absent: the root namespace, or the
   * bridge's namespace when `bridge` is given.
   */
  namespace?: string;
  /** Enslave this end to a bridge of the lab (in the same namespace). */
  bridge?: string;
  /** Its VLANs, when its bridge filters VLANs. */
  vlans?: LabVlanSpec[];
}

/** A veth pair: its two ends, each in a namespace (or the root) with addresses, a bridge and qdiscs. */
export interface VethSpec {
  a: VethEnd;
  b: VethEnd;
}

/** A tap: in a namespace (or its bridge's), optionally a port of a bridge, with `ip tuntap add` options. */
export interface TapSpec extends VethEnd {
  /** The user (uid) allowed to open it. */
  owner?: number;
  /** The group (gid) allowed to open it. */
  group?: number;
  multiQueue?: boolean;
  vnetHdr?: boolean;
}

/** A route of a lab namespace. */
export interface RouteSpec {
  /** "default" (IPv4, or IPv6 when `via` is IPv6), or a prefix: "10.0.2.0/24", "::/0". */
  to: string;
  /** The gateway; it must be on a subnet of one of the namespace's links. */
  via?: string;
  /** The outgoing interface (its lab name). Needed when there is no `via`. */
  dev?: string;
  metric?: number;
  /** Preferred source address (one of the namespace's own). */
  src?: string;
}

/** The resolv.conf and hosts a namespace's programs see. */
export interface DnsSpec {
  nameservers?: string[];
  search?: string[];
  /** Host name → address, written to the namespace's hosts file. */
  hosts?: Record<string, string>;
}

// Qdiscs. Rates, sizes and times are tc's text ('1mbit', '32kbit', '100ms').

/** A qdisc on a lab link: netem, tbf, htb or a fifo. */
export type LabQdiscSpec = NetemSpec | TbfSpec | HtbSpec | FifoSpec;

/** netem: delay, jitter, loss, duplication, reordering, rate limit (needs a kernel with sch_netem). */
export interface NetemSpec {
  kind: 'netem';
  delay?: string;
  /** Needs delay. */
  jitter?: string;
  /** '1%' or a number of percent. */
  loss?: string | number;
  duplicate?: string | number;
  corrupt?: string | number;
  /** Needs delay. */
  reorder?: string | number;
  rate?: string;
  /** Packets. */
  limit?: number;
}

/** tbf: a token bucket rate limit. */
export interface TbfSpec {
  kind: 'tbf';
  rate: string;
  burst: string | number;
  /** Exactly one of latency and limit, as tc wants. */
  latency?: string;
  limit?: string | number;
}

/** htb: a hierarchy of rate-limited classes. */
export interface HtbSpec {
  kind: 'htb';
  /** The minor number of the class unclassified traffic goes to. */
  default?: number;
  classes: HtbClassSpec[];
}

/** One htb class: its rate, ceiling and parent. */
export interface HtbClassSpec {
  /** Minor number of the class: 1:<id>. */
  id: number;
  rate: string;
  ceil?: string;
  /** Minor number of the parent class; absent: the qdisc itself. */
  parent?: number;
}

/** pfifo or bfifo: a queue of a limited length. */
export interface FifoSpec {
  kind: 'pfifo' | 'bfifo';
  /** Packets for pfifo, bytes for bfifo. */
  limit?: number;
}

/** Identity function that gives a TypeScript description its types. */
export function defineLab(description: LabDescription): LabDescription {
  return description;
}
