// The lab lock across processes (src/lab/kernel/lock.ts) and the record
// store's safety checks (records.ts), in a temporary directory: no root needed.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LabBusyError, LabRecordError } from '../../src/lab/errors.js';
import { lockLab, processStart } from '../../src/lab/kernel/lock.js';
import { RecordStore } from '../../src/lab/kernel/records.js';

const lockModule = fileURLToPath(new URL('../../src/lab/kernel/lock.js', import.meta.url));
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'nlts-lab-lock-'));
  dirs.push(d);
  return d;
};

/** p rejects with an error of class cls whose message matches re. */
async function rejectsWith(p: Promise<unknown>, cls: new (...args: never[]) => Error, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, cls);
    assert.match((err as Error).message, re);
    return;
  }
  assert.unreachable(`expected a ${cls.name}`);
}

const busy = (p: Promise<unknown>, re: RegExp) => rejectsWith(p, LabBusyError, re);
const recordError = (p: Promise<unknown>, re: RegExp) => rejectsWith(p, LabRecordError, re);

/** A process that takes the lock, says "locked", and keeps it until its stdin ends. */
function holder(dir: string): Promise<{ pid: number; proc: ReturnType<typeof spawn> }> {
  const code = `const { lockLab } = await import(${JSON.stringify(lockModule)});
const release = await lockLab(${JSON.stringify(dir)}, 'x');
process.stdout.write('locked\\n');
process.stdin.resume();
process.stdin.on('end', async () => { await release.release(); process.exit(0); });`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d) => { if (String(d).includes('locked')) resolve({ pid: proc.pid!, proc }); });
    proc.on('exit', (c) => reject(new Error(`the holder ended (${c}) before it had the lock`)));
  });
}

test('one holder at a time in a process: a second waits, and gives up after waitMs naming the holder', async () => {
  const dir = tmp();
  const held = await lockLab(dir, 'x');
  await busy(lockLab(dir, 'x', { waitMs: 50, pollMs: 5 }), new RegExp(`lab "x" is busy: process ${process.pid} is bringing it up or down \\(it holds ${dir}/x\\.lock\\)`));
  const second = lockLab(dir, 'x', { pollMs: 5 });
  await held.release();
  await (await second).release();
  assert.equal(readdirSync(dir), [], 'nothing left in the directory');
});

test('another process holds the lock: wait until it lets go; a holder killed with -9 leaves a stale lock, which is broken', async () => {
  const dir = tmp();
  let h = await holder(dir);
  await busy(lockLab(dir, 'x', { waitMs: 50, pollMs: 5 }), new RegExp(`process ${h.pid} is bringing it up or down`));
  const waiting = lockLab(dir, 'x', { pollMs: 5 });
  h.proc.stdin!.end();
  await (await waiting).release();

  h = await holder(dir);
  const exited = new Promise((r) => h.proc.on('exit', r));
  h.proc.kill('SIGKILL');
  await exited;
  assert.ok(existsSync(join(dir, 'x.lock')), 'kill -9 left its lock');
  await (await lockLab(dir, 'x', { waitMs: 0, pollMs: 5 })).release();
  assert.equal(readdirSync(dir), []);
});

test('a lock whose pid is gone, or was reused by a later process, is stale', async () => {
  const dir = tmp();
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(join(dir, 'x.lock'), JSON.stringify({ pid: gone, start: '1', token: 't' }));
  await (await lockLab(dir, 'x', { waitMs: 0 })).release();
  assert.ok(processStart(process.pid));
  writeFileSync(join(dir, 'x.lock'), JSON.stringify({ pid: process.pid, start: '0', token: 't' }));
  await (await lockLab(dir, 'x', { waitMs: 0 })).release();
  assert.equal(readdirSync(dir), []);
});

const record = { lab: 'x', prefix: 'x-', created: 'now', namespaces: ['x-a'], rootLinks: [], dns: [] };

test('records: written whole with no temporary file left; corrupt, empty or linked records and unsafe directories are clear errors', async () => {
  const dir = join(tmp(), 'labs');
  const store = new RecordStore(dir);
  await store.save(record);
  assert.equal(readdirSync(dir), ['x.json']);
  assert.equal(await store.load('x'), record);
  writeFileSync(join(dir, 'x.json'), '{"lab": "x", ');
  await recordError(store.load('x'), new RegExp(`lab "x": its record ${dir}/x\\.json is not valid JSON .*; remove it by hand, or run "lab down FILE --force"`));
  writeFileSync(join(dir, 'x.json'), '');
  await recordError(store.load('x'), /is not valid JSON \(it is empty\)/);
  rmSync(join(dir, 'x.json'));
  symlinkSync('/etc/hostname', join(dir, 'x.json'));
  await recordError(store.load('x'), /its record .*x\.json is a symbolic link, which is never followed/);
  // A save replaces the link; the file it pointed to is left alone.
  await store.save(record);
  assert.equal(await store.load('x'), record);
  await store.remove('x');
  assert.ok(!existsSync(dir), 'the last record removed takes its empty directory along');
  await store.save(record);
  chmodSync(dir, 0o777);
  await recordError(store.load('x'), /the record directory is not safe: .* may be written by others \(mode 777\)/);
  await recordError(store.save(record), /the record directory is not safe: .* may be written by others \(mode 777\); nothing was changed/);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
