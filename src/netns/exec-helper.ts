// The child side of exec.ts: a fresh `node` process that turns itself into
// the requested program inside a network namespace, the way `ip netns exec`
// does (iproute2's netns_switch), then execve()s it — no shell, no iproute2,
// no nsenter. It is its own process, so it may do what the library never does
// on the caller's threads: unshare its mount namespace, remount /sys, bind
// files over /etc, drop privileges.
//
// Protocol, over the control fd (a socketpair the parent made): the parent
// writes one line of JSON (an ExecPlan); on failure the helper writes one
// line of JSON (an ExecFailure) and exits; on success the control fd closes
// with the execve (Node marks every fd close-on-exec) and the parent reads EOF.
import { errorCode, errorMessage } from '../netlink/errno.js';
import { closeSync, fstatSync, lstatSync, openSync, opendirSync, readFileSync, readSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { execve, fcntl, mount, setns, umount2, unshare } from '../ffi/libc.js';
import { OsError } from '../ffi/os-error.js';
import { F_SETFD, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_RDONLY } from '../generated/asm/fcntl.js';
import { MNT_DETACH, MS_BIND, MS_RDONLY, MS_REC, MS_SLAVE } from '../generated/libc/mount.js';
import { CLONE_NEWNET, CLONE_NEWNS } from '../generated/linux/sched.js';
import { checkComponent } from './dir-fd.js';
import { EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, EXIT_SETUP_FAILED, type ExecFailure, type ExecPlan } from './exec-plan.js';
import { NAME_MAX, NETNS_ETC_DIR } from './names.js';
import { runAs, unlistedUser } from './user-db.js';


class StepError extends Error {
  constructor(readonly step: string, override readonly cause: unknown) {
    super(step);
  }
}

function step<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new StepError(what, err);
  }
}

function readPlan(fd: number): ExecPlan {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const chunk = Buffer.from(buf.subarray(0, n));
    chunks.push(chunk);
    if (chunk[n - 1] === 0x0a) break;
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExecPlan;
}

/** Whether /sys is mounted read-only (then a new sysfs over it must be read-only too). */
function sysIsReadOnly(): boolean {
  try {
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const f = line.split(' ');
      if (f[4] === '/sys') return (f[5] ?? '').split(',').includes('ro');
    }
  } catch { /* no /proc: assume writable */ }
  return false;
}

/** iproute2's netns_switch, after setns: private mounts, this namespace's /sys, /etc/netns/NAME over /etc. */
function switchMounts(name: string | undefined): void {
  step('unshare the mount namespace', () => unshare(CLONE_NEWNS));
  step('make / a recursive slave mount', () => mount('', '/', 'none', MS_SLAVE | MS_REC, null));
  let flags = 0;
  try {
    umount2('/sys', MNT_DETACH);
  } catch {
    // Nothing mounted there, or it cannot go: mount over it (read-only if it was).
    if (sysIsReadOnly()) flags = MS_RDONLY;
  }
  step('mount sysfs on /sys', () => mount(name ?? 'sysfs', '/sys', 'sysfs', flags, null));
  // The parent checked the name; it crossed a process boundary, so check again that it is one file name.
  if (name === undefined || Buffer.byteLength(name) >= NAME_MAX) return;
  try { checkComponent(name, 'netns'); } catch { return; }
  bindEtcFiles(name);
}

/**
 * /etc/netns/NAME/* over /etc/*, as ip netns exec binds them, but never
 * through a symbolic link placed under /etc/netns: the directory is opened
 * without following one, each entry is opened without following one, and
 * the bind's source is that open file, so nothing swapped in between counts.
 * (The target under /etc may be a link, as /etc/resolv.conf often is: the
 * bind lands where it points, as with ip.)
 */
function bindEtcFiles(name: string): void {
  const base = `${NETNS_ETC_DIR}/${name}`;
  let dir: number;
  try {
    dir = openSync(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (err) {
    // O_DIRECTORY makes a link ENOTDIR rather than ELOOP.
    const code = errorCode(err);
    if (code === 'ELOOP' || (code === 'ENOTDIR' && isLink(base))) writeSync(2, `Refusing ${base}: a symbolic link\n`);
    return;
  }
  try {
    const entries = opendirSync(`/proc/self/fd/${dir}`);
    try {
      for (let e = entries.readSync(); e !== null; e = entries.readSync()) bindOne(dir, base, e.name);
    } finally {
      entries.closeSync();
    }
  } finally {
    closeSync(dir);
  }
}

function isLink(path: string): boolean {
  try { return lstatSync(path).isSymbolicLink(); } catch { return false; }
}

function bindOne(dir: number, base: string, entry: string): void {
  const from = `${base}/${entry}`;
  const to = `/etc/${entry}`;
  let fd = -1;
  try {
    fd = openSync(`/proc/self/fd/${dir}/${entry}`, O_PATH | O_NOFOLLOW);
    if (fstatSync(fd).isSymbolicLink()) {
      writeSync(2, `Bind ${from} -> ${to} refused: ${from} is a symbolic link\n`);
      return;
    }
    mount(`/proc/self/fd/${fd}`, to, 'none', MS_BIND, null);
  } catch (err) {
    // Like iproute2: say so and carry on.
    writeSync(2, `Bind ${from} -> ${to} failed: ${errorMessage(err)}\n`);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * execve resets caught signals to their defaults but keeps ignored ones
 * ignored. Node ignores SIGPIPE (and SIGXFSZ); a program started with them
 * ignored misbehaves (`yes | head` never ends). Catching each ignored signal
 * here makes execve hand the program the defaults, as libuv does for every
 * child_process.spawn.
 */
function resetIgnoredSignals(): void {
  let mask: bigint;
  try {
    const line = /^SigIgn:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    mask = BigInt(`0x${line?.[1] ?? '0'}`);
  } catch {
    return;
  }
  for (const [name, num] of Object.entries(constants.signals)) {
    if (num < 1 || num > 64 || !((mask >> BigInt(num - 1)) & 1n)) continue;
    try { process.on(name as NodeJS.Signals, () => {}); } catch { /* SIGKILL, SIGSTOP: never ignored anyway */ }
  }
}

/**
 * uid without gid runs as runuser would: the user's group from /etc/passwd
 * and the groups /etc/group lists the user in — read here, after the
 * namespace's /etc/netns/NAME files were bound over /etc. With a gid (and no
 * uid given, or both), only what was asked: as libuv does for spawn({ uid,
 * gid }), no supplementary groups unless `groups` names them.
 */
function dropPrivileges(plan: ExecPlan): void {
  if (plan.uid === undefined && plan.gid === undefined) return;
  let { gid, groups } = plan;
  if (plan.uid !== undefined && gid === undefined) {
    const user = step('read /etc/passwd and /etc/group', () => runAs(plan.uid!));
    if (user === undefined) throw new StepError(unlistedUser(plan.uid), new OsError('getpwuid', 2 /* ENOENT */));
    gid = user.gid;
    groups ??= user.groups;
  }
  step('set the supplementary groups', () => process.setgroups!(groups ?? []));
  if (gid !== undefined) step(`set the group id to ${gid}`, () => process.setgid!(gid!));
  if (plan.uid !== undefined) step(`set the user id to ${plan.uid}`, () => process.setuid!(plan.uid!));
}

/** Where execvp would look for argv[0]: itself when it holds a "/", else each PATH entry. */
function candidates(program: string, env: string[]): string[] {
  if (program.includes('/')) return [program];
  const pathVar = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/bin:/usr/bin';
  return pathVar.split(':').map((dir) => `${dir === '' ? '.' : dir}/${program}`);
}

function run(plan: ExecPlan): never {
  step('enter the network namespace', () => setns(plan.netnsFd, CLONE_NEWNET));
  closeSync(plan.netnsFd);
  switchMounts(plan.name);
  if (plan.cwd !== undefined) step(`change directory to ${plan.cwd}`, () => process.chdir(plan.cwd!));
  dropPrivileges(plan);
  resetIgnoredSignals();
  for (const fd of plan.passFds) {
    try { fcntl(fd, F_SETFD, 0); } catch { /* not open ('ignore' beyond stdio): nothing to pass */ }
  }
  const program = plan.argv[0]!;
  let denied: OsError | undefined;
  for (const file of candidates(program, plan.env)) {
    try {
      execve(file, plan.argv, plan.env);
    } catch (err) {
      const code = (err as OsError).code;
      // execvp's rules: keep searching past missing files, remember a permission problem.
      if (code === 'EACCES') denied ??= err as OsError;
      else if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ENAMETOOLONG' && code !== 'ELOOP') throw new StepError(`execute "${file}"`, err);
    }
  }
  if (denied) throw new StepError(`execute "${program}"`, denied);
  throw new StepError(`find "${program}" (PATH=${candidates(program, plan.env).map((c) => c.slice(0, c.lastIndexOf('/'))).join(':')})`, new OsError('execve', 2 /* ENOENT */));
}

function main(): void {
  const controlFd = Number(process.argv[2]);
  let plan: ExecPlan;
  try {
    plan = readPlan(controlFd);
  } catch {
    process.exit(EXIT_SETUP_FAILED);
  }
  try {
    run(plan);
  } catch (err) {
    const e = err instanceof StepError ? err : new StepError('prepare the program', err);
    const cause = e.cause as { errno?: number; syscall?: string; code?: string };
    const errno = typeof cause?.errno === 'number' ? Math.abs(cause.errno) : 22;
    const failure: ExecFailure = { step: e.step, syscall: cause?.syscall ?? 'unknown', errno };
    try { writeSync(controlFd, `${JSON.stringify(failure)}\n`); } catch { /* parent gone */ }
    const exec = e.step.startsWith('execute') || e.step.startsWith('find');
    process.exit(!exec ? EXIT_SETUP_FAILED : errno === 2 ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
  }
}

main();
