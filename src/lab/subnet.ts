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
