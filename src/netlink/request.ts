// What a family hands the socket (a Request) and what turns a received
// message back into a value (a Decoder). Part of the protocol core, so that
// families and tc build requests without importing the socket layer
// (docs/architecture.md).
import type { NetlinkWriter } from './writer.js';

/** One request message. The socket adds the header, seq, port id and ACK flags. */
export interface Request {
  /** nlmsg_type, e.g. RTM_NEWLINK. */
  type: number;
  /** NLM_F_* flags beyond REQUEST and ACK (CREATE, EXCL, REPLACE, APPEND, DUMP, ECHO...). */
  flags?: number;
  /** Writes the payload after the nlmsghdr. */
  body?: (w: NetlinkWriter) => void;
  /** Or the payload as bytes. */
  payload?: Uint8Array;
  /** How errors name this request, e.g. `link add veth0`. */
  operation?: string;
  /** Size of the family's fixed header, so an extack offset can be traced to an attribute. */
  headerSize?: number;
  /**
   * Whether a data message answering this request is its reply (a GET, an
   * ECHO). False for plain changes, so that on a socket subscribed to
   * multicast groups the notification of our own change, which carries our
   * port id and sequence number, is delivered as an event instead. Default true.
   */
  expectReply?: boolean;
}

/**
 * Turns a received message into a value. buf[start, start+length) is the whole
 * message, header included. The buffer is reused after the call returns: copy
 * what you keep. Returning undefined skips the message.
 */
export type Decoder<T> = (buf: Buffer, start: number, length: number) => T | undefined;
