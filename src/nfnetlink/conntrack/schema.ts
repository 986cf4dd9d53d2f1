// ctnetlink's attribute sets (linux/netfilter/nfnetlink_conntrack.h): a
// conntrack entry, an expectation, the statistics. Numbers travel
// big-endian, as the kernel writes them; nests carry NLA_F_NESTED, as
// libnetfilter_conntrack sends them. Decoding keeps what it does not know
// (unknown) and never throws (docs/netfilter.md).
import * as C from '../../generated/linux/netfilter/nfnetlink_conntrack.js';
import { nfgenmsg } from '../../generated/linux/netfilter/nfnetlink.js';
import { nf_ct_tcp_flags } from '../../generated/linux/netfilter/nf_conntrack_tcp.js';
import { be16, be32, be64, binary, ipv4, ipv6, string, struct, u8, u32 } from '../../netlink/codec.js';
import { type AttrSet, type AttrsIn, type AttrsOut, type SpecMap, attr, attrSet, messageSchema, nested } from '../../netlink/schema.js';

const nest = <S extends SpecMap>(set: AttrSet<S>) => nested(set, { nestFlag: true });

export const ipAttrs = attrSet('conntrack.ip', {
  v4Src: attr(C.CTA_IP_V4_SRC, ipv4),
  v4Dst: attr(C.CTA_IP_V4_DST, ipv4),
  v6Src: attr(C.CTA_IP_V6_SRC, ipv6),
  v6Dst: attr(C.CTA_IP_V6_DST, ipv6),
});

export const protoAttrs = attrSet('conntrack.proto', {
  num: attr(C.CTA_PROTO_NUM, u8),
  srcPort: attr(C.CTA_PROTO_SRC_PORT, be16),
  dstPort: attr(C.CTA_PROTO_DST_PORT, be16),
  icmpId: attr(C.CTA_PROTO_ICMP_ID, be16),
  icmpType: attr(C.CTA_PROTO_ICMP_TYPE, u8),
  icmpCode: attr(C.CTA_PROTO_ICMP_CODE, u8),
  icmpv6Id: attr(C.CTA_PROTO_ICMPV6_ID, be16),
  icmpv6Type: attr(C.CTA_PROTO_ICMPV6_TYPE, u8),
  icmpv6Code: attr(C.CTA_PROTO_ICMPV6_CODE, u8),
});

export const tupleAttrs = attrSet('conntrack.tuple', {
  ip: attr(C.CTA_TUPLE_IP, nest(ipAttrs)),
  proto: attr(C.CTA_TUPLE_PROTO, nest(protoAttrs)),
  zone: attr(C.CTA_TUPLE_ZONE, be16),
});

export const tcpInfoAttrs = attrSet('conntrack.protoinfo.tcp', {
  state: attr(C.CTA_PROTOINFO_TCP_STATE, u8),
  wscaleOriginal: attr(C.CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, u8),
  wscaleReply: attr(C.CTA_PROTOINFO_TCP_WSCALE_REPLY, u8),
  flagsOriginal: attr(C.CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, struct(nf_ct_tcp_flags)),
  flagsReply: attr(C.CTA_PROTOINFO_TCP_FLAGS_REPLY, struct(nf_ct_tcp_flags)),
});

export const sctpInfoAttrs = attrSet('conntrack.protoinfo.sctp', {
  state: attr(C.CTA_PROTOINFO_SCTP_STATE, u8),
  vtagOriginal: attr(C.CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, be32),
  vtagReply: attr(C.CTA_PROTOINFO_SCTP_VTAG_REPLY, be32),
});

export const dccpInfoAttrs = attrSet('conntrack.protoinfo.dccp', {
  state: attr(C.CTA_PROTOINFO_DCCP_STATE, u8),
  role: attr(C.CTA_PROTOINFO_DCCP_ROLE, u8),
  handshakeSeq: attr(C.CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, be64),
});

export const protoinfoAttrs = attrSet('conntrack.protoinfo', {
  tcp: attr(C.CTA_PROTOINFO_TCP, nest(tcpInfoAttrs)),
  dccp: attr(C.CTA_PROTOINFO_DCCP, nest(dccpInfoAttrs)),
  sctp: attr(C.CTA_PROTOINFO_SCTP, nest(sctpInfoAttrs)),
});

export const counterAttrs = attrSet('conntrack.counters', {
  packets: attr(C.CTA_COUNTERS_PACKETS, be64),
  bytes: attr(C.CTA_COUNTERS_BYTES, be64),
  packets32: attr(C.CTA_COUNTERS32_PACKETS, be32),
  bytes32: attr(C.CTA_COUNTERS32_BYTES, be32),
});

export const timestampAttrs = attrSet('conntrack.timestamp', {
  start: attr(C.CTA_TIMESTAMP_START, be64),
  stop: attr(C.CTA_TIMESTAMP_STOP, be64),
});

export const helpAttrs = attrSet('conntrack.help', {
  name: attr(C.CTA_HELP_NAME, string),
  info: attr(C.CTA_HELP_INFO, binary),
});

export const secctxAttrs = attrSet('conntrack.secctx', {
  name: attr(C.CTA_SECCTX_NAME, string),
});

export const seqAdjAttrs = attrSet('conntrack.seqadj', {
  correctionPos: attr(C.CTA_SEQADJ_CORRECTION_POS, be32),
  offsetBefore: attr(C.CTA_SEQADJ_OFFSET_BEFORE, be32),
  offsetAfter: attr(C.CTA_SEQADJ_OFFSET_AFTER, be32),
});

export const protoNatAttrs = attrSet('conntrack.nat.proto', {
  portMin: attr(C.CTA_PROTONAT_PORT_MIN, be16),
  portMax: attr(C.CTA_PROTONAT_PORT_MAX, be16),
});

export const natAttrs = attrSet('conntrack.nat', {
  v4MinIp: attr(C.CTA_NAT_V4_MINIP, ipv4),
  v4MaxIp: attr(C.CTA_NAT_V4_MAXIP, ipv4),
  proto: attr(C.CTA_NAT_PROTO, nest(protoNatAttrs)),
  v6MinIp: attr(C.CTA_NAT_V6_MINIP, ipv6),
  v6MaxIp: attr(C.CTA_NAT_V6_MAXIP, ipv6),
});

export const synproxyAttrs = attrSet('conntrack.synproxy', {
  isn: attr(C.CTA_SYNPROXY_ISN, be32),
  its: attr(C.CTA_SYNPROXY_ITS, be32),
  tsoff: attr(C.CTA_SYNPROXY_TSOFF, be32),
});

/** CTA_FILTER: which tuple fields a dump or flush matches (flag bits; no flags, no tuple condition). */
export const filterAttrs = attrSet('conntrack.filter', {
  origFlags: attr(C.CTA_FILTER_ORIG_FLAGS, u32),
  replyFlags: attr(C.CTA_FILTER_REPLY_FLAGS, u32),
});

export const conntrackAttrs = attrSet('conntrack', {
  tupleOrig: attr(C.CTA_TUPLE_ORIG, nest(tupleAttrs)),
  tupleReply: attr(C.CTA_TUPLE_REPLY, nest(tupleAttrs)),
  status: attr(C.CTA_STATUS, be32),
  protoinfo: attr(C.CTA_PROTOINFO, nest(protoinfoAttrs)),
  help: attr(C.CTA_HELP, nest(helpAttrs)),
  natSrc: attr(C.CTA_NAT_SRC, nest(natAttrs)),
  timeout: attr(C.CTA_TIMEOUT, be32),
  mark: attr(C.CTA_MARK, be32),
  countersOrig: attr(C.CTA_COUNTERS_ORIG, nest(counterAttrs)),
  countersReply: attr(C.CTA_COUNTERS_REPLY, nest(counterAttrs)),
  use: attr(C.CTA_USE, be32),
  id: attr(C.CTA_ID, be32),
  natDst: attr(C.CTA_NAT_DST, nest(natAttrs)),
  tupleMaster: attr(C.CTA_TUPLE_MASTER, nest(tupleAttrs)),
  seqAdjOrig: attr(C.CTA_SEQ_ADJ_ORIG, nest(seqAdjAttrs)),
  seqAdjReply: attr(C.CTA_SEQ_ADJ_REPLY, nest(seqAdjAttrs)),
  secmark: attr(C.CTA_SECMARK, be32),
  zone: attr(C.CTA_ZONE, be16),
  secctx: attr(C.CTA_SECCTX, nest(secctxAttrs)),
  timestamp: attr(C.CTA_TIMESTAMP, nest(timestampAttrs)),
  markMask: attr(C.CTA_MARK_MASK, be32),
  labels: attr(C.CTA_LABELS, binary),
  labelsMask: attr(C.CTA_LABELS_MASK, binary),
  synproxy: attr(C.CTA_SYNPROXY, nest(synproxyAttrs)),
  statusMask: attr(C.CTA_STATUS_MASK, be32),
  filter: attr(C.CTA_FILTER, nest(filterAttrs)),
});

const header = { family: 'nfgen_family', version: 'version', resId: 'res_id' } as const;

/** One IPCTNL_MSG_CT_* message: nfgenmsg, then the conntrack attributes. */
export const conntrackMessage = messageSchema('conntrack', nfgenmsg, header, conntrackAttrs);

export const expectNatAttrs = attrSet('expect.nat', {
  dir: attr(C.CTA_EXPECT_NAT_DIR, be32),
  tuple: attr(C.CTA_EXPECT_NAT_TUPLE, nest(tupleAttrs)),
});

export const expectAttrs = attrSet('expect', {
  master: attr(C.CTA_EXPECT_MASTER, nest(tupleAttrs)),
  tuple: attr(C.CTA_EXPECT_TUPLE, nest(tupleAttrs)),
  mask: attr(C.CTA_EXPECT_MASK, nest(tupleAttrs)),
  timeout: attr(C.CTA_EXPECT_TIMEOUT, be32),
  id: attr(C.CTA_EXPECT_ID, be32),
  helpName: attr(C.CTA_EXPECT_HELP_NAME, string),
  zone: attr(C.CTA_EXPECT_ZONE, be16),
  flags: attr(C.CTA_EXPECT_FLAGS, be32),
  class: attr(C.CTA_EXPECT_CLASS, be32),
  nat: attr(C.CTA_EXPECT_NAT, nest(expectNatAttrs)),
  fn: attr(C.CTA_EXPECT_FN, string),
});

/** One IPCTNL_MSG_EXP_* message (subsystem NFNL_SUBSYS_CTNETLINK_EXP). */
export const expectMessage = messageSchema('expect', nfgenmsg, header, expectAttrs);

/** IPCTNL_MSG_CT_GET_STATS_CPU: one message per CPU, the CPU in res_id. */
export const cpuStatsAttrs = attrSet('conntrack.stats', {
  searched: attr(C.CTA_STATS_SEARCHED, be32),
  found: attr(C.CTA_STATS_FOUND, be32),
  new: attr(C.CTA_STATS_NEW, be32),
  invalid: attr(C.CTA_STATS_INVALID, be32),
  ignore: attr(C.CTA_STATS_IGNORE, be32),
  delete: attr(C.CTA_STATS_DELETE, be32),
  deleteList: attr(C.CTA_STATS_DELETE_LIST, be32),
  insert: attr(C.CTA_STATS_INSERT, be32),
  insertFailed: attr(C.CTA_STATS_INSERT_FAILED, be32),
  drop: attr(C.CTA_STATS_DROP, be32),
  earlyDrop: attr(C.CTA_STATS_EARLY_DROP, be32),
  error: attr(C.CTA_STATS_ERROR, be32),
  searchRestart: attr(C.CTA_STATS_SEARCH_RESTART, be32),
  clashResolve: attr(C.CTA_STATS_CLASH_RESOLVE, be32),
  chainTooLong: attr(C.CTA_STATS_CHAIN_TOOLONG, be32),
});
export const cpuStatsMessage = messageSchema('conntrack.stats', nfgenmsg, header, cpuStatsAttrs);

/** IPCTNL_MSG_CT_GET_STATS: the table's size and limit. */
export const globalStatsAttrs = attrSet('conntrack.stats.global', {
  entries: attr(C.CTA_STATS_GLOBAL_ENTRIES, be32),
  maxEntries: attr(C.CTA_STATS_GLOBAL_MAX_ENTRIES, be32),
});
export const globalStatsMessage = messageSchema('conntrack.stats.global', nfgenmsg, header, globalStatsAttrs);

export type TupleAttrs = AttrsOut<typeof tupleAttrs.specs>;
export type TupleAttrsIn = AttrsIn<typeof tupleAttrs.specs>;
export type ConntrackAttrsIn = AttrsIn<typeof conntrackAttrs.specs>;
