import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RTM_DELLINK, RTM_NEWLINK } from '../../src/generated/linux/rtnetlink.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { fakeLinks } from '../helpers/fake-links.js';
import { hexdump, loadFixture, requestOf } from '../helpers/fixtures.js';
import { refusedBeforeSending } from '../helpers/wire.js';
import type { Rtnl } from '../../src/client.js';

/** Our request for the same input equals iproute2's, seq and port aside. */
function same(ours: Buffer, fixture: string, type = RTM_NEWLINK): void {
  const theirs = requestOf(loadFixture(`link/${fixture}.json`), type);
  assert.is(hexdump(ours), hexdump(theirs), fixture);
}

test('add veth with peer options: same bytes as ip link add ... type veth peer ...', async () => {
  const f = fakeLinks();
  await f.nl.link.add({ name: 'nlts-v0', linkinfo: { kind: 'veth', data: { peer: { name: 'nlts-v1' } } } });
  same(f.last(RTM_NEWLINK), 'add-veth');
  await f.nl.link.add({
    address: '02:00:00:00:00:01', mtu: 1400, name: 'nlts-v0',
    linkinfo: { kind: 'veth', data: { peer: { address: '02:00:00:00:00:02', mtu: 1400, netnsFd: 4, name: 'nlts-v1' } } },
  });
  same(f.last(RTM_NEWLINK), 'add-veth-peer-options');
});

test('add bridge, vxlan, macvlan, ifb, dummy, vlan, bond from typed input', async () => {
  const f = fakeLinks();
  await f.nl.link.add({ name: 'nlts-br0', linkinfo: { kind: 'bridge' } });
  same(f.last(RTM_NEWLINK), 'add-bridge');
  await f.nl.link.add({
    name: 'nlts-br0', linkinfo: { kind: 'bridge', data: {
      stpState: 1, forwardDelay: 400, helloTime: 300, maxAge: 2500, ageingTime: 10000, priority: 100,
      vlanFiltering: true, vlanDefaultPvid: 10, mcastSnooping: false,
    } },
  });
  same(f.last(RTM_NEWLINK), 'add-bridge-options');
  await f.nl.link.add({ name: 'nlts-vx0', linkinfo: { kind: 'vxlan', data: { id: 42, learning: true, port: 4789 } } });
  same(f.last(RTM_NEWLINK), 'add-vxlan');
  await f.nl.link.add({ link: 3, name: 'nlts-mv0', linkinfo: { kind: 'macvlan', data: { mode: 'bridge' } } });
  same(f.last(RTM_NEWLINK), 'add-macvlan');
  await f.nl.link.add({ name: 'nlts-ifb0', linkinfo: { kind: 'ifb' } });
  same(f.last(RTM_NEWLINK), 'add-ifb');
  await f.nl.link.add({ name: 'nlts-d0', linkinfo: { kind: 'dummy' } });
  same(f.last(RTM_NEWLINK), 'add-dummy');
  await f.nl.link.add({ link: 3, name: 'nlts-v0.10', linkinfo: { kind: 'vlan', data: { id: 10 } } });
  same(f.last(RTM_NEWLINK), 'add-vlan');
  await f.nl.link.add({ link: 3, name: 'nlts-vl1', linkinfo: { kind: 'vlan', data: { protocol: '802.1ad', id: 20, flags: { flags: ['gvrp'], mask: ['reorder_hdr', 'gvrp'] } } } });
  same(f.last(RTM_NEWLINK), 'add-vlan-options');
  await f.nl.link.add({ name: 'nlts-bond0', linkinfo: { kind: 'bond', data: { mode: 'active-backup', miimon: 100 } } });
  same(f.last(RTM_NEWLINK), 'add-bond');
});

test('set: up, down, mtu, master by name, nomaster, several at once', async () => {
  const f = fakeLinks({ 'nlts-v1': 2, 'nlts-v0': 3, 'nlts-br0': 4 });
  await f.nl.link.set(3, { up: true });
  same(f.last(RTM_NEWLINK), 'set-up');
  await f.nl.link.setDown(3);
  same(f.last(RTM_NEWLINK), 'set-down');
  await f.nl.link.set(3, { mtu: 1400 });
  same(f.last(RTM_NEWLINK), 'set-mtu');
  await f.nl.link.set(3, { master: 'nlts-br0' });
  same(f.last(RTM_NEWLINK), 'set-master');
  await f.nl.link.setMaster(3, null);
  same(f.last(RTM_NEWLINK), 'set-nomaster');
  await f.nl.link.set(3, { up: true, mtu: 1400, master: 'nlts-br0' });
  same(f.last(RTM_NEWLINK), 'set-several');
  await f.nl.link.set('nlts-v0', { name: 'nlts-renamed' });
  same(f.last(RTM_NEWLINK), 'set-name');
  await f.nl.link.set(3, { promisc: true });
  same(f.last(RTM_NEWLINK), 'set-promisc');
  await f.nl.link.set(3, { arp: false });
  same(f.last(RTM_NEWLINK), 'set-arp');
  await f.nl.link.set(3, { multicast: false });
  same(f.last(RTM_NEWLINK), 'set-multicast');
  await f.nl.link.set(3, { alias: 'uplink' });
  same(f.last(RTM_NEWLINK), 'set-alias');
  await f.nl.link.set(3, { netns: { fd: 4 } });
  same(f.last(RTM_NEWLINK), 'set-dev-netns-name');
  await f.nl.link.setNetns(3, { pid: 999999 });
  same(f.last(RTM_NEWLINK), 'set-netns-pid');
  await f.nl.link.set(3, { linkinfo: { kind: 'bridge_slave', slaveData: { cost: 10, priority: 5, state: 'forwarding', learning: false, unicastFlood: false } } });
  same(f.last(RTM_NEWLINK), 'set-bridge-port');
});

test('del by index and by group', async () => {
  const f = fakeLinks({ 'nlts-v0': 3 });
  await f.nl.link.del(3);
  same(f.last(RTM_DELLINK), 'del', RTM_DELLINK);
  await f.nl.link.del({ group: 5 });
  same(f.last(RTM_DELLINK), 'del-group', RTM_DELLINK);
});

test('bad input is an EncodeError naming the field, and nothing is sent (not even a lookup)', async () => {
  const bad: [string, (nl: Rtnl) => Promise<unknown>, RegExp, string][] = [
    ['name too long', (nl) => nl.link.add({ name: 'nlts-0123456789ab', linkinfo: { kind: 'dummy' } }), /17 bytes; the limit is 15/, 'link.name'],
    ['empty name', (nl) => nl.link.add({ name: '', linkinfo: { kind: 'dummy' } }), /cannot be empty/, 'link.name'],
    ['dot', (nl) => nl.link.add({ name: '.', linkinfo: { kind: 'dummy' } }), /"\." is not a valid/, 'link.name'],
    ['dotdot', (nl) => nl.link.add({ name: '..', linkinfo: { kind: 'dummy' } }), /"\.\." is not a valid/, 'link.name'],
    ['slash', (nl) => nl.link.add({ name: 'a/b', master: 'nlts-br0', linkinfo: { kind: 'dummy' } }), /contains "\/"/, 'link.name'],
    ['colon', (nl) => nl.link.set(3, { name: 'a:b' }), /contains ":"/, 'link.name'],
    ['space', (nl) => nl.link.add({ name: 'a b', linkinfo: { kind: 'dummy' } }), /contains " "/, 'link.name'],
    // The kernel would expand %d (br%d → br0): the link made would not be the one named.
    ['percent', (nl) => nl.link.add({ name: 'br%d', linkinfo: { kind: 'bridge' } }), /contains "%", which the kernel/, 'link.name'],
    ['percent in rename', (nl) => nl.link.set(3, { name: 'x%d' }), /contains "%"/, 'link.name'],
    ['tab in peer', (nl) => nl.link.add({ name: 'ok', linkinfo: { kind: 'veth', data: { peer: { name: 'a\tb' } } } }), /contains "\\t"/, 'link.linkinfo.data.peer.name'],
    ['no kind', (nl) => nl.link.add({ name: 'nlts-x' }), /a new link needs a kind/, 'link.linkinfo.kind'],
    ['unknown kind', (nl) => nl.link.add({ name: 'nlts-x', linkinfo: { kind: 'gtp' } }), /unknown link kind "gtp"/, 'link.linkinfo.kind'],
    ['unknown option', (nl) => nl.link.add({ name: 'nlts-x', linkinfo: { kind: 'vxlan', data: { id: 1, dstport: 4789 } as never } }), /unknown attribute "dstport"/, 'link.linkinfo.data.dstport'],
    ['unknown field', (nl) => nl.link.set(3, { mtuu: 1400 } as never), /unknown attribute "mtuu"/, 'link.mtuu'],
    ['bad master', (nl) => nl.link.set(3, { master: 'bad/name' }), /contains "\/"/, 'link.master'],
    ['bad netns', (nl) => nl.link.set(3, { netns: { fd: -1 } as never }), /expected \{ fd \}/, 'link.netns'],
    ['bad mode', (nl) => nl.link.add({ name: 'nlts-x', linkinfo: { kind: 'macvlan', data: { mode: 'brige' as never } } }), /unknown macvlan mode "brige"/, 'link.linkinfo.data.mode'],
    ['bad up', (nl) => nl.link.set(3, { up: 'yes' as never }), /expected true or false/, 'link.up'],
    ['bad ref', (nl) => nl.link.set(0, { up: true }), /0 is not an interface index/, 'link'],
    ['bad vni', (nl) => nl.link.add({ name: 'nlts-x', linkinfo: { kind: 'vxlan', data: { id: -1 } } }), /-1 is out of range/, 'link.linkinfo.data.id'],
    ['bad group', (nl) => nl.link.del({ group: 'x' as never }), /expected a group number/, 'link.group'],
  ];
  for (const [what, call, message, path] of bad) await refusedBeforeSending(call, message, path, what);
});

test('a kind this version does not model is created from raw data bytes', async () => {
  const f = fakeLinks();
  await f.nl.link.add({ name: 'nlts-gtp0', linkinfo: { kind: 'gtp', data: Buffer.alloc(0) } });
  const sent = f.last(RTM_NEWLINK);
  assert.ok(sent.includes(Buffer.from('gtp')));
});

test('kernel refusals carry errno and the kernel words; a missing master names the lookup', async () => {
  const f = fakeLinks({ 'nlts-v0': 3 }, (type) => (type === RTM_DELLINK ? 19 : undefined));
  try {
    await f.nl.link.del('nlts-gone');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, NetlinkError);
    assert.is((err as NetlinkError).code, 'ENODEV');
    assert.is((err as NetlinkError).errno, 19);
    assert.match((err as Error).message, /^link del nlts-gone: ENODEV .*refused by the fake kernel/);
  }
  try {
    await f.nl.link.set('nlts-v0', { master: 'nlts-nobr' });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, NetlinkError);
    assert.match((err as Error).message, /^link set nlts-v0: ENODEV .*looking up "nlts-nobr"/);
  }
});

test.run();
