import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { moveLinkToNetns } from '../../src/api/link-netns.js';
import { linkRequest } from '../../src/api/families/link.js';
import { Rtnl } from '../../src/client.js';
import { RTM_NEWLINK } from '../../src/generated/linux/rtnetlink.js';
import { add, remove, removeAll } from '../../src/netns/named.js';
import { withNetnsFd } from '../../src/netns/ref.js';
import { spawn } from '../../src/netns/exec.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';
import { openFdCount, threadsElsewhere } from '../helpers/netns.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const home = readlinkSync('/proc/thread-self/ns/net');

test('a client opens inside a namespace given by name, path, fd or pid', async () => {
  add('nlts-c1');
  const child = spawn('nlts-c1', ['sleep', '30'], { mounts: false, stdio: 'ignore' });
  try {
    await child.started;
    ip('-n', 'nlts-c1', 'link', 'add', 'nlts-c1a', 'type', 'veth', 'peer', 'name', 'nlts-c1b');
    const fd = openSync('/run/netns/nlts-c1', 'r');
    try {
      for (const ref of ['nlts-c1', { name: 'nlts-c1' }, { path: '/run/netns/nlts-c1' }, { fd }, { pid: child.pid! }] as const) {
        await using nl = await Rtnl.open({ netns: ref });
        assert.equal((await nl.link.list({ kind: 'veth' })).map((l) => l.name).sort(), ['nlts-c1a', 'nlts-c1b'], JSON.stringify(ref));
      }
      // A NetlinkSocket takes the same option; the caller's fd stays open.
      const s = NetlinkSocket.open({ netns: { fd } });
      s.close();
      assert.ok(fstatSync(fd).isFile(), 'still open');
    } finally {
      closeSync(fd);
    }
    // Our own namespace does not have them.
    await using here = await Rtnl.open();
    assert.is(await here.link.find('nlts-c1a'), undefined);
  } finally {
    child.kill('SIGKILL');
    remove('nlts-c1');
  }
});

test('many namespaces open at once, each client independent', async () => {
  const names = Array.from({ length: 8 }, (_, i) => `nlts-m${i}`);
  for (const n of names) add(n);
  const clients: Rtnl[] = [];
  try {
    for (const n of names) clients.push(await Rtnl.open({ netns: n }));
    // Each namespace gets a veth pair with the same names: no clash, they are separate worlds.
    for (const n of names) ip('-n', n, 'link', 'add', 'nlts-v0', 'type', 'veth', 'peer', 'name', 'nlts-v1');
    ip('-n', 'nlts-m3', 'link', 'set', 'nlts-v0', 'mtu', '1280');
    const mtus = await Promise.all(clients.map(async (c) => (await c.link.get('nlts-v0')).mtu));
    assert.equal(mtus, names.map((n) => (n === 'nlts-m3' ? 1280 : 1500)));
    const indexes = await Promise.all(clients.map(async (c) => (await c.link.list()).length));
    assert.equal(indexes, names.map(() => 3));
  } finally {
    for (const c of clients) c.close();
    removeAll('nlts-m');
  }
});

test('1,000 open/close cycles of clients in namespaces: no fd kept, every thread still at home', async () => {
  add('nlts-f1');
  add('nlts-f2');
  try {
    await readFile('/proc/self/status'); // make sure the threadpool exists and has worked
    const fds = openFdCount();
    for (let i = 0; i < 1000; i++) {
      const pending = i % 50 === 0 ? readFile('/proc/self/stat') : undefined;
      const nl = Rtnl.openSync({ netns: i % 2 ? 'nlts-f1' : { path: '/run/netns/nlts-f2' } });
      if (i % 100 === 0) assert.is((await nl.link.list()).length, 1);
      nl.close();
      const s = NetlinkSocket.open({ netns: { pid: process.pid } });
      s.close();
      await pending;
    }
    assert.is(openFdCount(), fds, 'no more fds than before');
    assert.equal(threadsElsewhere(home), [], 'main and threadpool threads all in the original namespace');
    // A Worker made now starts at home too, and a Worker can open clients in namespaces itself.
    const worker = new Worker(`
      const { parentPort } = require('node:worker_threads');
      const { readlinkSync } = require('node:fs');
      import(${JSON.stringify(new URL('../../src/client.js', import.meta.url).href)}).then(async ({ Rtnl }) => {
        const start = readlinkSync('/proc/thread-self/ns/net');
        const counts = [];
        for (let i = 0; i < 100; i++) {
          const nl = Rtnl.openSync({ netns: 'nlts-f1' });
          counts.push((await nl.link.list()).length);
          nl.close();
        }
        parentPort.postMessage({ start, end: readlinkSync('/proc/thread-self/ns/net'), counts: [...new Set(counts)] });
      });`, { eval: true });
    const report = await new Promise<{ start: string; end: string; counts: number[] }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    assert.equal(report, { start: home, end: home, counts: [1] });
    assert.equal(threadsElsewhere(home), []);
    assert.is(openFdCount(), fds);
  } finally {
    removeAll('nlts-f');
  }
});

test('a client cannot open in a namespace that does not exist: the error names it', async () => {
  try {
    await Rtnl.open({ netns: 'nlts-nope' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'ENOENT');
    assert.match((e as Error).message, /no network namespace named "nlts-nope"/);
  }
  assert.throws(() => NetlinkSocket.open({ netns: { name: 'a/b' } }), /contains "\/"/);
});

test('moving a veth end into a namespace by name (IFLA_NET_NS_FD), by pid, and the peer named by its nsid', async () => {
  add('nlts-mv');
  const child = spawn('nlts-mv', ['sleep', '30'], { mounts: false, stdio: 'ignore' });
  await child.started;
  await using nl = await Rtnl.open();
  ip('link', 'add', 'nlts-mv0', 'type', 'veth', 'peer', 'name', 'nlts-mv1');
  ip('link', 'add', 'nlts-mv2', 'type', 'veth', 'peer', 'name', 'nlts-mv3');
  try {
    // The raw request, as the link API's schema encodes it, with an fd opened around it.
    await withNetnsFd('nlts-mv', (fd) => nl.socket.request(linkRequest(RTM_NEWLINK, 0, { name: 'nlts-mv1', netnsFd: fd }, 'link set netns')));
    await moveLinkToNetns(nl.socket, 'nlts-mv3', { pid: child.pid! });
    assert.is(await nl.link.find('nlts-mv1'), undefined);
    await using inside = await Rtnl.open({ netns: 'nlts-mv' });
    assert.equal((await inside.link.list({ kind: 'veth' })).map((l) => l.name).sort(), ['nlts-mv1', 'nlts-mv3']);
    // Our end now has a peer in another namespace, known here by an id the kernel assigned.
    const ours = await nl.link.get('nlts-mv0');
    assert.type(ours.linkNetnsid, 'number');
    assert.is(await nl.nsid.get('nlts-mv'), ours.linkNetnsid);
    assert.is(await nl.nsid.peerNetns(ours), 'nlts-mv');
    const text = execFileSync('ip', ['link', 'show', 'nlts-mv0'], { encoding: 'utf8' });
    assert.match(text, /link-netns nlts-mv/, 'ip resolves the same name');
    assert.is(execFileSync(process.execPath, [cli, 'link', 'show', 'nlts-mv0'], { encoding: 'utf8' }).split('\n')[1], text.split('\n')[1], 'and so does our link show');
    try {
      await moveLinkToNetns(nl.socket, 'nlts-mv2', 'nlts-nowhere');
      assert.unreachable();
    } catch (e) {
      assert.match((e as Error).message, /^link set nlts-mv2 netns "nlts-nowhere": no network namespace named "nlts-nowhere"/);
    }
  } finally {
    child.kill('SIGKILL');
    ip('link', 'del', 'nlts-mv0');
    ip('link', 'del', 'nlts-mv2');
    remove('nlts-mv');
  }
});

test('namespace ids: set like ip netns set, listed like ip netns list-id, ip agrees both ways', async () => {
  add('nlts-i1');
  ip('netns', 'add', 'nlts-i2');
  await using nl = await Rtnl.open();
  try {
    assert.is(await nl.nsid.get('nlts-i1'), undefined, 'no id until one is set');
    await nl.nsid.set('nlts-i1', 41);
    ip('netns', 'set', 'nlts-i2', '42');
    assert.is(await nl.nsid.get('nlts-i1'), 41);
    assert.is(await nl.nsid.get({ path: '/run/netns/nlts-i2' }), 42);
    const theirs = ipJson<{ nsid: number; name?: string }[]>('netns', 'list-id');
    const ours = await nl.nsid.list();
    assert.equal(ours.filter((e) => e.nsid >= 41), theirs.filter((e) => e.nsid >= 41));
    assert.equal(ours.filter((e) => e.nsid >= 41), [{ nsid: 41, name: 'nlts-i1' }, { nsid: 42, name: 'nlts-i2' }]);
    const byName = ipJson<{ name: string; id?: number }[]>('netns', 'list').filter((e) => e.name.startsWith('nlts-i'));
    assert.equal(byName.sort((a, b) => a.name.localeCompare(b.name)), [{ name: 'nlts-i1', id: 41 }, { name: 'nlts-i2', id: 42 }]);
    // Seen from nlts-i1: ids assigned there; with target-nsid, ip and we agree.
    await using inside = await Rtnl.open({ netns: 'nlts-i1' });
    await inside.nsid.set('nlts-i2', 5);
    const target = await nl.nsid.list({ targetNsid: 41 });
    const ipTarget = ipJson<Record<string, unknown>[]>('netns', 'list-id', 'target-nsid', '41');
    assert.equal(target.map((e) => ({ nsid: e.nsid, 'current-nsid': e.currentNsid, ...(e.name ? { name: e.name } : {}) })), ipTarget);
    try {
      await nl.nsid.set('nlts-i1', 43);
      assert.unreachable();
    } catch (e) {
      assert.is((e as { code?: string }).code, 'EEXIST', 'an id is for life');
    }
    // Namespaces of earlier tests may still be going away (and their ids with them): compare ours only.
    const json = JSON.parse(execFileSync(process.execPath, [cli, '-j', 'netns', 'list-id'], { encoding: 'utf8' })) as { nsid: number }[];
    assert.is(JSON.stringify(json.filter((e) => e.nsid >= 41)), JSON.stringify(theirs.filter((e) => e.nsid >= 41)));
  } finally {
    remove('nlts-i1');
    remove('nlts-i2');
  }
});

test.run();
