// ipip and sit: IPv4-in-IPv4 (ipip) and IPv6-in-IPv4 (sit, with ISATAP and
// 6rd) tunnels. One schema, words and printer for both, as iproute2's
// link_iptnl.c.
import { IPPROTO_IPIP, IPPROTO_IPV6, IPPROTO_MPLS } from '../../generated/linux/in.js';
import * as T from '../../generated/linux/if_tunnel.js';
import { enumMap, flagsMap, ipv4, ipv6, mapped, u16, u32, u8 } from '../../netlink/codec.js';
import { parseIP } from '../../netlink/ip.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { hex0x } from '../json-values.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { CHANGE_UNSUPPORTED, device, type Encap, encapData, encapJson, encapWord, endpoint, IPTUN_ATTRS, noEncap, tosValue, ttlValue, tunnelAttrs } from './tunnel.js';
import { type Words, matches, num } from '../words.js';

/** What the tunnel carries: `any` is 0. */
export const iptunProtos = enumMap('ip tunnel proto', { any: 0, ipip: IPPROTO_IPIP, ip6ip: IPPROTO_IPV6, mplsip: IPPROTO_MPLS });
export const sitFlags = flagsMap('sit flag', { isatap: T.SIT_ISATAP });

export const iptunData = attrSet('ip tunnel', {
  /** Index of the device the tunnel sends through. */
  link: attr(T.IFLA_IPTUN_LINK, u32),
  local: attr(T.IFLA_IPTUN_LOCAL, ipv4),
  remote: attr(T.IFLA_IPTUN_REMOTE, ipv4),
  /** Outer TTL; 0 inherits the inner packet's. */
  ttl: attr(T.IFLA_IPTUN_TTL, u8),
  /** Outer TOS; 1 inherits the inner packet's. */
  tos: attr(T.IFLA_IPTUN_TOS, u8),
  /** sit: ISATAP. */
  flags: attr(T.IFLA_IPTUN_FLAGS, mapped(u16, sitFlags)),
  proto: attr(T.IFLA_IPTUN_PROTO, mapped(u8, iptunProtos)),
  pmtudisc: attr(T.IFLA_IPTUN_PMTUDISC, bool8),
  /** sit: the 6rd prefix and its length, the relay prefix (an IPv4 address) and its length. */
  sixrdPrefix: attr(T.IFLA_IPTUN_6RD_PREFIX, ipv6),
  sixrdRelayPrefix: attr(T.IFLA_IPTUN_6RD_RELAY_PREFIX, ipv4),
  sixrdPrefixlen: attr(T.IFLA_IPTUN_6RD_PREFIXLEN, u16),
  sixrdRelayPrefixlen: attr(T.IFLA_IPTUN_6RD_RELAY_PREFIXLEN, u16),
  ...tunnelAttrs(IPTUN_ATTRS),
});

const MODES: Readonly<Record<string, 'ipip' | 'ip6ip' | 'mplsip' | 'any'>> = {
  'ipv4/ipv4': 'ipip', ipip: 'ipip', ip4ip4: 'ipip', 'mpls/ipv4': 'mplsip', mplsip: 'mplsip', 'any/ipv4': 'any', any: 'any',
};

/**
 * `type ipip|sit ...` (iproute2's iptunnel_parse_opt): an add sends every
 * attribute, defaults included, in iproute2's order. Like gre's, the words
 * make new tunnels only (a change needs the current options first).
 */
function iptunWords(sit: boolean): KindWords {
  return async (w, ctx) => {
    if (!ctx.create) w.fail(CHANGE_UNSUPPORTED);
    let proto: string = 'any';
    let local: string | undefined;
    let remote: string | undefined;
    let link = 0;
    let ttl = 0;
    let tos = 0;
    let pmtudisc = true;
    let isatap = false;
    let metadata = false;
    let fwmark = 0;
    let prefix: { addr: string; len: number } | undefined;
    let relay: { addr: string; len: number } | undefined;
    const encap: Encap = noEncap();
    while (!w.done) {
      const x = w.next();
      if (x === 'mode') {
        const v = w.value(x);
        const m = sit && (v === 'ipv6/ipv4' || v === 'ip6ip') ? 'ip6ip' : MODES[v];
        if (!m) w.fail(`cannot guess tunnel mode "${v}"`);
        proto = m;
      } else if (x === 'remote') remote = address(w, w.value(x));
      else if (x === 'local') local = address(w, w.value(x));
      else if (matches(x, 'dev')) link = await device(w, ctx, w.value(x));
      else if (x === 'ttl' || x === 'hoplimit' || x === 'hlim') ttl = ttlValue(w, w.value(x));
      else if (x === 'tos' || x === 'tclass' || x === 'tc' || matches(x, 'dsfield')) tos = tosValue(w, w.value(x));
      else if (x === 'nopmtudisc') pmtudisc = false;
      else if (x === 'pmtudisc') pmtudisc = true;
      else if (sit && x === 'isatap') isatap = true;
      else if (x === 'external') metadata = true;
      else if (x === '6rd-prefix') prefix = prefixOf(w, w.value(x), 6);
      else if (x === '6rd-relay_prefix') relay = prefixOf(w, w.value(x), 4);
      else if (x === '6rd-reset') { prefix = { addr: '2002::', len: 16 }; relay = undefined; }
      else if (x === 'fwmark') fwmark = num(w.value(x), 'fwmark');
      else if (!encapWord(x, w, encap)) w.fail(`unknown option "${x}"`);
    }
    if (ttl && !pmtudisc) w.fail('ttl != 0 and nopmtudisc are incompatible');
    const data: Record<string, unknown> = { proto };
    if (metadata) return { ...data, collectMetadata: true };
    if (local !== undefined) data.local = local;
    if (remote !== undefined) data.remote = remote;
    Object.assign(data, { pmtudisc, tos, ttl, link, fwmark }, encapData(encap));
    if (sit) {
      data.flags = isatap ? ['isatap'] : [];
      if (prefix) { data.sixrdPrefix = prefix.addr; data.sixrdPrefixlen = prefix.len; }
      if (relay) { data.sixrdRelayPrefix = relay.addr; data.sixrdRelayPrefixlen = relay.len; }
    }
    return data;
  };
}

/** An IPv4 address, or `any` (none: the attribute is not sent). */
function address(w: Words, v: string): string | undefined {
  if (v === 'any') return undefined;
  try {
    parseIP(v, 'address', 4);
  } catch {
    w.fail(`invalid IPv4 address "${v}"`);
  }
  return v === '0.0.0.0' ? undefined : v;
}

/** ADDR/LEN of the family (get_prefix). */
function prefixOf(w: Words, v: string, family: 4 | 6): { addr: string; len: number } {
  const [addr = '', lenWord] = v.split('/');
  const max = family === 4 ? 32 : 128;
  const len = lenWord === undefined ? max : Number(lenWord);
  try {
    parseIP(addr, 'prefix', family);
  } catch {
    w.fail(`invalid 6rd prefix "${v}"`);
  }
  if (!/^\d+$/.test(lenWord ?? String(max)) || len > max) w.fail(`invalid 6rd prefix "${v}"`);
  return { addr, len };
}

/** iproute2 6.1's iptunnel_print_opt. */
const iptunJson: KindJson<AttrsOut<typeof iptunData.specs>> = (d, linkName) => {
  const o: Record<string, Json | undefined> = {};
  if (d.collectMetadata) o.external = true;
  if (typeof d.proto === 'string') o.proto = d.proto;
  o.remote = endpoint(d.remote);
  o.local = endpoint(d.local);
  if (d.link) o.link = linkName(d.link);
  o.ttl = d.ttl ?? 0;
  if (d.tos) o.tos = hex0x(d.tos);
  o.pmtudisc = d.pmtudisc === true;
  if (d.flags?.includes('isatap')) o.isatap = true;
  if (d.sixrdPrefixlen) {
    o.prefix = d.sixrdPrefix;
    o.prefixlen = d.sixrdPrefixlen;
    if (d.sixrdRelayPrefix !== undefined && d.sixrdRelayPrefix !== '0.0.0.0') {
      o.relay_prefix = d.sixrdRelayPrefix;
      o.relay_prefixlen = d.sixrdRelayPrefixlen;
    }
  }
  if (d.fwmark) o.fwmark = hex0x(d.fwmark);
  o.encap = encapJson(d.encapType, d.encapFlags, d.encapSport, d.encapDport);
  return o;
};

export const ipip = linkKind('ipip', { data: iptunData, words: iptunWords(false), json: iptunJson });
export const sit = linkKind('sit', { data: iptunData, words: iptunWords(true), json: iptunJson });
