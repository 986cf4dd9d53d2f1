// netlink-ts: the public surface. Layers from the bottom: the protocol codec
// (netlink/), the socket (socket/), rtnetlink schemas (rtnl/), the typed
// client (client.ts, api/).
export { Rtnl, type RtnlOptions } from './client.js';
export type { Monitor, MonitorOptions, MonitorEvent, MonitorStats, ObjectEvent, OverrunEvent, SyncedEvent, RawEvent } from './events/monitor.js';
export type { LinkApi, LinkListFilter } from './api/families/link.js';
export type { LinkRef } from './api/link-spec.js';
export type { Link } from './rtnl/link.js';
export type { LinkInfo, LinkInfoInput } from './rtnl/link-info.js';
export type { LinkFlag } from './rtnl/link-names.js';
/** Named network namespaces as `ip netns` keeps them: add, delete, list, open, exec in one (docs/netns.md). */
export * as netns from './netns/index.js';
export type { NetnsRef } from './netns/ref.js';
/** tun and tap devices: make, open, list (docs/tuntap.md). */
export * as tuntap from './tuntap/index.js';
export type { Tuntap, TuntapHandle, TuntapInput, TuntapMode, TuntapOpenInput, TuntapWhere } from './tuntap/index.js';
export type {
  BridgeMdbEntry, BridgePortInput, BridgePortOption, BridgeVlanInput, BridgeVlanEntry,
  FdbEntry, FdbInput, FdbListFilter, FdbState, FdbVerb, MdbInput,
} from './api/bridge.js';
export {
  type BridgeApi, type BridgeFdbApi, type BridgeMdbApi, type BridgePortApi, type BridgeVlanApi, type BridgePortSet, type FdbInputs, type BridgeVlanInputs,
  bridgeFamilies, fdbFamily, bridgePortFamily, bridgeVlanFamily, bridgePortVerbs,
} from './api/families/bridge.js';
export { mdbFamily, mdbVerbs, type MdbApi, type MdbInputs, type MdbListFilter } from './api/families/mdb.js';
export { type BridgeLink, bridgeLinkAttrs, decodeBridgeLink } from './rtnl/bridge-link.js';
export { type MdbEntry, type MdbEntryInfo, type MdbMessage, decodeMdb, mdbAttrs, mdbHeader } from './rtnl/bridge-mdb.js';
export { bridgePortData } from './rtnl/link-kinds/bridge.js';
export { NsidApi, type NsidEntry } from './api/nsid.js';
export { moveLinkToNetns } from './api/link-netns.js';
export { type LinkInput, type LinkMessage, type LinkSpec, type LinkWords, toLinkInput } from './api/link-spec.js';
export type { LinkAltNames, LinkDelTarget } from './api/families/link.js';
export { kindData, portData, type PortKind } from './rtnl/link-info.js';
export { linkKinds, type KnownLinkKind } from './rtnl/link-kinds/registry.js';
// A kind module's parts (docs/architecture.md, "Kinds"): its words and its printers.
export type { Json, KindJson, KindWords, KindWordsContext, LinkWordsContext } from './rtnl/link-kinds/kind.js';
export { UsageError, Words } from './rtnl/words.js';
export { type NeighbourApi, type NeighbourInput, type NeighbourMessage, type NeighbourSpec, type NeighbourVerb, type NeighbourListFilter, neighbourInput, neighbourRequest, neighbourListRequest } from './api/families/neighbour.js';
export type { Neighbour } from './rtnl/neighbour.js';
export type { NeighState, NeighStateInput, NeighFlag, NeighExtFlag } from './rtnl/neighbour-names.js';
export { type RuleApi, type RuleInput, type RuleMessage, type RuleSpec, type RuleVerb, ruleInput, ruleRequest, ruleListRequest } from './api/families/rule.js';
export type { Rule } from './rtnl/rule.js';
export type { RuleAction, RuleFlag } from './rtnl/rule-names.js';
export type { RouteType, RouteTable, RouteProtocol } from './rtnl/names.js';
export { type AddressApi, type AddressListFilter, type AddressMessage, type AddressMessageInput, addressRequest, addressDecoder } from './api/families/address.js';
export type { Address, AddressFlag } from './rtnl/address.js';
export type { AddressInput, AddressOp, Lifetime } from './rtnl/address-input.js';
export { type RouteApi, type RouteListFilter, type RouteMessage, type RouteMessageInput, routeRequest, routeGetRequest, routeDecoder } from './api/families/route.js';
export type { Route, RouteMetrics, Nexthop, Via } from './rtnl/route.js';
export type { RouteInput, RouteQuery, RouteOp, NexthopInput, RouteMetricsInput } from './rtnl/route-input.js';
export type { RouteFlag, NexthopFlag, RouterPref, MetricName } from './rtnl/route-names.js';
export type { Scope, ScopeInput } from './rtnl/names.js';
export { type QdiscApi, type QdiscInput, type QdiscListFilter } from './api/families/qdisc.js';
export { type ClassApi, type ClassInput, type ClassListFilter } from './api/families/class.js';
export { type FilterApi, type FilterInput, type FilterListFilter, type BlockFilterInput, type FilterListWhere } from './api/families/filter.js';
export { type Qdisc, type QdiscOf, type QdiscSpec, type TcVerb, isQdisc, qdiscRequest, decodeQdisc } from './rtnl/tc/qdisc.js';
export { type TcClass, type ClassOf, type ClassSpec, isClass, classRequest, decodeClass } from './rtnl/tc/class.js';
export { type Filter, type FilterOf, type FilterSpec, isFilter, filterRequest, decodeFilter, formatFilterHandle } from './rtnl/tc/filter.js';
export type { Action, ActionInput } from './rtnl/tc/actions/action.js';
export type { ActionPrint, EncodeContext, FilterPrint, TcPrint, TcPrintContext, TcWords } from './rtnl/tc/kind.js';
export { TcPrinter } from './rtnl/tc/printer.js';
export { TcFloat, TcJsonObject, type TcJsonValue } from './rtnl/tc/json.js';
export type { TcStats } from './rtnl/tc/stats.js';
export { type TcHandle, parseClassid, parseQdiscHandle, formatHandle } from './rtnl/tc/handles.js';
export { type Rate, type Size, type Time, type Time64, type Percent, parseRate, parseSize, parseTime, parseTime64, parsePercent } from './rtnl/tc/units.js';

export { NetlinkSocket, type SocketOptions, type BatchOptions, type BatchResult, type DumpOptions, type SocketEvent, type Requester } from './socket/netlink-socket.js';
export { AbortError, DEFAULT_TIMEOUT_MS, type RequestOptions } from './socket/request-options.js';
export { withRequestOptions } from './socket/request-view.js';
export { type NlMessage, rawMessage } from './socket/messages.js';
export type { Request, Decoder } from './netlink/request.js';
export type { Transport, Watch } from './socket/transport.js';
export { KernelTransport, type KernelSocketOptions } from './socket/kernel-transport.js';
export { FakeKernel, FakeReply, type FakeHandler, type FakeRequest } from './socket/fake-kernel.js';

export { NetlinkWriter, align4, NLMSG_HDRLEN, NLA_HDRLEN } from './netlink/writer.js';
export { Attr, forEachAttr, forEachMessage, parseAttrs, readHeader, type MessageHeader } from './netlink/reader.js';
export { EncodeError, NetlinkError, type DecodeIssue, type ExtAck } from './netlink/errors.js';
export { OsError } from './ffi/os-error.js';
/** The value codecs schemas are made of: integers, strings, addresses, flags, name maps. */
export * as codec from './netlink/codec.js';
export { AttrSet, MessageSchema, attr, attrList, attrSet, messageSchema, nested, field, type RawAttr, type AttrsOut, type AttrsIn, type KernelNumbers } from './netlink/schema.js';
export { kernelNumbers } from './netlink/kernel-numbers.js';
export { decodeStruct, encodeStruct, structBytes, type StructValue, type StructInput } from './netlink/struct.js';
export { formatIP, parseIP, parsePrefix, formatHw, parseHw } from './netlink/ip.js';
export * from './lab/index.js';
export { Batch, BatchEncodeError, type BatchFailure, type BatchVerbs, type BatchName, type ChangeInputsOf, type FamilyBatchVerbs, type CommitOptions, type CommitResult } from './api/batch.js';
export type { EncodedBatch } from './socket/netlink-socket.js';
export type { MonitorGroup, ObjectEventOf, EventKindName, EventObjects, TcChain } from './events/monitor.js';
export { NetnsNameError } from './netns/names.js';
export { decodeLink } from './rtnl/link.js';
export { decodeNeighbour } from './rtnl/neighbour.js';
export { decodeRule } from './rtnl/rule.js';
export { decodeRoute } from './rtnl/route.js';
export { decodeAddress } from './rtnl/address.js';
export { decodeNsid } from './rtnl/nsid.js';
export type { NeighbourFlushFilter } from './api/families/neighbour.js';
export { type AddrlabelInput, type AddrlabelVerb, addrlabelRequest, addrlabelListRequest } from './api/addrlabels.js';
export { type Addrlabel, type AddrlabelMessage, decodeAddrlabel, addrlabelMessage, addrlabelAttrs, addrlabelHeader } from './rtnl/addrlabel.js';
export { type RouteEncap, type RouteEncapInput, type EncapKind, type Srh, type Seg6Mode, type Seg6LocalAction, type EncapAttrSets, encapAttrSets, seg6Modes, seg6LocalActions, decodeEncap, encodeEncap } from './rtnl/lwtunnel.js';
export { ROUTE_DUMP_MAGIC, saveRoutes, restoreRoutes, readRouteDump, routeDumpMessages } from './api/route-save.js';
export { type StatsFilter, statsRequest } from './api/stats.js';
export { type LinkStats, type LinkStatsMessage, type StatsGroup, statsGroups, decodeLinkStats, statsMessage, statsAttrs, statsHeader, statsOffloadAttrs } from './rtnl/stats.js';
export { type NtableChangeInput, type NtableListFilter, type NtableParmsInput, ntableChangeRequest, ntableListRequest } from './api/ntables.js';
export { type Ntable, type NtableMessage, decodeNtable, ntableMessage, ntableAttrs, ntableHeader, ntableParmsAttrs } from './rtnl/ntable.js';
export { type NetconfDev, type NetconfListFilter, netconfListRequest, netconfGetRequest } from './api/netconf.js';
export { type Netconf, type NetconfMessage, decodeNetconf, netconfMessage, netconfAttrs, netconfHeader, NETCONF_ALL, NETCONF_DEFAULT } from './rtnl/netconf.js';
export { type NexthopObjectInput, type NexthopVerb, type NexthopListFilter, type NexthopBucketFilter, type NexthopFlushFilter, nexthopRequest, nexthopListRequest, nexthopGetRequest, nexthopBucketListRequest, nexthopBucketGetRequest } from './api/nexthops.js';
export { type NexthopObject, type NexthopObjectMessage, type NexthopBucket, type NexthopGroupMember, type NexthopGroupMemberInput, type NexthopGroupType, nexthopGroupTypes, decodeNexthopObject, nexthopMessage, nexthopAttrs, nexthopHeader, resilientGroupAttrs, resilientBucketAttrs } from './rtnl/nexthop.js';
export type { WithDev } from './api/tc-common.js';
// Socket diagnostics (docs/diag.md): NETLINK_SOCK_DIAG, the sockets of a namespace as ss lists them.
export { SockDiag, type SockDiagOptions } from './diag/client.js';
export type { SocketListFilter } from './diag/query.js';
export type { SocketFilter, PortOp } from './diag/filter.js';
export type { SocketState, SocketStateGroup } from './diag/states.js';
export type {
  DiagSocket, DiagSocketBase, InetSocket, UnixSocket, PacketSocket, NetlinkSocketInfo, InetEndpoint, SocketMemory, TcpInfo, DiagExtensions, DiagProtocol,
} from './diag/types.js';
// The kernel structs a socket's information comes in (decodeStruct reads them).
export { tcp_info } from './generated/linux/tcp.js';
export { inet_diag_meminfo, tcp_bbr_info, tcp_dctcp_info, tcpvegas_info } from './generated/linux/inet_diag.js';
// Generic netlink (docs/genl.md): families resolved through nlctrl, described by their YNL specs.
export { Genl, type GenlOptions, type GenlFamily, type GenlFamilyInfo, type GenlMessage } from './genl/client.js';
export type { GenlSpec, YnlAttr, YnlOp, YnlChecks, YnlEnum, YnlMember, YnlMsg, YnlType } from './genl/spec.js';
export type { GenlAttrs, GenlListedAttrs, GenlOpName, GenlOpOf, GenlReply, GenlRequest, GenlSetOf, GenlValue } from './genl/types.js';
export type { GenlCodec } from './genl/message.js';
export type { GenlSchema } from './genl/schema.js';
// nfnetlink (docs/netfilter.md): NETLINK_NETFILTER requests, dumps, events and transactions.
export { Nfnetlink, type NfnetlinkOptions } from './nfnetlink/client.js';
export { NFGENMSG_LEN, type NfRequestInit, type Nfgenmsg, msgOf, nfRequest, nfType, readNfgenmsg, subsysOf, writeNfgenmsg } from './nfnetlink/header.js';
export type { TransactionOptions, TransactionResult } from './nfnetlink/transaction.js';
// nftables (docs/netfilter.md): list the ruleset as nft -j does, load and apply nft JSON documents atomically, plan.
export { Nft, type NftListOptions } from './nft/client.js';
export type { NftDocument } from './nft/document.js';
/** nftables statements and expressions as `nft -j` writes them, and builders for them (docs/netfilter.md). */
export * as nftStatements from './nft/statements.js';
export type {
  NftStatement, NftObject, NftKeyExpr, NftRightExpr, NftVerdict, NftMatchOp, NftNat, NftSetObject, NftPayloadExpr, NftMetaExpr, NftCtExpr,
} from './nft/statements.js';
export type { MetaKey as NftMetaKey, CtKey as NftCtKey, NftHook } from './nft/names.js';
export type { PlanChange } from './nft/plan.js';
export type { NftValue } from './nft/datatypes.js';
export type { NftFamily } from './nft/names.js';
export type {
  Ruleset as NftRuleset, RulesetChain as NftRulesetChain, RulesetFlowtable as NftRulesetFlowtable, RulesetObject as NftRulesetObject,
  RulesetRule as NftRulesetRule, RulesetSet as NftRulesetSet, RulesetTable as NftRulesetTable, RulesetFamily as NftRulesetFamily,
} from './nft/ruleset.js';
export type { NftChain, NftFlowtable, NftObj, NftRule, NftSet, NftTable } from './nft/messages.js';
export {
  EXPR_SETS as NFT_EXPR_SETS, type Expr as NftExpr, type ExprInput as NftExprInput, type KnownExpr as NftKnownExpr,
  type KnownExprInput as NftKnownExprInput, type RawExpr as NftRawExpr, type ExprName as NftExprName, type ExprSets as NftExprSets,
  type ExprSpecs as NftExprSpecs,
} from './nft/expr.js';
export {
  chainAttrs as nftChainAttrs, elemAttrs as nftElemAttrs, flowtableAttrs as nftFlowtableAttrs, objAttrs as nftObjAttrs,
  ruleAttrs as nftRuleAttrs, setAttrs as nftSetAttrs, tableAttrs as nftTableAttrs, type Elem as NftElem,
} from './nft/objects.js';
// ethtool over generic netlink (docs/ethtool.md).
export {
  Ethtool, type EthtoolOptions, type EthtoolDevice, type EthtoolFeature, type EthtoolLinkInfo, type EthtoolLinkModes, type EthtoolLinkState,
  type EthtoolRings, type EthtoolRingsInput, type EthtoolChannels, type EthtoolChannelsInput, type EthtoolCoalesce, type EthtoolCoalesceInput,
  type EthtoolPause, type EthtoolPauseInput, type EthtoolEee, type EthtoolEeeInput, type EthtoolPrivFlag, type EthtoolStat,
  type EthtoolWol, type EthtoolDebug, type EthtoolFeatureChange, type EthtoolFeaturesResult,
} from './ethtool/client.js';
export type { EthtoolDriverInfo } from './ethtool/ioctl.js';
export { FeatureNameError } from './ethtool/features.js';
// mptcp_pm and tcp_metrics over generic netlink (docs/genl.md).
export {
  MptcpApi, type MptcpEndpoint, type MptcpEndpointInput, type MptcpEndpointFlag, type MptcpLimits, type MptcpEvent, type MptcpEventAttrs,
  MPTCP_ENDPOINT_FLAGS, decodeMptcpEvent,
} from './mptcp/client.js';
export { TcpMetricsApi, type TcpMetrics, type TcpMetricsListFilter } from './tcp-metrics/client.js';
// conntrack (ctnetlink, docs/netfilter.md).
export {
  ConntrackApi, type ConntrackDeleteResult, type ConntrackEvent, type ConntrackMonitor, type ConntrackMonitorEvent, type ConntrackMonitorOptions,
} from './nfnetlink/conntrack/api.js';
export type { Conntrack, ConntrackCounters, ConntrackInput, ConntrackTuple, ConntrackTupleInput } from './nfnetlink/conntrack/entry.js';
export type { ConntrackListFilter } from './nfnetlink/conntrack/filter.js';
export type { ConntrackExpect } from './nfnetlink/conntrack/expect.js';
export type { ConntrackCount, ConntrackCpuStats } from './nfnetlink/conntrack/stats.js';
export type { ConntrackGroup } from './nfnetlink/conntrack/events.js';
export type { ConntrackFamily, ProtocolName } from './nfnetlink/conntrack/names.js';
// What a monitor watches (rtnetlink by default, conntrack's own source; docs/events.md), and the family descriptor it is made of.
export type { EventAction, EventSource } from './events/source.js';
export type { EventKind } from './events/kinds.js';
export type { YnlFamilies } from './generated/ynl/index.js';
// The family descriptors and the verb engine that derives each family's verbs from them (docs/architecture.md).
export type { FamilyDescriptor, Verb, ChangeVerb, BuildContext, ChangeOps, QueryContext, GetOps, DumpVia } from './api/family.js';
export type { DumpQuery } from './api/dump-verbs.js';
export type { Engine, EngineDeps, EngineVerbs, FamilyApi, ListArgs } from './api/engine.js';
export { linkFamily, linkVerbs, type LinkInputs, type LinkSet } from './api/families/link.js';
export { addressFamily, addressVerbs, type AddressInputs } from './api/families/address.js';
export { routeFamily, routeVerbs, type RouteInputs } from './api/families/route.js';
export { neighFamily, neighbourVerbs, type NeighbourInputs, type NeighbourKey } from './api/families/neighbour.js';
export { ruleFamily, ruleVerbs, type RuleInputs, type RuleListFilter } from './api/families/rule.js';
export { qdiscFamily, qdiscVerbs, type QdiscInputs } from './api/families/qdisc.js';
export { tclassFamily, type ClassInputs } from './api/families/class.js';
export { filterFamily, type FilterInputs } from './api/families/filter.js';
export { nexthopFamily, nexthopVerbs, type NexthopApi, type NexthopInputs } from './api/families/nexthop.js';
export { netconfFamily, type NetconfApi, type NetconfQuery } from './api/families/netconf.js';
export { addrlabelFamily, addrlabelVerbs, type AddrlabelApi, type AddrlabelInputs } from './api/families/addrlabel.js';
export { ntableFamily, type NtableApi, type NtableInputs } from './api/families/ntable.js';
export { statsFamily, type StatsApi } from './api/families/stats.js';
// Every type a public signature names, exported under one name (test/unit/public-exports.test.ts):
// the parts the friendly types above are made of, so a user can name what they are handed.
// Schemas: attribute sets, message shapes, header fields, struct layouts.
export type { AnySpec, AttrSpec, HeaderField, HeaderIn, HeaderMap, HeaderOut, MessageIn, MessageOut, SpecMap } from './netlink/schema.js';
export type { CompileEntry as AttrSetCompileEntry } from './netlink/schema-compile.js';
export type { FieldValue as StructFieldValue } from './netlink/struct.js';
export type { FieldLayout, FieldType, StructLayout } from './generated/layout.js';
export type { IntKind } from './netlink/ints.js';
export type { IpFamily, Prefix as IpPrefix } from './netlink/ip.js';
export type { NetlinkErrorInit } from './netlink/errors.js';
// The rtnetlink families' schema tables (the header fields and attribute sets their messages are typed by) and name tables.
export { linkAttrs, linkHeader } from './rtnl/link.js';
export { addressAttrs, addressFlagTable, addressHeader } from './rtnl/address.js';
export { addressOps } from './rtnl/address-input.js';
export { neighbourAttrs, neighbourHeader } from './rtnl/neighbour.js';
export { neighExtFlags, neighFlags, nudTable } from './rtnl/neighbour-names.js';
export { routeAttrs, routeHeader } from './rtnl/route.js';
export { nexthopAttrs as routeNexthopAttrs, nexthopHeader as routeNexthopHeader } from './rtnl/route-nexthop.js';
export { metricIds, nexthopFlagTable } from './rtnl/route-names.js';
export { routeOps, type FlagList, type IfindexOf } from './rtnl/route-input.js';
export { routeProtocols, routeTables, routeTypes, type AddressFamily } from './rtnl/names.js';
export { ruleAttrs, ruleHeader } from './rtnl/rule.js';
export { ruleActions, ruleFlags } from './rtnl/rule-names.js';
export { nsidAttrs, nsidHeader, type NsidMessage } from './rtnl/nsid.js';
// Link kinds: a kind module, the registry, and the kind and port data they type.
export type { DataSchema as LinkKindDataSchema, LinkKind } from './rtnl/link-kinds/kind.js';
export type { LinkKinds } from './rtnl/link-kinds/registry.js';
export type {
  DataIn as LinkKindDataIn, DataOut as LinkKindDataOut, KnownInfo as KnownLinkInfo, KnownInfoIn as KnownLinkInfoInput,
  KnownSlave as KnownPortInfo, KnownSlaveIn as KnownPortInfoInput, PortKindIn as PortKindInput, SlaveIn as PortDataIn, SlaveOut as PortDataOut,
} from './rtnl/link-info.js';
// Traffic control: kind modules, their registries and the options and statistics they type.
export type {
  ActionOptionsIn, ActionOptionsOut, ClassOptionsIn, ClassOptionsOut, ClassXstats, FilterKind, FilterOptionsIn, FilterOptionsOut,
  OptionsCodec as TcOptionsCodec, QdiscOptionsIn, QdiscOptionsOut, QdiscXstats, XstatsDecoder as TcXstatsDecoder,
} from './rtnl/tc/kind.js';
export type { ActionFlags, HwStats as ActionHwStats, KnownActionInput, KnownActionPart } from './rtnl/tc/actions/action.js';
export { actionKinds, type ActionKinds, type KnownActionKind } from './rtnl/tc/actions/registry.js';
export type { ClassfulKind, KnownClassInput, KnownClassPart } from './rtnl/tc/class.js';
export type { KnownFilterInput, KnownFilterPart } from './rtnl/tc/filter.js';
export { filterKinds, type FilterKinds, type KnownFilterKind } from './rtnl/tc/filters/registry.js';
export type { KnownQdiscInput, KnownQdiscPart } from './rtnl/tc/qdisc.js';
export { qdiscKinds, type QdiscKinds, type KnownQdiscKind } from './rtnl/tc/qdiscs/registry.js';
export type { TcCommon } from './rtnl/tc/tcmsg.js';
export type { UnitContext as TcUnitContext } from './rtnl/tc/units.js';
export type { EstimatorInput as TcEstimatorInput } from './rtnl/tc/estimator.js';
export type { DistributiveOmit } from './api/tc-common.js';
// The client's parts: batches, names, monitors, the family descriptors.
export type { BatchDeps } from './api/batch.js';
export type { NameCache, Resolve as NameResolver } from './api/name-cache.js';
export type { NameLookup } from './api/link-refs.js';
export type { MonitorHost, OpenSocket as MonitorOpenSocket } from './events/monitor.js';
export { monitorGroups } from './events/groups.js';
export { families as familyDescriptors } from './api/families/index.js';
// The kinds' own option, data and statistics types, as the registries (linkKinds, qdiscKinds, filterKinds, actionKinds) name them.
export type { PortParts as LinkKindPortParts } from './rtnl/link-kinds/kind.js';
export type { VethData, VethDataInput } from './rtnl/link-kinds/veth.js';
export { vlanFlagNames, type VlanFlagInput, type VlanFlagList, type VlanFlags, type VlanFlagsInput } from './rtnl/link-kinds/vlan.js';
export type { ActionKind, ClassParts as QdiscClassParts, QdiscBase, QdiscKind, XstatsParts as QdiscXstatsParts } from './rtnl/tc/kind.js';
export type { ActionTimes } from './rtnl/tc/actions/times.js';
export type { Control as TcActionControl, ControlName as TcActionControlName } from './rtnl/tc/actions/control.js';
export type { GactOptions, GactOptionsInput, GactRandom } from './rtnl/tc/actions/gact.js';
export type { MirredOptions, MirredOptionsInput } from './rtnl/tc/actions/mirred.js';
export type { BpfOptions, BpfOptionsInput } from './rtnl/tc/filters/bpf.js';
export type { MatchallOptions, MatchallOptionsInput } from './rtnl/tc/filters/matchall.js';
export type { ClsFlags as TcClsFlags, U32Options, U32OptionsInput, U32Selection } from './rtnl/tc/filters/u32.js';
export type { U32At, U32Key, U32Match } from './rtnl/tc/filters/u32-keys.js';
export type { FifoOptions, FifoOptionsInput } from './rtnl/tc/qdiscs/fifo.js';
export type { FqOptions, FqOptionsInput } from './rtnl/tc/qdiscs/fq.js';
export type { FqCodelOptions, FqCodelOptionsInput, FqCodelXstats } from './rtnl/tc/qdiscs/fq-codel.js';
export type { HtbClassOptions, HtbClassOptionsInput, HtbClassXstats, HtbQdiscOptions, HtbQdiscOptionsInput } from './rtnl/tc/qdiscs/htb.js';
export type { LinkLayer as TcLinkLayer } from './rtnl/tc/rate-table.js';
export type { NetemLossInput, NetemLossModel, NetemOptions, NetemOptionsInput, NetemSlot } from './rtnl/tc/qdiscs/netem.js';
export type { NetemDistribution } from './rtnl/tc/qdiscs/netem-dist.js';
export type { PrioOptions, PrioOptionsInput } from './rtnl/tc/qdiscs/prio.js';
export type { SfqOptions, SfqOptionsInput } from './rtnl/tc/qdiscs/sfq.js';
export type { TbfOptions, TbfOptionsInput } from './rtnl/tc/qdiscs/tbf.js';
export { tc_fq_codel_cl_stats, tc_fq_codel_qd_stats } from './generated/linux/pkt_sched.js';
export type { NexthopMessageInput as RouteNexthopMessageInput } from './rtnl/route-nexthop.js';
export type { EnumNames as GenlEnumNames, Int32 as GenlIntType } from './genl/types.js';
export type { Bitfield32 as GenlBitfield32 } from './genl/codecs.js';
export type { Scalar as StructScalar } from './netlink/struct.js';
export type { NoOptionsKind as NoOptionsQdiscKind } from './rtnl/tc/qdiscs/ingress.js';
export { chainFamily, type ChainApi, type ChainInput, type ChainInputs, type ChainListFilter } from './api/families/chain.js';
export { chainRequest, chainDumpRequest, type ChainSpec } from './rtnl/tc/chain.js';
// The tc kinds added with flower, the further actions and qdiscs (issue 19).
export type { ActionCommon as TcActionCommon, ActionCommonInput as TcActionCommonInput } from './rtnl/tc/actions/generic.js';
export type { ConnmarkOptions, ConnmarkOptionsInput } from './rtnl/tc/actions/connmark.js';
export type { CsumHeader, CsumOptions, CsumOptionsInput } from './rtnl/tc/actions/csum.js';
export type { CtNat, CtOptions, CtOptionsInput } from './rtnl/tc/actions/ct.js';
export type { PoliceOptions, PoliceOptionsInput } from './rtnl/tc/actions/police.js';
export type { SampleOptions, SampleOptionsInput } from './rtnl/tc/actions/sample.js';
export type { Ptype as SkbeditPtype, SkbeditOptions, SkbeditOptionsInput } from './rtnl/tc/actions/skbedit.js';
export type { TunnelKeyOptions, TunnelKeyOptionsInput } from './rtnl/tc/actions/tunnel-key.js';
export type { VlanAction as VlanActionOp, VlanOptions as VlanActionOptions, VlanOptionsInput as VlanActionOptionsInput } from './rtnl/tc/actions/vlan.js';
export type { BasicOptions, BasicOptionsInput } from './rtnl/tc/filters/basic.js';
export type { FlowerKeys, FlowerOptions, FlowerOptionsInput, Text as FlowerText } from './rtnl/tc/filters/flower.js';
export type { Masked as FlowerMasked, PortMatch as FlowerPortMatch } from './rtnl/tc/filters/flower-values.js';
export type { FwOptions, FwOptionsInput } from './rtnl/tc/filters/fw.js';
export type { CodelOptions, CodelOptionsInput, CodelXstats } from './rtnl/tc/qdiscs/codel.js';
export type { DrrClassOptions, DrrClassOptionsInput } from './rtnl/tc/qdiscs/drr.js';
export type { HfscClassOptions, HfscClassOptionsInput, HfscOptions, HfscOptionsInput, ServiceCurve as HfscServiceCurve, ServiceCurveInput as HfscServiceCurveInput } from './rtnl/tc/qdiscs/hfsc.js';
export type { MultiqOptions } from './rtnl/tc/qdiscs/multiq.js';
export type { FqPieOptions, FqPieOptionsInput, PieOptions, PieOptionsInput, PieXstats } from './rtnl/tc/qdiscs/pie.js';
export type { PlugCommand, PlugOptionsInput } from './rtnl/tc/qdiscs/plug.js';
export type { RedOptions, RedOptionsInput, RedXstats } from './rtnl/tc/qdiscs/red.js';
export { tc_codel_xstats, tc_multiq_qopt, tc_pie_xstats, tc_red_xstats, tc_service_curve } from './generated/linux/pkt_sched.js';
