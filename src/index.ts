// netlink-ts: the public surface. Layers from the bottom: the protocol codec
// (netlink/), the socket (socket/), rtnetlink schemas (route/), the typed
// client (client.ts, api/).
export { Rtnl, type RtnlOptions } from './client.js';
export type { Monitor, MonitorOptions, MonitorEvent, MonitorStats, ObjectEvent, OverrunEvent, SyncedEvent, RawEvent } from './events/monitor.js';
export { LinkApi, type LinkRef, type LinkListFilter } from './api/links.js';
export type { Link, LinkInput } from './route/link.js';
export type { LinkInfo, LinkInfoInput } from './route/link-info.js';
export type { LinkFlag } from './route/link-names.js';
export * as netns from './netns/index.js';
export type { NetnsRef } from './netns/ref.js';
export { NsidApi, type NsidEntry } from './api/nsid.js';
export { moveLinkToNetns } from './api/link-netns.js';
export { type LinkSpec, type LinkWords, toLinkInput } from './api/link-spec.js';
export type { LinkDelTarget } from './api/links.js';
export { kindData, portData, type PortKind } from './route/link-info.js';
export { linkKinds, type KnownLinkKind } from './route/link-kinds/registry.js';
export { NeighbourApi, type NeighbourSpec, type NeighbourVerb, type NeighbourListFilter, neighbourInput, neighbourRequest, neighbourListRequest } from './api/neighbours.js';
export type { Neighbour, NeighbourInput } from './route/neighbour.js';
export type { NeighState, NeighStateInput, NeighFlag, NeighExtFlag } from './route/neighbour-names.js';
export { RuleApi, type RuleSpec, type RuleVerb, ruleInput, ruleRequest, ruleListRequest } from './api/rules.js';
export type { Rule, RuleInput } from './route/rule.js';
export type { RuleAction, RuleFlag } from './route/rule-names.js';
export type { RouteType, RouteTable, RouteProtocol } from './route/names.js';
export { AddressApi, type AddressListFilter, addressRequest, addressDecoder } from './api/addresses.js';
export type { Address, AddressMessageInput, AddressFlag } from './route/address.js';
export type { AddressInput, AddressOp, Lifetime } from './route/address-input.js';
export { RouteApi, type RouteListFilter, routeRequest, routeGetRequest, routeDecoder } from './api/routes.js';
export type { Route, RouteMessageInput, RouteMetrics, Nexthop, Via } from './route/route.js';
export type { RouteInput, RouteQuery, RouteOp, NexthopInput, RouteMetricsInput } from './route/route-input.js';
export type { RouteFlag, NexthopFlag, RouterPref, MetricName } from './route/route-names.js';
export type { Scope, ScopeInput } from './route/names.js';
export { QdiscApi, type QdiscInput, type QdiscListFilter } from './api/qdiscs.js';
export { ClassApi, type ClassInput, type ClassListFilter } from './api/classes.js';
export { FilterApi, type FilterInput, type FilterListFilter } from './api/filters.js';
export { type Qdisc, type QdiscOf, type QdiscSpec, type TcVerb, isQdisc, qdiscRequest, decodeQdisc } from './route/tc/qdisc.js';
export { type TcClass, type ClassOf, type ClassSpec, isClass, classRequest, decodeClass } from './route/tc/class.js';
export { type Filter, type FilterOf, type FilterSpec, isFilter, filterRequest, decodeFilter, formatFilterHandle } from './route/tc/filter.js';
export type { Action, ActionInput } from './route/tc/actions/action.js';
export type { EncodeContext } from './route/tc/kind.js';
export type { TcStats } from './route/tc/stats.js';
export { type TcHandle, parseClassid, parseQdiscHandle, formatHandle } from './route/tc/handles.js';
export { type Rate, type Size, type Time, type Time64, type Percent, parseRate, parseSize, parseTime, parseTime64, parsePercent } from './route/tc/units.js';

export { NetlinkSocket, type SocketOptions, type BatchOptions, type BatchResult, type DumpOptions, type SocketEvent, type Requester } from './socket/netlink-socket.js';
export { AbortError, DEFAULT_TIMEOUT_MS, type RequestOptions } from './socket/request-options.js';
export { withRequestOptions } from './socket/request-view.js';
export { type Request, type Decoder, type NlMessage, rawMessage } from './socket/messages.js';
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
export { Batch, BatchEncodeError, type BatchFailure, type CommitOptions, type CommitResult } from './api/batch.js';
export type { EncodedBatch } from './socket/netlink-socket.js';
// Generic netlink (docs/genl.md): families resolved through nlctrl, described by their YNL specs.
export { Genl, type GenlOptions, type GenlFamily, type GenlFamilyInfo, type GenlMessage } from './genl/client.js';
export type { GenlSpec, YnlAttr, YnlOp } from './genl/spec.js';
