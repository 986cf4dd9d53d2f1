// errno as a JavaScript error. The names come from Node's own errno table
// (os.constants.errno), so no kernel number is typed by hand here.
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

const nameByErrno = new Map<number, string>();
// Where two names share a number, the first one in Node's table is the
// canonical Linux name (EAGAIN before EWOULDBLOCK, EDEADLK before EDEADLOCK),
// except ENOTSUP, which Linux itself spells EOPNOTSUPP.
for (const [name, value] of Object.entries(constants.errno)) {
  if (!nameByErrno.has(value) || name === 'EOPNOTSUPP') nameByErrno.set(value, name);
}
// Kernel-internal codes that still leak through netlink replies.
const kernelOnly: Record<number, [string, string]> = {
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

/** A failed system call: carries the errno number and name like Node's own errors. */
export class OsError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;

  constructor(syscall: string, errno: number, detail?: string) {
    super(`${syscall}: ${errnoName(errno)} (${errnoMessage(errno)})${detail ? `: ${detail}` : ''}`);
    this.name = 'OsError';
    this.errno = errno;
    this.code = errnoName(errno);
    this.syscall = syscall;
  }
}

/** Converts an error thrown by Node's fs functions into an OsError (keeps others). */
export function fromNodeError(syscall: string, err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.errno === 'number' && typeof e.code === 'string') {
    return new OsError(syscall, Math.abs(e.errno));
  }
  return err;
}
