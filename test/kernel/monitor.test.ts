import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, promises as fsp } from 'node:fs';
import { Rtnl } from '../../src/client.js';
import type { MonitorEvent } from '../../src/events/monitor.js';
import { IFLA_IFNAME, IFLA_MTU } from '../../src/generated/linux/if_link.js';
import { RTM_NEWLINK } from '../../src/generated/linux/rtnetlink.js';
import type { Link } from '../../src/rtnl/link.js';
import { Follower, compareStates, freshState, trackedState } from '../helpers/monitor-churn.js';
import { ip, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const label = (ev: MonitorEvent): string =>
  ev.action === 'new' || ev.action === 'del' ? `${ev.action} ${ev.kind} ${(ev.object as Link).name}${ev.initial ? ' (initial)' : ''}` : ev.action;

/** Collects events until `until` says stop (or 5 s pass). */
async function collect(it: AsyncIterable<MonitorEvent>, until: (seen: string[]) => boolean, act: () => Promise<void> | void): Promise<string[]> {
  const seen: string[] = [];
  const iter = it[Symbol.asyncIterator]();
  const first = iter.next();
  await new Promise((r) => setTimeout(r, 20));
  await act();
  const deadline = Date.now() + 5000;
  let step = await first;
  while (!step.done) {
    seen.push(label(step.value));
    if (until(seen) || Date.now() > deadline) break;
    step = await iter.next();
  }
  await iter.return?.(undefined);
  return seen;
}

test('link changes made by ip and by netlink-ts arrive as typed events, in order', async () => {
  using nl = Rtnl.openSync();
  const seen = await collect(nl.monitor({ groups: ['link'] }), (s) => s.includes('del link nlts-e0'), async () => {
    ip('link', 'add', 'nlts-e0', 'type', 'veth', 'peer', 'name', 'nlts-e1');
    // (an alias change on a down link sends no notification; an MTU change does)
    await nl.socket.request({ type: RTM_NEWLINK, body: (w) => { w.reserve(16); w.attrString(IFLA_IFNAME, 'nlts-e0'); w.attrU32(IFLA_MTU, 1400); } });
    ip('link', 'del', 'nlts-e0');
  });
  const mine = seen.filter((s) => s.includes('nlts-e0'));
  assert.ok(mine.length >= 3, seen.join(' | '));
  assert.is(mine[0], 'new link nlts-e0');
  assert.ok(mine.length >= 3 && mine.slice(1, -1).every((m) => m === 'new link nlts-e0'), 'the MTU change is a new-link event');
  assert.is(mine[mine.length - 1], 'del link nlts-e0');
});

test('list then watch: existing links first, then synced, then changes', async () => {
  ip('link', 'add', 'nlts-l0', 'type', 'veth', 'peer', 'name', 'nlts-l1');
  try {
    using nl = Rtnl.openSync();
    const seen = await collect(nl.monitor({ groups: ['link'], list: true }), (s) => s.includes('new link nlts-l2'), () => {
      ip('link', 'add', 'nlts-l2', 'type', 'veth', 'peer', 'name', 'nlts-l3');
    });
    const synced = seen.indexOf('synced');
    assert.ok(synced > 0, seen.join(' | '));
    assert.ok(seen.slice(0, synced).includes('new link lo (initial)'));
    assert.ok(seen.slice(0, synced).includes('new link nlts-l0 (initial)'));
    assert.ok(seen.slice(synced).includes('new link nlts-l2'));
    assert.is(seen.filter((s) => s === 'new link nlts-l0 (initial)').length, 1);
  } finally {
    ip('link', 'del', 'nlts-l0');
    ip('link', 'del', 'nlts-l2');
  }
});

test('an unknown group is refused with the valid ones listed, before any socket', () => {
  using nl = Rtnl.openSync();
  // @ts-expect-error: not a group name (the type refuses it; plain JavaScript gets the error)
  assert.throws(() => nl.monitor({ groups: ['links'] }), /unknown group "links" \(valid: all, link, address/);
});

test('an overrun is reported and resync makes the tracked state equal a fresh dump', async () => {
  using nl = Rtnl.openSync();
  const mon = nl.monitor({ groups: ['link'], list: true, resync: true, receiveBufferSize: 4096 });
  const it = mon[Symbol.asyncIterator]();
  let step = await it.next();
  while (!step.done && step.value.action !== 'synced') step = await it.next();
  // A burst of changes the small buffer cannot hold, made while nobody reads.
  ip('link', 'add', 'nlts-o0', 'type', 'veth', 'peer', 'name', 'nlts-o1');
  const reqs = Array.from({ length: 400 }, (_, i) => ({
    type: RTM_NEWLINK, expectReply: false,
    body: (w: import('../../src/netlink/writer.js').NetlinkWriter) => { w.reserve(16); w.attrString(IFLA_IFNAME, i % 2 ? 'nlts-o0' : 'nlts-o1'); w.attrU32(IFLA_MTU, 1400 + (i % 4)); },
  }));
  const r = nl.socket.batchSync(reqs);
  assert.is(r.errors.length, 0);
  ip('link', 'del', 'nlts-o0');
  const seen: string[] = [];
  const deadline = Date.now() + 10_000;
  let resynced = false;
  while (Date.now() < deadline) {
    step = await it.next();
    if (step.done) break;
    seen.push(step.value.action);
    if (step.value.action === 'synced') { resynced = true; break; }
  }
  assert.ok(seen.includes('overrun'), `no overrun seen: ${seen.slice(0, 20).join(',')}`);
  assert.ok(resynced, 'resync completed');
  const fresh = (await nl.link.list()).map((l) => String(l.index)).sort();
  assert.equal(mon.trackedKeys('link'), fresh);
  await it.return?.(undefined);
});

/** The links a listing monitor yields before it is synced. */
async function listedLinks(nl: Rtnl): Promise<string[]> {
  const names: string[] = [];
  for await (const ev of nl.monitor({ groups: ['link'], list: true })) {
    if (ev.action === 'synced') break;
    if (ev.action === 'new') names.push((ev.object as Link).name ?? '?');
  }
  return names.sort();
}

test('finding 11: a monitor watches the namespace of the client\'s socket, whatever its name or fd came to mean since', async () => {
  ip('netns', 'add', 'nlts-m11');
  ip('-n', 'nlts-m11', 'link', 'add', 'nlts-orig0', 'type', 'veth', 'peer', 'name', 'nlts-orig1');
  using byName = Rtnl.openSync({ netns: 'nlts-m11' });
  const fd = openSync('/run/netns/nlts-m11', 'r');
  using byFd = Rtnl.openSync({ netns: { fd } });
  closeSync(fd);
  // The name is deleted and made again for another namespace; the fd number now opens the test's own.
  ip('netns', 'del', 'nlts-m11');
  ip('netns', 'add', 'nlts-m11');
  ip('-n', 'nlts-m11', 'link', 'add', 'nlts-new0', 'type', 'veth', 'peer', 'name', 'nlts-new1');
  const reused = openSync('/proc/self/ns/net', 'r');
  try {
    assert.is(reused, fd, 'the fd number was reused (the test relies on it)');
    const expected = ['lo', 'nlts-orig0', 'nlts-orig1'];
    assert.equal(await listedLinks(byName), expected);
    assert.equal(await listedLinks(byFd), expected);
  } finally {
    closeSync(reused);
    ip('netns', 'del', 'nlts-m11');
  }
});

test('finding 8: listing and resync monitors start and settle while a 5,000-address table churns', async () => {
  using nl = Rtnl.openSync();
  await nl.link.add({ name: 'nlts-a0', linkinfo: { kind: 'veth', data: { peer: { name: 'nlts-a1' } } } });
  const b = nl.batch();
  for (let i = 0; i < 5000; i++) b.addr.add({ dev: 'nlts-a0', address: `198.18.${16 + (i >> 8)}.${i & 255}/32` });
  assert.is((await b.commit()).errors.length, 0);
  // Steady churn elsewhere in the namespace: every address dump of that size comes back marked inconsistent.
  const churn = spawn('sh', ['-c', 'while :; do ip addr add 198.18.200.1/32 dev nlts-a1; ip addr del 198.18.200.1/32 dev nlts-a1; done'], { stdio: 'ignore' });
  const followers = [
    ...Array.from({ length: 3 }, () => new Follower(nl.monitor({ groups: ['address'], list: true }))),
    new Follower(nl.monitor({ groups: ['address'], list: true, resync: true, receiveBufferSize: 4096 })),
  ];
  try {
    for (const f of followers) await f.listed();
    churn.kill();
    await new Promise((r) => churn.once('exit', r));
    const marker = '198.18.201.1';
    await nl.addr.add({ dev: 'nlts-a1', address: `${marker}/32` });
    const fresh = await freshState(nl);
    for (const f of followers) {
      await f.quiet((ev) => ev.action === 'new' && (ev.object as { local?: string }).local === marker);
      const want = new Map([['address', fresh.get('address')!]]);
      assert.equal(compareStates('tracked', want, trackedState(f.monitor)), []);
    }
    assert.ok(followers.some((f) => f.monitor.stats.interruptedDumps > 0), 'the churn did interrupt dumps (else this proves nothing)');
  } finally {
    churn.kill();
    for (const f of followers) await f.close();
    await nl.link.del('nlts-a0');
  }
});

test('20 monitors at once leave the threadpool free for async fs calls', async () => {
  using nl = Rtnl.openSync();
  const mons = Array.from({ length: 20 }, () => nl.monitor({ groups: ['link', 'address', 'route'] }));
  const iters = mons.map((m) => m[Symbol.asyncIterator]());
  const pending = iters.map((i) => i.next());
  await new Promise((r) => setTimeout(r, 20));
  // With every threadpool thread parked on a socket these would never finish.
  const files = await Promise.all(Array.from({ length: 16 }, () => fsp.readFile('/proc/self/status', 'utf8')));
  assert.is(files.length, 16);
  for (const m of mons) m.close();
  await Promise.all(pending);
  await Promise.all(iters.map((i) => i.return?.(undefined)));
});

test('a script whose only handle is an unref\'d monitor exits by itself', () => {
  const client = new URL('../../src/client.js', import.meta.url).href;
  const script = `import { Rtnl } from '${client}';
    const nl = Rtnl.openSync();
    const mon = nl.monitor({ groups: ['link'], unref: true });
    (async () => { for await (const ev of mon) void ev; })();
    setTimeout(() => {}, 10).unref();`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 });
  assert.is(r.signal, null, 'it was not killed by the timeout');
  assert.is(r.status, 0, String(r.stderr));
});

test('the EventEmitter form', async () => {
  using nl = Rtnl.openSync();
  const mon = nl.monitor({ groups: ['link'] });
  const got = new Promise<string>((resolve) => {
    mon.on('event', (ev: MonitorEvent) => { if (ev.action === 'new' && (ev.object as Link).name === 'nlts-ee0') resolve('seen'); });
  });
  await new Promise((r) => setTimeout(r, 20));
  ip('link', 'add', 'nlts-ee0', 'type', 'veth', 'peer', 'name', 'nlts-ee1');
  try {
    assert.is(await Promise.race([got, new Promise((r) => setTimeout(() => r('timeout'), 5000))]), 'seen');
  } finally {
    mon.close();
    ip('link', 'del', 'nlts-ee0');
  }
});

test.run();
