// Runs inside the User-mode Linux guest (started by test/uml/init.sh as PID 1's
// child): loads the modules the tier needs, then runs the tier's suites, each
// in the same isolation the host's kernel tests get (test/kernel-env.ts), and
// reports to the host (test/uml-tier.ts) with marker lines on the console:
//   UML-GUEST-START                 the guest booted and this program runs
//   UML-SKIP <what is missing>      a module did not load: nothing was run
//   UML-TALLY <passed> <failed> <label>   one suite's totals
//   UML-DONE                        every suite ended
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSuite } from '../suite-runner.js';
import { KERNEL_FILES, UML_MODULES, decodeGuestArgs } from './tier-config.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);
const uvuBin = join(dirname(require.resolve('uvu')), '..', 'bin.js');
const kernelEnv = join(root, 'dist', 'test', 'kernel-env.js');

console.log('UML-GUEST-START');
const { only } = decodeGuestArgs(process.env.NLTS_UML ?? '');

// The kernel loads most modules itself on first use (init.sh points it at the UML package's
// modules); loading them all first turns a missing one into one clear line instead of many failures.
const missing: string[] = [];
for (const m of UML_MODULES) {
  const r = spawnSync('modprobe', ['-d', '/run/uml', m], { encoding: 'utf8' });
  if (r.status !== 0) missing.push(`${m} (${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop()})`);
}
if (missing.length) {
  console.log(`UML-SKIP a module did not load in the guest: ${missing.join(', ')}`);
} else {
  const suites: [label: string, dir: string, files: RegExp][] = [
    ['User-mode Linux: what the host kernel lacks', 'dist/test/uml', /\.test\.js$/],
    ['User-mode Linux: kernel tests', 'dist/test/kernel', new RegExp(`^(${KERNEL_FILES.join('|')})\\.test\\.js$`)],
  ];
  const wanted = only === undefined ? undefined : new RegExp(only);
  for (const [label, dir, files] of suites) {
    const names = readdirSync(join(root, dir)).filter((f) => files.test(f) && (!wanted || wanted.test(f)));
    if (!names.length) continue;
    const pattern = `^(${names.map((n) => n.replace(/[.]/g, '\\.')).join('|')})$`;
    const t = await runSuite(label, 'unshare', ['--net', '--mount', '--propagation', 'private', '--',
      process.execPath, kernelEnv, process.execPath, uvuBin, dir, pattern, '--no-color'],
    { cwd: root, env: { ...process.env, FORCE_COLOR: '0', NETLINK_TS_TEST_UML: '1' } });
    console.log(`UML-TALLY ${t.passed} ${t.failed} ${label}`);
  }
}
console.log('UML-DONE');
