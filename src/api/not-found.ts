// Deleting what is not there: the kernel answers ENOENT (or ESRCH) without an
// explanation, so the error says what was missing. It stays a NetlinkError
// with the kernel's errno and code, for callers that test `err.code`.
import { NetlinkError } from '../netlink/errors.js';

const ABSENT = new Set(['ENOENT', 'ESRCH', 'EADDRNOTAVAIL']);

/** Runs a delete; an "absent" errno comes back as a NetlinkError that names the missing object. */
export async function deleting<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof NetlinkError && ABSENT.has(err.code) && !err.extack?.message) {
      throw new NetlinkError({
        errno: err.errno, operation: err.operation, seq: err.seq, extack: err.extack, index: err.index,
        detail: `there is no such ${what}`,
      });
    }
    throw err;
  }
}
