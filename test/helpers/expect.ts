// Assertions on what bad input and refusals throw.
import * as assert from 'uvu/assert';
import { encodeError } from './wire.js';

/** The call throws an EncodeError at `path` (its message matching `text`). */
export function throwsAt(fn: () => unknown, path: string, text?: RegExp): void {
  const e = encodeError(fn);
  assert.is(e.path, path, e.message);
  if (text) assert.match(e.message, text);
}

/** The call rejects, and `ok` accepts what it rejected with. */
export async function rejects(fn: () => Promise<unknown>, ok: (e: Error & Record<string, unknown>) => boolean): Promise<void> {
  const err = await fn().then(() => undefined, (e: unknown) => e as Error);
  if (err === undefined) assert.unreachable('expected a rejection');
  assert.ok(ok(err as Error & Record<string, unknown>), String(err));
}
