import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { Rtnl } from '../../src/client.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { waitForLinksSettled } from '../helpers/settle.js';
import { ip, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

test('Rtnl lists and gets links, typed, absent fields undefined', async () => {
  ip('link', 'add', 'nlts-a0', 'type', 'veth', 'peer', 'name', 'nlts-a1');
  try {
    await using nl = await Rtnl.open();
    const links = await nl.link.list();
    const a0 = links.find((l) => l.name === 'nlts-a0')!;
    assert.ok(a0, 'veth end listed');
    assert.is(a0.linkinfo?.kind, 'veth');
    assert.is(a0.type, 'ether');
    assert.is(a0.operstate, 'down');
    assert.ok(!a0.flags.includes('up'));
    assert.is(a0.alias, undefined);
    const lo = await nl.link.get('lo');
    assert.is(lo.index, 1);
    assert.is(lo.type, 'loopback');
    assert.is((await nl.link.get(a0.index)).name, 'nlts-a0');
    assert.is(await nl.ifindex('nlts-a1'), links.find((l) => l.name === 'nlts-a1')!.index);
    assert.equal((await nl.link.list({ kind: 'veth' })).map((l) => l.name).sort(), ['nlts-a0', 'nlts-a1']);
    assert.is(await nl.link.find('nlts-nope'), undefined);
    try { await nl.link.get('nlts-nope'); assert.unreachable(); } catch (e) { assert.is((e as NetlinkError).code, 'ENODEV'); }
    try { await nl.link.get('bad/name'); assert.unreachable(); } catch (e) { assert.match((e as Error).message, /contains "\/"/); }
  } finally {
    ip('link', 'del', 'nlts-a0');
  }
});

test('netlink-ts link show --json equals ip -j link show', async () => {
  ip('link', 'add', 'nlts-b0', 'type', 'veth', 'peer', 'name', 'nlts-b1');
  ip('link', 'set', 'nlts-b0', 'up');
  try {
    // Up without a peer: its operstate goes from DOWN to LOWERLAYERDOWN when the kernel's linkwatch runs.
    await waitForLinksSettled();
    for (const extra of [[], ['-s']]) {
      const ours = execFileSync(process.execPath, [cli, ...extra, 'link', 'show', '--json'], { encoding: 'utf8' });
      const theirs = execFileSync('ip', [...extra, '-j', 'link', 'show'], { encoding: 'utf8' });
      assert.is(JSON.stringify(JSON.parse(ours)), JSON.stringify(JSON.parse(theirs)), 'same keys, values and order');
    }
    const text = execFileSync(process.execPath, [cli, 'link', 'show', 'dev', 'lo'], { encoding: 'utf8' });
    assert.match(text, /^1: lo: <LOOPBACK/);
  } finally {
    ip('link', 'del', 'nlts-b0');
  }
});

test.run();
