// The backend's side of the batch contract (backend.ts): a batch that fails
// part way throws an error whose `index` is the item that failed; the items
// before it took effect, it and the ones after did not.
//
// Requests go out with nl.socket.batch in 'stop' mode: the kernel carries on
// through a datagram after an error, so packing many requests per datagram
// would let items after a failure take effect. One round trip per request
// costs ~12 µs here, against milliseconds for the kernel work of a lab.
import type { Rtnl } from '../../client.js';
import type { Request } from '../../netlink/request.js';
import { messageOf } from '../errors.js';

/** Item `index` of a batch failed; `cause` says why. */
export class BatchItemError extends Error {
  readonly index: number;
  /** The cause's errno name ('EEXIST', 'ENOENT'...), when it has one. */
  readonly code: string | undefined;
  constructor(index: number, cause: unknown) {
    super(messageOf(cause), { cause });
    this.name = 'BatchItemError';
    this.index = index;
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

export interface SendOptions {
  /** Rewrites a kernel error of an item (to name a missing qdisc kind, say). */
  explain?: (err: unknown, index: number) => unknown;
  /**
   * Takes back what a failed item did before its failing request (an item of
   * several requests: a link and its alias, a qdisc and its classes).
   */
  undoPartial?: (index: number) => Promise<unknown>;
}

/** Sends each item's requests, in order, as one batch on nl's socket. */
export async function sendItems(nl: Rtnl, items: Request[][], opts: SendOptions = {}): Promise<void> {
  const reqs = items.flat();
  if (reqs.length === 0) return;
  const owner: number[] = [];
  const first: number[] = [];
  items.forEach((rs, i) => {
    first.push(owner.length);
    for (let k = 0; k < rs.length; k++) owner.push(i);
  });
  const r = await nl.socket.batch(reqs, { onError: 'stop' });
  const err = r.errors[0];
  if (!err) return;
  const at = err.index ?? 0;
  const item = owner[at] ?? 0;
  if (at !== first[item] && opts.undoPartial) await opts.undoPartial(item).catch(() => undefined);
  throw new BatchItemError(item, opts.explain ? opts.explain(err, item) : err);
}

/** Runs fn on each item in order; the first failure is thrown with its item's index. */
export async function eachItem<T>(items: readonly T[], fn: (item: T, index: number) => unknown): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    try {
      await fn(items[i]!, i);
    } catch (err) {
      throw new BatchItemError(i, err);
    }
  }
}
