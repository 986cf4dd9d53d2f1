// ip6gre and ip6gretap: GRE over IPv6, layer 3 or Ethernet. The GRE
// attributes with IPv6 endpoints and the IPv6 tunnel's flow info, flags and
// encapsulation limit; words and printer as iproute2's link_gre6.c (keys and
// GRE flags as gre.ts, the IPv6 parts as tunnel6.ts).
import * as T from '../../generated/linux/if_tunnel.js';
import { be16, be32, ipv6, mapped, u16, u32, u8 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { erspanJson, greFlags, greKeyData, greKeysJson, greKeyWord, noKeys } from './gre.js';
import { address6 } from './ip6tnl.js';
import { CHANGE_UNSUPPORTED, device, encapData, encapJson, encapWord, endpoint, GRE_ATTRS, tunnelAttrs } from './tunnel.js';
import { flagList, hoplimitValue, ip6Defaults, ip6HeadJson, ip6TailJson, ip6TnlFlags, ip6Word, tclassWord } from './tunnel6.js';
import { matches } from '../words.js';

export const gre6Data = attrSet('ip6gre', {
  link: attr(T.IFLA_GRE_LINK, u32),
  iflags: attr(T.IFLA_GRE_IFLAGS, mapped(be16, greFlags)),
  oflags: attr(T.IFLA_GRE_OFLAGS, mapped(be16, greFlags)),
  ikey: attr(T.IFLA_GRE_IKEY, be32),
  okey: attr(T.IFLA_GRE_OKEY, be32),
  local: attr(T.IFLA_GRE_LOCAL, ipv6),
  remote: attr(T.IFLA_GRE_REMOTE, ipv6),
  /** Hop limit; 0 inherits the inner packet's. */
  ttl: attr(T.IFLA_GRE_TTL, u8),
  encapLimit: attr(T.IFLA_GRE_ENCAP_LIMIT, u8),
  /** Traffic class (bits 20-27) and flow label (bits 0-19) of the outer header. */
  flowinfo: attr(T.IFLA_GRE_FLOWINFO, be32),
  flags: attr(T.IFLA_GRE_FLAGS, mapped(u32, ip6TnlFlags)),
  erspanIndex: attr(T.IFLA_GRE_ERSPAN_INDEX, u32),
  erspanVer: attr(T.IFLA_GRE_ERSPAN_VER, u8),
  erspanDir: attr(T.IFLA_GRE_ERSPAN_DIR, u8),
  erspanHwid: attr(T.IFLA_GRE_ERSPAN_HWID, u16),
  ...tunnelAttrs(GRE_ATTRS),
});

/**
 * `type ip6gre|ip6gretap ...` (link_gre6.c's gre_parse_opt): an add sends
 * every attribute, defaults included, in iproute2's order; ERSPAN version 1
 * goes with every one of them, as ip sends it.
 */
const gre6Words: KindWords = async (w, ctx) => {
  if (!ctx.create) w.fail(CHANGE_UNSUPPORTED);
  const keys = noKeys();
  const t = ip6Defaults();
  let local: string | undefined;
  let remote: string | undefined;
  let link = 0;
  let metadata = false;
  while (!w.done) {
    const x = w.next();
    if (greKeyWord(x, w, keys)) continue;
    if (matches(x, 'remote')) remote = address6(w, w.value(x));
    else if (matches(x, 'local')) local = address6(w, w.value(x));
    else if (matches(x, 'dev')) link = await device(w, ctx, w.value(x));
    else if (matches(x, 'ttl') || matches(x, 'hoplimit') || matches(x, 'hlim')) t.hoplimit = hoplimitValue(w.value(x));
    else if (matches(x, 'tos') || matches(x, 'tclass') || matches(x, 'dsfield')) tclassWord(w, w.value(x), t);
    else if (x === 'external') metadata = true;
    else if (!ip6Word(x, w, t) && !encapWord(x, w, t.encap)) w.fail(`unknown option "${x}"`);
  }
  if (metadata) return { collectMetadata: true };
  const data = greKeyData(keys);
  if (local !== undefined) data.local = local;
  if (remote !== undefined) data.remote = remote;
  if (link) data.link = link;
  Object.assign(data, { ttl: t.hoplimit, encapLimit: t.encapLimit, flowinfo: t.flowinfo, flags: flagList(t.flags), fwmark: t.fwmark, erspanVer: 1 }, encapData(t.encap));
  return data;
};

/** iproute2 6.1's link_gre6.c gre_print_opt. */
const gre6Json: KindJson<AttrsOut<typeof gre6Data.specs>> = (d, linkName) => {
  const o: Record<string, Json | undefined> = {};
  if (d.collectMetadata) o.external = true;
  o.remote = endpoint(d.remote);
  o.local = endpoint(d.local);
  if (d.link) o.link = linkName(d.link);
  ip6HeadJson(d, o);
  greKeysJson(d, o);
  ip6TailJson(d, o);
  erspanJson(d, o);
  o.encap = encapJson(d.encapType, d.encapFlags, d.encapSport, d.encapDport);
  return o;
};

export const ip6gre = linkKind('ip6gre', { data: gre6Data, words: gre6Words, json: gre6Json });
export const ip6gretap = linkKind('ip6gretap', { data: gre6Data, words: gre6Words, json: gre6Json });
