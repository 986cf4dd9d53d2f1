// Naming a network namespace: by its iproute2 name, by the path of a
// namespace file, by an fd already open on one, or by a process living in
// it. Whatever the form, the work is done on an fd, opened just before and
// closed just after (an fd given by the caller stays the caller's).
import { errorCode, errorMessage } from '../netlink/errno.js';
import { closeSync, openSync } from 'node:fs';
import { ioctlNoArg } from '../ffi/libc.js';
import { checkCString, checkFd } from '../ffi/validate.js';
import { describe } from '../netlink/describe.js';
import { CLONE_NEWNET } from '../generated/linux/sched.js';
import { NS_GET_NSTYPE } from '../generated/linux/nsfs.js';
import { EncodeError } from '../netlink/errors.js';
import { NetnsError } from './errors.js';
import { O_NOFOLLOW, O_RDONLY } from '../generated/asm/fcntl.js';
import { openDir } from './dir-fd.js';
import { checkStep } from './enter.js';
import { NETNS_RUN_DIR, netnsPath } from './names.js';

/** A network namespace: a name under /run/netns, or { name }, { path }, { fd } or { pid }. */
export type NetnsRef = string | { name: string } | { path: string } | { fd: number } | { pid: number };

/** An fd on a namespace, with what closes it (nothing, for an fd the caller gave). */
export interface OpenNetns {
  readonly fd: number;
  /** How messages name it: `"blue"`, `/proc/42/ns/net`, `fd 7`. */
  readonly label: string;
  /** Closes the fd (nothing, for an fd the caller gave). */
  close(): void;
  /** Closes the fd: `using ns = ...`. */
  [Symbol.dispose](): void;
}

const PID_MAX = 4194304; // PID_MAX_LIMIT on 64-bit kernels

/** Where a reference points, after checking it; fd is set for { fd }. */
export function describeRef(ref: NetnsRef, path = 'netns'): { file?: string; fd?: number; label: string; name?: string } {
  if (typeof ref === 'string') return { file: netnsPath(ref), label: `"${ref}"`, name: ref };
  if (ref === null || typeof ref !== 'object') throw new EncodeError(path, `expected a namespace name or { name | path | fd | pid }, got ${describe(ref)}`);
  const keys = Object.keys(ref).filter((k) => (ref as Record<string, unknown>)[k] !== undefined);
  if (keys.length !== 1 || !['name', 'path', 'fd', 'pid'].includes(keys[0]!)) {
    throw new EncodeError(path, `give exactly one of name, path, fd or pid (got ${keys.join(', ') || 'none'})`);
  }
  if ('name' in ref) return { file: netnsPath(ref.name), label: `"${ref.name}"`, name: ref.name };
  if ('path' in ref) {
    try { checkCString('path', ref.path); } catch (err) { throw new EncodeError(`${path}.path`, errorMessage(err)); }
    if (ref.path === '') throw new EncodeError(`${path}.path`, 'must not be empty');
    return { file: ref.path, label: ref.path };
  }
  if ('fd' in ref) {
    try { checkFd('fd', ref.fd); } catch (err) { throw new EncodeError(`${path}.fd`, errorMessage(err)); }
    return { fd: ref.fd, label: `fd ${ref.fd}` };
  }
  const pid = ref.pid;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || pid > PID_MAX) {
    throw new EncodeError(`${path}.pid`, `${describe(pid)} is not a process id`);
  }
  return { file: `/proc/${pid}/ns/net`, label: `pid ${pid}` };
}

/** Opens the namespace behind ref and checks that it is a network namespace. */
export function openNetnsRef(ref: NetnsRef, operation = 'netns open'): OpenNetns {
  const where = describeRef(ref);
  let fd: number;
  let owned = false;
  if (where.fd !== undefined) {
    fd = where.fd;
  } else {
    try {
      // A name is a file inside /run/netns itself: neither the directory nor the name may be a link
      // (a path or a pid is opened as given: /proc/PID/ns/net is itself a link, followed on purpose).
      fd = where.name !== undefined ? openName(where.name) : openSync(where.file!, 'r');
      owned = true;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const problem = e.code === 'ENOENT'
        ? (where.name !== undefined ? `no network namespace named ${where.label}` : typeof ref === 'object' && 'pid' in ref ? `no process with ${where.label}` : `no namespace file at ${where.label}`)
        : e.code === 'ELOOP' && where.name !== undefined ? `${where.file} (or ${NETNS_RUN_DIR}) is a symbolic link, not a name ip netns add made; refusing to follow it`
          : `cannot open ${where.file}`;
      throw NetnsError.from(err, operation, problem);
    }
  }
  try {
    const type = ioctlNoArg(fd, NS_GET_NSTYPE);
    if (type !== CLONE_NEWNET) throw new NetnsError(operation, 'ioctl', 22 /* EINVAL */, `${where.label} is a namespace, but not a network namespace`);
  } catch (err) {
    if (owned) closeSync(fd);
    const code = errorCode(err);
    // ENOTTY: a plain file, such as a name whose bind mount is gone (an interrupted add, a detached umount).
    const problem = code === 'ENOTTY' ? `${where.label} is not a namespace file` : code === 'EBADF' ? `${where.label} is not open` : `cannot inspect ${where.label}`;
    throw NetnsError.from(err, operation, problem);
  }
  const close = (): void => {
    if (owned) { owned = false; closeSync(fd); }
  };
  return { fd, label: where.label, close, [Symbol.dispose]: close };
}

function openName(name: string): number {
  using dir = openDir(NETNS_RUN_DIR);
  return openSync(dir.at(name), O_RDONLY | O_NOFOLLOW);
}

/**
 * Runs fn with an fd on the namespace, closing it afterwards — when fn
 * returns, or, if it returns a Promise, when that settles.
 */
export function withNetnsFd<T>(ref: NetnsRef, fn: (fd: number) => T, operation?: string): T {
  checkStep(fn);
  const ns = openNetnsRef(ref, operation);
  let result: T;
  try {
    result = fn(ns.fd);
  } catch (err) {
    ns.close();
    throw err;
  }
  if (result instanceof Promise) return result.finally(() => ns.close()) as T;
  ns.close();
  return result;
}
