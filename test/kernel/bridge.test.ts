// The bridge verbs on the kernel, both ways: made by netlink-ts and read by
// iproute2's bridge, made by bridge and read by netlink-ts; and the CLI's
// text and -j equal to bridge's for fdb, link and vlan show.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { mdbEntries } from '../../src/rtnl/bridge-mdb.js';
import { waitFor } from '../helpers/settle.js';
import { Rtnl } from '../../src/client.js';
import { cli } from '../helpers/cli-path.js';
import { ip, requireIsolation, run } from '../helpers/sh.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
const bridge = (...args: string[]): string => run('bridge', args);
type Obj = Record<string, unknown>;
const bridgeJson = (...args: string[]): Obj[] => JSON.parse(bridge('-j', ...args) || '[]') as Obj[];

/** used/updated count seconds and move while the test runs. */
const still = (text: string): string => text.replace(/used \d+\/\d+/g, 'used X').replace(/"(used|updated)":\d+/g, '"$1":0');

function setup(): void {
  ip('link', 'add', 'nlts-br0', 'type', 'bridge');
  ip('link', 'add', 'nlts-bv0', 'type', 'veth', 'peer', 'name', 'nlts-bv1');
  ip('link', 'add', 'nlts-bv2', 'type', 'veth', 'peer', 'name', 'nlts-bv3');
  ip('link', 'set', 'nlts-bv0', 'master', 'nlts-br0');
  ip('link', 'set', 'nlts-bv2', 'master', 'nlts-br0');
  ip('link', 'add', 'nlts-bx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789');
  for (const d of ['nlts-br0', 'nlts-bv0', 'nlts-bv1', 'nlts-bv2', 'nlts-bv3']) ip('link', 'set', d, 'up');
}
function cleanup(): void {
  for (const d of ['nlts-br0', 'nlts-bv0', 'nlts-bv2', 'nlts-bx0']) { try { ip('link', 'del', d); } catch { /* gone */ } }
}

test('fdb: entries made by netlink-ts are read by bridge, and the other way; show is bridge\'s, text and -j', async () => {
  setup();
  await using nl = await Rtnl.open();
  try {
    await nl.bridge.fdb.add({ lladdr: '02:00:00:00:00:11', dev: 'nlts-bv0', master: true, state: 'static', sticky: true });
    await nl.bridge.fdb.add({ lladdr: '02:00:00:00:00:12', dev: 'nlts-bv0' });
    await nl.bridge.fdb.append({ lladdr: '00:00:00:00:00:00', dev: 'nlts-bx0', dst: '198.18.0.2', port: 4790, vni: 100 });
    await nl.bridge.fdb.add({ lladdr: '02:00:00:00:00:13', dev: 'nlts-bv2', master: true, state: 'dynamic' });
    const theirs = bridgeJson('fdb', 'show');
    const find = (mac: string) => theirs.find((e) => e.mac === mac);
    assert.equal(find('02:00:00:00:00:11'), { mac: '02:00:00:00:00:11', ifname: 'nlts-bv0', flags: ['sticky'], master: 'nlts-br0', state: 'static' });
    assert.equal(find('02:00:00:00:00:12'), { mac: '02:00:00:00:00:12', ifname: 'nlts-bv0', flags: ['self'], state: 'permanent' });
    assert.equal(find('00:00:00:00:00:00'), { mac: '00:00:00:00:00:00', ifname: 'nlts-bx0', dst: '198.18.0.2', port: 4790, vni: 100, flags: ['self'], state: 'permanent' });
    assert.equal(find('02:00:00:00:00:13')?.state, '');
    bridge('fdb', 'add', '02:00:00:00:00:21', 'dev', 'nlts-bv2', 'master', 'static');
    bridge('fdb', 'replace', '02:00:00:00:00:11', 'dev', 'nlts-bv0', 'master', 'permanent');
    const mine = await nl.bridge.fdb.list({ br: 'nlts-br0' });
    const e21 = mine.find((e) => e.lladdr === '02:00:00:00:00:21')!;
    assert.equal([e21.ifindex, e21.flags, e21.state], [(await nl.link.get('nlts-bv2')).index, [], ['noarp']]);
    assert.equal(mine.find((e) => e.lladdr === '02:00:00:00:00:11')?.state, ['permanent']);
    assert.equal((await nl.bridge.fdb.list({ dev: 'nlts-bv2', state: 'static' })).map((e) => e.lladdr), ['02:00:00:00:00:21']);
    for (const words of [['fdb', 'show'], ['fdb', 'show', 'br', 'nlts-br0'], ['fdb', 'show', 'brport', 'nlts-bv0'], ['fdb', 'show', 'state', 'static'], ['-s', 'fdb', 'show', 'dev', 'nlts-bv2']]) {
      assert.is(still(ours('bridge', ...words)), still(bridge(...words)), words.join(' '));
      assert.equal(JSON.parse(still(ours('-j', 'bridge', ...words))), JSON.parse(still(bridge('-j', ...words))), `-j ${words.join(' ')}`);
    }
    await nl.bridge.fdb.delete({ lladdr: '02:00:00:00:00:11', dev: 'nlts-bv0', master: true });
    ours('bridge', 'fdb', 'del', '02:00:00:00:00:21', 'dev', 'nlts-bv2', 'master');
    const left = bridgeJson('fdb', 'show', 'br', 'nlts-br0').map((e) => e.mac);
    assert.not.ok(left.includes('02:00:00:00:00:11') || left.includes('02:00:00:00:00:21'), left.join(' '));
  } finally {
    cleanup();
  }
});

test('link: port options set by netlink-ts are read by bridge -d, and the other way; show is bridge\'s', async () => {
  setup();
  await using nl = await Rtnl.open();
  try {
    await nl.bridge.link.set('nlts-bv0', { learning: false, guard: true, hairpin: true, cost: 10, priority: 5, state: 'learning', isolated: true, neighSuppress: true, unicastFlood: false });
    const [p] = bridgeJson('-d', 'link', 'show', 'dev', 'nlts-bv0');
    assert.equal([p!.state, p!.priority, p!.cost, p!.learning, p!.guard, p!.hairpin, p!.isolated, p!.neigh_suppress, p!.flood], ['learning', 5, 10, false, true, true, true, true, false]);
    bridge('link', 'set', 'dev', 'nlts-bv2', 'mcast_flood', 'off', 'bcast_flood', 'off', 'root_block', 'on', 'priority', '7');
    const mine = (await nl.bridge.link.list()).find((l) => l.name === 'nlts-bv2')!;
    assert.equal([mine.protinfo?.mcastFlood, mine.protinfo?.bcastFlood, mine.protinfo?.rootBlock, mine.protinfo?.priority], [false, false, true, 7]);
    ours('bridge', 'link', 'set', 'dev', 'nlts-bv2', 'learning', 'off', 'state', '0', 'backup_port', 'nlts-bv0');
    const [q] = bridgeJson('-d', 'link', 'show', 'dev', 'nlts-bv2');
    assert.equal([q!.learning, q!.state, q!.backup_port], [false, 'disabled', 'nlts-bv0']);
    for (const words of [['link', 'show'], ['-d', 'link', 'show'], ['link', 'show', 'dev', 'nlts-bv0']]) {
      assert.is(ours('bridge', ...words), bridge(...words), words.join(' '));
      assert.equal(JSON.parse(ours('-j', 'bridge', ...words)), JSON.parse(bridge('-j', ...words)), `-j ${words.join(' ')}`);
    }
  } finally {
    cleanup();
  }
});

test('vlan: show is bridge\'s; on a kernel without VLAN filtering an add is refused by the kernel, not by us', async () => {
  setup();
  await using nl = await Rtnl.open();
  try {
    for (const words of [['vlan', 'show'], ['vlan', 'tunnelshow']]) {
      assert.is(ours('bridge', ...words), bridge(...words), words.join(' '));
      assert.equal(JSON.parse(ours('-j', 'bridge', ...words)), JSON.parse(bridge('-j', ...words) || '[]'), `-j ${words.join(' ')}`);
    }
    const filtering = (await nl.bridge.vlan.list()).some((l) => (l.afSpec?.vlanInfo?.length ?? 0) > 0);
    if (!filtering) {
      const theirs = (() => { try { bridge('vlan', 'add', 'dev', 'nlts-bv0', 'vid', '10'); return 'ok'; } catch (e) { return String((e as { stderr?: string }).stderr); } })();
      const mine = await nl.bridge.vlan.add({ dev: 'nlts-bv0', vid: 10 }).then(() => 'ok', (e: Error & { code?: string }) => e.code);
      assert.ok(theirs !== 'ok' && mine !== 'ok' && mine !== undefined, `${theirs} / ${mine}`);
    }
  } finally {
    cleanup();
  }
});

test('mdb: group memberships made by netlink-ts are read by bridge, and the other way; show is bridge\'s', async () => {
  setup();
  await using nl = await Rtnl.open();
  try {
    await nl.bridge.mdb.add({ dev: 'nlts-br0', port: 'nlts-bv0', grp: '239.1.1.1', permanent: true });
    await nl.bridge.mdb.add({ dev: 'nlts-br0', port: 'nlts-bv2', grp: 'ff0e::5' });
    const theirs = (bridgeJson('mdb', 'show')[0]!.mdb as Obj[]).filter((e) => e.grp === '239.1.1.1' || e.grp === 'ff0e::5');
    assert.equal(theirs, [
      { index: (await nl.link.get('nlts-br0')).index, dev: 'nlts-br0', port: 'nlts-bv0', grp: '239.1.1.1', state: 'permanent', flags: [] },
      { index: (await nl.link.get('nlts-br0')).index, dev: 'nlts-br0', port: 'nlts-bv2', grp: 'ff0e::5', state: 'temp', flags: [] },
    ].sort((a, b) => theirs.findIndex((t) => t.grp === a.grp) - theirs.findIndex((t) => t.grp === b.grp)));
    bridge('mdb', 'add', 'dev', 'nlts-br0', 'port', 'nlts-bv2', 'grp', '239.2.2.2', 'permanent');
    const e = (await nl.bridge.mdb.list({ dev: 'nlts-br0' })).find((x) => x.grp === '239.2.2.2')!;
    assert.equal([e.port, e.state, e.vid], [(await nl.link.get('nlts-bv2')).index, 'permanent', 0]);
    for (const words of [['mdb', 'show'], ['mdb', 'show', 'dev', 'nlts-br0']]) {
      assert.is(ours('bridge', ...words), bridge(...words), words.join(' '));
      assert.equal(JSON.parse(ours('-j', 'bridge', ...words)), JSON.parse(bridge('-j', ...words)), `-j ${words.join(' ')}`);
    }
    ours('bridge', 'mdb', 'del', 'dev', 'nlts-br0', 'port', 'nlts-bv2', 'grp', '239.2.2.2');
    await nl.bridge.mdb.delete({ dev: 'nlts-br0', port: 'nlts-bv0', grp: '239.1.1.1' });
    const left = (bridgeJson('mdb', 'show')[0]!.mdb as Obj[]).map((x) => x.grp);
    assert.not.ok(left.includes('239.2.2.2') || left.includes('239.1.1.1'), left.join(' '));
  } finally {
    cleanup();
  }
});

test('monitor: the mdb family lists and announces memberships, fdb entries come as neighbour events; bridge monitor prints them as bridge does', async () => {
  setup();
  await using nl = await Rtnl.open();
  await nl.bridge.mdb.add({ dev: 'nlts-br0', port: 'nlts-bv0', grp: '239.4.4.4', permanent: true });
  const ac = new AbortController();
  const seen: string[] = [];
  let synced!: () => void;
  const ready = new Promise<void>((r) => { synced = r; });
  const watching = (async () => {
    for await (const ev of nl.monitor({ groups: ['mdb', 'neigh'], list: true, signal: ac.signal })) {
      if (ev.action === 'synced') synced();
      if (ev.action !== 'new' && ev.action !== 'del') continue;
      if (ev.kind === 'mdb') for (const e of mdbEntries(ev.object)) if (e.grp === '239.4.4.4' || e.grp === '239.5.5.5') seen.push(`${ev.initial ? 'listed' : ev.action} mdb ${e.grp}`);
      if (ev.kind === 'neigh' && ev.object.family === 'bridge' && ev.object.lladdr === '02:00:00:00:00:41') seen.push(`${ev.action} fdb ${ev.object.lladdr}`);
    }
  })();
  const child = spawn(process.execPath, [cli, 'bridge', 'monitor', 'fdb', 'mdb'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  child.stdout.on('data', (d: Buffer) => { printed += d.toString(); });
  try {
    await ready;
    // The CLI's monitor is subscribed once it prints what it sees: a probe group goes and comes until it has printed it.
    await waitFor(async () => {
      await nl.bridge.mdb.delete({ dev: 'nlts-br0', port: 'nlts-bv2', grp: '239.9.9.9' }).catch(() => undefined);
      await nl.bridge.mdb.add({ dev: 'nlts-br0', port: 'nlts-bv2', grp: '239.9.9.9', permanent: true });
      return printed.includes('239.9.9.9');
    }, { what: 'bridge monitor to print an mdb event', timeoutMs: 15000 });
    await nl.bridge.mdb.add({ dev: 'nlts-br0', port: 'nlts-bv2', grp: '239.5.5.5', permanent: true });
    await nl.bridge.fdb.add({ lladdr: '02:00:00:00:00:41', dev: 'nlts-bv0', master: true, state: 'static' });
    await nl.bridge.fdb.delete({ lladdr: '02:00:00:00:00:41', dev: 'nlts-bv0', master: true });
    await nl.bridge.mdb.delete({ dev: 'nlts-br0', port: 'nlts-bv2', grp: '239.5.5.5' });
    await waitFor(() => seen.includes('del mdb 239.5.5.5') && printed.includes('Deleted dev nlts-br0 port nlts-bv2 grp 239.5.5.5'), { what: 'the deletions' });
    assert.equal(seen, ['listed mdb 239.4.4.4', 'new mdb 239.5.5.5', 'new fdb 02:00:00:00:00:41', 'del fdb 02:00:00:00:00:41', 'del mdb 239.5.5.5']);
    const lines = printed.split('\n');
    assert.ok(lines.includes('dev nlts-br0 port nlts-bv2 grp 239.5.5.5 permanent'), printed);
    assert.ok(lines.includes('02:00:00:00:00:41 dev nlts-bv0 master nlts-br0 static'), printed);
    assert.ok(lines.includes('Deleted 02:00:00:00:00:41 dev nlts-bv0 master nlts-br0 static'), printed);
  } finally {
    ac.abort();
    child.kill('SIGINT');
    await watching.catch(() => undefined);
    cleanup();
  }
});

test.run();
