// Worker threads that use the library must be able to end, however they end,
// without taking the process down: ffi-rs alone made every ending a SIGSEGV
// (exit 139) once the Worker's thread exited (src/ffi/addon.ts says why).
// Each case runs in a child process, whose exit status is the verdict.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';

const libc = new URL('../../src/ffi/libc.js', import.meta.url).href;
const client = new URL('../../src/client.js', import.meta.url).href;

/** Runs `main` (ES module text) in a fresh node; returns its status, signal and output. */
function child(main: string): { status: number | null; signal: string | null; out: string } {
  // Without this run's coverage: V8 prints "Failed to stringify coverage profile
  // result" when a Worker is terminated while it writes its profile. Set empty,
  // not left out: child_process puts a NODE_V8_COVERAGE the env lacks back in.
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', main], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_V8_COVERAGE: '' } });
  return { status: r.status, signal: r.signal, out: `${r.stdout}${r.stderr}` };
}

/** Starts `cycles` Workers one after another, each ending by `end`, and prints their exit codes. */
function cycles(end: string, count: number, body = `const l = await import(${JSON.stringify(libc)}); l.gettid(); l.close(l.socket(16, 524290, 0));`): string {
  return `
    import { Worker } from 'node:worker_threads';
    const codes = [];
    for (let i = 0; i < ${count}; i++) {
      const w = new Worker(\`(async () => {
        const { parentPort } = await import('node:worker_threads');
        ${body.replaceAll('`', '\\`').replaceAll('$', '\\$')}
        parentPort.postMessage('ready');
        ${end}
      })().catch((e) => { throw e; });\`, { eval: true });
      w.on('error', () => {});
      w.once('message', () => { if (${JSON.stringify(end)} === 'setInterval(() => {}, 1000)') w.terminate(); });
      codes.push(await new Promise((resolve) => w.once('exit', resolve)));
    }
    console.log(JSON.stringify([...new Set(codes)]));`;
}

for (const [how, end, code] of [
  ['returns normally', '', 0],
  ['is terminated', 'setInterval(() => {}, 1000)', 1],
  ['calls process.exit inside', 'process.exit(3)', 3],
  ['throws', 'throw new Error("boom")', 1],
] as const) {
  test(`a Worker that used the libc layer ${how}: the process lives on (8 cycles)`, () => {
    const r = child(cycles(end, 8));
    assert.equal([r.status, r.signal], [0, null], r.out);
    assert.is(r.out.trim(), JSON.stringify([code]));
  });
}

test('a Worker with a netlink client open, ended by terminate() or process.exit: the process lives on', () => {
  const body = `const { Rtnl } = await import(${JSON.stringify(client)}); const nl = Rtnl.openSync(); await nl.link.list();`;
  for (const [end, code] of [['setInterval(() => {}, 1000)', 1], ['process.exit(5)', 5]] as const) {
    const r = child(cycles(end, 5, body));
    assert.equal([r.status, r.signal], [0, null], r.out);
    assert.is(r.out.trim(), JSON.stringify([code]));
  }
});

test('Workers terminated at every moment of loading the library (before, during, after ffi-rs loads): no crash', () => {
  const r = child(`
    import { Worker } from 'node:worker_threads';
    let up = 0;
    for (let i = 0; i < 24; i++) {
      const w = new Worker(\`import(${JSON.stringify(client)}).then(() => require('node:worker_threads').parentPort.postMessage(1))\`, { eval: true });
      w.on('message', () => { up++; });
      w.on('error', () => {});
      // Spread over the Worker's start-up: some end before the import, some during, some after.
      setTimeout(() => w.terminate(), (i * 23) % 500);
      await new Promise((resolve) => w.once('exit', resolve));
    }
    console.log('done');`);
  assert.equal([r.status, r.signal], [0, null], r.out);
  assert.is(r.out.trim(), 'done');
});

test.run();
