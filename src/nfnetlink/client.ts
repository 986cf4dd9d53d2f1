// A NETLINK_NETFILTER socket in one namespace, on the same socket engine as
// rtnetlink and generic netlink: requests answered with ACK and extended
// ACK, streamed dumps (DUMP_INTR restarts), pipelined batches, multicast
// groups (NFNLGRP_*), and nfnetlink transactions (transaction.ts). The
// subsystems (conntrack in src/nfnetlink/conntrack/, nftables) build their
// requests with nfRequest and decode with their own schemas
// (docs/architecture.md, docs/netfilter.md).
import { NETLINK_NETFILTER } from '../generated/linux/netlink.js';
import { describe } from '../netlink/describe.js';
import type { Decoder, Request } from '../netlink/request.js';
import type { NetnsRef } from '../netns/ref.js';
import {
  type BatchOptions, type BatchResult, type DumpOptions, NetlinkSocket, type SocketEvent,
} from '../socket/netlink-socket.js';
import { type RequestOptions, checkRequestOptions } from '../socket/request-options.js';
import type { Transport } from '../socket/transport.js';
import { type TransactionOptions, type TransactionResult, encodeTransaction, transactionResult } from './transaction.js';

/** How to open a netfilter netlink client: its namespace and request defaults. */
export interface NfnetlinkOptions extends RequestOptions {
  /** Open the socket inside this namespace (a name under /run/netns, { path }, { fd } or { pid }). */
  netns?: NetnsRef;
  /** Multicast groups (NFNLGRP_*) to join at once. */
  groups?: readonly number[];
  /** Receive buffer in bytes (events under load need a large one). Default 8 MiB. */
  receiveBufferSize?: number;
  /**
   * Send buffer in bytes: a transaction is one datagram and the kernel
   * refuses a datagram larger than this (EMSGSIZE). Default 16 MiB (above
   * net.core.wmem_max only with CAP_NET_ADMIN).
   */
  sendBufferSize?: number;
  /** Use this transport instead of a kernel socket (tests). */
  transport?: Transport;
}

/** A NETLINK_NETFILTER client: requests, dumps, events and transactions of the netfilter subsystems (docs/netfilter.md). */
export class Nfnetlink {
  private constructor(readonly socket: NetlinkSocket) {}

  /** Opens a client on a NETLINK_NETFILTER socket (in the namespace the options name, else this process's). */
  static open(opts: NfnetlinkOptions = {}): Nfnetlink {
    if (opts === null || typeof opts !== 'object') throw new TypeError(`Nfnetlink.open: options must be an object, got ${describe(opts)}`);
    checkRequestOptions(opts);
    const { netns, groups, transport, timeoutMs, signal } = opts;
    return new Nfnetlink(NetlinkSocket.open({
      protocol: NETLINK_NETFILTER, netns, groups, transport, timeoutMs, signal,
      receiveBufferSize: opts.receiveBufferSize ?? 8 << 20,
      sendBufferSize: opts.sendBufferSize ?? 16 << 20,
    }));
  }

  /** Closes the socket. */
  close(): void { this.socket.close(); }
  /** Closes the client: `using c = Nfnetlink.open()`. */
  [Symbol.dispose](): void { this.close(); }

  /** One request, answered by an ACK (or an error); its replies (a GET's object), decoded. */
  request<T>(req: Request, decode: Decoder<T>, opts: RequestOptions = {}): Promise<T[]> {
    return this.socket.request(req, decode, opts);
  }

  /** A whole dump as an array. */
  dump<T>(req: Request, decode: Decoder<T>, opts: DumpOptions = {}): Promise<T[]> {
    return this.socket.dump(req, decode, opts);
  }

  /** A dump object by object, datagram by datagram (flat memory). */
  dumpStream<T>(req: Request, decode: Decoder<T>, opts: RequestOptions = {}): AsyncIterableIterator<T> {
    return this.socket.dumpStream(req, decode, opts);
  }

  /** Independent requests, pipelined (not a transaction: each stands alone). */
  batch<T>(reqs: readonly Request[], decode: Decoder<T>, opts: BatchOptions = {}): Promise<BatchResult<T>> {
    return this.socket.batch(reqs, opts, decode);
  }

  /**
   * The messages as one nfnetlink transaction for subsystem `subsys`
   * (NFNL_SUBSYS_NFTABLES): sent in one datagram between BATCH_BEGIN and
   * BATCH_END, applied all or nothing by the kernel. Resolves with every
   * error mapped to the message that caused it (`index`, -1 for the batch
   * as a whole); does not throw for kernel refusals. Bad input throws an
   * EncodeError before anything is sent.
   */
  async transaction<T>(subsys: number, reqs: readonly Request[], decode: Decoder<T>,
    opts: TransactionOptions & RequestOptions = {}): Promise<TransactionResult<T>> {
    const enc = encodeTransaction(subsys, reqs, opts);
    const r = await this.socket.batchEncoded(enc, { timeoutMs: opts.timeoutMs, signal: opts.signal }, decode);
    return transactionResult(reqs.length, r);
  }

  /** Joins multicast groups (NFNLGRP_* numbers). */
  subscribe(...groups: number[]): void { this.socket.subscribe(...groups); }
  /** Leaves multicast groups. */
  unsubscribe(...groups: number[]): void { this.socket.unsubscribe(...groups); }

  /** Messages of the joined groups, decoded by `decode` (undefined skips one), and overrun notes (ENOBUFS). */
  events<T>(decode: Decoder<T>, opts: { signal?: AbortSignal; unref?: boolean } = {}): AsyncIterableIterator<SocketEvent<T>> {
    return this.socket.events(decode, opts);
  }
}
