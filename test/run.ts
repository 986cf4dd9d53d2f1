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
import { type Tally, runSuite } from './suite-runner.js';
import { runUmlTier } from './uml-tier.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
// uvu's exports map hides bin.js; it sits beside the package root.
const uvuBin = join(dirname(require.resolve('uvu')), '..', 'bin.js');
const c8Bin = join(dirname(require.resolve('c8/package.json')), 'bin', 'c8.js');
const coverageTmp = join(root, 'coverage', 'tmp');

const args = new Set(process.argv.slice(2));
const only = [...args].find((a) => !a.startsWith('--'));
const wantCoverage = !args.has('--no-coverage') && !args.has('--only-uml');
// --only-uml: the User-mode Linux tier alone (npm run test:uml); --no-uml: every tier but that one.
const onlyUml = args.has('--only-uml');
const wantUml = !args.has('--no-uml');
/** The bound on the guest, boot included (docs/testing.md). */
const umlTimeoutMs = umlTimeout(process.env.NETLINK_TS_UML_TIMEOUT_S);

function umlTimeout(text: string | undefined): number {
  if (text === undefined) return 600_000;
  const s = Number(text);
  if (!/^\d+$/.test(text) || s < 1) {
    console.error(`NETLINK_TS_UML_TIMEOUT_S must be a whole number of seconds, at least 1 (got "${text}")`);
    process.exit(2);
  }
  return s * 1000;
}

function uvuArgs(dir: string): string[] {
  return [uvuBin, dir, only ?? '\\.test\\.js$', '--no-color'];
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
if (!onlyUml) await hostTiers();

/** Unit tests, then the kernel tests on this machine's kernel, as root and unprivileged. */
async function hostTiers(): Promise<void> {
  tallies.push(await runSuite('unit tests', process.execPath, uvuArgs('dist/test/unit'), { cwd: root, env }));

  if (canAdmin()) {
    // --propagation private: mounts made inside never reach the host.
    const entry = join(root, 'dist', 'test', 'kernel-env.js');
    tallies.push(await runSuite('kernel tests (private network + mount namespace)', 'unshare',
      ['--net', '--mount', '--propagation', 'private', '--', process.execPath, entry, process.execPath, ...uvuArgs('dist/test/kernel')], { cwd: root, env }));
  } else {
    console.log('\nkernel tests skipped: they need root (or CAP_SYS_ADMIN + CAP_NET_ADMIN) and unshare(1)');
  }

  // The kernel tests again without privilege: as nobody (when we are root), inside a user namespace of
  // their own where this kernel allows one (root there, nobody outside); tests that need the real root skip.
  const unprivileged = usernsCommand();
  if ('argv' in unprivileged) {
    const { NODE_V8_COVERAGE: _coverage, ...plain } = env;
    tallies.push(await runSuite('kernel tests, unprivileged, in a user namespace', unprivileged.argv[0]!,
      [...unprivileged.argv.slice(1), process.execPath, kernelEnv, process.execPath, ...uvuArgs('dist/test/kernel')],
      { cwd: root, env: { ...plain, PATH: searchablePath(), NETLINK_TS_TEST_USERNS: '1' } }));
  } else {
    console.log(`\nkernel tests in a user namespace skipped: this system does not let an unprivileged user make one (${unprivileged.reason})`);
  }
}

if (wantUml) {
  // CI installs user-mode-linux and says so (.ci/run): there, a tier that cannot run is a failure.
  tallies.push(await runUmlTier({ root, only, timeoutMs: umlTimeoutMs, required: process.env.NETLINK_TS_REQUIRE_UML === '1' }));
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
