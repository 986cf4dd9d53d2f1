// Running a synchronous step inside another network namespace. setns() moves
// only the calling thread, and a socket stays in the namespace it was made in,
// so the step is: setns(target) → fn() → setns(home), with no await between
// (DESIGN.md). libuv threadpool threads never see the target namespace: no
// async call can start while we are away, because fn is synchronous.
import { closeSync, openSync } from 'node:fs';
import { setns } from '../ffi/libc.js';
import { CLONE_NEWNET } from '../generated/linux/sched.js';

let homeFd: number | undefined;

/** The namespace this thread started in, held open so we can always return to it. */
function home(): number {
  homeFd ??= openSync('/proc/thread-self/ns/net', 'r');
  return homeFd;
}

/** Runs fn with this thread inside the network namespace behind nsFd, then returns home. */
export function inNetns<T>(nsFd: number, fn: () => T): T {
  const back = home();
  setns(nsFd, CLONE_NEWNET);
  let result: T;
  try {
    result = fn();
  } finally {
    try {
      setns(back, CLONE_NEWNET);
    } catch (err) {
      // Staying in the wrong namespace would silently misdirect every later call.
      process.emitWarning(`netlink-ts: could not return to the original network namespace: ${String(err)}`);
      throw err;
    }
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    throw new TypeError('inNetns takes a synchronous function: awaiting inside another namespace would leak it to other work');
  }
  return result;
}

/** Opens a namespace file (/run/netns/NAME, /proc/PID/ns/net) as an fd; the caller closes it. */
export function openNetns(path: string): number {
  return openSync(path, 'r');
}

export function closeNetns(fd: number): void {
  closeSync(fd);
}
