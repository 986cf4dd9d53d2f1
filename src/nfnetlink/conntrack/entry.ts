// A conntrack entry as users see it (Conntrack), made from the schema's
// decode (conntrackMessage), and what users give to create, update, get and
// delete one (ConntrackInput), checked and turned into attributes before
// anything is sent (docs/netfilter.md).
import * as IN from '../../generated/linux/in.js';
import * as IN6 from '../../generated/linux/in6.js';
import { ICMP_ECHO, ICMP_ECHOREPLY } from '../../generated/linux/icmp.js';
import { ICMPV6_ECHO_REPLY, ICMPV6_ECHO_REQUEST } from '../../generated/linux/icmpv6.js';
import { describe } from '../../netlink/describe.js';
import { type DecodeIssue, EncodeError } from '../../netlink/errors.js';
import { lookup } from '../../netlink/narrow.js';
import { ipFamilyOf } from '../../netlink/ip.js';
import type { RawAttr } from '../../netlink/schema.js';
import type { Decoder } from '../../netlink/request.js';
import {
  type ConntrackFamily, familyName, familyNumber, hasPorts, protocolName, protocolNumbers, statusBit, statusNames,
  tcpStateName, tcpStateNumber, type ProtocolName,
} from './names.js';
import { type ConntrackAttrsIn, type TupleAttrs, type TupleAttrsIn, conntrackMessage } from './schema.js';

/** One direction of a connection: addresses, protocol and ports (or ICMP type, code and id). */
export interface ConntrackTuple {
  src: string;
  dst: string;
  /** Layer-4 protocol number (6 tcp, 17 udp, 1 icmp...). */
  protocol: number;
  sport?: number;
  dport?: number;
  /** ICMP and ICMPv6 tuples: type, code and echo id. */
  icmp?: { type?: number; code?: number; id?: number };
  /** The tuple's own zone (CTA_TUPLE_ZONE), when directional zones are used. */
  zone?: number;
}

/** Packets and bytes one direction of a connection carried. */
export interface ConntrackCounters { packets: number; bytes: number }

/** One conntrack entry (IPCTNL_MSG_CT_NEW as a dump or an event has it). */
export interface Conntrack {
  family: ConntrackFamily | number;
  /** Layer-4 protocol number and its conntrack-tools name ('unknown' if it has none). */
  protocol: number;
  protocolName: ProtocolName | 'unknown';
  orig: ConntrackTuple;
  reply: ConntrackTuple;
  /** IPS_* bits, and their names ('SEEN_REPLY', 'ASSURED', 'CONFIRMED'...). */
  status: number;
  statusFlags: string[];
  /** Seconds left. */
  timeout?: number;
  mark?: number;
  zone?: number;
  use?: number;
  id?: number;
  secmark?: number;
  secctx?: string;
  helper?: string;
  /** TCP state ('ESTABLISHED'...) and window scaling / flags per direction. */
  tcp?: { state: string; wscaleOriginal?: number; wscaleReply?: number; flagsOriginal?: { flags: number; mask: number }; flagsReply?: { flags: number; mask: number } };
  /** With net.netfilter.nf_conntrack_acct=1. */
  counters?: { orig?: ConntrackCounters; reply?: ConntrackCounters };
  /** With net.netfilter.nf_conntrack_timestamp=1: nanoseconds (CLOCK_REALTIME). */
  timestamp?: { start?: number; stop?: number };
  /** Connection labels as a bit string, hex, lowest bit first byte (CTA_LABELS as the kernel holds it). */
  labels?: string;
  /** The master connection of an expected one. */
  master?: ConntrackTuple;
  /** Attributes this version decodes but does not model (nat, seqadj, synproxy), as the schema decodes them. */
  extra?: Record<string, unknown>;
  unknown?: RawAttr[];
  issues?: DecodeIssue[];
}

export function tupleOf(t: TupleAttrs | undefined): ConntrackTuple {
  const ip = t?.ip;
  const p = t?.proto;
  const out: ConntrackTuple = { src: ip?.v4Src ?? ip?.v6Src ?? '', dst: ip?.v4Dst ?? ip?.v6Dst ?? '', protocol: p?.num ?? 0 };
  if (p?.srcPort !== undefined) out.sport = p.srcPort;
  if (p?.dstPort !== undefined) out.dport = p.dstPort;
  const type = p?.icmpType ?? p?.icmpv6Type;
  const code = p?.icmpCode ?? p?.icmpv6Code;
  const id = p?.icmpId ?? p?.icmpv6Id;
  if (type !== undefined || code !== undefined || id !== undefined) out.icmp = { type, code, id };
  if (t?.zone !== undefined) out.zone = t.zone;
  return out;
}

const counters = (c: { packets?: number; bytes?: number; packets32?: number; bytes32?: number } | undefined): ConntrackCounters | undefined =>
  c ? { packets: c.packets ?? c.packets32 ?? 0, bytes: c.bytes ?? c.bytes32 ?? 0 } : undefined;

/** Decodes one conntrack message (a dump part, a GET reply or an event). Never throws. */
export const decodeConntrack: Decoder<Conntrack> = (buf, start, length) => {
  const m = conntrackMessage.decodeMessage(buf, start, length);
  const orig = tupleOf(m.tupleOrig);
  const ct: Conntrack = {
    family: familyName(m.family),
    protocol: orig.protocol,
    protocolName: protocolName(orig.protocol),
    orig,
    reply: tupleOf(m.tupleReply),
    status: m.status ?? 0,
    statusFlags: statusNames(m.status ?? 0),
  };
  if (m.timeout !== undefined) ct.timeout = m.timeout;
  if (m.mark !== undefined) ct.mark = m.mark;
  if (m.zone !== undefined) ct.zone = m.zone;
  if (m.use !== undefined) ct.use = m.use;
  if (m.id !== undefined) ct.id = m.id;
  if (m.secmark !== undefined) ct.secmark = m.secmark;
  if (m.secctx?.name !== undefined) ct.secctx = m.secctx.name;
  if (m.help?.name !== undefined) ct.helper = m.help.name;
  const tcp = m.protoinfo?.tcp;
  if (tcp) {
    ct.tcp = { state: tcpStateName(tcp.state ?? 0) };
    if (tcp.wscaleOriginal !== undefined) ct.tcp.wscaleOriginal = tcp.wscaleOriginal;
    if (tcp.wscaleReply !== undefined) ct.tcp.wscaleReply = tcp.wscaleReply;
    if (tcp.flagsOriginal) ct.tcp.flagsOriginal = tcp.flagsOriginal;
    if (tcp.flagsReply) ct.tcp.flagsReply = tcp.flagsReply;
  }
  if (m.countersOrig || m.countersReply) ct.counters = { orig: counters(m.countersOrig), reply: counters(m.countersReply) };
  if (m.timestamp) ct.timestamp = { start: m.timestamp.start, stop: m.timestamp.stop };
  if (m.labels) ct.labels = m.labels.toString('hex');
  if (m.tupleMaster) ct.master = tupleOf(m.tupleMaster);
  const extra: Record<string, unknown> = {};
  for (const k of ['natSrc', 'natDst', 'seqAdjOrig', 'seqAdjReply', 'synproxy', 'protoinfo'] as const) {
    if (m[k] !== undefined && (k !== 'protoinfo' || !tcp)) extra[k] = m[k];
  }
  if (Object.keys(extra).length) ct.extra = extra;
  if (m.unknown) ct.unknown = m.unknown;
  if (m.issues) ct.issues = m.issues;
  return ct;
};

// ── input ────────────────────────────────────────────────────────────────

/** A connection's direction as given. */
export interface ConntrackTupleInput {
  src: string;
  dst: string;
  /** A conntrack-tools name ('tcp', 'udp', 'icmp'...) or a protocol number. */
  protocol: ProtocolName | number;
  sport?: number;
  dport?: number;
  icmp?: { type?: number; code?: number; id?: number };
  zone?: number;
}

/** What create/update/get/delete take: the original tuple identifies the entry. */
export interface ConntrackInput {
  orig: ConntrackTupleInput;
  /** The reply tuple; default: the original one reversed (echo requests answered by echo replies). */
  reply?: ConntrackTupleInput;
  /** Seconds (create needs one; default 120). */
  timeout?: number;
  mark?: number;
  zone?: number;
  /** IPS_* bits as a number or names ('ASSURED', 'SEEN_REPLY'...). */
  status?: number | readonly string[];
  /** TCP state name ('ESTABLISHED'...). */
  tcpState?: string;
  /** Labels as hex (bit i of the label set is bit i%8 of byte i/8) with labelsMask alike. */
  labels?: string;
  labelsMask?: string;
  /** The entry's id as the kernel reported it: delete/get only that incarnation. */
  id?: number;
}

/** An integer from 0 to max, or an EncodeError at path. */
export const uint = (v: unknown, max: number, path: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new EncodeError(path, `expected an integer from 0 to ${max}, got ${describe(v)}`);
  return v;
};

export function protocolOf(p: unknown, path: string): number {
  const n = lookup(protocolNumbers, p);
  if (n !== undefined) return n;
  if (typeof p === 'number') return uint(p, 255, path);
  throw new EncodeError(path, `expected a protocol (${Object.keys(protocolNumbers).join(', ')}) or a number 0-255, got ${describe(p)}`);
}

/** The address family of a tuple, from its addresses (which must agree). */
export function tupleFamily(t: ConntrackTupleInput, path: string): ConntrackFamily {
  if (t === null || typeof t !== 'object') throw new EncodeError(path, `expected a tuple { src, dst, protocol, ... }, got ${describe(t)}`);
  const fs = typeof t.src === 'string' ? ipFamilyOf(t.src) : undefined;
  const fd = typeof t.dst === 'string' ? ipFamilyOf(t.dst) : undefined;
  if (!fs) throw new EncodeError(`${path}.src`, `expected an IPv4 or IPv6 address, got ${describe(t.src)}`);
  if (!fd) throw new EncodeError(`${path}.dst`, `expected an IPv4 or IPv6 address, got ${describe(t.dst)}`);
  if (fs !== fd) throw new EncodeError(path, `src ${t.src} and dst ${t.dst} are not of one address family`);
  return fs === 4 ? 'ipv4' : 'ipv6';
}

export function tupleAttrsOf(t: ConntrackTupleInput, path: string): TupleAttrsIn {
  const fam = tupleFamily(t, path);
  const num = protocolOf(t.protocol, `${path}.protocol`);
  const proto: Record<string, number> = { num };
  if (hasPorts(num)) {
    if (t.sport !== undefined) proto.srcPort = uint(t.sport, 0xffff, `${path}.sport`);
    if (t.dport !== undefined) proto.dstPort = uint(t.dport, 0xffff, `${path}.dport`);
  } else if (t.sport !== undefined || t.dport !== undefined) {
    throw new EncodeError(`${path}.sport`, `protocol ${protocolName(num)} has no ports`);
  }
  if (t.icmp !== undefined) {
    const v6 = num === IN6.IPPROTO_ICMPV6;
    if (num !== IN.IPPROTO_ICMP && !v6) throw new EncodeError(`${path}.icmp`, `protocol ${protocolName(num)} is not icmp or icmpv6`);
    const i = t.icmp;
    if (i.type !== undefined) proto[v6 ? 'icmpv6Type' : 'icmpType'] = uint(i.type, 255, `${path}.icmp.type`);
    if (i.code !== undefined) proto[v6 ? 'icmpv6Code' : 'icmpCode'] = uint(i.code, 255, `${path}.icmp.code`);
    if (i.id !== undefined) proto[v6 ? 'icmpv6Id' : 'icmpId'] = uint(i.id, 0xffff, `${path}.icmp.id`);
  }
  const ip = fam === 'ipv4' ? { v4Src: t.src, v4Dst: t.dst } : { v6Src: t.src, v6Dst: t.dst };
  const out: TupleAttrsIn = { ip, proto };
  if (t.zone !== undefined) out.zone = uint(t.zone, 0xffff, `${path}.zone`);
  return out;
}

/** The original tuple reversed: what the reply direction looks like without NAT. */
export function reversed(t: ConntrackTupleInput, path: string): ConntrackTupleInput {
  const r: ConntrackTupleInput = { src: t.dst, dst: t.src, protocol: t.protocol };
  if (t.sport !== undefined) r.dport = t.sport;
  if (t.dport !== undefined) r.sport = t.dport;
  if (t.icmp) {
    const num = protocolOf(t.protocol, `${path}.protocol`);
    const type = num === IN6.IPPROTO_ICMPV6 && t.icmp.type === ICMPV6_ECHO_REQUEST ? ICMPV6_ECHO_REPLY
      : num === IN.IPPROTO_ICMP && t.icmp.type === ICMP_ECHO ? ICMP_ECHOREPLY : undefined;
    if (type === undefined) throw new EncodeError(`${path}.icmp.type`, 'give the reply tuple: only echo requests have a reply this library can infer');
    r.icmp = { ...t.icmp, type };
  }
  return r;
}

function labelsBytes(v: unknown, path: string): Buffer {
  if (typeof v !== 'string' || !/^([0-9a-f]{2})+$/i.test(v) || v.length > 256) throw new EncodeError(path, `expected labels as an even number of hex digits (at most 128 bytes), got ${describe(v)}`);
  return Buffer.from(v, 'hex');
}

export type InputUse = 'create' | 'update' | 'get' | 'delete';

/** The attributes of a request about one entry. */
export function conntrackAttrs(input: ConntrackInput, use: InputUse, path = 'conntrack'): { family: number; attrs: ConntrackAttrsIn } {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected { orig: { src, dst, protocol, ... }, ... }, got ${describe(input)}`);
  const fam = tupleFamily(input.orig, `${path}.orig`);
  const attrs: ConntrackAttrsIn = { tupleOrig: tupleAttrsOf(input.orig, `${path}.orig`) };
  if (use === 'create' || input.reply !== undefined) {
    const reply = input.reply ?? reversed(input.orig, `${path}.orig`);
    if (tupleFamily(reply, `${path}.reply`) !== fam) throw new EncodeError(`${path}.reply`, 'the reply tuple is not of the original tuple\'s address family');
    if (use === 'create') attrs.tupleReply = tupleAttrsOf(reply, `${path}.reply`);
  }
  if (input.zone !== undefined) attrs.zone = uint(input.zone, 0xffff, `${path}.zone`);
  if (input.id !== undefined) {
    if (use !== 'get' && use !== 'delete') throw new EncodeError(`${path}.id`, 'an id only narrows get and delete');
    attrs.id = uint(input.id, 0xffffffff, `${path}.id`);
  }
  if (use === 'create' || use === 'update') {
    if (input.timeout !== undefined || use === 'create') attrs.timeout = uint(input.timeout ?? 120, 0xffffffff, `${path}.timeout`);
    if (input.mark !== undefined) attrs.mark = uint(input.mark, 0xffffffff, `${path}.mark`);
    if (input.status !== undefined) attrs.status = statusOf(input.status, `${path}.status`);
    if (input.tcpState !== undefined) {
      const n = typeof input.tcpState === 'string' ? tcpStateNumber(input.tcpState) : undefined;
      if (n === undefined) throw new EncodeError(`${path}.tcpState`, `expected a TCP state name (ESTABLISHED, SYN_SENT, ...), got ${describe(input.tcpState)}`);
      if (protocolOf(input.orig.protocol, `${path}.orig.protocol`) !== IN.IPPROTO_TCP) throw new EncodeError(`${path}.tcpState`, 'only tcp entries have a TCP state');
      attrs.protoinfo = { tcp: { state: n } };
    }
    const labels = input.labels === undefined ? undefined : labelsBytes(input.labels, `${path}.labels`);
    if (labels !== undefined) attrs.labels = labels;
    if (input.labelsMask !== undefined) {
      if (labels === undefined) throw new EncodeError(`${path}.labelsMask`, 'a labels mask needs labels');
      const mask = labelsBytes(input.labelsMask, `${path}.labelsMask`);
      if (mask.length !== labels.length) throw new EncodeError(`${path}.labelsMask`, 'labels and their mask must be of one length');
      attrs.labelsMask = mask;
    }
  } else {
    for (const k of ['timeout', 'mark', 'status', 'tcpState', 'labels', 'labelsMask'] as const) {
      if (input[k] !== undefined) throw new EncodeError(`${path}.${k}`, `${use} finds an entry by its tuple (and zone, id); ${k} is not used`);
    }
  }
  return { family: familyNumber[fam], attrs };
}

function statusOf(v: unknown, path: string): number {
  if (typeof v === 'number') return uint(v, 0xffffffff, path);
  if (Array.isArray(v)) {
    let n = 0;
    for (const [i, name] of v.entries()) {
      const bit = typeof name === 'string' ? statusBit(name) : undefined;
      if (bit === undefined) throw new EncodeError(`${path}[${i}]`, `unknown status bit ${describe(name)}`);
      n |= bit;
    }
    return n >>> 0;
  }
  throw new EncodeError(path, `expected a number or a list of status names, got ${describe(v)}`);
}
