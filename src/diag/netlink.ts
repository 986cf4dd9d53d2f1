// Netlink sockets (netlink_diag): the dump request and the decoder of
// netlink_diag_msg and its attributes. Like packet sockets they have no
// state ss would show beyond "unconnected".
import { AF_NETLINK } from '../generated/libc/socket.js';
import { BPF_TCP_CLOSE } from '../generated/linux/bpf.js';
import { NLM_F_DUMP } from '../generated/linux/netlink.js';
import {
  NDIAG_PROTO_ALL, NDIAG_SHOW_GROUPS, NDIAG_SHOW_MEMINFO, NETLINK_DIAG_GROUPS, NETLINK_DIAG_MEMINFO,
  netlink_diag_msg, netlink_diag_req,
} from '../generated/linux/netlink_diag.js';
import { SOCK_DIAG_BY_FAMILY } from '../generated/linux/sock_diag.js';
import type { DecodeIssue } from '../netlink/errors.js';
import { forEachAttr } from '../netlink/reader.js';
import type { Decoder, Request } from '../netlink/request.js';
import { NLMSG_HDRLEN } from '../netlink/writer.js';
import { decodeMemory, readBigU64 } from './memory.js';
import { offsetOf } from './offsets.js';
import { stateName } from './states.js';
import type { NetlinkSocketInfo } from './types.js';

const MSG = netlink_diag_msg.size;

export function netlinkDumpRequest(): Request {
  const p = Buffer.alloc(netlink_diag_req.size);
  p.writeUInt8(AF_NETLINK, offsetOf(netlink_diag_req, 'sdiag_family'));
  p.writeUInt8(NDIAG_PROTO_ALL, offsetOf(netlink_diag_req, 'sdiag_protocol'));
  p.writeUInt32LE(NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO, offsetOf(netlink_diag_req, 'ndiag_show'));
  return { type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_DUMP, payload: p, operation: 'sock_diag dump netlink' };
}

const O = {
  protocol: offsetOf(netlink_diag_msg, 'ndiag_protocol'), state: offsetOf(netlink_diag_msg, 'ndiag_state'),
  portid: offsetOf(netlink_diag_msg, 'ndiag_portid'), dstPortid: offsetOf(netlink_diag_msg, 'ndiag_dst_portid'),
  dstGroup: offsetOf(netlink_diag_msg, 'ndiag_dst_group'), ino: offsetOf(netlink_diag_msg, 'ndiag_ino'),
  cookie: offsetOf(netlink_diag_msg, 'ndiag_cookie'),
};

export const netlinkDecoder: Decoder<NetlinkSocketInfo> = (buf, start, length) => {
  const at = start + NLMSG_HDRLEN;
  const end = start + length;
  const s: NetlinkSocketInfo = {
    kind: 'netlink', stateNumber: BPF_TCP_CLOSE, state: stateName(BPF_TCP_CLOSE), inode: 0, cookie: 0n,
    protocol: 0, portId: 0, dstPortId: 0, dstGroup: 0, connected: false, recvQ: 0, sendQ: 0,
  };
  if (end - at < MSG) {
    s.issues = [{ path: 'netlink_diag_msg', problem: `${end - at} bytes, netlink_diag_msg needs ${MSG}`, offset: at }];
    return s;
  }
  s.protocol = buf[at + O.protocol]!;
  s.portId = buf.readUInt32LE(at + O.portid);
  s.dstPortId = buf.readUInt32LE(at + O.dstPortid);
  s.dstGroup = buf.readUInt32LE(at + O.dstGroup);
  s.inode = buf.readUInt32LE(at + O.ino);
  s.cookie = readBigU64(buf, at + O.cookie);
  // NETLINK_CONNECTED (1, a kernel-internal number netlink_diag reports as is).
  s.connected = buf[at + O.state] === 1;
  const problems: DecodeIssue[] = [];
  forEachAttr(buf, at + MSG, end, (type, ps, pe) => {
    switch (type & 0x3fff) {
      case NETLINK_DIAG_MEMINFO: {
        const m = decodeMemory(buf, ps, pe, problems, 'meminfo');
        if (m) { s.memory = m; s.recvQ = m.rmemAlloc; s.sendQ = m.wmemAlloc; }
        break;
      }
      case NETLINK_DIAG_GROUPS: {
        const groups: number[] = [];
        for (let p = ps; p + 4 <= pe; p += 4) {
          const word = buf.readUInt32LE(p);
          for (let b = 0; b < 32; b++) if (word & (1 << b)) groups.push((p - ps) * 8 + b + 1);
        }
        s.groups = groups;
        break;
      }
      default: break;
    }
  }, problems, 'netlink_diag_msg');
  if (problems.length > 0) s.issues = problems;
  return s;
};
