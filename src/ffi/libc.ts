// The only native boundary: the C library (glibc's libc.so.6 or musl's,
// c-library.ts finds which) through ffi-rs. Each call costs several
// microseconds and rebuilds its call description (docs/architecture.md), so this is for
// setup calls only; the data path uses Node's fs.readSync/fs.writeSync on the
// file descriptor made here. Every entry point checks its arguments first.
import type * as FfiRs from 'ffi-rs';
import { ffiRs } from './addon.js';
import { detectCLibrary, mappedFiles } from './c-library.js';
import { OsError } from './os-error.js';
import { checkBuffer, checkCString, checkFd, checkFlags32, checkInt32 } from './validate.js';
import { describe } from '../netlink/describe.js';

// ffi-rs comes through addon.ts, never imported directly (a Worker must be able
// to end; addon.ts says why), and only on the first call (docs/packaging.md).
type DataType = FfiRs.DataType;
const DataType = new Proxy({} as typeof FfiRs.DataType, { get: (_, key) => ffiRs().DataType[key as keyof typeof FfiRs.DataType] });

const LIB = 'netlink-ts-libc';
let opened = false;

type ParamType = DataType;
interface Result { value: number; errnoCode: number }

function call(funcName: string, retType: FfiRs.DataType.I32 | FfiRs.DataType.I64 | FfiRs.DataType.Void, paramsType: ParamType[], paramsValue: unknown[]): Result {
  const { load, open } = ffiRs();
  if (!opened) {
    // ffi-rs is loaded by now, so the process's libc is mapped and can be seen.
    open({ library: LIB, path: detectCLibrary(mappedFiles()).soname });
    opened = true;
  }
  return load({ library: LIB, funcName, retType, paramsType, paramsValue, errno: true }) as unknown as Result;
}

/** Calls a function that returns -1 and sets errno on failure; throws OsError. */
function sys(funcName: string, retType: FfiRs.DataType.I32 | FfiRs.DataType.I64, paramsType: ParamType[], paramsValue: unknown[], detail?: string): number {
  const r = call(funcName, retType, paramsType, paramsValue);
  if (r.value === -1) throw new OsError(funcName, r.errnoCode, detail);
  return r.value;
}

export function socket(domain: number, type: number, protocol: number): number {
  return sys('socket', DataType.I32, [DataType.I32, DataType.I32, DataType.I32],
    [checkInt32('domain', domain), checkFlags32('type', type), checkInt32('protocol', protocol)]);
}

export function bind(fd: number, addr: Buffer): void {
  sys('bind', DataType.I32, [DataType.I32, DataType.U8Array, DataType.I32],
    [checkFd('fd', fd), checkBuffer('addr', addr, 2), addr.length]);
}

/** Fills addr with the socket's address; returns the address length. */
export function getsockname(fd: number, addr: Buffer): number {
  checkBuffer('addr', addr, 2);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(addr.length);
  sys('getsockname', DataType.I32, [DataType.I32, DataType.U8Array, DataType.U8Array], [checkFd('fd', fd), addr, len]);
  return len.readUInt32LE();
}

export function setsockopt(fd: number, level: number, name: number, value: Buffer): void {
  sys('setsockopt', DataType.I32, [DataType.I32, DataType.I32, DataType.I32, DataType.U8Array, DataType.I32],
    [checkFd('fd', fd), checkInt32('level', level), checkInt32('optname', name), checkBuffer('optval', value), value.length],
    `level ${level} option ${name}`);
}

/** Fills value with the option; returns the option's length. */
export function getsockopt(fd: number, level: number, name: number, value: Buffer): number {
  checkBuffer('optval', value, 1);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(value.length);
  sys('getsockopt', DataType.I32, [DataType.I32, DataType.I32, DataType.I32, DataType.U8Array, DataType.U8Array],
    [checkFd('fd', fd), checkInt32('level', level), checkInt32('optname', name), value, len], `level ${level} option ${name}`);
  return len.readUInt32LE();
}

/**
 * recv(2). With MSG_PEEK|MSG_TRUNC and an empty buffer it returns the size of
 * the next datagram without consuming it. Returns -1 for EAGAIN instead of
 * throwing, since "nothing queued" is an answer, not a failure.
 */
export function recv(fd: number, buf: Buffer, flags: number): number {
  checkBuffer('buf', buf);
  // ffi-rs needs a real buffer even for a zero-length read.
  const target = buf.length > 0 ? buf : Buffer.alloc(1);
  const r = call('recv', DataType.I64, [DataType.I32, DataType.U8Array, DataType.I64, DataType.I32],
    [checkFd('fd', fd), target, buf.length, checkFlags32('flags', flags)]);
  if (r.value === -1) {
    if (r.errnoCode === 11) return -1; // EAGAIN
    throw new OsError('recv', r.errnoCode);
  }
  return r.value;
}

/** fcntl(fd, cmd, arg) for the integer-argument commands (F_DUPFD_CLOEXEC, F_GETFL...). */
export function fcntl(fd: number, cmd: number, arg: number): number {
  return sys('fcntl', DataType.I32, [DataType.I32, DataType.I32, DataType.I32],
    [checkFd('fd', fd), checkInt32('cmd', cmd), checkInt32('arg', arg)]);
}

/** setns(2): moves the calling thread (the main thread here) into the namespace behind fd. */
export function setns(fd: number, nstype: number): void {
  sys('setns', DataType.I32, [DataType.I32, DataType.I32], [checkFd('fd', fd), checkFlags32('nstype', nstype)]);
}

export function unshare(flags: number): void {
  sys('unshare', DataType.I32, [DataType.I32], [checkFlags32('flags', flags)]);
}

/** mount(2); null stands for a NULL pointer, passed as a 64-bit zero (docs/architecture.md). */
export function mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void {
  const strOrNull = (name: string, v: string | null): [DataType, unknown] =>
    v === null ? [DataType.I64, 0] : [DataType.String, checkCString(name, v)];
  const [st, sv] = strOrNull('source', source);
  const [ft, fv] = strOrNull('fstype', fstype);
  const [dt, dv] = strOrNull('data', data);
  if (typeof flags !== 'number' || !Number.isSafeInteger(flags) || flags < 0) throw new TypeError('mount flags must be a non-negative integer');
  sys('mount', DataType.I32, [st, DataType.String, ft, DataType.I64, dt],
    [sv, checkCString('target', target), fv, flags, dv], target);
}

export function umount2(target: string, flags: number): void {
  sys('umount2', DataType.I32, [DataType.String, DataType.I32], [checkCString('target', target), checkFlags32('flags', flags)], target);
}

export function gettid(): number {
  return call('gettid', DataType.I32, [], []).value;
}

/** syscall(2) with a number, a command and one buffer argument (bpf(2) has no glibc wrapper). */
export function syscallBuffer(nr: number, cmd: number, buf: Buffer): number {
  return sys('syscall', DataType.I64, [DataType.I64, DataType.I64, DataType.U8Array, DataType.I64],
    [checkInt32('nr', nr), checkInt32('cmd', cmd), checkBuffer('buf', buf, 1), buf.length], `syscall ${nr} command ${cmd}`);
}

/**
 * The address of a Buffer's memory (memcpy returns its destination), for
 * structs that carry pointers. Valid while the Buffer is alive: Node does not
 * move a Buffer's memory, and ffi-rs passes it without copying.
 */
export function addressOf(buf: Buffer): number {
  return call('memcpy', DataType.I64, [DataType.U8Array, DataType.U8Array, DataType.I64], [checkBuffer('buf', buf, 1), buf, 0]).value;
}

/** flock(2) on an open file (LOCK_EX, LOCK_UN...), as iproute2 locks /run/netns while it prepares it. */
export function flock(fd: number, operation: number): void {
  sys('flock', DataType.I32, [DataType.I32, DataType.I32], [checkFd('fd', fd), checkInt32('operation', operation)]);
}

/** ioctl(fd, request, buf) for requests whose argument is a struct in memory (SIOCETHTOOL's struct ifreq). */
export function ioctlBuffer(fd: number, request: number, buf: Buffer, detail?: string): number {
  return sys('ioctl', DataType.I32, [DataType.I32, DataType.I64, DataType.U8Array],
    [checkFd('fd', fd), checkFlags32('request', request) >>> 0, checkBuffer('buf', buf, 1)], detail);
}

/** ioctl(fd, request) for the requests that take no argument (NS_GET_NSTYPE...); returns the result. */
export function ioctlNoArg(fd: number, request: number): number {
  return sys('ioctl', DataType.I32, [DataType.I32, DataType.I64], [checkFd('fd', fd), checkFlags32('request', request) >>> 0]);
}

/** The longest single argument or environment string execve accepts (MAX_ARG_STRLEN, 32 pages). */
const MAX_ARG_STRLEN = 32 * 4096;

/**
 * execve(2): replaces the process image; returns only by throwing OsError.
 * ffi-rs's StringArray is not NULL-terminated (execve reads past its end:
 * EFAULT), so the arrays are built here: each string copied into C memory
 * by strdup, their addresses and a final NULL in a Buffer passed zero-copy.
 * The copies are freed when execve fails; when it succeeds the process image
 * they lived in is gone.
 */
export function execve(path: string, argv: readonly string[], envp: readonly string[]): never {
  checkCString('path', path);
  const list = (name: string, v: readonly string[]): readonly string[] => {
    if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of strings, got ${describe(v)}`);
    v.forEach((s, i) => checkCString(`${name}[${i}]`, s, MAX_ARG_STRLEN - 1));
    return v;
  };
  if (list('argv', argv).length === 0) throw new RangeError('argv must hold at least the program name');
  list('envp', envp);
  const owned: number[] = [];
  const pointers = (strings: readonly string[]): Buffer => {
    const b = Buffer.alloc(8 * (strings.length + 1));
    strings.forEach((s, i) => {
      const p = call('strdup', DataType.I64, [DataType.String], [s]).value;
      if (p === 0) throw new OsError('strdup', 12 /* ENOMEM */);
      owned.push(p);
      b.writeBigUInt64LE(BigInt(p), 8 * i);
    });
    return b;
  };
  try {
    const r = call('execve', DataType.I32, [DataType.String, DataType.U8Array, DataType.U8Array], [path, pointers(argv), pointers(envp)]);
    throw new OsError('execve', r.errnoCode, path);
  } finally {
    for (const p of owned) call('free', DataType.Void, [DataType.I64], [p]);
  }
}

/**
 * close(2), for fds made here (socket, F_DUPFD). Node's fs.closeSync works
 * too, but in a Worker it warns about every fd fs did not open itself.
 */
export function close(fd: number): void {
  sys('close', DataType.I32, [DataType.I32], [checkFd('fd', fd)]);
}
