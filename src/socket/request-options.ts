// How long a request may wait, and how to call it off: the options every
// Promise-returning request, dump and batch takes, their checks, the errors
// that end a wait, and the guard that runs the wait.
//
// Why a timeout exists at all: an answer the socket cannot match (its
// sequence number or port id corrupted, a datagram cut short before the
// header) is set aside, and nothing else will ever end the exchange. Without
// a bound, such a request waits forever.
import { describe } from '../netlink/describe.js';
import { errnoByName } from '../netlink/errno.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';

/** Per-request options: a time limit and an AbortSignal. */
export interface RequestOptions {
  /**
   * Calls the request off: it rejects with an AbortError (`name`
   * 'AbortError', `code` 'ABORT_ERR', `cause` the signal's reason), as
   * Node's own APIs do. Already aborted: nothing is sent.
   */
  signal?: AbortSignal;
  /**
   * How long the socket waits for the kernel's next answer to this
   * exchange (a request's ACK, a dump's next datagram, a batch's answers)
   * before it gives up with NetlinkError ETIMEDOUT. Answers it cannot match
   * do not count as progress. Time spent by the caller between the parts of
   * a dumpStream, or waiting for the socket's turn behind other requests,
   * does not count. Infinity: no limit. Default: the socket's (30,000 ms).
   */
  timeoutMs?: number;
}

/** What a client waits for an answer unless told otherwise. rtnetlink answers inside the send; this is a safety net. */
export const DEFAULT_TIMEOUT_MS = 30_000;

const ETIMEDOUT = errnoByName('ETIMEDOUT')!;
const MAX_TIMER_MS = 0x7fffffff;

/** Node's AbortError, which Node does not export: `err.name === 'AbortError'` is how callers tell an abort. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

/** Checks the options a caller passed (a wrong type would otherwise fail later, or never). */
export function checkRequestOptions(opts: unknown, path = 'options'): RequestOptions {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object') throw new EncodeError(path, `expected an object, got ${describe(opts)}`);
  const { signal, timeoutMs } = opts as Record<string, unknown>;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new EncodeError(`${path}.signal`, `expected an AbortSignal, got ${describe(signal)}`);
  }
  // Node's timers take at most 2^31-1 ms and fire at once for more.
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs <= 0 || (timeoutMs > MAX_TIMER_MS && timeoutMs !== Infinity))) {
    throw new EncodeError(`${path}.timeoutMs`, `expected a positive number of milliseconds up to ${MAX_TIMER_MS} (or Infinity for no limit), got ${describe(timeoutMs)}`);
  }
  return opts as RequestOptions;
}

/**
 * The waits of one exchange, bounded by its signals and its timeout. The
 * timeout runs only while the exchange waits for the kernel, and starts over
 * when an answer of the exchange arrives (`progress` changes).
 */
export class WaitGuard {
  private progress = -1;
  private since = 0;
  /** What a timeout names: set once the exchange has started. */
  about: () => { operation: string; seq?: number } = () => ({ operation: 'request' });

  constructor(
    private readonly signals: readonly (AbortSignal | undefined)[],
    readonly timeoutMs: number,
  ) {}

  /** Throws the AbortError of the first aborted signal. */
  throwIfAborted(): void {
    for (const s of this.signals) if (s?.aborted) throw abortError(s);
  }

  /**
   * Waits for `p`; if a signal aborts first, or (for a wait on the kernel,
   * `progress` given) the timeout passes with no progress, calls `cancel`
   * (which must stop whatever `p` waits on) and rejects. `progress` counts
   * the exchange's answers so far; without it (waiting for the socket's
   * turn) only the signals apply.
   */
  wait<T>(p: Promise<T>, cancel: () => void, progress?: number): Promise<T> {
    const now = Date.now();
    const timed = progress !== undefined && Number.isFinite(this.timeoutMs);
    if (progress !== undefined && progress !== this.progress) {
      this.progress = progress;
      this.since = now;
    }
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const listening: AbortSignal[] = [];
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        for (const s of listening) s.removeEventListener('abort', onAbort);
      };
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        cleanup();
        cancel();
        reject(err);
      };
      function onAbort(this: AbortSignal): void { fail(abortError(this)); }
      for (const s of this.signals) {
        if (!s) continue;
        if (s.aborted) { fail(abortError(s)); return; }
        s.addEventListener('abort', onAbort, { once: true });
        listening.push(s);
      }
      if (timed) {
        timer = setTimeout(() => fail(this.timeoutError()), Math.max(0, this.since + this.timeoutMs - now));
      }
      p.then(
        (v) => { if (!settled) { settled = true; cleanup(); resolve(v); } },
        (e: unknown) => { if (!settled) { settled = true; cleanup(); reject(e); } },
      );
    });
  }

  private timeoutError(): NetlinkError {
    const { operation, seq } = this.about();
    return new NetlinkError({
      errno: ETIMEDOUT, operation, seq,
      detail: `no answer from the kernel for ${this.timeoutMs} ms; a change may have been applied all the same, and a late answer is set aside`,
    });
  }
}

function abortError(signal: AbortSignal): AbortError {
  return new AbortError(undefined, { cause: signal.reason });
}
