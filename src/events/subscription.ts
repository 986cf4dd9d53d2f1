// One monitor socket subscribed to its groups, read from the moment it is
// opened: its epoll watch starts at once, so what the kernel queues for it
// while the monitor is busy elsewhere (dumping) is taken off the socket and
// kept, not left to overflow the receive buffer.
import type { NetlinkSocket, SocketEvent } from '../socket/netlink-socket.js';
import type { Decoder } from '../netlink/request.js';

export class Subscription<T> {
  private readonly raw: AsyncIterator<SocketEvent<T>>;
  private pending: Promise<IteratorResult<SocketEvent<T>>>;

  constructor(readonly socket: NetlinkSocket, decode: Decoder<T>, signal: AbortSignal, unref: boolean | undefined) {
    this.raw = socket.events(decode, { signal, unref });
    this.pending = this.raw.next();
  }

  /** The next event (the same one, however many times it is awaited before it settles). */
  next(): Promise<IteratorResult<SocketEvent<T>>> {
    const p = this.pending;
    void p.then((s) => { if (!s.done && this.pending === p) this.pending = this.raw.next(); }, () => undefined);
    return p;
  }

  /**
   * Messages the kernel dropped on this socket since it was opened, from its
   * drop counter; undefined when the transport cannot count them (then only
   * an overrun in the stream tells).
   */
  drops(): number | undefined {
    try { return this.socket.transport.drops?.(); } catch { return undefined; }
  }

  /** The receive buffer as the kernel accounts it, 0 when unknown. */
  receiveBufferSize(): number {
    try { return this.socket.transport.receiveBufferSize?.() ?? 0; } catch { return 0; }
  }

  /** Closes the socket: what it still held, in the kernel or read but not yet taken, is discarded. */
  close(): void {
    this.socket.close();
    void this.raw.return?.(undefined).catch(() => undefined);
  }
}
