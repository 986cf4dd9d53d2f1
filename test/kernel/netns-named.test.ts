import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readlinkSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Rtnl } from '../../src/client.js';
import { add, attach, exists, identify, list, pids, remove, removeAll } from '../../src/netns/named.js';
import { spawn } from '../../src/netns/exec.js';
import { NetnsError } from '../../src/netns/errors.js';
import { envForOtherUser, ip, realRootTest, requireIsolation, run } from '../helpers/sh.js';
import { mountsAt, nsId, threadsElsewhere } from '../helpers/netns.js';

requireIsolation();
const home = readlinkSync('/proc/thread-self/ns/net');
const dist = new URL('../../', import.meta.url).pathname;

/**
 * Runs a script in a mount namespace of its own with a fresh /run (so
 * /run/netns is absent, as on a new machine) after `setup` shell commands.
 */
function scenario(setup: string, script: string): { status: number | null; stdout: string; stderr: string } {
  const code = `import * as named from '${dist}src/netns/named.js';\n${script}`;
  const sh = `mount -t tmpfs nlts-scenario /run && ${setup || 'true'} && exec ${process.execPath} --input-type=module -e "$0"`;
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', sh, code], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CHECK = `
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\\n').filter((l) => l.split(' ')[4] === '/run/netns');
named.add('nlts-s1');
const after = readFileSync('/proc/self/mountinfo', 'utf8').split('\\n').filter((l) => l.split(' ')[4] === '/run/netns');
const ipList = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
const inside = execFileSync('ip', ['netns', 'exec', 'nlts-s1', 'readlink', '/proc/self/ns/net'], { encoding: 'utf8' }).trim();
const file = 'net:[' + (await import('node:fs')).statSync('/run/netns/nlts-s1').ino + ']';
execFileSync('ip', ['netns', 'del', 'nlts-s1']);
console.log(JSON.stringify({ before: mounts.length, after: after.map((l) => l.split(' - ')[0].split(' ').slice(6).join(' ')), ipList, same: inside === file, left: named.list() }));
`;

// mountinfo also lists the /run/netns hidden under the fresh /run (a copy of ours, when it exists): count the new ones.
for (const [label, setup, added] of [
  ['/run/netns absent', '', 1],
  ['/run/netns a plain directory', 'mkdir /run/netns', 1],
  ['/run/netns already shared (made by ip netns add)', 'ip netns add nlts-s0 && ip netns del nlts-s0', 0],
  ['/run/netns a private mount point', 'mkdir /run/netns && mount --bind /run/netns /run/netns && mount --make-private /run/netns', 0],
] as const) {
  test(`add works with ${label}, leaving one shared mount point exactly as ip does`, () => {
    const r = scenario(setup, CHECK);
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { before: number; after: string[]; ipList: string; same: boolean; left: string[] };
    assert.is(out.after.length, out.before + added, `no stacked mounts at /run/netns: ${out.after.join(' | ')}`);
    assert.match(out.after.at(-1)!, /shared:\d+/);
    assert.is(out.ipList.trim(), 'nlts-s1');
    assert.ok(out.same, 'ip netns exec enters the namespace we made');
    assert.equal(out.left, []);
  });
}

test('ip netns sees what we create; we see, open and delete what ip creates', async () => {
  add('nlts-n1');
  try {
    assert.ok(exists('nlts-n1'));
    assert.match(ip('netns', 'list'), /^nlts-n1$/m);
    const inside = run('ip', ['netns', 'exec', 'nlts-n1', 'readlink', '/proc/self/ns/net']).trim();
    assert.is(inside, nsId('/run/netns/nlts-n1'));
    assert.is.not(inside, home, 'a new namespace, not ours');
    ip('-n', 'nlts-n1', 'link', 'add', 'nlts-x0', 'type', 'veth', 'peer', 'name', 'nlts-x1');
    await using nl = await Rtnl.open({ netns: 'nlts-n1' });
    assert.equal((await nl.link.list({ kind: 'veth' })).map((l) => l.name).sort(), ['nlts-x0', 'nlts-x1']);
  } finally {
    ip('netns', 'del', 'nlts-n1');
  }
  assert.not.ok(exists('nlts-n1'), 'ip netns del removed our name');
  assert.not.ok(list().includes('nlts-n1'));

  ip('netns', 'add', 'nlts-n2');
  try {
    assert.ok(list().includes('nlts-n2'));
    assert.ok(exists('nlts-n2'));
    await using nl = await Rtnl.open({ netns: 'nlts-n2' });
    assert.equal((await nl.link.list()).map((l) => l.name), ['lo']);
    assert.equal(identify('nlts-n2'), ['nlts-n2']);
  } finally {
    remove('nlts-n2');
  }
  assert.not.match(ip('netns', 'list'), /nlts-n2/);
  assert.is(mountsAt('/run/netns/nlts-n2').length, 0, 'no mount left behind');
});

test('after many adds and deletes every thread — main, threadpool — is still at home', async () => {
  await readFile('/proc/self/status'); // the pool exists and is busy alongside
  const before = list().length;
  for (let i = 0; i < 50; i++) {
    const pending = readFile('/proc/self/stat');
    add(`nlts-t${i}`);
    await pending;
    assert.equal(threadsElsewhere(home), []);
  }
  assert.is(list().length, before + 50);
  assert.equal(removeAll('nlts-t').sort(), Array.from({ length: 50 }, (_, i) => `nlts-t${i}`).sort());
  assert.is(list().length, before);
  assert.equal(threadsElsewhere(home), []);
});

test('a name that is taken: EEXIST, and the namespace already there is left untouched', () => {
  add('nlts-e1');
  try {
    const ino = statSync('/run/netns/nlts-e1').ino;
    try {
      add('nlts-e1');
      assert.unreachable();
    } catch (e) {
      assert.instance(e, NetnsError);
      assert.is((e as NetnsError).code, 'EEXIST');
      assert.match((e as Error).message, /^netns add "nlts-e1": a network namespace named "nlts-e1" already exists: EEXIST/);
    }
    assert.is(statSync('/run/netns/nlts-e1').ino, ino);
    assert.is(mountsAt('/run/netns/nlts-e1').length, 1);
  } finally {
    remove('nlts-e1');
  }
});

realRootTest('not enough privilege: a clear error, and no file and no mount left behind', () => {
  const code = `import * as named from '${dist}src/netns/named.js';
    try { named.add('nlts-p1'); console.log('added'); } catch (e) { console.log(e.code + ' ' + e.message); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { uid: 65534, gid: 65534, encoding: 'utf8', env: envForOtherUser() });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^(EACCES|EPERM) netns add "nlts-p1": .*needs root/);
  assert.not.ok(existsSync('/run/netns/nlts-p1'));
  assert.is(mountsAt('/run/netns/nlts-p1').length, 0);
});

test('a failed attach leaves no name behind; attach names a namespace we hold', () => {
  assert.throws(() => attach('nlts-a1', { pid: 4194303 }), /no process with pid 4194303/);
  assert.throws(() => attach('nlts-a1', { path: '/proc/self/ns/uts' }), /not a network namespace/);
  assert.not.ok(exists('nlts-a1'));
  add('nlts-a1');
  try {
    attach('nlts-a2', 'nlts-a1');
    assert.is(nsId('/run/netns/nlts-a2'), nsId('/run/netns/nlts-a1'));
    assert.equal(identify({ path: '/run/netns/nlts-a1' }).sort(), ['nlts-a1', 'nlts-a2']);
  } finally {
    removeAll('nlts-a');
  }
});

test('deleting a namespace that still has a process: the name goes, the namespace lives on', async () => {
  add('nlts-d1');
  const ns = nsId('/run/netns/nlts-d1');
  const child = spawn('nlts-d1', ['sleep', '30'], { mounts: false, stdio: 'ignore' });
  try {
    await child.started;
    assert.is(readlinkSync(`/proc/${child.pid}/ns/net`), ns);
    assert.equal(identify({ pid: child.pid! }), ['nlts-d1']);
    assert.equal(pids('nlts-d1'), [child.pid!], 'the one process in it');
    assert.is(ip('netns', 'pids', 'nlts-d1'), `${child.pid}\n`, 'as ip netns pids says');
    assert.equal(pids({ pid: child.pid! }), [child.pid!]);
    assert.not.ok(pids({ pid: process.pid }).includes(child.pid!), 'not in ours');
    remove('nlts-d1');
    assert.not.ok(exists('nlts-d1'));
    assert.not.match(ip('netns', 'list'), /nlts-d1/);
    assert.is(readlinkSync(`/proc/${child.pid}/ns/net`), ns, 'the process is still in it');
    await using nl = await Rtnl.open({ netns: { pid: child.pid! } });
    assert.equal((await nl.link.list()).map((l) => l.name), ['lo'], 'and it still works');
    assert.equal(identify({ pid: child.pid! }), [], 'no name any more');
  } finally {
    child.kill('SIGKILL');
  }
  try {
    remove('nlts-d1');
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /^netns delete "nlts-d1": no network namespace named "nlts-d1": ENOENT/);
  }
});

test('removeAll removes only the names with the prefix', () => {
  for (const n of ['nlts-r1', 'nlts-r2', 'nlts-q1']) add(n);
  try {
    assert.equal(removeAll('nlts-r').sort(), ['nlts-r1', 'nlts-r2']);
    assert.ok(exists('nlts-q1'));
    assert.not.ok(exists('nlts-r1'));
  } finally {
    removeAll('nlts-q');
  }
});

test.run();
