// The seam between a lab and the system: the few operations the plan needs,
// in system names (prefixes applied; `null` is the root namespace). A lab is
// written against this interface only; the kernel implementation
// (kernel/backend.ts) sits on the typed rtnetlink API, traffic control and
// src/netns; tests use an in-memory one.
//
// Contracts every backend keeps:
//  - A method that takes a list (a batch) and fails part way throws an error
//    whose numeric `index` names the item that failed (NetlinkError.index does
//    for a request batch): items before it took effect, it and the ones after
//    did not. An error without `index` means nothing of the batch took effect.
//  - Removals (deleteNamespace, deleteLink, removeDnsFiles) are safe to repeat:
//    they return false when there was nothing to remove.
//  - Creations fail when the object exists already (EEXIST), never replace it.
//  - What a backend opens for its work (sockets inside namespaces, which keep
//    a namespace alive) it may keep between calls; release() closes it, and
//    every Lab operation ends with it.
import type { NftDocument } from '../nft/document.js';
import type { Readable } from 'node:stream';
import type { LabQdiscSpec, LabVlanSpec } from './description.js';
import type { NsKey } from './names.js';
import type { AddressAdd, DnsFiles, LinkAdd, Owned, RouteAdd } from './plan.js';

/**
 * What builds and inspects a lab: namespaces, links, addresses, routes, qdiscs, firewalls, programs and
 * the lab's record. {@link KernelBackend} is the real one; tests use a fake.
 */
export interface LabBackend {
  /** Named namespaces that exist (the /run/netns names that hold a namespace). */
  listNamespaces(): Promise<string[]>;
  /**
   * Names that hold no namespace: a file left by a creation killed half way
   * (listNamespaces leaves them out). createNamespace replaces one,
   * deleteNamespace removes one.
   */
  leftoverNamespaces?(): Promise<string[]>;
  /** Makes a named namespace (as `ip netns add` does). */
  createNamespace(name: string): Promise<void>;
  /** Removes the namespace and everything in it (veth peers elsewhere go too). */
  deleteNamespace(name: string): Promise<boolean>;

  /** Makes links in a namespace (veth pairs, bridges, taps). */
  addLinks(ns: NsKey, links: LinkAdd[]): Promise<void>;
  /** Deletes a link; false when there was none of that name. */
  deleteLink(ns: NsKey, name: string): Promise<boolean>;
  /** Makes links ports of their bridges. */
  setMasters(ns: NsKey, ports: { name: string; master: string }[]): Promise<void>;
  /** VLANs of ports of VLAN-filtering bridges (self: the bridge's own). */
  addBridgeVlans(ns: NsKey, vlans: { dev: string; vlan: LabVlanSpec; self?: boolean }[]): Promise<void>;
  /** Sets links up. */
  setLinksUp(ns: NsKey, names: string[]): Promise<void>;
  /** Adds addresses to links. */
  addAddresses(ns: NsKey, addresses: AddressAdd[]): Promise<void>;
  /** Adds routes. */
  addRoutes(ns: NsKey, routes: RouteAdd[]): Promise<void>;
  /** Only ever called for lab namespaces. */
  setSysctls(ns: string, values: { key: string; value: string }[]): Promise<void>;
  /** Adds qdiscs (and an htb's classes) to links. */
  addQdiscs(ns: NsKey, qdiscs: { dev: string; qdisc: LabQdiscSpec }[]): Promise<void>;
  // What apply() needs to change a lab that is up (a backend without them can build and remove labs, not change them).
  /** Removes these addresses from their links in `ns` (`ip addr del`). */
  deleteAddresses?(ns: NsKey, addresses: AddressAdd[]): Promise<void>;
  /** Removes these routes from `ns` (`ip route del`). */
  deleteRoutes?(ns: NsKey, routes: RouteAdd[]): Promise<void>;
  /** Removes the root qdisc (the link falls back to its default one), with its classes. */
  deleteQdiscs?(ns: NsKey, devs: string[]): Promise<void>;
  /** New options for root qdiscs of the kind they have (`tc qdisc change`): nothing else is touched. */
  changeQdiscs?(ns: NsKey, qdiscs: { dev: string; qdisc: LabQdiscSpec }[]): Promise<void>;
  /** Makes the namespace's nftables tables hold exactly what the document describes, in one transaction. */
  applyFirewall(ns: string, doc: NftDocument): Promise<void>;
  /** /etc/netns/<ns>/resolv.conf and hosts, for what is set. */
  writeDnsFiles(ns: string, files: DnsFiles): Promise<void>;
  /** Removes /etc/netns/<ns>; false when there was nothing. */
  removeDnsFiles(ns: string): Promise<boolean>;

  /**
   * Which of these this system cannot make (e.g. a kernel without sch_netem):
   * asked before anything is created, so that up() can stop cleanly.
   */
  unsupported(need: Needs): Promise<Needs>;

  /** What is there now, for status() and for down()'s ownership check. */
  inspect(ns: NsKey, query: { sysctls: string[] }): Promise<NamespaceState>;

  /** Runs a program in a namespace to completion. A program that cannot be started rejects with code 'ENOENT'. */
  exec(ns: NsKey, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts a program in a namespace and leaves it running (the probe's echo server). */
  spawn(ns: NsKey, argv: string[], options?: SpawnOptions): LabProcess;

  /**
   * The record of what a lab owns, kept where a later process finds it, as
   * stored (the Lab checks it before trusting it: recordCheck in record.ts);
   * undefined when there is none. May throw a LabRecordError when it cannot
   * be read.
   */
  loadRecord(lab: string): Promise<unknown>;
  /** Keeps what the lab made, so that `down()` removes exactly that. */
  saveRecord(record: LabRecord): Promise<void>;
  /** Forgets a lab's record (after `down()`). */
  removeRecord(lab: string): Promise<void>;
  /** Where the record is kept, for messages ("/run/netlink-ts/labs/pair.json"). */
  recordLocation?(lab: string): string;
  /**
   * Takes the lab's lock across processes (up() and down() hold it); resolves
   * to its release. A Lab also queues its operations within the process.
   */
  lock?(lab: string): Promise<() => Promise<void>>;

  /** Closes what the backend kept open between calls; the next call opens it again. */
  release(): Promise<void>;
}

/** The link kind a lab asks for when it needs a bridge that filters VLANs (not every kernel's bridge does). */
export const VLAN_BRIDGE = 'bridge+vlan_filtering';

/** Kinds of things a lab makes: what it asks a backend it can make. */
export interface Needs {
  linkKinds: string[];
  qdiscKinds: string[];
}

/** How a program is started in a namespace. */
export interface SpawnOptions {
  /**
   * true (default): the program sees the namespace as `ip netns exec` shows
   * it (its own mounts: the namespace's /sys, /etc/netns/<ns>/* over /etc).
   * false: started straight in the namespace, faster, with our /etc and /sys.
   */
  mounts?: boolean;
}

/** How a program is run in a namespace: as spawn, with a time limit, input, and where its output goes. */
export interface ExecOptions extends SpawnOptions {
  /** Kill the program after this long (default: no limit). */
  timeoutMs?: number;
  /** Written to its standard input. */
  input?: string;
  /** Its output goes to ours (stdout and stderr of the result are then empty). */
  inherit?: boolean;
}

/** How a program run in a namespace ended, and what it printed. */
export interface ExecResult {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** A program started in a lab namespace: its output, a way to end it, and its result. */
export interface LabProcess {
  stdout: Readable;
  /** Ends it (closing its standard input, then a signal). */
  kill(): void;
  done: Promise<ExecResult>;
}

/** Written before up() makes its first change, removed by down() at the end. */
export interface LabRecord extends Owned {
  lab: string;
  prefix: string;
  /** ISO time of the up() that wrote it. */
  created: string;
  /** Where the description came from (LabOptions.source: the CLI's file), for messages. */
  source?: string;
  /** The description the lab was made from (apply() works out changes against it; validated before use). */
  description?: unknown;
}

/** A link as the lab's status sees it. */
export interface LinkState {
  name: string;
  /** 'veth', 'bridge', ...; undefined for links without a kind (lo). */
  kind?: string;
  up: boolean;
  mtu?: number;
  mac?: string;
  alias?: string;
  /** Name of the bridge it is a port of. */
  master?: string;
  /** "address/length", link-local IPv6 addresses included. */
  addresses: string[];
  /** Those of `addresses` still in IPv6 duplicate address detection (not usable yet); absent: none. */
  tentative?: string[];
  /** The root qdisc's kind ('noqueue', 'tbf', ...). */
  qdisc?: string;
}

/** A route as the lab's status sees it. */
export interface RouteState {
  family: 4 | 6;
  /** A prefix: "0.0.0.0/0" for a default route. */
  to: string;
  via?: string;
  dev?: string;
  metric?: number;
  /** Who added it: 'kernel' for connected routes, 'boot' or 'static' for added ones. */
  protocol?: string;
}

/** What a namespace holds now: links, routes and the sysctls asked for. */
export interface NamespaceState {
  links: LinkState[];
  /** The main table. */
  routes: RouteState[];
  /** The values asked for; a missing key is one the system does not have. */
  sysctls: Record<string, string>;
  /** /etc/netns/<ns> files, when there are any (root: none). */
  dns?: DnsFiles;
}
