// Alternative names (`ip link property add|del ... altname NAME`): given and
// taken away by netlink-ts and by ip, each read by the other, and usable
// wherever a device name is, long ones (up to 127 bytes) included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { deleteLinks, ipLink } from '../helpers/links.js';
import { ip, requireIsolation } from '../helpers/sh.js';
import { ours } from '../helpers/tc.js';

requireIsolation();

const LONG = 'nlts-a-very-long-alternative-name-for-a0';

test('altnames: added and deleted by the library and the CLI, read by ip; added by ip, read by us', async () => {
  ip('link', 'add', 'nlts-a0', 'type', 'veth', 'peer', 'name', 'nlts-a1');
  await using nl = await Rtnl.open();
  try {
    await nl.link.addAltNames('nlts-a0', 'nlts-alt0', LONG);
    assert.equal(ipLink('nlts-a0').altnames, ['nlts-alt0', LONG]);
    ours('link', 'property', 'add', 'dev', 'nlts-a0', 'altname', 'nlts-alt1');
    assert.equal(ipLink('nlts-a0').altnames, ['nlts-alt0', LONG, 'nlts-alt1']);
    ip('link', 'property', 'add', 'dev', 'nlts-a1', 'altname', 'nlts-peer-alt');
    assert.equal((await nl.link.get('nlts-a1')).propList?.altNames, ['nlts-peer-alt']);
    // Both ways of showing it agree.
    const args = ['-j', 'link', 'show', 'dev', 'nlts-a0'];
    assert.equal(JSON.parse(ours(...args)), JSON.parse(ip(...args)));
    await nl.link.delAltNames('nlts-a0', 'nlts-alt0');
    ours('link', 'property', 'del', 'nlts-a0', 'altname', 'nlts-alt1');
    assert.equal(ipLink('nlts-a0').altnames, [LONG]);
  } finally {
    deleteLinks('nlts-a0');
  }
});

test('an altname names the link wherever a name does: get, set, a master, the CLI; a long one by IFLA_ALT_IFNAME', async () => {
  ip('link', 'add', 'nlts-b0', 'type', 'veth', 'peer', 'name', 'nlts-b1');
  ip('link', 'add', 'nlts-br', 'type', 'bridge');
  await using nl = await Rtnl.open();
  try {
    await nl.link.addAltNames('nlts-b0', 'nlts-balt', LONG);
    await nl.link.addAltNames('nlts-br', 'nlts-bridge-by-another-long-name');
    const index = ipLink('nlts-b0').ifindex;
    assert.is((await nl.link.get('nlts-balt')).index, index);
    assert.is((await nl.link.get(LONG)).index, index);
    await nl.link.set(LONG, { mtu: 1400, master: 'nlts-bridge-by-another-long-name' });
    assert.equal([ipLink('nlts-b0').mtu, ipLink('nlts-b0').master], [1400, 'nlts-br']);
    ours('link', 'set', 'dev', 'nlts-balt', 'mtu', '1300');
    assert.is(ipLink('nlts-b0').mtu, 1300);
    await nl.link.delete(LONG);
    assert.not.ok((await nl.link.list()).some((l) => l.name === 'nlts-b0'));
  } finally {
    deleteLinks('nlts-b0', 'nlts-br');
  }
});

test('bad altnames are refused before anything is sent; the kernel refuses a duplicate', async () => {
  ip('link', 'add', 'nlts-c0', 'type', 'veth', 'peer', 'name', 'nlts-c1');
  await using nl = await Rtnl.open();
  try {
    for (const bad of ['', 'a b', 'a/b', 'x'.repeat(128)]) {
      await nl.link.addAltNames('nlts-c0', bad).then(() => assert.unreachable(bad), (err: Error) => assert.is(err.name, 'EncodeError', bad));
    }
    await nl.link.addAltNames('nlts-c0').then(() => assert.unreachable('no names'), (err: Error) => assert.is(err.name, 'EncodeError'));
    await nl.link.addAltNames('nlts-c0', 'nlts-calt');
    await nl.link.addAltNames('nlts-c1', 'nlts-calt').then(() => assert.unreachable('a duplicate'), (err: { code?: string }) => assert.is(err.code, 'EEXIST'));
  } finally {
    deleteLinks('nlts-c0');
  }
});

test.run();
