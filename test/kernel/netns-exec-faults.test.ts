// exec when things go wrong around the program: no file descriptors left to
// start it with, input it cannot be given. What must hold: a typed error, no
// unhandled 'error' event, no crash, and nothing left open or running.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { add, remove } from '../../src/netns/named.js';
import { requireIsolation } from '../helpers/sh.js';

requireIsolation();
const NS = 'nlts-xf';
const netnsIndex = new URL('../../src/netns/index.js', import.meta.url).href;

test.before(() => add(NS));
test.after(() => remove(NS));

/** Runs an ES module in a fresh node with at most `limit` open files; its exit status is part of the verdict. */
function limited(limit: number, main: string): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', `ulimit -n ${limit} && exec "$0" --input-type=module -e "$1"`, process.execPath, main], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('with only a few file descriptors left, exec rejects with NetnsError EMFILE; no crash, no fd or process left behind', () => {
  const r = limited(64, `
    import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
    const { exec } = await import(${JSON.stringify(netnsIndex)});
    const fdList = () => readdirSync('/proc/self/fd').flatMap((f) => { try { return [f + ' ' + readlinkSync('/proc/self/fd/' + f)]; } catch { return []; } }).join(',');
    const children = () => readdirSync('/proc/self/task').map((t) => readFileSync('/proc/self/task/' + t + '/children', 'utf8').trim()).filter(Boolean);
    const lines = [];
    for (const mounts of [true, false]) {
      await exec('${NS}', ['true'], { mounts, capture: true }); // whatever Node opens once for its first child
      for (let free = 1; free <= 8; free++) {
        const before = fdList();
        const filler = [];
        try { for (;;) filler.push(openSync('/dev/null', 'r')); } catch {}
        for (let i = 0; i < free; i++) closeSync(filler.pop());
        let outcome;
        try {
          const res = await exec('${NS}', ['echo', 'ran'], { mounts, capture: true });
          outcome = 'ran ' + res.code + ' ' + JSON.stringify(res.stdout);
        } catch (e) {
          outcome = e.name + ' ' + e.code + ' ' + (e.message.startsWith('netns exec "${NS}": cannot ') ? 'named' : e.message);
        }
        for (const fd of filler) closeSync(fd);
        await new Promise((resolve) => setImmediate(resolve));
        lines.push([mounts, free, outcome, fdList() === before ? 'fds same' : 'fds differ: ' + before + ' / ' + fdList(), children().length].join(' | '));
      }
    }
    console.log(lines.join('\\n'));
  `);
  assert.is(r.status, 0, r.out);
  const lines = r.out.trim().split('\n');
  assert.is(lines.length, 16, r.out);
  let refused = 0;
  for (const line of lines) {
    const [, , outcome, fds, children] = line.split(' | ');
    assert.ok(outcome === 'ran 0 "ran\\n"' || outcome === 'NetnsError EMFILE named', line);
    if (outcome!.startsWith('NetnsError')) refused++;
    assert.is(fds, 'fds same', line);
    assert.is(children, '0', line);
  }
  assert.ok(refused >= 4, `some runs must have been short of fds:\n${r.out}`);
});

test('bad input for the program is refused before anything starts: nothing runs, nothing is left', async () => {
  const { exec } = await import('../../src/netns/exec.js');
  const marker = `/tmp/nlts-xf-${process.pid}`;
  for (const input of [42, { text: 'x' }, Symbol('x')]) {
    try {
      await exec(NS, ['sh', '-c', `touch ${marker}; sleep 30`], { input: input as never });
      assert.unreachable();
    } catch (e) {
      assert.is((e as Error).name, 'EncodeError');
      assert.match((e as Error).message, /^input: expected a string or a Uint8Array/);
    }
  }
  const ran = spawnSync('pgrep', ['-f', marker]).status === 0;
  assert.not.ok(ran, 'the program must not have been started');
  assert.is(spawnSync('test', ['-e', marker]).status, 1, 'the program never ran');
});

test('a direct spawn (mounts: false) that fails at once reports a NetnsError too, on started and on the error event', async () => {
  const { exec, spawn } = await import('../../src/netns/exec.js');
  const e = await exec(NS, ['nlts-no-such-program'], { mounts: false }).then(() => undefined, (x: unknown) => x as Error & { code?: string });
  assert.is(e?.name, 'NetnsError');
  assert.is(e?.code, 'ENOENT');
  assert.is(e?.message, `netns exec "${NS}": cannot find "nlts-no-such-program": ENOENT (no such file or directory)`);
  const child = spawn(NS, ['nlts-no-such-program'], { mounts: false });
  const [viaEvent, viaStarted] = await Promise.all([
    new Promise<Error>((resolve) => child.once('error', resolve)),
    child.started.then(() => undefined, (x: unknown) => x as Error),
  ]);
  assert.is(viaEvent, viaStarted);
  assert.is(viaEvent.name, 'NetnsError');
});

test('past maxBuffer the program is killed (even one that ignores SIGTERM) and reaped before exec rejects', async () => {
  const { exec } = await import('../../src/netns/exec.js');
  const marker = `nlts-xf-flood-${process.pid}`;
  for (const mounts of [true, false]) {
    const err = await exec(NS, ['sh', '-c', `trap '' TERM; while :; do echo ${marker}; done`], { capture: true, maxBuffer: 4096, mounts })
      .then(() => undefined, (e: unknown) => e as Error);
    assert.instance(err, RangeError);
    assert.match(err!.message, /stdout exceeded maxBuffer \(4096 bytes\); the program was killed/);
    assert.is(spawnSync('pgrep', ['-f', marker]).status, 1, 'nothing of it is left running');
  }
});

test.run();
