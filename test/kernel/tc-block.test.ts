// Shared filter blocks on this machine's kernel: qdiscs join block 22 with
// ingress_block, filters go into the block (tc's `tc filter add block 22`),
// and both tools read the same block: what netlink-ts put there, tc lists,
// and what tc put there, netlink-ts decodes with the block's index.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { isFilter } from '../../src/rtnl/tc/filter.js';
import { ip, requireIsolation } from '../helpers/sh.js';
import { tc } from '../helpers/tc.js';

requireIsolation();

interface TcFilterJson { block?: number; pref?: number; kind?: string; options?: { fh?: string; flowid?: string } }

test('filters of a shared block: netlink-ts adds one, tc adds one, each reads both', async () => {
  ip('link', 'add', 'nlts-k0', 'type', 'veth', 'peer', 'name', 'nlts-k1');
  try {
    await using nl = await Rtnl.open();
    tc('qdisc', 'add', 'dev', 'nlts-k0', 'ingress_block', '22', 'ingress');
    await nl.qdisc.add({ dev: 'nlts-k1', parent: 'ingress', kind: 'ingress', ingressBlock: 22 });
    const qdiscs = await nl.qdisc.list();
    assert.equal(qdiscs.filter((q) => q.kind === 'ingress').map((q) => q.ingressBlock), [22, 22], 'both devices joined block 22');
    await nl.filter.add({ block: 22, protocol: 'ip', priority: 1, kind: 'u32', options: { match: [{ ip: 'dst', value: '198.18.0.1/32' }], classid: '1:1' } });
    tc('filter', 'add', 'block', '22', 'protocol', 'ip', 'pref', '2', 'u32', 'match', 'ip', 'dst', '198.18.0.2/32', 'classid', '1:2');

    const theirs = (JSON.parse(tc('-j', 'filter', 'show', 'block', '22')) as TcFilterJson[]).filter((f) => f.options?.flowid);
    assert.equal(theirs.map((f) => [f.pref, f.kind, f.options?.flowid]), [[1, 'u32', '1:1'], [2, 'u32', '1:2']], 'tc lists both in the block');
    // Listed through a device, tc names the block each filter belongs to.
    const viaDev = (JSON.parse(tc('-j', 'filter', 'show', 'dev', 'nlts-k1', 'ingress')) as TcFilterJson[]);
    assert.ok(viaDev.length > 0 && viaDev.every((f) => f.block === 22), JSON.stringify(viaDev));

    const ours = (await nl.filter.list({ block: 22 })).filter((f) => isFilter(f, 'u32') && f.options?.classid !== undefined);
    assert.equal(ours.map((f) => [f.block, f.priority, f.kind, isFilter(f, 'u32') ? f.options?.classid : undefined]), [[22, 1, 'u32', '1:1'], [22, 2, 'u32', '1:2']]);

    await nl.filter.delete({ block: 22, protocol: 'ip', priority: 2, kind: 'u32' });
    assert.equal((JSON.parse(tc('-j', 'filter', 'show', 'block', '22')) as TcFilterJson[]).filter((f) => f.pref === 2), [], 'the delete reached the block');
  } finally {
    ip('link', 'del', 'nlts-k0');
  }
});

test('chains: netlink-ts adds and deletes them on a qdisc and in a block; tc chain show agrees', async () => {
  ip('link', 'add', 'nlts-k2', 'type', 'veth', 'peer', 'name', 'nlts-k3');
  try {
    await using nl = await Rtnl.open();
    tc('qdisc', 'add', 'dev', 'nlts-k2', 'ingress');
    tc('qdisc', 'add', 'dev', 'nlts-k3', 'ingress_block', '23', 'ingress');
    await nl.chain.add({ dev: 'nlts-k2', parent: 'ffff:', chain: 5 });
    await nl.chain.add({ block: 23, chain: 7 });
    tc('chain', 'add', 'dev', 'nlts-k2', 'parent', 'ffff:', 'chain', '9');
    const shown = (JSON.parse(tc('-j', 'chain', 'show', 'dev', 'nlts-k2', 'parent', 'ffff:')) as { chain: number }[]).map((c) => c.chain);
    assert.equal(shown.sort((a, b) => a - b), [5, 9], 'tc lists our chain and its own');
    assert.equal((JSON.parse(tc('-j', 'chain', 'show', 'block', '23')) as { chain: number }[]).map((c) => c.chain), [7]);
    const ours = await nl.chain.list({ dev: 'nlts-k2', parent: 'ffff:' });
    assert.equal(ours.map((c) => c.chain).sort((a, b) => a - b), [5, 9], 'we list tc\'s chain and ours');
    assert.equal((await nl.chain.list({ block: 23 })).map((c) => [c.block, c.chain]), [[23, 7]]);
    await nl.chain.delete({ dev: 'nlts-k2', parent: 'ffff:', chain: 9 });
    await nl.chain.delete({ block: 23, chain: 7 });
    assert.equal((JSON.parse(tc('-j', 'chain', 'show', 'dev', 'nlts-k2', 'parent', 'ffff:')) as { chain: number }[]).map((c) => c.chain), [5]);
    assert.equal(tc('-j', 'chain', 'show', 'block', '23').replace(/\s/g, ''), '[]');
  } finally {
    ip('link', 'del', 'nlts-k2');
  }
});

test.run();
