import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { routeRequest } from '../../src/api/families/route.js';
import { Rtnl } from '../../src/client.js';
import { eventKinds } from '../../src/events/kinds.js';
import type { MonitorEvent } from '../../src/events/monitor.js';
import type { Route } from '../../src/rtnl/route.js';
import { ip, requireIsolation, run } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

function veth(a: string, b: string): void {
  ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
  ip('link', 'set', a, 'up');
  ip('link', 'set', b, 'up');
}

test('a burst of 50,000 route changes overruns a small buffer; the resynchronised state equals a fresh dump', async () => {
  veth('nlts-r0', 'nlts-r1');
  ip('addr', 'add', '198.18.0.1/24', 'dev', 'nlts-r0');
  try {
    using nl = Rtnl.openSync();
    const mon = nl.monitor({ groups: ['ipv4-route'], list: true, resync: true, receiveBufferSize: 64 * 1024 });
    const it = mon[Symbol.asyncIterator]();
    let step = await it.next();
    while (!step.done && step.value.action !== 'synced') step = await it.next();
    // 25,000 adds and 25,000 deletes, sent while nobody reads the monitor.
    const dsts = Array.from({ length: 25_000 }, (_, i) => `198.19.${i >> 8}.${i & 255}/32`);
    const add = await nl.socket.batch(dsts.map((dst) => routeRequest('add', { dst, gateway: '198.18.0.254' })));
    assert.is(add.errors.length, 0, add.errors[0]?.message);
    const del = await nl.socket.batch(dsts.slice(0, 12_500).map((dst) => routeRequest('del', { dst, gateway: '198.18.0.254' })));
    assert.is(del.errors.length, 0, del.errors[0]?.message);
    const seen: string[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const next = await Promise.race([it.next(), new Promise<'idle'>((r) => setTimeout(() => r('idle'), 3000))]);
      if (next === 'idle') { seen.push('idle'); break; }
      if (next.done) break;
      seen.push(next.value.action);
      if (next.value.action === 'synced') break;
    }
    const counts = seen.reduce<Record<string, number>>((m, a) => ({ ...m, [a]: (m[a] ?? 0) + 1 }), {});
    assert.ok(seen.includes('overrun'), `the kernel dropped events and said so: ${JSON.stringify(counts)}`);
    const kind = eventKinds.find((k) => k.kind === 'route')!;
    const fresh = (await nl.route.list({ family: 'inet', table: 'all' } as never)).map((r) => kind.key(r as never)).sort();
    assert.equal(mon.trackedKeys('route'), fresh);
    assert.is(fresh.filter((k) => k.includes('198.19.')).length, 12_500);
    await it.return?.(undefined);
  } finally {
    ip('link', 'del', 'nlts-r0');
  }
});

test('tc, address and namespace-id events are typed', async () => {
  veth('nlts-t0', 'nlts-t1');
  try {
    using nl = Rtnl.openSync();
    const mon = nl.monitor({ groups: ['tc', 'address', 'nsid'] });
    const it = mon[Symbol.asyncIterator]();
    const first = it.next();
    await new Promise((r) => setTimeout(r, 20));
    run('tc', ['qdisc', 'add', 'dev', 'nlts-t0', 'root', 'handle', '1:', 'htb', 'default', '10']);
    run('tc', ['class', 'add', 'dev', 'nlts-t0', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1mbit']);
    ip('addr', 'add', '198.18.5.1/24', 'dev', 'nlts-t0');
    ip('netns', 'add', 'nlts-ids');
    ip('netns', 'set', 'nlts-ids', '7');
    const kinds: string[] = [];
    let step = await first;
    const deadline = Date.now() + 5000;
    while (!step.done && Date.now() < deadline) {
      const ev = step.value as MonitorEvent;
      if (ev.action === 'new') kinds.push(ev.kind);
      if (['qdisc', 'class', 'address', 'nsid'].every((k) => kinds.includes(k))) break;
      step = await it.next();
    }
    await it.return?.(undefined);
    assert.ok(['qdisc', 'class', 'address', 'nsid'].every((k) => kinds.includes(k)), kinds.join());
  } finally {
    ip('link', 'del', 'nlts-t0');
    ip('netns', 'del', 'nlts-ids');
  }
});

test('monitors inside other namespaces see only their own namespace', async () => {
  ip('netns', 'add', 'nlts-ma');
  ip('netns', 'add', 'nlts-mb');
  try {
    using a = Rtnl.openSync({ netns: 'nlts-ma' });
    using b = Rtnl.openSync({ netns: 'nlts-mb' });
    const seen: Record<string, string[]> = { a: [], b: [] };
    const watch = async (nl: Rtnl, who: 'a' | 'b', until: string): Promise<void> => {
      const it = nl.monitor({ groups: ['link'] })[Symbol.asyncIterator]();
      const deadline = Date.now() + 5000;
      let step = await it.next();
      while (!step.done && Date.now() < deadline) {
        const ev = step.value;
        if (ev.action === 'new') seen[who]!.push((ev.object as { name?: string }).name ?? '?');
        if (seen[who]!.includes(until)) break;
        step = await it.next();
      }
      await it.return?.(undefined);
    };
    const wa = watch(a, 'a', 'nlts-x0');
    const wb = watch(b, 'b', 'nlts-y0');
    await new Promise((r) => setTimeout(r, 50));
    ip('-n', 'nlts-ma', 'link', 'add', 'nlts-x0', 'type', 'veth', 'peer', 'name', 'nlts-x1');
    ip('-n', 'nlts-mb', 'link', 'add', 'nlts-y0', 'type', 'veth', 'peer', 'name', 'nlts-y1');
    await Promise.all([wa, wb]);
    assert.ok(seen.a!.includes('nlts-x0') && !seen.a!.some((n) => n.startsWith('nlts-y')), seen.a!.join());
    assert.ok(seen.b!.includes('nlts-y0') && !seen.b!.some((n) => n.startsWith('nlts-x')), seen.b!.join());
  } finally {
    ip('netns', 'del', 'nlts-ma');
    ip('netns', 'del', 'nlts-mb');
  }
});

test('netlink-ts monitor prints the lines ip monitor prints', async () => {
  const ours = spawn(process.execPath, [cli, 'monitor', 'link', 'address']);
  const theirs = spawn('ip', ['monitor', 'link', 'address']);
  const text = (p: ReturnType<typeof spawn>): Promise<string> => new Promise((resolve) => {
    let s = '';
    p.stdout!.on('data', (d) => { s += d; });
    p.on('close', () => resolve(s));
  });
  const a = text(ours);
  const b = text(theirs);
  // Both must be listening before the changes: wait until each has a netlink socket in a group.
  await subscribed(ours.pid!);
  await subscribed(theirs.pid!);
  ip('link', 'add', 'nlts-p0', 'type', 'veth', 'peer', 'name', 'nlts-p1');
  ip('addr', 'add', '198.18.6.1/24', 'dev', 'nlts-p0');
  ip('link', 'del', 'nlts-p0');
  await new Promise((r) => setTimeout(r, 700));
  ours.kill();
  theirs.kill();
  const norm = (s: string): string[] => s.split('\n').map((l) => l.trimEnd()).filter((l) => l.includes('nlts-p'));
  assert.equal(norm(await a), norm(await b));
  void execFileSync;
});

/** Resolves once the process holds a NETLINK_ROUTE socket that joined a group (from /proc/net/netlink). */
async function subscribed(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const inodes = new Set<string>();
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      }
    } catch { /* the process is starting */ }
    const joined = readFileSync('/proc/net/netlink', 'utf8').split('\n').slice(1).some((l) => {
      const f = l.trim().split(/\s+/);
      return f[1] === '0' && f[3] !== '00000000' && inodes.has(f[9] ?? '');
    });
    if (joined) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`process ${pid} never joined a netlink group`);
}

test.run();
