// Rulesets written by nft (test/fixtures/nft/*.nft) read back by netlink-ts
// and printed as nft -j list ruleset prints them: equal, object by object,
// but for the metainfo line. Each ruleset is loaded in a namespace of its own.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Nft } from '../../src/nft/client.js';
import { requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

const dir = new URL('../../../test/fixtures/nft/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.nft')).sort();
const NS = 'nlts-nft-list';

function inNs<T>(fn: () => Promise<T>): Promise<T> {
  run('ip', ['netns', 'add', NS]);
  return fn().finally(() => run('ip', ['netns', 'del', NS]));
}

test('there are rulesets to compare', () => {
  assert.ok(files.length >= 2, files.join(', '));
});

for (const file of files) {
  test(`nft -f ${file}: netlink-ts lists what nft -j lists`, () => inNs(async () => {
    run('ip', ['netns', 'exec', NS, 'nft', '-f', join(dir, file)]);
    const theirs = JSON.parse(run('ip', ['netns', 'exec', NS, 'nft', '-j', 'list', 'ruleset'])).nftables.slice(1);
    using nft = Nft.open({ netns: NS });
    const mine = (await nft.listJson()).nftables.slice(1);
    assert.is(mine.length, theirs.length);
    mine.forEach((m, i) => assert.equal(m, theirs[i], `${file}: object ${i}`));
  }));
}

test('one table of one family is listed alone', () => inNs(async () => {
  run('ip', ['netns', 'exec', NS, 'nft', '-f', join(dir, 'filter-nat.nft')]);
  const theirs = JSON.parse(run('ip', ['netns', 'exec', NS, 'nft', '-j', 'list', 'table', 'ip', 'nat'])).nftables.slice(1);
  using nft = Nft.open({ netns: NS });
  const mine = (await nft.listJson({ family: 'ip', table: 'nat' })).nftables.slice(1);
  assert.equal(mine, theirs);
}));

test.run();
