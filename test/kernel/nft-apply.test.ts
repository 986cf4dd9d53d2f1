// Rulesets written by netlink-ts, read back by nft: every fixture ruleset
// (test/fixtures/nft/*.nft) as nft -j lists it, flushed, loaded again from
// that JSON by netlink-ts, lists the same (handles aside). apply() replaces a
// table's contents in one transaction; plan() shows what it would change.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EncodeError } from '../../src/netlink/errors.js';
import type { NftDocument } from '../../src/nft/document.js';
import { Nft } from '../../src/nft/client.js';
import { requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

const dir = new URL('../../../test/fixtures/nft/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.nft')).sort();
const NS = 'nlts-nft-apply';
const nftIn = (...args: string[]): string => run('ip', ['netns', 'exec', NS, 'nft', ...args]);
const listed = (): NftDocument => JSON.parse(nftIn('-j', 'list', 'ruleset')) as NftDocument;

type J = unknown;
const noHandles = (v: J): J => (Array.isArray(v) ? v.map(noHandles) : v !== null && typeof v === 'object'
  ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'handle').map(([k, x]) => [k, noHandles(x)])) : v);

function inNs<T>(fn: () => Promise<T>): Promise<T> {
  run('ip', ['netns', 'add', NS]);
  return fn().finally(() => run('ip', ['netns', 'del', NS]));
}

for (const file of files) {
  test(`${file}: loaded by netlink-ts from nft -j, nft lists it as it was`, () => inNs(async () => {
    nftIn('-f', join(dir, file));
    const before = listed();
    nftIn('flush', 'ruleset');
    using nft = Nft.open({ netns: NS });
    await nft.load(before);
    assert.equal(noHandles(listed().nftables.slice(1)), noHandles(before.nftables.slice(1)));
    assert.equal(await nft.plan(before), [], 'nothing left to change');
  }));
}

const table = (rules: J[][]): NftDocument => ({
  nftables: [
    { table: { family: 'inet', name: 'fw' } },
    { chain: { family: 'inet', table: 'fw', name: 'in', type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
    ...rules.map((expr) => ({ rule: { family: 'inet', table: 'fw', chain: 'in', expr } })),
  ] as NftDocument['nftables'],
});
const dport = (n: number): J => ({ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: n } });

test('apply replaces a table\'s contents; plan shows the difference first and nothing after', () => inNs(async () => {
  using nft = Nft.open({ netns: NS });
  await nft.apply(table([[dport(22), { accept: null }], [dport(23), { drop: null }]]));
  nftIn('add', 'table', 'ip', 'other');
  const next = table([[dport(22), { accept: null }], [dport(80), { counter: null }, { accept: null }]]);
  const plan = await nft.plan(next);
  assert.equal(plan.map((c) => [c.op, c.kind, c.where]), [['delete', 'rule', 'inet fw in'], ['add', 'rule', 'inet fw in']]);
  assert.equal((plan[0]!.before as { expr: J[] }).expr[0], dport(23));
  await nft.apply(next);
  const text = nftIn('list', 'table', 'inet', 'fw');
  assert.match(text, /tcp dport 22 accept/);
  assert.match(text, /tcp dport 80 counter packets 0 bytes 0 accept/);
  assert.not.match(text, /dport 23/);
  assert.match(nftIn('list', 'tables'), /table ip other/, 'tables the document does not name are left alone');
  assert.equal(await nft.plan(next), []);
}));

test('what is not modelled is refused before anything is sent', () => inNs(async () => {
  using nft = Nft.open({ netns: NS });
  const doc = table([[{ xt: { type: 'match', name: 'foo' } }]]);
  const err = await nft.apply(doc).then(() => undefined, (e: unknown) => e);
  assert.instance(err, EncodeError);
  assert.match((err as Error).message, /"xt" is not modelled/);
  assert.is(nftIn('list', 'ruleset').trim(), '');
}));

test('a failing object rolls the whole transaction back', () => inNs(async () => {
  using nft = Nft.open({ netns: NS });
  const doc = table([[dport(22), { jump: { target: 'missing' } }]]);
  const err = await nft.load(doc).then(() => undefined, (e: unknown) => e) as { code?: string; operation?: string };
  assert.is(err?.code, 'ENOENT');
  assert.match(String(err.operation), /nft add rule inet fw in/);
  assert.is(nftIn('list', 'ruleset').trim(), '');
}));

test.run();
