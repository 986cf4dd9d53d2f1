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
import { errorCode } from '../netlink/errno.js';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, opendirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { flock, mount, umount2 } from '../ffi/libc.js';
import { LOCK_EX, LOCK_UN, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY } from '../generated/asm/fcntl.js';
import { MNT_DETACH, MS_BIND, MS_REC, MS_SHARED, UMOUNT_NOFOLLOW } from '../generated/libc/mount.js';
import { EncodeError } from '../netlink/errors.js';
import { describe } from '../netlink/describe.js';
import { type DirFd, openDir, openProblem } from './dir-fd.js';
import { inNewNetns } from './enter.js';
import { NetnsError } from './errors.js';
import { NETNS_RUN_DIR, netnsPath } from './names.js';
import { type NetnsRef, openNetnsRef } from './ref.js';

/** /run/netns, opened (a symbolic link there is refused), for names to be made, removed or opened in it. */
export function openRunDir(operation: string, missing?: string): DirFd {
  try {
    return openDir(NETNS_RUN_DIR);
  } catch (err) {
    throw NetnsError.from(err, operation, errorCode(err) === 'ENOENT' && missing ? missing : openProblem(err, NETNS_RUN_DIR));
  }
}

/**
 * Creates /run/netns and makes it a shared mount point, exactly as `ip netns
 * add` does; returns it opened, for the name to be made inside it.
 */
function prepareRunDir(operation: string): DirFd {
  try {
    mkdirSync(NETNS_RUN_DIR, { mode: 0o755 });
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw NetnsError.from(err, operation, `cannot create ${NETNS_RUN_DIR}`);
  }
  // Locked through one fd, used through another opened once /run/netns is surely a mount point: an fd
  // opened before the bind below would see the directory under it, and names made through it would be hidden.
  const locked = openRunDir(operation);
  const lock = locked.fd;
  try {
    // Two processes doing the bind below at once would stack mounts (Debian bug 949235);
    // iproute2 serialises on this lock and carries on without it if it cannot be had.
    try { flock(lock, LOCK_EX); } catch { /* proceed unlocked, as iproute2 does */ }
    let madeMountPoint = false;
    for (;;) {
      try {
        mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC, null);
        return openRunDir(operation);
      } catch (err) {
        // EINVAL: not a mount point yet. Make it one by binding it onto itself, then retry once.
        if (errorCode(err) !== 'EINVAL' || madeMountPoint) {
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
    locked.close();
  }
}

/**
 * The empty file a namespace is mounted on, created (never through a link)
 * and opened; EEXIST if the name is taken. A leftover file with no namespace
 * on it (see leftoverAt) is replaced: `ip netns add` refuses it with EEXIST,
 * though it names nothing and `ip netns del` would just remove it.
 */
function createNameFile(dir: DirFd, name: string, operation: string): number {
  for (let attempt = 0; ; attempt++) {
    try {
      return openSync(dir.at(name), O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST' && attempt === 0 && leftoverAt(dir, name)) {
        try { unlinkSync(dir.at(name)); } catch { /* gone already, or not ours to remove: the retry says which */ }
        continue;
      }
      throw NetnsError.from(err, operation, code === 'EEXIST' ? `a network namespace named "${name}" already exists` : `cannot create ${netnsPath(name)}`);
    }
  }
}

/**
 * Whether `name` in the opened /run/netns is a leftover: an empty regular
 * file with nothing mounted on it (on the directory's own device, where a
 * namespace bound on it would show nsfs's). A process killed between making
 * the file and binding the namespace leaves one; opening it as a namespace
 * fails with ENOTTY.
 */
function leftoverAt(dir: DirFd, name: string): boolean {
  try {
    const st = lstatSync(dir.at(name));
    return st.isFile() && st.size === 0 && st.dev === fstatSync(dir.fd).dev;
  } catch {
    return false;
  }
}

/**
 * Whether /run/netns/NAME is a leftover file with no namespace on it (see
 * leftoverAt): `ip netns list` shows such a name, but nothing can enter it;
 * add() replaces it, remove() removes it.
 */
export function isLeftover(name: string): boolean {
  const operation = `netns leftover ${describe(name)}`;
  netnsPath(name);
  let dir: DirFd;
  try {
    dir = openRunDir(operation);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false;
    throw err;
  }
  try {
    return leftoverAt(dir, name);
  } finally {
    dir.close();
  }
}

/** Undoes a half-made name: whatever is mounted there, then the file. */
function discard(dir: DirFd, name: string): void {
  try { umount2(dir.at(name), MNT_DETACH | UMOUNT_NOFOLLOW); } catch { /* nothing mounted: the usual case */ }
  try { unlinkSync(dir.at(name)); } catch { /* already gone */ }
}

/**
 * Makes the name file and binds a namespace onto it. The bind's target is the
 * file we created, through its fd, so nothing swapped in at its path (a link
 * to /etc/passwd, say) can receive the mount.
 */
function pin(name: string, operation: string, bind: (target: string) => void): void {
  const file = netnsPath(name);
  using dir = prepareRunDir(operation);
  const fd = createNameFile(dir, name, operation);
  try {
    bind(`/proc/self/fd/${fd}`);
  } catch (err) {
    closeSync(fd);
    discard(dir, name);
    throw NetnsError.from(err, operation, `cannot bind the namespace to ${file}`);
  }
  closeSync(fd);
}

/**
 * Creates a network namespace named `name`, like `ip netns add NAME`: it
 * shows in `ip netns list`, `ip netns exec NAME` enters it. Synchronous: a
 * handful of system calls. A failure leaves no file and no mount behind. A
 * leftover empty file of that name with no namespace on it (a creation
 * killed half way) is replaced.
 */
export function add(name: string): void {
  const operation = `netns add ${describe(name)}`;
  pin(name, operation, (target) => {
    inNewNetns(() => mount('/proc/thread-self/ns/net', target, 'none', MS_BIND, null));
  });
}

/** Gives an existing namespace a name, like `ip netns attach NAME PID` (any NetnsRef works). */
export function attach(name: string, target: NetnsRef): void {
  const operation = `netns attach ${describe(name)}`;
  netnsPath(name);
  using ns = openNetnsRef(target, operation);
  pin(name, operation, (file) => mount(`/proc/thread-self/fd/${ns.fd}`, file, 'none', MS_BIND, null));
}

/**
 * Names of the namespaces under /run/netns, in directory order like
 * `ip netns list` (an empty list when the directory does not exist).
 */
export function list(): string[] {
  let run: DirFd;
  try {
    run = openDir(NETNS_RUN_DIR);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw NetnsError.from(err, 'netns list', openProblem(err, NETNS_RUN_DIR));
  }
  const names: string[] = [];
  try {
    const dir = opendirSync(`/proc/self/fd/${run.fd}`);
    try {
      for (let e = dir.readSync(); e !== null; e = dir.readSync()) names.push(e.name);
    } finally {
      dir.closeSync();
    }
  } catch (err) {
    throw NetnsError.from(err, 'netns list', `cannot read ${NETNS_RUN_DIR}`);
  } finally {
    run.close();
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
    if (errorCode(err) === 'ENOENT') return false;
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
  const operation = `netns delete ${describe(name)}`;
  using dir = openRunDir(operation, `no network namespace named "${name}"`);
  // Never through a link: a name that is a symbolic link is unlinked, what it points to left alone.
  try { umount2(dir.at(name), MNT_DETACH | UMOUNT_NOFOLLOW); } catch { /* ip ignores this too: a stale file has no mount */ }
  try {
    unlinkSync(dir.at(name));
  } catch (err) {
    const code = errorCode(err);
    throw NetnsError.from(err, operation, code === 'ENOENT' ? `no network namespace named "${name}"` : `cannot remove ${file}`);
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

/** The namespace's identity: the device and inode of its nsfs file. */
function identity(target: NetnsRef, operation: string): { ino: bigint; dev: bigint } {
  using ns = openNetnsRef(target, operation);
  const { ino, dev } = fstatSync(ns.fd, { bigint: true });
  return { ino, dev };
}

/** The names under which this namespace is known, like `ip netns identify PID`. */
export function identify(target: NetnsRef): string[] {
  const { ino, dev } = identity(target, 'netns identify');
  return list().filter((name) => {
    try {
      // lstat: a name that is a link to the namespace is not one of its names.
      const st = lstatSync(`${NETNS_RUN_DIR}/${name}`, { bigint: true });
      return st.ino === ino && st.dev === dev;
    } catch {
      return false;
    }
  });
}

/**
 * The processes in this namespace, like `ip netns pids NAME`: every
 * /proc/PID whose ns/net is it, in /proc's order. Processes this one may not
 * look at (another user's, without root) are not listed; neither are its
 * threads' own namespaces (a thread that entered one with setns).
 */
export function pids(target: NetnsRef): number[] {
  const { ino, dev } = identity(target, 'netns pids');
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    // Only the numeric entries are processes; nothing else from /proc becomes a path.
    if (!/^[1-9]\d*$/.test(entry)) continue;
    try {
      const st = statSync(`/proc/${entry}/ns/net`, { bigint: true });
      if (st.ino === ino && st.dev === dev) out.push(Number(entry));
    } catch {
      // Gone since the directory was read, or not ours to look at.
    }
  }
  return out;
}
