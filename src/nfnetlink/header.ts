// The nfnetlink framing every netfilter message shares: the message type is
// subsystem << 8 | message, and the payload starts with struct nfgenmsg
// (address family, version NFNETLINK_V0, res_id big-endian: the resource id,
// e.g. a conntrack zone... or for a batch, the subsystem the batch is for).
// docs/architecture.md (the nfnetlink layer), docs/netfilter.md.
import { NFNETLINK_V0, nfgenmsg } from '../generated/linux/netfilter/nfnetlink.js';
import { NLMSG_HDRLEN, type NetlinkWriter } from '../netlink/writer.js';
import type { Request } from '../netlink/request.js';
import { checkInt } from '../netlink/ints.js';

/** Bytes of struct nfgenmsg after the nlmsghdr (4, already aligned). */
export const NFGENMSG_LEN = nfgenmsg.size;

/** nlmsg_type of message `msg` of subsystem `subsys` (NFNL_SUBSYS_*). */
export function nfType(subsys: number, msg: number): number {
  return ((subsys & 0xff) << 8) | (msg & 0xff);
}

/** The subsystem of an nfnetlink message type. */
export const subsysOf = (type: number): number => (type >> 8) & 0xff;
/** The subsystem's own message number (IPCTNL_MSG_*, NFT_MSG_*...). */
export const msgOf = (type: number): number => type & 0xff;

/** The nfnetlink header (struct nfgenmsg): family, version, resource id. */
export interface Nfgenmsg {
  /** NFPROTO_* / AF_* (0: unspecified). */
  family: number;
  version: number;
  /** res_id, host order (it travels big-endian). */
  resId: number;
}

/** Writes struct nfgenmsg (the writer is positioned right after the nlmsghdr). */
export function writeNfgenmsg(w: NetlinkWriter, family: number, resId = 0, version = NFNETLINK_V0): void {
  const at = w.reserve(NFGENMSG_LEN);
  const b = w.buffer;
  b[at] = family & 0xff;
  b[at + 1] = version & 0xff;
  b.writeUInt16BE(resId & 0xffff, at + 2);
}

/** Reads struct nfgenmsg of the message at buf[start] (nlmsghdr included); undefined when too short. */
export function readNfgenmsg(buf: Buffer, start: number, length: number): Nfgenmsg | undefined {
  if (length < NLMSG_HDRLEN + NFGENMSG_LEN) return undefined;
  const at = start + NLMSG_HDRLEN;
  return { family: buf[at]!, version: buf[at + 1]!, resId: buf.readUInt16BE(at + 2) };
}

/** What an nfnetlink request is made of: subsystem, message, flags, family and resource id. */
export interface NfRequestInit {
  subsys: number;
  msg: number;
  /** nfgen_family (NFPROTO_*); default 0 (unspecified). */
  family?: number;
  /** nfgenmsg res_id; default 0. */
  resId?: number;
  /** nfgenmsg version; default NFNETLINK_V0 (some requests read a nonzero version as "newer semantics"). */
  version?: number;
  /** NLM_F_* beyond REQUEST and ACK (CREATE, EXCL, DUMP...). */
  flags?: number;
  /** Writes the attributes after the nfgenmsg. */
  attrs?: (w: NetlinkWriter) => void;
  /** How errors name this request, e.g. `conntrack delete`. */
  operation: string;
  /** Whether a data message answering this request is its reply (a GET). Default true. */
  expectReply?: boolean;
}

/** A Request for the socket engine with the nfnetlink type and header. */
export function nfRequest(init: NfRequestInit): Request {
  const family = Number(checkInt('u8', init.family ?? 0, `${init.operation}.family`));
  const resId = Number(checkInt('u16', init.resId ?? 0, `${init.operation}.resId`));
  const version = Number(checkInt('u8', init.version ?? NFNETLINK_V0, `${init.operation}.version`));
  const req: Request = {
    type: nfType(init.subsys, init.msg),
    flags: init.flags ?? 0,
    operation: init.operation,
    headerSize: NFGENMSG_LEN,
    body: (w) => {
      writeNfgenmsg(w, family, resId, version);
      init.attrs?.(w);
    },
  };
  if (init.expectReply !== undefined) req.expectReply = init.expectReply;
  return req;
}
