// Names for ctnetlink's numbers, derived from the generated constants (no
// number typed by hand): layer-4 protocols as conntrack-tools names them,
// TCP conntrack states, status bits.
import * as S from '../../generated/libc/socket.js';
import * as IN from '../../generated/linux/in.js';
import * as IN6 from '../../generated/linux/in6.js';
import * as T from '../../generated/linux/netfilter/nf_conntrack_tcp.js';
import * as K from '../../generated/linux/netfilter/nf_conntrack_common.js';
import { isKey } from '../../netlink/narrow.js';

/** The address family of tracked connections. */
export type ConntrackFamily = 'ipv4' | 'ipv6';

export const familyNumber: Record<ConntrackFamily, number> = { ipv4: S.AF_INET, ipv6: S.AF_INET6 };
export function familyName(n: number): ConntrackFamily | number {
  return n === S.AF_INET ? 'ipv4' : n === S.AF_INET6 ? 'ipv6' : n;
}

/** The protocols conntrack-tools names (its -p words). */
export type ProtocolName = 'tcp' | 'udp' | 'udplite' | 'icmp' | 'icmpv6' | 'sctp' | 'dccp' | 'gre';

export const protocolNumbers: Readonly<Record<ProtocolName, number>> = {
  tcp: IN.IPPROTO_TCP, udp: IN.IPPROTO_UDP, udplite: IN.IPPROTO_UDPLITE, icmp: IN.IPPROTO_ICMP,
  icmpv6: IN6.IPPROTO_ICMPV6, sctp: IN.IPPROTO_SCTP, dccp: IN.IPPROTO_DCCP, gre: IN.IPPROTO_GRE,
};
const protocolByNumber = new Map<number, ProtocolName>(Object.keys(protocolNumbers).filter((k): k is ProtocolName => isKey(protocolNumbers, k)).map((k) => [protocolNumbers[k], k]));

/** 'tcp', ..., or 'unknown' as conntrack -L prints a protocol it has no name for. */
export function protocolName(n: number): ProtocolName | 'unknown' {
  return protocolByNumber.get(n) ?? 'unknown';
}

/** Whether the protocol's tuple has ports. */
export function hasPorts(n: number): boolean {
  return n === IN.IPPROTO_TCP || n === IN.IPPROTO_UDP || n === IN.IPPROTO_UDPLITE || n === IN.IPPROTO_SCTP || n === IN.IPPROTO_DCCP;
}

const PREFIX = 'TCP_CONNTRACK_';
// The states a TCP entry can be in (TCP_CONNTRACK_NONE ... LISTEN); MAX and the values above are not states.
const tcpStates: string[] = [];
for (const [k, v] of Object.entries(T)) {
  if (k.startsWith(PREFIX) && typeof v === 'number' && v < T.TCP_CONNTRACK_MAX && tcpStates[v] === undefined) tcpStates[v] = k.slice(PREFIX.length);
}

/** 'ESTABLISHED', as conntrack -L prints it; the number when this version has no name. */
export function tcpStateName(n: number): string {
  return tcpStates[n] ?? String(n);
}

export function tcpStateNumber(name: string): number | undefined {
  const i = tcpStates.indexOf(name.toUpperCase());
  return i < 0 ? undefined : i;
}

export const tcpStateNames: readonly string[] = tcpStates;

// Status bits: every IPS_X with an IPS_X_BIT.
const statusBits: [string, number][] = Object.entries(K)
  .flatMap<[string, number]>(([k, v]) => (k.startsWith('IPS_') && k.endsWith('_BIT') && typeof v === 'number' ? [[k.slice(4, -4), 1 << v]] : []))
  .sort((a, b) => a[1] - b[1]);

/** The names of the bits set ('SEEN_REPLY', 'ASSURED', 'CONFIRMED'...), unnamed bits as hex. */
export function statusNames(status: number): string[] {
  const out: string[] = [];
  let rest = status >>> 0;
  for (const [name, bit] of statusBits) if (rest & bit) { out.push(name); rest &= ~bit; }
  if (rest) out.push(`0x${(rest >>> 0).toString(16)}`);
  return out;
}

export function statusBit(name: string): number | undefined {
  return statusBits.find(([n]) => n === name.toUpperCase())?.[1];
}

export const statusBitNames: readonly string[] = statusBits.map(([n]) => n);
