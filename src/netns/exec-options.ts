// The options of netns.exec and netns.spawn, and their checks. Every option
// is checked before anything is opened or started, so a wrong one is an
// EncodeError naming it — never a Node error from deep inside spawn, a
// program started and left behind, or a crash.
import { errorMessage } from '../netlink/errno.js';
import type { StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { Stream } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { checkCString } from '../ffi/validate.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';

/** How a program is started in a namespace: environment, directory, stdio, user and groups, time limit, and `ip netns exec`'s mounts or not. */
export interface SpawnOptions {
  /** The program's environment (default: process.env). PATH in it is where argv[0] is looked for. */
  env?: Record<string, string | undefined>;
  /** Working directory, inside the namespace's mount view (default: ours). */
  cwd?: string | URL;
  /** As for child_process.spawn ('ipc' excepted). Default 'pipe'. */
  stdio?: StdioOptions;
  /**
   * Run as this user, like runuser: without `gid`, the user's group from
   * /etc/passwd (read in the namespace's mount view, /etc/netns/NAME files
   * included) and, without `groups` too, the groups /etc/group lists the user
   * in, as initgroups() gives them; a uid /etc/passwd does not list needs a
   * gid. With `gid`: that group, and `groups` (default none) as supplementary
   * groups. mounts: false can set no supplementary groups: a user that has
   * some needs `gid` there.
   */
  uid?: number;
  gid?: number;
  groups?: readonly number[];
  /** Kill the program after this many milliseconds (0: never). */
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

/** How a program is run in a namespace to completion: as spawn, with input, and whether and how its output is captured. */
export interface ExecOptions extends SpawnOptions {
  /** Written to the program's stdin, which is then closed (stdin defaults to 'ignore' without it). */
  input?: string | Uint8Array;
  /** Collect stdout and stderr into the result (default: they go to ours). */
  capture?: boolean;
  /** How captured output is returned. Default 'utf8'. */
  encoding?: BufferEncoding | 'buffer';
  /** Most bytes captured per stream before the program is killed (SIGKILL) and exec rejects with a RangeError. Default 64 MiB. */
  maxBuffer?: number;
}

/** SpawnOptions after checking: what the spawn itself needs. */
export interface SpawnSettings {
  argv: string[];
  /** KEY=VALUE strings. */
  env: string[];
  cwd?: string;
  stdio: unknown[];
  uid?: number;
  gid?: number;
  groups?: number[];
  timeout?: number;
  killSignal: NodeJS.Signals | number;
  signal?: AbortSignal;
  mounts: boolean;
}

export interface ExecSettings extends SpawnSettings {
  input?: string | Uint8Array;
  capture: boolean;
  encoding: BufferEncoding | 'buffer';
  maxBuffer: number;
}

const SPAWN_KEYS = ['env', 'cwd', 'stdio', 'uid', 'gid', 'groups', 'timeout', 'killSignal', 'signal', 'mounts'];
const EXEC_KEYS = [...SPAWN_KEYS, 'input', 'capture', 'encoding', 'maxBuffer'];
/** setTimeout's limit: a longer delay would fire at once. */
const TIMEOUT_MAX = 0x7fffffff;
/** NGROUPS_MAX in linux/limits.h. */
const NGROUPS_MAX = 65536;
const STDIO_WORDS = ['pipe', 'ignore', 'inherit', 'overlapped'];

function checkArgv(argv: unknown): string[] {
  if (!Array.isArray(argv) || argv.length === 0) throw new EncodeError('argv', `expected a non-empty array (the program, then its arguments), got ${describe(argv)}`);
  return argv.map((a, i) => {
    if (typeof a !== 'string') throw new EncodeError(`argv[${i}]`, `expected a string, got ${describe(a)}`);
    if (a.includes('\0')) throw new EncodeError(`argv[${i}]`, 'contains a NUL character');
    if (i === 0 && a === '') throw new EncodeError('argv[0]', 'the program must not be empty');
    return a;
  });
}

function envStrings(env: unknown): string[] {
  if (env === null || typeof env !== 'object' || Array.isArray(env)) throw new EncodeError('env', `expected an object of variables, got ${describe(env)}`);
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (k === '' || k.includes('=') || k.includes('\0')) throw new EncodeError(`env.${k}`, 'a variable name must be non-empty, without "=" or NUL');
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint') throw new EncodeError(`env.${k}`, `expected a string, got ${describe(v)}`);
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

function checkGroups(v: unknown): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new EncodeError('groups', `expected an array of group ids, got ${describe(v)}`);
  if (v.length > NGROUPS_MAX) throw new EncodeError('groups', `${v.length} groups, more than the kernel allows (${NGROUPS_MAX})`);
  return v.map((g, i) => checkId(`groups[${i}]`, g)!);
}

function checkCwd(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  let raw: string;
  if (v instanceof URL) {
    try { raw = fileURLToPath(v); } catch (err) { throw new EncodeError('cwd', errorMessage(err)); }
  } else if (typeof v === 'string') {
    raw = v;
  } else {
    throw new EncodeError('cwd', `expected a path or a file: URL, got ${describe(v)}`);
  }
  if (raw === '') throw new EncodeError('cwd', 'must not be empty');
  try { checkCString('cwd', raw); } catch (err) { throw new EncodeError('cwd', errorMessage(err)); }
  return resolvePath(raw);
}

function checkStdioEntry(s: unknown, i: number): unknown {
  if (s === null || s === undefined) return i < 3 ? 'pipe' : 'ignore';
  if (s === 'ipc') throw new EncodeError(`stdio[${i}]`, '"ipc" needs a Node.js child; the program is not one');
  if (typeof s === 'string') {
    if (!STDIO_WORDS.includes(s)) throw new EncodeError(`stdio[${i}]`, `${describe(s)} is not one of ${STDIO_WORDS.join(', ')}`);
    return s;
  }
  if (typeof s === 'number') {
    if (!Number.isInteger(s) || s < 0 || s > 0x7fffffff) throw new EncodeError(`stdio[${i}]`, `${describe(s)} is not a file descriptor`);
    return s;
  }
  if (s instanceof Stream) return s;
  throw new EncodeError(`stdio[${i}]`, `expected "pipe", "ignore", "inherit", a file descriptor or a stream, got ${describe(s)}`);
}

function checkStdio(stdio: unknown): unknown[] {
  if (stdio === undefined) return ['pipe', 'pipe', 'pipe'];
  let list: unknown[];
  if (typeof stdio === 'string') list = [stdio, stdio, stdio];
  else if (Array.isArray(stdio)) list = [...stdio];
  else throw new EncodeError('stdio', `expected a string or an array, got ${describe(stdio)}`);
  while (list.length < 3) list.push(undefined);
  return list.map(checkStdioEntry);
}

function checkTimeout(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0 && v <= TIMEOUT_MAX)) throw new EncodeError('timeout', `expected milliseconds, from 0 to ${TIMEOUT_MAX}, got ${describe(v)}`);
  // Whole milliseconds, as Node's spawn wants them; a fraction rounds up, never down to "no timeout".
  return v === 0 ? undefined : Math.ceil(v);
}

function checkSignal(v: unknown): NodeJS.Signals | number {
  if (v === undefined) return 'SIGTERM';
  const signals = constants.signals as Record<string, number>;
  if (typeof v === 'string' && Object.hasOwn(signals, v)) return v as NodeJS.Signals;
  if (typeof v === 'number' && Object.values(signals).includes(v)) return v;
  throw new EncodeError('killSignal', `${describe(v)} is not a signal (a name such as "SIGTERM", or its number)`);
}

function checkBoolean(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new EncodeError(name, `expected true or false, got ${describe(v)}`);
  return v;
}

function checkOptionsObject(opts: unknown, keys: readonly string[], verb: string): Record<string, unknown> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new EncodeError('options', `expected an object, got ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!keys.includes(k)) throw new EncodeError(`options.${k}`, `is not an option of netns.${verb} (known: ${keys.join(', ')})`);
  }
  return opts as Record<string, unknown>;
}

/** Checks argv and SpawnOptions; throws EncodeError naming the first wrong one. */
export function checkSpawnOptions(argv: unknown, options: unknown, keys: readonly string[] = SPAWN_KEYS, verb = 'spawn'): SpawnSettings {
  const o = checkOptionsObject(options, keys, verb);
  const settings: SpawnSettings = {
    argv: checkArgv(argv),
    env: envStrings(o.env === undefined ? process.env : o.env),
    cwd: checkCwd(o.cwd),
    stdio: checkStdio(o.stdio),
    uid: checkId('uid', o.uid),
    gid: checkId('gid', o.gid),
    groups: checkGroups(o.groups),
    timeout: checkTimeout(o.timeout),
    killSignal: checkSignal(o.killSignal),
    mounts: checkBoolean('mounts', o.mounts, true),
  };
  if (o.signal !== undefined) {
    if (!(o.signal instanceof AbortSignal)) throw new EncodeError('signal', `expected an AbortSignal, got ${describe(o.signal)}`);
    settings.signal = o.signal;
  }
  if (!settings.mounts && settings.groups !== undefined) throw new EncodeError('groups', 'supplementary groups need mounts: true (a direct spawn drops them all)');
  return settings;
}

/** Checks argv and ExecOptions (stdio defaulted for exec); throws EncodeError naming the first wrong one. */
export function checkExecOptions(argv: unknown, options: unknown): ExecSettings {
  const o = checkOptionsObject(options, EXEC_KEYS, 'exec');
  const capture = checkBoolean('capture', o.capture, false);
  const input = o.input;
  if (input !== undefined && typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new EncodeError('input', `expected a string or a Uint8Array (a Buffer), got ${describe(input)}`);
  }
  const encoding = o.encoding === undefined ? 'utf8' : o.encoding;
  if (encoding !== 'buffer' && (typeof encoding !== 'string' || !Buffer.isEncoding(encoding))) {
    throw new EncodeError('encoding', `${describe(encoding)} is not "buffer" or a Buffer encoding`);
  }
  const maxBuffer = o.maxBuffer === undefined ? 64 * 1024 * 1024 : o.maxBuffer;
  if (typeof maxBuffer !== 'number' || Number.isNaN(maxBuffer) || maxBuffer < 0) {
    throw new EncodeError('maxBuffer', `expected a number of bytes (0 or more, Infinity for no limit), got ${describe(maxBuffer)}`);
  }
  const stdio = o.stdio !== undefined ? o.stdio : [input !== undefined ? 'pipe' : 'ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'];
  const settings = checkSpawnOptions(argv, { ...o, stdio, input: undefined, capture: undefined, encoding: undefined, maxBuffer: undefined }, EXEC_KEYS, 'exec');
  if (input !== undefined && settings.stdio[0] !== 'pipe') throw new EncodeError('input', `needs stdio[0] "pipe", not ${describe(settings.stdio[0])}`);
  if (capture && (settings.stdio[1] !== 'pipe' || settings.stdio[2] !== 'pipe')) throw new EncodeError('capture', 'needs stdio[1] and stdio[2] "pipe" (or leave stdio out)');
  return { ...settings, input: input as string | Uint8Array | undefined, capture, encoding: encoding as BufferEncoding | 'buffer', maxBuffer };
}
