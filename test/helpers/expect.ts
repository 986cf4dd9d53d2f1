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

/** The call throws an instance of `kind` whose message matches `text`. */
export function throwsWith(fn: () => unknown, kind: abstract new (...args: never[]) => Error, text: RegExp): void {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  if (err === undefined) assert.unreachable(`expected a ${kind.name} matching ${text}`);
  assert.instance(err, kind);
  assert.match((err as Error).message, text);
}
