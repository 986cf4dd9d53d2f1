// A failed namespace operation: the errno of the system call that failed
// (so `code` is 'ENOENT', 'EPERM'...) with a message that names the
// namespace, the step and the likely cause.
import { OsError } from '../ffi/os-error.js';
import { errnoMessage, errnoName } from '../netlink/errno.js';

const HINTS: Record<string, string> = {
  EPERM: 'this needs root (CAP_SYS_ADMIN)',
  EACCES: 'this needs root (write access to the namespace directory, CAP_SYS_ADMIN)',
};

export class NetnsError extends OsError {
  /** What was being done, e.g. `netns add "blue"`. */
  readonly operation: string;
  /** What went wrong, in words, e.g. `no network namespace named "blue"`. */
  readonly problem: string;

  constructor(operation: string, syscall: string, errno: number, problem: string) {
    super(syscall, errno);
    this.problem = problem;
    const code = errnoName(errno);
    const hint = HINTS[code];
    this.name = 'NetnsError';
    this.operation = operation;
    this.message = `${operation}: ${problem}: ${code} (${errnoMessage(errno)})${hint ? `; ${hint}` : ''}`;
  }

  /**
   * Wraps an error thrown by fs or the ffi layer; a NetnsError keeps its
   * problem and takes the new operation; anything else is returned unchanged.
   */
  static from(err: unknown, operation: string, problem: string): unknown {
    if (err instanceof NetnsError) return err.operation === operation ? err : new NetnsError(operation, err.syscall, err.errno, err.problem);
    const e = err as { errno?: unknown; code?: unknown; syscall?: unknown };
    if (typeof e?.errno !== 'number' || typeof e.code !== 'string') return err;
    return new NetnsError(operation, typeof e.syscall === 'string' ? e.syscall : 'unknown', Math.abs(e.errno), problem);
  }
}
