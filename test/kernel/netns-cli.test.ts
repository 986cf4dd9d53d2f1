import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { exists } from '../../src/netns/named.js';
import { ip, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('netlink-ts netns add/list/set/delete: ip sees the same, and netns list --json equals ip -j netns list', () => {
  ours('netns', 'add', 'nlts-l1');
  ip('netns', 'add', 'nlts-l2');
  try {
    ours('netns', 'set', 'nlts-l1', '61');
    assert.match(ip('netns', 'list'), /^nlts-l1 \(id: 61\)$/m);
    assert.is(ours('netns', 'list'), ip('netns', 'list'));
    assert.is(ours('-j', 'netns', 'list'), `${JSON.stringify(JSON.parse(ip('-j', 'netns', 'list')))}\n`);
    assert.is(ours('netns', 'list', '--json'), ours('-j', 'netns'));
    assert.is(ours('netns', 'identify'), ip('netns', 'identify'), 'we run in no named namespace: an empty line');
  } finally {
    ours('netns', 'del', 'nlts-l1');
    ours('netns', 'delete', 'nlts-l2');
  }
  assert.not.match(ip('netns', 'list'), /nlts-l/);
});

test('netlink-ts netns pids NAME prints what ip netns pids prints', async () => {
  ip('netns', 'add', 'nlts-l5');
  assert.is(ours('netns', 'pids', 'nlts-l5'), '', 'nothing runs in a new namespace');
  assert.is(ip('netns', 'pids', 'nlts-l5'), '');
  const child = spawn('ip', ['netns', 'exec', 'nlts-l5', 'sleep', '30'], { stdio: 'ignore' });
  try {
    // ip netns exec enters the namespace, then execs sleep: wait for it to be in there.
    for (let i = 0; i < 100 && ip('netns', 'pids', 'nlts-l5') !== `${child.pid}\n`; i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(ip('netns', 'pids', 'nlts-l5'), `${child.pid}\n`);
    assert.is(ours('netns', 'pids', 'nlts-l5'), `${child.pid}\n`);
    const bare = spawnSync(process.execPath, [cli, 'netns', 'pids'], { encoding: 'utf8' });
    assert.is(bare.status, 1, 'a missing name: ip netns pids exits 1');
    assert.match(bare.stderr, /netns pids: missing a namespace name/);
  } finally {
    child.kill('SIGKILL');
    ip('netns', 'del', 'nlts-l5');
  }
});

test('netlink-ts -n NAME link show equals ip -n NAME -j link show', () => {
  ip('netns', 'add', 'nlts-l3');
  try {
    ip('-n', 'nlts-l3', 'link', 'add', 'nlts-l3a', 'type', 'veth', 'peer', 'name', 'nlts-l3b');
    assert.is(JSON.stringify(JSON.parse(ours('-n', 'nlts-l3', '-j', 'link', 'show'))), JSON.stringify(JSON.parse(ip('-n', 'nlts-l3', '-j', 'link', 'show'))));
  } finally {
    ip('netns', 'del', 'nlts-l3');
  }
});

test('bad input on the command line: a clear message and a failing status, nothing created', () => {
  for (const [args, re] of [
    [['netns', 'add', 'a/b'], /namespace name "a\/b" contains "\/"/],
    [['netns', 'add', ''], /must not be empty/],
    [['netns', 'add', '..'], /not a usable namespace name/],
    [['netns', 'add', 'x'.repeat(256)], /longer than a file name may be/],
    [['netns', 'del', 'nlts-none'], /no network namespace named "nlts-none"/],
    [['netns', 'set', 'nlts-none', 'x'], /"x" is not a valid namespace id/],
    [['netns', 'exec', 'nlts-none'], /no command given/],
    [['netns', 'frob'], /Command "frob" is unknown, try "netlink-ts netns help"/],
    [['-n', 'nlts-none', 'link', 'show'], /no network namespace named "nlts-none"/],
  ] as const) {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    assert.ok(r.status === 1 || r.status === 2 || r.status === 255, `${args.join(' ')}: status ${r.status}`);
    assert.match(r.stderr, re);
  }
  assert.not.ok(exists('nlts-none'));
});

test.run();
