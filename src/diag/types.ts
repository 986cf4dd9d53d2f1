// What a socket dump returns: one decoded object per socket, a discriminated
// union on `kind` (docs/diag.md). Kernel structs keep their kernel field
// names (tcp_info's tcpi_*, from the generated layouts); the rest is named
// for what it is.
import type { tcp_info } from '../generated/linux/tcp.js';
import type { inet_diag_meminfo, tcp_bbr_info, tcp_dctcp_info, tcpvegas_info } from '../generated/linux/inet_diag.js';
import type { DecodeIssue } from '../netlink/errors.js';
import type { StructValue } from '../netlink/struct.js';
import type { SocketState } from './states.js';

/** Which sockets: TCP, UDP and raw over IPv4/IPv6 (inet_diag), UNIX, packet and netlink. */
export type DiagProtocol = 'tcp' | 'udp' | 'raw' | 'unix' | 'packet' | 'netlink';

/** The socket's memory (SK_MEMINFO_*, `ss -m`'s skmem). */
export interface SocketMemory {
  rmemAlloc: number;
  rcvbuf: number;
  wmemAlloc: number;
  sndbuf: number;
  fwdAlloc: number;
  wmemQueued: number;
  optmem: number;
  /** Absent on kernels that do not report it. */
  backlog?: number;
  drops?: number;
}

/** A TCP socket's state and counters (struct tcp_info), as `ss -i` reads them. */
export type TcpInfo = StructValue<typeof tcp_info>;

/** What every reported socket has: its family, state, inode, owner and queues. */
export interface DiagSocketBase {
  /** The kernel's state number (TCP's numbering; see SocketState). */
  stateNumber: number;
  state: SocketState | undefined;
  inode: number;
  /** The kernel's socket cookie: what `ss -e` prints as sk:, and what names the socket to SOCK_DESTROY. */
  cookie: bigint;
  memory?: SocketMemory;
  /** Malformed parts of the kernel's message (decoding never throws). */
  issues?: DecodeIssue[];
}

/** One end of an inet socket: address, port and interface. */
export interface InetEndpoint {
  /** Dotted quad or IPv6 text (RFC 5952). */
  address: string;
  port: number;
  /** The address bytes (4 or 16). */
  bytes: Buffer;
}

/** An IPv4 or IPv6 socket: its protocol, endpoints, and (when asked) TCP information, memory and congestion control. */
export interface InetSocket extends DiagSocketBase {
  kind: 'inet';
  protocol: 'tcp' | 'udp' | 'raw';
  family: 4 | 6;
  local: InetEndpoint;
  remote: InetEndpoint;
  /** Interface index the socket is bound to (0: none). */
  ifindex: number;
  uid: number;
  recvQ: number;
  sendQ: number;
  /** The pending timer (idiag_timer: 0 none, 1 retransmit, 2 keepalive, 3 time-wait, 4 zero-window probe). */
  timer: number;
  /** Milliseconds until the timer fires. */
  expires: number;
  retransmits: number;
  mark?: number;
  cgroupId?: bigint;
  tos?: number;
  tclass?: number;
  classId?: number;
  /** SHUT_RD (1) / SHUT_WR (2) bits. */
  shutdown?: number;
  v6only?: boolean;
  /** A raw socket's protocol (INET_DIAG_PROTOCOL). */
  rawProtocol?: number;
  congestion?: string;
  tcpInfo?: TcpInfo;
  /** INET_DIAG_MEMINFO (the older memory summary). */
  meminfo?: StructValue<typeof inet_diag_meminfo>;
  vegas?: StructValue<typeof tcpvegas_info>;
  dctcp?: StructValue<typeof tcp_dctcp_info>;
  bbr?: StructValue<typeof tcp_bbr_info>;
}

/** A unix domain socket: its path (or abstract name) and its peer. */
export interface UnixSocket extends DiagSocketBase {
  kind: 'unix';
  /** 'stream', 'dgram' or 'seqpacket'. */
  type: 'stream' | 'dgram' | 'seqpacket' | 'unknown';
  /** The bound path; an abstract name starts with '@' (NULs as '@', as ss prints it). Absent: unbound. */
  name?: string;
  /** The peer's inode (0: none). */
  peer: number;
  recvQ: number;
  sendQ: number;
  uid?: number;
  shutdown?: number;
  /** The bound file's inode and device (UNIX_DIAG_VFS). */
  vfs?: { inode: number; dev: number };
  /** Inodes of connections waiting to be accepted (UNIX_DIAG_ICONS). */
  pending?: number[];
}

/** A packet socket: its protocol and interface. */
export interface PacketSocket extends DiagSocketBase {
  kind: 'packet';
  type: 'raw' | 'dgram';
  /** The ethertype it receives (host order; 3 is ETH_P_ALL). */
  protocol: number;
  ifindex: number;
  uid?: number;
  recvQ: number;
  version?: number;
  copyThreshold?: number;
  flags?: number;
  fanout?: number;
}

/** A netlink socket: its protocol, port id and groups. */
export interface NetlinkSocketInfo extends DiagSocketBase {
  kind: 'netlink';
  protocol: number;
  portId: number;
  dstPortId: number;
  dstGroup: number;
  /** Whether it is connected to a peer (NETLINK_CONNECTED): then dstPortId/dstGroup say which. */
  connected: boolean;
  /** Joined multicast groups. */
  groups?: number[];
  recvQ: number;
  sendQ: number;
}

/** A socket as the kernel reports it: inet (TCP, UDP, raw...), unix, packet or netlink, told apart by `family`. */
export type DiagSocket = InetSocket | UnixSocket | PacketSocket | NetlinkSocketInfo;

/** Extra information to ask the kernel for (each costs bytes per socket). */
export interface DiagExtensions {
  /** tcp_info, congestion control and its state (`ss -i`). */
  info?: boolean;
  /** Socket memory (`ss -m`). */
  memory?: boolean;
  /** TOS / traffic class. */
  tos?: boolean;
  /** UNIX: bound file and pending connections (`ss -e`). */
  details?: boolean;
}
