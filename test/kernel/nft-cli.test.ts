// `netlink-ts nft` against nft: `list ruleset -j` equals `nft -j list ruleset`
// (metainfo aside), `-f FILE` loads the JSON form, text listings name what nft
// names, and a file in nft's own syntax or with what is not modelled is
// refused with a message saying so, changing nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli-path.js';
import { requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

const fixture = new URL('../../../test/fixtures/nft/filter-nat.nft', import.meta.url).pathname;
const NS = 'nlts-nft-cli';
const nftIn = (...args: string[]): string => run('ip', ['netns', 'exec', NS, 'nft', ...args]);
const ours = (...args: string[]) => spawnSync(process.execPath, [cli, '-n', NS, 'nft', ...args], { encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'nlts-nft-cli-'));

function inNs(fn: () => void): void {
  run('ip', ['netns', 'add', NS]);
  try { fn(); } finally { run('ip', ['netns', 'del', NS]); }
}

test('nft list ruleset -j equals nft -j list ruleset; list table and chain narrow it', () => inNs(() => {
  nftIn('-f', fixture);
  const r = ours('list', 'ruleset', '-j');
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).nftables.slice(1), JSON.parse(nftIn('-j', 'list', 'ruleset')).nftables.slice(1));
  const t = ours('-j', 'list', 'table', 'ip', 'nat');
  assert.equal(JSON.parse(t.stdout).nftables.slice(1), JSON.parse(nftIn('-j', 'list', 'table', 'ip', 'nat')).nftables.slice(1));
  const c = ours('list', 'chain', 'ip', 'nat', 'pre', '-j');
  assert.equal(JSON.parse(c.stdout).nftables.slice(1), JSON.parse(nftIn('-j', 'list', 'chain', 'ip', 'nat', 'pre')).nftables.slice(1));
  const text = ours('list', 'ruleset').stdout;
  assert.match(text, /table inet filter \{/);
  assert.match(text, /\t\ttype filter hook input priority filter; policy drop;/);
  assert.match(text, /ip saddr 198\.18\.0\.0\/24 tcp dport \{ 22, 80 \} counter packets 0 bytes 0 accept/);
  assert.match(text, /tcp dport 80 dnat to 198\.18\.0\.5:8080/);
  assert.is(ours('list', 'tables').stdout, 'table inet filter\ntable ip nat\n');
}));

test('nft -f FILE loads the JSON form nft -j prints', () => inNs(() => {
  nftIn('-f', fixture);
  const listing = nftIn('-j', 'list', 'ruleset');
  const text = nftIn('list', 'ruleset');
  nftIn('flush', 'ruleset');
  const file = join(tmp, 'ruleset.json');
  writeFileSync(file, listing);
  const r = ours('-f', file);
  assert.is(r.status, 0, r.stderr);
  assert.is(nftIn('list', 'ruleset'), text);
}));

test('nft -f refuses nft syntax and what is not modelled, naming it, and changes nothing', () => inNs(() => {
  const syntax = join(tmp, 'ruleset.nft');
  writeFileSync(syntax, 'table ip t { }\n');
  const a = ours('-f', syntax);
  assert.is.not(a.status, 0);
  assert.match(a.stderr, /not JSON: netlink-ts reads the JSON form/);
  const unmodelled = join(tmp, 'xt.json');
  writeFileSync(unmodelled, JSON.stringify({ nftables: [{ table: { family: 'ip', name: 't' } }, { chain: { family: 'ip', table: 't', name: 'c' } },
    { rule: { family: 'ip', table: 't', chain: 'c', expr: [{ xt: { type: 'target', name: 'TPROXY' } }] } }] }));
  const b = ours('-f', unmodelled);
  assert.is(b.status, 1);
  assert.match(b.stderr, /nftables\[2\]\.rule\.expr\[0\]: statement "xt" is not modelled by netlink-ts/);
  assert.is(nftIn('list', 'ruleset'), '');
}));

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
