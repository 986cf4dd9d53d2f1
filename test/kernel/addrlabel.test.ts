import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import type { Rtnl } from '../../src/client.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { cli } from '../helpers/cli-path.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';
import { withVeth } from '../helpers/veth.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

type IpLabel = { address: string; prefixlen: number; ifname?: string; label: number };
const mine = (): IpLabel[] => ipJson<IpLabel[]>('addrlabel').filter((l) => l.address.startsWith('fd00:'));

/** The label table is per namespace: the test's own labels are removed after it (the defaults stay). */
const withLinks = (fn: (nl: Rtnl) => Promise<void>): (() => Promise<void>) => withVeth('nlts-l0', 'nlts-l1', fn, {
  cleanup: () => {
    for (const l of mine()) ip('addrlabel', 'del', 'prefix', `${l.address}/${l.prefixlen}`, ...(l.ifname ? ['dev', l.ifname] : []), 'label', String(l.label));
  },
});

test('add with netlink-ts, read back with ip -j; add with ip, read back typed; delete both ways', withLinks(async (nl) => {
  await nl.addrlabel.add({ prefix: 'fd00:1::/64', label: 100 });
  await nl.addrlabel.add({ prefix: 'fd00:2::/48', dev: 'nlts-l0', label: 101 });
  ip('addrlabel', 'add', 'prefix', 'fd00:3::1', 'label', '102');
  assert.equal(mine(), [
    { address: 'fd00:3::1', prefixlen: 128, label: 102 },
    { address: 'fd00:1::', prefixlen: 64, label: 100 },
    { address: 'fd00:2::', prefixlen: 48, ifname: 'nlts-l0', label: 101 },
  ]);
  const typed = (await nl.addrlabel.list()).filter((l) => l.address?.startsWith('fd00:'));
  assert.equal(typed.map((l) => [l.family, l.address, l.prefixLen, l.ifindex, l.label]), [
    ['inet6', 'fd00:3::1', 128, 0, 102], ['inet6', 'fd00:1::', 64, 0, 100], ['inet6', 'fd00:2::', 48, (await nl.link.get('nlts-l0')).index, 101],
  ]);
  for (const args of [['addrlabel'], ['-j', 'addrlabel'], ['addrlabel', 'show']]) assert.is(ours(...args), ip(...args), args.join(' '));
  await nl.addrlabel.delete({ prefix: 'fd00:1::/64', label: 100 });
  ours('addrlabel', 'del', 'prefix', 'fd00:3::1', 'label', '102');
  assert.equal(mine().map((l) => l.address), ['fd00:2::']);
  const err = await nl.addrlabel.delete({ prefix: 'fd00:1::/64', label: 100 }).then(() => undefined, (e: unknown) => e);
  assert.instance(err, NetlinkError);
  assert.match((err as NetlinkError).message, /no such address label|No such/i);
  const dup = await nl.addrlabel.add({ prefix: 'fd00:2::/48', dev: 'nlts-l0', label: 5 }).then(() => undefined, (e: unknown) => e);
  assert.is((dup as NetlinkError).code, 'EEXIST');
}));

test('a batch adds labels; flush with where deletes only those; a plain flush empties the table as ip does', withLinks(async (nl) => {
  const b = nl.batch();
  for (let i = 0; i < 20; i++) b.addrlabel.add({ prefix: `fd00:${i + 10}::/64`, label: 1000 + i });
  b.addrlabel.add({ prefix: 'fd00:40::/64', dev: 'nlts-l0', label: 2000 });
  assert.equal((await b.commit()).errors, []);
  assert.is(mine().length, 21);
  assert.is(await nl.addrlabel.flush({ where: (l) => l.address?.startsWith('fd00:') === true }), 21);
  assert.equal(mine(), []);
  const defaults = ipJson<IpLabel[]>('addrlabel');
  assert.ok(defaults.length > 0);
  ours('addrlabel', 'flush');
  assert.equal(ipJson('addrlabel'), []);
  // Put the defaults back for the tests after this one (the table is the namespace's).
  for (const l of defaults) ip('addrlabel', 'add', 'prefix', `${l.address}/${l.prefixlen}`, 'label', String(l.label));
}));

test.run();
