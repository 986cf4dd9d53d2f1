// Kernel lab tests: the examples, the kernel backend, and a wrapper that
// makes the k-th change of an up() fail (after doing the ones before it).
import type { NftDocument } from '../../src/nft/document.js';
import { readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import type { ExecOptions, LabBackend, LabRecord, Needs, SpawnOptions } from '../../src/lab/backend.js';
import type { LabDescription, LabQdiscSpec, LabVlanSpec } from '../../src/lab/description.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import type { Lab } from '../../src/lab/lab.js';
import type { NsKey } from '../../src/lab/names.js';
import type { AddressAdd, DnsFiles, LinkAdd, RouteAdd } from '../../src/lab/plan.js';

export const EXAMPLES = ['01-veth-pair.json', '02-bridge.json', '03-router.json', '04-tbf.json'];

export function example(file: string): LabDescription {
  return JSON.parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8')) as LabDescription;
}

/** Fails when anything of the lab is still on the machine. */
export async function assertGone(lab: Lab, what = ''): Promise<void> {
  const left = await new KernelBackend().leftovers(lab.plan);
  assert.equal(left, [], `${lab.name}${what ? ` ${what}` : ''}: left behind ${left.join(', ')}`);
}

/** An injected failure, with the index the batch contract asks for. */
export class InjectedFault extends Error {
  constructor(readonly index: number, change: number) {
    super(`injected fault at change ${change}`);
  }
}

/**
 * The real backend, except that change number `failAt` (1-based, each item of
 * a batch counting as one) fails: the items before it in its batch are done,
 * then an InjectedFault with its index is thrown.
 */
export class FaultyBackend implements LabBackend {
  changes = 0;
  constructor(readonly inner: KernelBackend, readonly failAt: number) {}

  protected async items<T>(items: T[], apply: (some: T[]) => Promise<void>): Promise<void> {
    const at = this.failAt - this.changes - 1;
    if (at >= 0 && at < items.length) {
      if (at > 0) await apply(items.slice(0, at));
      this.changes += at + 1;
      throw new InjectedFault(at, this.failAt);
    }
    this.changes += items.length;
    await apply(items);
  }

  createNamespace(name: string) { return this.items([name], () => this.inner.createNamespace(name)); }
  addLinks(ns: NsKey, links: LinkAdd[]) { return this.items(links, (some) => this.inner.addLinks(ns, some)); }
  setMasters(ns: NsKey, ports: { name: string; master: string }[]) { return this.items(ports, (some) => this.inner.setMasters(ns, some)); }
  addBridgeVlans(ns: NsKey, v: { dev: string; vlan: LabVlanSpec; self?: boolean }[]) { return this.items(v, (some) => this.inner.addBridgeVlans(ns, some)); }
  setLinksUp(ns: NsKey, names: string[]) { return this.items(names, (some) => this.inner.setLinksUp(ns, some)); }
  addAddresses(ns: NsKey, a: AddressAdd[]) { return this.items(a, (some) => this.inner.addAddresses(ns, some)); }
  addRoutes(ns: NsKey, r: RouteAdd[]) { return this.items(r, (some) => this.inner.addRoutes(ns, some)); }
  setSysctls(ns: string, v: { key: string; value: string }[]) { return this.items(v, (some) => this.inner.setSysctls(ns, some)); }
  addQdiscs(ns: NsKey, q: { dev: string; qdisc: LabQdiscSpec }[]) { return this.items(q, (some) => this.inner.addQdiscs(ns, some)); }
  applyFirewall(ns: string, doc: NftDocument) { return this.items([doc], () => this.inner.applyFirewall(ns, doc)); }
  writeDnsFiles(ns: string, files: DnsFiles) { return this.items([files], () => this.inner.writeDnsFiles(ns, files)); }

  listNamespaces() { return this.inner.listNamespaces(); }
  deleteNamespace(name: string) { return this.inner.deleteNamespace(name); }
  deleteLink(ns: NsKey, name: string) { return this.inner.deleteLink(ns, name); }
  removeDnsFiles(ns: string) { return this.inner.removeDnsFiles(ns); }
  unsupported(need: Needs) { return this.inner.unsupported(need); }
  inspect(ns: NsKey, query: { sysctls: string[] }) { return this.inner.inspect(ns, query); }
  exec(ns: NsKey, argv: string[], options?: ExecOptions) { return this.inner.exec(ns, argv, options); }
  spawn(ns: NsKey, argv: string[], options?: SpawnOptions) { return this.inner.spawn(ns, argv, options); }
  loadRecord(lab: string) { return this.inner.loadRecord(lab); }
  saveRecord(record: LabRecord) { return this.inner.saveRecord(record); }
  removeRecord(lab: string) { return this.inner.removeRecord(lab); }
  release() { return this.inner.release(); }
}

/**
 * A lab with a bit of everything the examples leave out: IPv6 with routes of
 * both families, a bridge inside a namespace, a veth end in the root
 * namespace (with an address, so the root takes part in the matrix), htb
 * with classes, pfifo, mtu and mac, sysctls, resolv.conf. Test addresses only.
 */
export const SINK: LabDescription = {
  name: 'sink',
  prefix: 'nlts-k-',
  namespaces: [
    {
      name: 'a',
      routes: [{ to: '198.18.2.0/24', via: '198.18.1.1' }, { to: 'fd00:2::/64', via: 'fd00:1::1' }],
      sysctls: { 'net.ipv4.conf.all.rp_filter': 0 },
      dns: { nameservers: ['198.18.1.1'], search: ['lab.test'], hosts: { b: '198.18.2.2' } },
    },
    { name: 'r', forwarding: true },
    { name: 'b', routes: [{ to: 'default', via: '198.18.2.1' }, { to: 'default', via: 'fd00:2::1' }] },
  ],
  bridges: [{ name: 'br', namespace: 'r', addresses: ['198.18.2.1/24', 'fd00:2::1/64'] }],
  veths: [
    {
      a: { name: 'e0', namespace: 'a', addresses: ['198.18.1.2/24', 'fd00:1::2/64'], mtu: 1400, mac: '02:00:5e:00:00:01' },
      b: {
        name: 'ra', namespace: 'r', addresses: ['198.18.1.1/24', 'fd00:1::1/64'], mtu: 1400,
        qdisc: { kind: 'htb', default: 10, classes: [{ id: 10, rate: '1mbit', ceil: '10mbit', parent: 1 }, { id: 1, rate: '10mbit' }] },
      },
    },
    { a: { name: 'e0', namespace: 'b', addresses: ['198.18.2.2/24', 'fd00:2::2/64'] }, b: { name: 'rb', bridge: 'br' } },
    { a: { name: 'x', addresses: ['198.18.3.1/24'] }, b: { name: 'x', namespace: 'a', addresses: ['198.18.3.2/24'], qdisc: { kind: 'pfifo', limit: 100 } } },
  ],
};
