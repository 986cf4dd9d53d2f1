// A real AF_NETLINK socket. Setup goes through ffi (socket, bind, setsockopt,
// getsockname); the data path is Node's fs.writeSync / fs.readSync on the fd,
// which cost about a microsecond each (docs/architecture.md). The fd is non-blocking, so
// a read never waits: "nothing queued" comes back as -1.
import { errorCode } from '../netlink/errno.js';
import { readSync, writeSync } from 'node:fs';
import { bind, close, getsockname, getsockopt, ioctlNoArg, setsockopt, socket } from '../ffi/libc.js';
import { OsError, fromNodeError } from '../ffi/os-error.js';
import { AF_NETLINK, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_RAW, SOL_NETLINK } from '../generated/libc/socket.js';
import { SOL_SOCKET, SO_MEMINFO, SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF, SO_SNDBUFFORCE } from '../generated/asm-generic/socket.js';
import { SK_MEMINFO_DROPS, SK_MEMINFO_VARS } from '../generated/linux/sock_diag.js';
import { SIOCGSKNS } from '../generated/linux/sockios.js';
import {
  NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK,
  NETLINK_NO_ENOBUFS, NETLINK_ROUTE, sockaddr_nl,
} from '../generated/linux/netlink.js';
import { inNetns } from '../netns/enter.js';
import { type NetnsRef, withNetnsFd } from '../netns/ref.js';
import { watchFd } from './fd-watch.js';
import type { Transport, Watch } from './transport.js';

/** Options of the kernel socket: protocol, namespace, groups and receive buffer. */
export interface KernelSocketOptions {
  /** Netlink protocol (NETLINK_ROUTE, NETLINK_GENERIC...). */
  protocol?: number;
  /** Receive buffer in bytes; set with SO_RCVBUFFORCE where allowed (root), else SO_RCVBUF. */
  receiveBufferSize?: number;
  sendBufferSize?: number;
  /** Extended ACK: the kernel's own words on errors (NETLINK_EXT_ACK). Default true. */
  extendedAck?: boolean;
  /** Strict checking of dump requests, which enables kernel-side filtering (NETLINK_GET_STRICT_CHK). Default true for NETLINK_ROUTE. */
  strictCheck?: boolean;
  /** Errors do not echo the whole request back (NETLINK_CAP_ACK). Default true. */
  capAck?: boolean;
  /** Do not report ENOBUFS when multicast messages are dropped (NETLINK_NO_ENOBUFS). */
  noEnobufs?: boolean;
  /** Multicast groups (numbers, as in NETLINK_ADD_MEMBERSHIP) to join at once. */
  groups?: readonly number[];
  /** Open the socket inside the network namespace behind this fd. */
  netnsFd?: number;
  /** Open the socket inside this namespace: a name under /run/netns, { path }, { fd } or { pid }. */
  netns?: NetnsRef;
}

const one = (): Buffer => { const b = Buffer.alloc(4); b.writeInt32LE(1); return b; };
const int = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32LE(v); return b; };

/** A real AF_NETLINK socket, as a {@link Transport}. */
export class KernelTransport implements Transport {
  private fd: number;
  readonly portId: number;
  private watches = new Set<Watch>();

  private constructor(fd: number, portId: number) {
    this.fd = fd;
    this.portId = portId;
  }

  /** Opens an AF_NETLINK socket (in the namespace the options name, else this thread's), binds it and sizes its buffers. */
  static open(opts: KernelSocketOptions = {}): KernelTransport {
    const protocol = opts.protocol ?? NETLINK_ROUTE;
    const make = (): number => socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
    // The socket belongs to the namespace it is created in; nothing else needs to happen there.
    const fd = opts.netns !== undefined ? withNetnsFd(opts.netns, (ns) => inNetns(ns, make), 'netlink socket open')
      : opts.netnsFd === undefined ? make() : inNetns(opts.netnsFd, make);
    try {
      if (opts.sendBufferSize !== undefined) setBuffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, opts.sendBufferSize);
      if (opts.receiveBufferSize !== undefined) setBuffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, opts.receiveBufferSize);
      const addr = Buffer.alloc(sockaddr_nl.size);
      addr.writeUInt16LE(AF_NETLINK, 0);
      bind(fd, addr);
      getsockname(fd, addr);
      const portId = addr.readUInt32LE(4);
      if (opts.extendedAck ?? true) setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one());
      if (opts.capAck ?? true) setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one());
      if (opts.strictCheck ?? protocol === NETLINK_ROUTE) setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, one());
      if (opts.noEnobufs) setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, one());
      const t = new KernelTransport(fd, portId);
      for (const g of opts.groups ?? []) t.addMembership(g);
      return t;
    } catch (err) {
      close(fd);
      throw err;
    }
  }

  get closed(): boolean {
    return this.fd < 0;
  }

  private live(op: string): number {
    if (this.fd < 0) throw new OsError(op, 9 /* EBADF */, 'the netlink socket is closed');
    return this.fd;
  }

  send(datagram: Buffer): void {
    const fd = this.live('send');
    try {
      writeSync(fd, datagram, 0, datagram.length);
    } catch (err) {
      throw fromNodeError('send', err);
    }
  }

  receive(buf: Buffer): number {
    const fd = this.live('recv');
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if (errorCode(err) === 'EAGAIN') return -1;
      throw fromNodeError('recv', err);
    }
  }

  watch(onData: (d: Buffer) => void, onError: (e: Error) => void): Watch {
    const inner = watchFd(this.live('watch'), onData, onError);
    const w: Watch = {
      stop: () => { this.watches.delete(w); return inner.stop(); },
      ref: () => inner.ref(),
      unref: () => inner.unref(),
    };
    this.watches.add(w);
    return w;
  }

  receiveBufferSize(): number {
    const v = Buffer.alloc(4);
    getsockopt(this.live('getsockopt'), SOL_SOCKET, SO_RCVBUF, v);
    return v.readInt32LE(0);
  }

  setReceiveBufferSize(bytes: number): number {
    setBuffer(this.live('setsockopt'), SO_RCVBUFFORCE, SO_RCVBUF, bytes);
    return this.receiveBufferSize();
  }

  /**
   * Messages the kernel dropped on this socket for want of receive buffer
   * since it was opened (SO_MEMINFO's SK_MEMINFO_DROPS, one count per
   * message). Exact, unlike ENOBUFS, which the kernel reports once per
   * congestion episode however many messages it drops.
   */
  drops(): number {
    const v = Buffer.alloc(4 * SK_MEMINFO_VARS);
    getsockopt(this.live('getsockopt'), SOL_SOCKET, SO_MEMINFO, v);
    return v.readUInt32LE(4 * SK_MEMINFO_DROPS);
  }

  /**
   * A new fd on the network namespace this socket lives in (SIOCGSKNS; the
   * kernel asks for CAP_NET_ADMIN there), with what closes it.
   */
  openNetns(): {
    /** The namespace's file descriptor (an nsfs fd, as `setns(2)` takes one). */
    fd: number;
    /** Closes `fd`; a second call does nothing. */
    close(): void;
  } {
    const fd = ioctlNoArg(this.live('ioctl'), SIOCGSKNS);
    let open = true;
    return { fd, close: () => { if (open) { open = false; close(fd); } } };
  }

  addMembership(group: number): void {
    setsockopt(this.live('setsockopt'), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, int(group));
  }

  /** Leaves a multicast group (NETLINK_DROP_MEMBERSHIP). */
  dropMembership(group: number): void {
    setsockopt(this.live('setsockopt'), SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, int(group));
  }

  /** Closes the socket. */
  close(): void {
    if (this.fd < 0) return;
    for (const w of [...this.watches]) w.stop();
    const fd = this.fd;
    this.fd = -1;
    close(fd);
  }
}

/** Tries the privileged *FORCE option first (not capped by net.core.[rw]mem_max). */
function setBuffer(fd: number, force: number, plain: number, size: number): void {
  if (!Number.isInteger(size) || size < 1024 || size > 0x7fffffff) throw new RangeError(`buffer size ${size} must be an integer from 1024 to 2^31-1`);
  try {
    setsockopt(fd, SOL_SOCKET, force, int(size));
  } catch (err) {
    if (!(err instanceof OsError) || err.code !== 'EPERM') throw err;
    setsockopt(fd, SOL_SOCKET, plain, int(size));
  }
}
