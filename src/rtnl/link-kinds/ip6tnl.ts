// ip6tnl: IPv4- or IPv6-in-IPv6 tunnels (RFC 2473). Schema, words and
// printer as iproute2's link_ip6tnl.c; what it shares with ip6gre is in
// tunnel6.ts.
import { IPPROTO_IPIP, IPPROTO_IPV6 } from '../../generated/linux/in.js';
import * as T from '../../generated/linux/if_tunnel.js';
import { be32, enumMap, ipv6, mapped, u32, u8 } from '../../netlink/codec.js';
import { parseIP } from '../../netlink/ip.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { CHANGE_UNSUPPORTED, device, encapData, encapJson, encapWord, endpoint, IPTUN_ATTRS, tunnelAttrs } from './tunnel.js';
import { flagList, hoplimitValue, ip6Defaults, ip6HeadJson, ip6TailJson, ip6TnlFlags, ip6Word, tclassWord } from './tunnel6.js';
import { type Words, matches } from '../words.js';

/** What the tunnel carries: `any` is 0. */
export const ip6tnlProtos = enumMap('ip6tnl proto', { any: 0, ipip6: IPPROTO_IPIP, ip6ip6: IPPROTO_IPV6 });

export const ip6tnlData = attrSet('ip6tnl', {
  /** Index of the device the tunnel sends through. */
  link: attr(T.IFLA_IPTUN_LINK, u32),
  local: attr(T.IFLA_IPTUN_LOCAL, ipv6),
  remote: attr(T.IFLA_IPTUN_REMOTE, ipv6),
  /** Hop limit; 0 inherits the inner packet's. */
  ttl: attr(T.IFLA_IPTUN_TTL, u8),
  encapLimit: attr(T.IFLA_IPTUN_ENCAP_LIMIT, u8),
  /** Traffic class (bits 20-27) and flow label (bits 0-19) of the outer header. */
  flowinfo: attr(T.IFLA_IPTUN_FLOWINFO, be32),
  flags: attr(T.IFLA_IPTUN_FLAGS, mapped(u32, ip6TnlFlags)),
  proto: attr(T.IFLA_IPTUN_PROTO, mapped(u8, ip6tnlProtos)),
  ...tunnelAttrs(IPTUN_ATTRS),
});

const MODES: Readonly<Record<string, 'ipip6' | 'ip6ip6' | 'any'>> = {
  'ipv6/ipv6': 'ip6ip6', ip6ip6: 'ip6ip6', 'ip/ipv6': 'ipip6', 'ipv4/ipv6': 'ipip6', ipip6: 'ipip6', ip4ip6: 'ipip6', 'any/ipv6': 'any', any: 'any',
};

/** `type ip6tnl ...` (iproute2's ip6tunnel_parse_opt): an add sends every attribute, defaults included, in its order. */
const ip6tnlWords: KindWords = async (w, ctx) => {
  if (!ctx.create) w.fail(CHANGE_UNSUPPORTED);
  const t = ip6Defaults();
  let proto = 'any';
  let local: string | undefined;
  let remote: string | undefined;
  let link = 0;
  let metadata = false;
  while (!w.done) {
    const x = w.next();
    if (x === 'mode') {
      const v = w.value(x);
      const m = MODES[v];
      if (!m) w.fail(`cannot guess tunnel mode "${v}"`);
      proto = m;
    } else if (x === 'remote') remote = address6(w, w.value(x));
    else if (x === 'local') local = address6(w, w.value(x));
    else if (matches(x, 'dev')) link = await device(w, ctx, w.value(x));
    else if (x === 'ttl' || x === 'hoplimit' || x === 'hlim') t.hoplimit = hoplimitValue(w.value(x));
    else if (x === 'tos' || x === 'tclass' || x === 'tc' || matches(x, 'dsfield')) tclassWord(w, w.value(x), t);
    else if (x === 'external') metadata = true;
    else if (!ip6Word(x, w, t) && !encapWord(x, w, t.encap)) w.fail(`unknown option "${x}"`);
  }
  const data: Record<string, unknown> = { proto };
  if (metadata) return { ...data, collectMetadata: true };
  if (local !== undefined) data.local = local;
  if (remote !== undefined) data.remote = remote;
  Object.assign(data, { ttl: t.hoplimit, encapLimit: t.encapLimit, flowinfo: t.flowinfo, flags: flagList(t.flags), link, fwmark: t.fwmark }, encapData(t.encap));
  return data;
};

/** An IPv6 address, or `any` (none: the attribute is not sent). */
export function address6(w: Words, v: string): string | undefined {
  if (v === 'any') return undefined;
  try {
    parseIP(v, 'address', 6);
  } catch {
    w.fail(`invalid IPv6 address "${v}"`);
  }
  return v === '::' ? undefined : v;
}

/** iproute2 6.1's ip6tunnel_print_opt. */
const ip6tnlJson: KindJson<AttrsOut<typeof ip6tnlData.specs>> = (d, linkName) => {
  const o: Record<string, Json | undefined> = {};
  if (d.collectMetadata) o.external = true;
  if (typeof d.proto === 'string') o.proto = d.proto;
  o.remote = endpoint(d.remote);
  o.local = endpoint(d.local);
  if (d.link) o.link = linkName(d.link);
  ip6HeadJson(d, o);
  if (d.flags?.includes('mip6_dev')) o.ip6_tnl_f_mip6_dev = true;
  ip6TailJson(d, o);
  o.encap = encapJson(d.encapType, d.encapFlags, d.encapSport, d.encapDport);
  return o;
};

export const ip6tnl = linkKind('ip6tnl', { data: ip6tnlData, words: ip6tnlWords, json: ip6tnlJson });
