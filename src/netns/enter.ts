// Running a synchronous step inside another network namespace. setns() moves
// only the calling thread, and a socket stays in the namespace it was made in,
// so the step is: setns(target) → fn() → setns(back), with no await between
// (docs/architecture.md). libuv threadpool threads never see the target namespace: no
// async call can start while we are away, because fn is synchronous.
//
// One trap remains: libuv creates its threadpool on the first async call, on
// whichever thread makes it, and new threads inherit that thread's namespace.
// Should fn start async work (fs.readFile with a callback, say) while the pool
// does not exist yet, every pool thread would be born — and stay — in the
// target namespace. So the pool is created ("warmed") before the first switch.
import { errorMessage } from '../netlink/errno.js';
import { access, closeSync, openSync } from 'node:fs';
import { setns, unshare } from '../ffi/libc.js';
import { checkFd } from '../ffi/validate.js';
import { describe } from '../netlink/describe.js';
import { CLONE_NEWNET } from '../generated/linux/sched.js';
import { EncodeError } from '../netlink/errors.js';
import { NetnsError } from './errors.js';

let homeFd: number | undefined;
/** The namespace this thread is in while inside inNetns (undefined: home); nested calls return to it. */
let current: number | undefined;

/** Makes libuv start its threadpool now, on this thread, while it is still at home. */
function warmThreadpool(): void {
  access('/', () => {});
}

/** The namespace this thread started in, held open so we can always return to it. */
function home(): number {
  if (homeFd === undefined) {
    warmThreadpool();
    homeFd = openSync('/proc/thread-self/ns/net', 'r');
  }
  return homeFd;
}

/**
 * move() switches this thread (and throws, having changed nothing, when it
 * cannot); from then on the thread is brought back whatever happens, even
 * if target() — which names the namespace nested calls return to — fails.
 */
function away<T>(move: () => void, target: () => number, fn: () => T): T {
  const back = current ?? home();
  const outer = current;
  move();
  let result: T;
  try {
    current = target();
    result = fn();
  } finally {
    current = outer;
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

/** Checks that fn is a function before any namespace is entered. */
export function checkStep(fn: unknown, path = 'fn'): void {
  if (typeof fn !== 'function') throw new EncodeError(path, `expected a function, got ${describe(fn)}`);
}

/** Runs fn with this thread inside the network namespace behind nsFd, then returns. */
export function inNetns<T>(nsFd: number, fn: () => T): T {
  try { checkFd('fd', nsFd); } catch (err) { throw new EncodeError('fd', errorMessage(err)); }
  checkStep(fn);
  return away(() => {
    try { setns(nsFd, CLONE_NEWNET); } catch (err) { throw NetnsError.from(err, 'netns enter', 'cannot enter the network namespace'); }
  }, () => nsFd, fn);
}

/**
 * Runs fn with this thread inside a brand-new network namespace, then returns.
 * fn gets an fd on the new namespace (closed afterwards). The namespace
 * outlives the call only if fn pins it: a bind mount of
 * /proc/thread-self/ns/net, another open fd, a socket made in it.
 */
export function inNewNetns<T>(fn: (nsFd: number) => T): T {
  checkStep(fn);
  let fd = -1;
  const move = (): void => {
    try { unshare(CLONE_NEWNET); } catch (err) { throw NetnsError.from(err, 'netns create', 'cannot create a network namespace'); }
  };
  try {
    // The fd doubles as the place a nested inNetns call returns to.
    return away(move, () => (fd = openSync('/proc/thread-self/ns/net', 'r')), () => fn(fd));
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Opens a namespace file (/run/netns/NAME, /proc/PID/ns/net) as an fd; the caller closes it. */
export function openNetns(path: string): number {
  return openSync(path, 'r');
}

export function closeNetns(fd: number): void {
  closeSync(fd);
}
