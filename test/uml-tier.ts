// The second kernel: boots User-mode Linux (Debian's user-mode-linux, a whole
// Linux kernel run as an ordinary process) with the host's filesystem as its
// read-only root and runs test/uml/guest.js there, which runs the tests of
// what the host kernel lacks (netem, fq_codel, vlan, bond...) against a real
// kernel. The guest's console streams through as it comes; what it printed
// while booting is shown only when something goes wrong. A guest that hangs
// is killed (its whole process group: UML runs as several host processes).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Tally, lineSplitter } from './suite-runner.js';
import { encodeGuestArgs } from './uml/tier-config.js';

export interface UmlTierOptions {
  root: string;
  /** The test command's file filter, passed on to the guest. */
  only?: string;
  /** Kill the guest after this many ms. */
  timeoutMs: number;
  /** CI, where the packages are installed: what would be a skip is a failure. */
  required: boolean;
}

/** Guest memory: Node, the tests and tmpfs fit in 1 GiB; the host maps it only as it is used. */
const GUEST_MEMORY = '1024M';

function findInPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin', '/sbin', '/bin'])) {
    const p = join(dir, name);
    try { accessSync(p, constants.X_OK); return p; } catch { /* next */ }
  }
  return undefined;
}

/** Why the tier cannot run here, or the kernel binary and its version. */
export function umlPrerequisites(root: string): { reason: string } | { linux: string; version: string } {
  const linux = findInPath('linux.uml');
  if (!linux) return { reason: 'linux.uml is not installed (Debian package user-mode-linux)' };
  const v = spawnSync(linux, ['--version'], { encoding: 'utf8' });
  const version = (v.stdout ?? '').trim().split('\n')[0] ?? '';
  if (v.status !== 0 || !/^\d+\.\d+/.test(version)) return { reason: `${linux} --version did not print a version (${v.error?.message ?? `exit ${v.status}`})` };
  const modules = `/usr/lib/uml/modules/${version}`;
  if (!existsSync(modules)) return { reason: `the modules of User-mode Linux ${version} are missing (${modules})` };
  if (!findInPath('modprobe')) return { reason: 'modprobe is not installed (Debian package kmod)' };
  // The kernel command line is split at spaces: the init path must have none.
  if (/\s/.test(root)) return { reason: `the checkout's path has a space, which a kernel command line cannot carry (${root})` };
  const init = join(root, 'test', 'uml', 'init.sh');
  try { accessSync(init, constants.X_OK); } catch { return { reason: `${init} is missing or not executable` }; }
  return { linux, version };
}

function skipped(reason: string, opts: UmlTierOptions): Tally {
  console.log(`\nUser-mode Linux tier ${opts.required ? 'FAILED' : 'skipped'}: ${reason}`);
  return { passed: 0, failed: opts.required ? 1 : 0 };
}

export async function runUmlTier(opts: UmlTierOptions): Promise<Tally> {
  const pre = umlPrerequisites(opts.root);
  if ('reason' in pre) return skipped(pre.reason, opts);
  console.log(`\n── User-mode Linux ${pre.version} (guest kernel; killed after ${Math.round(opts.timeoutMs / 1000)} s) ──`);
  // UML keeps a pid file and a control socket under uml_dir (default ~/.uml): a directory of our own, removed after.
  const umlDir = mkdtempSync(join(tmpdir(), 'netlink-ts-uml-'));
  const argv = [
    `mem=${GUEST_MEMORY}`, 'rootfstype=hostfs', 'rootflags=/', 'ro', `init=${join(opts.root, 'test', 'uml', 'init.sh')}`,
    'con=null', 'con0=fd:0,fd:1', 'quiet', `uml_dir=${umlDir}`, `umid=netlink-ts-${process.pid}`,
    `NLTS_UML=${encodeGuestArgs(opts.only !== undefined ? { only: opts.only } : {})}`,
  ];
  const started = Date.now();
  const boot: string[] = []; // what the guest printed before the tests began
  const stderr: string[] = [];
  const tallies: Tally[] = [];
  let began = false;
  let done = false;
  let skip: string | undefined;
  const ended = await new Promise<{ code: number | null; signal: string | null; timedOut: boolean }>((resolve) => {
    // detached: the guest leads a process group of its own, so a kill reaches all of UML's processes and nothing else.
    const child = spawn(pre.linux, argv, { cwd: opts.root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, opts.timeoutMs);
    const lines = lineSplitter((line) => {
      if (line === 'UML-GUEST-START') { began = true; return; }
      if (!began) { boot.push(line); return; }
      const tally = /^UML-TALLY (\d+) (\d+) /.exec(line);
      if (tally) tallies.push({ passed: Number(tally[1]), failed: Number(tally[2]) });
      else if (line.startsWith('UML-SKIP ')) skip = line.slice('UML-SKIP '.length);
      else if (line === 'UML-DONE') done = true;
    });
    child.stdout.on('data', (c: Buffer) => {
      // Passed through as it comes once the tests run (uvu's dots come before their line ends);
      // read line by line for the markers. The console ends lines with \r\n.
      const text = c.toString().replace(/\r\n/g, '\n');
      const wasRunning = began;
      lines.push(text);
      if (wasRunning) process.stdout.write(text);
      else if (began) process.stdout.write(text.slice(text.indexOf('UML-GUEST-START\n') + 'UML-GUEST-START\n'.length));
    });
    child.stderr.on('data', (c: Buffer) => stderr.push(c.toString()));
    child.on('error', (e) => stderr.push(`could not start ${pre.linux}: ${e.message}\n`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      lines.end();
      // After PID 1 is gone, its helpers can outlive the main process for a moment: nothing of ours may stay.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* all gone */ }
      resolve({ code, signal, timedOut });
    });
  });
  rmSync(umlDir, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const passed = tallies.reduce((n, t) => n + t.passed, 0);
  const failed = tallies.reduce((n, t) => n + t.failed, 0);
  if (skip !== undefined) return skipped(skip, opts);
  if (done) {
    console.log(`User-mode Linux tier: ${passed} passed, ${failed} failed in ${seconds} s, boot included`);
    return { passed, failed };
  }
  const printed = `${boot.join('\n')}${stderr.length ? `\nand on stderr:\n${stderr.join('')}` : ''}`;
  if (!began) {
    // Nothing of ours ran: this machine cannot run the guest (no ptrace in a container, no memory...).
    return skipped(`the guest did not boot (${ended.timedOut ? `nothing within ${Math.round(opts.timeoutMs / 1000)} s` : `exit ${ended.code ?? ended.signal}`}). It printed:\n${printed}`, opts);
  }
  const why = ended.timedOut ? `killed after ${Math.round(opts.timeoutMs / 1000)} s without finishing`
    : `the guest stopped before its tests ended (exit ${ended.code ?? ended.signal})`;
  console.log(`\nUser-mode Linux tier FAILED: ${why}. What it printed while booting:\n${printed}`);
  return { passed, failed: failed + 1 };
}
