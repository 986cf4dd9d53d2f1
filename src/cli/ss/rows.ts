// One socket as ss 6.1 prints it with -n: the tokens of its row, column by
// column (Process holds everything after the addresses: users, timers,
// details, and the tab-indented info line), from ss's inet_stats_print,
// unix_stats_print, packet_stats_print, netlink_show_one and tcp_show_info.
import type { DiagSocket, InetSocket, NetlinkSocketInfo, PacketSocket, SocketMemory, UnixSocket } from '../../diag/types.js';
import { stateShortName } from '../../diag/states.js';
import { fmt0, fmtG, left6 } from './cformat.js';
import { type SocketUser, usersText } from './procs.js';
import { Col } from './table.js';

export interface RowOptions {
  processes?: Map<number, SocketUser[]>;
  info?: boolean;
  memory?: boolean;
  extended?: boolean;
  options?: boolean;
  ifname(index: number): string;
  cgroup(id: bigint): string;
}

const TIMERS = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];

/** ss's print_ms_timer. */
export function msTimer(timeout: number): string {
  let secs = Math.floor(timeout / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let s = '';
  if (minutes) {
    msecs = 0;
    s = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    s += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) s += String(msecs).padStart(3, '0') + 'ms';
  return s;
}

function skmem(m: SocketMemory | undefined): string {
  if (!m) return '';
  let s = ` skmem:(r${m.rmemAlloc},rb${m.rcvbuf},t${m.wmemAlloc},tb${m.sndbuf},f${m.fwdAlloc},w${m.wmemQueued},o${m.optmem}`;
  if (m.backlog !== undefined) s += `,bl${m.backlog}`;
  if (m.drops !== undefined) s += `,d${m.drops}`;
  return `${s})`;
}

const shutdownText = (mask: number): string => ` ${mask & 1 ? '-' : '<'}-${mask & 2 ? '-' : '>'}`;

function inetAddr(s: InetSocket, side: 'local' | 'remote', ifname: (i: number) => string): string {
  const e = s[side];
  let a: string;
  if (s.family === 4) a = e.address;
  else if (!s.v6only && e.bytes.every((b) => b === 0)) a = '*';
  else a = `[${e.address}]`;
  if (side === 'local' && s.ifindex) a += `%${ifname(s.ifindex)}`;
  return `${a}:`;
}

const port = (p: number): string => (p === 0 ? '*' : String(p));

/** ss's tcp_show_info and tcp_stats_print: the info line of a TCP socket. */
export function tcpInfoText(s: InetSocket, options: boolean): string {
  let out = s.memory ? skmem(s.memory) : s.meminfo ? ` mem:(r${s.meminfo.idiag_rmem},w${s.meminfo.idiag_wmem},f${s.meminfo.idiag_fmem},t${s.meminfo.idiag_tmem})` : '';
  const i = s.tcpInfo;
  if (!i) return out;
  const has = (bit: number): boolean => (i.tcpi_options & bit) !== 0;
  if (options) {
    if (has(1)) out += ' ts';
    if (has(2)) out += ' sack';
    if (has(8)) out += ' ecn';
    if (has(16)) out += ' ecnseen';
    if (has(32)) out += ' fastopen';
  }
  if (s.congestion) out += ` ${s.congestion}`;
  if (has(4)) out += ` wscale:${i.tcpi_snd_wscale},${i.tcpi_rcv_wscale}`;
  if (i.tcpi_rto && i.tcpi_rto !== 3000000) out += ` rto:${fmtG(i.tcpi_rto / 1000)}`;
  if (i.tcpi_backoff) out += ` backoff:${i.tcpi_backoff}`;
  if (i.tcpi_rtt) out += ` rtt:${fmtG(i.tcpi_rtt / 1000)}/${fmtG(i.tcpi_rttvar / 1000)}`;
  if (i.tcpi_ato) out += ` ato:${fmtG(i.tcpi_ato / 1000)}`;
  if (i.tcpi_snd_mss) out += ` mss:${i.tcpi_snd_mss}`;
  if (i.tcpi_pmtu) out += ` pmtu:${i.tcpi_pmtu}`;
  if (i.tcpi_rcv_mss) out += ` rcvmss:${i.tcpi_rcv_mss}`;
  if (i.tcpi_advmss) out += ` advmss:${i.tcpi_advmss}`;
  if (i.tcpi_snd_cwnd) out += ` cwnd:${i.tcpi_snd_cwnd}`;
  if (i.tcpi_snd_ssthresh < 0xffff && i.tcpi_snd_ssthresh) out += ` ssthresh:${i.tcpi_snd_ssthresh}`;
  if (i.tcpi_bytes_sent) out += ` bytes_sent:${i.tcpi_bytes_sent}`;
  if (i.tcpi_bytes_retrans) out += ` bytes_retrans:${i.tcpi_bytes_retrans}`;
  if (i.tcpi_bytes_acked) out += ` bytes_acked:${i.tcpi_bytes_acked}`;
  if (i.tcpi_bytes_received) out += ` bytes_received:${i.tcpi_bytes_received}`;
  if (i.tcpi_segs_out) out += ` segs_out:${i.tcpi_segs_out}`;
  if (i.tcpi_segs_in) out += ` segs_in:${i.tcpi_segs_in}`;
  if (i.tcpi_data_segs_out) out += ` data_segs_out:${i.tcpi_data_segs_out}`;
  if (i.tcpi_data_segs_in) out += ` data_segs_in:${i.tcpi_data_segs_in}`;
  if (s.dctcp?.dctcp_enabled) {
    const d = s.dctcp;
    out += ` dctcp:(ce_state:${d.dctcp_ce_state},alpha:${d.dctcp_alpha},ab_ecn:${d.dctcp_ab_ecn},ab_tot:${d.dctcp_ab_tot})`;
  } else if (s.dctcp) out += ' dctcp:fallback_mode';
  if (s.bbr) {
    const bw = (s.bbr.bbr_bw_hi * 0x100000000 + s.bbr.bbr_bw_lo) * 8;
    out += ` bbr:(bw:${fmt0(bw)}bps,mrtt:${fmtG(s.bbr.bbr_min_rtt / 1000)}`;
    if (s.bbr.bbr_pacing_gain) out += `,pacing_gain:${fmtG(s.bbr.bbr_pacing_gain / 256)}`;
    if (s.bbr.bbr_cwnd_gain) out += `,cwnd_gain:${fmtG(s.bbr.bbr_cwnd_gain / 256)}`;
    out += ')';
  }
  let rtt = i.tcpi_rtt;
  if (s.vegas && s.vegas.tcpv_enabled && s.vegas.tcpv_rtt && s.vegas.tcpv_rtt !== 0x7fffffff) rtt = s.vegas.tcpv_rtt;
  if (rtt > 0 && i.tcpi_snd_mss && i.tcpi_snd_cwnd) out += ` send ${fmt0(i.tcpi_snd_cwnd * i.tcpi_snd_mss * 8000000 / rtt)}bps`;
  if (i.tcpi_last_data_sent) out += ` lastsnd:${i.tcpi_last_data_sent}`;
  if (i.tcpi_last_data_recv) out += ` lastrcv:${i.tcpi_last_data_recv}`;
  if (i.tcpi_last_ack_recv) out += ` lastack:${i.tcpi_last_ack_recv}`;
  const unset = 2 ** 64 - 1;
  if (i.tcpi_pacing_rate && i.tcpi_pacing_rate < unset) {
    out += ` pacing_rate ${fmt0(i.tcpi_pacing_rate * 8)}bps`;
    if (i.tcpi_max_pacing_rate && i.tcpi_max_pacing_rate < unset) out += `/${fmt0(i.tcpi_max_pacing_rate * 8)}bps`;
  }
  if (i.tcpi_delivery_rate) out += ` delivery_rate ${fmt0(i.tcpi_delivery_rate * 8)}bps`;
  if (i.tcpi_delivered) out += ` delivered:${i.tcpi_delivered}`;
  if (i.tcpi_delivered_ce) out += ` delivered_ce:${i.tcpi_delivered_ce}`;
  if (i.tcpi_delivery_rate_app_limited) out += ' app_limited';
  if (i.tcpi_busy_time) {
    out += ` busy:${Math.floor(i.tcpi_busy_time / 1000)}ms`;
    if (i.tcpi_rwnd_limited) out += ` rwnd_limited:${Math.floor(i.tcpi_rwnd_limited / 1000)}ms(${(100 * i.tcpi_rwnd_limited / i.tcpi_busy_time).toFixed(1)}%)`;
    if (i.tcpi_sndbuf_limited) out += ` sndbuf_limited:${Math.floor(i.tcpi_sndbuf_limited / 1000)}ms(${(100 * i.tcpi_sndbuf_limited / i.tcpi_busy_time).toFixed(1)}%)`;
  }
  if (i.tcpi_unacked) out += ` unacked:${i.tcpi_unacked}`;
  if (i.tcpi_retrans || i.tcpi_total_retrans) out += ` retrans:${i.tcpi_retrans}/${i.tcpi_total_retrans}`;
  if (i.tcpi_lost) out += ` lost:${i.tcpi_lost}`;
  if (i.tcpi_sacked && s.stateNumber !== 10) out += ` sacked:${i.tcpi_sacked}`;
  if (i.tcpi_dsack_dups) out += ` dsack_dups:${i.tcpi_dsack_dups}`;
  if (i.tcpi_fackets) out += ` fackets:${i.tcpi_fackets}`;
  if (i.tcpi_reordering !== 3) out += ` reordering:${i.tcpi_reordering}`;
  if (i.tcpi_reord_seen) out += ` reord_seen:${i.tcpi_reord_seen}`;
  if (i.tcpi_rcv_rtt) out += ` rcv_rtt:${fmtG(i.tcpi_rcv_rtt / 1000)}`;
  if (i.tcpi_rcv_space) out += ` rcv_space:${i.tcpi_rcv_space}`;
  if (i.tcpi_rcv_ssthresh) out += ` rcv_ssthresh:${i.tcpi_rcv_ssthresh}`;
  if (i.tcpi_notsent_bytes) out += ` notsent:${i.tcpi_notsent_bytes}`;
  if (i.tcpi_min_rtt && i.tcpi_min_rtt !== 0xffffffff) out += ` minrtt:${fmtG(i.tcpi_min_rtt / 1000)}`;
  if (i.tcpi_rcv_ooopack) out += ` rcv_ooopack:${i.tcpi_rcv_ooopack}`;
  if (i.tcpi_snd_wnd) out += ` snd_wnd:${i.tcpi_snd_wnd}`;
  return out;
}

function users(o: RowOptions, inode: number): string {
  const u = o.processes?.get(inode);
  return u === undefined ? '' : ` users:(${usersText(u)})`;
}

function details(s: { uid?: number; inode: number; cookie: bigint; mark?: number; cgroupId?: bigint }, o: RowOptions): string {
  let out = '';
  if (s.uid) out += ` uid:${s.uid}`;
  out += ` ino:${s.inode} sk:${s.cookie.toString(16)}`;
  if (s.mark) out += ` fwmark:0x${s.mark.toString(16)}`;
  if (s.cgroupId) out += ` cgroup:${o.cgroup(s.cgroupId)}`;
  return out;
}

function inetRow(s: InetSocket, o: RowOptions): string[] {
  let proc = users(o, s.inode);
  if (o.options && s.timer) {
    proc += ` timer:(${TIMERS[Math.min(s.timer, 5)]},${msTimer(s.expires)},${s.retransmits})`;
  }
  if (o.extended) {
    proc += details(s, o);
    if (s.family === 6 && s.v6only !== undefined) proc += ` v6only:${s.v6only ? 1 : 0}`;
    if (s.shutdown !== undefined) proc += shutdownText(s.shutdown);
  }
  if (o.memory || (o.info && s.protocol !== 'udp')) proc += `\n\t${tcpInfoText(s, o.options ?? false)}`;
  return [s.protocol, stateShortName(s.stateNumber), left6(s.recvQ), left6(s.sendQ),
    inetAddr(s, 'local', o.ifname), port(s.local.port), inetAddr(s, 'remote', o.ifname), port(s.remote.port), proc, ''];
}

const UNIX_NETID: Readonly<Record<UnixSocket['type'], string>> = { stream: 'u_str', dgram: 'u_dgr', seqpacket: 'u_seq', unknown: '???' };

function unixRow(s: UnixSocket, o: RowOptions): string[] {
  let proc = users(o, s.inode);
  if (o.memory) proc += skmem(s.memory);
  if (o.extended) {
    if (s.shutdown !== undefined) proc += shutdownText(s.shutdown);
    if (s.vfs) proc += ` ino:${s.vfs.inode} dev:${devMajor(s.vfs.dev)}/${devMinor(s.vfs.dev)}`;
    if (s.pending) proc += ` peers:${s.pending.map((p) => ` ${p}`).join('')}`;
  }
  return [UNIX_NETID[s.type], stateShortName(s.stateNumber), left6(s.recvQ), left6(s.sendQ),
    `${s.name ?? '*'} `, String(s.inode), '* ', String(s.peer), proc, ''];
}

// The kernel's dev_t as unix_diag sends it (new_encode_dev): glibc's major()/minor() of it.
const devMajor = (d: number): number => (d >>> 8) & 0xfff;
const devMinor = (d: number): number => (d & 0xff) | ((d >>> 12) & 0xfff00);

function packetRow(s: PacketSocket, o: RowOptions): string[] {
  let proc = users(o, s.inode);
  if (o.extended) proc += details(s, o);
  const addr = s.protocol === 3 ? '*' : `[${s.protocol}]`;
  return [s.type === 'raw' ? 'p_raw' : 'p_dgr', stateShortName(s.stateNumber), left6(s.recvQ), left6(0),
    `${addr}:`, s.ifindex === 0 ? '*' : o.ifname(s.ifindex), '*', '', proc, ''];
}

function netlinkRow(s: NetlinkSocketInfo, o: RowOptions): string[] {
  let proc = '';
  if (o.extended) proc += ` sk=0 cb=0 groups=0x${groupWord(s.groups).toString(16).padStart(8, '0')}`;
  if (o.memory) proc += `\t${skmem(s.memory)}`;
  const pid = s.portId | 0;
  const [raddr, rport] = s.connected ? [`${s.dstGroup}:`, String(s.dstPortId | 0)] : ['*', ''];
  return ['nl', stateShortName(s.stateNumber), left6(s.recvQ), left6(s.sendQ),
    `${s.protocol}:`, String(pid), raddr, rport, proc, ''];
}

/** The first 32 groups as the word ss prints (it reads an unsigned long, printed as %08x of... its low bits). */
function groupWord(groups: readonly number[] | undefined): number {
  let w = 0;
  for (const g of groups ?? []) if (g <= 32) w |= 1 << (g - 1);
  return w >>> 0;
}

/** The row of one socket: ten tokens, one per column (table.ts's Col). */
export function socketRow(s: DiagSocket, o: RowOptions): string[] {
  switch (s.kind) {
    case 'inet': return inetRow(s, o);
    case 'unix': return unixRow(s, o);
    case 'packet': return packetRow(s, o);
    case 'netlink': return netlinkRow(s, o);
  }
}

export { Col };
