// `netlink-ts lab plan|apply` on the tbf example: apply builds a lab that is
// not up, plan lists the one change an edited rate makes, apply makes it,
// then there is nothing left to change; a usage error for stray words.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { assertGone, example } from '../helpers/lab-kernel.js';
import { requireIsolation, run as sh } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

function run(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('lab apply builds, lab plan lists a new rate, lab apply changes only that qdisc', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-apply-'));
  const file = join(dir, 'tbf.json');
  const text = readFileSync(fileURLToPath(new URL('../../../examples/04-tbf.json', import.meta.url)), 'utf8');
  writeFileSync(file, text);
  try {
    let r = run(['lab', 'plan', file]);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^lab tbf is not up: apply builds all of it/m);
    r = run(['lab', 'apply', file]);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^lab tbf: \d+ created, 0 changed in place, 0 made anew, 0 deleted$/m);
    writeFileSync(file, text.replace('"1mbit"', '"3mbit"'));
    r = run(['lab', 'plan', file]);
    assert.is(r.code, 0, r.err);
    assert.is(r.out, 'lab tbf: 0 to create, 1 to change in place, 0 to make anew, 0 to delete\n' +
      '  ~ qdisc of veth-red in tbf-red: tbf rate 1mbit burst 32kbit latency 400ms → tbf rate 3mbit burst 32kbit latency 400ms  [veths[0].a.qdisc]\n  1 steps\n');
    r = run(['lab', 'apply', file]);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^lab tbf: 0 created, 1 changed in place, 0 made anew, 0 deleted$/m);
    assert.is(JSON.parse(sh('tc', ['-n', 'tbf-red', '-j', 'qdisc', 'show', 'dev', 'veth-red']))[0].options.rate, 375000);
    r = run(['lab', 'plan', file]);
    assert.is(r.out.trim(), 'lab tbf: no changes; the lab is as described');
    r = run(['lab', 'apply', file, 'extra']);
    assert.is(r.code, 255);
    assert.match(r.err, /lab apply takes one FILE/);
  } finally {
    run(['lab', 'down', file]);
    rmSync(dir, { recursive: true, force: true });
  }
  await assertGone(new Lab(example('04-tbf.json'), new KernelBackend()));
});

test.run();
