// What the IP tunnel kinds share (gre, gretap, ipip, sit; iproute2's
// tunnel.c): the UDP encapsulation options (fou/gue), the ttl/tos/key words
// and how the endpoints, TTL, TOS and encapsulation are printed.
import * as T from '../../generated/linux/if_tunnel.js';
import { be16, enumMap, flag, flagsMap, mapped, u16, u32 } from '../../netlink/codec.js';
import { attr } from '../../netlink/schema.js';
import { parseIP } from '../../netlink/ip.js';
import type { Json, KindWordsContext } from './kind.js';
import { type Words, num, parseUnsigned } from '../words.js';

export const encapTypes = enumMap('tunnel encap type', {
  none: T.TUNNEL_ENCAP_NONE, fou: T.TUNNEL_ENCAP_FOU, gue: T.TUNNEL_ENCAP_GUE, mpls: T.TUNNEL_ENCAP_MPLS,
});
export const encapFlags = flagsMap('tunnel encap flag', {
  csum: T.TUNNEL_ENCAP_FLAG_CSUM, csum6: T.TUNNEL_ENCAP_FLAG_CSUM6, remcsum: T.TUNNEL_ENCAP_FLAG_REMCSUM,
});

/** The numbers of the attributes every IP tunnel schema has (IFLA_GRE_* or IFLA_IPTUN_*). */
interface TunnelAttrNumbers { encapType: number; encapFlags: number; encapSport: number; encapDport: number; collectMetadata: number; fwmark: number }

/** The encapsulation, `external` and fwmark attributes of a tunnel schema, by its own numbers. */
export function tunnelAttrs(n: TunnelAttrNumbers) {
  return {
    encapType: attr(n.encapType, mapped(u16, encapTypes)),
    encapFlags: attr(n.encapFlags, mapped(u16, encapFlags)),
    /** UDP ports of fou/gue, in network order as the kernel keeps them. */
    encapSport: attr(n.encapSport, be16),
    encapDport: attr(n.encapDport, be16),
    /** `external`: the tunnel takes its parameters from each packet's metadata. */
    collectMetadata: attr(n.collectMetadata, flag),
    fwmark: attr(n.fwmark, u32),
  };
}
export const GRE_ATTRS: TunnelAttrNumbers = {
  encapType: T.IFLA_GRE_ENCAP_TYPE, encapFlags: T.IFLA_GRE_ENCAP_FLAGS, encapSport: T.IFLA_GRE_ENCAP_SPORT,
  encapDport: T.IFLA_GRE_ENCAP_DPORT, collectMetadata: T.IFLA_GRE_COLLECT_METADATA, fwmark: T.IFLA_GRE_FWMARK,
};
export const IPTUN_ATTRS: TunnelAttrNumbers = {
  encapType: T.IFLA_IPTUN_ENCAP_TYPE, encapFlags: T.IFLA_IPTUN_ENCAP_FLAGS, encapSport: T.IFLA_IPTUN_ENCAP_SPORT,
  encapDport: T.IFLA_IPTUN_ENCAP_DPORT, collectMetadata: T.IFLA_IPTUN_COLLECT_METADATA, fwmark: T.IFLA_IPTUN_FWMARK,
};

/** The encapsulation as the words leave it: iproute2 sends all four attributes whatever was said. */
export interface Encap {
  type: 'none' | 'fou' | 'gue';
  flags: ('csum' | 'csum6' | 'remcsum')[];
  sport: number;
  dport: number;
}
export const noEncap = (): Encap => ({ type: 'none', flags: [], sport: 0, dport: 0 });

/** The four encapsulation attributes, in iproute2's order (the same keys in every tunnel schema). */
export function encapData(e: Encap): Record<string, unknown> {
  return { encapType: e.type, encapFlags: e.flags, encapSport: e.sport, encapDport: e.dport };
}

/**
 * iproute2 changes a tunnel by reading its options and sending them all back
 * with the words applied (the kernel resets what a change leaves out). The
 * words here make new tunnels; a change goes through the library with every
 * option given.
 */
export const CHANGE_UNSUPPORTED = 'changing a tunnel\'s options from the command line is not supported: give every option to nl.link.set, or delete and add it';

/** `dev NAME`: the index of an existing link. */
export async function device(w: Words, ctx: KindWordsContext, name: string): Promise<number> {
  const i = await ctx.index(name);
  if (!i) w.fail(`cannot find device "${name}"`);
  return i;
}

const ENCAP_FLAG_WORDS = { 'encap-csum': 'csum', 'encap-udp6-csum': 'csum6', 'encap-remcsum': 'remcsum' } as const;

/** One encapsulation word (noencap, encap TYPE, encap-sport, encap-dport, [no]encap-*csum); false when `x` is not one. */
export function encapWord(x: string, w: Words, e: Encap): boolean {
  if (x === 'noencap') e.type = 'none';
  else if (x === 'encap') {
    const v = w.value(x);
    if (v !== 'fou' && v !== 'gue' && v !== 'none') w.fail(`invalid encap type "${v}" (fou, gue, none)`);
    e.type = v;
  } else if (x === 'encap-sport') {
    const v = w.value(x);
    e.sport = v === 'auto' ? 0 : num(v, 'source port', 'u16');
  } else if (x === 'encap-dport') e.dport = num(w.value(x), 'destination port', 'u16');
  else {
    const off = x.startsWith('no');
    const word = off ? x.slice(2) : x;
    if (!Object.hasOwn(ENCAP_FLAG_WORDS, word)) return false;
    const flag = ENCAP_FLAG_WORDS[word as keyof typeof ENCAP_FLAG_WORDS];
    e.flags = e.flags.filter((f) => f !== flag);
    if (!off) e.flags.push(flag);
  }
  return true;
}

/** `ttl N|inherit` (inherit is 0). */
export function ttlValue(w: Words, v: string): number {
  return v === 'inherit' ? 0 : num(v, 'TTL', 'u8');
}

/** `tos N|inherit` (inherit is 1; a number is read as rtnl_dsfield_a2n reads it: hex up to 0xff). */
export function tosValue(w: Words, v: string): number {
  if (v === 'inherit') return 1;
  return dsfield(w, v);
}

/** rtnl_dsfield_a2n: a hex number up to 0xff. */
export function dsfield(w: Words, v: string): number {
  const m = /^(?:0x)?([0-9a-f]+)$/i.exec(v);
  const n = m ? parseInt(m[1]!, 16) : NaN;
  if (!(n <= 255)) w.fail(`bad TOS value "${v}"`);
  return n;
}

/** tnl_parse_key: a dotted quad or an unsigned number, as the 32-bit key in network order. */
export function keyValue(w: Words, what: string, v: string): number {
  if (v.includes('.')) {
    try {
      return parseIP(v, what, 4).readUInt32BE(0);
    } catch {
      return w.fail(`invalid value for "${what}": "${v}"`);
    }
  }
  const n = parseUnsigned(v);
  if (n === undefined || n > 0xffffffff) w.fail(`invalid value for "${what}": "${v}"; it should be an unsigned integer`);
  return n;
}

/** A 32-bit key as inet_ntop prints it (gre's ikey/okey). */
export const dottedKey = (k: number): string => [k >>> 24, (k >>> 16) & 0xff, (k >>> 8) & 0xff, k & 0xff].join('.');

/** tnl_print_endpoint: "any" when absent or unspecified. */
export function endpoint(addr: string | undefined): string {
  return addr === undefined || addr === '0.0.0.0' || addr === '::' ? 'any' : addr;
}

/** tnl_print_encap's JSON: nothing when absent or none. */
export function encapJson(type: string | number | undefined, flags: readonly string[] | undefined, sport: number | undefined, dport: number | undefined): Json | undefined {
  if (type === undefined || type === 'none') return undefined;
  const f = flags ?? [];
  return {
    type: type === 'fou' || type === 'gue' ? type : null,
    sport: sport ?? 0, dport: dport ?? 0,
    csum: f.includes('csum'), csum6: f.includes('csum6'), remcsum: f.includes('remcsum'),
  };
}
