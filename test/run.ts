// The test command. Runs the unit tests as they are, the kernel tests inside a
// network + mount namespace made for this run only (so no test can touch the
// host's interfaces, routes, /run/netns or /etc), checks coverage, and ends
// with the one line CI reads: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropBundleCoverage } from './coverage-bundles.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
// uvu's exports map hides bin.js; it sits beside the package root.
const uvuBin = join(dirname(require.resolve('uvu')), '..', 'bin.js');
const c8Bin = join(dirname(require.resolve('c8/package.json')), 'bin', 'c8.js');
const coverageTmp = join(root, 'coverage', 'tmp');

interface Tally { passed: number; failed: number }

const args = new Set(process.argv.slice(2));
const only = [...args].find((a) => !a.startsWith('--'));
const wantCoverage = !args.has('--no-coverage');

function uvuArgs(dir: string): string[] {
  return [uvuBin, dir, only ?? '\\.test\\.js$', '--no-color'];
}

/** Runs one uvu process and reads its totals; a crash counts as a failure. */
function runSuite(label: string, command: string, argv: string[], env: NodeJS.ProcessEnv): Tally {
  console.log(`\n── ${label} ──`);
  const r = spawnSync(command, argv, { cwd: root, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const total = /Total:\s+(\d+)/.exec(r.stdout ?? '');
  const passed = /Passed:\s+(\d+)/.exec(r.stdout ?? '');
  if (!total || !passed) {
    console.log(`${label}: the runner ended without totals (exit ${r.status ?? r.signal})`);
    return { passed: 0, failed: 1 };
  }
  const t = Number(total[1]);
  const p = Number(passed[1]);
  // uvu's Total leaves skipped tests out (they are counted under Skipped).
  let failed = t - p;
  if (failed === 0 && r.status !== 0) failed = 1; // e.g. an unhandled rejection after the last test
  return { passed: p, failed };
}

const kernelEnv = join(root, 'dist', 'test', 'kernel-env.js');

/** How to run a command unprivileged in a user namespace with its own network and mounts, if this system allows it. */
function usernsCommand(): { argv: string[] } | { reason: string } {
  const drop = process.getuid?.() === 0 ? ['setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups', '--inh-caps=-all', '--'] : [];
  const argv = [...drop, 'unshare', '--user', '--map-root-user', '--net', '--mount', '--propagation', 'private', '--'];
  // The probe sets up the whole test environment (kernel-env.js) and runs `true` in it.
  const probe = spawnSync(argv[0]!, [...argv.slice(1), process.execPath, kernelEnv, 'true'], { cwd: root, encoding: 'utf8' });
  if (probe.status === 0) return { argv };
  return { reason: probe.error?.message ?? (probe.stderr.trim().split('\n').pop() || `exit status ${probe.status}`) };
}

/** PATH without the directories another user cannot search (root's own, under a 0700 /root). */
function searchablePath(): string {
  const searchable = (dir: string): boolean => {
    let p = '';
    for (const part of dir.split('/').filter(Boolean)) {
      p += `/${part}`;
      try { if (!(statSync(p).mode & 0o001)) return false; } catch { return false; }
    }
    return dir.startsWith('/');
  };
  return (process.env.PATH ?? '/usr/bin:/bin').split(':').filter(searchable).join(':');
}

function canAdmin(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync('unshare', ['--net', '--mount', 'true']);
  return probe.status === 0;
}

const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
if (wantCoverage) {
  rmSync(coverageTmp, { recursive: true, force: true });
  env.NODE_V8_COVERAGE = coverageTmp;
}

const tallies: Tally[] = [];
tallies.push(runSuite('unit tests', process.execPath, uvuArgs('dist/test/unit'), env));

if (canAdmin()) {
  // --propagation private: mounts made inside never reach the host.
  const entry = join(root, 'dist', 'test', 'kernel-env.js');
  tallies.push(runSuite('kernel tests (private network + mount namespace)', 'unshare',
    ['--net', '--mount', '--propagation', 'private', '--', process.execPath, entry, process.execPath, ...uvuArgs('dist/test/kernel')], env));
} else {
  console.log('\nkernel tests skipped: they need root (or CAP_SYS_ADMIN + CAP_NET_ADMIN) and unshare(1)');
}

// The kernel tests again without privilege: as nobody (when we are root), inside a user namespace of
// their own where this kernel allows one (root there, nobody outside); tests that need the real root skip.
const unprivileged = usernsCommand();
if ('argv' in unprivileged) {
  const { NODE_V8_COVERAGE: _coverage, ...plain } = env;
  tallies.push(runSuite('kernel tests, unprivileged, in a user namespace', unprivileged.argv[0]!,
    [...unprivileged.argv.slice(1), process.execPath, kernelEnv, process.execPath, ...uvuArgs('dist/test/kernel')],
    { ...plain, PATH: searchablePath(), NETLINK_TS_TEST_USERNS: '1' }));
} else {
  console.log(`\nkernel tests in a user namespace skipped: this system does not let an unprivileged user make one (${unprivileged.reason})`);
}

if (wantCoverage && existsSync(coverageTmp)) {
  dropBundleCoverage(coverageTmp);
  // The floor CI enforces: the codec and the socket layer.
  const c8 = (extra: string[]) => spawnSync(process.execPath, [c8Bin, ...extra, '--temp-directory', coverageTmp,
    '--include', 'src/netlink/**', '--include', 'src/socket/**', '--exclude-after-remap'], { cwd: root, encoding: 'utf8' });
  const report = c8(['report', '--reporter', 'text-summary']);
  process.stdout.write(`\n── coverage of src/netlink and src/socket ──${report.stdout}`);
  const check = c8(['check-coverage', '--lines', '85']);
  if (check.status !== 0) {
    process.stdout.write(check.stdout + check.stderr);
    console.log('coverage floor (85% of lines in src/netlink and src/socket) not met');
    tallies.push({ passed: 0, failed: 1 });
  }
}

const passed = tallies.reduce((n, t) => n + t.passed, 0);
const failed = tallies.reduce((n, t) => n + t.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
