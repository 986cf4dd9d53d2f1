// What comes out of a NetlinkSocket when no family decodes it: the raw message.
import type { Decoder } from '../netlink/request.js';
import { NLMSG_HDRLEN } from '../netlink/writer.js';

/** A message as received, with its payload copied out. */
export interface NlMessage {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  payload: Buffer;
}

/** A decoder that keeps each message as it came: header fields and the payload's bytes. */
export const rawMessage: Decoder<NlMessage> = (buf, start, length) => ({
  type: buf.readUInt16LE(start + 4),
  flags: buf.readUInt16LE(start + 6),
  seq: buf.readUInt32LE(start + 8),
  pid: buf.readUInt32LE(start + 12),
  payload: Buffer.from(buf.subarray(start + NLMSG_HDRLEN, start + length)),
});
