// Value codecs: how one attribute's payload becomes a typed value and back.
// A schema (schema.ts) pairs each attribute id with one of these; the codec
// drives the TypeScript type, the encoder and the decoder at once.
import type { StructLayout } from '../generated/layout.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from '../generated/linux/netlink.js';
import { describe } from './describe.js';
import { type DecodeIssue, EncodeError } from './errors.js';
import { type IntKind, INT_SIZE, checkInt, intRange, readInt, writeInt } from './ints.js';
import { formatHw, formatIP, parseHw, parseIP, writeIPv4 } from './ip.js';
import { readCString } from './reader.js';
import { type StructInput, type StructValue, decodeStruct, encodeStruct } from './struct.js';
import { type NetlinkWriter, stringBytes } from './writer.js';

/**
 * Out: the decoded type. In: what the encoder accepts (often wider: a name
 * or a number for an enum, a bigint for a u64).
 */
export interface Codec<Out, In = Out> {
  /** For messages: 'u32', 'IPv4 address', 'nested link.info'. */
  readonly name: string;
  /** NLA_F_* bits for the attribute header (NLA_F_NESTED, NLA_F_NET_BYTEORDER). */
  readonly typeFlags?: number;
  /** Writes the payload (the attribute header is the schema's business). */
  write(w: NetlinkWriter, value: In, path: string): void;
  /** Reads the payload in [start, end); undefined (plus an issue) when malformed. */
  read(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): Out | undefined;
}

/** The decoded type of a codec. */
export type CodecOut<C> = C extends Codec<infer O, unknown> ? O : never;
/** The type a codec encodes. */
export type CodecIn<C> = C extends Codec<unknown, infer I> ? I : never;

function short(issues: DecodeIssue[] | undefined, path: string, need: number, have: number, at: number): undefined {
  issues?.push({ path, problem: `payload of ${have} bytes, expected ${need}`, offset: at });
  return undefined;
}

// ── integers ─────────────────────────────────────────────────────────────

function intCodec(kind: IntKind, typeFlags = 0): Codec<number, number | bigint> {
  const size = INT_SIZE[kind];
  const [lo, hi] = intRange(kind);
  return {
    name: kind,
    typeFlags,
    write(w, v, path) {
      const checked = typeof v === 'number' && v >= lo && v <= hi && Number.isInteger(v) ? v : checkInt(kind, v, path);
      const at = w.reserve(size);
      writeInt(w.buffer, at, kind, checked);
    },
    read(buf, start, end, issues, path) {
      // The kernel is strict about what it accepts but not always about what
      // it sends (a u8 padded to a u32): read the first `size` bytes.
      if (end - start < size) return short(issues, path, size, end - start, start);
      return readInt(buf, start, kind);
    },
  };
}

/** A u8 attribute. */
export const u8 = intCodec('u8');
/** A u16 attribute (host byte order). */
export const u16 = intCodec('u16');
/** A u32 attribute (host byte order). */
export const u32 = intCodec('u32');
/** A u64 attribute (host byte order): decoded as a number, exact below 2^53; encoded from a number or bigint. */
export const u64 = intCodec('u64');
/** An s8 attribute. */
export const s8 = intCodec('s8');
/** An s16 attribute. */
export const s16 = intCodec('s16');
/** An s32 attribute. */
export const s32 = intCodec('s32');
/** An s64 attribute: decoded as a number, exact within ±2^53. */
export const s64 = intCodec('s64');
/** A big-endian u16 attribute (a port, say). */
export const be16 = intCodec('be16');
/** A big-endian u32 attribute. */
export const be32 = intCodec('be32');
/** A big-endian u64 attribute. */
export const be64 = intCodec('be64');
/** Big-endian with NLA_F_NET_BYTEORDER set on the attribute, for families that want it. */
export const be16Flagged = intCodec('be16', NLA_F_NET_BYTEORDER);
/** A big-endian u32 attribute sent with NLA_F_NET_BYTEORDER set (as nfnetlink wants). */
export const be32Flagged = intCodec('be32', NLA_F_NET_BYTEORDER);

// ── strings, bytes, flags ────────────────────────────────────────────────

/** NUL-terminated C string (NLA_NUL_STRING); maxBytes excludes the NUL. */
export function cstring(maxBytes = 0xffff - 5): Codec<string> {
  return {
    name: 'string',
    write(w, v, path) {
      const bytes = stringBytes(v, path, maxBytes);
      w.bytes(bytes);
      w.bytes(NUL);
    },
    read(buf, start, end) {
      return readCString(buf, start, end);
    },
  };
}
const NUL = Buffer.alloc(1);
/** A NUL-terminated string attribute. */
export const string = cstring();

/** A string sent without a terminating NUL (NLA_STRING that does not want one). */
export const stringNoNul: Codec<string> = {
  name: 'string',
  write(w, v, path) { w.bytes(stringBytes(v, path, 0xffff - 4)); },
  read(buf, start, end) { return readCString(buf, start, end); },
};

/** Raw bytes, copied out of the receive buffer. */
export const binary: Codec<Buffer, Uint8Array> = {
  name: 'binary',
  write(w, v, path) {
    if (!(v instanceof Uint8Array)) throw new EncodeError(path, `expected a Buffer, got ${describe(v)}`);
    w.bytes(v);
  },
  read(buf, start, end) { return Buffer.from(buf.subarray(start, end)); },
};

/** A flag attribute: present (true) or absent. `false` encodes as absent. */
export const flag: Codec<true, boolean> = {
  name: 'flag',
  write(_w, v, path) {
    if (typeof v !== 'boolean') throw new EncodeError(path, `expected true or false, got ${describe(v)}`);
  },
  read() { return true; },
};

// ── addresses ─────────────────────────────────────────────────────────────

/** An IPv4 or IPv6 address, decided by the payload length (4 or 16 bytes). */
export const ip: Codec<string> = {
  name: 'IP address',
  write(w, v, path) {
    // The IPv4 fast path writes straight into the message.
    if (typeof v === 'string') {
      const at = w.reserve(4);
      if (writeIPv4(v, w.buffer, at)) return;
      w.truncate(at);
    }
    w.bytes(parseIP(v, path));
  },
  read(buf, start, end, issues, path) {
    const len = end - start;
    if (len !== 4 && len !== 16) {
      issues?.push({ path, problem: `address of ${len} bytes is neither IPv4 nor IPv6`, offset: start });
      return formatHw(buf, start, len);
    }
    return formatIP(buf, start, len);
  },
};

/** An IPv4 address attribute (4 bytes), as dotted text. */
export const ipv4: Codec<string> = {
  name: 'IPv4 address',
  write(w, v, path) {
    if (typeof v === 'string') {
      const at = w.reserve(4);
      if (writeIPv4(v, w.buffer, at)) return;
      w.truncate(at);
    }
    w.bytes(parseIP(v, path, 4));
  },
  read(buf, start, end, issues, path) {
    if (end - start < 4) return short(issues, path, 4, end - start, start);
    return formatIP(buf, start, 4);
  },
};

/** An IPv6 address attribute (16 bytes), as text. */
export const ipv6: Codec<string> = {
  name: 'IPv6 address',
  write(w, v, path) { w.bytes(parseIP(v, path, 6)); },
  read(buf, start, end, issues, path) {
    if (end - start < 16) return short(issues, path, 16, end - start, start);
    return formatIP(buf, start, 16);
  },
};

/** A link-layer address of any length, `aa:bb:cc:dd:ee:ff`. */
export const hwaddr: Codec<string> = {
  name: 'hardware address',
  write(w, v, path) { w.bytes(parseHw(v, path)); },
  read(buf, start, end) { return formatHw(buf, start, end - start); },
};

// ── structs ──────────────────────────────────────────────────────────────

/** A payload that is one C struct, by generated layout. Longer payloads (a newer kernel's bigger struct) decode their known prefix. */
export function struct<L extends StructLayout>(layout: L): Codec<StructValue<L>, StructInput<L>> {
  return {
    name: `struct ${layout.name}`,
    write(w, v, path) { encodeStruct(w, layout, v, path); },
    read(buf, start, end, issues, path) {
      return decodeStruct(layout, buf, start, end, issues, path);
    },
  };
}

// ── named values ─────────────────────────────────────────────────────────

/** A two-way map between kernel numbers and names, for header fields and attributes alike. */
export interface ValueMap<Out, In> {
  /** What the values are called in an error ("unknown protocol 'x'"). */
  readonly name: string;
  /** The kernel's number as the user reads it: its name, or the number when it has none. */
  decode(n: number): Out;
  /** A name (or number) to the kernel's number; an EncodeError naming `path` for one the map does not know. */
  encode(v: In, path: string): number;
}

/**
 * Numbers with names: decodes to the name, or to the bare number when this
 * version does not know it; encodes either.
 */
export function enumMap<const N extends string>(name: string, table: Record<N, number>): ValueMap<N | number, N | number> {
  // An array indexed by value: decoding is on the hot path of every dump.
  const byValue: (N | undefined)[] = [];
  const large = new Map<number, N>();
  for (const [k, v] of Object.entries(table) as [N, number][]) {
    if (Number.isInteger(v) && v >= 0 && v < 4096) byValue[v] ??= k;
    else if (!large.has(v)) large.set(v, k);
  }
  return {
    name,
    decode: (n) => byValue[n] ?? large.get(n) ?? n,
    encode(v, path) {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && Object.hasOwn(table, v)) return table[v];
      throw new EncodeError(path, `unknown ${name} ${describe(v)} (one of: ${Object.keys(table).join(', ')})`);
    },
  };
}

/**
 * Bit flags with names: decodes to the list of names set, with unknown bits
 * as hex strings (`'0x400'`) so nothing is lost; encodes names or a number.
 */
export function flagsMap<const N extends string>(name: string, table: Record<N, number>): ValueMap<(N | `0x${string}`)[], readonly (N | `0x${string}`)[] | number> {
  const entries = Object.entries(table) as [N, number][];
  // Decoded lists by value, handed out as copies: a dump repeats a few values
  // many times, and a copy of a known list is one exact-size allocation.
  const seen = new Map<number, (N | `0x${string}`)[]>();
  const names = (n: number): (N | `0x${string}`)[] => {
    const out: (N | `0x${string}`)[] = [];
    let rest = n >>> 0;
    for (const [k, bit] of entries) {
      if (bit !== 0 && (rest & bit) === bit) { out.push(k); rest = (rest & ~bit) >>> 0; }
    }
    for (let bit = 1; rest !== 0 && bit !== 0; bit = (bit << 1) >>> 0) {
      if (rest & bit) { out.push(`0x${bit.toString(16)}`); rest = (rest & ~bit) >>> 0; }
    }
    return out;
  };
  return {
    name,
    decode(n) {
      if (n === 0) return [];
      let known = seen.get(n);
      if (known === undefined) {
        known = names(n);
        if (seen.size < 256) seen.set(n, known);
      }
      return known.slice();
    },
    encode(v, path) {
      if (typeof v === 'number') return v;
      if (!Array.isArray(v)) throw new EncodeError(path, `expected a list of ${name} names, got ${describe(v)}`);
      let n = 0;
      for (const f of v) {
        if (typeof f === 'string' && Object.hasOwn(table, f)) n |= table[f as N];
        else if (typeof f === 'string' && /^0x[0-9a-f]+$/i.test(f)) n |= parseInt(f, 16);
        else throw new EncodeError(path, `unknown ${name} ${describe(f)} (one of: ${Object.keys(table).join(', ')})`);
      }
      return n >>> 0;
    },
  };
}

/** An integer attribute seen through a ValueMap (an enum or a flag word). */
export function mapped<Out, In>(base: Codec<number, number | bigint>, map: ValueMap<Out, In>): Codec<Out, In> {
  return {
    name: map.name,
    typeFlags: base.typeFlags,
    write(w, v, path) { base.write(w, map.encode(v, path), path); },
    read(buf, start, end, issues, path) {
      const n = base.read(buf, start, end, issues, path);
      return n === undefined ? undefined : map.decode(n);
    },
  };
}

/** Marks a codec's attribute as a nest for the header flags (NLA_F_NESTED). */
export function withNestFlag<O, I>(c: Codec<O, I>): Codec<O, I> {
  return { ...c, typeFlags: (c.typeFlags ?? 0) | NLA_F_NESTED };
}

/**
 * A codec resolved on first use, for schemas that contain themselves (a veth
 * peer is a link). Nesting through it is bounded: the kernel nests a peer
 * once, while a crafted message could nest thousands deep and exhaust the
 * stack. Deeper than maxDepth is an issue when reading, an EncodeError when
 * writing (a value that contains itself).
 */
export function lazy<O, I>(name: string, get: () => Codec<O, I>, maxDepth = 16): Codec<O, I> {
  let c: Codec<O, I> | undefined;
  let depth = 0;
  const codec = (): Codec<O, I> => (c ??= get());
  return {
    name,
    write(w, v, path) {
      if (depth >= maxDepth) throw new EncodeError(path, `${name} nested more than ${maxDepth} levels deep (does the value contain itself?)`);
      depth++;
      try { codec().write(w, v, path); } finally { depth--; }
    },
    read(buf, start, end, issues, path) {
      if (depth >= maxDepth) {
        issues?.push({ path, problem: `${name} nested more than ${maxDepth} levels deep; left undecoded`, offset: start });
        return undefined;
      }
      depth++;
      try { return codec().read(buf, start, end, issues, path); } finally { depth--; }
    },
  };
}
