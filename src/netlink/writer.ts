// Builds netlink messages and their attribute TLVs into one growable buffer,
// so a batch of many messages is a single allocation and a single datagram.
// Layout rules follow the kernel (and iproute2, whose bytes we match): every
// attribute is padded to 4 bytes, a nest's length covers its padded content,
// a message's length covers its padded attributes.
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from '../generated/linux/netlink.js';
import { nlmsghdr } from '../generated/linux/netlink.js';
import { EncodeError } from './errors.js';
import { type IntKind, INT_SIZE, checkInt, writeInt } from './ints.js';

/** Size of a netlink message header (struct nlmsghdr), 16 bytes. */
export const NLMSG_HDRLEN = nlmsghdr.size;
/** Size of an attribute header (struct nlattr), 4 bytes. */
export const NLA_HDRLEN = 4;
const NLA_MAX_LEN = 0xffff;

/** Rounds a length up to netlink's 4-byte alignment. */
export const align4 = (n: number): number => (n + 3) & ~3;

/** Writes netlink messages and attributes into one growing buffer, aligned as the kernel expects. */
export class NetlinkWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(capacity = 4096) {
    this.buf = Buffer.alloc(capacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** The bytes written so far, as a view that the next write may invalidate. */
  view(start = 0, end = this.pos): Buffer {
    return this.buf.subarray(start, end);
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  /** Forgets everything written; keeps the allocation. */
  reset(): void {
    this.pos = 0;
  }

  /** Drops everything written after `pos` (undoes a partly written message). */
  truncate(pos: number): void {
    if (pos < 0 || pos > this.pos) throw new RangeError(`cannot truncate to ${pos}`);
    this.pos = pos;
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.alloc(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Appends n zero bytes and returns their offset (for fixed headers and structs). */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.pos;
    const b = this.buf;
    // A loop beats Buffer#fill's argument checks for the few bytes of a header.
    for (let i = at, end = at + n; i < end; i++) b[i] = 0;
    this.pos += n;
    return at;
  }

  /** Direct access for struct encoders writing into reserved space. */
  get buffer(): Buffer {
    return this.buf;
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Appends buf[start, end) (a received message, say) without making a view of it first. */
  copyFrom(buf: Buffer, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    // Byte by byte below a few hundred bytes: Buffer#copy makes a view per call.
    if (n < 512) {
      const b = this.buf;
      for (let i = 0, at = this.pos; i < n; i++) b[at + i] = buf[start + i]!;
    } else {
      buf.copy(this.buf, this.pos, start, end);
    }
    this.pos += n;
  }

  /** Pads with zeros to the next 4-byte boundary. */
  pad(): void {
    const aligned = align4(this.pos);
    if (aligned !== this.pos) this.reserve(aligned - this.pos);
  }

  // ── messages ──────────────────────────────────────────────────────────

  /** Starts a message; returns its offset for endMessage. */
  beginMessage(type: number, flags: number, seq = 0, pid = 0): number {
    checkU16(type, 'nlmsg_type');
    checkU16(flags, 'nlmsg_flags');
    this.ensure(NLMSG_HDRLEN);
    const at = this.pos;
    const b = this.buf;
    // Byte stores: a message header is written for every request of a batch.
    b[at] = 0; b[at + 1] = 0; b[at + 2] = 0; b[at + 3] = 0;
    b[at + 4] = type & 0xff; b[at + 5] = type >>> 8;
    b[at + 6] = flags & 0xff; b[at + 7] = flags >>> 8;
    b[at + 8] = seq & 0xff; b[at + 9] = (seq >>> 8) & 0xff; b[at + 10] = (seq >>> 16) & 0xff; b[at + 11] = seq >>> 24;
    b[at + 12] = pid & 0xff; b[at + 13] = (pid >>> 8) & 0xff; b[at + 14] = (pid >>> 16) & 0xff; b[at + 15] = pid >>> 24;
    this.pos += NLMSG_HDRLEN;
    return at;
  }

  /** Ends the message begun at `start`: pads it and writes its length. */
  endMessage(start: number): void {
    this.pad();
    this.buf.writeUInt32LE(this.pos - start, start);
  }

  // ── attributes ────────────────────────────────────────────────────────

  /** Starts an attribute whose payload the caller writes; close it with endAttr. */
  beginAttr(type: number, path = ''): number {
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) throw new EncodeError(path, `attribute type ${type} is not a u16`);
    this.ensure(NLA_HDRLEN);
    const at = this.pos;
    const b = this.buf;
    b[at] = 0; b[at + 1] = 0; b[at + 2] = type & 0xff; b[at + 3] = type >>> 8;
    this.pos += NLA_HDRLEN;
    return at;
  }

  /** Ends the attribute begun at `start`: writes its length (an EncodeError past 65535 bytes) and pads it. */
  endAttr(start: number, path = ''): void {
    const len = this.pos - start;
    if (len > NLA_MAX_LEN) {
      this.pos = start; // leave no half-written attribute behind
      throw new EncodeError(path, `attribute is ${len} bytes, more than the 65535 an attribute can hold`);
    }
    const b = this.buf;
    b[start] = len & 0xff;
    b[start + 1] = len >>> 8;
    if (this.pos & 3) this.pad();
  }

  /** Starts a nest (NLA_F_NESTED set unless the kernel family predates it); close with endNest. */
  beginNest(type: number, nestedFlag = true, path = ''): number {
    return this.beginAttr(nestedFlag ? type | NLA_F_NESTED : type, path);
  }

  /** Ends a nest begun at `start` (as endAttr). */
  endNest(start: number, path = ''): void {
    this.pad();
    this.endAttr(start, path);
  }

  /** Appends an attribute with these bytes as its payload. */
  attrBytes(type: number, data: Uint8Array, path = ''): void {
    const at = this.beginAttr(type, path);
    this.bytes(data);
    this.endAttr(at, path);
  }

  /** Appends an attribute without a payload (a flag). */
  attrFlag(type: number, path = ''): void {
    this.endAttr(this.beginAttr(type, path), path);
  }

  /** An integer attribute; be16/be32/be64 may carry NLA_F_NET_BYTEORDER when asked. */
  attrInt(type: number, kind: IntKind, value: unknown, path = '', netByteOrderFlag = false): void {
    const v = checkInt(kind, value, path);
    const at = this.beginAttr(netByteOrderFlag ? type | NLA_F_NET_BYTEORDER : type, path);
    const size = INT_SIZE[kind];
    this.ensure(size);
    writeInt(this.buf, this.pos, kind, v);
    this.pos += size;
    this.endAttr(at, path);
  }

  /** Appends a u8 attribute; an EncodeError when the value is not one. */
  attrU8(type: number, value: unknown, path = ''): void { this.attrInt(type, 'u8', value, path); }
  /** Appends a u16 attribute; an EncodeError when the value is not one. */
  attrU16(type: number, value: unknown, path = ''): void { this.attrInt(type, 'u16', value, path); }
  /** Appends a u32 attribute; an EncodeError when the value is not one. */
  attrU32(type: number, value: unknown, path = ''): void { this.attrInt(type, 'u32', value, path); }
  /** Appends a u64 attribute; an EncodeError when the value is not one. */
  attrU64(type: number, value: unknown, path = ''): void { this.attrInt(type, 'u64', value, path); }
  /** Appends an s32 attribute; an EncodeError when the value is not one. */
  attrS32(type: number, value: unknown, path = ''): void { this.attrInt(type, 's32', value, path); }

  /** A C string: the bytes plus a terminating NUL, which the kernel's NLA_NUL_STRING policy wants. */
  attrString(type: number, value: unknown, path = '', maxBytes = NLA_MAX_LEN - NLA_HDRLEN - 1): void {
    const bytes = stringBytes(value, path, maxBytes);
    const at = this.beginAttr(type, path);
    this.ensure(bytes.length + 1);
    this.buf.set(bytes, this.pos);
    this.buf[this.pos + bytes.length] = 0;
    this.pos += bytes.length + 1;
    this.endAttr(at, path);
  }

  /** A string without the terminating NUL (NLA_STRING attributes that do not want one). */
  attrStringNoNul(type: number, value: unknown, path = ''): void {
    this.attrBytes(type, stringBytes(value, path, NLA_MAX_LEN - NLA_HDRLEN), path);
  }
}

function checkU16(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new EncodeError(what, `${v} is not a u16`);
  return v;
}

/** UTF-8 bytes of a string meant for C: no NUL inside, bounded length. */
export function stringBytes(value: unknown, path: string, maxBytes: number): Buffer {
  if (typeof value !== 'string') throw new EncodeError(path, `expected a string, got ${typeof value}`);
  if (value.includes('\0')) throw new EncodeError(path, 'a string sent to the kernel cannot contain a NUL character');
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > maxBytes) throw new EncodeError(path, `"${value.slice(0, 20)}…" is ${bytes.length} bytes, more than ${maxBytes}`);
  return bytes;
}
