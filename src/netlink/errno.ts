// errno numbers and names. The names come from Node's own errno table
// (os.constants.errno), so no kernel number is typed by hand here. Kept in
// the protocol core: netlink errors, socket options and system-call errors
// all name errnos (docs/architecture.md).
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

const nameByErrno = new Map<number, string>();
// Where two names share a number, the first one in Node's table is the
// canonical Linux name (EAGAIN before EWOULDBLOCK, EDEADLK before EDEADLOCK),
// except ENOTSUP, which Linux itself spells EOPNOTSUPP.
for (const [name, value] of Object.entries(constants.errno)) {
  if (!nameByErrno.has(value) || name === 'EOPNOTSUPP') nameByErrno.set(value, name);
}
// Kernel-internal codes that still leak through netlink replies, and
// ERESTART, which Node's table lacks (nfnetlink refuses a batch made for a
// stale ruleset generation with it).
const kernelOnly: Record<number, [string, string]> = {
  85: ['ERESTART', 'interrupted system call should be restarted'],
  512: ['ERESTARTSYS', 'restart system call'],
  524: ['ENOTSUPP', 'operation is not supported'],
  525: ['ETOOSMALL', 'buffer or request is too small'],
};

const messages = getSystemErrorMap();

/** The symbolic name of a positive errno value, e.g. 17 → 'EEXIST'. */
export function errnoName(errno: number): string {
  return nameByErrno.get(errno) ?? kernelOnly[errno]?.[0] ?? `E${errno}`;
}

/** A short human description of a positive errno value. */
export function errnoMessage(errno: number): string {
  return messages.get(-errno)?.[1] ?? kernelOnly[errno]?.[1] ?? `error ${errno}`;
}

/** The positive errno for a symbolic name, or undefined. */
export function errnoByName(name: string): number | undefined {
  return (constants.errno as Record<string, number>)[name];
}

/** The `code` of an error (an errno name such as 'ENOENT'), if it has one: no cast to NodeJS.ErrnoException needed. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** An error's message (a thrown non-Error as text). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
