// gre and gretap: IPv4 GRE tunnels, layer 3 (gre) or Ethernet (gretap). One
// schema, words and printer for both, as iproute2's link_gre.c.
import * as T from '../../generated/linux/if_tunnel.js';
import { be16, be32, flagsMap, ipv4, mapped, u16, u32, u8 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { hex0x } from '../json-values.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { CHANGE_UNSUPPORTED, device, dottedKey, type Encap, encapData, encapJson, encapWord, endpoint, GRE_ATTRS, keyValue, noEncap, tosValue, ttlValue, tunnelAttrs } from './tunnel.js';
import { type Words, matches, num } from '../words.js';

/**
 * The GRE header flags of IFLA_GRE_IFLAGS/OFLAGS, a be16. if_tunnel.h
 * defines them as __cpu_to_be16(0x8000)…, a byte swap the generator does not
 * evaluate: these are the values before the swap, which is what the be16
 * codec reads and writes.
 */
export const greFlags = flagsMap('gre flag', { csum: 0x8000, routing: 0x4000, key: 0x2000, seq: 0x1000 });

export const greData = attrSet('gre', {
  /** Index of the device the tunnel sends through. */
  link: attr(T.IFLA_GRE_LINK, u32),
  iflags: attr(T.IFLA_GRE_IFLAGS, mapped(be16, greFlags)),
  oflags: attr(T.IFLA_GRE_OFLAGS, mapped(be16, greFlags)),
  /** Keys in network order (as a number: key 5 is 5; iproute2 prints it 0.0.0.5). */
  ikey: attr(T.IFLA_GRE_IKEY, be32),
  okey: attr(T.IFLA_GRE_OKEY, be32),
  local: attr(T.IFLA_GRE_LOCAL, ipv4),
  remote: attr(T.IFLA_GRE_REMOTE, ipv4),
  /** Outer TTL; 0 inherits the inner packet's. */
  ttl: attr(T.IFLA_GRE_TTL, u8),
  /** Outer TOS; 1 inherits the inner packet's. */
  tos: attr(T.IFLA_GRE_TOS, u8),
  pmtudisc: attr(T.IFLA_GRE_PMTUDISC, bool8),
  ignoreDf: attr(T.IFLA_GRE_IGNORE_DF, bool8),
  erspanIndex: attr(T.IFLA_GRE_ERSPAN_INDEX, u32),
  erspanVer: attr(T.IFLA_GRE_ERSPAN_VER, u8),
  erspanDir: attr(T.IFLA_GRE_ERSPAN_DIR, u8),
  erspanHwid: attr(T.IFLA_GRE_ERSPAN_HWID, u16),
  ...tunnelAttrs(GRE_ATTRS),
});

type GreFlag = 'csum' | 'key' | 'seq';
const GRE_FLAG_WORDS: readonly [string, GreFlag, 'i' | 'o' | 'io'][] = [
  ['seq', 'seq', 'io'], ['iseq', 'seq', 'i'], ['oseq', 'seq', 'o'],
  ['csum', 'csum', 'io'], ['icsum', 'csum', 'i'], ['ocsum', 'csum', 'o'],
];

/** The keys and header flags of both directions, as the words leave them. */
export interface GreKeys {
  iflags: Set<GreFlag>;
  oflags: Set<GreFlag>;
  ikey: number;
  okey: number;
}
export const noKeys = (): GreKeys => ({ iflags: new Set(), oflags: new Set(), ikey: 0, okey: 0 });

/** One of the [no][io]key, [no][io]seq, [no][io]csum words (gre's and ip6gre's alike); false when `x` is not one. */
export function greKeyWord(x: string, w: Words, k: GreKeys): boolean {
  const flagWord = GRE_FLAG_WORDS.find(([word]) => matches(x, word) || matches(x, `no${word}`));
  if (matches(x, 'key')) { k.iflags.add('key'); k.oflags.add('key'); k.ikey = k.okey = keyValue(w, 'key', w.value(x)); }
  else if (matches(x, 'nokey')) { k.iflags.delete('key'); k.oflags.delete('key'); k.ikey = k.okey = 0; }
  else if (matches(x, 'ikey')) { k.iflags.add('key'); k.ikey = keyValue(w, 'ikey', w.value(x)); }
  else if (matches(x, 'noikey')) { k.iflags.delete('key'); k.ikey = 0; }
  else if (matches(x, 'okey')) { k.oflags.add('key'); k.okey = keyValue(w, 'okey', w.value(x)); }
  else if (matches(x, 'nookey')) { k.oflags.delete('key'); k.okey = 0; }
  else if (flagWord) {
    const [word, f, dir] = flagWord;
    const on = matches(x, word);
    for (const set of dir === 'io' ? [k.iflags, k.oflags] : dir === 'i' ? [k.iflags] : [k.oflags]) {
      if (on) set.add(f); else set.delete(f);
    }
  } else return false;
  return true;
}

/** IFLA_GRE_IKEY, OKEY, IFLAGS and OFLAGS, in the order iproute2 adds them. */
export function greKeyData(k: GreKeys): Record<string, unknown> {
  const order = (s: Set<GreFlag>): GreFlag[] => (['csum', 'key', 'seq'] as const).filter((f) => s.has(f));
  return { ikey: k.ikey, okey: k.okey, iflags: order(k.iflags), oflags: order(k.oflags) };
}

type GreOut = AttrsOut<typeof greData.specs>;

/** How gre_print_opt prints keys and header flags (ip6gre's prints them alike). */
export function greKeysJson(d: Pick<GreOut, 'iflags' | 'oflags' | 'ikey' | 'okey'>, o: Record<string, Json | undefined>): void {
  const i = d.iflags ?? [];
  const out = d.oflags ?? [];
  if (i.includes('key') && d.ikey !== undefined) o.ikey = dottedKey(d.ikey);
  if (out.includes('key') && d.okey !== undefined) o.okey = dottedKey(d.okey);
  if (i.includes('seq')) o.iseq = true;
  if (out.includes('seq')) o.oseq = true;
  if (i.includes('csum')) o.icsum = true;
  if (out.includes('csum')) o.ocsum = true;
}

/** ERSPAN's attributes as gre_print_opt prints them (ip6gre's alike). */
export function erspanJson(d: Pick<GreOut, 'erspanIndex' | 'erspanVer' | 'erspanDir' | 'erspanHwid'>, o: Record<string, Json | undefined>): void {
  if (d.erspanIndex !== undefined) o.erspan_index = d.erspanIndex;
  if (d.erspanVer !== undefined) o.erspan_ver = d.erspanVer;
  if (d.erspanDir !== undefined) o.erspan_dir = d.erspanDir === 0 ? 'ingress' : 'egress';
  if (d.erspanHwid !== undefined) o.erspan_hwid = hex0x(d.erspanHwid);
}

/**
 * `type gre|gretap ...` (iproute2's gre_parse_opt). An add sends every
 * attribute, defaults included, in iproute2's order. A change would need the
 * tunnel's current options first (the kernel resets what a change leaves
 * out), so the words make new tunnels only; the library changes them.
 */
const greWords: KindWords = async (w, ctx) => {
  if (!ctx.create) w.fail(CHANGE_UNSUPPORTED);
  const keys = noKeys();
  let local: string | undefined;
  let remote: string | undefined;
  let pmtudisc = true;
  let ignoreDf = 0;
  let tos = 0;
  let ttl = 0;
  let link = 0;
  let metadata = false;
  let fwmark = 0;
  const encap: Encap = noEncap();
  while (!w.done) {
    const x = w.next();
    if (greKeyWord(x, w, keys)) continue;
    if (matches(x, 'nopmtudisc')) pmtudisc = false;
    else if (matches(x, 'pmtudisc')) pmtudisc = true;
    else if (matches(x, 'remote')) remote = address(w, w.value(x));
    else if (matches(x, 'local')) local = address(w, w.value(x));
    else if (matches(x, 'dev')) link = await device(w, ctx, w.value(x));
    else if (matches(x, 'ttl') || matches(x, 'hoplimit') || matches(x, 'hlim')) ttl = ttlValue(w, w.value(x));
    else if (matches(x, 'tos') || matches(x, 'tclass') || matches(x, 'dsfield')) tos = tosValue(w, w.value(x));
    else if (x === 'external') metadata = true;
    else if (x === 'ignore-df') ignoreDf = 1;
    else if (x === 'noignore-df') ignoreDf = 2;
    else if (x === 'fwmark') fwmark = num(w.value(x), 'fwmark');
    else if (!encapWord(x, w, encap)) w.fail(`unknown option "${x}"`);
  }
  if (remote !== undefined && multicast(remote)) {
    const group = Buffer.from(remote.split('.').map(Number)).readUInt32BE(0);
    if (!keys.ikey) { keys.ikey = group; keys.iflags.add('key'); }
    if (!keys.okey) { keys.okey = group; keys.oflags.add('key'); }
    if (local === undefined) w.fail('a broadcast tunnel requires a source address');
  }
  if (metadata) return { collectMetadata: true };
  const data = greKeyData(keys);
  if (local !== undefined) data.local = local;
  if (remote !== undefined) data.remote = remote;
  data.pmtudisc = pmtudisc;
  if (ignoreDf) data.ignoreDf = ignoreDf === 1;
  data.tos = tos;
  if (link) data.link = link;
  data.ttl = ttl;
  data.fwmark = fwmark;
  return { ...data, ...encapData(encap) };
};

/** An IPv4 address, or `any` (none: the attribute is not sent). */
function address(w: Words, v: string): string | undefined {
  if (v === 'any') return undefined;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(v) || v.split('.').some((p) => Number(p) > 255)) w.fail(`invalid IPv4 address "${v}"`);
  return v === '0.0.0.0' ? undefined : v;
}

const multicast = (a: string): boolean => (Number(a.split('.')[0]) & 0xf0) === 0xe0;

/** iproute2 6.1's gre_print_opt. */
const greJson: KindJson<GreOut> = (d, linkName) => {
  const o: Record<string, Json | undefined> = {};
  if (d.collectMetadata) o.external = true;
  o.remote = endpoint(d.remote);
  o.local = endpoint(d.local);
  if (d.link) o.link = linkName(d.link);
  o.ttl = d.ttl ?? 0;
  if (d.tos) o.tos = hex0x(d.tos);
  if (d.pmtudisc !== undefined) o.pmtudisc = d.pmtudisc;
  if (d.ignoreDf) o.ignore_df = true;
  greKeysJson(d, o);
  if (d.fwmark) o.fwmark = hex0x(d.fwmark);
  erspanJson(d, o);
  o.encap = encapJson(d.encapType, d.encapFlags, d.encapSport, d.encapDport);
  return o;
};

export const gre = linkKind('gre', { data: greData, words: greWords, json: greJson });
export const gretap = linkKind('gretap', { data: greData, words: greWords, json: greJson });
