// A socket seen through a set of request options: every request made through
// the view carries them (how `nl.with({ signal, timeoutMs })` reaches every
// verb without a trailing options argument on each).
import type { Requester } from './netlink-socket.js';
import { type RequestOptions, checkRequestOptions } from './request-options.js';

/** Every request made through the result carries `extra`; options given to a call add to them (its timeoutMs wins, either signal aborts). */
export function withRequestOptions(sock: Requester, extra: RequestOptions): Requester {
  const base = checkRequestOptions(extra, 'options');
  const merge = <O extends RequestOptions>(opts: O | undefined): O => {
    const own = checkRequestOptions(opts);
    return { ...opts, timeoutMs: own.timeoutMs ?? base.timeoutMs, signal: eitherSignal(base.signal, own.signal) } as O;
  };
  return {
    request: (req, decode, opts) => sock.request(req, decode, merge(opts)),
    dump: (req, decode, opts) => sock.dump(req, decode, merge(opts)),
    dumpStream: (req, decode, opts) => sock.dumpStream(req, decode, merge(opts)),
    batch: (reqs, opts, decode) => sock.batch(reqs, merge(opts), decode),
    batchEncoded: (enc, opts, decode) => sock.batchEncoded(enc, merge(opts), decode),
  };
}

/** A signal that aborts when either does. */
function eitherSignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a || !b) return a ?? b;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  // Node 20.0-20.2 lack AbortSignal.any.
  const c = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) c.abort(s.reason);
    else s.addEventListener('abort', () => c.abort(s.reason), { once: true });
  }
  return c.signal;
}
