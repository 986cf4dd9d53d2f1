// nfnetlink targets: conntrack entries (as dumps, GET replies and events
// carry them, with the monitor source's reading of the type and flags),
// expectations and statistics. Their message types are the kernel's own
// (NFNL_SUBSYS_CTNETLINK << 8 | msg ...). The expectation types
// (0x200-0x203) are also the first generic netlink stand-ins
// (genl-targets.ts): that target keeps no canonical codec, so genl seeds
// reaching it are only decoded, never held to a round trip.
import * as NF from '../../src/generated/linux/netfilter/nfnetlink.js';
import * as C from '../../src/generated/linux/netfilter/nfnetlink_conntrack.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_MULTI } from '../../src/generated/linux/netlink.js';
import { readFileSync } from 'node:fs';
import type { DecodeIssue } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { nfType, readNfgenmsg } from '../../src/nfnetlink/header.js';
import { decodeConntrack } from '../../src/nfnetlink/conntrack/entry.js';
import { conntrackSource } from '../../src/nfnetlink/conntrack/events.js';
import { decodeExpect } from '../../src/nfnetlink/conntrack/expect.js';
import { conntrackMessage, cpuStatsMessage, expectMessage, globalStatsMessage } from '../../src/nfnetlink/conntrack/schema.js';
import { decodeCount, decodeCpuStats } from '../../src/nfnetlink/conntrack/stats.js';
import type { Target } from './targets.js';

const CT = (msg: number): number => nfType(NF.NFNL_SUBSYS_CTNETLINK, msg);
const EXP = (msg: number): number => nfType(NF.NFNL_SUBSYS_CTNETLINK_EXP, msg);
const CT_TYPES = [C.IPCTNL_MSG_CT_NEW, C.IPCTNL_MSG_CT_GET, C.IPCTNL_MSG_CT_DELETE, C.IPCTNL_MSG_CT_GET_CTRZERO, C.IPCTNL_MSG_CT_GET_DYING, C.IPCTNL_MSG_CT_GET_UNCONFIRMED].map(CT);
const STATS_TYPES = [CT(C.IPCTNL_MSG_CT_GET_STATS_CPU), CT(C.IPCTNL_MSG_CT_GET_STATS)];
const EXP_TYPES = [C.IPCTNL_MSG_EXP_NEW, C.IPCTNL_MSG_EXP_GET, C.IPCTNL_MSG_EXP_DELETE, C.IPCTNL_MSG_EXP_GET_STATS_CPU].map(EXP);

const issuesOf = (v: unknown): readonly DecodeIssue[] => (v as { issues?: DecodeIssue[] } | undefined)?.issues ?? [];

export const NF_TARGETS: readonly Target[] = [
  {
    name: 'conntrack', input: 'message', types: CT_TYPES,
    decode(buf, start, end) {
      const value = { header: readNfgenmsg(buf, start, end - start), event: conntrackSource.kindOf(buf, start, end - start)?.action, entry: decodeConntrack(buf, start, end - start) };
      return { value, issues: issuesOf(value.entry) };
    },
    schema: {
      decode: (buf, start, end, issues) => conntrackMessage.decodePayload(buf, start, end, issues),
      encode: (w, v) => conntrackMessage.encodePayload(w, v as never),
    },
  },
  {
    name: 'conntrack.stats', input: 'message', types: STATS_TYPES,
    decode(buf, start, end) {
      const value = { cpu: decodeCpuStats(buf, start, end - start), count: decodeCount(buf, start, end - start) };
      return { value, issues: [...issuesOf(value.cpu)] };
    },
  },
  {
    name: 'conntrack.expect', input: 'message', types: EXP_TYPES,
    decode(buf, start, end) {
      const value = decodeExpect(buf, start, end - start);
      return { value, issues: issuesOf(value) };
    },
  },
];

function message(type: number, flags: number, body: (w: NetlinkWriter) => void): Buffer {
  const w = new NetlinkWriter(512);
  const at = w.beginMessage(type, flags, 1, 0);
  body(w);
  w.endMessage(at);
  return w.toBuffer();
}

const tuple4 = { ip: { v4Src: '198.18.0.1', v4Dst: '198.18.0.2' }, proto: { num: 6, srcPort: 40000, dstPort: 80 } };
const tuple6 = { ip: { v6Src: 'fd00::1', v6Dst: 'fd00::2' }, proto: { num: 58, icmpv6Id: 7, icmpv6Type: 128, icmpv6Code: 0 }, zone: 3 };
const icmp4 = { ip: { v4Src: '198.18.0.1', v4Dst: '198.18.0.2' }, proto: { num: 1, icmpId: 9, icmpType: 8, icmpCode: 0 } };

/** Canonical seeds: every conntrack attribute set, a v6 and an icmp entry, an expectation, the statistics. */
export function nfSeeds(): { bytes: Buffer; origin: string }[] {
  const full = {
    family: 2, version: 0, resId: 0,
    tupleOrig: tuple4,
    tupleReply: { ip: { v4Src: '198.18.0.2', v4Dst: '198.18.0.1' }, proto: { num: 6, srcPort: 80, dstPort: 40000 } },
    status: 0x18e, protoinfo: { tcp: { state: 3, wscaleOriginal: 7, wscaleReply: 7, flagsOriginal: { flags: 0x23, mask: 0 }, flagsReply: { flags: 0x23, mask: 0 } } },
    help: { name: 'ftp' }, natSrc: { v4MinIp: '198.18.1.1', v4MaxIp: '198.18.1.1', proto: { portMin: 1024, portMax: 2048 } },
    timeout: 431999, mark: 0x15,
    countersOrig: { packets: 12, bytes: 3456 }, countersReply: { packets: 10, bytes: 9999 },
    use: 1, id: 0x12345678,
    natDst: { v6MinIp: 'fd00::9', v6MaxIp: 'fd00::9' },
    tupleMaster: tuple4, seqAdjOrig: { correctionPos: 1, offsetBefore: 2, offsetAfter: 3 }, seqAdjReply: { correctionPos: 4, offsetBefore: 5, offsetAfter: 6 },
    secmark: 5, zone: 2, secctx: { name: 'system_u:object_r:unlabeled_t:s0' },
    // Real timestamps are nanoseconds since 1970, beyond exact JS numbers (decoded rounded, as every u64 is): a canonical seed stays exact.
    timestamp: { start: 1700000000000, stop: 1700000001000 },
    labels: Buffer.from('01000000000000000000000000000080', 'hex'),
    synproxy: { isn: 1, its: 2, tsoff: 3 },
  };
  const seeds = [
    { bytes: message(CT(C.IPCTNL_MSG_CT_NEW), NLM_F_MULTI, (w) => conntrackMessage.encodePayload(w, full as never)), origin: 'conntrack every attribute' },
    { bytes: message(CT(C.IPCTNL_MSG_CT_NEW), NLM_F_CREATE | NLM_F_EXCL, (w) => conntrackMessage.encodePayload(w, { family: 10, version: 0, resId: 0, tupleOrig: tuple6, tupleReply: tuple6, status: 8, timeout: 30, zone: 3 })), origin: 'conntrack new event icmpv6' },
    { bytes: message(CT(C.IPCTNL_MSG_CT_DELETE), 0, (w) => conntrackMessage.encodePayload(w, { family: 2, version: 0, resId: 0, tupleOrig: icmp4, tupleReply: icmp4, status: 10, countersOrig: { packets32: 1, bytes32: 84 } })), origin: 'conntrack destroy event icmp' },
    { bytes: message(EXP(C.IPCTNL_MSG_EXP_NEW), 0, (w) => expectMessage.encodePayload(w, { family: 2, version: 0, resId: 0, master: tuple4, tuple: tuple4, mask: tuple4, timeout: 300, id: 1, helpName: 'ftp', zone: 0, flags: 1, class: 0, nat: { dir: 1, tuple: tuple4 }, fn: 'nat-follow-master' } as never)), origin: 'expectation' },
    { bytes: message(CT(C.IPCTNL_MSG_CT_GET_STATS_CPU), NLM_F_MULTI, (w) => cpuStatsMessage.encodePayload(w, { family: 0, version: 0, resId: 1, found: 1, invalid: 2, insert: 3, insertFailed: 4, drop: 5, earlyDrop: 6, error: 7, searchRestart: 8, clashResolve: 9, chainTooLong: 10 })), origin: 'conntrack cpu stats' },
    { bytes: message(CT(C.IPCTNL_MSG_CT_GET_STATS), 0, (w) => globalStatsMessage.encodePayload(w, { family: 0, version: 0, resId: 0, entries: 5, maxEntries: 262144 })), origin: 'conntrack count' },
  ];
  // What the kernel sent for a dump (test/fixtures/conntrack/dump-reply.json): tcp, udp, icmp, icmpv6, a zone.
  const dump = JSON.parse(readFileSync(new URL('../../../test/fixtures/conntrack/dump-reply.json', import.meta.url), 'utf8')) as { messages: string[] };
  dump.messages.forEach((hex, i) => seeds.push({ bytes: Buffer.from(hex, 'hex'), origin: `kernel conntrack dump message ${i}` }));
  return seeds;
}
