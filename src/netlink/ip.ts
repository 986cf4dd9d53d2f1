// Text ⇄ bytes for IP and hardware addresses. Output is canonical: dotted
// quad for IPv4, RFC 5952 for IPv6 (lower case, longest zero run shortened,
// IPv4-mapped tail kept), colon-separated lower-case hex for link layer.
import { EncodeError } from './errors.js';

/** IPv4 or IPv6. */
export type IpFamily = 4 | 6;

const OCTET = Array.from({ length: 256 }, (_, i) => String(i));
// The last "a.b.c." made: a dump lists neighbouring addresses one after the
// other, so most addresses cost one concatenation instead of seven strings.
let lastKey = -1;
let lastHead = '';

export function formatIPv4(b: Uint8Array, off = 0): string {
  const key = (b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]!;
  if (key !== lastKey) {
    lastHead = `${OCTET[b[off]!]}.${OCTET[b[off + 1]!]}.${OCTET[b[off + 2]!]}.`;
    lastKey = key;
  }
  return lastHead + OCTET[b[off + 3]!]!;
}

/** An IPv4 address held as a number in network order (a big-endian u32 attribute, as YNL specs give them). */
export function formatIPv4Number(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function formatIPv6(b: Uint8Array, off = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  // ::ffff:a.b.c.d (mapped) keeps its IPv4 tail, as inet_ntop prints it.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${formatIPv4(b, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1; // a single zero word is not shortened (RFC 5952 4.2.2)
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Formats 4 or 16 bytes as an IP address; other lengths as hex bytes. */
export function formatIP(b: Uint8Array, off = 0, len = b.length - off): string {
  if (len === 4) return formatIPv4(b, off);
  if (len === 16) return formatIPv6(b, off);
  return formatHw(b, off, len);
}

/** Hardware (link-layer) address: `aa:bb:cc:dd:ee:ff`, any length. */
export function formatHw(b: Uint8Array, off = 0, len = b.length - off): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const v = b[off + i]!;
    s += (i ? ':' : '') + (v < 16 ? '0' : '') + v.toString(16);
  }
  return s;
}

/**
 * Writes a strict dotted quad (no leading zeros, which some parsers read as
 * octal) into out at off; false if s is not one. Hand-written: it is on the
 * path of every route and address encoded.
 */
export function writeIPv4(s: string, out: Uint8Array, off: number): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46; // a virtual '.' ends the last part
    if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return false; // leading zero
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return false;
    } else if (c === 46) {
      if (digits === 0 || part > 3) return false;
      out[off + part++] = value;
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return part === 4;
}

/** Parses an IPv4 address in strict dotted-quad form; undefined if it is not one. */
export function parseIPv4(s: string): Buffer | undefined {
  const out = Buffer.alloc(4);
  return writeIPv4(s, out, 0) ? out : undefined;
}

/** Parses an IPv6 address (with optional embedded IPv4 tail); undefined if it is not one. */
export function parseIPv6(s: string): Buffer | undefined {
  if (s.length < 2 || s.length > 45 || s.includes('%')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return undefined;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        words.push(parseInt(g, 16));
      }
    }
    return words;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(w, 2 * i));
  return out;
}

/** Parses either family; throws EncodeError naming the field when it is neither. */
export function parseIP(s: unknown, path: string, family?: IpFamily): Buffer {
  if (typeof s !== 'string') throw new EncodeError(path, `expected an IP address string, got ${typeof s}`);
  const b = family === 6 ? parseIPv6(s) : family === 4 ? parseIPv4(s) : (parseIPv4(s) ?? parseIPv6(s));
  if (!b) throw new EncodeError(path, `"${s}" is not a valid ${family ? `IPv${family}` : 'IP'} address`);
  return b;
}

export function ipFamilyOf(s: string): IpFamily | undefined {
  if (parseIPv4(s)) return 4;
  if (parseIPv6(s)) return 6;
  return undefined;
}

/** An address prefix as parsed: the address as text and as bytes, its family, and the prefix length. */
export interface Prefix {
  address: string;
  family: IpFamily;
  bytes: Buffer;
  length: number;
}

/**
 * Parses `addr/len` (or a bare address, which is a host prefix). The length
 * must fit the family: at most 32 for IPv4, 128 for IPv6.
 */
export function parsePrefix(s: unknown, path: string, family?: IpFamily): Prefix {
  return prefixOf(s, path, family, true) as Prefix;
}

/** parsePrefix without the bytes, for callers that want the text (no allocation for an IPv4 prefix beyond its text). */
export function parsePrefixText(s: unknown, path: string, family?: IpFamily): Omit<Prefix, 'bytes'> {
  return prefixOf(s, path, family, false);
}

const quadScratch = Buffer.alloc(4);

function prefixOf(s: unknown, path: string, family: IpFamily | undefined, keepBytes: boolean): Omit<Prefix, 'bytes'> & { bytes?: Buffer } {
  if (typeof s !== 'string') throw new EncodeError(path, `expected "address/length", got ${typeof s}`);
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  // A strict dotted quad is already canonical: it is its own address text.
  const quad = family !== 6 && writeIPv4(addr, quadScratch, 0);
  const bytes = quad ? (keepBytes ? Buffer.from(quadScratch) : quadScratch) : parseIP(addr, path, family);
  const fam: IpFamily = bytes.length === 4 ? 4 : 6;
  const max = fam === 4 ? 32 : 128;
  let length = max;
  if (slash >= 0) {
    length = prefixLength(s, slash + 1);
    if (length < 0 || length > max) {
      throw new EncodeError(path, `prefix length "${s.slice(slash + 1)}" is not 0..${max} for an IPv${fam} address`);
    }
  }
  const address = quad ? addr : formatIP(bytes);
  return keepBytes ? { address, family: fam, bytes, length } : { address, family: fam, length };
}

/** One to three decimal digits from `at` to the end of s, or -1. */
function prefixLength(s: string, at: number): number {
  const n = s.length - at;
  if (n < 1 || n > 3) return -1;
  let v = 0;
  for (let i = at; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Parses `aa:bb:cc:dd:ee:ff` (or `-`/no separators) into bytes. */
export function parseHw(s: unknown, path: string, expectLength?: number): Buffer {
  if (typeof s !== 'string') throw new EncodeError(path, `expected a hardware address string, got ${typeof s}`);
  const parts = s.split(/[:-]/);
  if (parts.length < 1 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new EncodeError(path, `"${s}" is not a hardware address like aa:bb:cc:dd:ee:ff`);
  }
  if (expectLength !== undefined && parts.length !== expectLength) {
    throw new EncodeError(path, `"${s}" has ${parts.length} bytes, expected ${expectLength}`);
  }
  return Buffer.from(parts.map((p) => parseInt(p, 16)));
}

/** Zeroes the host bits beyond `length`: 192.0.2.77/24 → 192.0.2.0. */
export function networkOf(bytes: Buffer, length: number): Buffer {
  const out = Buffer.from(bytes);
  for (let bit = length; bit < out.length * 8; bit++) out[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return out;
}
