// What the fuzzer feeds: one line per decoder. A message target gets a whole
// netlink message (nlmsghdr first, as the socket hands it to a decoder); a
// payload target gets an attribute's payload (a link kind's IFLA_INFO_DATA,
// a qdisc kind's TCA_OPTIONS...). The per-kind lines are made from the kind
// registries, so a kind added to the library is fuzzed without a change here.
//
// `schema` is the canonical codec for the round trip: decode then encode must
// give the input's bytes back for well-formed inputs (see roundtrip in
// checks.ts for which inputs are held to that). Targets without one decode to
// a friendly shape that the request builders do not take back as it is (tc
// options in tc's words; the socket's results).
import { NLMSG_DONE, NLMSG_ERROR } from '../../src/generated/linux/netlink.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { decodeLink } from '../../src/rtnl/link.js';
import { decodeNeighbour } from '../../src/rtnl/neighbour.js';
import { decodeNsid } from '../../src/rtnl/nsid.js';
import { decodeRule } from '../../src/rtnl/rule.js';
import { type NexthopObject, decodeNexthopObject, nexthopMessage } from '../../src/rtnl/nexthop.js';
import { type Netconf, decodeNetconf, netconfMessage } from '../../src/rtnl/netconf.js';
import { netconfToIpJson, netconfToText } from '../../src/cli/ip-json/netconf.js';
import { type Addrlabel, addrlabelMessage, decodeAddrlabel } from '../../src/rtnl/addrlabel.js';
import { addrlabelToIpJson, addrlabelToText } from '../../src/cli/ip-json/addrlabel.js';
import { type Ntable, decodeNtable, ntableMessage } from '../../src/rtnl/ntable.js';
import { ntableToIpJson, ntableToText } from '../../src/cli/ip-json/ntable.js';
import { type LinkStats, decodeLinkStats, statsMessage } from '../../src/rtnl/stats.js';
import { statsLinkToIpJson, statsLinkToText } from '../../src/cli/ip-json/stats.js';
import { bucketToIpJson, bucketToText, nexthopToIpJson, nexthopToText } from '../../src/cli/ip-json/nexthop.js';
import { addressToIpJson, addressToMonitorText } from '../../src/cli/ip-json/addr.js';
import { linkToIpJson, linkToText } from '../../src/cli/ip-json/link.js';
import { neighToIpJson, neighToText } from '../../src/cli/ip-json/neigh.js';
import { routeToIpJson, routeToText } from '../../src/cli/ip-json/route.js';
import { ruleToIpJson, ruleToText } from '../../src/cli/ip-json/rule.js';
import { filterToTc } from '../../src/cli/tc-json/filter.js';
import { toPlain } from '../../src/rtnl/tc/json.js';
import { classToTc, qdiscToTc } from '../../src/cli/tc-json/qdisc.js';
import { kindOfType } from '../../src/events/kinds.js';
import { fingerprint } from '../../src/events/monitor.js';
import { decodeDone, decodeError, locateAttribute } from '../../src/netlink/ack.js';
import { type DecodeIssue, NetlinkError } from '../../src/netlink/errors.js';
import type { AttrSet, MessageSchema } from '../../src/netlink/schema.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { type Address, addressMessage, decodeAddress } from '../../src/rtnl/address.js';
import { afSpec } from '../../src/rtnl/link-af-spec.js';
import { linkKinds } from '../../src/rtnl/link-kinds/registry.js';
import { type Link, linkMessage } from '../../src/rtnl/link.js';
import { neighbourMessage } from '../../src/rtnl/neighbour.js';
import { nsidMessage } from '../../src/rtnl/nsid.js';
import { type Route, decodeRoute, metricsAttrs, routeMessage } from '../../src/rtnl/route.js';
import { multipath } from '../../src/rtnl/route-nexthop.js';
import { ip6EncapAttrs, ipEncapAttrs, mplsEncapAttrs, seg6EncapAttrs, seg6LocalAttrs } from '../../src/rtnl/lwtunnel.js';
import { printEncap } from '../../src/cli/ip-json/route-encap.js';
import { ruleMessage } from '../../src/rtnl/rule.js';
import { decodeActions } from '../../src/rtnl/tc/actions/action.js';
import { actionKinds } from '../../src/rtnl/tc/actions/registry.js';
import { type TcClass, decodeClass } from '../../src/rtnl/tc/class.js';
import { type Filter, decodeFilter } from '../../src/rtnl/tc/filter.js';
import { filterKinds } from '../../src/rtnl/tc/filters/registry.js';
import type { OptionsCodec, XstatsDecoder } from '../../src/rtnl/tc/kind.js';
import { type Qdisc, decodeQdisc } from '../../src/rtnl/tc/qdisc.js';
import { qdiscKinds } from '../../src/rtnl/tc/qdiscs/registry.js';
import { decodeStats2 } from '../../src/rtnl/tc/stats.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { rawMessage } from '../../src/socket/messages.js';
import type { Decoder } from '../../src/netlink/request.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { GENL_TARGETS } from './genl-targets.js';
import { NFT_TARGETS } from './nft-targets.js';
import { DIAG_TARGETS } from './diag-targets.js';
import { NF_TARGETS } from './nfnetlink-targets.js';
import { decodeBridgeLink } from '../../src/rtnl/bridge-link.js';
import { decodeMdb, mdbEntries, mdbMessage } from '../../src/rtnl/bridge-mdb.js';
import { mdbRow } from '../../src/cli/bridge-json/mdb.js';
import { fdbRow } from '../../src/cli/bridge-json/fdb.js';
import { bridgeLinkRow, tunnelRows, vlanRows } from '../../src/cli/bridge-json/link.js';
import { flagWords, tuntapRow } from '../../src/cli/commands/tuntap.js';
import { tuntapOf } from '../../src/tuntap/list.js';

export interface Decoded {
  value: unknown;
  issues: readonly DecodeIssue[];
}

/** A codec whose decode and encode are inverses on well-formed bytes. */
export interface Canonical {
  decode(buf: Buffer, start: number, end: number, issues: DecodeIssue[]): unknown;
  encode(w: NetlinkWriter, value: unknown): void;
}

export interface Target {
  readonly name: string;
  /** message: nlmsghdr first, decoded with (buf, start, length); payload: (buf, start, end); datagram: whole reads of a socket. */
  readonly input: 'message' | 'payload' | 'datagram';
  /** The message types whose seeds feed a message target. */
  readonly types: readonly number[];
  /** Decodes bytes [start, end) of buf. */
  decode(buf: Buffer, start: number, end: number): Decoded;
  /** For message targets, the payload after nlmsghdr. */
  readonly schema?: Canonical;
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const LINK = range(R.RTM_NEWLINK, R.RTM_SETLINK);
const ADDR = range(R.RTM_NEWADDR, R.RTM_GETADDR);
const ROUTE = range(R.RTM_NEWROUTE, R.RTM_GETROUTE);
const NEIGH = range(R.RTM_NEWNEIGH, R.RTM_GETNEIGH);
const MDB = range(R.RTM_NEWMDB, R.RTM_GETMDB);
const RULE = range(R.RTM_NEWRULE, R.RTM_GETRULE);
const QDISC = range(R.RTM_NEWQDISC, R.RTM_GETQDISC);
const CLASS = range(R.RTM_NEWTCLASS, R.RTM_GETTCLASS);
const FILTER = range(R.RTM_NEWTFILTER, R.RTM_GETTFILTER);
const NSID = range(R.RTM_NEWNSID, R.RTM_GETNSID);
const CHAIN = range(R.RTM_NEWCHAIN, R.RTM_GETCHAIN);
const NETCONF = range(R.RTM_NEWNETCONF, R.RTM_GETNETCONF);
const ADDRLABEL = range(R.RTM_NEWADDRLABEL, R.RTM_GETADDRLABEL);
const NTABLE = [R.RTM_NEWNEIGHTBL, R.RTM_GETNEIGHTBL, R.RTM_SETNEIGHTBL];
const STATS = [R.RTM_NEWSTATS, R.RTM_GETSTATS];
const NEXTHOP = [...range(R.RTM_NEWNEXTHOP, R.RTM_GETNEXTHOP), ...range(R.RTM_NEWNEXTHOPBUCKET, R.RTM_GETNEXTHOPBUCKET)];
export const RTNL_TYPES = [...LINK, ...ADDR, ...ROUTE, ...NEIGH, ...RULE, ...QDISC, ...CLASS, ...FILTER, ...NSID, ...CHAIN, ...NEXTHOP, ...NETCONF, ...ADDRLABEL, ...NTABLE, ...STATS];

/** A decoder that reports its issues on the decoded object (`issues`), as the socket's decoders do. */
function message(name: string, types: number[], decode: Decoder<unknown>, schema?: MessageSchema<any, any>): Target {
  return {
    name, input: 'message', types,
    decode(buf, start, end) {
      const value = decode(buf, start, end - start);
      return { value, issues: (value as { issues?: DecodeIssue[] } | undefined)?.issues ?? [] };
    },
    schema: schema && {
      decode: (buf, start, end, issues) => schema.decodePayload(buf, start, end, issues),
      encode: (w, v) => schema.encodePayload(w, v as never),
    },
  };
}

type PayloadDecode = (buf: Buffer, start: number, end: number, issues: DecodeIssue[], path: string) => unknown;

function payload(name: string, decode: PayloadDecode, schema?: { encode(w: NetlinkWriter, v: never): void }): Target {
  return {
    name, input: 'payload', types: [],
    decode(buf, start, end) {
      const issues: DecodeIssue[] = [];
      return { value: decode(buf, start, end, issues, name), issues };
    },
    schema: schema && {
      decode: (buf, start, end, issues) => decode(buf, start, end, issues, name),
      encode: (w, v) => schema.encode(w, v as never),
    },
  };
}

const attrs = (name: string, set: AttrSet<any>): Target =>
  payload(name, (b, s, e, i, p) => set.decode(b, s, e, i, p), { encode: (w, v) => set.encode(w, v) });

/** NLMSG_ERROR / NLMSG_DONE, the extended ack in them, and where its offset points in a request of ours. */
const ackRequest = (() => {
  const w = new NetlinkWriter();
  const at = w.beginMessage(R.RTM_NEWLINK, 0x405);
  linkMessage.encodePayload(w, { family: 'unspec', index: 0, name: 'nlts-v0', linkinfo: { kind: 'veth', data: { peer: { name: 'nlts-v1', mtu: 1400 } } } });
  w.endMessage(at);
  return w.toBuffer();
})();

const ack: Target = {
  name: 'ack', input: 'message', types: [NLMSG_ERROR, NLMSG_DONE],
  decode(buf, start, end) {
    const issues: DecodeIssue[] = [];
    const error = decodeError(buf, start, end - start, issues);
    const done = decodeDone(buf, start, end - start, issues);
    const texts = [error, done].map((info) => new NetlinkError({ errno: info.errno, operation: 'fuzz', extack: info.extack }).message);
    const offset = error.extack?.offset ?? done.extack?.offset;
    const path = offset === undefined ? undefined : locateAttribute(ackRequest, 16, offset);
    return { value: { error, done, texts, path }, issues };
  },
};

/** What `netlink-ts monitor` does with each message: the monitor's decoder, identity and fingerprint, and ip's printers. */
const linkOf = (): Link | undefined => undefined;
const tcCtx = { devName: (i: number) => `if${i}`, oneDev: false, stats: true };
const tcPrinted = (p: { json: Parameters<typeof toPlain>[0]; text: string }): unknown => [JSON.stringify(toPlain(p.json)), p.text];
const printers: Record<string, (o: never) => unknown> = {
  link: (o: Link) => linkToText(linkToIpJson(o, { linkOf }), true),
  neigh: (o: Parameters<typeof neighToIpJson>[0]) => neighToText(neighToIpJson(o, { linkOf })),
  rule: (o: Parameters<typeof ruleToIpJson>[0]) => ruleToText(ruleToIpJson(o)),
  address: (o: Address) => [JSON.stringify(addressToIpJson(o)), addressToMonitorText(o, undefined)],
  route: (o: Route) => routeToText(routeToIpJson(o, { ifname: (i) => `if${i}`, showTable: true })),
  qdisc: (o: Qdisc) => tcPrinted(qdiscToTc(o, tcCtx)),
  class: (o: TcClass) => tcPrinted(classToTc(o, tcCtx)),
  filter: (o: Filter) => tcPrinted(filterToTc(o, tcCtx)),
  addrlabel: (o: Addrlabel) => { const j = addrlabelToIpJson(o, { ifname: (i) => `if${i}` }); return [JSON.stringify(j), addrlabelToText(j)]; },
  stats: (o: LinkStats) => [JSON.stringify(statsLinkToIpJson(o, (i) => `if${i}`)), statsLinkToText(o, (i) => `if${i}`)],
  ntable: (o: Ntable) => { const j = ntableToIpJson(o, { ifname: (i) => `if${i}`, stats: true, now: 1_000_000_000 }); return [JSON.stringify(j), ntableToText(j, o, true)]; },
  netconf: (o: Netconf) => { const j = netconfToIpJson(o, { ifname: (i) => `if${i}` }); return [JSON.stringify(j), netconfToText(j)]; },
  nexthop: (o: NexthopObject) => {
    const j = nexthopToIpJson(o, { ifname: (i) => `if${i}`, details: true });
    const b = bucketToIpJson(o);
    return [JSON.stringify(j), nexthopToText(j), JSON.stringify(b), bucketToText(b)];
  },
};

const monitor: Target = {
  name: 'monitor', input: 'message', types: RTNL_TYPES,
  decode(buf, start, end) {
    const found = kindOfType(buf.readUInt16LE(start + 4));
    if (!found) return { value: rawMessage(buf, start, end - start), issues: [] };
    const object = found.entry.decode(buf, start, end - start);
    const print = printers[found.entry.kind];
    const value = { object, key: found.entry.key(object), fp: fingerprint(object, found.entry.volatile), text: print ? print(object as never) : fingerprint(object) };
    return { value, issues: (object as { issues?: DecodeIssue[] }).issues ?? [] };
  },
};

/** What `netlink-ts bridge ... show` and `tuntap show` print of each message: bridge's and ip tuntap's printers. */
function bridgePrinters(): Target {
  const ctx = { name: (i: number) => `if${i}`, down: (i: number) => i % 2 === 0, details: true, oneDev: false, stats: true, hz: 100 };
  return {
    name: 'bridge printers', input: 'message', types: [...LINK, ...NEIGH, ...MDB],
    decode(buf, start, end) {
      if (MDB.includes(buf.readUInt16LE(start + 4))) {
        const m = decodeMdb(buf, start, end - start)!;
        return { value: mdbEntries(m).map((e) => mdbRow({ bridge: m.ifindex, ...e }, ctx)), issues: m.issues ?? [] };
      }
      if (NEIGH.includes(buf.readUInt16LE(start + 4))) {
        const e = decodeNeighbour(buf, start, end - start)!;
        return { value: fdbRow(e, ctx), issues: e.issues ?? [] };
      }
      const l = decodeBridgeLink(buf, start, end - start)!;
      const t = tuntapOf(decodeLink(buf, start, end - start)!);
      const value = [bridgeLinkRow(l, ctx), vlanRows(l, ctx), vlanRows(l, ctx, 10), tunnelRows(l, ctx), t && [tuntapRow(t, false), flagWords(t.flags)]];
      return { value, issues: l.issues ?? [] };
    },
  };
}

/** A decoder for any rtnetlink message, as a dump or a reply might carry. */
const anyMessage: Decoder<unknown> = (buf, start, length) => {
  const t = buf.readUInt16LE(start + 4);
  const hit = TARGETS_BY_TYPE.get(t);
  return hit ? hit.decode(buf, start, start + length).value : rawMessage(buf, start, length);
};

/** A kernel whose read buffer holds a poison pattern beyond each datagram (so reads past it change the result). */
class PoisonKernel extends FakeKernel {
  constructor(private readonly poison: number, private readonly reply: Buffer) {
    super((req) => {
      // seq 0 stands for "this request's seq"; other values stay (stale or foreign replies).
      const d = Buffer.from(this.reply);
      for (let at = 0; at + 16 <= d.length;) {
        const len = d.readUInt32LE(at);
        if (d.readUInt32LE(at + 8) === 0) d.writeUInt32LE(req.seq, at + 8);
        if (len < 16 || len > d.length - at) break;
        at += (len + 3) & ~3;
      }
      this.push(d);
    });
  }

  override receive(buf: Buffer): number {
    buf.fill(this.poison);
    return super.receive(buf);
  }
}

/** The socket's receive path: a dump, a request and a batch answered by the datagram. */
function socketTarget(poison: number): Target['decode'] {
  return (buf, start, end) => {
    const d = Buffer.from(buf.subarray(start, end));
    const outcome = (fn: (s: NetlinkSocket) => unknown): unknown => {
      const s = new NetlinkSocket(new PoisonKernel(poison, d), { readBufferSize: 128 * 1024 });
      try {
        return { ok: fn(s), stale: s.stale, issues: s.issues };
      } catch (err) {
        if (err instanceof NetlinkError) return { error: err.message, partial: err.partial, stale: s.stale, issues: s.issues };
        throw err;
      } finally {
        s.close();
      }
    };
    const value = {
      dump: outcome((s) => s.dumpSync({ type: R.RTM_GETLINK, payload: Buffer.alloc(16) }, anyMessage, { retries: 1 })),
      request: outcome((s) => s.requestSync({ type: R.RTM_GETROUTE, payload: Buffer.alloc(12) }, anyMessage)),
      batch: outcome((s) => s.batchSync([{ type: R.RTM_NEWADDR }, { type: R.RTM_NEWADDR }], {}, anyMessage)),
    };
    return { value, issues: [] };
  };
}

const datagram = (poison: number): Target => ({ name: 'datagram', input: 'datagram', types: RTNL_TYPES, decode: socketTarget(poison) });

function optionTargets(prefix: string, table: object, field: string): Target[] {
  return Object.entries(table).flatMap(([kind, k]) => {
    const c = (k as Record<string, unknown>)[field] as OptionsCodec<unknown, unknown> | undefined;
    return c ? [payload(`${prefix}.${kind}`, (b, s, e, i, p) => c.decode(b, s, e, i, p))] : [];
  });
}

function xstatsTargets(prefix: string, field: 'xstats' | 'classXstats'): Target[] {
  return Object.entries(qdiscKinds).flatMap(([kind, k]) => {
    const x = (k as unknown as Record<string, unknown>)[field] as XstatsDecoder<unknown> | undefined;
    return x ? [payload(`${prefix}.${kind}`, x)] : [];
  });
}

export const TARGETS: readonly Target[] = [
  message('link', LINK, decodeLink, linkMessage),
  message('address', ADDR, decodeAddress, addressMessage),
  message('route', ROUTE, decodeRoute, routeMessage),
  message('neighbour', NEIGH, decodeNeighbour, neighbourMessage),
  message('rule', RULE, decodeRule, ruleMessage),
  message('nsid', NSID, decodeNsid, nsidMessage),
  message('nexthop', NEXTHOP, decodeNexthopObject, nexthopMessage),
  message('netconf', NETCONF, decodeNetconf, netconfMessage),
  message('addrlabel', ADDRLABEL, decodeAddrlabel, addrlabelMessage),
  message('ntable', NTABLE, decodeNtable, ntableMessage),
  message('stats', STATS, decodeLinkStats, statsMessage),
  message('qdisc', QDISC, decodeQdisc),
  message('class', CLASS, decodeClass),
  message('filter', FILTER, decodeFilter),
  // No round trip: every link seed feeds it, and an AF_UNSPEC link's IFLA_AF_SPEC is not the AF_BRIDGE one this schema reads.
  message('bridge link', LINK, decodeBridgeLink),
  message('mdb', MDB, decodeMdb, mdbMessage),
  bridgePrinters(),
  ack,
  monitor,
  datagram(0xa5),
  attrs('link.afSpec', afSpec),
  ...Object.entries(linkKinds).flatMap(([kind, k]) => (k.data ? [attrs(`link.data.${kind}`, k.data as AttrSet<any>)] : [])),
  ...Object.entries(linkKinds).flatMap(([kind, k]) => ('slaveData' in k ? [attrs(`link.slaveData.${kind}`, k.slaveData as AttrSet<any>)] : [])),
  payload('route.multipath', (b, s, e, i, p) => multipath.read(b, s, e, i, p), { encode: (w, v) => multipath.write(w, v, 'route.multipath') }),
  attrs('route.metrics', metricsAttrs),
  ...([['mpls', mplsEncapAttrs], ['ip', ipEncapAttrs], ['ip6', ip6EncapAttrs], ['seg6', seg6EncapAttrs], ['seg6local', seg6LocalAttrs]] as const).map(([kind, set]) =>
    payload(`route.encap.${kind}`, (b, s, e, i, p) => {
      // The decoded attributes, and ip's printed form of the same bytes.
      const value = set.decode(b, s, e, i, p);
      const printed = printEncap(kind, b.subarray(s, e), (n) => `if${n}`, true);
      return { value, printed: printed && [JSON.stringify(printed.json), printed.text] };
    })),
  payload('tc.stats2', (b, s, e, i, p) => {
    // The kind's own part stays where it lies; its position, relative to the input, is what is compared.
    const r = decodeStats2(b, { start: s, end: e }, i, p);
    return { stats: r.stats, app: r.app && [r.app.start - s, r.app.end - s] };
  }),
  payload('tc.actions', decodeActions),
  ...optionTargets('qdisc.options', qdiscKinds, 'qdisc'),
  ...optionTargets('class.options', qdiscKinds, 'class'),
  ...xstatsTargets('qdisc.xstats', 'xstats'),
  ...xstatsTargets('class.xstats', 'classXstats'),
  ...optionTargets('filter.options', filterKinds, 'options'),
  ...optionTargets('action.options', actionKinds, 'options'),
  ...GENL_TARGETS,
  ...NFT_TARGETS,
  ...DIAG_TARGETS,
  ...NF_TARGETS,
];

/** The same socket target with another poison, to compare against (reads past a datagram differ). */
export const DATAGRAM_SHADOW = datagram(0x5a);

const TARGETS_BY_TYPE = new Map<number, Target>();
for (const t of TARGETS) {
  if (t.input !== 'message' || t.name === 'monitor' || t.name === 'ack') continue;
  for (const type of t.types) TARGETS_BY_TYPE.set(type, t);
}

export function targetNamed(name: string): Target | undefined {
  return TARGETS.find((t) => t.name === name);
}
