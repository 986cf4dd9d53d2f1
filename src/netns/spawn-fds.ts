// Closing what a spawn that ran out of file descriptors leaves open.
//
// When uv_spawn fails with EMFILE or ENFILE part way (some stdio socketpairs
// made, then no fd left), libuv still opens the parent's ends of the pairs it
// made into the Pipe handles Node gave it, and Node — "no point in continuing"
// — returns before it wires those handles to the ChildProcess. Nobody holds
// them any more and nobody closes them: each failed spawn loses up to one fd
// per 'pipe'. Measured on Node 20 with four fds left: one AF_UNIX socket
// more after every failed exec.
//
// So around a spawn we note which fds were open, and when it fails that way
// we close the AF_UNIX sockets that appeared meanwhile. The spawn call is
// synchronous, so nothing else on this thread opened anything in between;
// another thread (a Worker) would have to create an AF_UNIX socket in that
// same millisecond, while fds are exhausted, for one of its own to be taken.
import { readdirSync, readlinkSync } from 'node:fs';
import { close, getsockopt } from '../ffi/libc.js';
import { SOL_SOCKET, SO_DOMAIN } from '../generated/asm-generic/socket.js';
import { AF_UNIX } from '../generated/libc/socket.js';

/** The fds open now; undefined when not even one more can be opened to list them (then a spawn cannot leak any). */
export function openFds(): Set<number> | undefined {
  let listed: number[];
  try {
    listed = readdirSync('/proc/self/fd').map(Number);
  } catch {
    return undefined;
  }
  // The listing holds the fd it was read through, closed again by now.
  return new Set(listed.filter((fd) => {
    try { readlinkSync(`/proc/self/fd/${fd}`); return true; } catch { return false; }
  }));
}

function isUnixSocket(fd: number): boolean {
  try {
    if (!readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) return false;
    const v = Buffer.alloc(4);
    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, v);
    return v.readInt32LE() === AF_UNIX;
  } catch {
    return false;
  }
}

/** Whether a ChildProcess without a pid failed with EMFILE/ENFILE: only then does Node leave its stdio unset. */
export function outOfFds(child: { stdio?: unknown }): boolean {
  return child.stdio === undefined || child.stdio === null;
}

/**
 * After a spawn with `pipes` stdio pipes failed with EMFILE/ENFILE: closes
 * the socketpair ends it left behind. New fds take the lowest free numbers,
 * so they lie below the highest open before plus the few the spawn made;
 * each number is looked at with readlink, which needs no fd (none may be left).
 */
export function closeOrphanedPipes(before: Set<number> | undefined, pipes: number): void {
  if (before === undefined) return;
  const top = [...before].reduce((a, b) => Math.max(a, b), -1) + 2 * pipes + 8;
  for (let fd = 0; fd <= top; fd++) {
    if (!before.has(fd) && isUnixSocket(fd)) {
      try { close(fd); } catch { /* gone already */ }
    }
  }
}
