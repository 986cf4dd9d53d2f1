// `lab up` told to stop (SIGINT, SIGTERM) while it builds a lab of many steps:
// it must stop at the next step, take back what it made and end with 130 or
// 143, at whatever point the signal comes. Each signal is sent once the
// child has made a given number of namespaces (a condition, not a delay).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chain } from '../../bench/lab-chain.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { NETNS_RUN_DIR } from '../../src/netns/names.js';
import { assertGone } from '../helpers/lab-kernel.js';
import { requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

const N = 60;
const description = chain(N);
const lab = new Lab(description, new KernelBackend());
const dir = mkdtempSync(join(tmpdir(), 'nlts-lab-signals-'));
const file = join(dir, 'chain.json');
writeFileSync(file, JSON.stringify(description));

function labNamespaces(): number {
  try {
    return readdirSync(NETNS_RUN_DIR).filter((n) => lab.plan.owned.namespaces.includes(n)).length;
  } catch {
    return 0;
  }
}

/** Runs `lab up`, sends `signal` once it has made `after` namespaces; its exit code and stderr. */
async function upAndSignal(signal: 'SIGINT' | 'SIGTERM', after: number): Promise<{ code: number | null; stderr: string; signalled: boolean }> {
  const c = spawn(process.execPath, [cli, 'lab', 'up', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  c.stderr.on('data', (d) => { stderr += d; });
  let ended = false;
  const exit = new Promise<number | null>((res) => c.on('close', (code) => { ended = true; res(code); }));
  let signalled = false;
  while (!ended) {
    if (labNamespaces() >= after) {
      c.kill(signal);
      signalled = true;
      break;
    }
    await new Promise((r) => setImmediate(r));
  }
  return { code: await exit, stderr, signalled };
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  for (const after of [1, 20, N]) {
    test(`${signal} after ${after} of ${N} namespaces: lab up ends with ${code}, nothing of the lab is left`, async () => {
      try {
        const r = await upAndSignal(signal, after);
        assert.ok(r.signalled, `the child ended (${r.code}) before it had made ${after} namespaces: ${r.stderr}`);
        assert.is(r.code, code, r.stderr);
        assert.match(r.stderr, /interrupted: the process is ending; everything it had made is removed again/, JSON.stringify(r.stderr));
        assert.is(labNamespaces(), 0, 'no namespace of the lab is left');
        await assertGone(lab);
      } finally {
        await lab.down({ force: true }); // the next case starts from nothing, whatever this one left
      }
    });
  }
}

test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test.run();
