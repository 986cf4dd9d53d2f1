// flower: matches packets on parsed header fields (MACs, VLANs, IP addresses,
// protocol, ports, TCP flags, ICMP, tunnel metadata, conntrack state), each
// under a mask, then sends them to a class and/or through actions
// (`flower ip_proto tcp dst_port 80 action drop`). Words and printer follow
// tc 6.1's f_flower.c; attributes are written in the order the words come,
// then the flags, and the EtherType from the filter's protocol, as tc does.
import { ETH_P_8021AD, ETH_P_8021Q, ETH_P_ALL, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, ETH_P_RARP } from '../../../generated/linux/if_ether.js';
import { IPPROTO_ICMP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from '../../../generated/linux/in.js';
import { IPPROTO_ICMPV6 } from '../../../generated/linux/in6.js';
import * as K from '../../../generated/linux/pkt_cls.js';
import { TC_H_MIN_PRIORITY, TC_QOPT_MAX_QUEUE } from '../../../generated/linux/pkt_sched.js';
import { be16, be32, binary, string, u16, u32, u8 } from '../../../netlink/codec.js';
import { describe } from '../../../netlink/describe.js';
import { type DecodeIssue, EncodeError } from '../../../netlink/errors.js';
import type { NetlinkWriter } from '../../../netlink/writer.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { type Action, type ActionInput, actionWords, actionsOut, decodeActions, encodeActions } from '../actions/action.js';
import { type TcHandle, formatHandle, major, makeHandle, minor, parseClassid } from '../handles.js';
import type { EncodeContext, FilterKind, FilterPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { parseProtocol, protocolName } from '../protocols.js';
import { span } from '../stats.js';
import type { TcPrinter } from '../printer.js';
import { type ClsFlags, clsFlags } from './u32.js';
import {
  type Masked, type PortMatch, formatCtLabel, formatCtState, formatMaskedAddr, masked, maskedParts, parseCtLabel,
  parseCtState, parseMasked, parseMaskedIp, parseMaskedMac, parsePort,
} from './flower-values.js';
import { type Words, matches } from '../../words.js';

const A = attrSet('flower', {
  classid: attr(K.TCA_FLOWER_CLASSID, u32),
  indev: attr(K.TCA_FLOWER_INDEV, string),
  act: attr(K.TCA_FLOWER_ACT, span),
  ethDst: attr(K.TCA_FLOWER_KEY_ETH_DST, binary), ethDstMask: attr(K.TCA_FLOWER_KEY_ETH_DST_MASK, binary),
  ethSrc: attr(K.TCA_FLOWER_KEY_ETH_SRC, binary), ethSrcMask: attr(K.TCA_FLOWER_KEY_ETH_SRC_MASK, binary),
  ethType: attr(K.TCA_FLOWER_KEY_ETH_TYPE, be16),
  ipProto: attr(K.TCA_FLOWER_KEY_IP_PROTO, u8),
  ipv4Src: attr(K.TCA_FLOWER_KEY_IPV4_SRC, binary), ipv4SrcMask: attr(K.TCA_FLOWER_KEY_IPV4_SRC_MASK, binary),
  ipv4Dst: attr(K.TCA_FLOWER_KEY_IPV4_DST, binary), ipv4DstMask: attr(K.TCA_FLOWER_KEY_IPV4_DST_MASK, binary),
  ipv6Src: attr(K.TCA_FLOWER_KEY_IPV6_SRC, binary), ipv6SrcMask: attr(K.TCA_FLOWER_KEY_IPV6_SRC_MASK, binary),
  ipv6Dst: attr(K.TCA_FLOWER_KEY_IPV6_DST, binary), ipv6DstMask: attr(K.TCA_FLOWER_KEY_IPV6_DST_MASK, binary),
  tcpSrc: attr(K.TCA_FLOWER_KEY_TCP_SRC, be16), tcpSrcMask: attr(K.TCA_FLOWER_KEY_TCP_SRC_MASK, be16),
  tcpDst: attr(K.TCA_FLOWER_KEY_TCP_DST, be16), tcpDstMask: attr(K.TCA_FLOWER_KEY_TCP_DST_MASK, be16),
  udpSrc: attr(K.TCA_FLOWER_KEY_UDP_SRC, be16), udpSrcMask: attr(K.TCA_FLOWER_KEY_UDP_SRC_MASK, be16),
  udpDst: attr(K.TCA_FLOWER_KEY_UDP_DST, be16), udpDstMask: attr(K.TCA_FLOWER_KEY_UDP_DST_MASK, be16),
  sctpSrc: attr(K.TCA_FLOWER_KEY_SCTP_SRC, be16), sctpSrcMask: attr(K.TCA_FLOWER_KEY_SCTP_SRC_MASK, be16),
  sctpDst: attr(K.TCA_FLOWER_KEY_SCTP_DST, be16), sctpDstMask: attr(K.TCA_FLOWER_KEY_SCTP_DST_MASK, be16),
  portDstMin: attr(K.TCA_FLOWER_KEY_PORT_DST_MIN, be16), portDstMax: attr(K.TCA_FLOWER_KEY_PORT_DST_MAX, be16),
  portSrcMin: attr(K.TCA_FLOWER_KEY_PORT_SRC_MIN, be16), portSrcMax: attr(K.TCA_FLOWER_KEY_PORT_SRC_MAX, be16),
  flags: attr(K.TCA_FLOWER_FLAGS, u32),
  vlanId: attr(K.TCA_FLOWER_KEY_VLAN_ID, u16),
  vlanPrio: attr(K.TCA_FLOWER_KEY_VLAN_PRIO, u8),
  vlanEthType: attr(K.TCA_FLOWER_KEY_VLAN_ETH_TYPE, be16),
  cvlanId: attr(K.TCA_FLOWER_KEY_CVLAN_ID, u16),
  cvlanPrio: attr(K.TCA_FLOWER_KEY_CVLAN_PRIO, u8),
  cvlanEthType: attr(K.TCA_FLOWER_KEY_CVLAN_ETH_TYPE, be16),
  numOfVlans: attr(K.TCA_FLOWER_KEY_NUM_OF_VLANS, u8),
  encKeyId: attr(K.TCA_FLOWER_KEY_ENC_KEY_ID, be32),
  encIpv4Src: attr(K.TCA_FLOWER_KEY_ENC_IPV4_SRC, binary), encIpv4SrcMask: attr(K.TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, binary),
  encIpv4Dst: attr(K.TCA_FLOWER_KEY_ENC_IPV4_DST, binary), encIpv4DstMask: attr(K.TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, binary),
  encIpv6Src: attr(K.TCA_FLOWER_KEY_ENC_IPV6_SRC, binary), encIpv6SrcMask: attr(K.TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK, binary),
  encIpv6Dst: attr(K.TCA_FLOWER_KEY_ENC_IPV6_DST, binary), encIpv6DstMask: attr(K.TCA_FLOWER_KEY_ENC_IPV6_DST_MASK, binary),
  encUdpDstPort: attr(K.TCA_FLOWER_KEY_ENC_UDP_DST_PORT, be16), encUdpDstPortMask: attr(K.TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, be16),
  encTos: attr(K.TCA_FLOWER_KEY_ENC_IP_TOS, u8), encTosMask: attr(K.TCA_FLOWER_KEY_ENC_IP_TOS_MASK, u8),
  encTtl: attr(K.TCA_FLOWER_KEY_ENC_IP_TTL, u8), encTtlMask: attr(K.TCA_FLOWER_KEY_ENC_IP_TTL_MASK, u8),
  tcpFlags: attr(K.TCA_FLOWER_KEY_TCP_FLAGS, be16), tcpFlagsMask: attr(K.TCA_FLOWER_KEY_TCP_FLAGS_MASK, be16),
  icmpv4Type: attr(K.TCA_FLOWER_KEY_ICMPV4_TYPE, u8), icmpv4TypeMask: attr(K.TCA_FLOWER_KEY_ICMPV4_TYPE_MASK, u8),
  icmpv4Code: attr(K.TCA_FLOWER_KEY_ICMPV4_CODE, u8), icmpv4CodeMask: attr(K.TCA_FLOWER_KEY_ICMPV4_CODE_MASK, u8),
  icmpv6Type: attr(K.TCA_FLOWER_KEY_ICMPV6_TYPE, u8), icmpv6TypeMask: attr(K.TCA_FLOWER_KEY_ICMPV6_TYPE_MASK, u8),
  icmpv6Code: attr(K.TCA_FLOWER_KEY_ICMPV6_CODE, u8), icmpv6CodeMask: attr(K.TCA_FLOWER_KEY_ICMPV6_CODE_MASK, u8),
  ipTos: attr(K.TCA_FLOWER_KEY_IP_TOS, u8), ipTosMask: attr(K.TCA_FLOWER_KEY_IP_TOS_MASK, u8),
  ipTtl: attr(K.TCA_FLOWER_KEY_IP_TTL, u8), ipTtlMask: attr(K.TCA_FLOWER_KEY_IP_TTL_MASK, u8),
  keyFlags: attr(K.TCA_FLOWER_KEY_FLAGS, be32), keyFlagsMask: attr(K.TCA_FLOWER_KEY_FLAGS_MASK, be32),
  ctState: attr(K.TCA_FLOWER_KEY_CT_STATE, u16), ctStateMask: attr(K.TCA_FLOWER_KEY_CT_STATE_MASK, u16),
  ctZone: attr(K.TCA_FLOWER_KEY_CT_ZONE, u16), ctZoneMask: attr(K.TCA_FLOWER_KEY_CT_ZONE_MASK, u16),
  ctMark: attr(K.TCA_FLOWER_KEY_CT_MARK, u32), ctMarkMask: attr(K.TCA_FLOWER_KEY_CT_MARK_MASK, u32),
  ctLabels: attr(K.TCA_FLOWER_KEY_CT_LABELS, binary), ctLabelsMask: attr(K.TCA_FLOWER_KEY_CT_LABELS_MASK, binary),
  inHwCount: attr(K.TCA_FLOWER_IN_HW_COUNT, u32),
});

/** The fields a flower filter matches on (each absent field matches anything). */
export interface FlowerKeys {
  numOfVlans?: number;
  vlanId?: number;
  vlanPrio?: number;
  /** The EtherType inside the (outer) VLAN tag: 'ip', 'ipv6', '802.1Q'... */
  vlanEthType?: string | number;
  cvlanId?: number;
  cvlanPrio?: number;
  cvlanEthType?: string | number;
  /** "02:00:00:00:00:01", with "/bits" or "/mask" for part of it. */
  dstMac?: string;
  srcMac?: string;
  /** The filter's protocol as flower keeps it (absent for 'all'). */
  ethType?: string | number;
  /** 'tcp', 'udp', 'sctp', 'icmp', 'icmpv6' or a number. */
  ipProto?: string | number;
  ipTos?: Masked;
  ipTtl?: Masked;
  /** "198.18.0.0/24", "fd00::1"... */
  dstIp?: string;
  srcIp?: string;
  dstPort?: PortMatch;
  srcPort?: PortMatch;
  tcpFlags?: Masked;
  icmpType?: Masked;
  icmpCode?: Masked;
  /** Tunnel (encapsulation) keys, set by the tunnel device on receive. */
  encDstIp?: string;
  encSrcIp?: string;
  encKeyId?: number;
  encDstPort?: Masked;
  encTos?: Masked;
  encTtl?: Masked;
  /** "frag", "nofrag/firstfrag"... */
  ipFlags?: string;
  /** "+trk+est" */
  ctState?: string;
  ctZone?: Masked;
  ctMark?: Masked;
  /** hex, "/mask" when partial */
  ctLabel?: string;
}

export interface FlowerOptions extends FlowerKeys {
  classid?: string;
  /** A hardware traffic class instead of a class id (classid parent:ffe0+N). */
  hwTc?: number;
  indev?: string;
  flags?: ClsFlags;
  inHwCount?: number;
  actions?: Action[];
  unknown?: RawAttr[];
}

/** A flower key's value: the typed form, or the text tc takes after the key word (`'0x10/0xf0'`, `'1000-2000'`, `'tcp'`). */
export type Text<T> = T | string;

/** A flower filter as `tc filter add ... flower [KEYS] [classid C] [skip_hw|skip_sw] [action ...]` takes it; each key named as {@link FlowerKeys} names it. */
export interface FlowerOptionsInput {
  classid?: TcHandle;
  flowid?: TcHandle;
  hwTc?: number;
  indev?: string;
  skipHw?: boolean;
  skipSw?: boolean;
  verbose?: boolean;
  numOfVlans?: Text<number>;
  vlanId?: Text<number>;
  vlanPrio?: Text<number>;
  vlanEthType?: string | number;
  cvlanId?: Text<number>;
  cvlanPrio?: Text<number>;
  cvlanEthType?: string | number;
  dstMac?: string;
  srcMac?: string;
  /** Must agree with the filter's protocol when given (flower takes it from there). */
  ethType?: string | number;
  ipProto?: string | number;
  ipTos?: Text<Masked>;
  ipTtl?: Text<Masked>;
  dstIp?: string;
  srcIp?: string;
  dstPort?: Text<PortMatch>;
  srcPort?: Text<PortMatch>;
  tcpFlags?: Text<Masked>;
  icmpType?: Text<Masked>;
  icmpCode?: Text<Masked>;
  encDstIp?: string;
  encSrcIp?: string;
  encKeyId?: Text<number>;
  encDstPort?: Text<Masked>;
  encTos?: Text<Masked>;
  encTtl?: Text<Masked>;
  ipFlags?: string;
  ctState?: string;
  ctZone?: Text<Masked>;
  ctMark?: Text<Masked>;
  ctLabel?: string;
  actions?: readonly ActionInput[];
}

// tc's word for each option key; the words of a command line become keys in their order, so the bytes follow it.
const WORDS: readonly (readonly [string, keyof FlowerOptionsInput, boolean?])[] = [
  ['classid', 'classid'], ['flowid', 'classid'], ['hw_tc', 'hwTc'], ['ip_flags', 'ipFlags'],
  ['ct_state', 'ctState'], ['ct_zone', 'ctZone'], ['ct_mark', 'ctMark'], ['ct_label', 'ctLabel'], ['indev', 'indev'],
  ['num_of_vlans', 'numOfVlans', true], ['vlan_id', 'vlanId'], ['vlan_prio', 'vlanPrio'], ['vlan_ethtype', 'vlanEthType'],
  ['cvlan_id', 'cvlanId'], ['cvlan_prio', 'cvlanPrio'], ['cvlan_ethtype', 'cvlanEthType'],
  ['dst_mac', 'dstMac'], ['src_mac', 'srcMac'], ['ip_proto', 'ipProto'], ['ip_tos', 'ipTos'], ['ip_ttl', 'ipTtl'],
  ['dst_ip', 'dstIp'], ['src_ip', 'srcIp'], ['dst_port', 'dstPort'], ['src_port', 'srcPort'], ['tcp_flags', 'tcpFlags'],
  ['type', 'icmpType'], ['code', 'icmpCode'],
  ['enc_dst_ip', 'encDstIp'], ['enc_src_ip', 'encSrcIp'], ['enc_key_id', 'encKeyId'], ['enc_dst_port', 'encDstPort'],
  ['enc_tos', 'encTos'], ['enc_ttl', 'encTtl'],
];

const KEYS: readonly string[] = [...new Set(['flowid', 'skipHw', 'skipSw', 'verbose', 'ethType', 'actions', ...WORDS.map(([, k]) => k)])];

const IP_PROTOS: readonly (readonly [string, number])[] = [['tcp', IPPROTO_TCP], ['udp', IPPROTO_UDP], ['sctp', IPPROTO_SCTP], ['icmp', IPPROTO_ICMP], ['icmpv6', IPPROTO_ICMPV6]];

const isVlan = (eth: number): boolean => eth === ETH_P_8021Q || eth === ETH_P_8021AD;

/** The numbers the words of one key depend on: the EtherType after VLAN tags, and the IP protocol. */
interface Env { proto: number; vlanEth?: number; innerEth?: number; ipProto?: number; vlans: number }

function ipProtoOf(v: unknown, eth: number, path: string): number {
  if (eth !== ETH_P_IP && eth !== ETH_P_IPV6) throw new EncodeError(path, 'ip_proto needs the protocol ip or ipv6 (filter protocol or vlan_ethtype)');
  if (typeof v === 'string') {
    const named = IP_PROTOS.find(([name]) => matches(v, name) && v.length > 0);
    if (named) {
      if ((named[1] === IPPROTO_ICMP && eth !== ETH_P_IP) || (named[1] === IPPROTO_ICMPV6 && eth !== ETH_P_IPV6)) throw new EncodeError(path, `${named[0]} does not go with this protocol`);
      return named[1];
    }
    return parseMasked(v, { bits: 8, base: 16, maskBase: 16 }, path).value;
  }
  return intOption(v, path, 0, 255);
}

function encodeKey(w: NetlinkWriter, key: string, v: unknown, env: Env, parent: number, path: string): void {
  const eth = env.innerEth ?? env.vlanEth ?? env.proto;
  const put = (x: Parameters<typeof A.encode>[1]): void => A.encode(w, x, path);
  const m8 = (base: 0 | 10 | 16 = 10, hexFallback = false): { value: number; mask: number } => parseMasked(v, { bits: 8, base, maskBase: 16, hexFallback }, path);
  const vlanWord = (inner: boolean): void => {
    const ok = inner ? isVlan(env.vlanEth ?? 0) || env.vlans > 1 : isVlan(env.proto) || env.vlans > 0;
    if (!ok) throw new EncodeError(path, inner ? 'an inner VLAN key needs vlan_ethtype 802.1Q or 802.1ad (or num_of_vlans 2)' : 'a VLAN key needs the protocol 802.1Q or 802.1ad (or num_of_vlans)');
  };
  switch (key) {
    case 'classid': case 'flowid': put({ classid: parseClassid(v, path, 'class id') }); return;
    case 'hwTc': {
      const tc = intOption(v, path, 0, TC_QOPT_MAX_QUEUE - 1);
      put({ classid: makeHandle(major(parent), minor(tc + TC_H_MIN_PRIORITY)) });
      return;
    }
    case 'indev':
      if (typeof v !== 'string') throw new EncodeError(path, `expected a device name, got ${describe(v)}`);
      put({ indev: v });
      return;
    case 'ipFlags': return; // written with the flags, after the keys
    case 'ctState': { const s = parseCtState(v, path); put({ ctState: s.value, ctStateMask: s.mask }); return; }
    case 'ctZone': { const s = parseMasked(v, { bits: 16, base: 0, maskBase: 0 }, path); put({ ctZone: s.value, ctZoneMask: s.mask }); return; }
    case 'ctMark': { const s = parseMasked(v, { bits: 32, base: 0, maskBase: 0 }, path); put({ ctMark: s.value, ctMarkMask: s.mask }); return; }
    case 'ctLabel': { const s = parseCtLabel(v, path); put({ ctLabels: s.value, ctLabelsMask: s.mask }); return; }
    case 'numOfVlans': put({ numOfVlans: env.vlans = parseMasked(v, { bits: 8, base: 10, maskBase: 10 }, path).value }); return;
    case 'vlanId': vlanWord(false); put({ vlanId: parseMasked(v, { bits: 16, base: 10, maskBase: 10, max: 0xfff }, path).value }); return;
    case 'vlanPrio': vlanWord(false); put({ vlanPrio: parseMasked(v, { bits: 8, base: 10, maskBase: 10, max: 7 }, path).value }); return;
    case 'vlanEthType': vlanWord(false); put({ vlanEthType: env.vlanEth = parseProtocol(v, path) }); return;
    case 'cvlanId': vlanWord(true); put({ cvlanId: parseMasked(v, { bits: 16, base: 10, maskBase: 10, max: 0xfff }, path).value }); return;
    case 'cvlanPrio': vlanWord(true); put({ cvlanPrio: parseMasked(v, { bits: 8, base: 10, maskBase: 10, max: 7 }, path).value }); return;
    case 'cvlanEthType': vlanWord(true); put({ cvlanEthType: env.innerEth = parseProtocol(v, path) }); return;
    case 'dstMac': { const m = parseMaskedMac(v, path); put({ ethDst: m.addr, ethDstMask: m.mask }); return; }
    case 'srcMac': { const m = parseMaskedMac(v, path); put({ ethSrc: m.addr, ethSrcMask: m.mask }); return; }
    case 'ipProto': put({ ipProto: env.ipProto = ipProtoOf(v, eth, path) }); return;
    case 'ipTos': { const s = m8(10, true); put({ ipTos: s.value, ipTosMask: s.mask }); return; }
    case 'ipTtl': { const s = m8(10, true); put({ ipTtl: s.value, ipTtlMask: s.mask }); return; }
    case 'dstIp': case 'srcIp': {
      if (eth !== ETH_P_IP && eth !== ETH_P_IPV6 && eth !== 0 && eth !== ETH_P_ALL) throw new EncodeError(path, 'an IP address needs the protocol ip or ipv6');
      const a = parseMaskedIp(v, eth === ETH_P_IP ? 4 : eth === ETH_P_IPV6 ? 6 : 0, path);
      const dst = key === 'dstIp';
      if (a.addr.length === 4) put(dst ? { ipv4Dst: a.addr, ipv4DstMask: a.mask } : { ipv4Src: a.addr, ipv4SrcMask: a.mask });
      else put(dst ? { ipv6Dst: a.addr, ipv6DstMask: a.mask } : { ipv6Src: a.addr, ipv6SrcMask: a.mask });
      return;
    }
    case 'dstPort': case 'srcPort': {
      const l4 = env.ipProto === IPPROTO_TCP ? 'tcp' : env.ipProto === IPPROTO_UDP ? 'udp' : env.ipProto === IPPROTO_SCTP ? 'sctp' : undefined;
      if (!l4) throw new EncodeError(path, 'a port needs ip_proto tcp, udp or sctp');
      const p = parsePort(v, path);
      const dst = key === 'dstPort';
      if ('min' in p) { put(dst ? { portDstMin: p.min, portDstMax: p.max } : { portSrcMin: p.min, portSrcMax: p.max }); return; }
      const at = `${l4}${dst ? 'Dst' : 'Src'}`;
      w.attrInt(portAttr(at), 'be16', p.value, path);
      if (p.mask !== undefined) w.attrInt(portAttr(`${at}Mask`), 'be16', p.mask, path);
      return;
    }
    case 'tcpFlags': { const s = parseMasked(v, { bits: 16, base: 16, maskBase: 16, max: 0xfff, fullMask: 0xfff }, path); put({ tcpFlags: s.value, tcpFlagsMask: s.mask }); return; }
    case 'icmpType': case 'icmpCode': {
      const v4 = eth === ETH_P_IP && env.ipProto === IPPROTO_ICMP;
      if (!v4 && !(eth === ETH_P_IPV6 && env.ipProto === IPPROTO_ICMPV6)) throw new EncodeError(path, 'an ICMP type or code needs ip_proto icmp (protocol ip) or icmpv6 (protocol ipv6)');
      const s = parseMasked(v, { bits: 8, base: 10, maskBase: 10 }, path);
      if (key === 'icmpType') put(v4 ? { icmpv4Type: s.value, icmpv4TypeMask: s.mask } : { icmpv6Type: s.value, icmpv6TypeMask: s.mask });
      else put(v4 ? { icmpv4Code: s.value, icmpv4CodeMask: s.mask } : { icmpv6Code: s.value, icmpv6CodeMask: s.mask });
      return;
    }
    case 'encDstIp': case 'encSrcIp': {
      const a = parseMaskedIp(v, 0, path);
      const dst = key === 'encDstIp';
      if (a.addr.length === 4) put(dst ? { encIpv4Dst: a.addr, encIpv4DstMask: a.mask } : { encIpv4Src: a.addr, encIpv4SrcMask: a.mask });
      else put(dst ? { encIpv6Dst: a.addr, encIpv6DstMask: a.mask } : { encIpv6Src: a.addr, encIpv6SrcMask: a.mask });
      return;
    }
    case 'encKeyId': put({ encKeyId: parseMasked(v, { bits: 32, base: 10, maskBase: 10 }, path).value }); return;
    case 'encDstPort': {
      // tc sends the port alone (the kernel then matches all of it); a mask only when one is given.
      const s = parseMasked(v, { bits: 16, base: 10, maskBase: 0 }, path);
      put({ encUdpDstPort: s.value, encUdpDstPortMask: typeof v === 'number' || (typeof v === 'string' && !v.includes('/')) ? undefined : s.mask });
      return;
    }
    case 'encTos': { const s = m8(10, true); put({ encTos: s.value, encTosMask: s.mask }); return; }
    case 'encTtl': { const s = m8(10, true); put({ encTtl: s.value, encTtlMask: s.mask }); return; }
    default: throw new EncodeError(path, `flower has no key "${key}"`);
  }
}

const PORT_ATTRS: Readonly<Record<string, number>> = {
  tcpDst: K.TCA_FLOWER_KEY_TCP_DST, tcpDstMask: K.TCA_FLOWER_KEY_TCP_DST_MASK, tcpSrc: K.TCA_FLOWER_KEY_TCP_SRC, tcpSrcMask: K.TCA_FLOWER_KEY_TCP_SRC_MASK,
  udpDst: K.TCA_FLOWER_KEY_UDP_DST, udpDstMask: K.TCA_FLOWER_KEY_UDP_DST_MASK, udpSrc: K.TCA_FLOWER_KEY_UDP_SRC, udpSrcMask: K.TCA_FLOWER_KEY_UDP_SRC_MASK,
  sctpDst: K.TCA_FLOWER_KEY_SCTP_DST, sctpDstMask: K.TCA_FLOWER_KEY_SCTP_DST_MASK, sctpSrc: K.TCA_FLOWER_KEY_SCTP_SRC, sctpSrcMask: K.TCA_FLOWER_KEY_SCTP_SRC_MASK,
};
const portAttr = (name: string): number => PORT_ATTRS[name] ?? 0;

/** ip_flags "frag/nofirstfrag": the bits set and the bits looked at. */
function ipFlagsOf(v: unknown, path: string): { value: number; mask: number } {
  if (typeof v !== 'string') throw new EncodeError(path, `expected flags like "frag/nofirstfrag", got ${describe(v)}`);
  let value = 0;
  let mask = 0;
  for (const t of v.split('/')) {
    const no = t.startsWith('no');
    const name = no ? t.slice(2) : t;
    const bit = name === 'frag' ? K.TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT : name === 'firstfrag' ? K.TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST : 0;
    if (!bit) throw new EncodeError(path, `"${t}" is not frag, nofrag, firstfrag or nofirstfrag`);
    value = no ? value & ~bit : value | bit;
    mask |= bit;
  }
  return { value, mask };
}

function encodeFlower(w: NetlinkWriter, value: unknown, ctx: EncodeContext, path: string): void {
  const v = optionsObject(value, path);
  checkKeys(v, KEYS, path, 'flower');
  const proto = ctx.filter?.protocol ?? ETH_P_ALL;
  if (v.ethType !== undefined && parseProtocol(v.ethType, `${path}.ethType`) !== proto) {
    throw new EncodeError(`${path}.ethType`, `flower matches the filter's protocol (${String(protocolName(proto))}); set the protocol instead`);
  }
  if (v.classid !== undefined && v.flowid !== undefined) throw new EncodeError(`${path}.flowid`, 'classid and flowid are the same thing: give one');
  if (v.skipHw && v.skipSw) throw new EncodeError(`${path}.skipSw`, 'skipHw and skipSw are mutually exclusive');
  const env: Env = { proto, vlans: 0 };
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === undefined || ['skipHw', 'skipSw', 'verbose', 'ethType'].includes(k)) continue;
    if (k === 'actions') encodeActions(w, K.TCA_FLOWER_ACT, x, ctx, `${path}.actions`);
    else encodeKey(w, k, x, env, ctx.filter?.parent ?? 0, `${path}.${k}`);
  }
  let flags = 0;
  if (v.skipHw) flags |= K.TCA_CLS_FLAGS_SKIP_HW;
  if (v.skipSw) flags |= K.TCA_CLS_FLAGS_SKIP_SW;
  if (v.verbose) flags |= K.TCA_CLS_FLAGS_VERBOSE;
  A.encode(w, { flags }, path);
  if (v.ipFlags !== undefined) {
    const f = ipFlagsOf(v.ipFlags, `${path}.ipFlags`);
    A.encode(w, { keyFlags: f.value, keyFlagsMask: f.mask }, path);
  }
  if (proto !== ETH_P_ALL) A.encode(w, { ethType: proto }, path);
}

// ── decoding ──

function ethTypeName(n: number): string | number {
  return n === ETH_P_IP ? 'ipv4' : n === ETH_P_IPV6 ? 'ipv6' : n === ETH_P_ARP ? 'arp' : n === ETH_P_RARP ? 'rarp' : n;
}

function decodeFlower(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): FlowerOptions {
  const a = A.decode(buf, start, end, issues, path);
  const o: FlowerOptions = {};
  if (a.classid !== undefined) {
    const m = minor(a.classid);
    if (m >= TC_H_MIN_PRIORITY && m < TC_H_MIN_PRIORITY + TC_QOPT_MAX_QUEUE) o.hwTc = m - TC_H_MIN_PRIORITY;
    else o.classid = formatHandle(a.classid);
  }
  if (a.indev !== undefined) o.indev = a.indev;
  if (a.numOfVlans !== undefined) o.numOfVlans = a.numOfVlans;
  if (a.vlanId !== undefined) o.vlanId = a.vlanId;
  if (a.vlanPrio !== undefined) o.vlanPrio = a.vlanPrio;
  if (a.vlanEthType !== undefined) o.vlanEthType = protocolName(a.vlanEthType);
  if (a.cvlanId !== undefined) o.cvlanId = a.cvlanId;
  if (a.cvlanPrio !== undefined) o.cvlanPrio = a.cvlanPrio;
  if (a.cvlanEthType !== undefined) o.cvlanEthType = protocolName(a.cvlanEthType);
  if (a.ethDst?.length === 6) o.dstMac = formatMaskedAddr(a.ethDst, a.ethDstMask, true);
  if (a.ethSrc?.length === 6) o.srcMac = formatMaskedAddr(a.ethSrc, a.ethSrcMask, true);
  const eth = a.ethType;
  if (eth !== undefined) o.ethType = protocolName(eth);
  if (a.ipProto !== undefined) o.ipProto = IP_PROTOS.find(([, n]) => n === a.ipProto)?.[0] ?? a.ipProto;
  if (a.ipTos !== undefined) o.ipTos = masked(a.ipTos, a.ipTosMask, 0xff);
  if (a.ipTtl !== undefined) o.ipTtl = masked(a.ipTtl, a.ipTtlMask, 0xff);
  const ip = (v4: Buffer | undefined, m4: Buffer | undefined, v6: Buffer | undefined, m6: Buffer | undefined): string | undefined =>
    v4?.length === 4 && m4?.length === 4 ? formatMaskedAddr(v4, m4, false) : v6?.length === 16 && m6?.length === 16 ? formatMaskedAddr(v6, m6, false) : undefined;
  const dstIp = ip(a.ipv4Dst, a.ipv4DstMask, a.ipv6Dst, a.ipv6DstMask);
  if (dstIp) o.dstIp = dstIp;
  const srcIp = ip(a.ipv4Src, a.ipv4SrcMask, a.ipv6Src, a.ipv6SrcMask);
  if (srcIp) o.srcIp = srcIp;
  const port = (v: number | undefined, m: number | undefined, min: number | undefined, max: number | undefined): PortMatch | undefined =>
    min !== undefined && max !== undefined ? { min, max } : v !== undefined ? masked(v, m, 0xffff) : undefined;
  const dst = port(a.tcpDst ?? a.udpDst ?? a.sctpDst, a.tcpDstMask ?? a.udpDstMask ?? a.sctpDstMask, a.portDstMin, a.portDstMax);
  if (dst !== undefined) o.dstPort = dst;
  const src = port(a.tcpSrc ?? a.udpSrc ?? a.sctpSrc, a.tcpSrcMask ?? a.udpSrcMask ?? a.sctpSrcMask, a.portSrcMin, a.portSrcMax);
  if (src !== undefined) o.srcPort = src;
  if (a.tcpFlags !== undefined) o.tcpFlags = masked(a.tcpFlags, a.tcpFlagsMask, 0xfff);
  const icmpType = a.icmpv4Type ?? a.icmpv6Type;
  if (icmpType !== undefined) o.icmpType = masked(icmpType, a.icmpv4TypeMask ?? a.icmpv6TypeMask, 0xff);
  const icmpCode = a.icmpv4Code ?? a.icmpv6Code;
  if (icmpCode !== undefined) o.icmpCode = masked(icmpCode, a.icmpv4CodeMask ?? a.icmpv6CodeMask, 0xff);
  const encDst = ip(a.encIpv4Dst, a.encIpv4DstMask, a.encIpv6Dst, a.encIpv6DstMask);
  if (encDst) o.encDstIp = encDst;
  const encSrc = ip(a.encIpv4Src, a.encIpv4SrcMask, a.encIpv6Src, a.encIpv6SrcMask);
  if (encSrc) o.encSrcIp = encSrc;
  if (a.encKeyId !== undefined) o.encKeyId = a.encKeyId;
  if (a.encUdpDstPort !== undefined) o.encDstPort = masked(a.encUdpDstPort, a.encUdpDstPortMask, 0xffff);
  if (a.encTos !== undefined) o.encTos = masked(a.encTos, a.encTosMask, 0xff);
  if (a.encTtl !== undefined) o.encTtl = masked(a.encTtl, a.encTtlMask, 0xff);
  if (a.keyFlagsMask !== undefined) {
    const f = a.keyFlags ?? 0;
    const parts: string[] = [];
    for (const [bit, name] of [[K.TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, 'frag'], [K.TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST, 'firstfrag']] as const) {
      if (a.keyFlagsMask & bit) parts.push(f & bit ? name : `no${name}`);
    }
    if (parts.length) o.ipFlags = parts.join('/');
  }
  if (a.ctState !== undefined) o.ctState = formatCtState(a.ctState, a.ctStateMask);
  if (a.ctZone !== undefined) o.ctZone = masked(a.ctZone, a.ctZoneMask, 0xffff);
  if (a.ctMark !== undefined) o.ctMark = masked(a.ctMark, a.ctMarkMask, 0xffffffff);
  if (a.ctLabels !== undefined) o.ctLabel = formatCtLabel(a.ctLabels, a.ctLabelsMask);
  if (a.flags !== undefined) o.flags = clsFlags(a.flags);
  if (a.inHwCount !== undefined) o.inHwCount = a.inHwCount;
  if (a.act) o.actions = decodeActions(buf, a.act.start, a.act.end, issues, `${path}.actions`);
  if (a.unknown) o.unknown = a.unknown;
  return o;
}

// ── tc words and printer ──

function flowerWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'skip_hw' || k === 'skip_sw' || matches(k, 'verbose')) {
      o[k === 'skip_hw' ? 'skipHw' : k === 'skip_sw' ? 'skipSw' : 'verbose'] = true;
      continue;
    }
    if (matches(k, 'action')) {
      o.actions = [...(Array.isArray(o.actions) ? o.actions : []), ...actionWords(w)];
      continue;
    }
    // tc's matches(): a word may be cut short, and the first row it starts wins (num_of_vlans is whole-word only).
    const row = WORDS.find(([word, , exact]) => exact ? k === word : matches(k, word));
    if (!row) w.unknown(k);
    o[row[1]] = w.value(k);
  }
  return o;
}

/** print_masked_*: "name value" and, when the mask is not full, "name_mask" in hex. */
function maskedOut(p: TcPrinter, name: string, m: Masked | undefined, full: number): void {
  if (m === undefined) return;
  const { value, mask } = maskedParts(m, full);
  p.any(name, value, `\n  ${name} ${value}`);
  if (mask !== full) p.any(`${name}_mask`, mask.toString(16), `/0x${mask.toString(16)}`);
}

/** print_indent_name_value: a string on its own line. */
const line = (p: TcPrinter, name: string, v: string | undefined): void => { if (v !== undefined) p.any(name, v, `\n  ${name} ${v}`); };
const uintLine = (p: TcPrinter, name: string, v: number | undefined): void => { if (v !== undefined) p.any(name, v, `\n  ${name} ${v}`); };
const u8Text = (m: Masked): string => typeof m === 'number' ? String(m) : `${m.value}/${m.mask}`;
const hex = (n: number): string => n.toString(16);

function portOut(p: TcPrinter, name: string, m: PortMatch | undefined): void {
  if (m === undefined) return;
  if (typeof m === 'object' && 'min' in m) {
    p.nest(name, (q) => q.any('start', m.min).any('end', m.max)).onlyText(`\n  ${name} ${m.min}-${m.max}`);
    return;
  }
  maskedOut(p, name, m, 0xffff);
}

const printFlower: FilterPrint<FlowerOptions> = (p, o, handle, ctx) => {
  if (handle) p.any('handle', handle, `handle 0x${hex(handle)} `);
  if (o.classid !== undefined) p.any('classid', o.classid, `classid ${o.classid} `);
  if (o.hwTc !== undefined) p.any('hw_tc', o.hwTc, `hw_tc ${o.hwTc} `);
  line(p, 'indev', o.indev);
  p.nest('keys', (q) => {
    uintLine(q, 'num_of_vlans', o.numOfVlans);
    uintLine(q, 'vlan_id', o.vlanId);
    uintLine(q, 'vlan_prio', o.vlanPrio);
    line(q, 'vlan_ethtype', o.vlanEthType === undefined ? undefined : String(o.vlanEthType));
    uintLine(q, 'cvlan_id', o.cvlanId);
    uintLine(q, 'cvlan_prio', o.cvlanPrio);
    line(q, 'cvlan_ethtype', o.cvlanEthType === undefined ? undefined : String(o.cvlanEthType));
    line(q, 'dst_mac', o.dstMac);
    line(q, 'src_mac', o.srcMac);
    const eth = o.ethType === undefined ? undefined : parseProtocol(o.ethType, 'ethType');
    if (eth !== undefined) {
      const name = ethTypeName(eth);
      line(q, 'eth_type', typeof name === 'number' ? hex(name).padStart(4, '0') : name);
    }
    if (o.ipProto !== undefined) line(q, 'ip_proto', typeof o.ipProto === 'number' ? hex(o.ipProto).padStart(2, '0') : o.ipProto);
    maskedOut(q, 'ip_tos', o.ipTos, 0xff);
    maskedOut(q, 'ip_ttl', o.ipTtl, 0xff);
    // tc prints addresses only when the EtherType says which family they are.
    if (eth === ETH_P_IP || eth === ETH_P_IPV6) {
      line(q, 'dst_ip', o.dstIp);
      line(q, 'src_ip', o.srcIp);
    }
    const l4 = o.ipProto === 'tcp' || o.ipProto === 'udp' || o.ipProto === 'sctp';
    if (l4) {
      // A masked port first, then a range, as tc prints them.
      const plain = (m: PortMatch | undefined): PortMatch | undefined => typeof m === 'object' && 'min' in m ? undefined : m;
      const range = (m: PortMatch | undefined): PortMatch | undefined => typeof m === 'object' && 'min' in m ? m : undefined;
      portOut(q, 'dst_port', plain(o.dstPort));
      portOut(q, 'src_port', plain(o.srcPort));
      portOut(q, 'dst_port', range(o.dstPort));
      portOut(q, 'src_port', range(o.srcPort));
    }
    if (o.tcpFlags !== undefined) {
      const { value, mask } = maskedParts(o.tcpFlags, 0xfff);
      line(q, 'tcp_flags', `0x${hex(value)}/${hex(mask)}`);
    }
    if ((eth === ETH_P_IP && o.ipProto === 'icmp') || (eth === ETH_P_IPV6 && o.ipProto === 'icmpv6')) {
      if (o.icmpType !== undefined) line(q, 'icmp_type', u8Text(o.icmpType));
      if (o.icmpCode !== undefined) line(q, 'icmp_code', u8Text(o.icmpCode));
    }
    line(q, 'enc_dst_ip', o.encDstIp);
    line(q, 'enc_src_ip', o.encSrcIp);
    if (o.encKeyId !== undefined) q.any('enc_key_id', o.encKeyId, `\n  enc_key_id ${o.encKeyId}`);
    maskedOut(q, 'enc_dst_port', o.encDstPort, 0xffff);
    maskedOut(q, 'enc_tos', o.encTos, 0xff);
    maskedOut(q, 'enc_ttl', o.encTtl, 0xff);
    if (o.ipFlags !== undefined) {
      const flags = o.ipFlags;
      q.onlyText(`\n  ip_flags ${flags}`).nest('ip_flags', (r) => {
        for (const t of flags.split('/')) r.onlyJson(t.replace(/^no/, ''), !t.startsWith('no'));
      });
    }
    line(q, 'ct_state', o.ctState);
    maskedOut(q, 'ct_zone', o.ctZone, 0xffff);
    maskedOut(q, 'ct_mark', o.ctMark, 0xffffffff);
    line(q, 'ct_label', o.ctLabel);
  });
  const f = o.flags;
  if (f?.skipHw) p.any('skip_hw', true, '\n  skip_hw');
  if (f?.skipSw) p.any('skip_sw', true, '\n  skip_sw');
  if (f?.inHw) p.any('in_hw', true, '\n  in_hw').any('in_hw_count', o.inHwCount, ` in_hw_count ${o.inHwCount}`);
  else if (f?.notInHw) p.any('not_in_hw', true, '\n  not_in_hw');
  if (o.actions) actionsOut(p, o.actions, ctx);
};

export const flower: FilterKind<FlowerOptions, FlowerOptionsInput | undefined> = {
  kind: 'flower',
  words: flowerWords,
  print: printFlower,
  options: {
    encode(w, value, ctx, path) { encodeFlower(w, value, ctx, path); },
    decode: decodeFlower,
  },
};
