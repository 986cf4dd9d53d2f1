// What nft calls the bytes an expression loads: payload fields by protocol
// (offset and length within their header), meta and ct keys, each with the
// datatype its values are printed in, and the protocol dependency nft
// writes before a payload match (`meta nfproto ipv4` before `ip saddr` in an
// inet table, `meta l4proto tcp` before `tcp dport`).
import * as N from '../generated/linux/netfilter.js';
import * as E from '../generated/linux/if_ether.js';
import { type Datatype, DATATYPES, integerOf } from './datatypes.js';
import type { CtKey, MetaKey, PayloadBase } from './names.js';
import { ipProtocols } from './protocols.js';

export interface Field { name: string; offset: number; len: number; type: Datatype }
export interface Protocol {
  name: string;
  base: PayloadBase;
  fields: readonly Field[];
  /** For a network protocol: its nfproto and ethertype; for a transport one: its IP protocol number. */
  nfproto?: number;
  ethertype?: number;
  ipproto?: number;
}

const t = (name: string): Datatype => DATATYPES[name]!;
/** A plain number in network byte order (ip ttl, tcp window...). */
const int = integerOf(true);

function proto(p: Omit<Protocol, 'fields'> & { fields: [string, number, number, Datatype | string][] }): Protocol {
  return { ...p, fields: p.fields.map(([name, offset, len, ty]) => ({ name, offset, len, type: typeof ty === 'string' ? t(ty) : ty })) };
}

const proto4 = (name: string): number => ipProtocols.number(name) ?? { tcp: 6, udp: 17, icmp: 1, 'ipv6-icmp': 58 }[name]!;

/** Protocols by nft's name. Fields listed are the ones nft prints by name; others print as raw payload. */
export const PROTOCOLS: Readonly<Record<string, Protocol>> = Object.fromEntries([
  proto({ name: 'ether', base: 'll', fields: [['daddr', 0, 6, 'ether_addr'], ['saddr', 6, 6, 'ether_addr'], ['type', 12, 2, 'ether_type']] }),
  proto({
    name: 'ip', base: 'nh', nfproto: N.NFPROTO_IPV4, ethertype: E.ETH_P_IP,
    fields: [['length', 2, 2, int], ['id', 4, 2, int], ['ttl', 8, 1, int], ['protocol', 9, 1, 'inet_proto'],
      ['checksum', 10, 2, int], ['saddr', 12, 4, 'ipv4_addr'], ['daddr', 16, 4, 'ipv4_addr']],
  }),
  proto({
    name: 'ip6', base: 'nh', nfproto: N.NFPROTO_IPV6, ethertype: E.ETH_P_IPV6,
    fields: [['length', 4, 2, int], ['nexthdr', 6, 1, 'inet_proto'], ['hoplimit', 7, 1, int],
      ['saddr', 8, 16, 'ipv6_addr'], ['daddr', 24, 16, 'ipv6_addr']],
  }),
  proto({
    name: 'tcp', base: 'th', ipproto: proto4('tcp'),
    fields: [['sport', 0, 2, 'inet_service'], ['dport', 2, 2, 'inet_service'], ['sequence', 4, 4, int], ['ackseq', 8, 4, int],
      ['flags', 13, 1, 'tcp_flag'], ['window', 14, 2, int], ['checksum', 16, 2, int], ['urgptr', 18, 2, int]],
  }),
  proto({
    name: 'udp', base: 'th', ipproto: proto4('udp'),
    fields: [['sport', 0, 2, 'inet_service'], ['dport', 2, 2, 'inet_service'], ['length', 4, 2, int], ['checksum', 6, 2, int]],
  }),
  proto({
    name: 'icmp', base: 'th', ipproto: proto4('icmp'),
    fields: [['type', 0, 1, 'icmp_type'], ['code', 1, 1, 'icmp_code'], ['checksum', 2, 2, int], ['id', 4, 2, int], ['sequence', 6, 2, int]],
  }),
  proto({
    name: 'icmpv6', base: 'th', ipproto: proto4('ipv6-icmp'),
    fields: [['type', 0, 1, 'icmpv6_type'], ['code', 1, 1, 'icmpv6_code'], ['checksum', 2, 2, int], ['id', 4, 2, int], ['sequence', 6, 2, int]],
  }),
  // The transport header whatever the protocol: no dependency.
  proto({ name: 'th', base: 'th', fields: [['sport', 0, 2, 'inet_service'], ['dport', 2, 2, 'inet_service']] }),
].map((p) => [p.name, p]));

export function fieldOf(protocol: string, field: string): { proto: Protocol; field: Field } | undefined {
  const p = Object.hasOwn(PROTOCOLS, protocol) ? PROTOCOLS[protocol] : undefined;
  const x = p?.fields.find((y) => y.name === field);
  return p && x ? { proto: p, field: x } : undefined;
}

/** The field a load at (base, offset) of `len` bytes reads, within a protocol; a shorter load is a prefix of it. */
export function fieldAt(p: Protocol, offset: number, len: number): Field | undefined {
  return p.fields.find((x) => x.offset === offset && x.len >= len);
}

export function networkByNfproto(n: number): Protocol | undefined {
  return Object.values(PROTOCOLS).find((p) => p.base === 'nh' && p.nfproto === n);
}
export function networkByEthertype(n: number): Protocol | undefined {
  return Object.values(PROTOCOLS).find((p) => p.base === 'nh' && p.ethertype === n);
}
export function transportByIpproto(n: number): Protocol | undefined {
  return Object.values(PROTOCOLS).find((p) => p.base === 'th' && p.ipproto === n);
}

/** Meta keys: the datatype and size of what they load. */
export const META_TYPES: Partial<Record<MetaKey, { type: Datatype; len: number }>> = {
  length: { type: t('integer'), len: 4 }, protocol: { type: t('ether_type'), len: 2 }, priority: { type: t('integer'), len: 4 },
  mark: { type: t('mark'), len: 4 }, iif: { type: t('iface_index'), len: 4 }, oif: { type: t('iface_index'), len: 4 },
  iifname: { type: t('ifname'), len: 16 }, oifname: { type: t('ifname'), len: 16 },
  iiftype: { type: t('integer'), len: 2 }, oiftype: { type: t('integer'), len: 2 },
  skuid: { type: t('uid'), len: 4 }, skgid: { type: t('gid'), len: 4 }, nftrace: { type: t('integer'), len: 1 },
  nfproto: { type: t('nf_proto'), len: 1 }, l4proto: { type: t('inet_proto'), len: 1 },
  pkttype: { type: t('integer'), len: 1 }, cpu: { type: t('integer'), len: 4 },
  iifgroup: { type: t('integer'), len: 4 }, oifgroup: { type: t('integer'), len: 4 }, cgroup: { type: t('integer'), len: 4 },
  ibrname: { type: t('ifname'), len: 16 }, obrname: { type: t('ifname'), len: 16 },
  iifkind: { type: t('ifname'), len: 16 }, oifkind: { type: t('ifname'), len: 16 },
};

/** Conntrack keys: the datatype and size of what they load. */
export const CT_TYPES: Partial<Record<CtKey, { type: Datatype; len: number }>> = {
  state: { type: t('ct_state'), len: 4 }, direction: { type: t('ct_dir'), len: 1 }, status: { type: t('ct_status'), len: 4 },
  mark: { type: t('mark'), len: 4 }, expiration: { type: t('integer'), len: 4 }, l3proto: { type: t('nf_proto'), len: 1 },
  protocol: { type: t('inet_proto'), len: 1 }, 'proto-src': { type: t('inet_service'), len: 2 },
  'proto-dst': { type: t('inet_service'), len: 2 }, zone: { type: t('integer'), len: 2 },
  packets: { type: t('integer'), len: 8 }, bytes: { type: t('integer'), len: 8 }, avgpkt: { type: t('integer'), len: 8 },
  'ip saddr': { type: t('ipv4_addr'), len: 4 }, 'ip daddr': { type: t('ipv4_addr'), len: 4 },
  'ip6 saddr': { type: t('ipv6_addr'), len: 16 }, 'ip6 daddr': { type: t('ipv6_addr'), len: 16 },
  id: { type: t('integer'), len: 4 },
};
