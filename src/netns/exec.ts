// Running a program inside a network namespace, the way `ip netns exec NAME
// cmd...` does, without iproute2, nsenter or a shell. The caller's threads
// never move: a helper process (exec-helper.ts, a fresh `node`) receives the
// namespace as an inherited fd, enters it, makes its own mount namespace with
// this namespace's /sys and /etc/netns/NAME/* over /etc, drops privileges if
// asked, and execve()s the program. The ChildProcess returned is that program
// (same pid); the helper only precedes it.
import { type ChildProcess, type StdioOptions, spawn as spawnChild } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { NetnsError } from './errors.js';
import type { ExecFailure, ExecPlan } from './exec-plan.js';
import { type ExecOptions, type ExecSettings, type SpawnOptions, type SpawnSettings, checkExecOptions, checkSpawnOptions } from './exec-options.js';
import { inNetns } from './enter.js';
import { type NetnsRef, describeRef, openNetnsRef, withNetnsFd } from './ref.js';
import { closeOrphanedPipes, openFds, outOfFds } from './spawn-fds.js';
import { type RunAs, runAs, unlistedUser } from './user-db.js';
import { EncodeError } from '../netlink/errors.js';

export type { ExecOptions, SpawnOptions } from './exec-options.js';

const HELPER = fileURLToPath(new URL('./exec-helper.js', import.meta.url));

/** How a program run in a namespace ended, and what it printed. */
export interface ExecResult {
  /** Exit status, or null when a signal ended the program. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The program was killed because `timeout` passed. */
  timedOut: boolean;
  pid: number;
  stdout?: string | Buffer;
  stderr?: string | Buffer;
}

/** The program's ChildProcess, plus when it is known that it started (rejects with why not). */
export type NetnsChild = ChildProcess & { readonly started: Promise<void> };

function failureError(f: ExecFailure, operation: string): NetnsError {
  return new NetnsError(operation, f.syscall, f.errno, `cannot ${f.step}`);
}

/**
 * A spawn that failed at once (EMFILE, EAGAIN, ENOENT...): Node has no pid
 * and reports the failure on the next tick with an 'error' event carrying its
 * own error. That event is made to carry a NetnsError instead, and `started`
 * rejects with the same one. Nothing was started, so nothing is left to end.
 */
function failedAtOnce(child: ChildProcess, operation: string, problem: (code: string | undefined) => string): Promise<void> {
  return new Promise<void>((_, reject) => {
    const emit = child.emit.bind(child);
    let converted = false;
    child.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
      if (event !== 'error' || converted) return emit(event, ...args);
      converted = true;
      const raw = args[0] as NodeJS.ErrnoException;
      const err = NetnsError.from(raw, operation, problem(raw?.code));
      reject(err);
      return emit('error', err);
    }) as ChildProcess['emit'];
  });
}

/** Settles `started`; a rejection is also reported through 'error', so it is never unhandled. */
function withStarted(child: ChildProcess, started: Promise<void>): NetnsChild {
  started.catch(() => { /* reported through 'error' as well */ });
  return Object.assign(child, { started });
}

/**
 * Starts argv inside the namespace and returns its ChildProcess at once. Bad
 * input and a namespace that cannot be opened throw here; a program that
 * cannot be run (not found, not executable, setup refused, no process or fd
 * left to start it with) is reported by an 'error' event carrying a
 * NetnsError and by `started` rejecting with it; a program the helper could
 * not prepare exits with 127 (not found), 126 (not executable) or 125
 * (namespace setup failed).
 */
export function spawn(netns: NetnsRef, argv: readonly string[], opts: SpawnOptions = {}): NetnsChild {
  return start(netns, checkSpawnOptions(argv, opts));
}

function start(netns: NetnsRef, s: SpawnSettings): NetnsChild {
  const where = describeRef(netns);
  if (s.signal?.aborted) {
    throw Object.assign(new Error('The operation was aborted', { cause: s.signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
  }
  const operation = `netns exec ${where.label}`;
  return s.mounts ? spawnHelper(netns, where.name, s, operation) : spawnDirect(netns, s, operation);
}

/** The helper process (exec-helper.ts) enters the namespace, sets up mounts and execs the program. */
function spawnHelper(netns: NetnsRef, name: string | undefined, s: SpawnSettings, operation: string): NetnsChild {
  const passFds = s.stdio.map((_, i) => i);
  const controlFd = s.stdio.length;
  let child: ChildProcess;
  {
    using ns = openNetnsRef(netns, operation);
    const before = openFds();
    // The fd is passed at position controlFd + 1; the child gets its own copy, ours closes here.
    child = spawnChild(process.execPath, [HELPER, String(controlFd)], {
      stdio: [...s.stdio, 'pipe', ns.fd] as StdioOptions,
      env: {},
      timeout: s.timeout,
      killSignal: s.killSignal,
      signal: s.signal,
    });
    if (child.pid === undefined && outOfFds(child)) closeOrphanedPipes(before, s.stdio.length + 1);
  }
  if (child.pid === undefined) return withStarted(child, failedAtOnce(child, operation, () => `cannot start the helper process (${process.execPath})`));
  const plan: ExecPlan = { argv: s.argv, env: s.env, cwd: s.cwd, uid: s.uid, gid: s.gid, groups: s.groups, name, netnsFd: controlFd + 1, passFds };
  const control = child.stdio[controlFd] as Readable & Writable;
  const started = new Promise<void>((resolve, reject) => {
    const chunks: Buffer[] = [];
    control.on('data', (c: Buffer) => chunks.push(c));
    control.on('error', () => { /* the helper died; 'exit' tells how */ });
    control.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') { resolve(); return; }
      let err: Error;
      try { err = failureError(JSON.parse(text) as ExecFailure, operation); } catch { err = new Error(`${operation}: ${text}`); }
      reject(err);
      child.emit('error', err);
    });
    control.end(`${JSON.stringify(plan)}\n`);
  });
  return withStarted(child, started);
}

/**
 * The group a direct spawn runs uid with when no gid was given, as runuser
 * picks it (user-db.ts). libuv drops every supplementary group and cannot
 * set any: a user /etc/group gives others is refused rather than run
 * without them.
 */
function userGroup(uid: number, operation: string): number {
  let user: RunAs | undefined;
  try {
    user = runAs(uid);
  } catch (err) {
    throw NetnsError.from(err, operation, 'cannot read /etc/passwd and /etc/group');
  }
  if (user === undefined) throw new NetnsError(operation, 'getpwuid', 2 /* ENOENT */, `cannot ${unlistedUser(uid)}`);
  if (user.groups.length > 1) {
    throw new EncodeError('uid', `user ${user.name} also belongs to groups ${user.groups.slice(1).join(', ')}, which a direct spawn (mounts: false) cannot give it: use mounts: true, or give gid to run without them`);
  }
  return user.gid;
}

/** What a direct spawn that failed at once could not do, from its errno name. */
function directProblem(program: string): (code: string | undefined) => string {
  return (code) => code === 'ENOENT' ? `cannot find "${program}"` : code === 'EACCES' ? `cannot execute "${program}"` : `cannot start "${program}"`;
}

/**
 * The fast path: a plain spawn made while this thread sits in the namespace.
 * spawn() forks synchronously, the child inherits the calling thread's
 * namespace, and nothing else can run before we return (enter.ts).
 */
function spawnDirect(netns: NetnsRef, s: SpawnSettings, operation: string): NetnsChild {
  const gid = s.uid !== undefined && s.gid === undefined ? userGroup(s.uid, operation) : s.gid;
  const env = Object.fromEntries(s.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const child = withNetnsFd(netns, (fd) => inNetns(fd, () => {
    const before = openFds();
    const c = spawnChild(s.argv[0]!, s.argv.slice(1), {
      argv0: s.argv[0], stdio: s.stdio as StdioOptions, env, cwd: s.cwd, uid: s.uid, gid,
      timeout: s.timeout, killSignal: s.killSignal, signal: s.signal,
    });
    if (c.pid === undefined && outOfFds(c)) closeOrphanedPipes(before, s.stdio.length);
    return c;
  }), operation);
  if (child.pid === undefined) return withStarted(child, failedAtOnce(child, operation, directProblem(s.argv[0]!)));
  return withStarted(child, new Promise<void>((resolve) => child.once('spawn', resolve)));
}

/** Ends a program exec gives up on, by its pid; 'close' follows once it is reaped. */
function kill(child: ChildProcess, signal: NodeJS.Signals | number): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(child.pid, signal); } catch { /* already gone */ }
}

/**
 * Runs argv inside the namespace and resolves when it ends, with its exit
 * status or signal (a non-zero status is a result, not an error) and, with
 * `capture`, its output. Rejects when the program could not be started or
 * the signal aborted it. Every option is checked before anything starts;
 * whenever it rejects after the program started, the program was ended and
 * reaped first.
 */
export function exec(netns: NetnsRef, argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const s: ExecSettings = checkExecOptions(argv, opts);
    // exec keeps the time itself, to tell a timeout from other signals.
    const child = start(netns, { ...s, timeout: undefined });
    let timedOut = false;
    let failure: unknown;
    let timer: NodeJS.Timeout | undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.on('error', (e) => { failure ??= e; });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      child.started.then(() => {
        if (failure !== undefined) { reject(failure); return; }
        const text = (chunks: Buffer[]): string | Buffer => {
          const b = Buffer.concat(chunks);
          return s.encoding === 'buffer' ? b : b.toString(s.encoding);
        };
        const result: ExecResult = { code, signal, timedOut, pid: child.pid! };
        if (s.capture) { result.stdout = text(out); result.stderr = text(err); }
        resolve(result);
      }, reject);
    });
    try {
      if (s.timeout !== undefined) timer = setTimeout(() => { timedOut = true; kill(child, s.killSignal); }, s.timeout);
      const collect = (stream: Readable | null, chunks: Buffer[], which: string): void => {
        let size = 0;
        stream?.on('data', (c: Buffer) => {
          size += c.length;
          if (size > s.maxBuffer) {
            failure ??= new RangeError(`${which} exceeded maxBuffer (${s.maxBuffer} bytes); the program was killed`);
            // SIGKILL: a program that ignores killSignal would otherwise go on writing, and exec would wait for ever.
            kill(child, 'SIGKILL');
            return;
          }
          chunks.push(c);
        });
      };
      if (s.capture) {
        collect(child.stdout, out, 'stdout');
        collect(child.stderr, err, 'stderr');
      }
      if (s.input !== undefined && child.stdin) {
        child.stdin.on('error', () => { /* EPIPE: the program did not read it all */ });
        child.stdin.end(s.input);
      }
    } catch (e) {
      // Nothing above should throw; if it does, the program is not left running: 'close' rejects with this.
      failure ??= e;
      kill(child, 'SIGKILL');
    }
  });
}
