// A lab's record and lock on the kernel backend: a record directory that
// cannot be written stops up() before anything is made; a corrupt record is
// a clear error for every word of the CLI (no stack trace) and `down --force`
// clears it; two up()s at once, and a down() racing an up(), take turns.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabDescription } from '../../src/lab/description.js';
import { LabRecordError } from '../../src/lab/errors.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { RECORD_DIR } from '../../src/lab/kernel/records.js';
import { Lab } from '../../src/lab/lab.js';
import { add as addNetns, isLeftover, remove as removeNetns } from '../../src/netns/named.js';
import { NETNS_RUN_DIR } from '../../src/netns/names.js';
import { assertGone } from '../helpers/lab-kernel.js';
import { requireIsolation, run } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

const LAB: LabDescription = {
  name: 'nlts-rec',
  namespaces: [{ name: 'l' }, { name: 'r' }],
  veths: [{ a: { name: 'v', namespace: 'l', addresses: ['198.18.11.1/24'] }, b: { name: 'v', namespace: 'r', addresses: ['198.18.11.2/24'] } }],
};
const dir = mkdtempSync(join(tmpdir(), 'nlts-lab-records-'));
const file = join(dir, 'lab.json');
writeFileSync(file, JSON.stringify(LAB));

function cliRun(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a read-only record directory: up() stops before making anything, with what to do', async () => {
  const ro = join(dir, 'ro');
  mkdirSync(ro);
  run('mount', ['-t', 'tmpfs', '-o', 'ro,mode=755', 'tmpfs', ro]);
  try {
    const lab = new Lab(LAB, new KernelBackend({ recordDir: join(ro, 'labs') }));
    try {
      await lab.up();
      assert.unreachable('up() on a read-only record directory');
    } catch (err) {
      assert.instance(err, LabRecordError);
      assert.match((err as Error).message, /lab "nlts-rec": cannot create the record directory .*\/ro\/labs: EROFS; nothing was changed/, (err as Error).message);
    }
    await assertGone(lab);
  } finally {
    run('umount', [ro]);
  }
});

test('a corrupt record: status, up and down say so and what to do (exit 1, no stack trace); down --force removes the lab and the record', async () => {
  let r = cliRun('lab', 'up', file);
  assert.is(r.code, 0, r.err);
  try {
  writeFileSync(`${RECORD_DIR}/nlts-rec.json`, '{"lab": "nlts-rec", "prefix"');
  for (const verb of ['status', 'up', 'down']) {
    r = cliRun('lab', verb, file);
    assert.is(r.code, 1, `${verb}: ${r.out}${r.err}`);
    assert.match(r.err, /^netlink-ts: lab "nlts-rec": its record \/run\/netlink-ts\/labs\/nlts-rec\.json is not valid JSON .*; remove it by hand, or run "lab down FILE --force"/, verb);
    assert.not.match(r.err, /\n +at /, `${verb}: no stack trace`);
  }
  writeFileSync(`${RECORD_DIR}/nlts-rec.json`, JSON.stringify({ lab: 'nlts-rec', prefix: 'nlts-rec-', created: 'x', namespaces: ['nlts-rec-l', 'someone-else'], rootLinks: [], dns: [] }));
  r = cliRun('lab', 'down', file);
  assert.is(r.code, 1);
  assert.match(r.err, /cannot be trusted: its namespaces list "someone-else", which does not carry the lab's prefix "nlts-rec-"/);
  r = cliRun('lab', 'down', file, '--force');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^lab nlts-rec is down: removed namespace nlts-rec-r, namespace nlts-rec-l, the unusable record \/run\/netlink-ts\/labs\/nlts-rec\.json$/m);
  await assertGone(new Lab(LAB, new KernelBackend()));
  } finally {
    cliRun('lab', 'down', file, '--force');
  }
});

test('two up()s at once (separate backends): one builds, the other finds it up; a down() racing an up() runs after it', async () => {
  const a = new Lab(LAB, new KernelBackend());
  const b = new Lab(LAB, new KernelBackend());
  const ups = await Promise.allSettled([a.up(), b.up()]);
  assert.equal(ups.map((u) => (u.status === 'fulfilled' ? u.value.changed : String(u.reason))).sort(), [false, true]);
  assert.ok((await a.status()).up);
  const [up, down] = await Promise.all([a.up(), b.down()]);
  assert.not.ok(up.changed);
  assert.equal(down.removed.sort(), ['namespace nlts-rec-l', 'namespace nlts-rec-r']);
  await assertGone(a);
});

test('a leftover name in /run/netns (a creation killed half way): status says so, up replaces it, down removes it, netns add replaces it; never ENOTTY', async () => {
  mkdirSync(NETNS_RUN_DIR, { recursive: true });
  const stray = `${NETNS_RUN_DIR}/nlts-rec-l`;
  const leftoverLine = /^ {2}different namespace nlts-rec-l: want a namespace, got a leftover name with no namespace on it \(a creation killed half way\); down\(\) removes it, up\(\) replaces it/m;
  try {
    // No record: up() replaces the file.
    writeFileSync(stray, '');
    let r = cliRun('lab', 'status', file);
    assert.is(r.code, 1, r.err);
    assert.match(r.out, leftoverLine);
    assert.not.match(r.out + r.err, /ENOTTY/);
    r = cliRun('lab', 'up', file);
    assert.is(r.code, 0, r.err);
    assert.is(cliRun('lab', 'status', file).code, 0);
    // With a record (the namespace replaced by a leftover after up): status and up say so, down removes it.
    removeNetns('nlts-rec-l');
    writeFileSync(stray, '');
    r = cliRun('lab', 'status', file);
    assert.is(r.code, 1);
    assert.match(r.out, leftoverLine);
    r = cliRun('lab', 'up', file);
    assert.is(r.code, 1);
    assert.match(r.err, /is partly up \(different: namespace nlts-rec-l;.*\); run down\(\) first/, r.err);
    assert.not.match(r.out + r.err, /ENOTTY/);
    r = cliRun('lab', 'down', file);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /removed namespace nlts-rec-r, namespace nlts-rec-l/);
    await assertGone(new Lab(LAB, new KernelBackend()));
    // The library's netns add replaces a leftover, and still refuses a real namespace.
    writeFileSync(stray, '');
    assert.ok(isLeftover('nlts-rec-l'));
    addNetns('nlts-rec-l');
    assert.not.ok(isLeftover('nlts-rec-l'));
    assert.throws(() => addNetns('nlts-rec-l'), /a network namespace named "nlts-rec-l" already exists/);
    removeNetns('nlts-rec-l');
  } finally {
    cliRun('lab', 'down', file, '--force');
    rmSync(stray, { force: true });
  }
});

test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test.run();
