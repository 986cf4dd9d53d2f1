// One netlink socket: requests matched to replies by sequence number and port
// id, dumps (whole or streamed), pipelined batches, multicast messages.
//
// Waiting: rtnetlink handles a request inside the sendmsg call, so its
// replies are queued by the time write() returns, and the next part of a dump
// is produced inside the read that takes the previous one. The synchronous
// path therefore never waits: it reads what is queued. Should a reply not be
// queued yet (other protocols), the Promise path waits for it through an
// epoll-driven watch (fd-watch.ts) and the synchronous path reports EAGAIN.
import { errorCode } from '../netlink/errno.js';
import {
  NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN,
  NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST,
} from '../generated/linux/netlink.js';
import { type AckInfo, decodeDone, decodeError, locateAttribute } from '../netlink/ack.js';
import { type DecodeIssue, EncodeError, NetlinkError } from '../netlink/errors.js';
import { forEachMessage } from '../netlink/reader.js';
import { NLMSG_HDRLEN, NetlinkWriter, align4 } from '../netlink/writer.js';
import { OsError } from '../ffi/os-error.js';
import { errnoByName } from '../netlink/errno.js';
import { type KernelSocketOptions, KernelTransport } from './kernel-transport.js';
import { type NlMessage, rawMessage } from './messages.js';
import type { Decoder, Request } from '../netlink/request.js';
import { DEFAULT_TIMEOUT_MS, type RequestOptions, WaitGuard, checkRequestOptions } from './request-options.js';
import type { Transport, Watch } from './transport.js';

/**
 * `timeoutMs` and `signal` here are the defaults of every request on the
 * socket (see RequestOptions): a request's own timeoutMs replaces the
 * default, and either signal calls it off.
 */
export interface SocketOptions extends KernelSocketOptions, RequestOptions {
  /** Use this transport instead of opening a kernel socket (tests, fault injection). */
  transport?: Transport;
  /**
   * Bytes read per datagram. A datagram larger than this would be cut short
   * by the kernel; dumps come in datagrams of at most 32 KiB, single replies
   * are smaller than this except in extreme cases. Default 256 KiB.
   */
  readBufferSize?: number;
  /** Largest datagram a batch packs requests into. Default 64 KiB. */
  maxDatagramSize?: number;
}

/** How a batch of requests is sent: what happens on an error, which requests ask for an ACK, how many go per datagram. */
export interface BatchOptions extends RequestOptions {
  /**
   * 'continue' (default): send everything, packed many to a datagram, and
   * collect every error. 'stop': stop at the first error, so exactly the
   * requests before it are applied; this needs one round trip per request,
   * since the kernel carries on through a datagram after an error.
   */
  onError?: 'continue' | 'stop';
  /** Ask every request for an ACK (default: only the last of each datagram; errors are always reported). */
  ackEach?: boolean;
  /**
   * Most requests per datagram, whose answers wait in the receive buffer
   * until read. Default 1024; fewer when the datagram or the receive buffer
   * cannot hold that many.
   */
  window?: number;
  /**
   * When the receive buffer cannot hold the answers to a full window:
   * 'raise' (default) asks for a bigger one (SO_RCVBUFFORCE, which needs
   * root; otherwise capped by net.core.rmem_max), 'keep' sends fewer
   * requests per datagram instead. Either way nothing overflows it.
   */
  receiveBuffer?: 'raise' | 'keep';
}

/**
 * Requests already encoded back to back in one buffer, each with its
 * nlmsghdr (the socket fills in sequence numbers and ACK flags): how typed
 * batches hand many requests over without a closure per request.
 */
export interface EncodedBatch {
  readonly buf: Buffer;
  /** Message i is buf[starts[i], starts[i + 1]). */
  readonly starts: ArrayLike<number>;
  readonly count: number;
  /** Whether data messages answering request i are its replies (GET, ECHO). Default: none are. */
  expectsReply?(index: number): boolean;
  /** How errors name request i, and the size of its family header (to trace extack offsets to attributes). */
  describe(index: number): { operation: string; headerSize?: number };
  /**
   * An nfnetlink transaction (src/nfnetlink/transaction.ts): the first and
   * last messages are its BATCH_BEGIN / BATCH_END framing. Everything goes
   * in one datagram (the kernel applies a batch per datagram), the framing
   * asks for no ACK (kernels before 6.10 never answer BATCH_END), every
   * message between asks for one, and an error answering BATCH_BEGIN ends
   * the exchange: it is how the kernel refuses the whole batch (or its
   * commit), after which nothing else may be answered.
   */
  transaction?: boolean;
}

/** What a batch of requests got back: how many were sent, the errors, the replies. */
export interface BatchResult<T> {
  /** Requests sent (in 'stop' mode, up to and including the failed one). */
  sent: number;
  /** One NetlinkError per failed request, in order, each with its `index`. */
  errors: NetlinkError[];
  /** Replies by request index (only requests that produced data, e.g. with NLM_F_ECHO). */
  replies: T[][];
}

/** Options of a dump request. */
export interface DumpOptions extends RequestOptions {
  /** Restarts of a dump the kernel marked inconsistent (NLM_F_DUMP_INTR) before giving up. Default 3. */
  retries?: number;
}

/** A multicast message, or a note that the kernel dropped some. */
export type SocketEvent<T> = { kind: 'message'; value: T } | { kind: 'overrun'; error: Error; lost?: number };

const DEFAULT_READ_BUFFER = 256 * 1024;
/** How many datagrams an events() reader takes between reads of the drop counter while it has not caught up. */
const DROP_CHECK_EVERY = 1024;
const ENOBUFS = errnoByName('ENOBUFS')!;
const DEFAULT_MAX_DATAGRAM = 64 * 1024;
/**
 * What one answer costs the receive buffer (the skb's truesize, not its
 * bytes): measured ~830 bytes for a plain ACK or error on kernel 6.18, more
 * with extended-ack text. A data reply (GET, ECHO) is bounded generously.
 */
export const REPLY_COST = 1536;
export const DATA_REPLY_COST = 16 * 1024;
/** The largest receive buffer a batch asks for on its own. */
const MAX_RAISED_RCVBUF = 32 << 20;

interface BatchRun<T> { next(): { done: boolean }; result: BatchResult<T> | undefined; ex: Exchange<T> }

/** What the typed verbs need of a socket: the Promise forms of requests (a view may add options to each, see withRequestOptions). */
export type Requester = Pick<NetlinkSocket, 'request' | 'dump' | 'dumpStream' | 'batch' | 'batchEncoded'>;

/** The state of one exchange: a run of requests with consecutive sequence numbers. */
/**
 * A caller's decoder, or the raw message when it gives none. The default
 * type parameter of the verbs that take one (T = NlMessage) is what the raw
 * decoder returns; TypeScript cannot tie an absent argument to a defaulted T.
 */
function decoderOr<T>(decode: Decoder<T> | undefined): Decoder<T> {
  return decode ?? (rawMessage as Decoder<never>);
}

class Exchange<T> {
  done = false;
  interrupted = false;
  /** Messages matched to this exchange so far: progress, for the timeout. */
  answers = 0;
  /** Sequence number of the last request that must be answered before we stop reading. */
  waitSeq: number;
  readonly errors: NetlinkError[] = [];
  readonly replies: T[][] = [];
  /** An error answering request 0 ends the exchange (a refused nfnetlink transaction). */
  endsOnFirstError = false;

  constructor(
    readonly firstSeq: number,
    public count: number,
    readonly dump: boolean,
    /** Per request: whether a data message with its seq is a reply (GET, ECHO) rather than a notification. */
    readonly expectData: (index: number) => boolean,
    public decode: Decoder<T>,
    readonly describe: (index: number) => { operation: string; request?: Buffer; headerSize?: number },
    readonly issues: DecodeIssue[],
  ) {
    this.waitSeq = firstSeq + count - 1;
  }

  indexOf(seq: number): number {
    const i = (seq - this.firstSeq) >>> 0;
    return i < this.count ? i : -1;
  }

  fail(index: number, info: AckInfo, seq: number): void {
    const d = this.describe(index);
    const extack = info.extack;
    if (extack?.offset !== undefined && d.request && d.headerSize !== undefined) {
      const path = locateAttribute(d.request, d.headerSize, extack.offset);
      if (path) extack.attributePath = path;
    }
    this.errors.push(new NetlinkError({ errno: info.errno, operation: d.operation, seq, extack, index }));
  }
}

/** One netlink socket: requests and their ACKs, dumps, batches and multicast, matched by sequence number and port. */
export class NetlinkSocket {
  readonly transport: Transport;
  private readonly readBuf: Buffer;
  private readonly maxDatagram: number;
  private seq = 1;
  /** Datagrams already taken off the socket by a watch, not yet processed. */
  private pending: Buffer[] = [];
  private lock: Promise<void> = Promise.resolve();
  private busy = false;
  private groups = new Set<number>();
  private eventSink: ((buf: Buffer, start: number, length: number) => void) | undefined;
  /** The exchange in progress, which datagrams delivered by an event watch also feed. */
  private current: Exchange<unknown> | undefined;
  /** The watch of an events() reader, when one is active; waiting then rides on it. */
  private eventWatch: Watch | undefined;
  /** Ends the events() reader in progress (close() calls it). */
  private endEvents: (() => void) | undefined;
  /** The drop counter as last reported by an events() reader (see events()). */
  private reportedDrops = 0;
  /** Whether events() reads the drop counter (not when the caller asked not to hear of drops: noEnobufs). */
  private readonly countDrops: boolean;
  private dataWaiters: (() => void)[] = [];
  /** Rejects of the short-lived waits in progress (see waitForData), for close(). */
  private waitFailers: ((err: Error) => void)[] = [];
  private scratch: NetlinkWriter | undefined;
  /** The receive buffer in force, read once (getsockopt is an FFI call) and kept up to date by raises. */
  private rcvbuf: number | undefined;
  /** Messages that matched no exchange and no subscription (left over from an abandoned one). */
  stale = 0;
  /**
   * Malformed datagrams seen by the last exchange (a length that does not
   * fit, a datagram that filled the read buffer). Decoding carries on past
   * them; they are reported here and to `onIssue`, never thrown.
   */
  issues: DecodeIssue[] = [];
  /** Called with each problem found decoding what the socket received (also kept in `issues`). */
  onIssue: ((issue: DecodeIssue) => void) | undefined;
  /** The defaults of every request (SocketOptions.timeoutMs and signal). */
  private readonly defaults: RequestOptions;

  constructor(transport: Transport, opts: SocketOptions = {}) {
    const { timeoutMs, signal } = checkRequestOptions(opts);
    this.defaults = { timeoutMs, signal };
    this.transport = transport;
    this.readBuf = Buffer.allocUnsafeSlow(opts.readBufferSize ?? DEFAULT_READ_BUFFER);
    this.maxDatagram = opts.maxDatagramSize ?? DEFAULT_MAX_DATAGRAM;
    this.countDrops = !opts.noEnobufs;
  }

  /** Opens a kernel socket (NETLINK_ROUTE unless told otherwise). */
  static open(opts: SocketOptions = {}): NetlinkSocket {
    // Checked before the kernel socket exists, so a bad option leaves no socket open.
    checkRequestOptions(opts);
    const transport = opts.transport ?? KernelTransport.open({ receiveBufferSize: 8 << 20, ...opts });
    const s = new NetlinkSocket(transport, opts);
    for (const g of opts.groups ?? []) s.groups.add(g);
    return s;
  }

  get portId(): number {
    return this.transport.portId;
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  /** A new fd on the network namespace this socket lives in (with what closes it). */
  openNetns(): {
    /** The namespace's file descriptor (as `setns(2)` and `ip netns attach` take one). */
    fd: number;
    /** Closes `fd`; a second call does nothing. */
    close(): void;
  } {
    if (!this.transport.openNetns) throw new Error('this socket\'s transport cannot tell which namespace it lives in');
    return this.transport.openNetns();
  }

  /** Closes the socket; whoever waits for a reply gets a NetlinkError (EBADF). */
  close(): void {
    this.transport.close();
    this.pending = [];
    // Whoever waits for data that can no longer come is told so, not left hanging.
    const closed = new NetlinkError({ errno: 9, operation: 'receive', detail: 'the socket was closed while waiting for a reply' });
    for (const fail of this.waitFailers.splice(0)) fail(closed);
    this.endEvents?.();
    this.wakeWaiters();
  }

  /** Closes the socket: `using sock = NetlinkSocket.open()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  // ── requests ──────────────────────────────────────────────────────────

  /** Sends one request and waits for its ACK; returns its reply messages (a GET's object, an ECHO). Throws NetlinkError. */
  async request<T = NlMessage>(req: Request, decode?: Decoder<T>, opts: RequestOptions = {}): Promise<T[]> {
    const r = await this.batch([req], { ...checkRequestOptions(opts), ackEach: true }, decode);
    if (r.errors.length) throw r.errors[0];
    return r.replies[0] ?? [];
  }

  /** `request()`, synchronously: blocks until the kernel's answer is read. */
  requestSync<T = NlMessage>(req: Request, decode?: Decoder<T>, opts: RequestOptions = {}): T[] {
    const r = this.batchSync([req], { ...checkRequestOptions(opts), ackEach: true }, decode);
    if (r.errors.length) throw r.errors[0];
    return r.replies[0] ?? [];
  }

  /** Many requests, pipelined. Kernel errors come back in the result, each with the index of its request. */
  batch<T = NlMessage>(reqs: readonly Request[], opts: BatchOptions = {}, decode?: Decoder<T>): Promise<BatchResult<T>> {
    return this.runAsync(opts, () => this.startBatch(this.encodeRequests(reqs), opts, decoderOr(decode)));
  }

  /** `batch()`, synchronously: blocks until every answer is read. */
  batchSync<T = NlMessage>(reqs: readonly Request[], opts: BatchOptions = {}, decode?: Decoder<T>): BatchResult<T> {
    this.guard(opts);
    return this.exclusiveSync(() => this.runSync(this.startBatch(this.encodeRequests(reqs), opts, decoderOr(decode))));
  }

  /** A batch of requests encoded beforehand (see EncodedBatch); the buffer's seq and ACK bits are rewritten. */
  batchEncoded<T = NlMessage>(enc: EncodedBatch, opts: BatchOptions = {}, decode?: Decoder<T>): Promise<BatchResult<T>> {
    return this.runAsync(opts, () => this.startBatch(enc, opts, decoderOr(decode)));
  }

  /** `batchEncoded()`, synchronously: blocks until every answer is read. */
  batchEncodedSync<T = NlMessage>(enc: EncodedBatch, opts: BatchOptions = {}, decode?: Decoder<T>): BatchResult<T> {
    this.guard(opts);
    return this.exclusiveSync(() => this.runSync(this.startBatch(enc, opts, decoderOr(decode))));
  }

  private async runAsync<T>(opts: RequestOptions, start: () => BatchRun<T>): Promise<BatchResult<T>> {
    const guard = this.guard(opts);
    const release = await this.acquireFor(guard);
    try {
      const run = start();
      const { ex } = run;
      guard.about = () => ({
        operation: ex.count === 1 ? ex.describe(0).operation : `batch of ${ex.count} requests`,
        seq: ex.waitSeq,
      });
      // Abandoned (aborted, timed out), the exchange's late answers match nothing and are set aside (stale).
      try {
        for (let step = run.next(); !step.done; step = run.next()) await this.waitFor(guard, ex);
      } finally {
        this.finish();
      }
      return run.result!;
    } finally {
      release();
    }
  }

  /**
   * The guard of one Promise-form exchange, from its options and the
   * socket's defaults; bad options and an already aborted signal throw here,
   * before anything is sent.
   */
  private guard(opts: RequestOptions): WaitGuard {
    const own = checkRequestOptions(opts);
    const guard = new WaitGuard([this.defaults.signal, own.signal], own.timeoutMs ?? this.defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    guard.throwIfAborted();
    return guard;
  }

  /** The socket's turn, unless the guard's signal calls the request off first (the turn is then passed on at once). */
  private acquireFor(guard: WaitGuard): Promise<() => void> {
    const turn = this.acquire();
    return guard.wait(turn, () => { void turn.then((release) => release()); });
  }

  /** Waits for more data for the exchange, within the guard's bounds. */
  private waitFor(guard: WaitGuard, ex: Exchange<unknown>): Promise<void> {
    const w = this.waitForData();
    return guard.wait(w.arrived, w.cancel, ex.answers);
  }

  private runSync<T>(run: BatchRun<T>): BatchResult<T> {
    try {
      if (!run.next().done) throw this.notQueued('batch');
    } finally {
      this.finish();
    }
    return run.result!;
  }

  /** Encodes every request into one buffer: bad input fails here, before anything is sent. */
  private encodeRequests(reqs: readonly Request[]): EncodedBatch {
    // One writer per socket, reused: exchanges never overlap (exclusive), and
    // a request's bytes are needed only until its exchange ends.
    const w = this.scratch ??= new NetlinkWriter(4096);
    w.reset();
    const starts: number[] = [];
    for (let i = 0; i < reqs.length; i++) {
      starts.push(w.length);
      this.encodeRequest(w, reqs[i]!, 0, false, `request ${i}`);
    }
    starts.push(w.length);
    return {
      buf: w.view(), starts, count: reqs.length,
      expectsReply: (i) => reqs[i]!.expectReply ?? true,
      describe: (i) => ({ operation: reqs[i]!.operation ?? `request type ${reqs[i]!.type}`, headerSize: reqs[i]!.headerSize }),
    };
  }

  /**
   * How many bytes of answers may wait unread: the receive buffer (raised
   * first when allowed and too small for a full window), halved on a socket
   * whose multicast messages share it.
   */
  private replyBudget(opts: BatchOptions, window: number): number {
    const t = this.transport;
    if (!t.receiveBufferSize) return Infinity;
    let rcvbuf = this.rcvbuf ??= t.receiveBufferSize();
    const want = Math.min(window * REPLY_COST * 2, MAX_RAISED_RCVBUF);
    if ((opts.receiveBuffer ?? 'raise') === 'raise' && rcvbuf < want && t.setReceiveBufferSize) {
      try { rcvbuf = this.rcvbuf = t.setReceiveBufferSize(want / 2); } catch { /* keep what there is */ }
    }
    return this.groups.size ? rcvbuf / 2 : rcvbuf;
  }

  /**
   * Sends datagram after datagram, reading the answers to each before the
   * next (the kernel handles a datagram inside the send, so nothing is gained
   * by sending further ahead, and the receive buffer only ever holds one
   * datagram's answers). The returned stepper yields when it must wait.
   */
  private startBatch<T>(enc: EncodedBatch, opts: BatchOptions, decode: Decoder<T>): BatchRun<T> {
    if (enc.transaction) return this.startTransaction(enc, decode);
    const stop = opts.onError === 'stop';
    const ackAll = (opts.ackEach ?? false) || stop;
    const { buf: all, starts, count } = enc;
    const firstSeq = this.seq;
    for (let i = 0; i < count; i++) {
      const at = starts[i]!;
      all.writeUInt32LE((firstSeq + i) >>> 0, at + 8);
      const f = all.readUInt16LE(at + 6);
      all.writeUInt16LE(ackAll ? f | NLM_F_ACK : f & ~NLM_F_ACK, at + 6);
    }
    this.seq = (firstSeq + count) >>> 0 || 1;
    const expects = enc.expectsReply ? (i: number) => enc.expectsReply!(i) : () => false;
    const ex = new Exchange<T>(firstSeq, count, false, expects, decode, (i) => {
      const d = enc.describe(i);
      return { operation: d.operation, request: all.subarray(starts[i]!, starts[i + 1]!), headerSize: d.headerSize };
    }, this.issues = []);
    const window = stop ? 1 : Math.max(1, Math.min(opts.window ?? 1024, count));
    // A lone datagram's answers always fit (the kernel admits a reply into an empty buffer).
    const budget = stop || count === 1 ? Infinity : this.replyBudget(opts, window);
    const costOf = (i: number): number => (enc.expectsReply?.(i) ? DATA_REPLY_COST + REPLY_COST : REPLY_COST);
    let next = 0;
    this.current = ex;
    const self = this;
    const stepper: BatchRun<T> = {
      result: undefined,
      ex,
      next(): { done: boolean } {
        for (;;) {
          if (!ex.done && next > 0) {
            if (!self.pump(ex)) return { done: false };
          }
          if (next >= count || (stop && ex.errors.length)) {
            stepper.result = { sent: next, errors: ex.errors, replies: ex.replies };
            return { done: true };
          }
          // As many whole messages as fit the datagram, the window and the receive buffer.
          const first = next;
          let end = first + 1;
          let cost = costOf(first);
          while (end < count && end - first < window && starts[end + 1]! - starts[first]! <= self.maxDatagram) {
            const c = costOf(end);
            if (cost + c > budget) break;
            cost += c;
            end++;
          }
          const lastAt = starts[end - 1]!;
          all.writeUInt16LE(all.readUInt16LE(lastAt + 6) | NLM_F_ACK, lastAt + 6);
          ex.done = false;
          ex.waitSeq = (firstSeq + end - 1) >>> 0;
          self.transport.send(all.subarray(starts[first]!, starts[end]!));
          next = end;
        }
      },
    };
    return stepper;
  }

  /** An nfnetlink transaction (see EncodedBatch.transaction): one datagram, ACKs asked between the framing. */
  private startTransaction<T>(enc: EncodedBatch, decode: Decoder<T>): BatchRun<T> {
    const { buf: all, starts, count } = enc;
    if (count < 3) throw new EncodeError('transaction', `a transaction needs its framing and at least one message, got ${count} messages`);
    const firstSeq = this.seq;
    for (let i = 0; i < count; i++) {
      const at = starts[i]!;
      all.writeUInt32LE((firstSeq + i) >>> 0, at + 8);
      const f = all.readUInt16LE(at + 6);
      all.writeUInt16LE(i === 0 || i === count - 1 ? f & ~NLM_F_ACK : f | NLM_F_ACK, at + 6);
    }
    this.seq = (firstSeq + count) >>> 0 || 1;
    const ex = new Exchange<T>(firstSeq, count, false, (i) => enc.expectsReply?.(i) ?? false, decode, (i) => {
      const d = enc.describe(i);
      return { operation: d.operation, request: all.subarray(starts[i]!, starts[i + 1]!), headerSize: d.headerSize };
    }, this.issues = []);
    ex.waitSeq = (firstSeq + count - 2) >>> 0;
    ex.endsOnFirstError = true;
    this.current = ex;
    const self = this;
    let sent = false;
    const stepper: BatchRun<T> = {
      result: undefined,
      ex,
      next(): { done: boolean } {
        if (!sent) { self.transport.send(all.subarray(starts[0]!, starts[count]!)); sent = true; }
        if (!self.pump(ex)) return { done: false };
        stepper.result = { sent: count, errors: ex.errors, replies: ex.replies };
        return { done: true };
      },
    };
    return stepper;
  }

  private encodeRequest(w: NetlinkWriter, req: Request, seq: number, ack: boolean, path: string): void {
    const flags = NLM_F_REQUEST | (ack ? NLM_F_ACK : 0) | (req.flags ?? 0);
    const at = w.beginMessage(req.type, flags, seq, 0);
    try {
      if (req.body) req.body(w);
      else if (req.payload) w.bytes(req.payload);
    } catch (err) {
      w.truncate(at);
      if (err instanceof EncodeError && req.operation) {
        // "operation: path: problem", the path said once.
        const named = new EncodeError(err.path, '');
        named.message = `${req.operation}: ${err.message}`;
        throw named;
      }
      throw err;
    }
    w.endMessage(at);
    if (w.length - at > this.maxDatagram) {
      throw new EncodeError(path, `${req.operation ?? 'request'} is ${w.length - at} bytes, larger than the ${this.maxDatagram}-byte datagram limit`);
    }
  }

  // ── dumps ─────────────────────────────────────────────────────────────

  /** A whole dump as an array. A dump the kernel marks inconsistent is restarted (retries), then an error carrying the partial data. */
  async dump<T = NlMessage>(req: Request, decode?: Decoder<T>, opts: DumpOptions = {}): Promise<T[]> {
    checkRequestOptions(opts);
    const retries = opts.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const out: T[] = [];
      const state: { ex?: Exchange<T> } = {};
      // A step per datagram, not per object: a 100,000-route dump is 200 awaits, not 100,000.
      for await (const batch of this.dumpBatches(req, decoderOr(decode), state, true, opts)) for (const v of batch) out.push(v);
      if (!state.ex?.interrupted) return out;
      if (attempt >= retries) throw this.interruptedError(req, out, retries);
    }
  }

  /** `dump()`, synchronously: blocks until the dump is complete. */
  dumpSync<T = NlMessage>(req: Request, decode?: Decoder<T>, opts: DumpOptions = {}): T[] {
    this.guard(opts);
    const retries = opts.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const out: T[] = [];
      const interrupted = this.exclusiveSync(() => {
        const ex = this.startDump(req, decoderOr(decode));
        ex.replies[0] = out;
        try {
          if (!this.pump(ex)) { this.drain(ex); throw this.notQueued('dump'); }
        } finally {
          this.finish();
        }
        this.throwFirst(ex);
        return ex.interrupted;
      });
      if (!interrupted) return out;
      if (attempt >= retries) throw this.interruptedError(req, out, retries);
    }
  }

  /**
   * Streams a dump: decodes datagram by datagram, so memory stays flat however
   * large the table. Breaking out of the loop reads and discards the rest.
   * After the loop, `interrupted` tells whether the kernel flagged the dump
   * inconsistent (unless allowed, that ends the loop with an EINTR error).
   */
  dumpStream<T = NlMessage>(req: Request, decode?: Decoder<T>, opts: { allowInterrupted?: boolean } & RequestOptions = {}): AsyncIterableIterator<T> & { interrupted: boolean } {
    checkRequestOptions(opts);
    const state: { ex?: Exchange<T> } = {};
    const batches = this.dumpBatches(req, decoderOr(decode), state, opts.allowInterrupted ?? false, opts);
    const gen = (async function* (): AsyncGenerator<T> {
      for await (const batch of batches) for (const v of batch) yield v;
    })();
    const it = gen as AsyncGenerator<T> & { interrupted: boolean };
    Object.defineProperty(it, 'interrupted', { get: () => state.ex?.interrupted ?? false });
    return it;
  }

  /** The dump datagram by datagram: each step yields what one datagram held (ending early drains the rest). */
  private dumpBatches<T>(req: Request, decode: Decoder<T>, state: { ex?: Exchange<T> }, allowInterrupted: boolean, opts: RequestOptions): AsyncGenerator<T[]> {
    const self = this;
    return (async function* (): AsyncGenerator<T[]> {
      const guard = self.guard(opts);
      const release = await self.acquireFor(guard);
      let ex: Exchange<T> | undefined;
      try {
        ex = state.ex = self.startDump(req, decode);
        const started = ex;
        guard.about = () => ({ operation: started.describe(0).operation, seq: started.firstSeq });
        const batch: T[] = ex.replies[0] = [];
        let last = Date.now();
        for (;;) {
          const progressed = self.pumpOne(ex);
          if (batch.length) yield batch.splice(0);
          if (ex.done) break;
          if (!progressed) await self.waitFor(guard, ex);
          else if (Date.now() - last > 8) { await new Promise<void>((r) => setImmediate(r)); last = Date.now(); }
        }
        self.throwFirst(ex);
        if (ex.interrupted && !allowInterrupted) throw self.interruptedError(req, [], 0);
      } finally {
        if (ex && !ex.done) self.drain(ex);
        self.finish();
        release();
      }
    })();
  }

  private startDump<T>(req: Request, decode: Decoder<T>): Exchange<T> {
    const w = new NetlinkWriter(256);
    const seq = this.seq;
    this.seq = (seq + 1) >>> 0 || 1;
    this.encodeRequest(w, { ...req, flags: (req.flags ?? 0) | NLM_F_DUMP }, seq, false, 'dump');
    const request = w.toBuffer();
    const ex = new Exchange<T>(seq, 1, true, () => true, decode, () => ({
      operation: req.operation ?? `dump type ${req.type}`, request, headerSize: req.headerSize,
    }), this.issues = []);
    this.current = ex;
    this.transport.send(request);
    return ex;
  }

  private interruptedError(req: Request, partial: unknown[], retries: number): NetlinkError {
    return new NetlinkError({
      errno: 4, // EINTR, as the kernel's own NLM_F_DUMP_INTR means
      operation: req.operation ?? `dump type ${req.type}`,
      partial,
      detail: `the table changed during the dump${retries ? ` ${retries + 1} times in a row` : ''}; the data may be inconsistent`,
    });
  }

  /** Reads and discards the rest of an abandoned exchange, so the next one starts clean. */
  private drain(ex: Exchange<unknown>): void {
    const discard: Decoder<unknown> = () => undefined;
    ex.decode = discard;
    try {
      while (!ex.done && this.pumpOne(ex)) { /* keep reading */ }
    } catch { /* the socket may be closed; nothing to drain then */ }
  }

  /** Ends the current exchange and hands its issues to onIssue. */
  private finish(): void {
    this.current = undefined;
    if (this.onIssue) for (const i of this.issues) this.onIssue(i);
  }

  private throwFirst(ex: Exchange<unknown>): void {
    if (ex.errors.length) throw ex.errors[0];
  }

  // ── multicast ─────────────────────────────────────────────────────────

  /** Joins multicast groups (RTNLGRP_* numbers for rtnetlink). */
  subscribe(...groups: number[]): void {
    for (const g of groups) {
      this.transport.addMembership(g);
      this.groups.add(g);
    }
  }

  /** Leaves multicast groups. */
  unsubscribe(...groups: number[]): void {
    for (const g of groups) {
      this.transport.dropMembership(g);
      this.groups.delete(g);
    }
  }

  /**
   * Multicast messages as they arrive, decoded; lost messages are reported
   * in line as an overrun. Loss is detected however it shows: the kernel's
   * ENOBUFS (which it reports once per congestion episode, however many
   * messages it drops) and, where the transport counts them, the socket's
   * drop counter, read whenever the reader has caught up and every
   * DROP_CHECK_EVERY datagrams; an overrun carries `lost`, the number of
   * messages dropped since the last report, when that is known. Ends when
   * the socket is closed or the signal aborts. The watch is unref'd when
   * `unref` is set, so it does not keep the process alive on its own.
   */
  events<T = NlMessage>(decode?: Decoder<T>, opts: { signal?: AbortSignal; unref?: boolean } = {}): AsyncIterableIterator<SocketEvent<T>> {
    const dec = decoderOr(decode);
    const queue: SocketEvent<T>[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    let sinceCheck = 0;
    let lastCheck = -Infinity;
    let recheck: NodeJS.Timeout | undefined;
    const notify = (): void => { const w = wake; wake = undefined; w?.(); };
    const end = (): void => { ended = true; notify(); };
    const self = this;
    /** Queues an overrun when messages were lost since the last report (or the kernel said so and cannot count). */
    const checkLoss = (error?: Error): void => {
      sinceCheck = 0;
      let drops: number | undefined;
      try { drops = self.closed || !self.countDrops ? undefined : self.transport.drops?.(); } catch { drops = undefined; }
      if (drops === undefined) {
        if (error) queue.push({ kind: 'overrun', error });
        return;
      }
      const lost = (drops - self.reportedDrops) >>> 0;
      const enobufs = errorCode(error) === 'ENOBUFS';
      // An ENOBUFS whose drops an earlier check already reported adds nothing.
      if (lost === 0 && (!error || enobufs)) return;
      self.reportedDrops = drops;
      queue.push({ kind: 'overrun', error: error ?? new OsError('recv', ENOBUFS, `the kernel dropped ${lost} messages (receive buffer full)`), lost });
    };
    return (async function* (): AsyncGenerator<SocketEvent<T>> {
      if (self.eventSink) throw new Error('this socket already has an event reader');
      self.eventSink = (buf, start, length) => {
        const v = dec(buf, start, length);
        if (v !== undefined) queue.push({ kind: 'message', value: v });
      };
      self.endEvents = end;
      opts.signal?.addEventListener('abort', end, { once: true });
      try {
        // Anything an earlier wait took off the socket comes first.
        for (const d of self.pending.splice(0)) self.dispatch(d, d.length, self.current);
        self.eventWatch = self.transport.watch(
          (d) => {
            self.dispatch(d, d.length, self.current);
            if (++sinceCheck >= DROP_CHECK_EVERY) checkLoss();
            self.wakeWaiters();
            notify();
          },
          (err) => { checkLoss(err); self.wakeWaiters(); notify(); },
        );
        if (opts.unref) self.eventWatch.unref();
        while (!ended && !self.closed) {
          while (queue.length) yield queue.shift()!;
          if (ended || self.closed) break;
          // Caught up: whatever the kernel dropped meanwhile is known now (read at most
          // once a millisecond, the counter being an FFI call; a timer takes the last look).
          const t = performance.now();
          if (t - lastCheck >= 1) { lastCheck = t; checkLoss(); } else if (!recheck) {
            recheck = setTimeout(() => { recheck = undefined; notify(); }, 1);
            recheck.unref();
          }
          if (queue.length) continue;
          await new Promise<void>((r) => { wake = r; });
        }
        while (queue.length) yield queue.shift()!;
      } finally {
        clearTimeout(recheck);
        opts.signal?.removeEventListener('abort', end);
        const w = self.eventWatch;
        self.eventWatch = undefined;
        if (w) {
          const left = w.stop();
          if (!self.closed) self.pending.push(...left);
        }
        self.eventSink = undefined;
        if (self.endEvents === end) self.endEvents = undefined;
        self.wakeWaiters();
      }
    })();
  }

  // ── the receive engine ────────────────────────────────────────────────

  /** Processes queued datagrams until the exchange is done; false if the queue ran dry first. */
  private pump(ex: Exchange<unknown>): boolean {
    while (!ex.done) if (!this.pumpOne(ex)) return false;
    return true;
  }

  /** Processes one datagram; false when none was queued. */
  private pumpOne(ex: Exchange<unknown>): boolean {
    const held = this.pending.shift();
    if (held) {
      this.dispatch(held, held.length, ex);
      return true;
    }
    const n = this.receive();
    if (n < 0) return false;
    this.dispatch(this.readBuf, n, ex);
    if (n >= this.readBuf.length) {
      // The kernel cut the datagram to fit: what was lost may include the
      // end of the exchange, so it cannot finish truthfully. Fail it.
      const problem = `a datagram filled the whole ${this.readBuf.length}-byte read buffer and was cut short; raise readBufferSize`;
      ex.issues.push({ path: 'datagram', problem });
      if (!ex.done) {
        ex.errors.push(new NetlinkError({ errno: 90 /* EMSGSIZE */, operation: ex.describe(0).operation, detail: problem }));
        ex.done = true;
      }
    }
    return true;
  }

  /** One read; a signal interrupting it (EINTR) is not an answer, so read again (a few times). */
  private receive(): number {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.transport.receive(this.readBuf);
      } catch (err) {
        if (errorCode(err) !== 'EINTR' || attempt >= 8) throw err;
      }
    }
  }

  private dispatch(buf: Buffer, n: number, ex: Exchange<unknown> | undefined): void {
    const portId = this.transport.portId;
    const issuesBefore = ex ? ex.issues.length : 0;
    forEachMessage(buf, n, (start, length) => {
      const type = buf.readUInt16LE(start + 4);
      const flags = buf.readUInt16LE(start + 6);
      const seq = buf.readUInt32LE(start + 8);
      const pid = buf.readUInt32LE(start + 12);
      const index = ex && (pid === portId || pid === 0) ? ex.indexOf(seq) : -1;
      if (type === NLMSG_NOOP || type === NLMSG_OVERRUN) return;
      if (index < 0 || ex!.done) {
        this.unsolicited(buf, start, length, type);
        return;
      }
      ex!.answers++;
      if (type === NLMSG_ERROR) {
        const info = decodeError(buf, start, length, ex!.issues);
        if (info.errno !== 0) ex!.fail(index, info, seq);
        if (seq === ex!.waitSeq || ex!.dump || (index === 0 && info.errno !== 0 && ex!.endsOnFirstError)) ex!.done = true;
        return;
      }
      if (type === NLMSG_DONE) {
        if (!ex!.dump) { this.unsolicited(buf, start, length, type); return; }
        const info = decodeDone(buf, start, length, ex!.issues);
        if (info.errno !== 0) ex!.fail(index, info, seq);
        ex!.done = true;
        return;
      }
      // A data message with our seq. On a subscribed socket it may also be the
      // multicast notification of our own change (it carries our port and
      // seq): then only requests that expect a reply take it.
      if (this.groups.size && !ex!.expectData(index)) { this.unsolicited(buf, start, length, type); return; }
      if (flags & NLM_F_DUMP_INTR) ex!.interrupted = true;
      const v = ex!.decode(buf, start, length);
      if (v !== undefined) (ex!.replies[index] ??= []).push(v);
    }, ex?.issues);

    // (A datagram that filled the read buffer was cut by the kernel: pumpOne says so, with the remedy.)
    if (ex && !ex.done && ex.issues.length > issuesBefore && n < this.readBuf.length) this.failIfCut(buf, n, ex);
  }

  /**
   * A datagram whose walk ended on a message cut short: when that message is
   * the exchange's (its header says so, or, with the header itself cut, the
   * datagram held the exchange's messages), whatever it was, perhaps the end
   * of the exchange, is lost, so the exchange fails rather than wait for an
   * answer that will never come. Garbage that is not ours is only reported.
   */
  private failIfCut(buf: Buffer, n: number, ex: Exchange<unknown>): void {
    const portId = this.transport.portId;
    const ours = (at: number): boolean => {
      const pid = buf.readUInt32LE(at + 12);
      return (pid === portId || pid === 0) && ex.indexOf(buf.readUInt32LE(at + 8)) >= 0;
    };
    let held = false;
    for (let at = 0; at < n;) {
      const whole = n - at >= NLMSG_HDRLEN;
      const len = whole ? buf.readUInt32LE(at) : 0;
      if (whole && len >= NLMSG_HDRLEN && len <= n - at) {
        held ||= ours(at);
        at += align4(len);
        continue;
      }
      if (whole ? !ours(at) : !held) return;
      ex.errors.push(new NetlinkError({
        errno: errnoByName('EPROTO')!, operation: ex.describe(0).operation,
        detail: `a reply was cut short at byte ${at} of its ${n}-byte datagram; what it held is lost`,
      }));
      ex.done = true;
      return;
    }
  }

  private unsolicited(buf: Buffer, start: number, length: number, type: number): void {
    if (this.eventSink && type !== NLMSG_ERROR && type !== NLMSG_DONE) this.eventSink(buf, start, length);
    else this.stale++;
  }

  // ── waiting and exclusivity ───────────────────────────────────────────

  /**
   * Resolves once more data has arrived: either dispatched by an events()
   * watch, or taken off the socket by a short-lived watch into `pending`.
   * cancel() ends the wait without resolving (a datagram its watch had
   * read is kept in `pending`, not lost).
   */
  private waitForData(): { arrived: Promise<void>; cancel: () => void } {
    if (this.eventWatch) {
      let wake!: () => void;
      const arrived = new Promise<void>((resolve) => { wake = resolve; this.dataWaiters.push(resolve); });
      return { arrived, cancel: () => { this.dataWaiters = this.dataWaiters.filter((w) => w !== wake); } };
    }
    if (this.transport.closed) return { arrived: Promise.reject(new NetlinkError({ errno: 9, operation: 'receive', detail: 'the socket is closed' })), cancel: () => undefined };
    let finish!: (err?: Error) => void;
    const arrived = new Promise<void>((resolve, reject) => {
      let settled = false;
      finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        this.waitFailers = this.waitFailers.filter((f) => f !== finish);
        this.pending.push(...watch.stop());
        if (err) reject(err);
        else resolve();
      };
      this.waitFailers.push(finish);
      const watch = this.transport.watch(
        (d) => {
          this.pending.push(d);
          finish();
        },
        (err) => finish(err),
      );
    });
    return { arrived, cancel: () => finish() };
  }

  private wakeWaiters(): void {
    for (const w of this.dataWaiters.splice(0)) w();
  }

  private notQueued(op: string): NetlinkError {
    return new NetlinkError({ errno: 11, operation: op, detail: 'the reply was not queued yet; the synchronous API never waits, use the Promise form' });
  }

  private acquire(): Promise<() => void> {
    let release!: () => void;
    const prev = this.lock;
    this.lock = new Promise<void>((r) => { release = r; });
    return prev.then(() => {
      this.busy = true;
      return () => { this.busy = false; release(); };
    });
  }

  private exclusiveSync<T>(fn: () => T): T {
    if (this.busy) throw new Error('this socket is in the middle of an asynchronous operation (a dump being iterated?); use another socket or await it');
    if (this.transport.closed) throw new NetlinkError({ errno: 9, operation: 'request', detail: 'the socket is closed' });
    this.busy = true;
    try { return fn(); } finally { this.busy = false; }
  }
}
