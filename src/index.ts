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
export * as netns from './netns/index.js';
export type { NetnsRef } from './netns/ref.js';
export * as tuntap from './tuntap/index.js';
export type { Tuntap, TuntapHandle, TuntapInput, TuntapMode, TuntapOpenInput, TuntapWhere } from './tuntap/index.js';
export type {
  BridgeApi, BridgeFdbApi, BridgeMdbApi, BridgeMdbEntry, BridgePortApi, BridgePortInput, BridgePortOption, BridgeVlanApi, BridgeVlanInput, BridgeVlanEntry,
  FdbEntry, FdbInput, FdbListFilter, FdbState, FdbVerb, MdbInput,
} from './api/bridge.js';
export { type BridgeLink, bridgeLinkAttrs, decodeBridgeLink } from './rtnl/bridge-link.js';
export { type MdbEntry, type MdbEntryInfo, type MdbMessage, decodeMdb, mdbAttrs, mdbHeader } from './rtnl/bridge-mdb.js';
export { bridgePortData } from './rtnl/link-kinds/bridge.js';
export { NsidApi, type NsidEntry } from './api/nsid.js';
export { moveLinkToNetns } from './api/link-netns.js';
export { type LinkInput, type LinkMessage, type LinkSpec, type LinkWords, toLinkInput } from './api/link-spec.js';
export type { LinkDelTarget } from './api/families/link.js';
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
export { type FilterApi, type FilterInput, type FilterListFilter, type FilterListWhere } from './api/families/filter.js';
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
export * as codec from './netlink/codec.js';
export { AttrSet, MessageSchema, attr, attrList, attrSet, messageSchema, nested, field, type RawAttr, type AttrsOut, type AttrsIn } from './netlink/schema.js';
export { decodeStruct, encodeStruct, structBytes, type StructValue, type StructInput } from './netlink/struct.js';
export { formatIP, parseIP, parsePrefix, formatHw, parseHw } from './netlink/ip.js';
export * from './lab/index.js';
export { Batch, BatchEncodeError, type BatchFailure, type BatchVerbs, type CommitOptions, type CommitResult } from './api/batch.js';
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
export { AddrlabelApi, type AddrlabelInput, type AddrlabelVerb, addrlabelRequest, addrlabelListRequest } from './api/addrlabels.js';
export { type Addrlabel, type AddrlabelMessage, decodeAddrlabel, addrlabelMessage, addrlabelAttrs, addrlabelHeader } from './rtnl/addrlabel.js';
export { type RouteEncap, type RouteEncapInput, type EncapKind, type Srh, type Seg6Mode, type Seg6LocalAction, type EncapAttrSets, encapAttrSets, seg6Modes, seg6LocalActions, decodeEncap, encodeEncap } from './rtnl/lwtunnel.js';
export { ROUTE_DUMP_MAGIC, saveRoutes, restoreRoutes, readRouteDump, routeDumpMessages } from './api/route-save.js';
export { StatsApi, type StatsFilter, statsRequest } from './api/stats.js';
export { type LinkStats, type LinkStatsMessage, type StatsGroup, statsGroups, decodeLinkStats, statsMessage, statsAttrs, statsHeader, statsOffloadAttrs } from './rtnl/stats.js';
export { NtableApi, type NtableChangeInput, type NtableListFilter, type NtableParmsInput, ntableChangeRequest, ntableListRequest } from './api/ntables.js';
export { type Ntable, type NtableMessage, decodeNtable, ntableMessage, ntableAttrs, ntableHeader, ntableParmsAttrs } from './rtnl/ntable.js';
export { NetconfApi, type NetconfDev, type NetconfListFilter, netconfListRequest, netconfGetRequest } from './api/netconf.js';
export { type Netconf, type NetconfMessage, decodeNetconf, netconfMessage, netconfAttrs, netconfHeader, NETCONF_ALL, NETCONF_DEFAULT } from './rtnl/netconf.js';
export { NexthopApi, type NexthopObjectInput, type NexthopVerb, type NexthopListFilter, type NexthopBucketFilter, type NexthopFlushFilter, nexthopRequest, nexthopListRequest, nexthopGetRequest, nexthopBucketListRequest, nexthopBucketGetRequest } from './api/nexthops.js';
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
