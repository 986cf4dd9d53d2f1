// Subnet arithmetic on parsed prefixes (netlink/ip.ts does the parsing).
import { type Prefix, formatIP, networkOf } from '../netlink/ip.js';

/** True when the address bytes fall inside the prefix (same family). No allocation: route lookups call it a lot. */
export function contains(p: Prefix, address: Buffer): boolean {
  if (address.length !== p.bytes.length) return false;
  const whole = p.length >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== p.bytes[i]) return false;
  const rest = p.length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[whole]! & mask) === (p.bytes[whole]! & mask);
}

/** True when two prefixes share any address. */
export function overlaps(a: Prefix, b: Prefix): boolean {
  if (a.family !== b.family) return false;
  const len = Math.min(a.length, b.length);
  return networkOf(a.bytes, len).equals(networkOf(b.bytes, len));
}

/** "10.0.0.0/24" for 10.0.0.7/24. */
export function subnetText(p: Prefix): string {
  return `${formatIP(networkOf(p.bytes, p.length))}/${p.length}`;
}

/** The IPv4 broadcast address of a prefix (all host bits set). */
export function broadcastOf(p: Prefix): Buffer {
  const out = Buffer.from(p.bytes);
  for (let bit = p.length; bit < out.length * 8; bit++) out[bit >> 3]! |= 0x80 >> (bit & 7);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A map key for the subnet of `length` bits that holds `bytes`, made without
 * allocating a buffer: route lookups of a large lab make millions of them.
 */
export function subnetKey(bytes: Buffer, length: number): string {
  if (bytes.length === 4) {
    const v = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    return `4/${length}/${length === 0 ? 0 : (v & (-1 << (32 - length))) >>> 0}`;
  }
  let key = `6/${length}/`;
  const whole = length >> 3;
  for (let i = 0; i < whole; i++) key += HEX[bytes[i]!];
  if (length & 7) key += HEX[bytes[whole]! & (0xff << (8 - (length & 7))) & 0xff];
  return key;
}

/** The earliest item in a set of items, and the earliest one of another group than that one's. */
interface FirstTwo {
  first?: number;
  other?: number;
}

/**
 * For each item, the index of the earliest item before it whose prefix
 * overlaps its own and whose group differs (`groupOf`: its interface, its
 * prefix length...), or undefined. Near-linear where comparing every pair
 * is quadratic (20,000 addresses took a minute): CIDR prefixes overlap only
 * when one contains the other, so each item looks up, for every prefix
 * length in use, the exact subnet of that length that would contain it —
 * O(items × lengths in use).
 */
export function earliestOverlaps<T>(items: readonly T[], prefixOf: (t: T) => Prefix, groupOf: (t: T) => unknown): (number | undefined)[] {
  const group = (k: number) => groupOf(items[k]!);
  // Items are added in increasing order, so `first` is the earliest of all.
  const add = (b: FirstTwo, k: number) => {
    if (b.first === undefined) b.first = k;
    else if (b.other === undefined && group(b.first) !== group(k)) b.other = k;
  };
  // The earliest item of b in another group than k's, when it comes before k.
  const pick = (b: FirstTwo, k: number): number | undefined => {
    const c = b.first !== undefined && group(b.first) !== group(k) ? b.first : b.other;
    return c !== undefined && c < k ? c : undefined;
  };
  // Items by their exact subnet; `inside`: items whose subnet lies inside it (its own items too).
  const subnets = new Map<string, { members: number[]; own: FirstTwo; inside: FirstTwo }>();
  const lengths = new Map<number, Set<number>>(); // by address size in bytes
  items.forEach((item, k) => {
    const p = prefixOf(item);
    const key = subnetKey(p.bytes, p.length);
    let s = subnets.get(key);
    if (!s) subnets.set(key, s = { members: [], own: {}, inside: {} });
    s.members.push(k);
    add(s.own, k);
    let set = lengths.get(p.bytes.length);
    if (!set) lengths.set(p.bytes.length, set = new Set());
    set.add(p.length);
  });
  const out: (number | undefined)[] = items.map(() => undefined);
  const better = (k: number, c: number | undefined) => {
    if (c !== undefined && (out[k] === undefined || c < out[k]!)) out[k] = c;
  };
  items.forEach((item, k) => {
    const p = prefixOf(item);
    for (const len of lengths.get(p.bytes.length)!) {
      if (len > p.length) continue;
      const s = subnets.get(subnetKey(p.bytes, len));
      if (!s) continue;
      better(k, pick(s.own, k)); // an earlier subnet that holds this one
      add(s.inside, k);
    }
  });
  for (const s of subnets.values()) for (const k of s.members) better(k, pick(s.inside, k)); // an earlier subnet inside this one
  return out;
}
