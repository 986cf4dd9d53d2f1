// geneve: an L2 overlay over UDP (RFC 8926), point to point: one remote per
// device, IPv4 (`remote`) or IPv6 (`remote6`). Words and printer as
// iproute2's iplink_geneve.c.
import * as L from '../../generated/linux/if_link.js';
import { be16, be32, enumMap, flag, ipv4, ipv6, mapped, u32, u8 } from '../../netlink/codec.js';
import { ipFamilyOf, parseIP } from '../../netlink/ip.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { hex0x } from '../json-values.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { tosValue } from './tunnel.js';
import { matches, num } from '../words.js';

/** Don't-fragment bit of the outer IPv4 header. */
export const geneveDf = enumMap('geneve df', { unset: L.GENEVE_DF_UNSET, set: L.GENEVE_DF_SET, inherit: L.GENEVE_DF_INHERIT });

export const geneveData = attrSet('geneve', {
  /** The virtual network identifier, 24 bits. */
  id: attr(L.IFLA_GENEVE_ID, u32),
  remote: attr(L.IFLA_GENEVE_REMOTE, ipv4),
  /** Outer TTL; 0 means the route's default (`auto`). */
  ttl: attr(L.IFLA_GENEVE_TTL, u8),
  /** Outer TOS; 1 inherits the inner packet's. */
  tos: attr(L.IFLA_GENEVE_TOS, u8),
  /** UDP destination port. */
  port: attr(L.IFLA_GENEVE_PORT, be16),
  /** `external`: the device takes its parameters from each packet's metadata. */
  collectMetadata: attr(L.IFLA_GENEVE_COLLECT_METADATA, flag),
  remote6: attr(L.IFLA_GENEVE_REMOTE6, ipv6),
  udpCsum: attr(L.IFLA_GENEVE_UDP_CSUM, bool8),
  udpZeroCsum6Tx: attr(L.IFLA_GENEVE_UDP_ZERO_CSUM6_TX, bool8),
  udpZeroCsum6Rx: attr(L.IFLA_GENEVE_UDP_ZERO_CSUM6_RX, bool8),
  /** IPv6 flow label (20 bits). */
  label: attr(L.IFLA_GENEVE_LABEL, be32),
  ttlInherit: attr(L.IFLA_GENEVE_TTL_INHERIT, bool8),
  df: attr(L.IFLA_GENEVE_DF, mapped(u8, geneveDf)),
  innerProtoInherit: attr(L.IFLA_GENEVE_INNER_PROTO_INHERIT, flag),
});

const SWITCHES: readonly [string, 'udpCsum' | 'udpZeroCsum6Tx' | 'udpZeroCsum6Rx'][] = [
  ['udpcsum', 'udpCsum'], ['udp6zerocsumtx', 'udpZeroCsum6Tx'], ['udp6zerocsumrx', 'udpZeroCsum6Rx'],
];

/**
 * `type geneve id VNI remote ADDR ...` (iproute2's geneve_parse_opt): ttl
 * inherit and df go where their words are; id, remote, label, ttl, tos
 * (these three always on an add), dstport, external and the checksum
 * switches after, in that order.
 */
const geneveWords: KindWords = async (w, ctx) => {
  const data: Record<string, unknown> = {};
  const seen = new Set<string>();
  const once = (what: string, word: string): void => {
    if (seen.has(what)) w.fail(`duplicate "${what}": "${word}" is the second value`);
    seen.add(what);
  };
  let vni: number | undefined;
  let remote: string | undefined;
  let label = 0;
  let ttl = 0;
  let tos = 0;
  let port = 0;
  let metadata = false;
  let innerProtoInherit = false;
  const switches: Record<string, boolean> = {};
  while (!w.done) {
    const x = w.next();
    if (matches(x, 'id') || matches(x, 'vni')) {
      const v = w.value(x);
      once('id', v);
      vni = num(v, 'id');
      if (vni >= 1 << 24) w.fail(`invalid id "${v}"`);
    } else if (matches(x, 'remote')) {
      const v = w.value(x);
      once('remote', v);
      let b: Buffer | undefined;
      try { b = parseIP(v, 'remote'); } catch { /* worded below */ }
      if (!b || (b.length === 4 ? (b[0]! & 0xf0) === 0xe0 : b[0] === 0xff)) w.fail(`invalid remote address "${v}"`);
      remote = v;
    } else if (matches(x, 'ttl') || matches(x, 'hoplimit')) {
      const v = w.value(x);
      once('ttl', v);
      if (v === 'inherit') data.ttlInherit = true;
      else if (v !== 'auto') ttl = num(v, 'TTL', 'u8');
    } else if (matches(x, 'tos') || matches(x, 'dsfield')) {
      const v = w.value(x);
      once('tos', v);
      tos = tosValue(w, v);
    } else if (matches(x, 'df')) {
      const v = w.value(x);
      once('df', v);
      if (v !== 'unset' && v !== 'set' && v !== 'inherit') w.fail('DF must be "unset", "set" or "inherit"');
      data.df = v;
    } else if (matches(x, 'label') || matches(x, 'flowlabel')) {
      const v = w.value(x);
      once('flowlabel', v);
      label = num(v, 'flowlabel');
      if (label > 0xfffff) w.fail(`invalid flowlabel "${v}"`);
    } else if (matches(x, 'dstport')) {
      const v = w.value(x);
      once('dstport', v);
      port = num(v, 'dstport', 'u16');
    } else if (matches(x, 'external')) { once('external', x); metadata = true; }
    else if (matches(x, 'noexternal')) { once('external', x); metadata = false; }
    else if (x === 'innerprotoinherit') { once(x, x); innerProtoInherit = true; }
    else {
      const row = SWITCHES.find(([word]) => matches(x, word) || matches(x, `no${word}`));
      if (!row) return w.fail(`unknown option "${x}"`);
      once(row[0], x);
      switches[row[1]] = matches(x, row[0]);
    }
  }
  if (metadata && vni !== undefined) w.fail('both "external" and an id cannot be specified');
  if (!metadata) {
    if (vni === undefined) w.fail('missing virtual network identifier (id)');
    if (ctx.create && remote === undefined) w.fail('remote link partner not specified');
  }
  data.id = vni ?? 0;
  if (remote !== undefined) data[ipFamilyOf(remote) === 6 ? 'remote6' : 'remote'] = remote;
  if (ctx.create || seen.has('flowlabel')) data.label = label;
  if (ctx.create || seen.has('ttl')) data.ttl = ttl;
  if (ctx.create || seen.has('tos')) data.tos = tos;
  if (port) data.port = port;
  if (metadata) data.collectMetadata = true;
  if (innerProtoInherit) data.innerProtoInherit = true;
  for (const [, key] of SWITCHES) if (key in switches) data[key] = switches[key];
  return data;
};

/** iproute2 6.1's geneve_print_opt. */
const geneveJson: KindJson<AttrsOut<typeof geneveData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.collectMetadata) o.external = true;
  o.id = d.id;
  if (d.remote !== undefined) {
    if (d.remote !== '0.0.0.0') o.remote = d.remote;
  } else if (d.remote6 !== undefined && d.remote6 !== '::' && !d.remote6.toLowerCase().startsWith('ff')) o.remote6 = d.remote6;
  if (!d.ttlInherit && d.ttl !== undefined) o.ttl = d.ttl;
  if (d.tos) o.tos = hex0x(d.tos);
  if (typeof d.df === 'string') o.df = d.df;
  if (d.label) o.label = hex0x(d.label);
  o.port = d.port;
  o.udp_csum = d.udpCsum;
  o.udp_zero_csum6_tx = d.udpZeroCsum6Tx;
  o.udp_zero_csum6_rx = d.udpZeroCsum6Rx;
  if (d.innerProtoInherit) o.inner_proto_inherit = true;
  return o;
};

export const geneve = linkKind('geneve', { data: geneveData, words: geneveWords, json: geneveJson });
