// NLMSG_ERROR (an ACK when error is 0) and NLMSG_DONE, with the extended-ack
// TLVs the kernel appends when NETLINK_EXT_ACK is on.
import {
  NLM_F_ACK_TLVS, NLM_F_CAPPED,
  NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
} from '../generated/linux/netlink.js';
import type { DecodeIssue, ExtAck } from './errors.js';
import { NLA_TYPE_MASK, forEachAttr, readCString } from './reader.js';
import { NLMSG_HDRLEN, align4 } from './writer.js';

export interface AckInfo {
  /** 0 for an ACK, otherwise a positive errno. */
  errno: number;
  extack?: ExtAck;
  /** The header of the request this answers (NLMSG_ERROR only). */
  requestType?: number;
  requestSeq?: number;
}

/** Decodes the payload of an NLMSG_ERROR message starting at `start` (the message header). */
export function decodeError(buf: Buffer, start: number, length: number, issues?: DecodeIssue[]): AckInfo {
  const end = start + length;
  const p = start + NLMSG_HDRLEN;
  const flags = buf.readUInt16LE(start + 6);
  if (end - p < 4) {
    issues?.push({ path: 'nlmsgerr', problem: 'error message without an error code', offset: start });
    return { errno: 0 };
  }
  const errno = -buf.readInt32LE(p);
  const info: AckInfo = { errno };
  const orig = p + 4;
  if (end - orig < NLMSG_HDRLEN) return info;
  const origLen = buf.readUInt32LE(orig);
  info.requestType = buf.readUInt16LE(orig + 4);
  info.requestSeq = buf.readUInt32LE(orig + 8);
  if (flags & NLM_F_ACK_TLVS) {
    // The echoed request's length comes off the wire: compare before aligning (align4 of a huge u32 wraps).
    const echoed = (flags & NLM_F_CAPPED) ? NLMSG_HDRLEN : origLen;
    if (echoed >= NLMSG_HDRLEN && echoed <= end - orig) info.extack = decodeExtAck(buf, Math.min(end, orig + align4(echoed)), end, issues);
    else issues?.push({ path: 'nlmsgerr', problem: `extended ack beyond the message end: the echoed request claims ${echoed} bytes, ${end - orig} are left`, offset: orig });
  }
  return info;
}

/** Decodes NLMSG_DONE: an optional error code (a dump that failed midway) and extack. */
export function decodeDone(buf: Buffer, start: number, length: number, issues?: DecodeIssue[]): AckInfo {
  const end = start + length;
  const p = start + NLMSG_HDRLEN;
  if (end - p < 4) return { errno: 0 };
  const info: AckInfo = { errno: -buf.readInt32LE(p) };
  if (buf.readUInt16LE(start + 6) & NLM_F_ACK_TLVS) info.extack = decodeExtAck(buf, p + 4, end, issues);
  return info;
}

function decodeExtAck(buf: Buffer, start: number, end: number, issues?: DecodeIssue[]): ExtAck | undefined {
  const ack: ExtAck = {};
  let any = false;
  forEachAttr(buf, start, end, (rawType, s, e) => {
    const have = e - s;
    switch (rawType & NLA_TYPE_MASK) {
      case NLMSGERR_ATTR_MSG: ack.message = readCString(buf, s, e); any = true; break;
      case NLMSGERR_ATTR_OFFS: if (have >= 4) { ack.offset = buf.readUInt32LE(s); any = true; } break;
      case NLMSGERR_ATTR_MISS_TYPE: if (have >= 4) { ack.missingType = buf.readUInt32LE(s); any = true; } break;
      case NLMSGERR_ATTR_MISS_NEST: if (have >= 4) { ack.missingNest = buf.readUInt32LE(s); any = true; } break;
      case NLMSGERR_ATTR_COOKIE: ack.cookie = Buffer.from(buf.subarray(s, e)); any = true; break;
      default: break; // NLMSGERR_ATTR_POLICY and newer: not needed to report the error
    }
  }, issues, 'extack');
  return any ? ack : undefined;
}

/**
 * Finds which attribute of a request an extack offset points into: the chain
 * of attribute types from the outermost nest down to the attribute itself.
 * `fixedLen` is the size of the family header after the nlmsghdr.
 */
export function locateAttribute(request: Buffer, fixedLen: number, offset: number): number[] | undefined {
  const path: number[] = [];
  let start = NLMSG_HDRLEN + fixedLen;
  let end = Math.min(request.length, request.length >= 4 ? request.readUInt32LE(0) : 0);
  for (;;) {
    let found: [number, number, number] | undefined;
    forEachAttr(request, start, end, (t, s, e) => {
      if (!found && offset >= s - 4 && offset < align4(e)) found = [t & NLA_TYPE_MASK, s, e];
    });
    if (!found) return path.length ? path : undefined;
    path.push(found[0]);
    if (offset === found[1] - 4) return path;
    [, start, end] = found;
  }
}
