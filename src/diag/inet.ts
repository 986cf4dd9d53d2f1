// TCP, UDP and raw sockets over IPv4 and IPv6 (inet_diag): the dump request
// (inet_diag_req_v2, with the kernel-side filter as INET_DIAG_REQ_BYTECODE),
// the decoder of inet_diag_msg and its attributes, and SOCK_DESTROY.
import { AF_INET, AF_INET6 } from '../generated/libc/socket.js';
import { IPPROTO_RAW, IPPROTO_TCP, IPPROTO_UDP } from '../generated/linux/in.js';
import {
  INET_DIAG_BBRINFO, INET_DIAG_CGROUP_ID, INET_DIAG_CLASS_ID, INET_DIAG_CONG, INET_DIAG_DCTCPINFO, INET_DIAG_INFO,
  INET_DIAG_MARK, INET_DIAG_MEMINFO, INET_DIAG_PROTOCOL, INET_DIAG_REQ_BYTECODE, INET_DIAG_SHUTDOWN,
  INET_DIAG_SKMEMINFO, INET_DIAG_SKV6ONLY, INET_DIAG_TCLASS, INET_DIAG_TOS, INET_DIAG_VEGASINFO,
  inet_diag_meminfo, inet_diag_msg, inet_diag_req_v2, inet_diag_sockid, tcp_bbr_info, tcp_dctcp_info, tcpvegas_info,
} from '../generated/linux/inet_diag.js';
import { NLM_F_DUMP } from '../generated/linux/netlink.js';
import { SOCK_DESTROY, SOCK_DIAG_BY_FAMILY } from '../generated/linux/sock_diag.js';
import { tcp_info } from '../generated/linux/tcp.js';
import type { StructLayout } from '../generated/layout.js';
import type { DecodeIssue } from '../netlink/errors.js';
import { formatIPv4, formatIPv6 } from '../netlink/ip.js';
import { forEachAttr, readCString } from '../netlink/reader.js';
import type { Decoder, Request } from '../netlink/request.js';
import { NLMSG_HDRLEN, NLA_HDRLEN, align4 } from '../netlink/writer.js';
import { decodeStruct } from '../netlink/struct.js';
import { decodeMemory, readBigU64 } from './memory.js';
import { offsetOf } from './offsets.js';
import { stateName } from './states.js';
import type { DiagExtensions, InetEndpoint, InetSocket } from './types.js';

export const INET_PROTOCOLS = { tcp: IPPROTO_TCP, udp: IPPROTO_UDP, raw: IPPROTO_RAW } as const;
export type InetProtocol = keyof typeof INET_PROTOCOLS;

const field = offsetOf;
const MSG = inet_diag_msg.size;
const ID = field(inet_diag_msg, 'id');
const SPORT = ID + field(inet_diag_sockid, 'idiag_sport');
const DPORT = ID + field(inet_diag_sockid, 'idiag_dport');
const SRC = ID + field(inet_diag_sockid, 'idiag_src');
const DST = ID + field(inet_diag_sockid, 'idiag_dst');
const IF = ID + field(inet_diag_sockid, 'idiag_if');
const COOKIE = ID + field(inet_diag_sockid, 'idiag_cookie');
const FAMILY = field(inet_diag_msg, 'idiag_family');
const STATE = field(inet_diag_msg, 'idiag_state');
const TIMER = field(inet_diag_msg, 'idiag_timer');
const RETRANS = field(inet_diag_msg, 'idiag_retrans');
const EXPIRES = field(inet_diag_msg, 'idiag_expires');
const RQUEUE = field(inet_diag_msg, 'idiag_rqueue');
const WQUEUE = field(inet_diag_msg, 'idiag_wqueue');
const UID = field(inet_diag_msg, 'idiag_uid');
const INODE = field(inet_diag_msg, 'idiag_inode');

const REQ_FAMILY = field(inet_diag_req_v2, 'sdiag_family');
const REQ_PROTOCOL = field(inet_diag_req_v2, 'sdiag_protocol');
const REQ_EXT = field(inet_diag_req_v2, 'idiag_ext');
const REQ_STATES = field(inet_diag_req_v2, 'idiag_states');
const REQ_ID = field(inet_diag_req_v2, 'id');

/** The idiag_ext bits for what is asked (as ss asks for them). */
export function inetExtensions(ext: DiagExtensions): number {
  let bits = 0;
  const ask = (attr: number): void => { bits |= 1 << (attr - 1); };
  if (ext.memory) { ask(INET_DIAG_MEMINFO); ask(INET_DIAG_SKMEMINFO); }
  if (ext.info) { ask(INET_DIAG_INFO); ask(INET_DIAG_VEGASINFO); ask(INET_DIAG_CONG); }
  if (ext.tos) { ask(INET_DIAG_TOS); ask(INET_DIAG_TCLASS); }
  return bits;
}

/** A dump of one protocol over one family, with an optional kernel-side filter. */
export function inetDumpRequest(protocol: InetProtocol, family: 4 | 6, states: number, ext: DiagExtensions, bytecode?: Buffer): Request {
  const bc = bytecode && bytecode.length > 0 ? bytecode : undefined;
  const payload = Buffer.alloc(inet_diag_req_v2.size + (bc ? NLA_HDRLEN + align4(bc.length) : 0));
  payload.writeUInt8(family === 4 ? AF_INET : AF_INET6, REQ_FAMILY);
  payload.writeUInt8(INET_PROTOCOLS[protocol], REQ_PROTOCOL);
  payload.writeUInt8(inetExtensions(ext), REQ_EXT);
  payload.writeUInt32LE(states >>> 0, REQ_STATES);
  if (bc) {
    const at = inet_diag_req_v2.size;
    payload.writeUInt16LE(NLA_HDRLEN + bc.length, at);
    payload.writeUInt16LE(INET_DIAG_REQ_BYTECODE, at + 2);
    bc.copy(payload, at + NLA_HDRLEN);
  }
  return { type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_DUMP, payload, operation: `sock_diag dump ${protocol}${family === 6 ? '6' : ''}` };
}

/** SOCK_DESTROY of one socket, named as the kernel named it in a dump (addresses, ports, interface, cookie). */
export function inetDestroyRequest(s: InetSocket): Request {
  const payload = Buffer.alloc(inet_diag_req_v2.size);
  payload.writeUInt8(s.family === 4 ? AF_INET : AF_INET6, REQ_FAMILY);
  payload.writeUInt8(INET_PROTOCOLS[s.protocol], REQ_PROTOCOL);
  // A raw socket is named by its own protocol too (inet_diag_req_raw's sdiag_raw_protocol, where v2 has pad).
  if (s.protocol === 'raw') payload.writeUInt8(s.rawProtocol ?? 0, REQ_EXT + 1);
  const id = REQ_ID;
  payload.writeUInt16BE(s.local.port, id + field(inet_diag_sockid, 'idiag_sport'));
  payload.writeUInt16BE(s.remote.port, id + field(inet_diag_sockid, 'idiag_dport'));
  s.local.bytes.copy(payload, id + field(inet_diag_sockid, 'idiag_src'));
  s.remote.bytes.copy(payload, id + field(inet_diag_sockid, 'idiag_dst'));
  payload.writeUInt32LE(s.ifindex >>> 0, id + field(inet_diag_sockid, 'idiag_if'));
  payload.writeUInt32LE(Number(s.cookie & 0xffffffffn), id + field(inet_diag_sockid, 'idiag_cookie'));
  payload.writeUInt32LE(Number(s.cookie >> 32n), id + field(inet_diag_sockid, 'idiag_cookie') + 4);
  return {
    type: SOCK_DESTROY, payload, expectReply: false,
    operation: `sock destroy ${s.protocol} ${endpointText(s.local)} ${endpointText(s.remote)}`,
  };
}

function endpointText(e: InetEndpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** A kernel struct in an attribute; a shorter one (older kernel) is zero-filled, as ss does. */
function struct<L extends StructLayout>(layout: L, buf: Buffer, start: number, end: number) {
  if (end - start >= layout.size) return decodeStruct(layout, buf, start);
  const padded = Buffer.alloc(layout.size);
  buf.copy(padded, 0, start, end);
  return decodeStruct(layout, padded, 0);
}

/** Where a message's issues are collected (copied out when there are any): no array per socket. */
const scratch: DecodeIssue[] = [];

/** A decoder of inet_diag_msg for sockets of `protocol` (the message does not say which). */
export function inetDecoder(protocol: InetProtocol): Decoder<InetSocket> {
  return (buf, start, length) => {
    const at = start + NLMSG_HDRLEN;
    const end = start + length;
    let issues: DecodeIssue[] | undefined;
    if (end - at < MSG) {
      return { kind: 'inet', protocol, family: 4, stateNumber: 0, state: undefined, inode: 0, cookie: 0n,
        local: endpoint(Buffer.alloc(4), 0), remote: endpoint(Buffer.alloc(4), 0), ifindex: 0, uid: 0, recvQ: 0, sendQ: 0,
        timer: 0, expires: 0, retransmits: 0,
        issues: [{ path: 'inet_diag_msg', problem: `${end - at} bytes, inet_diag_msg needs ${MSG}`, offset: at }] };
    }
    const v6 = buf[at + FAMILY] === AF_INET6;
    const alen = v6 ? 16 : 4;
    const stateNumber = buf[at + STATE]!;
    const s: InetSocket = {
      kind: 'inet', protocol, family: v6 ? 6 : 4, stateNumber, state: stateName(stateNumber),
      local: endpoint(Buffer.from(buf.subarray(at + SRC, at + SRC + alen)), buf.readUInt16BE(at + SPORT)),
      remote: endpoint(Buffer.from(buf.subarray(at + DST, at + DST + alen)), buf.readUInt16BE(at + DPORT)),
      ifindex: buf.readUInt32LE(at + IF), cookie: readBigU64(buf, at + COOKIE),
      inode: buf.readUInt32LE(at + INODE), uid: buf.readUInt32LE(at + UID),
      recvQ: buf.readUInt32LE(at + RQUEUE), sendQ: buf.readUInt32LE(at + WQUEUE),
      timer: buf[at + TIMER]!, expires: buf.readUInt32LE(at + EXPIRES), retransmits: buf[at + RETRANS]!,
    };
    const problems = scratch;
    problems.length = 0;
    forEachAttr(buf, at + MSG, end, (type, ps, pe) => {
      const len = pe - ps;
      switch (type & 0x3fff) {
        case INET_DIAG_MARK: if (len >= 4) s.mark = buf.readUInt32LE(ps); break;
        case INET_DIAG_CGROUP_ID: if (len >= 8) s.cgroupId = readBigU64(buf, ps); break;
        case INET_DIAG_TOS: if (len >= 1) s.tos = buf[ps]!; break;
        case INET_DIAG_TCLASS: if (len >= 1) s.tclass = buf[ps]!; break;
        case INET_DIAG_CLASS_ID: if (len >= 4) s.classId = buf.readUInt32LE(ps); break;
        case INET_DIAG_SHUTDOWN: if (len >= 1) s.shutdown = buf[ps]!; break;
        case INET_DIAG_SKV6ONLY: if (len >= 1) s.v6only = buf[ps] !== 0; break;
        case INET_DIAG_PROTOCOL: if (len >= 1) s.rawProtocol = buf[ps]!; break;
        case INET_DIAG_CONG: s.congestion = readCString(buf, ps, pe); break;
        case INET_DIAG_INFO: if (protocol === 'tcp') s.tcpInfo = struct(tcp_info, buf, ps, pe); break;
        case INET_DIAG_MEMINFO: s.meminfo = struct(inet_diag_meminfo, buf, ps, pe); break;
        case INET_DIAG_SKMEMINFO: s.memory = decodeMemory(buf, ps, pe, problems, 'skmeminfo'); break;
        case INET_DIAG_VEGASINFO: s.vegas = struct(tcpvegas_info, buf, ps, pe); break;
        case INET_DIAG_DCTCPINFO: s.dctcp = struct(tcp_dctcp_info, buf, ps, pe); break;
        case INET_DIAG_BBRINFO: s.bbr = struct(tcp_bbr_info, buf, ps, pe); break;
        default: break;
      }
    }, problems, 'inet_diag_msg');
    issues = problems.length > 0 ? problems.splice(0) : undefined;
    if (issues) s.issues = issues;
    return s;
  };
}

function endpoint(bytes: Buffer, port: number): InetEndpoint {
  return { address: bytes.length === 4 ? formatIPv4(bytes) : formatIPv6(bytes), port, bytes };
}
