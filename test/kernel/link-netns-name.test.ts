import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { netns } from '../../src/index.js';
import { ipJson, requireIsolation } from '../helpers/sh.js';

requireIsolation();

test('links move into a namespace given by name, and a veth peer is created there by name', async () => {
  netns.add('nlts-mv');
  try {
    using nl = Rtnl.openSync();
    await nl.link.add({ name: 'nlts-m0', linkinfo: { kind: 'veth', data: { peer: { name: 'nlts-m1' } } } });
    await nl.link.set('nlts-m1', { netns: 'nlts-mv' });
    assert.equal(ipJson<{ ifname: string }[]>('-n', 'nlts-mv', 'link', 'show', 'nlts-m1').map((l) => l.ifname), ['nlts-m1']);
    using inside = Rtnl.openSync({ netns: 'nlts-mv' });
    assert.is((await inside.link.get('nlts-m1')).name, 'nlts-m1');
    await inside.link.set('nlts-m1', { netns: { path: '/proc/self/ns/net' } }); // back home (this test's namespace)
    assert.is(await inside.link.find('nlts-m1'), undefined);
    try { await nl.link.set('nlts-m0', { netns: 'nlts-none' }); assert.unreachable(); } catch (e) {
      assert.match((e as Error).message, /nlts-none/);
    }
  } finally {
    netns.remove('nlts-mv');
    using nl = Rtnl.openSync();
    for (const n of ['nlts-m0', 'nlts-m1']) if (await nl.link.find(n)) await nl.link.del(n);
  }
});

test.run();
