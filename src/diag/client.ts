// Socket diagnostics (NETLINK_SOCK_DIAG): one socket in one namespace, the
// same socket engine as rtnetlink (streaming dumps, timeouts, signals), the
// sockets of that namespace listed and, where the kernel allows, destroyed
// (docs/diag.md).
import { NETLINK_SOCK_DIAG } from '../generated/linux/netlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { errnoByName } from '../netlink/errno.js';
import type { NetnsRef } from '../netns/ref.js';
import { type DumpOptions, NetlinkSocket } from '../socket/netlink-socket.js';
import type { RequestOptions } from '../socket/request-options.js';
import type { Transport } from '../socket/transport.js';
import { inetDestroyRequest } from './inet.js';
import { type DiagDump, planDumps, type SocketListFilter } from './query.js';
import type { DiagProtocol, DiagSocket, InetSocket } from './types.js';

/** How to open a socket diagnostics client: its namespace and request defaults. */
export interface SockDiagOptions extends RequestOptions {
  /** Open the socket inside this namespace (a name under /run/netns, { path }, { fd } or { pid }): its sockets are listed. */
  netns?: NetnsRef;
  /** Use this transport instead of a kernel socket (tests). */
  transport?: Transport;
}

const EOPNOTSUPP = errnoByName('EOPNOTSUPP')!;
const ENOENT = errnoByName('ENOENT')!;

/** What the kernel needs to list each kind (ENOENT: no sock_diag handler for it). */
const NEEDS: Readonly<Record<DiagProtocol, string>> = {
  tcp: 'CONFIG_INET_TCP_DIAG', udp: 'CONFIG_INET_UDP_DIAG', raw: 'CONFIG_INET_RAW_DIAG', unix: 'CONFIG_UNIX_DIAG',
  packet: 'CONFIG_PACKET_DIAG', netlink: 'CONFIG_NETLINK_DIAG',
};

/**
 * A dump the kernel has no handler for: skipped when the protocol came with
 * the default (every kind), else the error says what the kernel lacks.
 */
function missing(d: DiagDump, err: unknown): boolean {
  if (!(err instanceof NetlinkError) || err.errno !== ENOENT) return false;
  if (!d.explicit) return true;
  throw new NetlinkError({ errno: err.errno, operation: err.operation, seq: err.seq, extack: err.extack,
    detail: `this kernel cannot list ${d.protocol} sockets: it has no ${NEEDS[d.protocol]} (built in or as a module)` });
}

/** A NETLINK_SOCK_DIAG client: the sockets of a namespace as `ss` lists them, filtered, and SOCK_DESTROY (docs/diag.md). */
export class SockDiag {
  private constructor(readonly socket: NetlinkSocket) {}

  /** Opens a client on a NETLINK_SOCK_DIAG socket (in the namespace the options name, else this process's). */
  static open(opts: SockDiagOptions = {}): SockDiag {
    if (opts === null || typeof opts !== 'object') throw new TypeError(`SockDiag.open: options must be an object, got ${describe(opts)}`);
    const { netns, transport, timeoutMs, signal } = opts;
    return new SockDiag(NetlinkSocket.open({ protocol: NETLINK_SOCK_DIAG, netns, transport, timeoutMs, signal }));
  }

  /** Closes the socket. */
  close(): void { this.socket.close(); }
  /** Closes the client: `using c = SockDiag.open()`. */
  [Symbol.dispose](): void { this.close(); }

  /** Every socket the filter selects, in the order the kernel lists them (by protocol, IPv4 before IPv6). */
  async list(filter: SocketListFilter = {}, opts: DumpOptions = {}): Promise<DiagSocket[]> {
    const out: DiagSocket[] = [];
    for (const d of planDumps(filter)) {
      let got: DiagSocket[];
      try {
        got = await this.socket.dump(d.request, d.decode, opts);
      } catch (err) {
        if (missing(d, err)) continue;
        throw err;
      }
      for (const s of got) if (!d.keep || d.keep(s)) out.push(s);
    }
    return out;
  }

  /** The same sockets as list(), yielded as each datagram is read (memory stays flat for any number of sockets). */
  async *stream(filter: SocketListFilter = {}, opts: RequestOptions = {}): AsyncGenerator<DiagSocket> {
    for (const d of planDumps(filter)) {
      try {
        for await (const s of this.socket.dumpStream(d.request, d.decode, opts)) if (!d.keep || d.keep(s)) yield s;
      } catch (err) {
        if (!missing(d, err)) throw err;
      }
    }
  }

  /**
   * Closes a TCP (or UDP, raw) socket found by list(), as `ss -K` does
   * (SOCK_DESTROY; needs CAP_NET_ADMIN). A socket already gone is ENOENT; a
   * kernel built without CONFIG_INET_DIAG_DESTROY answers EOPNOTSUPP, which
   * the error says in those words.
   */
  async destroy(s: InetSocket, opts: RequestOptions = {}): Promise<void> {
    checkInetSocket(s);
    const req = inetDestroyRequest(s);
    try {
      await this.socket.request(req, undefined, opts);
    } catch (err) {
      if (err instanceof NetlinkError && err.errno === EOPNOTSUPP) {
        throw new NetlinkError({ errno: err.errno, operation: err.operation, seq: err.seq, extack: err.extack,
          detail: `this kernel cannot destroy ${s.protocol} sockets: it was built without CONFIG_INET_DIAG_DESTROY${s.protocol === 'tcp' ? '' : ' or the protocol has no destroy'}` });
      }
      throw err;
    }
  }
}

/** What destroy() reads of a socket, checked: it may be a hand-made object. */
function checkInetSocket(s: InetSocket): void {
  if (s === null || typeof s !== 'object' || s.kind !== 'inet') throw new EncodeError('socket', `expected a TCP, UDP or raw socket from list(), got ${describe(s)}`);
  if (!['tcp', 'udp', 'raw'].includes(s.protocol)) throw new EncodeError('socket.protocol', `expected tcp, udp or raw, got ${describe(s.protocol)}`);
  if (s.family !== 4 && s.family !== 6) throw new EncodeError('socket.family', `expected 4 or 6, got ${describe(s.family)}`);
  for (const side of ['local', 'remote'] as const) {
    const e = s[side];
    if (e === null || typeof e !== 'object') throw new EncodeError(`socket.${side}`, `expected { address, port, bytes }, got ${describe(e)}`);
    if (!Buffer.isBuffer(e.bytes) || e.bytes.length !== (s.family === 4 ? 4 : 16)) throw new EncodeError(`socket.${side}.bytes`, `expected ${s.family === 4 ? 4 : 16} address bytes, got ${describe(e.bytes)}`);
    if (!Number.isInteger(e.port) || e.port < 0 || e.port > 65535) throw new EncodeError(`socket.${side}.port`, `expected a port 0..65535, got ${describe(e.port)}`);
  }
  if (!Number.isInteger(s.ifindex) || s.ifindex < 0 || s.ifindex > 0xffffffff) throw new EncodeError('socket.ifindex', `expected an interface index, got ${describe(s.ifindex)}`);
  if (typeof s.cookie !== 'bigint' || s.cookie < 0n || s.cookie > 0xffffffffffffffffn) throw new EncodeError('socket.cookie', `expected the 64-bit cookie list() gave, got ${describe(s.cookie)}`);
  if (s.rawProtocol !== undefined && (!Number.isInteger(s.rawProtocol) || s.rawProtocol < 0 || s.rawProtocol > 255)) throw new EncodeError('socket.rawProtocol', `expected 0..255, got ${describe(s.rawProtocol)}`);
}
