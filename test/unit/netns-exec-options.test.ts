// Every option of netns.exec and netns.spawn, fed values of the wrong type or
// range: each is an EncodeError naming the option, thrown (spawn) or
// rejected (exec) before the namespace is even opened — the namespace named
// here does not exist, so any later failure would say so instead.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspect } from 'node:util';
import { EncodeError } from '../../src/netlink/errors.js';
import { exec, spawn } from '../../src/netns/exec.js';

const NS = 'nlts-unit-missing';

/** For each option, the values it must refuse. */
const WRONG: Record<string, unknown[]> = {
  env: [Symbol('x'), 'A=1', 42, null, [], { A: Symbol('v') }, { A: {} }, { A: () => 1 }],
  cwd: [Symbol('x'), 42, null, {}, '', new URL('http://example.org/'), 'a\0b'],
  stdio: [Symbol('x'), 42, null, {}, 'ipc', 'bogus', [Symbol('x')], ['pipe', -1], ['pipe', 1.5], ['pipe', {}], ['pipe', 'ipc']],
  uid: [Symbol('x'), '0', -1, 1.5, NaN, 2 ** 32, null, 10n],
  gid: [Symbol('x'), '0', -1, 1.5, NaN, 2 ** 32, null, 10n],
  groups: [Symbol('x'), 5, '1', null, {}, [Symbol('x')], [-1], ['1'], new Set([1])],
  timeout: [Symbol('x'), '100', -1, -0.5, NaN, Infinity, 2 ** 31, null, 10n],
  killSignal: [Symbol('x'), 'SIGNOPE', 'sigterm', 0, 999, 1.5, null, {}],
  signal: [Symbol('x'), 42, {}, null, 'abort'],
  mounts: [Symbol('x'), 0, 1, 'false', null],
};
const WRONG_EXEC: Record<string, unknown[]> = {
  ...WRONG,
  input: [Symbol('x'), 42, {}, null, [1, 2], true, new ArrayBuffer(4)],
  capture: [Symbol('x'), 1, 'yes', null],
  encoding: [Symbol('x'), 'utf-9', 42, null, {}],
  maxBuffer: [Symbol('x'), '1024', -1, NaN, null, 10n, {}],
};

function expectOptionError(f: () => unknown, option: string, value: unknown): void {
  try {
    f();
  } catch (e) {
    assert.instance(e, EncodeError, `${option}=${inspect(value)}: ${String(e)}`);
    assert.ok((e as EncodeError).path.startsWith(option), `${option}=${inspect(value)}: the error names ${(e as EncodeError).path}`);
    return;
  }
  assert.unreachable(`${option}=${inspect(value)} was accepted`);
}

test('spawn: a wrong value for any option is an EncodeError naming it, before anything is opened', () => {
  for (const [option, values] of Object.entries(WRONG)) {
    for (const value of values) expectOptionError(() => spawn(NS, ['true'], { [option]: value }), option, value);
  }
});

test('exec: a wrong value for any option rejects with an EncodeError naming it, before anything is opened', async () => {
  for (const [option, values] of Object.entries(WRONG_EXEC)) {
    for (const value of values) {
      let err: unknown;
      await exec(NS, ['true'], { [option]: value }).then(() => assert.unreachable(`${option} accepted`), (e: unknown) => { err = e; });
      expectOptionError(() => { throw err; }, option, value);
    }
  }
});

test('options that contradict each other, unknown options, and options that are not an object', async () => {
  const cases: [() => unknown, string, RegExp][] = [
    [() => spawn(NS, ['true'], { shell: true } as never), 'options.shell', /is not an option of netns\.spawn/],
    [() => spawn(NS, ['true'], { input: 'x' } as never), 'options.input', /is not an option of netns\.spawn/],
    [() => spawn(NS, ['true'], 'pipe' as never), 'options', /expected an object/],
    [() => spawn(NS, ['true'], { mounts: false, groups: [1] }), 'groups', /need mounts: true/],
  ];
  for (const [f, path, re] of cases) {
    assert.throws(f, (e: Error) => e instanceof EncodeError && e.path === path && re.test(e.message), path);
  }
  const rejected: [Promise<unknown>, string, RegExp][] = [
    [exec(NS, ['true'], { captrue: true } as never), 'options.captrue', /is not an option of netns\.exec/],
    [exec(NS, ['true'], 42 as never), 'options', /expected an object, got 42/],
    [exec(NS, ['true'], { input: 'x', stdio: ['ignore', 'pipe', 'pipe'] }), 'input', /needs stdio\[0\] "pipe"/],
    [exec(NS, ['true'], { capture: true, stdio: 'inherit' }), 'capture', /needs stdio\[1\] and stdio\[2\] "pipe"/],
  ];
  for (const [p, path, re] of rejected) {
    const e = await p.then(() => undefined, (x: unknown) => x as Error);
    assert.ok(e instanceof EncodeError && e.path === path && re.test(e.message), `${path}: ${String(e)}`);
  }
});

test('values the options do take still pass the checks (then the missing namespace is what fails)', async () => {
  const ok = [
    { env: { A: 'x', B: undefined, N: 3 } }, { cwd: '/tmp' }, { cwd: new URL('file:///tmp/') },
    { stdio: 'ignore' }, { stdio: ['ignore', 1, 'inherit', null, undefined] }, { uid: 0, gid: 0, groups: [] },
    { timeout: 0 }, { timeout: 1000 }, { timeout: 0.5 }, { killSignal: 'SIGKILL' }, { killSignal: 9 }, { signal: new AbortController().signal },
    { mounts: false }, { input: 'x' }, { input: new Uint8Array(2) }, { capture: true, encoding: 'latin1' },
    { capture: true, encoding: 'buffer', maxBuffer: Infinity }, { maxBuffer: 0 },
  ] as const;
  for (const opts of ok) {
    const e = await exec(NS, ['true'], opts as never).then(() => undefined, (x: unknown) => x as Error);
    assert.match(String(e?.message), /no network namespace named "nlts-unit-missing"/, JSON.stringify(opts));
  }
});

test.run();
