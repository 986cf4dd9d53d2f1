// Importing the package does not load the native addon: ffi-rs is loaded on
// the first system call (src/ffi/libc.ts), so code that never opens a socket
// does not pay its ~15 ms. Checked on the shipped builds, ESM and CJS.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository root: 'netlink-ts' resolves there to the package itself, through its exports.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const LOADED = `const loaded = () => Object.keys(require.cache).some((f) => f.includes('/ffi-rs'));`;

test('import: ffi-rs is loaded on the first socket, not before', () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
${LOADED}
const { Rtnl } = await import('netlink-ts');
const before = loaded();
Rtnl.openSync().close();
console.log(JSON.stringify([before, loaded()]));`], { cwd: root, encoding: 'utf8' });
  assert.equal(JSON.parse(out), [false, true]);
});

test('require: ffi-rs is loaded on the first socket, not before', () => {
  const out = execFileSync(process.execPath, ['-e', `${LOADED}
const { Rtnl } = require('netlink-ts');
const before = loaded();
Rtnl.openSync().close();
console.log(JSON.stringify([before, loaded()]));`], { cwd: root, encoding: 'utf8' });
  assert.equal(JSON.parse(out), [false, true]);
});

test.run();
