// `lab check` on the kernel: the tbf example's expectations (its rate, no
// loss, a short round trip back) hold, and the same lab expected at 5 Mbit/s
// is reported failing, on the command line too (exit 1).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkText } from '../../src/lab/check.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { assertGone, example } from '../helpers/lab-kernel.js';
import { requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

const TBF = example('04-tbf.json');

test('the tbf example: its rate, loss and round trip are as it expects; 5mbit is reported failing', async () => {
  const lab = new Lab(TBF, new KernelBackend());
  await lab.up();
  const dir = mkdtempSync(join(tmpdir(), 'nlts-check-'));
  try {
    const r = await lab.check();
    assert.ok(r.ok, checkText(r));
    assert.equal(r.rows.map((x) => `${x.path} ${x.property}`), ['red → 10.0.0.2 reachable', 'red → 10.0.0.2 loss', 'red → 10.0.0.2 rate', 'blue → 10.0.0.1 reachable', 'blue → 10.0.0.1 rtt']);

    const wrong = structuredClone(TBF);
    wrong.expect![0]!.rate = '5mbit';
    const bad = await new Lab(wrong, new KernelBackend()).check();
    assert.not.ok(bad.ok, checkText(bad));
    assert.equal(bad.rows.filter((x) => !x.ok).map((x) => x.source), ['expect[0].rate'], checkText(bad));

    const file = join(dir, 'tbf-wrong.json');
    writeFileSync(file, JSON.stringify(wrong));
    const c = spawnSync(process.execPath, [cli, 'lab', 'check', file, '--seconds', '1'], { encoding: 'utf8' });
    assert.is(c.status, 1, c.stderr);
    assert.match(c.stdout, /^check of lab tbf: 1 of 5 not as expected$/m);
    assert.match(c.stdout, /^red → 10\.0\.0\.2 +rate +5\.000mbit ±25% +\S+ \(\d+ bytes in \d+ ms\) +FAIL {2}\[expect\[0\]\.rate\]$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await lab.down();
  }
  await assertGone(lab);
});

test.run();
