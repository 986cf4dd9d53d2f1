// The ethtool API and `netlink-ts ethtool` against the kernel, beside the
// real ethtool (6.1): every query the kernel here answers on veth, bridge and
// tap devices prints the same text, the same errors and the same exit
// status; feature changes made on twin veth pairs by both end the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { Ethtool } from '../../src/ethtool/client.js';
import { FeatureNameError } from '../../src/ethtool/features.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { cli } from '../helpers/cli-path.js';
import { rejects } from '../helpers/expect.js';
import { ip, ipJson, realRootTest, requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

interface Ran { out: string; err: string; failed: boolean }
const ethtool = (...args: string[]): Ran => {
  const r = spawnSync('ethtool', args, { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr, failed: r.status !== 0 };
};
const ours = (...args: string[]): Ran => {
  const r = spawnSync(process.execPath, [cli, 'ethtool', ...args], { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr, failed: r.status !== 0 };
};

function pair(a: string, b: string): void {
  ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
  ip('link', 'set', a, 'up');
  ip('link', 'set', b, 'up');
}

/** Both print the same for these words (stdout, stderr, success). */
function same(...args: string[]): void {
  const want = ethtool(...args);
  const got = ours(...args);
  assert.equal(got, want, `ethtool ${args.join(' ')}`);
}

test('queries on veth and bridge print what ethtool prints, including the ones the driver refuses', () => {
  pair('eth-a', 'eth-b');
  ip('link', 'add', 'eth-br', 'type', 'bridge');
  try {
    for (const dev of ['eth-a', 'eth-b', 'eth-br', 'lo']) {
      for (const q of [[], ['-i'], ['-k'], ['-l'], ['-g'], ['-c'], ['-a'], ['--show-eee'], ['-S'], ['--show-priv-flags']]) same(...q, dev);
    }
    // A device that is not there.
    for (const q of [[], ['-k'], ['-l'], ['-i'], ['-S']]) same(...q, 'eth-none');
  } finally {
    ip('link', 'del', 'eth-a');
    ip('link', 'del', 'eth-br');
  }
});

realRootTest('a tap device (coalesce and channels, message level) prints what ethtool prints', () => {
  ip('tuntap', 'add', 'eth-t0', 'mode', 'tap');
  try {
    for (const q of [[], ['-c'], ['-l'], ['-i'], ['-k']]) same(...q, 'eth-t0');
    for (const q of [['-C', 'eth-t0', 'rx-frames', '7']]) {
      assert.not.ok(ours(...q).failed);
      assert.match(run('ethtool', ['-c', 'eth-t0']), /\nrx-frames: 7\n/);
    }
  } finally {
    ip('link', 'del', 'eth-t0');
  }
});

test('--json -k and -a are ethtool\'s JSON', () => {
  pair('eth-j0', 'eth-j1');
  try {
    assert.equal(JSON.parse(ours('--json', '-k', 'eth-j0').out), JSON.parse(ethtool('--json', '-k', 'eth-j0').out));
    // Refused (no such device, no pause on veth): the error, then an empty array, as ethtool prints them.
    for (const q of [['-k', 'eth-none'], ['-a', 'eth-j0'], ['-a', 'eth-none']]) same('--json', ...q);
  } finally {
    ip('link', 'del', 'eth-j0');
  }
});

test('-K, -L on twin veth pairs: the same report, the same result as ethtool', () => {
  pair('eth-p0', 'eth-p1');
  pair('eth-q0', 'eth-q1');
  try {
    const steps = [
      ['-K', '@', 'gro', 'on'], ['-K', '@', 'gro', 'on'], ['-K', '@', 'tx', 'off'], ['-K', '@', 'tx-checksumming', 'on'],
      ['-K', '@', 'lro', 'on'], ['-K', '@', 'rx-udp-gro-forwarding', 'on', 'tx-nocache-copy', 'on'], ['-K', '@', 'sg', 'off'],
      ['-L', '@', 'rx', '2'], ['-L', '@', 'rx', '9'], ['-L', '@', 'rx', '1', 'tx', '2'], ['-G', '@', 'rx', '2'], ['-A', '@', 'rx', 'on'],
    ];
    for (const s of steps) {
      const want = ethtool(...s.map((w) => (w === '@' ? 'eth-p0' : w)));
      const got = ours(...s.map((w) => (w === '@' ? 'eth-q0' : w)));
      // ethtool's extack offsets count in its own request, laid out as ours is.
      assert.equal(got, want, s.join(' '));
      const k = (dev: string): string => run('ethtool', ['-k', dev]).replace(dev, 'DEV');
      assert.is(k('eth-q0'), k('eth-p0'), `features after ${s.join(' ')}`);
      assert.is(run('ethtool', ['-l', 'eth-q0']).replace('eth-q0', 'DEV'), run('ethtool', ['-l', 'eth-p0']).replace('eth-p0', 'DEV'));
    }
  } finally {
    ip('link', 'del', 'eth-p0');
    ip('link', 'del', 'eth-q0');
  }
});

test('library: features by name, errors in the caller\'s words, statistics and driver info', async () => {
  pair('eth-l0', 'eth-l1');
  try {
    using e = Ethtool.open();
    const before = await e.features('eth-l0');
    const gro = before.find((f) => f.name === 'rx-gro')!;
    assert.is(gro.fixed, false);
    const r = await e.setFeatures('eth-l0', { 'rx-gro': !gro.active });
    assert.equal(r.changes, [{ name: 'rx-gro', index: gro.index, asked: true, active: !gro.active }]);
    assert.match(run('ethtool', ['-k', 'eth-l0']), `generic-receive-offload: ${gro.active ? 'off' : 'on'}\n`);
    // A fixed feature: the kernel keeps it, and says so.
    const lro = await e.setFeatures('eth-l0', { 'rx-lro': true });
    assert.equal(lro, { changes: [{ name: 'rx-lro', index: lro.changes[0]!.index, asked: true, active: false, requested: true }], nothingChanged: true });
    // Unknown names: nothing is sent, and the close ones are named.
    await rejects(() => e.setFeatures('eth-l0', { 'rx-gor': true, 'rx-gro': gro.active }), (x) => x instanceof FeatureNameError && /no feature "rx-gor" \(close: rx-gro/.test(x.message));
    assert.match(run('ethtool', ['-k', 'eth-l0']), `generic-receive-offload: ${gro.active ? 'off' : 'on'}\n`);
    await rejects(() => e.setFeatures('eth-l0', { 'tx-checksum': false }), (x) => /close: .*tx-checksum-ip-generic/.test(x.message));
    await rejects(() => e.channels('eth-none'), (x) => x instanceof NetlinkError && x.code === 'ENODEV' && x.message.startsWith('ethtool channels eth-none: ENODEV'));
    await rejects(() => e.rings('eth-l0'), (x) => x instanceof NetlinkError && x.code === 'EOPNOTSUPP' && /^ethtool rings eth-l0/.test(x.message));
    await rejects(() => e.channels('bad name'), (x) => /expected a device name/.test(x.message));
    await rejects(() => e.setChannels('eth-l0', 'rx' as never), (x) => /expected an object/.test(x.message));

    await e.setChannels('eth-l0', { 'rx-count': 2 });
    assert.equal(await e.channels('eth-l0'), { 'rx-max': 2, 'rx-count': 2, 'tx-max': 2, 'tx-count': 1 });
    const byIndex = ipJson<{ ifindex: number }[]>('link', 'show', 'eth-l0')[0]!.ifindex;
    assert.equal(await e.channels(byIndex), await e.channels('eth-l0'));

    const stats = await e.driverStats('eth-l0');
    const text = run('ethtool', ['-S', 'eth-l0']).split('\n').slice(1).filter(Boolean).map((l) => l.trim());
    assert.equal(stats.map((s) => `${s.name}: ${s.value}`), text);
    const info = e.driverInfo('eth-l0');
    assert.is(info.driver, 'veth');
    assert.is(info.nStats, stats.length);
  } finally {
    ip('link', 'del', 'eth-l0');
  }
});

test.run();
