// Reading what the wire brings: messages out of a datagram, attributes out of
// a message or a nest. Every step is bounds-checked and nothing here throws
// on malformed input: a bad length ends the walk and becomes a DecodeIssue.
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from '../generated/linux/netlink.js';
import type { DecodeIssue } from './errors.js';
import { type IntKind, INT_SIZE, readInt } from './ints.js';
import { NLA_HDRLEN, NLMSG_HDRLEN, align4 } from './writer.js';

export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

/** A netlink message header (struct nlmsghdr) as read. */
export interface MessageHeader {
  length: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/** Reads the message header at `at`. */
export function readHeader(buf: Buffer, at: number): MessageHeader {
  return {
    length: buf.readUInt32LE(at),
    type: buf.readUInt16LE(at + 4),
    flags: buf.readUInt16LE(at + 6),
    seq: buf.readUInt32LE(at + 8),
    pid: buf.readUInt32LE(at + 12),
  };
}

/**
 * Calls visit(start, length) for each message in buf[0, end). A message whose
 * length is impossible ends the walk with an issue (there is no way to find
 * the next one). Returning false from visit stops early.
 */
export function forEachMessage(
  buf: Buffer, end: number, visit: (start: number, length: number) => boolean | void, issues?: DecodeIssue[],
): void {
  let at = 0;
  while (at < end) {
    if (end - at < NLMSG_HDRLEN) {
      issues?.push({ path: 'datagram', problem: `${end - at} trailing bytes, too short for a message header`, offset: at });
      return;
    }
    const len = buf.readUInt32LE(at);
    if (len < NLMSG_HDRLEN || len > end - at) {
      issues?.push({ path: 'datagram', problem: `message length ${len} does not fit the ${end - at} bytes left`, offset: at });
      return;
    }
    if (visit(at, len) === false) return;
    at += align4(len);
  }
}

/**
 * Calls visit(type, start, end) for each attribute in buf[start, end), where
 * `type` still carries the NLA_F_* flag bits and [start, end) is the payload.
 */
export function forEachAttr(
  buf: Buffer, start: number, end: number,
  visit: (type: number, payloadStart: number, payloadEnd: number) => void,
  issues?: DecodeIssue[], path = 'attributes',
): void {
  let at = start;
  while (end - at >= NLA_HDRLEN) {
    const len = buf.readUInt16LE(at);
    if (len < NLA_HDRLEN || len > end - at) {
      issues?.push({ path, problem: `attribute length ${len} does not fit the ${end - at} bytes left`, offset: at });
      return;
    }
    visit(buf.readUInt16LE(at + 2), at + NLA_HDRLEN, at + len);
    at += align4(len);
  }
  if (at < end && end - at < NLA_HDRLEN && !isZeroPadding(buf, at, end)) {
    issues?.push({ path, problem: `${end - at} trailing bytes after the last attribute`, offset: at });
  }
}

function isZeroPadding(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

/** One attribute as a bounds-checked view; getters return undefined when the payload is too short. */
export class Attr {
  constructor(
    readonly buf: Buffer,
    /** The type with NLA_F_NESTED / NLA_F_NET_BYTEORDER bits, as sent. */
    readonly rawType: number,
    readonly start: number,
    readonly end: number,
  ) {}

  get type(): number { return this.rawType & NLA_TYPE_MASK; }
  get isNested(): boolean { return (this.rawType & NLA_F_NESTED) !== 0; }
  get netByteOrder(): boolean { return (this.rawType & NLA_F_NET_BYTEORDER) !== 0; }
  get length(): number { return this.end - this.start; }

  /** The payload as an integer of this kind; undefined when it is too short. */
  int(kind: IntKind): number | undefined {
    return this.length >= INT_SIZE[kind] ? readInt(this.buf, this.start, kind) : undefined;
  }
  /** The payload as a u8; undefined when it is too short. */
  u8(): number | undefined { return this.int('u8'); }
  /** The payload as a u16; undefined when it is too short. */
  u16(): number | undefined { return this.int('u16'); }
  /** The payload as a u32; undefined when it is too short. */
  u32(): number | undefined { return this.int('u32'); }
  /** The payload as a u64 (a number: exact up to 2^53); undefined when it is too short. */
  u64(): number | undefined { return this.int('u64'); }
  /** The payload as an s32; undefined when it is too short. */
  s32(): number | undefined { return this.int('s32'); }
  /** The payload as a big-endian u16; undefined when it is too short. */
  be16(): number | undefined { return this.int('be16'); }
  /** The payload as a big-endian u32; undefined when it is too short. */
  be32(): number | undefined { return this.int('be32'); }

  /** A C string: up to the first NUL or the end of the payload. */
  string(): string {
    return readCString(this.buf, this.start, this.end);
  }

  /** A copy of the payload (the receive buffer is reused). */
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(this.start, this.end));
  }

  /** The attributes nested inside this one. */
  nested(issues?: DecodeIssue[]): Attr[] {
    return parseAttrs(this.buf, this.start, this.end, issues);
  }
}

/** The attributes between `start` and `end` as a list; malformed ones become issues, not exceptions. */
export function parseAttrs(buf: Buffer, start: number, end: number, issues?: DecodeIssue[], path?: string): Attr[] {
  const out: Attr[] = [];
  forEachAttr(buf, start, end, (t, s, e) => { out.push(new Attr(buf, t, s, e)); }, issues, path);
  return out;
}

export function readCString(buf: Buffer, start: number, end: number): string {
  let nul = start;
  while (nul < end && buf[nul] !== 0) nul++;
  return buf.toString('utf8', start, nul);
}
