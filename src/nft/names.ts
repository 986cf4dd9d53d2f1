// Kernel numbers of nf_tables seen through names: the words nft uses for
// families, hooks, verdicts, expression keys. Numbers come from
// src/generated (the kernel's uapi headers); the words are nft's.
import * as N from '../generated/linux/netfilter.js';
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { enumMap, flagsMap } from '../netlink/codec.js';

/** nfgenmsg.nfgen_family: the table families nft names. */
export const nftFamilies = enumMap('nftables family', {
  inet: N.NFPROTO_INET, ip: N.NFPROTO_IPV4, ip6: N.NFPROTO_IPV6, arp: N.NFPROTO_ARP,
  bridge: N.NFPROTO_BRIDGE, netdev: N.NFPROTO_NETDEV,
});
/** An nftables table family. */
export type NftFamily = 'inet' | 'ip' | 'ip6' | 'arp' | 'bridge' | 'netdev';
export const NFT_FAMILIES: readonly NftFamily[] = ['inet', 'ip', 'ip6', 'arp', 'bridge', 'netdev'];

/** Base chain hooks as nft names them (netdev's ingress shares NF_INET_INGRESS's number). */
export const nftHooks = enumMap('hook', {
  prerouting: N.NF_INET_PRE_ROUTING, input: N.NF_INET_LOCAL_IN, forward: N.NF_INET_FORWARD,
  output: N.NF_INET_LOCAL_OUT, postrouting: N.NF_INET_POST_ROUTING, ingress: N.NF_INET_INGRESS,
});
/** An nftables chain hook. */
export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';
/** The netdev family numbers its hooks apart (enum nf_dev_hooks). */
export const netdevHooks = enumMap('netdev hook', { ingress: N.NF_NETDEV_INGRESS, egress: N.NF_NETDEV_EGRESS });
/** A hook's name in a family. */
export function hookName(family: NftFamily | number, n: number | string): string | number {
  if (typeof n === 'string') return n;
  return family === 'netdev' ? netdevHooks.decode(n) : nftHooks.decode(n);
}

/** Verdict codes (NF_* and NFT_*); a signed 32-bit number on the wire. */
export const verdictCodes = enumMap('verdict', {
  drop: N.NF_DROP, accept: N.NF_ACCEPT, queue: N.NF_QUEUE, continue: T.NFT_CONTINUE,
  break: T.NFT_BREAK, jump: T.NFT_JUMP, goto: T.NFT_GOTO, return: T.NFT_RETURN,
});
export type VerdictName = 'drop' | 'accept' | 'queue' | 'continue' | 'break' | 'jump' | 'goto' | 'return';

export const chainPolicies = enumMap('chain policy', { drop: N.NF_DROP, accept: N.NF_ACCEPT });

export const payloadBases = enumMap('payload base', {
  ll: T.NFT_PAYLOAD_LL_HEADER, nh: T.NFT_PAYLOAD_NETWORK_HEADER,
  th: T.NFT_PAYLOAD_TRANSPORT_HEADER, ih: T.NFT_PAYLOAD_INNER_HEADER,
});
export type PayloadBase = 'll' | 'nh' | 'th' | 'ih';

export const cmpOps = enumMap('cmp op', {
  '==': T.NFT_CMP_EQ, '!=': T.NFT_CMP_NEQ, '<': T.NFT_CMP_LT, '<=': T.NFT_CMP_LTE, '>': T.NFT_CMP_GT, '>=': T.NFT_CMP_GTE,
});
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export const rangeOps = enumMap('range op', { '==': T.NFT_RANGE_EQ, '!=': T.NFT_RANGE_NEQ });

/**
 * Meta keys by nft's words: the kernel's NFT_META_* names, lower-cased, but
 * where nft says otherwise (secpath is "ipsec", prandom "random"...).
 */
export const metaKeys = enumMap('meta key', {
  length: T.NFT_META_LEN, protocol: T.NFT_META_PROTOCOL, priority: T.NFT_META_PRIORITY, mark: T.NFT_META_MARK,
  iif: T.NFT_META_IIF, oif: T.NFT_META_OIF, iifname: T.NFT_META_IIFNAME, oifname: T.NFT_META_OIFNAME,
  iiftype: T.NFT_META_IIFTYPE, oiftype: T.NFT_META_OIFTYPE, skuid: T.NFT_META_SKUID, skgid: T.NFT_META_SKGID,
  nftrace: T.NFT_META_NFTRACE, rtclassid: T.NFT_META_RTCLASSID, secmark: T.NFT_META_SECMARK,
  nfproto: T.NFT_META_NFPROTO, l4proto: T.NFT_META_L4PROTO, ibrname: T.NFT_META_BRI_IIFNAME,
  obrname: T.NFT_META_BRI_OIFNAME, pkttype: T.NFT_META_PKTTYPE, cpu: T.NFT_META_CPU,
  iifgroup: T.NFT_META_IIFGROUP, oifgroup: T.NFT_META_OIFGROUP, cgroup: T.NFT_META_CGROUP,
  random: T.NFT_META_PRANDOM, ipsec: T.NFT_META_SECPATH, iifkind: T.NFT_META_IIFKIND, oifkind: T.NFT_META_OIFKIND,
  ibrpvid: T.NFT_META_BRI_IIFPVID, ibrvproto: T.NFT_META_BRI_IIFVPROTO, time: T.NFT_META_TIME_NS,
  day: T.NFT_META_TIME_DAY, hour: T.NFT_META_TIME_HOUR, sdif: T.NFT_META_SDIF, sdifname: T.NFT_META_SDIFNAME,
});
/** A `meta` expression's key, as nft names it. */
export type MetaKey = 'length' | 'protocol' | 'priority' | 'mark' | 'iif' | 'oif' | 'iifname' | 'oifname'
  | 'iiftype' | 'oiftype' | 'skuid' | 'skgid' | 'nftrace' | 'rtclassid' | 'secmark' | 'nfproto' | 'l4proto'
  | 'ibrname' | 'obrname' | 'pkttype' | 'cpu' | 'iifgroup' | 'oifgroup' | 'cgroup' | 'random' | 'ipsec'
  | 'iifkind' | 'oifkind' | 'ibrpvid' | 'ibrvproto' | 'time' | 'day' | 'hour' | 'sdif' | 'sdifname';

/** Conntrack keys by nft's words. */
export const ctKeys = enumMap('ct key', {
  state: T.NFT_CT_STATE, direction: T.NFT_CT_DIRECTION, status: T.NFT_CT_STATUS, mark: T.NFT_CT_MARK,
  secmark: T.NFT_CT_SECMARK, expiration: T.NFT_CT_EXPIRATION, helper: T.NFT_CT_HELPER,
  l3proto: T.NFT_CT_L3PROTOCOL, saddr: T.NFT_CT_SRC, daddr: T.NFT_CT_DST, protocol: T.NFT_CT_PROTOCOL,
  'proto-src': T.NFT_CT_PROTO_SRC, 'proto-dst': T.NFT_CT_PROTO_DST, label: T.NFT_CT_LABELS,
  packets: T.NFT_CT_PKTS, bytes: T.NFT_CT_BYTES, avgpkt: T.NFT_CT_AVGPKT, zone: T.NFT_CT_ZONE,
  event: T.NFT_CT_EVENTMASK, 'ip saddr': T.NFT_CT_SRC_IP, 'ip daddr': T.NFT_CT_DST_IP,
  'ip6 saddr': T.NFT_CT_SRC_IP6, 'ip6 daddr': T.NFT_CT_DST_IP6, id: T.NFT_CT_ID,
});
/** A `ct` expression's key, as nft names it. */
export type CtKey = 'state' | 'direction' | 'status' | 'mark' | 'secmark' | 'expiration' | 'helper' | 'l3proto'
  | 'saddr' | 'daddr' | 'protocol' | 'proto-src' | 'proto-dst' | 'label' | 'packets' | 'bytes' | 'avgpkt'
  | 'zone' | 'event' | 'ip saddr' | 'ip daddr' | 'ip6 saddr' | 'ip6 daddr' | 'id';

export const natTypes = enumMap('nat type', { snat: T.NFT_NAT_SNAT, dnat: T.NFT_NAT_DNAT });
export const rejectTypes = enumMap('reject type', {
  icmp: T.NFT_REJECT_ICMP_UNREACH, 'tcp reset': T.NFT_REJECT_TCP_RST, icmpx: T.NFT_REJECT_ICMPX_UNREACH,
});
export const limitTypes = enumMap('limit type', { packets: T.NFT_LIMIT_PKTS, bytes: T.NFT_LIMIT_PKT_BYTES });
export const logLevels = enumMap('log level', {
  emerg: T.NFT_LOGLEVEL_EMERG, alert: T.NFT_LOGLEVEL_ALERT, crit: T.NFT_LOGLEVEL_CRIT, err: T.NFT_LOGLEVEL_ERR,
  warn: T.NFT_LOGLEVEL_WARNING, notice: T.NFT_LOGLEVEL_NOTICE, info: T.NFT_LOGLEVEL_INFO,
  debug: T.NFT_LOGLEVEL_DEBUG, audit: T.NFT_LOGLEVEL_AUDIT,
});
export const objectTypes = enumMap('object type', {
  counter: T.NFT_OBJECT_COUNTER, quota: T.NFT_OBJECT_QUOTA, 'ct helper': T.NFT_OBJECT_CT_HELPER,
  limit: T.NFT_OBJECT_LIMIT, 'ct timeout': T.NFT_OBJECT_CT_TIMEOUT, secmark: T.NFT_OBJECT_SECMARK,
  'ct expectation': T.NFT_OBJECT_CT_EXPECT, synproxy: T.NFT_OBJECT_SYNPROXY,
});

/** NFTA_SET_FLAGS; nft's JSON names for the ones it prints (EVAL is "dynamic"). */
export const setFlags = flagsMap('set flag', {
  anonymous: T.NFT_SET_ANONYMOUS, constant: T.NFT_SET_CONSTANT, interval: T.NFT_SET_INTERVAL,
  map: T.NFT_SET_MAP, timeout: T.NFT_SET_TIMEOUT, dynamic: T.NFT_SET_EVAL, object: T.NFT_SET_OBJECT,
  concat: T.NFT_SET_CONCAT, expr: T.NFT_SET_EXPR,
});
export type SetFlag = 'anonymous' | 'constant' | 'interval' | 'map' | 'timeout' | 'dynamic' | 'object' | 'concat' | 'expr';

export const chainFlags = flagsMap('chain flag', {
  base: T.NFT_CHAIN_BASE, offload: T.NFT_CHAIN_HW_OFFLOAD, binding: T.NFT_CHAIN_BINDING,
});
export const tableFlags = flagsMap('table flag', { dormant: T.NFT_TABLE_F_DORMANT, owner: T.NFT_TABLE_F_OWNER });
