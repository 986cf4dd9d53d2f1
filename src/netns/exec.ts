// Running a program inside a network namespace, the way `ip netns exec NAME
// cmd...` does, without iproute2, nsenter or a shell. The caller's threads
// never move: a helper process (exec-helper.ts, a fresh `node`) receives the
// namespace as an inherited fd, enters it, makes its own mount namespace with
// this namespace's /sys and /etc/netns/NAME/* over /etc, drops privileges if
// asked, and execve()s the program. The ChildProcess returned is that program
// (same pid); the helper only precedes it.
import { type ChildProcess, type StdioOptions, spawn as spawnChild } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { checkCString, describe } from '../ffi/validate.js';
import { EncodeError } from '../netlink/errors.js';
import { NetnsError } from './errors.js';
import type { ExecFailure, ExecPlan } from './exec-plan.js';
import { inNetns } from './enter.js';
import { type NetnsRef, describeRef, openNetnsRef, withNetnsFd } from './ref.js';

const HELPER = fileURLToPath(new URL('./exec-helper.js', import.meta.url));

export interface SpawnOptions {
  /** The program's environment (default: process.env). PATH in it is where argv[0] is looked for. */
  env?: Record<string, string | undefined>;
  /** Working directory, inside the namespace's mount view (default: ours). */
  cwd?: string | URL;
  /** As for child_process.spawn ('ipc' excepted). Default 'pipe'. */
  stdio?: StdioOptions;
  /** Run as this user and group (with `groups` as supplementary groups, default none), like runuser. */
  uid?: number;
  gid?: number;
  groups?: readonly number[];
  /** Kill the program after this many milliseconds. */
  timeout?: number;
  /** The signal timeout and abort send. Default 'SIGTERM'. */
  killSignal?: NodeJS.Signals | number;
  /** Aborting kills the program (the ChildProcess emits an AbortError). */
  signal?: AbortSignal;
  /**
   * true (default): like `ip netns exec`, the program gets its own mount
   * namespace with this namespace's /sys and /etc/netns/NAME/* over /etc; a
   * helper `node` process sets that up, which costs a Node start-up.
   * false: the program is spawned directly right after this thread enters the
   * namespace (and leaves it again, synchronously): as fast as a plain spawn,
   * but it sees our /sys and /etc.
   */
  mounts?: boolean;
}

export interface ExecOptions extends SpawnOptions {
  /** Written to the program's stdin, which is then closed (stdin defaults to 'ignore' without it). */
  input?: string | Uint8Array;
  /** Collect stdout and stderr into the result (default: they go to ours). */
  capture?: boolean;
  /** How captured output is returned. Default 'utf8'. */
  encoding?: BufferEncoding | 'buffer';
  /** Most bytes captured per stream before the program is killed. Default 64 MiB. */
  maxBuffer?: number;
}

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

function checkArgv(argv: unknown): string[] {
  if (!Array.isArray(argv) || argv.length === 0) throw new EncodeError('argv', `expected a non-empty array (the program, then its arguments), got ${describe(argv)}`);
  return argv.map((a, i) => {
    if (typeof a !== 'string') throw new EncodeError(`argv[${i}]`, `expected a string, got ${describe(a)}`);
    if (a.includes('\0')) throw new EncodeError(`argv[${i}]`, 'contains a NUL character');
    if (i === 0 && a === '') throw new EncodeError('argv[0]', 'the program must not be empty');
    return a;
  });
}

function envStrings(env: Record<string, string | undefined>): string[] {
  if (env === null || typeof env !== 'object') throw new EncodeError('env', `expected an object, got ${describe(env)}`);
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (k === '' || k.includes('=') || k.includes('\0')) throw new EncodeError(`env.${k}`, 'a variable name must be non-empty, without "=" or NUL');
    const s = String(v);
    if (s.includes('\0')) throw new EncodeError(`env.${k}`, 'contains a NUL character');
    out.push(`${k}=${s}`);
  }
  return out;
}

function checkId(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 0xffffffff) throw new EncodeError(name, `${describe(v)} is not a user or group id`);
  return v;
}

function checkStdio(stdio: StdioOptions | undefined): unknown[] {
  const list: unknown[] = stdio === undefined ? ['pipe', 'pipe', 'pipe'] : typeof stdio === 'string' ? [stdio, stdio, stdio] : Array.isArray(stdio) ? [...stdio] : [undefined];
  if (stdio !== undefined && typeof stdio !== 'string' && !Array.isArray(stdio)) throw new EncodeError('stdio', `expected a string or an array, got ${describe(stdio)}`);
  while (list.length < 3) list.push('pipe');
  list.forEach((s, i) => {
    if (s === 'ipc') throw new EncodeError(`stdio[${i}]`, '"ipc" needs a Node.js child; the program is not one');
    if (s === null || s === undefined) list[i] = i < 3 ? 'pipe' : 'ignore';
  });
  return list;
}

function planOf(netns: NetnsRef, argv: readonly string[], opts: SpawnOptions): Omit<ExecPlan, 'netnsFd' | 'passFds'> {
  const args = checkArgv(argv);
  const env = envStrings(opts.env ?? process.env);
  let cwd: string | undefined;
  if (opts.cwd !== undefined) {
    const raw = opts.cwd instanceof URL ? fileURLToPath(opts.cwd) : opts.cwd;
    try { checkCString('cwd', raw); } catch (err) { throw new EncodeError('cwd', (err as Error).message); }
    cwd = resolvePath(raw);
  }
  const groups = opts.groups === undefined ? undefined : Array.from(opts.groups, (g, i) => checkId(`groups[${i}]`, g)!);
  return { argv: args, env, cwd, uid: checkId('uid', opts.uid), gid: checkId('gid', opts.gid), groups, name: describeRef(netns).name };
}

function failureError(f: ExecFailure, operation: string): NetnsError {
  return new NetnsError(operation, f.syscall, f.errno, `cannot ${f.step}`);
}

/**
 * Starts argv inside the namespace and returns its ChildProcess at once. Bad
 * input and a namespace that cannot be opened throw here; a program that
 * cannot be run (not found, not executable, setup refused) is reported by an
 * 'error' event and by `started` rejecting, and the process then exits with
 * 127 (not found), 126 (not executable) or 125 (namespace setup failed).
 */
export function spawn(netns: NetnsRef, argv: readonly string[], opts: SpawnOptions = {}): NetnsChild {
  const plan = planOf(netns, argv, opts);
  const stdio = checkStdio(opts.stdio);
  if (opts.signal?.aborted) {
    throw Object.assign(new Error('The operation was aborted', { cause: opts.signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
  }
  const operation = `netns exec ${describeRef(netns).label}`;
  if (opts.mounts === false && plan.groups !== undefined) throw new EncodeError('groups', 'supplementary groups need mounts: true (a direct spawn drops them all)');
  if (opts.mounts === false) return spawnDirect(netns, plan, stdio, opts, operation);
  const passFds = stdio.map((_, i) => i);
  const controlFd = stdio.length;
  let child: ChildProcess;
  {
    using ns = openNetnsRef(netns, operation);
    // The fd is passed at position controlFd + 1; the child gets its own copy, ours closes here.
    child = spawnChild(process.execPath, [HELPER, String(controlFd)], {
      stdio: [...stdio, 'pipe', ns.fd] as StdioOptions,
      env: {},
      timeout: opts.timeout,
      killSignal: opts.killSignal,
      signal: opts.signal,
    });
  }
  const full: ExecPlan = { ...plan, netnsFd: controlFd + 1, passFds };
  const control = child.stdio[controlFd] as (Readable & Writable) | null | undefined;
  const started = new Promise<void>((resolve, reject) => {
    if (!control) { reject(new Error(`${operation}: the helper process could not be started`)); return; }
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
    control.end(`${JSON.stringify(full)}\n`);
  });
  started.catch(() => { /* reported through 'error' as well; never an unhandled rejection */ });
  return Object.assign(child, { started });
}

/**
 * The fast path: a plain spawn made while this thread sits in the namespace.
 * spawn() forks synchronously, the child inherits the calling thread's
 * namespace, and nothing else can run before we return (enter.ts).
 */
function spawnDirect(netns: NetnsRef, plan: Omit<ExecPlan, 'netnsFd' | 'passFds'>, stdio: unknown[], opts: SpawnOptions, operation: string): NetnsChild {
  const env = Object.fromEntries(plan.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const child = withNetnsFd(netns, (fd) => inNetns(fd, () => spawnChild(plan.argv[0]!, plan.argv.slice(1), {
    argv0: plan.argv[0], stdio: stdio as StdioOptions, env, cwd: plan.cwd, uid: plan.uid, gid: plan.gid,
    timeout: opts.timeout, killSignal: opts.killSignal, signal: opts.signal,
  })), operation);
  const started = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => { if (child.pid === undefined) reject(err); });
  });
  started.catch(() => { /* reported through 'error' as well */ });
  return Object.assign(child, { started });
}

/**
 * Runs argv inside the namespace and resolves when it ends, with its exit
 * status or signal (a non-zero status is a result, not an error) and, with
 * `capture`, its output. Rejects when the program could not be started or
 * the signal aborted it.
 */
export function exec(netns: NetnsRef, argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const capture = opts.capture ?? false;
    const maxBuffer = opts.maxBuffer ?? 64 * 1024 * 1024;
    const stdio = opts.stdio ?? [opts.input !== undefined ? 'pipe' : 'ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'];
    const child = spawn(netns, argv, { ...opts, stdio, timeout: undefined });
    let timedOut = false;
    let failure: Error | undefined;
    const timer = opts.timeout !== undefined && opts.timeout > 0
      ? setTimeout(() => { timedOut = true; child.kill(opts.killSignal ?? 'SIGTERM'); }, opts.timeout)
      : undefined;
    const collect = (stream: Readable | null, which: string): Buffer[] => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream?.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBuffer) {
          failure ??= new RangeError(`${which} exceeded maxBuffer (${maxBuffer} bytes); the program was killed`);
          child.kill(opts.killSignal ?? 'SIGTERM');
          return;
        }
        chunks.push(c);
      });
      return chunks;
    };
    const out = capture ? collect(child.stdout, 'stdout') : [];
    const err = capture ? collect(child.stderr, 'stderr') : [];
    child.on('error', (e) => { failure ??= e; });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => { /* EPIPE: the program did not read it all */ });
      child.stdin.end(opts.input);
    }
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      child.started.then(() => {
        if (failure) { reject(failure); return; }
        const text = (chunks: Buffer[]): string | Buffer => {
          const b = Buffer.concat(chunks);
          return opts.encoding === 'buffer' ? b : b.toString(opts.encoding ?? 'utf8');
        };
        const result: ExecResult = { code, signal, timedOut, pid: child.pid! };
        if (capture) { result.stdout = text(out); result.stderr = text(err); }
        resolve(result);
      }, reject);
    });
  });
}
