// Changing a lab that is up (planChanges/apply) on the kernel: a sequence of
// edits ends in the same state as a fresh up() of the last description,
// compared object by object (links, addresses, routes, qdiscs with their
// options, sysctls, DNS files); a qdisc's new rate touches that qdisc only
// (the monitors of every lab namespace see nothing else); a fault at any
// step of an apply leaves the lab as it was.
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import type { MonitorEvent } from '../../src/events/monitor.js';
import type { LabDescription } from '../../src/lab/description.js';
import { LabUpError } from '../../src/lab/errors.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { statusText } from '../../src/lab/status.js';
import { FaultyBackend, InjectedFault, assertGone } from '../helpers/lab-kernel.js';
import { BASE, EDITS } from '../helpers/lab-edits.js';
import { waitFor, waitForLinksSettled } from '../helpers/settle.js';
import { ip, run, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const backend = new KernelBackend();

/** What the lab's namespaces hold, as iproute2 shows it, without what the kernel picks (indexes, random MACs, counters). */
function snapshot(d: LabDescription): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const prefix = d.prefix!;
  const names = run('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(prefix)).sort();
  for (const ns of names) {
    const json = (args: string[]): Record<string, unknown>[] => JSON.parse(run(args[0]!, ['-n', ns, '-j', ...args.slice(1)]) || '[]');
    const links = json(['ip', '-d', 'link', 'show']).map((l) => ({
      name: l.ifname, mtu: l.mtu, up: Array.isArray(l.flags) && l.flags.includes('UP'), master: l.master,
      kind: typeof l.linkinfo === 'object' && l.linkinfo !== null && 'info_kind' in l.linkinfo ? l.linkinfo.info_kind : undefined,
    }));
    const addrs = json(['ip', 'addr', 'show']).map((l) => ({
      name: l.ifname,
      addrs: (Array.isArray(l.addr_info) ? l.addr_info : []).map((a: Record<string, unknown>) => `${String(a.local)}/${String(a.prefixlen)}`).filter((a: string) => !a.startsWith('fe80:')).sort(),
    }));
    const routes = [...json(['ip', '-4', 'route', 'show', 'table', 'main']), ...json(['ip', '-6', 'route', 'show', 'table', 'main'])]
      .filter((r) => !String(r.dst).startsWith('fe80:'))
      .map((r) => ({ dst: r.dst, gateway: r.gateway, dev: r.dev, protocol: r.protocol, metric: r.metric, prefsrc: r.prefsrc, scope: r.scope }));
    const qdiscs = json(['tc', 'qdisc', 'show']).map((q) => ({ dev: q.dev, kind: q.kind, root: q.root, options: q.options }));
    const sysctls = ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding', 'net.ipv4.conf.all.rp_filter'].map((k) => `${k}=${run('ip', ['netns', 'exec', ns, 'sysctl', '-n', k]).trim()}`);
    let dns: Record<string, string> = {};
    try {
      dns = Object.fromEntries(readdirSync(`/etc/netns/${ns}`).map((f) => [f, readFileSync(`/etc/netns/${ns}/${f}`, 'utf8')]));
    } catch { /* none */ }
    const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();
    // By name, not by index: a link made anew comes later in the kernel's list.
    out[ns] = { links: sorted(links), addrs: sorted(addrs), routes: sorted(routes), qdiscs: sorted(qdiscs), sysctls, dns };
  }
  return out;
}

function pick(snap: unknown, ns: string, part: string): unknown {
  const o = typeof snap === 'object' && snap !== null ? Object.getOwnPropertyDescriptor(snap, ns)?.value : undefined;
  return typeof o === 'object' && o !== null ? Object.getOwnPropertyDescriptor(o, part)?.value : undefined;
}

async function assertUp(lab: Lab, what: string): Promise<void> {
  const st = await lab.status();
  assert.ok(st.up && st.counts.extra === 0, `${what}: ${statusText(st)}`);
}

test('a sequence of edits applied one by one ends as a fresh up() of the last description, object by object', async () => {
  await new Lab(BASE, backend).up();
  try {
    for (const [what, d] of EDITS) {
      const lab = new Lab(d, backend);
      const plan = await lab.planChanges();
      assert.ok(plan.up && plan.changes.length > 0, `${what}: the plan lists changes`);
      const r = await lab.apply();
      assert.ok(r.changed, what);
      await assertUp(lab, what);
      assert.equal((await lab.planChanges()).changes, [], `${what}: nothing left to change`);
    }
  } finally {
    await new Lab(EDITS.at(-1)![1], backend).down();
  }
  const last = EDITS.at(-1)![1];
  // Applied again from the start, then compared with a fresh up of the last description.
  await new Lab(BASE, backend).up();
  for (const [, d] of EDITS) await new Lab(d, backend).apply();
  const applied = snapshot(last);
  const lab = new Lab(last, backend);
  await lab.down();
  await assertGone(new Lab(BASE, backend));
  await lab.up();
  const fresh = snapshot(last);
  await lab.down();
  await assertGone(lab);
  for (const ns of Object.keys(fresh)) {
    for (const part of ['links', 'addrs', 'routes', 'qdiscs', 'sysctls', 'dns']) assert.equal(pick(applied, ns, part), pick(fresh, ns, part), `${ns} ${part}`);
  }
  assert.equal(applied, fresh);
});

/** A label of what an event is about: "qdisc tbf on 2", "address ...". */
function label(ev: MonitorEvent): string {
  if (ev.action !== 'new' && ev.action !== 'del') return ev.action;
  const o: unknown = ev.object;
  const get = (k: string) => (typeof o === 'object' && o !== null && k in o ? String(Object.getOwnPropertyDescriptor(o, k)?.value) : '');
  return `${ev.action} ${ev.kind} ${get('kind')} ifindex ${get('ifindex') || get('index')} ${get('address')}${get('dst')}`.trim();
}

test('a new qdisc rate changes that qdisc only: the monitors of every lab namespace see nothing else', async () => {
  const lab = new Lab(BASE, backend);
  await lab.up();
  try {
    // up()'s links come up through the kernel's linkwatch a little later: those events are not apply()'s.
    for (const n of BASE.namespaces) await waitForLinksSettled({ ns: `${BASE.prefix}${n.name}` });
    const clients = BASE.namespaces.map((n) => Rtnl.openSync({ netns: `${BASE.prefix}${n.name}` }));
    try {
      const seen = new Map<string, string[]>();
      const watchers = clients.map(async (nl, i) => {
        const ns = BASE.namespaces[i]!.name;
        const got: string[] = [];
        seen.set(ns, got);
        const it = nl.monitor({ groups: ['link', 'address', 'route', 'qdisc', 'neigh'] })[Symbol.asyncIterator]();
        // Between two markers (an address on lo added before and after apply() in each namespace): what apply() made.
        let started = false;
        for (;;) {
          const step = await it.next();
          if (step.done) break;
          const l = label(step.value);
          if (l.includes('198.19.255.2')) { started = true; continue; }
          if (l.includes('198.19.255.1')) break;
          // IPv6 link-local routes come and go with the kernel's own address configuration, whoever changes a qdisc.
          if (started && !/ (fe80|ff00):/.test(l)) got.push(l);
        }
        await it.return?.(undefined);
      });
      await new Promise((r) => setTimeout(r, 50));
      for (const n of BASE.namespaces) {
        // IPv6 link-local addresses end duplicate address detection on their own time, with events of their own.
        await waitFor(() => !ip('-n', `${BASE.prefix}${n.name}`, 'addr', 'show').includes('tentative'), { what: `no tentative address in ${n.name}` });
        ip('-n', `${BASE.prefix}${n.name}`, 'addr', 'add', '198.19.255.2/32', 'dev', 'lo');
      }
      const changed = new Lab(EDITS[0]![1], backend);
      assert.equal((await changed.planChanges()).changes.map((c) => `${c.change} ${c.what}`), [`change qdisc of ra in ${BASE.prefix}r`]);
      await changed.apply();
      for (const n of BASE.namespaces) ip('-n', `${BASE.prefix}${n.name}`, 'addr', 'add', '198.19.255.1/32', 'dev', 'lo');
      await Promise.race([Promise.all(watchers), new Promise((_, reject) => setTimeout(() => reject(new Error('the markers did not arrive in 10 s')), 10_000))]);
      const raIndex: number = JSON.parse(ip('-n', `${BASE.prefix}r`, '-j', 'link', 'show', 'ra'))[0].ifindex;
      assert.equal(seen.get('a'), [], 'namespace a: no events');
      assert.equal(seen.get('b'), [], 'namespace b: no events');
      const r = seen.get('r')!;
      assert.ok(r.length > 0, 'the qdisc change was seen');
      assert.equal(r.filter((l) => l !== `new qdisc tbf ifindex ${raIndex}`), [], `namespace r: only the tbf qdisc of ra (ifindex ${raIndex}): ${r.join('; ')}`);
      for (const n of BASE.namespaces) for (const a of ['198.19.255.1/32', '198.19.255.2/32']) ip('-n', `${BASE.prefix}${n.name}`, 'addr', 'del', a, 'dev', 'lo');
    } finally {
      for (const nl of clients) nl.close();
    }
    const rate = JSON.parse(run('tc', ['-n', `${BASE.prefix}r`, '-j', 'qdisc', 'show', 'dev', 'ra']))[0].options.rate;
    assert.is(rate, 250000, 'tc shows the new rate (2mbit = 250000 bytes/s)');
  } finally {
    await new Lab(EDITS[0]![1], backend).down();
  }
  await assertGone(lab);
});

/** The real backend, with the k-th change of an apply failing (deletions count too). */
class ApplyFaults extends FaultyBackend {
  override deleteNamespace(name: string) { return this.items([name], () => this.inner.deleteNamespace(name).then(() => undefined)).then(() => true); }
  override deleteLink(ns: string | null, name: string) { return this.items([name], () => this.inner.deleteLink(ns, name).then(() => undefined)).then(() => true); }
  override removeDnsFiles(ns: string) { return this.items([ns], () => this.inner.removeDnsFiles(ns).then(() => undefined)).then(() => true); }
  deleteAddresses(ns: string | null, a: Parameters<KernelBackend['deleteAddresses']>[1]) { return this.items(a, (some) => this.inner.deleteAddresses(ns, some)); }
  deleteRoutes(ns: string | null, r: Parameters<KernelBackend['deleteRoutes']>[1]) { return this.items(r, (some) => this.inner.deleteRoutes(ns, some)); }
  deleteQdiscs(ns: string | null, d: string[]) { return this.items(d, (some) => this.inner.deleteQdiscs(ns, some)); }
  changeQdiscs(ns: string | null, q: Parameters<KernelBackend['changeQdiscs']>[1]) { return this.items(q, (some) => this.inner.changeQdiscs(ns, some)); }
}

async function everyFault(from: LabDescription, to: LabDescription, what: string): Promise<void> {
  const lab = new Lab(from, backend);
  try {
    await assertUp(lab, `${what}: before`);
    const before = snapshot(from);
    const plan = await new Lab(to, backend).planChanges();
    const changes = plan.steps.filter((s) => s.op !== null).length;
    let faults = 0;
    for (let k = 1; ; k++) {
      const faulty = new ApplyFaults(backend, k);
      const err = await new Lab(to, faulty).apply().then(() => undefined, (e: unknown) => e);
      if (err === undefined) {
        // k went past the last change: the apply went through.
        assert.ok(k > changes, `${what}: the apply went through with a fault at change ${k} of ${changes}`);
        await assertUp(new Lab(to, backend), `${what}: applied`);
        break;
      }
      faults++;
      if (!(err instanceof LabUpError)) throw new Error(`${what}, change ${k}: not a LabUpError: ${String(err)}`);
      assert.instance(err.cause, InjectedFault, `${what}, change ${k}: ${err.message}`);
      assert.equal(err.rollbackErrors, [], `${what}, change ${k}: ${err.message}`);
      await assertUp(lab, `${what}: after a fault at change ${k}`);
      const after = snapshot(from);
      for (const ns of Object.keys(before)) {
        for (const part of ['links', 'addrs', 'routes', 'qdiscs', 'sysctls', 'dns']) assert.equal(pick(after, ns, part), pick(before, ns, part), `${what}: after a fault at change ${k}: ${ns} ${part}`);
      }
      assert.equal(Object.keys(after), Object.keys(before), `${what}: after a fault at change ${k}: namespaces`);
      assert.equal((await lab.planChanges()).changes, [], `${what}: after a fault at change ${k}: the record is the one before`);
    }
    assert.ok(faults >= changes, `${what}: ${faults} faults for ${changes} steps`);
  } catch (err) {
    await new Lab(from, backend).down({ force: true });
    throw err;
  }
}

test('a fault at any step of an apply takes back what it did: the lab is as it was, its record too', async () => {
  // Creations, changes in place, a link made anew with its addresses and routes, a sysctl set
  // for the first time; then a namespace deleted and one made anew (a sysctl no longer set).
  await new Lab(EDITS[0]![1], backend).up();
  await everyFault(EDITS[0]![1], EDITS[3]![1], 'edits 1 → 4');
  await everyFault(EDITS[3]![1], EDITS[4]![1], 'edits 4 → 5');
  const lab = new Lab(EDITS[4]![1], backend);
  await lab.down();
  await assertGone(lab);
  await assertGone(new Lab(EDITS[3]![1], backend));
});

test.run();
