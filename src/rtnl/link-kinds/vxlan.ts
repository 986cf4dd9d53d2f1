// vxlan: an L2 overlay over UDP. The remote end of a point-to-point tunnel
// and the multicast group of a shared one are the same attribute (`group`,
// or `group6` for IPv6), as in the kernel; `link` is the parent device's
// index, `port` the UDP destination port.
import * as X from '../../generated/linux/if_link.js';
import { type Codec, be16, be32, enumMap, flag, ipv4, ipv6, mapped, struct, u32, u8 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { ipFamilyOf, parseIP } from '../../netlink/ip.js';
import { type Words, matches, num } from '../words.js';
import { hex0x } from '../json-values.js';

/**
 * A flag in requests that the kernel reports as a u8 0/1 (ttl_inherit):
 * sent as a flag, read as on/off. Named 'flag' so that the schema sends
 * false as no attribute at all: an empty one would switch it on.
 */
const flagU8: Codec<boolean, boolean> = {
  name: 'flag',
  write: flag.write,
  read: (buf, start, end) => (end > start ? buf[start] !== 0 : true),
};

/** Don't-fragment bit of the outer IPv4 header. */
export const vxlanDf = enumMap('vxlan df', { unset: X.VXLAN_DF_UNSET, set: X.VXLAN_DF_SET, inherit: X.VXLAN_DF_INHERIT });

export const vxlanData = attrSet('vxlan', {
  /** The VXLAN network identifier (VNI), 24 bits. */
  id: attr(X.IFLA_VXLAN_ID, u32),
  /** IPv4 remote (unicast) or multicast group. */
  group: attr(X.IFLA_VXLAN_GROUP, ipv4),
  /** Index of the parent device the tunnel sends through. */
  link: attr(X.IFLA_VXLAN_LINK, u32),
  local: attr(X.IFLA_VXLAN_LOCAL, ipv4),
  /** Outer TTL; 0 means the route's default. */
  ttl: attr(X.IFLA_VXLAN_TTL, u8),
  /** Outer TOS; 1 means inherit from the inner packet. */
  tos: attr(X.IFLA_VXLAN_TOS, u8),
  learning: attr(X.IFLA_VXLAN_LEARNING, bool8),
  /** Seconds a learned entry lives. */
  ageing: attr(X.IFLA_VXLAN_AGEING, u32),
  /** Most forwarding entries; 0 for no limit. */
  limit: attr(X.IFLA_VXLAN_LIMIT, u32),
  /** UDP source port range (iproute2's srcport low high). */
  portRange: attr(X.IFLA_VXLAN_PORT_RANGE, struct(X.ifla_vxlan_port_range)),
  proxy: attr(X.IFLA_VXLAN_PROXY, bool8),
  rsc: attr(X.IFLA_VXLAN_RSC, bool8),
  l2miss: attr(X.IFLA_VXLAN_L2MISS, bool8),
  l3miss: attr(X.IFLA_VXLAN_L3MISS, bool8),
  /** UDP destination port. */
  port: attr(X.IFLA_VXLAN_PORT, be16),
  group6: attr(X.IFLA_VXLAN_GROUP6, ipv6),
  local6: attr(X.IFLA_VXLAN_LOCAL6, ipv6),
  udpCsum: attr(X.IFLA_VXLAN_UDP_CSUM, bool8),
  udpZeroCsum6Tx: attr(X.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, bool8),
  udpZeroCsum6Rx: attr(X.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, bool8),
  remcsumTx: attr(X.IFLA_VXLAN_REMCSUM_TX, bool8),
  remcsumRx: attr(X.IFLA_VXLAN_REMCSUM_RX, bool8),
  gbp: attr(X.IFLA_VXLAN_GBP, flag),
  remcsumNopartial: attr(X.IFLA_VXLAN_REMCSUM_NOPARTIAL, flag),
  /** `external`: the tunnel takes its parameters from each packet's metadata. */
  collectMetadata: attr(X.IFLA_VXLAN_COLLECT_METADATA, bool8),
  /** IPv6 flow label, in network byte order as the kernel keeps it. */
  label: attr(X.IFLA_VXLAN_LABEL, be32),
  gpe: attr(X.IFLA_VXLAN_GPE, flag),
  ttlInherit: attr(X.IFLA_VXLAN_TTL_INHERIT, flagU8),
  df: attr(X.IFLA_VXLAN_DF, mapped(u8, vxlanDf)),
  vnifilter: attr(X.IFLA_VXLAN_VNIFILTER, bool8),
});

// `type vxlan ...` words (iproute2's iplink_vxlan.c). Most words add their
// attribute at once; id, local, remote/group, learning and dstport are added
// after the loop, in that order, and an add always sends learning (on unless
// `nolearning` or `external`), as iproute2 does.
/** Words that set a u8 attribute to 1, and their `no` forms to 0. */
const SWITCHES: readonly [string, string][] = [
  ['proxy', 'proxy'], ['rsc', 'rsc'], ['l2miss', 'l2miss'], ['l3miss', 'l3miss'],
  ['udpcsum', 'udpCsum'], ['udp6zerocsumtx', 'udpZeroCsum6Tx'], ['udp6zerocsumrx', 'udpZeroCsum6Rx'],
  ['remcsumtx', 'remcsumTx'], ['remcsumrx', 'remcsumRx'],
];

export const vxlanWords: KindWords = async (w, ctx) => {
  const data: Record<string, unknown> = {};
  let vni: number | undefined;
  let learning: boolean | undefined;
  let metadata = false;
  let dstport: number | undefined;
  let gpe = false;
  let local: string | undefined;
  let remote: { addr: string; multicast: boolean } | undefined;
  let vnifilter = false;
  const family = (): 4 | 6 | undefined => (local ? ipFamilyOf(local) : remote ? ipFamilyOf(remote.addr) : undefined);
  while (!w.done) {
    const x = w.next();
    if (matches(x, 'id') || matches(x, 'vni')) {
      const v = w.value(x);
      vni = num(v, 'id');
      if (vni >= 1 << 24) w.fail(`invalid id "${v}": a VNI has 24 bits`);
    } else if (matches(x, 'group') || matches(x, 'remote')) {
      const isGroup = matches(x, 'group');
      if (remote && remote.multicast !== isGroup) w.fail('both group and remote cannot be specified');
      const addr = address(w, w.value(x), family());
      if (isMulticast(addr) !== isGroup) w.fail(`invalid ${isGroup ? 'group' : 'remote'} address "${addr}"`);
      remote = { addr, multicast: isGroup };
    } else if (matches(x, 'local')) {
      const addr = address(w, w.value(x), remote ? ipFamilyOf(remote.addr) : undefined);
      if (isMulticast(addr)) w.fail(`invalid local address "${addr}"`);
      local = addr;
    } else if (matches(x, 'dev')) {
      data.link = await ctx.index(w.value(x));
    } else if (matches(x, 'ttl') || matches(x, 'hoplimit')) {
      const v = w.value(x);
      if (v === 'inherit') data.ttlInherit = true;
      else data.ttl = v === 'auto' ? 0 : num(v, 'TTL', 'u8');
    } else if (matches(x, 'tos') || matches(x, 'dsfield')) {
      const v = w.value(x);
      data.tos = v === 'inherit' ? 1 : dsfield(w, v);
    } else if (matches(x, 'df')) {
      const v = w.value(x);
      if (v !== 'unset' && v !== 'set' && v !== 'inherit') w.fail('DF must be "unset", "set" or "inherit"');
      data.df = v;
    } else if (matches(x, 'label') || matches(x, 'flowlabel')) {
      const label = num(w.value(x), 'flowlabel');
      if (label > 0xfffff) w.fail('invalid flowlabel');
      data.label = label;
    } else if (matches(x, 'ageing')) {
      const v = w.value(x);
      data.ageing = v === 'none' ? 0 : num(v, 'ageing timer');
    } else if (matches(x, 'maxaddress')) {
      const v = w.value(x);
      data.limit = v === 'unlimited' ? 0 : num(v, 'max addresses');
    } else if (matches(x, 'port') || matches(x, 'srcport')) {
      const lowWord = w.value(x);
      const low = num(lowWord, 'min port', 'u16');
      const high = num(w.value(lowWord), 'max port', 'u16');
      if (low || high) data.portRange = { low, high };
    } else if (matches(x, 'dstport')) dstport = num(w.value(x), 'dst port', 'u16');
    else if (matches(x, 'nolearning')) learning = false;
    else if (matches(x, 'learning')) learning = true;
    else if (matches(x, 'external')) { metadata = true; learning = false; data.collectMetadata = true; }
    else if (matches(x, 'noexternal')) { metadata = false; data.collectMetadata = false; }
    else if (matches(x, 'gbp')) data.gbp = true;
    else if (matches(x, 'gpe')) { gpe = true; data.gpe = true; }
    else if (x === 'vnifilter') { vnifilter = true; data.vnifilter = true; }
    else if (x === 'novnifilter') data.vnifilter = false;
    else if (!switchWord(x, data)) w.fail(`unknown option "${x}"`);
  }
  if (!metadata && vnifilter) w.fail('vnifilter is valid only when "external" is set');
  if (metadata && vni !== undefined) w.fail('both "external" and an id cannot be specified');
  if (!metadata && !vnifilter && vni === undefined && ctx.create) w.fail('missing virtual network identifier (id)');
  if (remote?.multicast && data.link === undefined) w.fail('"group" requires "dev" to be specified');
  if (dstport === undefined && gpe) dstport = 4790;
  if (vni !== undefined) data.id = vni;
  if (local) data[ipFamilyOf(local) === 6 ? 'local6' : 'local'] = local;
  if (remote) data[ipFamilyOf(remote.addr) === 6 ? 'group6' : 'group'] = remote.addr;
  if (ctx.create || learning !== undefined) data.learning = learning ?? true;
  if (dstport) data.port = dstport;
  return data;
};

function switchWord(x: string, data: Record<string, unknown>): boolean {
  for (const [word, key] of SWITCHES) {
    if (matches(x, `no${word}`)) { data[key] = false; return true; }
    if (matches(x, word)) { data[key] = true; return true; }
  }
  return false;
}

function address(w: Words, v: string, family: 4 | 6 | undefined): string {
  try {
    parseIP(v, 'address', family);
    return v;
  } catch {
    return w.fail(`invalid address "${v}"${family ? ` (the other address is IPv${family})` : ''}`);
  }
}

function isMulticast(addr: string): boolean {
  const b = parseIP(addr, 'address');
  return b.length === 4 ? (b[0]! & 0xf0) === 0xe0 : b[0] === 0xff;
}

/** rtnl_dsfield_a2n: a hex number up to 0xff. */
function dsfield(w: Words, v: string): number {
  const m = /^(?:0x)?([0-9a-f]+)$/i.exec(v);
  const n = m ? parseInt(m[1]!, 16) : NaN;
  if (!(n <= 255)) w.fail(`bad TOS value "${v}"`);
  return n;
}

// info_data of a vxlan, as iproute2 6.1's vxlan_print_opt: remote and group
// are one attribute, told apart by whether the address is multicast.
const unspecified = (a: string | undefined): boolean => a === undefined || a === '0.0.0.0' || a === '::';

export const vxlanJson: KindJson<AttrsOut<typeof vxlanData.specs>> = (d, linkName) => {
  const o: Record<string, Json | undefined> = {};
  if (d.collectMetadata) o.external = true;
  if (d.vnifilter) o.vnifilter = true;
  o.id = d.id;
  if (d.group !== undefined) {
    if (!unspecified(d.group)) o[isMulticast(d.group) ? 'group' : 'remote'] = d.group;
  } else if (!unspecified(d.group6)) o[isMulticast(d.group6!) ? 'group6' : 'remote6'] = d.group6;
  if (d.local !== undefined) {
    if (!unspecified(d.local)) o.local = d.local;
  } else if (!unspecified(d.local6)) o.local6 = d.local6;
  if (d.link) o.link = linkName(d.link);
  if (d.portRange) o.port_range = { low: d.portRange.low, high: d.portRange.high };
  o.port = d.port;
  o.learning = d.learning;
  if (d.proxy) o.proxy = true;
  if (d.rsc) o.rsc = true;
  if (d.l2miss) o.l2miss = true;
  if (d.l3miss) o.l3miss = true;
  if (d.tos) o.tos = hex0x(d.tos);
  if (!d.ttlInherit && d.ttl !== undefined) o.ttl = d.ttl;
  if (typeof d.df === 'string') o.df = d.df;
  if (d.label) o.label = hex0x(d.label);
  o.ageing = d.ageing;
  if (d.limit) o.limit = d.limit;
  o.udp_csum = d.udpCsum;
  o.udp_zero_csum6_tx = d.udpZeroCsum6Tx;
  o.udp_zero_csum6_rx = d.udpZeroCsum6Rx;
  if (d.remcsumTx) o.remcsum_tx = true;
  if (d.remcsumRx) o.remcsum_rx = true;
  if (d.gbp) o.gbp = true;
  if (d.gpe) o.gpe = true;
  return o;
};

export const vxlan = linkKind('vxlan', { data: vxlanData, words: vxlanWords, json: vxlanJson });
