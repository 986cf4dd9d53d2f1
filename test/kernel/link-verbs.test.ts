// Every link verb against the kernel: made or changed with netlink-ts and
// read back with `ip -j`, or made with ip and read back with netlink-ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { Rtnl } from '../../src/client.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import { portData } from '../../src/rtnl/link-info.js';
import { deleteLinks, ipLink, linkExists } from '../helpers/links.js';
import { waitFor } from '../helpers/settle.js';
import { ip, ipJson, requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

const show = ipLink;
const exists = linkExists;
const cleanup = deleteLinks;

test('add veth with peer options; list and get read it back', async () => {
  await using nl = await Rtnl.open();
  try {
    await nl.link.add({
      name: 'nlts-a0', mtu: 1400, address: '02:00:00:00:0a:01', txqlen: 100,
      linkinfo: { kind: 'veth', data: { peer: { name: 'nlts-a1', mtu: 1400, address: '02:00:00:00:0a:02' } } },
    });
    const a0 = show('nlts-a0');
    const a1 = show('nlts-a1');
    assert.is(a0.mtu, 1400);
    assert.is(a0.address, '02:00:00:00:0a:01');
    assert.is(a0.txqlen, 100);
    assert.is(a0.link, 'nlts-a1');
    assert.is(a0.linkinfo?.info_kind, 'veth');
    assert.is(a1.address, '02:00:00:00:0a:02');
    const ours = await nl.link.get('nlts-a0');
    assert.is(ours.index, a0.ifindex);
    assert.is(ours.link, a1.ifindex);
    assert.is(ours.linkinfo?.kind, 'veth');
    assert.is(ours.alias, undefined, 'absent is undefined');
    assert.is(ours.master, undefined);
  } finally {
    cleanup('nlts-a0');
  }
});

test('set: up, down, mtu, name, address, broadcast, txqlen, alias, group', async () => {
  ip('link', 'add', 'nlts-s0', 'type', 'veth', 'peer', 'name', 'nlts-s1');
  await using nl = await Rtnl.open();
  try {
    await nl.link.setUp('nlts-s0');
    assert.ok(show('nlts-s0').flags.includes('UP'));
    assert.ok((await nl.link.get('nlts-s0')).flags.includes('up'));
    await nl.link.setDown('nlts-s0');
    assert.not.ok(show('nlts-s0').flags.includes('UP'));
    await nl.link.set('nlts-s0', { mtu: 1280, address: '02:00:00:00:0b:01', broadcast: 'ff:ff:ff:ff:ff:fe', txqlen: 64, alias: 'uplink to the lab', group: 7 });
    let j = show('nlts-s0');
    assert.equal([j.mtu, j.address, j.broadcast, j.txqlen, j.ifalias, j.group], [1280, '02:00:00:00:0b:01', 'ff:ff:ff:ff:ff:fe', 64, 'uplink to the lab', '7']);
    const l = await nl.link.get('nlts-s0');
    assert.equal([l.mtu, l.address, l.broadcast, l.txqlen, l.alias, l.group], [1280, '02:00:00:00:0b:01', 'ff:ff:ff:ff:ff:fe', 64, 'uplink to the lab', 7]);
    await nl.link.set('nlts-s0', { name: 'nlts-s0-renamed' });
    assert.ok(exists('nlts-s0-renamed'));
    await nl.link.set(l.index, { name: 'nlts-s0', up: true, mtu: 1500 });
    j = show('nlts-s0');
    assert.ok(j.flags.includes('UP'));
    assert.is(j.mtu, 1500);
  } finally {
    cleanup('nlts-s0', 'nlts-s0-renamed');
  }
});

test('set: promisc, arp, multicast, allmulticast flags', async () => {
  ip('link', 'add', 'nlts-f0', 'type', 'veth', 'peer', 'name', 'nlts-f1');
  await using nl = await Rtnl.open();
  try {
    await nl.link.set('nlts-f0', { promisc: true, arp: false, multicast: false, allmulticast: true });
    let flags = show('nlts-f0').flags;
    assert.ok(flags.includes('PROMISC') && flags.includes('NOARP') && flags.includes('ALLMULTI'));
    assert.not.ok(flags.includes('MULTICAST'));
    assert.ok((await nl.link.get('nlts-f0')).flags.includes('noarp'));
    await nl.link.set('nlts-f0', { promisc: false, arp: true, multicast: true, allmulticast: false });
    flags = show('nlts-f0').flags;
    assert.not.ok(flags.includes('PROMISC') || flags.includes('NOARP') || flags.includes('ALLMULTI'));
    assert.ok(flags.includes('MULTICAST'));
  } finally {
    cleanup('nlts-f0');
  }
});

test('master by name and index, nomaster; bridge port options both ways', async () => {
  ip('link', 'add', 'nlts-m0', 'type', 'veth', 'peer', 'name', 'nlts-m1');
  await using nl = await Rtnl.open();
  try {
    await nl.link.add({ name: 'nlts-mbr', linkinfo: { kind: 'bridge' } });
    await nl.link.setMaster('nlts-m0', 'nlts-mbr');
    assert.is(show('nlts-m0').master, 'nlts-mbr');
    const m0 = await nl.link.get('nlts-m0');
    assert.is(m0.master, (await nl.link.get('nlts-mbr')).index);
    assert.is(m0.linkinfo?.slaveKind, 'bridge');
    assert.equal((await nl.link.list({ master: 'nlts-mbr' })).map((l) => l.name), ['nlts-m0']);

    await nl.link.set('nlts-m0', { up: true, linkinfo: { slaveKind: 'bridge', slaveData: { cost: 10, priority: 5, learning: false, unicastFlood: false } } });
    const port = show('nlts-m0').linkinfo!.info_slave_data as Record<string, unknown>;
    assert.equal([port.cost, port.priority, port.learning, port.flood], [10, 5, false, false]);

    ip('link', 'set', 'dev', 'nlts-m0', 'type', 'bridge_slave', 'cost', '33', 'learning', 'on', 'state', '0');
    const got = (await nl.link.get('nlts-m0')).linkinfo;
    assert.is(got?.slaveKind, 'bridge');
    const data = portData(got, 'bridge');
    assert.is(data?.cost, 33);
    assert.is(data?.learning, true);
    assert.is(data?.state, 'disabled');
    assert.is(data?.unicastFlood, false);

    await nl.link.set('nlts-m0', { master: null });
    assert.is(show('nlts-m0').master, undefined);
    await nl.link.set('nlts-m0', { master: (await nl.link.get('nlts-mbr')).index });
    assert.is(show('nlts-m0').master, 'nlts-mbr');
  } finally {
    cleanup('nlts-m0', 'nlts-mbr');
  }
});

test('move a link into a namespace by fd and by pid; a veth peer made in another namespace', async () => {
  ip('netns', 'add', 'nlts-ns1');
  ip('link', 'add', 'nlts-n0', 'type', 'veth', 'peer', 'name', 'nlts-n1');
  const sleeper = spawn('ip', ['netns', 'exec', 'nlts-ns1', 'sleep', '30'], { stdio: 'ignore' });
  await using nl = await Rtnl.open();
  const fd = openSync('/run/netns/nlts-ns1', 'r');
  try {
    await nl.link.setNetns('nlts-n0', { fd });
    assert.not.ok(exists('nlts-n0'));
    assert.is(show('nlts-n0', 'nlts-ns1').ifname, 'nlts-n0');
    const n1 = await nl.link.get('nlts-n1');
    assert.is(n1.linkNetnsid, 0, 'the peer now lives in another namespace');

    // `ip netns exec` enters the namespace, then execs sleep (same pid): wait until it is in there.
    await waitFor(() => ip('netns', 'pids', 'nlts-ns1').split('\n').includes(String(sleeper.pid)), { what: 'ip netns exec to enter nlts-ns1' });
    await nl.link.set('nlts-n1', { netns: { pid: sleeper.pid! } });
    assert.not.ok(exists('nlts-n1'));
    assert.is(show('nlts-n1', 'nlts-ns1').ifname, 'nlts-n1');

    await nl.link.add({ name: 'nlts-p0', linkinfo: { kind: 'veth', data: { peer: { name: 'nlts-p1', netnsFd: fd } } } });
    assert.is(show('nlts-p1', 'nlts-ns1').ifname, 'nlts-p1');
    const p0 = await nl.link.get('nlts-p0');
    assert.is(p0.linkNetnsid, show('nlts-p0').link_netnsid);
  } finally {
    closeSync(fd);
    sleeper.kill();
    cleanup('nlts-p0');
    ip('netns', 'del', 'nlts-ns1');
  }
});

test('del: one link, a missing one (typed ENODEV), a whole group', async () => {
  await using nl = await Rtnl.open();
  ip('link', 'add', 'nlts-d0', 'type', 'veth', 'peer', 'name', 'nlts-d1');
  await nl.link.del('nlts-d0');
  assert.not.ok(exists('nlts-d0') || exists('nlts-d1'));
  for (const target of ['nlts-d0', 4242]) {
    try {
      await nl.link.del(target);
      assert.unreachable();
    } catch (err) {
      assert.instance(err, NetlinkError);
      assert.is((err as NetlinkError).code, 'ENODEV');
      assert.is((err as NetlinkError).errno, 19);
      assert.match((err as Error).message, `link del ${target}: ENODEV`);
    }
  }
  for (const n of ['nlts-g0', 'nlts-g1']) ip('link', 'add', n, 'group', '42', 'type', 'ifb');
  await nl.link.del({ group: 42 });
  assert.not.ok(exists('nlts-g0') || exists('nlts-g1'));
});

test('kernel refusals carry the kernel\'s words; bad input sends nothing', async () => {
  await using nl = await Rtnl.open();
  try {
    await nl.link.add({ name: 'nlts-t9', linkinfo: { kind: 'tun', data: { type: 'tap' } } });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, NetlinkError);
    assert.is((err as NetlinkError).code, 'EOPNOTSUPP');
    assert.match((err as Error).message, 'tun/tap creation via rtnetlink is not supported');
  }
  try {
    await nl.link.add({ name: 'lo', linkinfo: { kind: 'ifb' } });
    assert.unreachable();
  } catch (err) {
    assert.is((err as NetlinkError).code, 'EEXIST');
  }
  try {
    await nl.link.add({ name: 'nlts-way-too-long-name', linkinfo: { kind: 'ifb' } });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, EncodeError);
    assert.is((err as EncodeError).path, 'link.name');
  }
});

test('stats64 equal ip -s -j link show on a quiet link', async () => {
  // The sender lives in a namespace of its own: an IPv4 address in the shared
  // test namespace would change how later tests' neighbours are made.
  ip('netns', 'add', 'nlts-stat');
  ip('link', 'add', 'nlts-q0', 'type', 'veth', 'peer', 'name', 'nlts-q1');
  await using nl = await Rtnl.open();
  try {
    for (const n of ['nlts-q0', 'nlts-q1']) ip('link', 'set', n, 'addrgenmode', 'none'); // no IPv6 chatter
    ip('link', 'set', 'nlts-q0', 'netns', 'nlts-stat');
    ip('-n', 'nlts-stat', 'addr', 'add', '198.18.7.1/24', 'dev', 'nlts-q0');
    ip('-n', 'nlts-stat', 'link', 'set', 'nlts-q0', 'up');
    ip('link', 'set', 'nlts-q1', 'up');
    // One broadcast datagram: no ARP, no reply, so the counters stay put afterwards.
    const send = "const s = require('dgram').createSocket('udp4'); s.bind(0, '198.18.7.1', () => { s.setBroadcast(true); s.send(Buffer.alloc(64), 9, '198.18.7.255', () => s.close()); });";
    run('ip', ['netns', 'exec', 'nlts-stat', process.execPath, '-e', send]);
    type IpStats = { tx: { packets: number; bytes: number }; rx: { packets: number; bytes: number } };
    const ipStats = (): IpStats => ipJson<{ stats64: IpStats }[]>('-s', 'link', 'show', 'dev', 'nlts-q1')[0]!.stats64;
    // The datagram may still be on its way when the sender exits: compare once the counters hold still.
    let theirs = ipStats();
    let s = (await nl.link.get('nlts-q1')).stats64!;
    await waitFor(async () => {
      theirs = ipStats();
      s = (await nl.link.get('nlts-q1')).stats64!;
      return s.rx_packets > 0 && JSON.stringify(ipStats()) === JSON.stringify(theirs);
    }, { what: 'the counters of nlts-q1 to hold still' }).catch(() => undefined);
    assert.ok(s.rx_packets > 0, 'traffic was counted');
    assert.equal([s.tx_packets, s.tx_bytes, s.rx_packets, s.rx_bytes], [theirs.tx.packets, theirs.tx.bytes, theirs.rx.packets, theirs.rx.bytes]);
  } finally {
    cleanup('nlts-q1');
    ip('netns', 'del', 'nlts-stat');
  }
});

test.run();
