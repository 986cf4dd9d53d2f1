// The kernel backend: a lab's steps carried out on this machine with the
// typed rtnetlink API (one client per namespace, each batch of the plan one
// request batch), src/netns for namespaces, sysctls and programs, traffic
// control for qdiscs, and plain files for /etc/netns and the lab's record.
//
//   const lab = new Lab(description, new KernelBackend(), { cleanupOnExit: true });
import type { NftDocument } from '../../nft/document.js';
import { Nft } from '../../nft/client.js';
import { explainMissingKind } from '../../api/tc-common.js';
import { EncodeError } from '../../netlink/errors.js';
import { add as addNetns, exists as netnsExists, isLeftover, list as listNetns, remove as removeNetns } from '../../netns/named.js';
import { type OpenNetns, openNetnsRef } from '../../netns/ref.js';
import { readSysctl, writeSysctl } from '../../netns/sysctl.js';
import type { Request } from '../../netlink/request.js';
import type { ExecOptions, ExecResult, LabBackend, LabProcess, LabRecord, NamespaceState, Needs, SpawnOptions } from '../backend.js';
import type { LabQdiscSpec, LabVlanSpec } from '../description.js';
import { bridgeVlanMessage, bridgeVlanRequest } from '../../api/bridge.js';
import type { NsKey } from '../names.js';
import type { AddressAdd, DnsFiles, LinkAdd, Plan, RouteAdd } from '../plan.js';
import { eachItem, sendItems } from './batch.js';
import { NamespaceClients } from './clients.js';
import { execIn, spawnIn } from './exec.js';
import { readDnsFiles, removeDnsFiles, writeDnsFiles } from './files.js';
import type { LockOptions } from './lock.js';
import { RecordStore } from './records.js';
import { namespaceState } from './inspect.js';
import { leftovers } from './leftovers.js';
import {
  aliasRequest, addressAddRequest, linkAddRequests, masterRequest, qdiscAddRequests, qdiscChangeRequest, qdiscDeleteRequest, routeAddRequest, tapSetRequests, upRequest,
} from './requests.js';
import { add as addTuntap } from '../../tuntap/device.js';
import { missingKinds } from './support.js';

/** Where the kernel backend keeps lab records, and how long it waits for another process's lock. */
export interface KernelBackendOptions {
  /** Where lab records are kept (default /run/netlink-ts/labs): a directory only its owner may write. */
  recordDir?: string;
  /** How long up() and down() wait for another process's operation on the same lab (lock.ts). */
  lock?: LockOptions;
}

const code = (err: unknown) => (err as { code?: unknown } | null)?.code;

/** The lab backend that builds labs in this machine's kernel: named namespaces as `ip netns` makes them, over netlink. */
export class KernelBackend implements LabBackend {
  private readonly clients = new NamespaceClients();
  private readonly records: RecordStore;

  constructor(private readonly options: KernelBackendOptions = {}) {
    this.records = new RecordStore(options.recordDir);
  }

  async listNamespaces(): Promise<string[]> {
    return listNetns().filter((n) => !isLeftover(n));
  }

  async leftoverNamespaces(): Promise<string[]> {
    return listNetns().filter(isLeftover);
  }

  async createNamespace(name: string): Promise<void> {
    addNetns(name);
  }

  async deleteNamespace(name: string): Promise<boolean> {
    this.clients.close(name);
    if (!netnsExists(name)) return false;
    try {
      removeNetns(name);
    } catch (err) {
      if (code(err) === 'ENOENT') return false;
      throw err;
    }
    return true;
  }

  /** Name → index of the namespace's links, for the builders. */
  private async indexes(ns: NsKey): Promise<(name: string) => number | undefined> {
    const links = await (await this.clients.get(ns)).link.list();
    const map = new Map(links.map((l) => [l.name, l.index]));
    return (name) => map.get(name);
  }

  async addLinks(ns: NsKey, links: LinkAdd[]): Promise<void> {
    // A tap is made by ioctls on /dev/net/tun, not by a request: a batch holding one goes item by item.
    if (links.some((l) => l.kind === 'tap')) return eachItem(links, (l) => (l.kind === 'tap' ? this.addTap(ns, l) : this.addLinks(ns, [l])));
    const nl = await this.clients.get(ns);
    const fds = new Map<NsKey, OpenNetns>();
    try {
      const items = links.map((l) => {
        if (l.kind === 'tap') throw new Error('unreachable: taps are made one by one above');
        if (l.kind !== 'veth' || l.peer.ns === ns) return linkAddRequests(l, undefined);
        let fd = fds.get(l.peer.ns);
        if (!fd) fds.set(l.peer.ns, fd = openNetnsRef(l.peer.ns ?? { path: '/proc/self/ns/net' }, `link add ${l.name}`));
        return linkAddRequests(l, fd.fd);
      });
      await sendItems(nl, items, { undoPartial: (i) => nl.link.del(links[i]!.name) });
    } finally {
      for (const fd of fds.values()) fd.close();
    }
    // An end made in another namespace gets its alias there (the plan puts
    // aliases on root links only, and makes a pair from the root namespace
    // when an end is there, so this is for other planners).
    for (const l of links) {
      if (l.kind === 'veth' && l.peer.ns !== ns && l.peer.alias !== undefined) {
        await (await this.clients.get(l.peer.ns)).socket.request(aliasRequest(l.peer.name, l.peer.alias));
      }
    }
  }

  private async addTap(ns: NsKey, l: Extract<LinkAdd, { kind: 'tap' }>): Promise<void> {
    const { owner, group, multiQueue, vnetHdr } = l;
    addTuntap({ name: l.name, mode: 'tap', owner, group, multiQueue, vnetHdr, ...(ns === null ? {} : { netns: ns }) });
    const nl = await this.clients.get(ns);
    await sendItems(nl, [tapSetRequests(l)], { undoPartial: () => nl.link.del(l.name) }).catch(async (err: unknown) => {
      await nl.link.del(l.name).catch(() => undefined);
      throw err;
    });
  }

  async addBridgeVlans(ns: NsKey, vlans: { dev: string; vlan: LabVlanSpec; self?: boolean }[]): Promise<void> {
    const index = await this.indexes(ns);
    const items = vlans.map(({ dev, vlan, self }) => {
      const i = index(dev);
      if (i === undefined) throw new EncodeError('dev', `there is no interface named "${dev}"`);
      const input = { dev: i, vid: vlan.vid, pvid: vlan.pvid, untagged: vlan.untagged, ...(self ? { self: true } : {}) };
      return [bridgeVlanRequest('add', bridgeVlanMessage(i, input), dev)];
    });
    await sendItems(await this.clients.get(ns), items);
  }

  async deleteLink(ns: NsKey, name: string): Promise<boolean> {
    if (ns !== null && !netnsExists(ns)) return false;
    try {
      await (await this.clients.get(ns)).link.del(name);
      return true;
    } catch (err) {
      if (code(err) === 'ENODEV') return false;
      throw err;
    }
  }

  async setMasters(ns: NsKey, ports: { name: string; master: string }[]): Promise<void> {
    const index = await this.indexes(ns);
    const items = ports.map((p) => {
      const m = index(p.master);
      if (m === undefined) throw new EncodeError('master', `there is no interface named "${p.master}"`);
      return [masterRequest(p.name, m, p.master)];
    });
    await sendItems(await this.clients.get(ns), items);
  }

  async setLinksUp(ns: NsKey, names: string[]): Promise<void> {
    await sendItems(await this.clients.get(ns), names.map((n) => [upRequest(n)]));
  }

  async addAddresses(ns: NsKey, addresses: AddressAdd[]): Promise<void> {
    const index = await this.indexes(ns);
    await sendItems(await this.clients.get(ns), addresses.map((a) => [addressAddRequest(a, index)]));
  }

  async addRoutes(ns: NsKey, routes: RouteAdd[]): Promise<void> {
    const index = await this.indexes(ns);
    await sendItems(await this.clients.get(ns), routes.map((r) => [routeAddRequest(r, index)]));
  }

  /** Removes these addresses from their links in `ns` (`ip addr del`), as one batch on the namespace's socket. */
  async deleteAddresses(ns: NsKey, addresses: AddressAdd[]): Promise<void> {
    const index = await this.indexes(ns);
    await sendItems(await this.clients.get(ns), addresses.map((a) => [addressAddRequest(a, index, 'del')]));
  }

  /** Removes these routes from `ns` (`ip route del`), as one batch on the namespace's socket. */
  async deleteRoutes(ns: NsKey, routes: RouteAdd[]): Promise<void> {
    const index = await this.indexes(ns);
    await sendItems(await this.clients.get(ns), routes.map((r) => [routeAddRequest(r, index, 'del')]));
  }

  async deleteQdiscs(ns: NsKey, devs: string[]): Promise<void> {
    const index = await this.indexes(ns);
    await sendItems(await this.clients.get(ns), devs.map((d) => [qdiscDeleteRequest(d, index)]));
  }

  async changeQdiscs(ns: NsKey, qdiscs: { dev: string; qdisc: LabQdiscSpec }[]): Promise<void> {
    const index = await this.indexes(ns);
    await sendItems(await this.clients.get(ns), qdiscs.map((q) => [qdiscChangeRequest(q.dev, q.qdisc, index)]));
  }

  async setSysctls(ns: string, values: { key: string; value: string }[]): Promise<void> {
    await eachItem(values, (v) => writeSysctl(v.key, v.value, ns));
  }

  async addQdiscs(ns: NsKey, qdiscs: { dev: string; qdisc: LabQdiscSpec }[]): Promise<void> {
    const index = await this.indexes(ns);
    const nl = await this.clients.get(ns);
    const items: Request[][] = qdiscs.map((q) => qdiscAddRequests(q.dev, q.qdisc, index));
    await sendItems(nl, items, {
      explain: (err, i) => explainMissingKind(err, { qdisc: qdiscs[i]!.qdisc.kind }),
      undoPartial: (i) => nl.qdisc.delete({ dev: qdiscs[i]!.dev, parent: 'root' }),
    });
  }

  async applyFirewall(ns: string, doc: NftDocument): Promise<void> {
    using nft = Nft.open({ netns: ns });
    await nft.apply(doc);
  }

  async writeDnsFiles(ns: string, files: DnsFiles): Promise<void> {
    await writeDnsFiles(ns, files);
  }

  async removeDnsFiles(ns: string): Promise<boolean> {
    return removeDnsFiles(ns);
  }

  async unsupported(need: Needs): Promise<Needs> {
    return missingKinds(need);
  }

  async inspect(ns: NsKey, query: { sysctls: string[] }): Promise<NamespaceState> {
    const sysctls: Record<string, string> = {};
    for (const key of query.sysctls) {
      try {
        sysctls[key] = ns === null ? readSysctl(key) : readSysctl(key, ns);
      } catch (err) {
        if (code(err) !== 'ENOENT') throw err;
      }
    }
    return namespaceState(await this.clients.get(ns), sysctls, ns === null ? undefined : await readDnsFiles(ns));
  }

  exec(ns: NsKey, argv: string[], options?: ExecOptions): Promise<ExecResult> {
    return execIn(ns, argv, options);
  }

  spawn(ns: NsKey, argv: string[], options?: SpawnOptions): LabProcess {
    return spawnIn(ns, argv, options);
  }

  loadRecord(lab: string): Promise<unknown> {
    return this.records.load(lab);
  }

  recordLocation(lab: string): string {
    return this.records.file(lab);
  }

  lock(lab: string): Promise<() => Promise<void>> {
    return this.records.lock(lab, this.options.lock);
  }

  saveRecord(record: LabRecord): Promise<void> {
    return this.records.save(record);
  }

  removeRecord(lab: string): Promise<void> {
    return this.records.remove(lab);
  }

  async release(): Promise<void> {
    this.clients.closeAll();
  }

  /** What of the lab is still on this machine (empty after its down()): see leftovers.ts. */
  leftovers(plan: Plan): Promise<string[]> {
    return leftovers(plan, this.records);
  }
}
