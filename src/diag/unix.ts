// UNIX sockets (unix_diag): the dump request and the decoder of
// unix_diag_msg and its attributes.
import { AF_UNIX, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM } from '../generated/libc/socket.js';
import { NLM_F_DUMP } from '../generated/linux/netlink.js';
import { SOCK_DIAG_BY_FAMILY } from '../generated/linux/sock_diag.js';
import {
  UDIAG_SHOW_ICONS, UDIAG_SHOW_MEMINFO, UDIAG_SHOW_NAME, UDIAG_SHOW_PEER, UDIAG_SHOW_RQLEN, UDIAG_SHOW_VFS,
  UNIX_DIAG_ICONS, UNIX_DIAG_MEMINFO, UNIX_DIAG_NAME, UNIX_DIAG_PEER, UNIX_DIAG_RQLEN, UNIX_DIAG_SHUTDOWN, UNIX_DIAG_UID,
  UNIX_DIAG_VFS, unix_diag_msg, unix_diag_req,
} from '../generated/linux/unix_diag.js';
import type { DecodeIssue } from '../netlink/errors.js';
import { forEachAttr } from '../netlink/reader.js';
import type { Decoder, Request } from '../netlink/request.js';
import { NLMSG_HDRLEN } from '../netlink/writer.js';
import { decodeMemory, readBigU64 } from './memory.js';
import { offsetOf } from './offsets.js';
import { stateName } from './states.js';
import type { DiagExtensions, UnixSocket } from './types.js';

const TYPES: Readonly<Record<number, UnixSocket['type']>> = { [SOCK_STREAM]: 'stream', [SOCK_DGRAM]: 'dgram', [SOCK_SEQPACKET]: 'seqpacket' };
const MSG = unix_diag_msg.size;

export function unixDumpRequest(states: number, ext: DiagExtensions): Request {
  const p = Buffer.alloc(unix_diag_req.size);
  p.writeUInt8(AF_UNIX, offsetOf(unix_diag_req, 'sdiag_family'));
  p.writeUInt32LE(states >>> 0, offsetOf(unix_diag_req, 'udiag_states'));
  let show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
  if (ext.memory) show |= UDIAG_SHOW_MEMINFO;
  if (ext.details) show |= UDIAG_SHOW_VFS | UDIAG_SHOW_ICONS;
  p.writeUInt32LE(show, offsetOf(unix_diag_req, 'udiag_show'));
  return { type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_DUMP, payload: p, operation: 'sock_diag dump unix' };
}

const TYPE = offsetOf(unix_diag_msg, 'udiag_type');
const STATE = offsetOf(unix_diag_msg, 'udiag_state');
const INO = offsetOf(unix_diag_msg, 'udiag_ino');
const COOKIE = offsetOf(unix_diag_msg, 'udiag_cookie');

export const unixDecoder: Decoder<UnixSocket> = (buf, start, length) => {
  const at = start + NLMSG_HDRLEN;
  const end = start + length;
  if (end - at < MSG) {
    return { kind: 'unix', type: 'unknown', stateNumber: 0, state: undefined, inode: 0, cookie: 0n, peer: 0, recvQ: 0, sendQ: 0,
      issues: [{ path: 'unix_diag_msg', problem: `${end - at} bytes, unix_diag_msg needs ${MSG}`, offset: at }] };
  }
  const stateNumber = buf[at + STATE]!;
  const s: UnixSocket = {
    kind: 'unix', type: TYPES[buf[at + TYPE]!] ?? 'unknown', stateNumber, state: stateName(stateNumber),
    inode: buf.readUInt32LE(at + INO), cookie: readBigU64(buf, at + COOKIE), peer: 0, recvQ: 0, sendQ: 0,
  };
  const problems: DecodeIssue[] = [];
  forEachAttr(buf, at + MSG, end, (type, ps, pe) => {
    const len = pe - ps;
    switch (type & 0x3fff) {
      case UNIX_DIAG_NAME:
        // An abstract name starts with NUL; ss shows every NUL in it as '@'.
        s.name = buf[ps] === 0 ? buf.toString('latin1', ps, pe).replace(/\0/g, '@') : buf.toString('utf8', ps, pe).replace(/\0.*$/s, '');
        break;
      case UNIX_DIAG_PEER: if (len >= 4) s.peer = buf.readUInt32LE(ps); break;
      case UNIX_DIAG_RQLEN: if (len >= 8) { s.recvQ = buf.readUInt32LE(ps); s.sendQ = buf.readUInt32LE(ps + 4); } break;
      case UNIX_DIAG_UID: if (len >= 4) s.uid = buf.readUInt32LE(ps); break;
      case UNIX_DIAG_SHUTDOWN: if (len >= 1) s.shutdown = buf[ps]!; break;
      case UNIX_DIAG_VFS: if (len >= 8) s.vfs = { inode: buf.readUInt32LE(ps), dev: buf.readUInt32LE(ps + 4) }; break;
      case UNIX_DIAG_ICONS: {
        const list: number[] = [];
        for (let p = ps; p + 4 <= pe; p += 4) list.push(buf.readUInt32LE(p));
        s.pending = list;
        break;
      }
      case UNIX_DIAG_MEMINFO: s.memory = decodeMemory(buf, ps, pe, problems, 'meminfo'); break;
      default: break;
    }
  }, problems, 'unix_diag_msg');
  if (problems.length > 0) s.issues = problems;
  return s;
};
