// The command line as a daily driver, without touching the kernel: help for
// every object and verb (also where ip would start working: `monitor --help`),
// ip's usage errors and statuses, "did you mean" for mistyped words, -V, and
// the command reached through a symlinked bin as npm and pnpm lay it out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { cli } from '../helpers/cli-path.js';
import { didYouMean } from '../../src/cli/suggest.js';
import { OBJECTS } from '../../src/cli/help.js';

const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });

test('help: the whole command, each object, and help/--help/-h anywhere among its words', () => {
  const all = run('help');
  assert.is(all.status, 0);
  assert.match(all.stdout, /^usage: netlink-ts \[ OPTIONS \] OBJECT/);
  for (const o of OBJECTS) {
    const name = o.names[0]!;
    for (const words of [[name, 'help'], ['help', name], [name, '--help'], [name, '-h']]) {
      const r = run(...words);
      assert.is(r.status, 0, words.join(' '));
      assert.ok(r.stdout.startsWith(`${o.usage}\n`), words.join(' '));
    }
  }
  // Words that would otherwise do something: monitor would start, link show would look up a device.
  for (const words of [['monitor', '--help'], ['link', 'show', '--help'], ['route', 'add', '198.18.0.0/24', 'help'], ['netns', 'delete', '-all', '-h']]) {
    const r = run(...words);
    assert.is(r.status, 0, words.join(' '));
    assert.match(r.stdout, /^usage: netlink-ts/, words.join(' '));
  }
  // Nothing at all: the usage, on standard error, as a usage error.
  const none = run();
  assert.is(none.status, 255);
  assert.match(none.stderr, /^usage: netlink-ts/);
});

test('a program that netns exec starts keeps its own --help', () => {
  const r = run('netns', 'exec', 'nlts-absent-ns', 'true', '--help');
  assert.not.match(r.stdout, /usage: netlink-ts/);
  assert.is.not(r.status, 0);
});

test('usage errors as ip: unknown object (1), unknown verb or option (255), with the close words suggested', () => {
  const object = run('lnk');
  assert.is(object.status, 1);
  assert.is(object.stderr, 'Object "lnk" is unknown, try "netlink-ts help". Did you mean "link"?\n');
  const far = run('xyzzy');
  assert.is(far.stderr, 'Object "xyzzy" is unknown, try "netlink-ts help".\n');
  const verb = run('link', 'shwo');
  assert.is(verb.status, 255);
  assert.is(verb.stderr, 'netlink-ts: Command "shwo" is unknown, try "netlink-ts link help". Did you mean "show"?\n');
  assert.is(run('route', 'foo').status, 255);
  assert.match(run('neigh', 'delte').stderr, /Did you mean "delete"\?/);
  const option = run('-zz', 'link');
  assert.is(option.status, 255);
  assert.match(option.stderr, /Option "-zz" is unknown, try "netlink-ts help"/);
  assert.is(run('-c=sometimes', 'link').status, 255);
});

test('suggestions: the closest word within a small edit distance, or none', () => {
  assert.is(didYouMean('lnik', ['link', 'address']), ' Did you mean "link"?', 'a swap of neighbours is one edit');
  assert.is(didYouMean('rotue', ['route', 'rule']), ' Did you mean "route"?');
  assert.is(didYouMean('adress', ['address', 'route']), ' Did you mean "address"?');
  assert.is(didYouMean('zzz', ['link']), '');
});

test('-V and -Version print the package version', () => {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const v of ['-V', '-Version']) {
    const r = run(v);
    assert.is(r.status, 0);
    assert.is(r.stdout, `netlink-ts ${version}\n`);
  }
});

test('reached through a symlinked bin (npm, pnpm) or as node PATH, the command runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-bin-'));
  try {
    // node_modules/netlink-ts is a link to the package (pnpm: into .pnpm/), .bin/netlink-ts a link to its cli.js.
    const pkg = dirname(dirname(dirname(cli)));
    const store = join(dir, 'node_modules', '.pnpm', 'netlink-ts@0.0.0', 'node_modules');
    mkdirSync(store, { recursive: true });
    symlinkSync(pkg, join(store, 'netlink-ts'));
    symlinkSync(relative(join(dir, 'node_modules'), join(store, 'netlink-ts')), join(dir, 'node_modules', 'netlink-ts'));
    mkdirSync(join(dir, 'node_modules', '.bin'));
    const bin = join(dir, 'node_modules', '.bin', 'netlink-ts');
    symlinkSync(join('..', 'netlink-ts', relative(pkg, cli)), bin);
    // pnpm's shell shim: exec node on the file inside the package, by its linked path.
    const shim = join(dir, 'node_modules', '.bin', 'netlink-ts-shim');
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "$(dirname "$0")/../netlink-ts/${relative(pkg, cli)}" "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    for (const [what, cmd, args] of [['the symlinked bin', bin, []], ['the shell shim', shim, []], ['node on the linked path', process.execPath, [join(dir, 'node_modules', 'netlink-ts', relative(pkg, cli))]]] as const) {
      const r = spawnSync(cmd, [...args, 'help'], { encoding: 'utf8', env, timeout: 20_000 });
      assert.is(r.status, 0, `${what}: ${r.stderr}`);
      assert.match(r.stdout, /^usage: netlink-ts/, what);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
