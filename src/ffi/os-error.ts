// errno as a JavaScript error, named through the protocol core's errno table.
import { errnoMessage, errnoName } from '../netlink/errno.js';

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
  if (typeof err === 'object' && err !== null && 'errno' in err && typeof err.errno === 'number' && 'code' in err && typeof err.code === 'string') {
    return new OsError(syscall, Math.abs(err.errno));
  }
  return err;
}
