// Labs without root: a user namespace owns the lab's network and mount
// namespaces, as the test command's unprivileged tier does (docs/lab.md,
// "Without root"). A holder process (`sleep`, started through util-linux's
// `unshare`) keeps that user namespace alive between commands; its private
// /run holds the lab's /run/netns and record, its own /etc/netns the lab's
// DNS files. Each lab command enters it with `nsenter` and runs there as root
// of the user namespace; `down` ends the holder, and with it everything the
// lab made (the kernel frees namespaces nobody holds).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStart } from './lock.js';

/** Mounts made first thing inside the new namespaces (as test/kernel-env.ts does for the tests), then `$@`. */
const SETUP = [
  'set -e',
  'mount -t tmpfs netlink-ts-lab-run /run',
  'mkdir -p /run/.etc/upper /run/.etc/work',
  // Files in the host's /etc belong to users this namespace does not map: an overlay lets the lab add /etc/netns.
  'mount -t overlay netlink-ts-lab-etc -o lowerdir=/etc,upperdir=/run/.etc/upper,workdir=/run/.etc/work /etc',
  'mkdir -p /etc/netns',
  'mount -t tmpfs netlink-ts-lab-etc-netns /etc/netns',
  'exec "$@"',
].join('\n');

/** `unshare` with a new user (mapping us to root), network and mount namespace, the mounts made, then argv. */
export function inNewUserns(argv: string[]): string[] {
  return ['unshare', '--user', '--map-root-user', '--net', '--mount', '--propagation', 'private', '--', 'sh', '-c', SETUP, 'netlink-ts-lab', ...argv];
}

/** `nsenter` into the holder's user, network and mount namespaces, as their root, in directory `wd`, then argv. */
export function inHolder(pid: number, wd: string, argv: string[]): string[] {
  // --preserve-credentials: the outer uid already maps to root there, and setgroups is denied in a --map-root-user namespace.
  return ['nsenter', `--target=${pid}`, '--user', '--net', '--mount', '--preserve-credentials', `--wd=${wd}`, '--', ...argv];
}

/** Why this process cannot make a user namespace, or undefined when it can (one `unshare` run). */
export function usernsProblem(): string | undefined {
  const r = spawnSync('unshare', ['--user', '--map-root-user', 'true'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return r.error ? `unshare(1) could not run: ${r.error.message}` : (r.stderr.trim().split('\n').pop() || `unshare exited with status ${r.status}`);
}

/** What to say where neither root nor user namespaces are available. */
export function rootlessRefusal(what: string, why: string): string {
  return `${what} needs root or an unprivileged user namespace: this process lacks CAP_NET_ADMIN and CAP_SYS_ADMIN, ` +
    `and this system does not let it make a user namespace (${why}). Run it as root (e.g. with sudo), or allow unprivileged ` +
    'user namespaces (user.max_user_namespaces above 0; kernel.unprivileged_userns_clone=1 on older Debian kernels; ' +
    'kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile on Ubuntu 24.04 and later).';
}

interface HolderFile {
  pid: number;
  start: string;
}

/** The directory of this user's holder files: private to the user, or an error saying why not. */
export function holderDir(env = process.env): string {
  const uid = process.getuid?.() ?? -1;
  const runtime = env.XDG_RUNTIME_DIR;
  const ours = (dir: string) => { try { const st = lstatSync(dir); return st.isDirectory() && st.uid === uid; } catch { return false; } };
  // $XDG_RUNTIME_DIR when it is really ours (a shell that switched users may carry another's).
  const base = runtime?.startsWith('/') && ours(runtime) ? join(runtime, 'netlink-ts') : `/tmp/netlink-ts-${uid}`;
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const st = lstatSync(base);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new Error(`${base} must be a directory of user ${uid} that no one else can read or write (it holds the pids of lab holders)`);
  }
  return base;
}

const holderPath = (lab: string) => join(holderDir(), `${lab}.userns`);

/** The running holder of a lab, or undefined (a file whose process is gone is removed). */
export function findHolder(lab: string): number | undefined {
  const path = holderPath(lab);
  let h: Partial<HolderFile>;
  try {
    if (!lstatSync(path).isFile()) return undefined;
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    h = typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return undefined;
  }
  if (typeof h.pid === 'number' && Number.isInteger(h.pid) && h.pid > 0 && processStart(h.pid) === h.start) return h.pid;
  rmSync(path, { force: true });
  return undefined;
}

/** Starts a holder for a lab and records it; resolves with its pid once its mounts are made. */
export async function startHolder(lab: string): Promise<number> {
  const [cmd, ...args] = inNewUserns(['sh', '-c', 'echo ready; exec sleep infinity </dev/null >/dev/null 2>&1']);
  const child: ChildProcess = spawn(cmd!, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const ready = await new Promise<boolean>((res) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('ready\n')) res(true); });
    child.on('exit', () => res(false));
    child.on('error', (e) => { stderr += e.message; res(false); });
  });
  child.stdout!.destroy();
  child.stderr!.destroy();
  child.unref();
  if (!ready || child.pid === undefined) throw new Error(`could not make the lab's user namespace: ${stderr.trim() || 'unshare ended'}`);
  const start = processStart(child.pid);
  if (start === undefined) throw new Error('the lab\'s user namespace ended as soon as it was made');
  const path = holderPath(lab);
  const tmp = `${path}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ pid: child.pid, start } satisfies HolderFile), { mode: 0o600, flag: 'wx' });
  renameSync(tmp, path);
  return child.pid;
}

/** Whether process pid, started at `start`, still runs (a zombie does not). */
function running(pid: number, start: string): boolean {
  if (processStart(pid) !== start) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Ends a lab's holder (and so its namespaces) and forgets it; waits, bounded, until the process is gone. */
export async function stopHolder(lab: string, pid: number): Promise<void> {
  const start = processStart(pid);
  if (start !== undefined) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone already */ }
    for (let i = 0; i < 200 && running(pid, start); i++) await new Promise((r) => setTimeout(r, 10));
  }
  rmSync(holderPath(lab), { force: true });
}
