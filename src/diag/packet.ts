// Packet sockets (packet_diag): the dump request and the decoder of
// packet_diag_msg and its attributes. A packet socket has no state; the
// kernel's messages say nothing of one, so it is "unconnected", as ss shows it.
import { AF_PACKET, SOCK_RAW } from '../generated/libc/socket.js';
import { BPF_TCP_CLOSE } from '../generated/linux/bpf.js';
import { NLM_F_DUMP } from '../generated/linux/netlink.js';
import {
  PACKET_DIAG_FANOUT, PACKET_DIAG_INFO, PACKET_DIAG_MEMINFO, PACKET_DIAG_UID, PACKET_SHOW_FANOUT, PACKET_SHOW_FILTER,
  PACKET_SHOW_INFO, PACKET_SHOW_MEMINFO, PACKET_SHOW_RING_CFG, packet_diag_info, packet_diag_msg, packet_diag_req,
} from '../generated/linux/packet_diag.js';
import { SOCK_DIAG_BY_FAMILY, SK_MEMINFO_RMEM_ALLOC } from '../generated/linux/sock_diag.js';
import type { DecodeIssue } from '../netlink/errors.js';
import { forEachAttr } from '../netlink/reader.js';
import type { Decoder, Request } from '../netlink/request.js';
import { NLMSG_HDRLEN } from '../netlink/writer.js';
import { decodeMemory, readBigU64 } from './memory.js';
import { offsetOf } from './offsets.js';
import { stateName } from './states.js';
import type { PacketSocket } from './types.js';

const MSG = packet_diag_msg.size;

export function packetDumpRequest(): Request {
  const p = Buffer.alloc(packet_diag_req.size);
  p.writeUInt8(AF_PACKET, offsetOf(packet_diag_req, 'sdiag_family'));
  p.writeUInt32LE(PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO | PACKET_SHOW_FILTER | PACKET_SHOW_RING_CFG | PACKET_SHOW_FANOUT,
    offsetOf(packet_diag_req, 'pdiag_show'));
  return { type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_DUMP, payload: p, operation: 'sock_diag dump packet' };
}

const TYPE = offsetOf(packet_diag_msg, 'pdiag_type');
const NUM = offsetOf(packet_diag_msg, 'pdiag_num');
const INO = offsetOf(packet_diag_msg, 'pdiag_ino');
const COOKIE = offsetOf(packet_diag_msg, 'pdiag_cookie');
const INFO = {
  index: offsetOf(packet_diag_info, 'pdi_index'), version: offsetOf(packet_diag_info, 'pdi_version'),
  copy: offsetOf(packet_diag_info, 'pdi_copy_thresh'), flags: offsetOf(packet_diag_info, 'pdi_flags'),
};

export const packetDecoder: Decoder<PacketSocket> = (buf, start, length) => {
  const at = start + NLMSG_HDRLEN;
  const end = start + length;
  const s: PacketSocket = {
    kind: 'packet', type: 'raw', stateNumber: BPF_TCP_CLOSE, state: stateName(BPF_TCP_CLOSE), inode: 0, cookie: 0n,
    protocol: 0, ifindex: 0, recvQ: 0,
  };
  if (end - at < MSG) {
    s.issues = [{ path: 'packet_diag_msg', problem: `${end - at} bytes, packet_diag_msg needs ${MSG}`, offset: at }];
    return s;
  }
  s.type = buf[at + TYPE] === SOCK_RAW ? 'raw' : 'dgram';
  s.protocol = buf.readUInt16LE(at + NUM);
  s.inode = buf.readUInt32LE(at + INO);
  s.cookie = readBigU64(buf, at + COOKIE);
  const problems: DecodeIssue[] = [];
  forEachAttr(buf, at + MSG, end, (type, ps, pe) => {
    const len = pe - ps;
    switch (type & 0x3fff) {
      case PACKET_DIAG_INFO:
        if (len >= packet_diag_info.size) {
          s.ifindex = buf.readUInt32LE(ps + INFO.index);
          s.version = buf.readUInt32LE(ps + INFO.version);
          s.copyThreshold = buf.readUInt32LE(ps + INFO.copy);
          s.flags = buf.readUInt32LE(ps + INFO.flags);
        }
        break;
      case PACKET_DIAG_UID: if (len >= 4) s.uid = buf.readUInt32LE(ps); break;
      case PACKET_DIAG_FANOUT: if (len >= 4) s.fanout = buf.readUInt32LE(ps); break;
      case PACKET_DIAG_MEMINFO:
        s.memory = decodeMemory(buf, ps, pe, problems, 'meminfo');
        if (len > 4 * SK_MEMINFO_RMEM_ALLOC) s.recvQ = buf.readUInt32LE(ps + 4 * SK_MEMINFO_RMEM_ALLOC);
        break;
      default: break;
    }
  }, problems, 'packet_diag_msg');
  if (problems.length > 0) s.issues = problems;
  return s;
};
