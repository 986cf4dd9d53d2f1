// nft's datatypes: how a value of a field is printed and parsed, and the id
// nft stores for a set's key (NFTA_SET_KEY_TYPE). The ids are nft's own
// (nftables' include/datatype.h, enum datatypes), not the kernel's: the
// kernel keeps them for nft to read back. A concatenation's id is its
// members' ids, TYPE_BITS (6) bits each, the first one highest.
import * as N from '../generated/linux/netfilter.js';
import * as C from '../generated/linux/netfilter/nf_conntrack_common.js';
import * as TC from '../generated/linux/netfilter/nf_conntrack_tuple_common.js';
import * as NT from '../generated/linux/netfilter/nf_tables.js';
import * as I from '../generated/linux/icmp.js';
import * as I6 from '../generated/linux/icmpv6.js';
import * as E from '../generated/linux/if_ether.js';
import { EncodeError } from '../netlink/errors.js';
import { describe } from '../netlink/describe.js';
import { formatHw, formatIP, parseHw, parseIPv4, parseIPv6 } from '../netlink/ip.js';
import { ipProtocols } from './protocols.js';

/** A JSON value as nft prints it. */
export type NftValue = string | number | boolean | NftValue[] | { [k: string]: NftValue } | null;

/** A JSON object (not an array, not null): one of nft's `{ key: value }` forms. */
export function isNftObject(v: unknown): v is { [k: string]: NftValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface Datatype {
  readonly name: string;
  /** nft's id (NFTA_SET_KEY_TYPE). */
  readonly id: number;
  /** Bytes of a value; 0 for a string (the field's length decides). */
  readonly size: number;
  /** Network byte order (payload fields, addresses) or the host's (meta, ct). */
  readonly big: boolean;
  /** A bit mask whose bits have names (ct state, tcp flags): `a,b` matches are "in" a list. */
  readonly bitmask?: boolean;
  format(b: Buffer): NftValue;
  parse(v: unknown, path: string, size: number): Buffer;
}

/** Bytes that do not fit their type (a malformed rule): shown as nft shows raw data. */
const hex = (b: Buffer): string => `0x${b.toString('hex')}`;

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reads an unsigned integer of `b.length` bytes (up to 6), in `big` or host order. */
export function readUint(b: Buffer, big: boolean): number {
  if (b.length === 0) return 0;
  const n = Math.min(b.length, 6);
  return big || !LITTLE ? b.readUIntBE(b.length - n, n) : b.readUIntLE(0, n);
}

export function writeUint(n: number, size: number, big: boolean, path: string): Buffer {
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** (8 * Math.min(size, 6))) throw new EncodeError(path, `${describe(n)} does not fit ${size} byte${size === 1 ? '' : 's'}`);
  const b = Buffer.alloc(size);
  const w = Math.min(size, 6);
  if (big || !LITTLE) b.writeUIntBE(n, size - w, w); else b.writeUIntLE(n, 0, w);
  return b;
}

function integerType(name: string, id: number, size: number, big: boolean, names?: Readonly<Record<string, number>>, bitmask = false): Datatype {
  const byValue = new Map<number, string>();
  for (const [k, v] of Object.entries(names ?? {})) if (!byValue.has(v)) byValue.set(v, k);
  const t: Datatype = {
    name, id, size, big, bitmask,
    format(b) {
      // Wider than a JS number holds exactly: nft prints such an integer in hex.
      if (b.length > 6) return `0x${(big || !LITTLE ? b : Buffer.from(b).reverse()).toString('hex')}`;
      const n = readUint(b, big);
      if (bitmask && names) {
        const out: string[] = [];
        let rest = n;
        for (const [k, v] of Object.entries(names)) if (v !== 0 && (rest & v) === v) { out.push(k); rest &= ~v; }
        if (rest !== 0 || out.length === 0) return n;
        return out.length === 1 ? out[0]! : out;
      }
      return byValue.get(n) ?? n;
    },
    parse(v, path, fieldSize) {
      const s = fieldSize || size;
      if (typeof v === 'number') return writeUint(v, s, big, path);
      if (typeof v === 'string' && names && Object.hasOwn(names, v)) return writeUint(names[v]!, s, big, path);
      if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v)) return writeUint(Number(v), s, big, path);
      if (bitmask && names && Array.isArray(v)) {
        let n = 0;
        for (const x of v) {
          if (typeof x !== 'string' || !Object.hasOwn(names, x)) throw new EncodeError(path, `unknown ${name} ${describe(x)} (one of: ${Object.keys(names).join(', ')})`);
          n |= names[x]!;
        }
        return writeUint(n, s, big, path);
      }
      throw new EncodeError(path, `expected a ${name}${names ? ` (a number or one of: ${Object.keys(names).join(', ')})` : ' (a number)'}, got ${describe(v)}`);
    },
  };
  return t;
}

const ipv4: Datatype = {
  name: 'ipv4_addr', id: 7, size: 4, big: true,
  format: (b) => (b.length === 4 ? formatIP(b, 0, 4) : hex(b)),
  parse(v, path) {
    const b = typeof v === 'string' ? parseIPv4(v) : undefined;
    if (!b) throw new EncodeError(path, `expected an IPv4 address, got ${describe(v)}`);
    return b;
  },
};
const ipv6: Datatype = {
  name: 'ipv6_addr', id: 8, size: 16, big: true,
  format: (b) => (b.length === 16 ? formatIP(b, 0, 16) : hex(b)),
  parse(v, path) {
    const b = typeof v === 'string' ? parseIPv6(v) : undefined;
    if (!b) throw new EncodeError(path, `expected an IPv6 address, got ${describe(v)}`);
    return b;
  },
};
const etherAddr: Datatype = {
  name: 'ether_addr', id: 9, size: 6, big: true,
  format: (b) => (b.length === 6 ? formatHw(b, 0, 6) : hex(b)),
  parse: (v, path) => parseHw(v, path, 6),
};
/** An interface name: NUL-padded to IFNAMSIZ; a shorter value (a `eth*` wildcard) matches a prefix. */
const ifname: Datatype = {
  name: 'ifname', id: 41, size: 16, big: true,
  format(b) {
    const end = b.indexOf(0);
    return b.toString('utf8', 0, end < 0 ? b.length : end);
  },
  parse(v, path, size) {
    if (typeof v !== 'string' || v.length === 0) throw new EncodeError(path, `expected an interface name, got ${describe(v)}`);
    const text = Buffer.from(v, 'utf8');
    if (text.length >= 16) throw new EncodeError(path, `interface name "${v}" is longer than 15 bytes`);
    const b = Buffer.alloc(size || 16);
    text.copy(b);
    return b;
  },
};
const stringType: Datatype = { ...ifname, name: 'string', id: 5 };

/** NF_CT_STATE_BIT(ctinfo) of nf_conntrack_common.h: 1 << (ctinfo % IP_CT_IS_REPLY + 1). */
const stateBit = (ctinfo: number): number => 1 << ((ctinfo % C.IP_CT_IS_REPLY) + 1);
const ctStates = {
  invalid: C.NF_CT_STATE_INVALID_BIT, established: stateBit(C.IP_CT_ESTABLISHED), related: stateBit(C.IP_CT_RELATED),
  new: stateBit(C.IP_CT_NEW), untracked: C.NF_CT_STATE_UNTRACKED_BIT,
};
const ctStatus = {
  expected: C.IPS_EXPECTED, 'seen-reply': C.IPS_SEEN_REPLY, assured: C.IPS_ASSURED, confirmed: C.IPS_CONFIRMED,
  snat: C.IPS_SRC_NAT, dnat: C.IPS_DST_NAT, dying: C.IPS_DYING,
};
const icmpTypes = {
  'echo-reply': I.ICMP_ECHOREPLY, 'destination-unreachable': I.ICMP_DEST_UNREACH, 'source-quench': I.ICMP_SOURCE_QUENCH,
  redirect: I.ICMP_REDIRECT, 'echo-request': I.ICMP_ECHO, 'time-exceeded': I.ICMP_TIME_EXCEEDED,
  'parameter-problem': I.ICMP_PARAMETERPROB, 'timestamp-request': I.ICMP_TIMESTAMP, 'timestamp-reply': I.ICMP_TIMESTAMPREPLY,
  'info-request': I.ICMP_INFO_REQUEST, 'info-reply': I.ICMP_INFO_REPLY, 'address-mask-request': I.ICMP_ADDRESS,
  'address-mask-reply': I.ICMP_ADDRESSREPLY,
};
/** Neighbour discovery's types are in the kernel's private net/ndisc.h, not its uapi: RFC 4861's numbers. */
const icmpv6Types = {
  'destination-unreachable': I6.ICMPV6_DEST_UNREACH, 'packet-too-big': I6.ICMPV6_PKT_TOOBIG,
  'time-exceeded': I6.ICMPV6_TIME_EXCEED, 'parameter-problem': I6.ICMPV6_PARAMPROB,
  'echo-request': I6.ICMPV6_ECHO_REQUEST, 'echo-reply': I6.ICMPV6_ECHO_REPLY,
  'mld-listener-query': I6.ICMPV6_MGM_QUERY, 'mld-listener-report': I6.ICMPV6_MGM_REPORT,
  'mld-listener-done': I6.ICMPV6_MGM_REDUCTION, 'nd-router-solicit': 133, 'nd-router-advert': 134,
  'nd-neighbor-solicit': 135, 'nd-neighbor-advert': 136, 'nd-redirect': 137, 'mld2-listener-report': I6.ICMPV6_MLD2_REPORT,
};
const icmpCodes = {
  'net-unreachable': I.ICMP_NET_UNREACH, 'host-unreachable': I.ICMP_HOST_UNREACH, 'prot-unreachable': I.ICMP_PROT_UNREACH,
  'port-unreachable': I.ICMP_PORT_UNREACH, 'frag-needed': I.ICMP_FRAG_NEEDED, 'net-prohibited': I.ICMP_NET_ANO,
  'host-prohibited': I.ICMP_HOST_ANO, 'admin-prohibited': I.ICMP_PKT_FILTERED,
};
const icmpv6Codes = {
  'no-route': I6.ICMPV6_NOROUTE, 'admin-prohibited': I6.ICMPV6_ADM_PROHIBITED, 'addr-unreachable': I6.ICMPV6_ADDR_UNREACH,
  'port-unreachable': I6.ICMPV6_PORT_UNREACH, 'policy-fail': I6.ICMPV6_POLICY_FAIL, 'reject-route': I6.ICMPV6_REJECT_ROUTE,
};
const icmpxCodes = {
  'no-route': NT.NFT_REJECT_ICMPX_NO_ROUTE, 'port-unreachable': NT.NFT_REJECT_ICMPX_PORT_UNREACH,
  'host-unreachable': NT.NFT_REJECT_ICMPX_HOST_UNREACH, 'admin-prohibited': NT.NFT_REJECT_ICMPX_ADMIN_PROHIBITED,
};
/** The TCP header's flag bits (RFC 793, 3168): no uapi header names them as a byte. */
const tcpFlags = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20, ecn: 0x40, cwr: 0x80 };

export const ICMP_CODES = { icmp: icmpCodes, icmpv6: icmpv6Codes, icmpx: icmpxCodes } as const;

/** inet_proto: a protocol by its /etc/protocols name, as nft prints it. */
const inetProto: Datatype = {
  ...integerType('inet_proto', 12, 1, true),
  format(b) { const n = b[0] ?? 0; return ipProtocols.name(n) ?? n; },
  parse(v, path) {
    const n = typeof v === 'string' ? (ipProtocols.number(v) ?? (/^\d+$/.test(v) ? Number(v) : undefined)) : v;
    if (typeof n !== 'number') throw new EncodeError(path, `unknown IP protocol ${describe(v)} (a number or an /etc/protocols name)`);
    return writeUint(n, 1, true, path);
  },
};

/** Every datatype by nft's name. */
export const DATATYPES: Readonly<Record<string, Datatype>> = Object.fromEntries([
  integerType('integer', 4, 0, false),
  stringType,
  ipv4, ipv6, etherAddr, ifname, inetProto,
  integerType('nf_proto', 2, 1, false, { ipv4: N.NFPROTO_IPV4, ipv6: N.NFPROTO_IPV6 }),
  integerType('ether_type', 10, 2, true, { ip: E.ETH_P_IP, arp: E.ETH_P_ARP, ip6: E.ETH_P_IPV6, vlan: E.ETH_P_8021Q, '8021ad': E.ETH_P_8021AD }),
  integerType('inet_service', 13, 2, true),
  integerType('icmp_type', 14, 1, true, icmpTypes),
  integerType('tcp_flag', 15, 1, true, tcpFlags, true),
  integerType('mark', 19, 4, false),
  integerType('iface_index', 20, 4, false),
  integerType('uid', 24, 4, false),
  integerType('gid', 25, 4, false),
  integerType('ct_state', 26, 4, false, ctStates, true),
  integerType('ct_dir', 27, 1, false, { original: TC.IP_CT_DIR_ORIGINAL, reply: TC.IP_CT_DIR_REPLY }),
  integerType('ct_status', 28, 4, false, ctStatus, true),
  integerType('icmpv6_type', 29, 1, true, icmpv6Types),
  integerType('icmp_code', 32, 1, true, icmpCodes),
  integerType('icmpv6_code', 33, 1, true, icmpv6Codes),
  integerType('icmpx_code', 34, 1, true, icmpxCodes),
].map((t) => [t.name, t]));

const byId = new Map(Object.values(DATATYPES).map((t) => [t.id, t]));

/** The verdict "datatype" of a map's data (NFTA_SET_DATA_TYPE). */
export const VERDICT_TYPE_ID = NT.NFT_DATA_VERDICT;
const TYPE_BITS = 6;

/** A set key type's datatypes (one, or a concatenation's members), by nft's id; undefined members for ids this version lacks. */
export function datatypesOfId(id: number): (Datatype | undefined)[] {
  if (id < 1 << TYPE_BITS) return [byId.get(id)];
  const out: (Datatype | undefined)[] = [];
  for (let rest = id; rest > 0; rest = Math.floor(rest / (1 << TYPE_BITS))) out.unshift(byId.get(rest % (1 << TYPE_BITS)));
  return out;
}

/** nft's id of a key of these datatypes (a concatenation when more than one). */
export function idOfDatatypes(types: readonly Datatype[]): number {
  return types.reduce((acc, t) => acc * (1 << TYPE_BITS) + t.id, 0);
}

export function datatype(name: string): Datatype | undefined {
  return Object.hasOwn(DATATYPES, name) ? DATATYPES[name] : undefined;
}

/** An integer datatype of a given byte order, for raw payloads and unknown keys. */
export function integerOf(big: boolean): Datatype {
  return big ? bigInteger : DATATYPES.integer!;
}
const bigInteger = integerType('integer', 4, 0, true);
