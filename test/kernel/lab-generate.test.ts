// Generated labs on the kernel: every shape at small sizes comes up, every
// namespace reaches every address (measured by the connectivity probe, and
// as the model expects), and goes down leaving nothing; `lab generate`
// writes the same description.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatMatrix } from '../../src/lab/format.js';
import { generateLab } from '../../src/lab/generate/routing.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { assertGone } from '../helpers/lab-kernel.js';
import { requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

const SIZES: [string, number[]][] = [['linear', [4]], ['ring', [5]], ['star', [3]], ['tree', [2, 2]], ['fat-tree', [2]], ['full-mesh', [4]], ['ring', [4]]];

for (const [shape, args] of SIZES) {
  test(`${shape} ${args.join(' ')}: up, every namespace reaches every address, down`, async () => {
    const lab = new Lab(generateLab(shape, args), new KernelBackend());
    await lab.up();
    try {
      const m = await lab.connectivity({ protocols: ['udp'], timeoutMs: 1500 });
      assert.ok(m.ok, formatMatrix(m));
      assert.ok(m.cells.flat().every((c) => c.reached), formatMatrix(m));
    } finally {
      await lab.down();
    }
    await assertGone(lab);
  });
}

test('lab generate prints the description the library makes', () => {
  const r = spawnSync(process.execPath, [cli, 'lab', 'generate', 'tree', '2', '3', '--name', 'tr'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), generateLab('tree', [2, 3], { name: 'tr' }));
  const bad = spawnSync(process.execPath, [cli, 'lab', 'generate', 'ring', '2'], { encoding: 'utf8' });
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /ring: the number of nodes must be a whole number, at least 3/);
});

test.run();
