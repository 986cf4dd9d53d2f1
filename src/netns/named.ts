// Named network namespaces, the way iproute2 keeps them, so that `ip netns`
// and this library see the same ones: a name is an empty file under
// /run/netns with the namespace bind-mounted on it, and /run/netns is a
// shared mount point so that a delete made in one mount namespace reaches the
// others (iproute2's netns_add / netns_delete).
//
// Creating the namespace. iproute2 (6.1) unshares its only thread into a new
// namespace, bind-mounts /proc/self/ns/net and setns()es back. We do the same
// on the calling thread, synchronously, through inNewNetns(): no JavaScript
// and no libuv work can run in between, the threadpool was started at home
// beforehand (enter.ts), and /proc/thread-self names this thread even in a
// Worker. The alternative — spawning a process that unshares and waits while
// we bind-mount /proc/<pid>/ns/net — never moves our threads at all, but
// costs a Node start-up (~40 ms) per add, a rendezvous protocol, and a child
// left behind if we die half way; the thread switch costs about 100 µs and
// leaves nothing behind. The kernel tests check every thread's namespace
// after many adds.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, opendirSync, statSync, unlinkSync } from 'node:fs';
import { flock, mount, umount2 } from '../ffi/libc.js';
import { LOCK_EX, LOCK_UN } from '../generated/asm-generic/fcntl.js';
import { MNT_DETACH, MS_BIND, MS_REC, MS_SHARED } from '../generated/libc/mount.js';
import { EncodeError } from '../netlink/errors.js';
import { describe } from '../ffi/validate.js';
import { inNewNetns } from './enter.js';
import { NetnsError } from './errors.js';
import { NETNS_RUN_DIR, netnsPath } from './names.js';
import { type NetnsRef, openNetnsRef } from './ref.js';

/** Creates /run/netns and makes it a shared mount point, exactly as `ip netns add` does. */
function prepareRunDir(operation: string): void {
  try {
    mkdirSync(NETNS_RUN_DIR, { mode: 0o755 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw NetnsError.from(err, operation, `cannot create ${NETNS_RUN_DIR}`);
  }
  let lock: number;
  try {
    lock = openSync(NETNS_RUN_DIR, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (err) {
    throw NetnsError.from(err, operation, `cannot open ${NETNS_RUN_DIR}`);
  }
  try {
    // Two processes doing the bind below at once would stack mounts (Debian bug 949235);
    // iproute2 serialises on this lock and carries on without it if it cannot be had.
    try { flock(lock, LOCK_EX); } catch { /* proceed unlocked, as iproute2 does */ }
    let madeMountPoint = false;
    for (;;) {
      try {
        mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC, null);
        return;
      } catch (err) {
        // EINVAL: not a mount point yet. Make it one by binding it onto itself, then retry once.
        if ((err as { code?: string }).code !== 'EINVAL' || madeMountPoint) {
          throw NetnsError.from(err, operation, `cannot make ${NETNS_RUN_DIR} a shared mount point`);
        }
      }
      try {
        mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC, null);
      } catch (err) {
        throw NetnsError.from(err, operation, `cannot bind ${NETNS_RUN_DIR} onto itself`);
      }
      madeMountPoint = true;
    }
  } finally {
    try { flock(lock, LOCK_UN); } catch { /* closing releases it anyway */ }
    closeSync(lock);
  }
}

/** The empty file a namespace is mounted on; EEXIST if the name is taken. */
function createNameFile(file: string, name: string, operation: string): void {
  try {
    closeSync(openSync(file, constants.O_RDONLY | constants.O_CREAT | constants.O_EXCL, 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw NetnsError.from(err, operation, code === 'EEXIST' ? `a network namespace named "${name}" already exists` : `cannot create ${file}`);
  }
}

/** Undoes a half-made name: whatever is mounted there, then the file. */
function discard(file: string): void {
  try { umount2(file, MNT_DETACH); } catch { /* nothing mounted: the usual case */ }
  try { unlinkSync(file); } catch { /* already gone */ }
}

function pin(name: string, operation: string, bind: () => void): void {
  const file = netnsPath(name);
  prepareRunDir(operation);
  createNameFile(file, name, operation);
  try {
    bind();
  } catch (err) {
    discard(file);
    throw NetnsError.from(err, operation, `cannot bind the namespace to ${file}`);
  }
}

/**
 * Creates a network namespace named `name`, like `ip netns add NAME`: it
 * shows in `ip netns list`, `ip netns exec NAME` enters it. Synchronous: a
 * handful of system calls. A failure leaves no file and no mount behind.
 */
export function add(name: string): void {
  const operation = `netns add ${describe(name)}`;
  pin(name, operation, () => {
    const file = netnsPath(name);
    inNewNetns(() => mount('/proc/thread-self/ns/net', file, 'none', MS_BIND, null));
  });
}

/** Gives an existing namespace a name, like `ip netns attach NAME PID` (any NetnsRef works). */
export function attach(name: string, target: NetnsRef): void {
  const operation = `netns attach ${describe(name)}`;
  netnsPath(name);
  using ns = openNetnsRef(target, operation);
  pin(name, operation, () => mount(`/proc/thread-self/fd/${ns.fd}`, netnsPath(name), 'none', MS_BIND, null));
}

/**
 * Names of the namespaces under /run/netns, in directory order like
 * `ip netns list` (an empty list when the directory does not exist).
 */
export function list(): string[] {
  let dir;
  try {
    dir = opendirSync(NETNS_RUN_DIR);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw NetnsError.from(err, 'netns list', `cannot read ${NETNS_RUN_DIR}`);
  }
  const names: string[] = [];
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) names.push(e.name);
  } finally {
    dir.closeSync();
  }
  return names;
}

/** Whether `ip netns list` would show this name. */
export function exists(name: string): boolean {
  try {
    lstatSync(netnsPath(name));
    return true;
  } catch (err) {
    if (err instanceof EncodeError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw NetnsError.from(err, `netns exists ${describe(name)}`, `cannot look at ${netnsPath(name)}`);
  }
}

/**
 * Removes a name, like `ip netns del NAME`: the bind mount is detached and
 * the file unlinked. The namespace itself lives on while anything still uses
 * it — a process inside, an open fd, a socket, another bind mount — and goes
 * when the last of them does; only the name is gone at once.
 */
export function remove(name: string): void {
  const file = netnsPath(name);
  try { umount2(file, MNT_DETACH); } catch { /* ip ignores this too: a stale file has no mount */ }
  try {
    unlinkSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw NetnsError.from(err, `netns delete ${describe(name)}`, code === 'ENOENT' ? `no network namespace named "${name}"` : `cannot remove ${file}`);
  }
}

/**
 * Removes every name that starts with `prefix` ('' removes them all, like
 * `ip -all netns del`). Returns the names removed; the first failure is
 * thrown after the others were tried.
 */
export function removeAll(prefix: string): string[] {
  if (typeof prefix !== 'string') throw new EncodeError('prefix', `expected a string, got ${describe(prefix)}`);
  if (prefix.includes('/') || prefix.includes('\0')) throw new EncodeError('prefix', `${describe(prefix)} cannot start a namespace name`);
  const removed: string[] = [];
  let first: unknown;
  for (const name of list()) {
    if (!name.startsWith(prefix)) continue;
    try {
      remove(name);
      removed.push(name);
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
  return removed;
}

/** The names under which this namespace is known, like `ip netns identify PID`. */
export function identify(target: NetnsRef): string[] {
  let ino: bigint;
  let dev: bigint;
  {
    using ns = openNetnsRef(target, 'netns identify');
    ({ ino, dev } = fstatSync(ns.fd, { bigint: true }));
  }
  return list().filter((name) => {
    try {
      const st = statSync(`${NETNS_RUN_DIR}/${name}`, { bigint: true });
      return st.ino === ino && st.dev === dev;
    } catch {
      return false;
    }
  });
}
