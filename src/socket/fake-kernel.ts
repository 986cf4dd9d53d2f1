// A scripted stand-in for the kernel behind the Transport seam. Unit tests
// (ours, and users' tests of code built on this library) answer requests from
// a handler, and inject faults: garbage datagrams, wrong sequence numbers,
// ENOBUFS, replies that arrive only later.
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_MULTI, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS } from '../generated/linux/netlink.js';
import { OsError } from '../ffi/os-error.js';
import { forEachMessage } from '../netlink/reader.js';
import { NLMSG_HDRLEN, NetlinkWriter } from '../netlink/writer.js';
import type { Transport, Watch } from './transport.js';

/** A request as a {@link FakeKernel} handler sees it. */
export interface FakeRequest {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  /** The payload after the nlmsghdr. */
  payload: Buffer;
  /** The whole message, header included. */
  message: Buffer;
}

/** Builds the answer to one request; every call appends one message to the reply datagram. */
export class FakeReply {
  readonly messages: Buffer[] = [];
  constructor(private readonly req: FakeRequest, private readonly portId: number) {}

  private msg(type: number, flags: number, body: (w: NetlinkWriter) => void): this {
    const w = new NetlinkWriter(128);
    const at = w.beginMessage(type, flags, this.req.seq, this.portId);
    body(w);
    w.endMessage(at);
    this.messages.push(w.toBuffer());
    return this;
  }

  /** A data message (a dump part gets NLM_F_MULTI). */
  data(type: number, payload: Uint8Array | ((w: NetlinkWriter) => void), flags = 0): this {
    return this.msg(type, flags, (w) => (typeof payload === 'function' ? payload(w) : w.bytes(payload)));
  }

  /** An ACK (an NLMSG_ERROR with errno 0). */
  ack(): this {
    return this.error(0);
  }

  /** An NLMSG_ERROR with errno (positive) and, optionally, extended-ack text and offset. */
  error(errno: number, extack?: { message?: string; offset?: number }): this {
    const tlv = extack && (extack.message !== undefined || extack.offset !== undefined);
    return this.msg(NLMSG_ERROR, NLM_F_CAPPED | (tlv ? NLM_F_ACK_TLVS : 0), (w) => {
      const at = w.reserve(4);
      w.buffer.writeInt32LE(-errno, at);
      w.bytes(this.req.message.subarray(0, NLMSG_HDRLEN));
      if (extack?.message !== undefined) w.attrString(NLMSGERR_ATTR_MSG, extack.message);
      if (extack?.offset !== undefined) w.attrU32(NLMSGERR_ATTR_OFFS, extack.offset);
    });
  }

  /** The end of a dump (NLMSG_DONE), with an errno when the dump failed. */
  done(errno = 0): this {
    return this.msg(NLMSG_DONE, NLM_F_MULTI, (w) => {
      const at = w.reserve(4);
      w.buffer.writeInt32LE(-errno, at);
    });
  }
}

/** What a small reply costs the receive buffer beyond its bytes (measured: ~830 bytes a 36-byte error). */
export const SKB_OVERHEAD = 800;

/** Answers one request to a {@link FakeKernel} through `reply`. */
export type FakeHandler = (req: FakeRequest, reply: FakeReply) => void;

/** A {@link Transport} that answers in process, for tests without a kernel: each request goes to a handler. */
export class FakeKernel implements Transport {
  readonly portId: number;
  closed = false;
  /** Every datagram sent, as sent. */
  readonly sent: Buffer[] = [];
  readonly groups = new Set<number>();
  private queue: Buffer[] = [];
  private receiveErrors: number[] = [];
  private watchers = new Set<{ post(d: Buffer): void; fail(e: Error): void }>();
  /** Answers to hold back until release() (simulates a reply that is not queued yet). */
  deferReplies = false;
  private deferred: Buffer[] = [];
  /** Largest datagram kept per reply: more messages than this many bytes are split across datagrams. */
  datagramLimit = 32 * 1024;
  /**
   * The receive buffer, as the kernel accounts it: when set, a reply that
   * arrives while more than this is queued is dropped and the next receive
   * fails with ENOBUFS, as the kernel does. Each queued datagram counts its
   * length plus SKB_OVERHEAD (the kernel's sk_buff bookkeeping).
   */
  receiveBuffer: number | undefined;
  /** Whether setReceiveBufferSize() may raise it (root may; others are capped). */
  canRaiseReceiveBuffer = true;
  /** Replies dropped for want of receive buffer. */
  dropped = 0;
  private queuedCost = 0;

  constructor(private handler: FakeHandler = defaultHandler, portId = 4242) {
    this.portId = portId;
  }

  /** Replaces the handler that answers requests. */
  setHandler(h: FakeHandler): void {
    this.handler = h;
  }

  send(datagram: Buffer): void {
    if (this.closed) throw new OsError('send', 9);
    const copy = Buffer.from(datagram);
    this.sent.push(copy);
    forEachMessage(copy, copy.length, (start, length) => {
      const req: FakeRequest = {
        type: copy.readUInt16LE(start + 4),
        flags: copy.readUInt16LE(start + 6),
        seq: copy.readUInt32LE(start + 8),
        pid: copy.readUInt32LE(start + 12),
        payload: copy.subarray(start + NLMSG_HDRLEN, start + length),
        message: copy.subarray(start, start + length),
      };
      const reply = new FakeReply(req, this.portId);
      this.handler(req, reply);
      for (const d of this.pack(reply.messages)) this.deliver(d);
    });
  }

  /** Groups messages into datagrams of at most datagramLimit bytes, as the kernel does for dumps. */
  private pack(messages: Buffer[]): Buffer[] {
    const out: Buffer[] = [];
    let cur: Buffer[] = [];
    let size = 0;
    for (const m of messages) {
      if (size + m.length > this.datagramLimit && cur.length) { out.push(Buffer.concat(cur)); cur = []; size = 0; }
      cur.push(m);
      size += m.length;
    }
    if (cur.length) out.push(Buffer.concat(cur));
    return out;
  }

  private deliver(d: Buffer): void {
    if (this.deferReplies) this.deferred.push(d);
    else this.push(d);
  }

  /** Queues a raw datagram as if the kernel had sent it (events, garbage, stale replies). */
  push(d: Buffer): void {
    if (this.watchers.size) { for (const w of this.watchers) w.post(d); return; }
    if (this.receiveBuffer !== undefined && this.queuedCost > this.receiveBuffer) {
      // The kernel's netlink_attachskb: over the limit, drop and flag the socket once.
      this.dropped++;
      if (!this.receiveErrors.includes(105)) this.receiveErrors.push(105);
      return;
    }
    this.queuedCost += d.length + SKB_OVERHEAD;
    this.queue.push(d);
  }

  /** Like SO_MEMINFO's drop counter. */
  drops(): number {
    return this.dropped;
  }

  receiveBufferSize(): number {
    return this.receiveBuffer ?? 0x7fffffff;
  }

  setReceiveBufferSize(bytes: number): number {
    if (this.canRaiseReceiveBuffer) this.receiveBuffer = bytes * 2;
    return this.receiveBufferSize();
  }

  /** Delivers replies held back by deferReplies. */
  release(): void {
    const held = this.deferred.splice(0);
    for (const d of held) this.push(d);
  }

  /** The next receive (or watch) fails with this errno, e.g. ENOBUFS (105). */
  failNextReceive(errno: number): void {
    // The kernel says ENOBUFS only when it has dropped something.
    if (errno === 105) this.dropped++;
    if (this.watchers.size) for (const w of this.watchers) w.fail(new OsError('read', errno));
    else this.receiveErrors.push(errno);
  }

  get queued(): number {
    return this.queue.length;
  }

  receive(buf: Buffer): number {
    if (this.closed) throw new OsError('recv', 9);
    const e = this.receiveErrors.shift();
    if (e !== undefined) throw new OsError('recv', e);
    const d = this.queue.shift();
    if (!d) return -1;
    this.queuedCost -= d.length + SKB_OVERHEAD;
    // Like a datagram socket: what does not fit is lost.
    return d.copy(buf, 0, 0, Math.min(d.length, buf.length));
  }

  /** Like epoll-driven reading: datagrams arrive on a later turn of the event loop. */
  watch(onData: (d: Buffer) => void, onError: (e: Error) => void): Watch {
    const inbox: (Buffer | Error)[] = this.queue.splice(0);
    this.queuedCost = 0;
    let scheduled = false;
    const flush = (): void => {
      scheduled = false;
      while (inbox.length && this.watchers.has(w)) {
        const item = inbox.shift()!;
        if (item instanceof Error) onError(item);
        else onData(item);
      }
    };
    const schedule = (): void => { if (!scheduled) { scheduled = true; setImmediate(flush); } };
    const w = {
      post: (d: Buffer) => { inbox.push(d); schedule(); },
      fail: (e: Error) => { inbox.push(e); schedule(); },
    };
    this.watchers.add(w);
    if (inbox.length) schedule();
    return {
      stop: () => { this.watchers.delete(w); return inbox.splice(0).filter((x): x is Buffer => !(x instanceof Error)); },
      ref: () => undefined,
      unref: () => undefined,
    };
  }

  addMembership(group: number): void { this.groups.add(group); }
  /** Leaves a multicast group. */
  dropMembership(group: number): void { this.groups.delete(group); }

  /** Closes the fake socket. */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.queuedCost = 0;
  }
}

/** ACKs what asks for an ACK and ends dumps empty. */
export const defaultHandler: FakeHandler = (req, reply) => {
  // Both bits: on a NEW request 0x200 alone is NLM_F_EXCL, not half a dump.
  if ((req.flags & NLM_F_DUMP) === NLM_F_DUMP) reply.done();
  else if (req.flags & NLM_F_ACK) reply.ack();
};
