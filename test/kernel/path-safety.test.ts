// Namespace names and paths never escape /run/netns or /etc/netns: symbolic
// links placed there (before or during an operation) are refused or replaced,
// never followed; traversal and NUL are refused before any system call.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, fstatSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { exec } from '../../src/netns/exec.js';
import { removeNetnsEtcFiles, writeNetnsEtcFile } from '../../src/netns/etc-files.js';
import { add, exists, identify, list, remove } from '../../src/netns/named.js';
import { openNetnsRef } from '../../src/netns/ref.js';
import { requireIsolation } from '../helpers/sh.js';
import { mountsAt, nsId } from '../helpers/netns.js';

requireIsolation();
const dist = new URL('../../', import.meta.url).pathname;

/** Runs ESM code in a mount namespace of its own with a fresh /run, after shell `setup`. */
function freshRun(setup: string, code: string): { status: number | null; stdout: string; stderr: string } {
  const sh = `mount -t tmpfs nlts-fresh /run && ${setup || 'true'} && exec ${process.execPath} --input-type=module -e "$0"`;
  return spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', sh, code], { encoding: 'utf8' });
}

test('/run/netns a symbolic link: add refuses it, nothing made where it points', () => {
  const r = freshRun('mkdir /run/elsewhere && ln -s /run/elsewhere /run/netns', `
    import * as named from '${dist}src/netns/named.js';
    import { readdirSync } from 'node:fs';
    try { named.add('nlts-l1'); console.log('added'); } catch (e) { console.log(e.code + ' ' + e.message); }
    console.log(JSON.stringify(readdirSync('/run/elsewhere')));`);
  assert.is(r.status, 0, r.stderr);
  const [first, second] = r.stdout.trim().split('\n');
  assert.match(first!, /^ELOOP netns add "nlts-l1": \/run\/netns is a symbolic link; refusing to follow it/);
  assert.is(second, '[]');
});

test('a symbolic link at /run/netns/NAME: add says EEXIST, open refuses to follow it, remove unlinks only the link', () => {
  add('nlts-l2');
  symlinkSync('/run/netns/nlts-l2', '/run/netns/nlts-l3');
  try {
    assert.throws(() => add('nlts-l3'), /a network namespace named "nlts-l3" already exists: EEXIST/);
    assert.throws(() => openNetnsRef('nlts-l3'), (e: Error & { code?: string }) => e.code === 'ELOOP' && /is a symbolic link, not a name ip netns add made; refusing to follow it/.test(e.message));
    assert.equal(identify('nlts-l2'), ['nlts-l2'], 'a link is not one of its names');
    // ip netns del on the link would unmount nlts-l2 (umount2 follows links); ours removes the link only.
    remove('nlts-l3');
    assert.not.ok(existsSync('/run/netns/nlts-l3'));
    assert.ok(exists('nlts-l2'));
    assert.is(mountsAt('/run/netns/nlts-l2').length, 1, 'the namespace the link pointed to is still mounted');
    using ns = openNetnsRef('nlts-l2');
    assert.ok(ns.fd >= 0);
  } finally {
    try { unlinkSync('/run/netns/nlts-l3'); } catch { /* removed */ }
    remove('nlts-l2');
  }
});

test('traversal and NUL in names: refused before any system call, nothing touched', () => {
  const before = list();
  for (const bad of ['..', '.', '../etc', 'a/b', 'a\0b', '', 'x'.repeat(256)]) {
    assert.throws(() => add(bad), /namespace name|not a usable/, JSON.stringify(bad));
    assert.throws(() => remove(bad), /namespace name|not a usable/, JSON.stringify(bad));
    assert.throws(() => openNetnsRef(bad), /namespace name|not a usable/, JSON.stringify(bad));
    assert.throws(() => writeNetnsEtcFile(bad, 'hosts', 'x'), /namespace name|not a usable/, JSON.stringify(bad));
  }
  for (const bad of ['..', '.', '../passwd', 'a/b', 'a\0b', '']) {
    assert.throws(() => writeNetnsEtcFile('nlts-ok', bad, 'x'), /is not a single file name/, JSON.stringify(bad));
    assert.throws(() => removeNetnsEtcFiles('nlts-ok', [bad]), /is not a single file name/, JSON.stringify(bad));
  }
  assert.equal(list(), before);
  assert.not.ok(existsSync('/etc/netns/nlts-ok'));
});

test('/etc/netns/NAME files: written whole, a link swapped in is replaced (not written through), removed with the directory', () => {
  const name = 'nlts-e1';
  writeFileSync('/tmp/nlts-target', 'precious\n');
  try {
    writeNetnsEtcFile(name, 'resolv.conf', 'nameserver 198.18.0.53\n');
    assert.is(readFileSync(`/etc/netns/${name}/resolv.conf`, 'utf8'), 'nameserver 198.18.0.53\n');
    assert.is(lstatSync(`/etc/netns/${name}/resolv.conf`).mode & 0o777, 0o644);
    // Someone puts a link where the file is: the next write replaces the link, the target is untouched.
    unlinkSync(`/etc/netns/${name}/resolv.conf`);
    symlinkSync('/tmp/nlts-target', `/etc/netns/${name}/resolv.conf`);
    writeNetnsEtcFile(name, 'resolv.conf', 'nameserver 198.18.0.54\n');
    assert.is(readFileSync('/tmp/nlts-target', 'utf8'), 'precious\n');
    assert.ok(lstatSync(`/etc/netns/${name}/resolv.conf`).isFile());
    // A link among the files to remove: the link goes, not its target.
    symlinkSync('/tmp/nlts-target', `/etc/netns/${name}/hosts`);
    assert.ok(removeNetnsEtcFiles(name, ['resolv.conf', 'hosts']));
    assert.ok(existsSync('/tmp/nlts-target'));
    assert.not.ok(existsSync(`/etc/netns/${name}`), 'the directory went with its last file');
    assert.not.ok(removeNetnsEtcFiles(name, ['resolv.conf']), 'nothing left to remove');
  } finally {
    rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
    rmSync('/tmp/nlts-target', { force: true });
  }
});

test('/etc/netns/NAME (or /etc/netns) a symbolic link: writes refuse it', () => {
  mkdirSync('/tmp/nlts-elsewhere', { recursive: true });
  mkdirSync('/etc/netns', { recursive: true });
  symlinkSync('/tmp/nlts-elsewhere', '/etc/netns/nlts-e2');
  try {
    assert.throws(() => writeNetnsEtcFile('nlts-e2', 'hosts', 'x'), (e: Error & { code?: string }) => e.code === 'ELOOP' && /\/etc\/netns\/nlts-e2 is a symbolic link; refusing to follow it/.test(e.message));
    assert.throws(() => removeNetnsEtcFiles('nlts-e2', ['hosts']), /is a symbolic link/);
    assert.ok(lstatSync('/etc/netns/nlts-e2').isSymbolicLink(), 'the link itself is left to its owner');
    assert.equal(readdirSync('/tmp/nlts-elsewhere'), [], 'nothing written where it points');
  } finally {
    unlinkSync('/etc/netns/nlts-e2');
    rmSync('/tmp/nlts-elsewhere', { recursive: true, force: true });
  }
});

test("a lab's DNS files: /etc/netns/NAME made a link to /etc cannot make removeDnsFiles delete /etc/hosts", async () => {
  const b = new KernelBackend();
  mkdirSync('/etc/netns', { recursive: true });
  symlinkSync('/etc', '/etc/netns/nlts-e4');
  const hosts = readFileSync('/etc/hosts', 'utf8');
  try {
    assert.is((await b.removeDnsFiles('nlts-e4').then(() => undefined, (e: { code?: string }) => e))?.code, 'ELOOP');
    assert.is((await b.writeDnsFiles('nlts-e4', { hosts: '198.18.0.1 evil\n' }).then(() => undefined, (e: { code?: string }) => e))?.code, 'ELOOP');
    assert.is(readFileSync('/etc/hosts', 'utf8'), hosts);
  } finally {
    unlinkSync('/etc/netns/nlts-e4');
    await b.release();
  }
});

test('exec binds /etc/netns/NAME/* over /etc but refuses links placed there, and a linked directory', async () => {
  const name = 'nlts-e3';
  add(name);
  writeFileSync('/tmp/nlts-secret', 'secret\n');
  try {
    writeNetnsEtcFile(name, 'resolv.conf', 'nameserver 198.18.0.55\n');
    symlinkSync('/tmp/nlts-secret', `/etc/netns/${name}/hosts`);
    const r = await exec(name, ['sh', '-c', 'cat /etc/resolv.conf; cat /etc/hosts'], { capture: true });
    assert.is(r.code, 0, String(r.stderr));
    assert.ok(String(r.stdout).startsWith('nameserver 198.18.0.55\n'), String(r.stdout));
    assert.not.match(String(r.stdout), /secret/, 'the link was not bound over /etc/hosts');
    assert.is(String(r.stdout).slice('nameserver 198.18.0.55\n'.length), readFileSync('/etc/hosts', 'utf8'));
    assert.match(String(r.stderr), new RegExp(`Bind /etc/netns/${name}/hosts -> /etc/hosts refused: /etc/netns/${name}/hosts is a symbolic link`));
    // The whole directory a link: nothing bound.
    rmSync(`/etc/netns/${name}`, { recursive: true });
    mkdirSync('/tmp/nlts-dir', { recursive: true });
    writeFileSync('/tmp/nlts-dir/resolv.conf', 'nameserver 198.18.0.66\n');
    symlinkSync('/tmp/nlts-dir', `/etc/netns/${name}`);
    const d = await exec(name, ['cat', '/etc/resolv.conf'], { capture: true });
    assert.is(d.stdout, readFileSync('/etc/resolv.conf', 'utf8'));
    assert.match(String(d.stderr), new RegExp(`Refusing /etc/netns/${name}: a symbolic link`));
  } finally {
    rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
    rmSync('/tmp/nlts-dir', { recursive: true, force: true });
    rmSync('/tmp/nlts-secret', { force: true });
    remove(name);
  }
});

test('add binds onto the file it created: a namespace name is mounted at /run/netns/NAME, as ip does', () => {
  add('nlts-b1');
  try {
    const m = mountsAt('/run/netns/nlts-b1');
    assert.is(m.length, 1);
    assert.match(m[0]!, / - nsfs /);
    using ns = openNetnsRef('nlts-b1');
    assert.is(`net:[${fstatSync(ns.fd).ino}]`, nsId('/run/netns/nlts-b1'));
    assert.is(readlinkSync(`/proc/self/fd/${ns.fd}`), '/run/netns/nlts-b1');
  } finally {
    remove('nlts-b1');
  }
});

test.run();
