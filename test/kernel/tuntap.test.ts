// tun/tap devices made through the FFI layer's ioctls (tuntap.add/open), read
// back by iproute2, and the other way round; in a named namespace too. The
// CLI's `tuntap show -j` is compared with `ip -n NS -j tuntap show`, which
// remounts /sys for that namespace (ip reads tun_flags there).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as netns from '../../src/netns/index.js';
import * as tuntap from '../../src/tuntap/index.js';
import { OsError } from '../../src/ffi/os-error.js';
import { cli } from '../helpers/cli-path.js';
import { type IpLink, linkExists } from '../helpers/links.js';
import { waitFor } from '../helpers/settle.js';
import { ip, ipJson, realRootTest, requireIsolation } from '../helpers/sh.js';

requireIsolation();
const NS = 'nlts-tt';
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
const tunData = (name: string, ns?: string): Record<string, unknown> =>
  ipJson<IpLink[]>(...(ns ? ['-n', ns] : []), '-d', 'link', 'show', 'dev', name)[0]!.linkinfo!.info_data!;

function cleanup(): void {
  for (const l of ipJson<{ ifname: string }[]>('link', 'show')) if (l.ifname.startsWith('nlts-')) ip('link', 'del', l.ifname);
  if (existsSync(`/run/netns/${NS}`)) netns.remove(NS);
}

realRootTest('tuntap.add makes persistent devices with ip tuntap add\'s options; ip reads them; tuntap.delete removes them', async () => {
  try {
    assert.is(tuntap.add({ name: 'nlts-tap0', mode: 'tap', owner: 1000, group: 100, multiQueue: true, vnetHdr: true }), 'nlts-tap0');
    assert.is(tuntap.add({ name: 'nlts-tun0', mode: 'tun', pi: true }), 'nlts-tun0');
    const tap = tunData('nlts-tap0');
    assert.equal([tap.type, tap.pi, tap.vnet_hdr, tap.multi_queue, tap.persist], ['tap', false, true, true, true]);
    const tun = tunData('nlts-tun0');
    assert.equal([tun.type, tun.pi, tun.vnet_hdr, tun.multi_queue, tun.persist], ['tun', true, false, false, true]);
    const listed = await tuntap.list();
    const mine = listed.filter((t) => t.name.startsWith('nlts-')).map(({ index: _i, ...t }) => t);
    assert.equal(mine, [
      { name: 'nlts-tap0', mode: 'tap', pi: false, vnetHdr: true, multiQueue: true, persist: true, flags: 0x5902, owner: 1000, group: 100, numQueues: 0, numDisabledQueues: 0 },
      { name: 'nlts-tun0', mode: 'tun', pi: true, vnetHdr: false, multiQueue: false, persist: true, flags: 0x801 },
    ]);
    // add never attaches to a device that exists (IFF_TUN_EXCL, as ip): the name is taken.
    assert.throws(() => tuntap.add({ name: 'nlts-tun0', mode: 'tun', pi: true }), (e: OsError) => e.code === 'EBUSY' && /TUNSETIFF nlts-tun0/.test(e.message));
    // Deleting needs the device's own flags (multi_queue): read from the kernel, not asked of the caller.
    await tuntap.delete('nlts-tap0');
    await tuntap.delete('nlts-tun0');
    assert.not.ok(linkExists('nlts-tap0') || linkExists('nlts-tun0'));
    // Made by ip, deleted by netlink-ts.
    ip('tuntap', 'add', 'dev', 'nlts-tap1', 'mode', 'tap', 'multi_queue');
    await tuntap.delete('nlts-tap1');
    assert.not.ok(linkExists('nlts-tap1'));
  } finally {
    cleanup();
  }
});

realRootTest('tuntap.open hands over fds: a non-persistent device lives as long as they do; queues are fds', async () => {
  try {
    const dev = tuntap.open({ name: 'nlts-tq0', mode: 'tap', multiQueue: true, queues: 3 });
    assert.is(dev.fds.length, 3);
    assert.equal([tunData('nlts-tq0').numqueues, tunData('nlts-tq0').persist], [3, false]);
    dev.setQueue(1, false);
    assert.equal([tunData('nlts-tq0').numqueues, tunData('nlts-tq0').numdisabled], [2, 1]);
    dev.setQueue(1, true);
    assert.is(tunData('nlts-tq0').numdisabled, 0);
    dev.close();
    await waitFor(() => !linkExists('nlts-tq0'), { what: 'the device to go with its last fd' });
    // No name: the kernel picks one and it comes back.
    {
      using any = tuntap.open({ mode: 'tun' });
      assert.match(any.name, /^tun\d+$/);
      assert.ok(linkExists(any.name));
    }
    // persist: true keeps it after the fds close; another open attaches to it.
    tuntap.open({ name: 'nlts-tp0', mode: 'tun', persist: true }).close();
    assert.ok(linkExists('nlts-tp0'));
    using again = tuntap.open({ name: 'nlts-tp0', mode: 'tun' });
    assert.is(again.name, 'nlts-tp0');
  } finally {
    cleanup();
  }
});

realRootTest('inside a named namespace: the device is made there, listed there, deleted there; the CLI matches ip -j tuntap show', async () => {
  netns.add(NS);
  try {
    tuntap.add({ name: 'nlts-nt0', mode: 'tap', netns: NS, owner: 0, vnetHdr: true });
    ip('-n', NS, 'tuntap', 'add', 'dev', 'nlts-nt1', 'mode', 'tun', 'pi', 'group', '5', 'multi_queue');
    assert.not.ok(linkExists('nlts-nt0'), 'not made in this namespace');
    assert.equal((await tuntap.list({ netns: NS })).map((t) => t.name), ['nlts-nt0', 'nlts-nt1']);
    assert.equal(JSON.parse(ours('-n', NS, '-j', 'tuntap', 'show')), ipJson('-n', NS, 'tuntap', 'show'));
    assert.is(ours('-n', NS, 'tuntap', 'show'), ip('-n', NS, 'tuntap', 'show'));
    ours('-n', NS, 'tuntap', 'add', 'dev', 'nlts-nt2', 'mode', 'tap', 'user', 'nobody', 'one_queue');
    // one_queue (ignored by kernels since 3.8) is kept in sysfs's tun_flags, which ip reads; rtnetlink does not report it.
    assert.is(ip('-n', NS, 'tuntap', 'show').split('\n').find((l) => l.startsWith('nlts-nt2')), 'nlts-nt2: tap one_queue persist user 65534');
    assert.is(ours('-n', NS, 'tuntap', 'show').split('\n').find((l) => l.startsWith('nlts-nt2')), 'nlts-nt2: tap persist user 65534');
    ours('-n', NS, 'tuntap', 'del', 'dev', 'nlts-nt1', 'mode', 'tun');
    await tuntap.delete('nlts-nt0', { netns: NS });
    assert.equal((await tuntap.list({ netns: NS })).map((t) => t.name), ['nlts-nt2']);
  } finally {
    cleanup();
  }
});

test('without the real root (a user namespace), opening /dev/net/tun is refused with a clear OsError and nothing is made', () => {
  if (process.env.NETLINK_TS_TEST_USERNS !== '1') return;
  assert.throws(() => tuntap.add({ name: 'nlts-un0', mode: 'tap' }), (e: OsError) => e instanceof OsError && ['EACCES', 'EPERM'].includes(e.code) && /\/dev\/net\/tun/.test(e.message));
  assert.not.ok(linkExists('nlts-un0'));
});

test.run();
