// Every link kind this kernel has, both ways: made with netlink-ts and read
// back with `ip -d -j`, made with ip and read back with netlink-ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { kindData, portData } from '../../src/rtnl/link-info.js';
import { deleteLinks, ipLink, linkExists } from '../helpers/links.js';
import { waitForLinksSettled } from '../helpers/settle.js';
import { ip, ipJson, realRootTest, requireIsolation } from '../helpers/sh.js';
import { ours } from '../helpers/tc.js';

requireIsolation();

const show = ipLink;
const exists = linkExists;
const cleanup = deleteLinks;
const data = (name: string): Record<string, unknown> => show(name).linkinfo?.info_data ?? {};

test('bridge: options made by netlink-ts, read by ip; made by ip, read by netlink-ts', async () => {
  await using nl = await Rtnl.open();
  try {
    await nl.link.add({
      name: 'nlts-kbr0', linkinfo: { kind: 'bridge', data: {
        stpState: 1, forwardDelay: 400, helloTime: 300, maxAge: 2500, ageingTime: 10000, priority: 100,
        mcastSnooping: false, groupFwdMask: 0x4000,
      } },
    });
    const d = data('nlts-kbr0');
    assert.equal(
      [d.stp_state, d.forward_delay, d.hello_time, d.max_age, d.ageing_time, d.priority, d.mcast_snooping, d.group_fwd_mask],
      [1, 400, 300, 2500, 10000, 100, 0, '0x4000'],
    );
    ip('link', 'add', 'nlts-kbr1', 'type', 'bridge', 'forward_delay', '700', 'priority', '7', 'mcast_snooping', '0', 'ageing_time', '4242');
    const b = kindData((await nl.link.get('nlts-kbr1')).linkinfo, 'bridge')!;
    assert.equal([b.forwardDelay, b.priority, b.mcastSnooping, b.ageingTime, b.stpState, b.vlanFiltering], [700, 7, false, 4242, 0, false]);
    assert.match(b.bridgeId!, /^0007\.([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.is(b.groupAddr, '01:80:c2:00:00:00');
    // Changing options of an existing bridge.
    await nl.link.set('nlts-kbr1', { linkinfo: { kind: 'bridge', data: { helloTime: 150, stpState: 0 } } });
    assert.is(data('nlts-kbr1').hello_time, 150);
  } finally {
    cleanup('nlts-kbr0', 'nlts-kbr1');
  }
});

test('bridge: this kernel refuses vlan_filtering, with the kernel\'s errno', async () => {
  await using nl = await Rtnl.open();
  try {
    await nl.link.add({ name: 'nlts-kbr2', linkinfo: { kind: 'bridge', data: { vlanFiltering: true } } });
    assert.ok(show('nlts-kbr2').linkinfo?.info_data?.vlan_filtering === 1, 'a kernel with VLAN filtering takes it');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'EOPNOTSUPP');
  } finally {
    cleanup('nlts-kbr2');
  }
});

test('bridge ports: port info decoded for enslaved links', async () => {
  ip('link', 'add', 'nlts-kp0', 'type', 'veth', 'peer', 'name', 'nlts-kp1');
  ip('link', 'add', 'nlts-kpb', 'type', 'bridge');
  await using nl = await Rtnl.open();
  try {
    ip('link', 'set', 'nlts-kp0', 'master', 'nlts-kpb', 'up');
    ip('link', 'set', 'nlts-kpb', 'up');
    ip('link', 'set', 'nlts-kp1', 'up'); // carrier: a port's state can only be set while it is up
    ip('link', 'set', 'dev', 'nlts-kp0', 'type', 'bridge_slave', 'cost', '19', 'priority', '3', 'flood', 'off', 'mcast_flood', 'off', 'hairpin', 'on');
    // The port's STP state follows its carrier when the kernel's linkwatch runs: read it, and ip's, after that.
    await waitForLinksSettled({ pick: (x) => x.ifname.startsWith('nlts-kp') });
    const l = await nl.link.get('nlts-kp0');
    assert.is(l.linkinfo?.kind, 'veth');
    const p = portData(l.linkinfo, 'bridge')!;
    assert.equal([p.cost, p.priority, p.unicastFlood, p.mcastFlood, p.hairpin, p.learning], [19, 3, false, false, true, true]);
    assert.ok(['forwarding', 'learning', 'listening', 'disabled', 'blocking'].includes(String(p.state)));
    const theirs = show('nlts-kp0').linkinfo!.info_slave_data!;
    assert.is(theirs.state, p.state);
    assert.is(theirs.id, `0x${p.id!.toString(16)}`);
    await nl.link.set('nlts-kp0', { linkinfo: { slaveKind: 'bridge', slaveData: { learning: false, guard: true, priority: 9 } } });
    const after = show('nlts-kp0').linkinfo!.info_slave_data!;
    assert.equal([after.learning, after.guard, after.priority], [false, true, 9]);
  } finally {
    cleanup('nlts-kp0', 'nlts-kpb');
  }
});

test('macvlan: mode and parent both ways', async () => {
  ip('link', 'add', 'nlts-kv0', 'type', 'veth', 'peer', 'name', 'nlts-kv1');
  await using nl = await Rtnl.open();
  try {
    await nl.link.add({ name: 'nlts-kmv0', link: 'nlts-kv0', linkinfo: { kind: 'macvlan', data: { mode: 'vepa' } } });
    const j = show('nlts-kmv0');
    assert.is(j.link, 'nlts-kv0');
    assert.is(j.linkinfo?.info_data?.mode, 'vepa');
    ip('link', 'add', 'nlts-kmv1', 'link', 'nlts-kv1', 'type', 'macvlan', 'mode', 'private');
    const l = await nl.link.get('nlts-kmv1');
    assert.is(l.link, show('nlts-kv1').ifindex);
    assert.is(kindData(l.linkinfo, 'macvlan')?.mode, 'private');
    ip('link', 'add', 'nlts-kmv2', 'link', 'nlts-kv1', 'type', 'macvlan', 'mode', 'source', 'macaddr', 'set', '02:00:00:00:00:01', '02:00:00:00:00:02');
    const src = kindData((await nl.link.get('nlts-kmv2')).linkinfo, 'macvlan')!;
    assert.is(src.mode, 'source');
    assert.is(src.macaddrCount, 2);
    assert.equal([...src.macaddrData?.macaddr ?? []].sort(), ['02:00:00:00:00:01', '02:00:00:00:00:02']);
  } finally {
    cleanup('nlts-kmv0', 'nlts-kmv1', 'nlts-kmv2', 'nlts-kv0');
  }
});

test('vxlan: remote, group, IPv6, external; parent dev, ttl, tos, learning, port range', async () => {
  ip('link', 'add', 'nlts-kx0', 'type', 'veth', 'peer', 'name', 'nlts-kx1');
  await using nl = await Rtnl.open();
  try {
    const dev = (await nl.link.get('nlts-kx0')).index;
    await nl.link.add({
      name: 'nlts-kvx0', linkinfo: { kind: 'vxlan', data: {
        id: 100, group: '198.18.0.2', local: '198.18.0.1', link: dev, ttl: 64, tos: 0x10, learning: false,
        portRange: { low: 5000, high: 6000 }, port: 4789,
      } },
    });
    let d = data('nlts-kvx0');
    assert.equal([d.id, d.remote, d.local, d.link, d.ttl, d.tos, d.learning, d.port], [100, '198.18.0.2', '198.18.0.1', 'nlts-kx0', 64, '0x10', false, 4789]);
    assert.equal(d.port_range, { low: 5000, high: 6000 });
    await nl.link.add({ name: 'nlts-kvx1', linkinfo: { kind: 'vxlan', data: { id: 7, group: '239.1.1.1', link: dev, port: 4790 } } });
    assert.is(data('nlts-kvx1').group, '239.1.1.1');
    await nl.link.add({ name: 'nlts-kvx2', linkinfo: { kind: 'vxlan', data: { id: 8, local6: 'fd00::1', group6: 'fd00::2', port: 4791, ttlInherit: true } } });
    d = data('nlts-kvx2');
    assert.equal([d.local6, d.remote6, d.ttl], ['fd00::1', 'fd00::2', undefined]);

    ip('link', 'add', 'nlts-kvx3', 'type', 'vxlan', 'id', '42', 'remote', '198.18.0.9', 'dev', 'nlts-kx1', 'dstport', '4792', 'ttl', '9', 'nolearning', 'srcport', '7000', '8000', 'ageing', '99');
    const x = kindData((await nl.link.get('nlts-kvx3')).linkinfo, 'vxlan')!;
    assert.equal([x.id, x.group, x.link, x.port, x.ttl, x.learning, x.ageing, x.ttlInherit], [42, '198.18.0.9', show('nlts-kx1').ifindex, 4792, 9, false, 99, false]);
    assert.equal(x.portRange, { low: 7000, high: 8000 });
    ip('link', 'add', 'nlts-kvx4', 'type', 'vxlan', 'external', 'dstport', '4793');
    const e = kindData((await nl.link.get('nlts-kvx4')).linkinfo, 'vxlan')!;
    assert.equal([e.collectMetadata, e.learning], [true, false]);
  } finally {
    cleanup('nlts-kvx0', 'nlts-kvx1', 'nlts-kvx2', 'nlts-kvx3', 'nlts-kvx4', 'nlts-kx0');
  }
});

test('ifb both ways', async () => {
  await using nl = await Rtnl.open();
  try {
    await nl.link.add({ name: 'nlts-kifb0', txqlen: 64, linkinfo: { kind: 'ifb' } });
    const j = show('nlts-kifb0');
    assert.equal([j.linkinfo?.info_kind, j.txqlen], ['ifb', 64]);
    ip('link', 'add', 'nlts-kifb1', 'type', 'ifb');
    const l = await nl.link.get('nlts-kifb1');
    assert.is(l.linkinfo?.kind, 'ifb');
    assert.is(l.linkinfo?.data, undefined);
  } finally {
    cleanup('nlts-kifb0', 'nlts-kifb1');
  }
});

realRootTest('tun and tap made by ip tuntap, read by netlink-ts', async () => {
  ip('tuntap', 'add', 'dev', 'nlts-ktap0', 'mode', 'tap', 'user', '0');
  ip('tuntap', 'add', 'dev', 'nlts-ktun0', 'mode', 'tun', 'vnet_hdr');
  await using nl = await Rtnl.open();
  try {
    const tap = await nl.link.get('nlts-ktap0');
    const t = kindData(tap.linkinfo, 'tun')!;
    assert.equal([tap.linkinfo?.kind, t.type, t.persist, t.pi, t.vnetHdr, t.multiQueue, t.owner], ['tun', 'tap', true, false, false, false, 0]);
    assert.is(tap.type, 'ether');
    const tun = await nl.link.get('nlts-ktun0');
    const u = kindData(tun.linkinfo, 'tun')!;
    assert.equal([u.type, u.vnetHdr, u.owner], ['tun', true, undefined]);
    assert.is(tun.type, 'none');
    assert.is(tun.address, undefined, 'a tun has no link-layer address');
  } finally {
    cleanup('nlts-ktap0', 'nlts-ktun0');
  }
});

test('macvtap: made by netlink-ts, read by ip; made by ip, read by netlink-ts; -d -j as ip prints it', async () => {
  ip('link', 'add', 'nlts-ku0', 'type', 'veth', 'peer', 'name', 'nlts-ku1');
  await using nl = await Rtnl.open();
  try {
    await nl.link.add({ name: 'nlts-kmt0', link: 'nlts-ku0', linkinfo: { kind: 'macvtap', data: { mode: 'vepa', bcQueueLen: 500 } } });
    assert.equal([data('nlts-kmt0').mode, data('nlts-kmt0').bcqueuelen], ['vepa', 500]);
    ip('link', 'add', 'nlts-kmt1', 'link', 'nlts-ku1', 'type', 'macvtap', 'mode', 'passthru', 'nopromisc');
    const m = kindData((await nl.link.get('nlts-kmt1')).linkinfo, 'macvtap')!;
    assert.equal([m.mode, m.flags], ['passthru', ['nopromisc']]);
    for (const dev of ['nlts-kmt0', 'nlts-kmt1']) {
      const args = ['-j', '-d', 'link', 'show', 'dev', dev];
      assert.equal(JSON.parse(ours(...args)), JSON.parse(ip(...args)), args.join(' '));
    }
  } finally {
    cleanup('nlts-kmt0', 'nlts-kmt1', 'nlts-ku0');
  }
});

test.run();
