// An nfnetlink transaction: NFNL_MSG_BATCH_BEGIN, the messages, and
// NFNL_MSG_BATCH_END in one datagram, with the batch's res_id naming the
// subsystem it is for. The kernel applies it all or nothing (nftables is
// the subsystem that supports batches; others refuse BEGIN with
// EOPNOTSUPP), answers every message that asks for an ACK, and reports a
// refusal of the whole batch (a malformed batch, a stale generation id, a
// failed commit) against BATCH_BEGIN. Each error is mapped back to the
// message that caused it (docs/netfilter.md).
import { NFNL_BATCH_GENID, NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END } from '../generated/linux/netfilter/nfnetlink.js';
import { NLM_F_REQUEST } from '../generated/linux/netlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { checkInt } from '../netlink/ints.js';
import type { Request } from '../netlink/request.js';
import { NetlinkWriter } from '../netlink/writer.js';
import type { EncodedBatch } from '../socket/netlink-socket.js';
import { NFGENMSG_LEN, writeNfgenmsg } from './header.js';

/** How a transaction is sent: the ruleset generation it must apply to (genId), if any. */
export interface TransactionOptions {
  /**
   * The generation id the messages were computed against (nftables'
   * NFT_MSG_GETGEN): the kernel refuses the batch (ERESTART) when the
   * ruleset changed since. Absent: no check.
   */
  genId?: number;
}

/** What a transaction got back: whether it was applied, the errors, and the replies by message. */
export interface TransactionResult<T> {
  /** True when the kernel applied the batch (no message and no framing failed). */
  ok: boolean;
  /** One NetlinkError per failed message; `index` is the message's index in the list given (-1: the batch as a whole). */
  errors: NetlinkError[];
  /** Replies by message index (messages that produced data, e.g. with NLM_F_ECHO). */
  replies: T[][];
}

/** The batch's bytes: BEGIN, the messages (encoded here, so bad input fails before anything is sent), END. */
export function encodeTransaction(subsys: number, reqs: readonly Request[], opts: TransactionOptions = {}): EncodedBatch {
  if (!Array.isArray(reqs) || reqs.length === 0) throw new EncodeError('transaction', `expected a non-empty list of messages, got ${describe(reqs)}`);
  const genId = opts.genId === undefined ? undefined : Number(checkInt('u32', opts.genId, 'transaction.genId'));
  const w = new NetlinkWriter(4096);
  const starts: number[] = [];
  const frame = (type: number, withGen: boolean): void => {
    starts.push(w.length);
    const at = w.beginMessage(type, NLM_F_REQUEST);
    writeNfgenmsg(w, 0, subsys);
    if (withGen && genId !== undefined) w.attrInt(NFNL_BATCH_GENID, 'be32', genId, 'transaction.genId');
    w.endMessage(at);
  };
  frame(NFNL_MSG_BATCH_BEGIN, true);
  reqs.forEach((req, i) => {
    starts.push(w.length);
    const at = w.beginMessage(req.type, NLM_F_REQUEST | (req.flags ?? 0));
    try {
      if (req.body) req.body(w);
      else if (req.payload) w.bytes(req.payload);
    } catch (err) {
      if (err instanceof EncodeError) {
        const named = new EncodeError(`transaction[${i}]${err.path ? `.${err.path}` : ''}`, '');
        named.message = `${req.operation ?? `message ${i}`}: ${err.message}`;
        throw named;
      }
      throw err;
    }
    w.endMessage(at);
  });
  frame(NFNL_MSG_BATCH_END, false);
  starts.push(w.length);
  return {
    buf: w.view(), starts, count: reqs.length + 2, transaction: true,
    expectsReply: (i) => i > 0 && i <= reqs.length && (reqs[i - 1]!.expectReply ?? false),
    describe: (i) => i === 0 || i > reqs.length
      ? { operation: `nfnetlink batch of ${reqs.length} message${reqs.length === 1 ? '' : 's'}`, headerSize: NFGENMSG_LEN }
      : { operation: reqs[i - 1]!.operation ?? `message ${i - 1}`, headerSize: reqs[i - 1]!.headerSize },
  };
}

/** Maps the socket's per-request answers (framing included) to the caller's message indexes. */
export function transactionResult<T>(count: number, r: { errors: NetlinkError[]; replies: T[][] }): TransactionResult<T> {
  for (const e of r.errors) {
    const i = e.index ?? 0;
    (e as { index?: number }).index = i === 0 || i > count ? -1 : i - 1;
  }
  return { ok: r.errors.length === 0, errors: r.errors, replies: r.replies.slice(1, count + 1) };
}
