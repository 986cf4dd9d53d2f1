// The error model of the protocol core.
//  - EncodeError: bad input caught before anything is sent, naming the field.
//  - NetlinkError: the kernel (or the socket) said no; carries errno, name,
//    extended-ack text and offset, the operation and the sequence number.
//  - DecodeIssue: something malformed on the wire; never thrown, attached to
//    the decoded result so a reader always gets what could be read.
import { errnoByName, errnoMessage, errnoName } from './errno.js';

const EPERM = errnoByName('EPERM');

/** Bad input, found before anything was sent: `path` names the field, the message says what is wrong with it. */
export class EncodeError extends RangeError {
  /** Where in the input the problem is, e.g. `link.linkinfo.data.vni`. */
  readonly path: string;
  constructor(path: string, problem: string) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = 'EncodeError';
    this.path = path;
  }
}

/** What the kernel's extended ACK told us (NLMSGERR_ATTR_*). */
export interface ExtAck {
  message?: string;
  /** Byte offset of the offending attribute in the request message. */
  offset?: number;
  /** The attribute type the kernel says is missing, and in which nest. */
  missingType?: number;
  missingNest?: number;
  cookie?: Buffer;
  /** Attribute types from the outermost to the one at `offset`, when it could be located. */
  attributePath?: number[];
}

/** What a {@link NetlinkError} is made of: the errno and the operation, and what else is known. */
export interface NetlinkErrorInit {
  errno: number;
  operation: string;
  seq?: number;
  extack?: ExtAck;
  /** In a batch: the position of the request that failed. */
  index?: number;
  /** Whatever was received before the failure (dumps). */
  partial?: unknown[];
  detail?: string;
}

/**
 * The kernel (or the socket) refused a request: the errno and its name (`code`, e.g. `'EEXIST'`),
 * the operation, the request's sequence number, the extended ACK's message and offset when the
 * kernel sent one, in a batch the failed request's `index`, and what a dump had received before.
 */
export class NetlinkError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly operation: string;
  readonly seq: number | undefined;
  readonly extack: ExtAck | undefined;
  readonly index: number | undefined;
  readonly partial: unknown[] | undefined;

  constructor(init: NetlinkErrorInit) {
    const code = errnoName(init.errno);
    let text = `${init.operation}: ${code} (${errnoMessage(init.errno)})`;
    if (init.extack?.message) text += `: ${init.extack.message}`;
    if (init.detail) text += ` (${init.detail})`;
    // rtnetlink refuses every change (not a GET) without CAP_NET_ADMIN in the namespace's owning user namespace.
    if (init.errno === EPERM) text += '; changes need CAP_NET_ADMIN';
    super(text);
    this.name = 'NetlinkError';
    this.errno = init.errno;
    this.code = code;
    this.operation = init.operation;
    this.seq = init.seq;
    this.extack = init.extack;
    this.index = init.index;
    this.partial = init.partial;
  }
}

/** A malformed part of a received message; reported, never thrown. */
export interface DecodeIssue {
  /** Where: e.g. `link.linkinfo` or `message 3`. */
  path: string;
  problem: string;
  /** Byte offset in the datagram or message where it was found, when known. */
  offset?: number;
}
