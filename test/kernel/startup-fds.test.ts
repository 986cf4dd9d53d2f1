// Under a low open-files limit the package and the command still load
// (issue 23, finding 3): Node's module loader opens every file of an import
// graph at once, so the ~250 tsc output files failed with EMFILE under
// `ulimit -n 64`; the package's entries are now a few bundled files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
// The repository root: 'netlink-ts' resolves there to the package itself, through its exports.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs node with these arguments under `ulimit -n 64`. */
function underLimit(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('sh', ['-c', 'ulimit -n 64 && exec "$@"', 'sh', process.execPath, ...args], { cwd: root, encoding: 'utf8' });
}

const USE = `const nl = Rtnl.openSync(); nl.link.get('lo').then((lo) => { console.log(lo.name); nl.close(); });`;

test('import of the package works under ulimit -n 64', () => {
  const r = underLimit('--input-type=module', '-e', `import { Rtnl } from 'netlink-ts'; ${USE}`);
  assert.is(r.stderr, '');
  assert.is(r.stdout, 'lo\n');
  assert.is(r.status, 0);
});

test('require of the package works under ulimit -n 64', () => {
  const r = underLimit('-e', `const { Rtnl } = require('netlink-ts'); ${USE}`);
  assert.is(r.stderr, '');
  assert.is(r.stdout, 'lo\n');
  assert.is(r.status, 0);
});

test('netlink-ts link show lo works under ulimit -n 64', () => {
  const r = underLimit(cli, 'link', 'show', 'lo');
  assert.is(r.stderr, '');
  assert.match(r.stdout, /^1: lo: <LOOPBACK/);
  assert.is(r.status, 0);
});

test.run();
