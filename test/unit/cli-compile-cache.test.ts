// The command turns on Node's compile cache where Node has it (>= 22.1:
// module.enableCompileCache), before it loads the command line; on Node 20
// the function is absent and the command runs as before. Node 20 is what
// runs here, so a preloaded stand-in plays the newer Node's part.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli-path.js';

test('the command calls module.enableCompileCache when Node has it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-cache-'));
  try {
    const preload = join(dir, 'fake-cache.mjs');
    writeFileSync(preload, `import module from 'node:module';
module.enableCompileCache = () => { process.stderr.write('compile cache on\\n'); return { status: 0 }; };
`);
    const r = spawnSync(process.execPath, ['--import', preload, cli, 'help'], { encoding: 'utf8' });
    assert.is(r.stderr, 'compile cache on\n');
    assert.match(r.stdout, /^usage: netlink-ts/);
    assert.is(r.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without it (Node 20), the command runs all the same', () => {
  const r = spawnSync(process.execPath, [cli, 'help'], { encoding: 'utf8' });
  assert.is(r.stderr, '');
  assert.match(r.stdout, /^usage: netlink-ts/);
  assert.is(r.status, 0);
});

test.run();
