// A failed command, told in the user's words: the command as it was typed
// (`link set dev v0 down`), then what went wrong, with the kernel's own
// extended-ack text. The library's errors name what it sent (`link set 4`,
// ifindexes, handles as numbers); the command line knows what the user wrote,
// so it restates the failure here instead of changing the library's errors.
// Exit statuses follow ip: 1 for a name that does not exist ("Cannot find
// device"), 2 for what the kernel refused ("RTNETLINK answers"), 255 for
// words it cannot use.
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { OsError } from '../ffi/os-error.js';
import { UsageError } from './args.js';

export const EXIT_USAGE = 255; // main.ts: no object at all
export const EXIT_KERNEL = 2;
export const EXIT_FAILED = 1;

export interface Failure { message: string; status: number }

/** How the CLI reports `err`, raised by the command `typed` (the words after the options); undefined: not ours to report. */
export function describeFailure(err: unknown, typed: readonly string[]): Failure | undefined {
  const command = typed.join(' ');
  const said = (problem: string): string => (command ? `${command}: ${problem}` : problem);
  if (err instanceof UsageError) return { message: err.message, status: err.status };
  if (err instanceof NetlinkError) {
    // A device looked up by name (`link show v0`, which every verb taking a name does first) that is not there.
    const lookup = /^link (?:show|get) (\S+)$/.exec(err.operation);
    if (err.code === 'ENODEV' && lookup) return { message: said(`Cannot find device "${lookup[1]}"`), status: EXIT_FAILED };
    const problem = err.message.startsWith(`${err.operation}: `) ? err.message.slice(err.operation.length + 2) : err.message;
    return { message: said(problem), status: EXIT_KERNEL };
  }
  if (err instanceof EncodeError) {
    const problem = err.path && err.message.startsWith(`${err.path}: `) ? err.message.slice(err.path.length + 2) : err.message;
    const missing = /there is no interface named "([^"]*)"/.exec(problem);
    if (missing) return { message: said(`Cannot find device "${missing[1]}"`), status: EXIT_FAILED };
    // ip stops on a word it cannot read (an inet prefix, a name) with status 1.
    return { message: said(err.message), status: EXIT_FAILED };
  }
  if (err instanceof OsError) return { message: said(err.message), status: EXIT_FAILED };
  return undefined;
}
