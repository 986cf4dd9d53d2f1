// nft's words for numbers with units and flag words, both ways: limit
// periods, byte units, NAT and log flags.
import * as NAT from '../generated/linux/netfilter/nf_nat.js';
import * as LOG from '../generated/linux/netfilter/nf_log.js';

/** Limit periods: NFTA_LIMIT_UNIT is in seconds. */
export const PERIODS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };
export function periodName(seconds: number): string | number {
  return Object.entries(PERIODS).find(([, s]) => s === seconds)?.[0] ?? seconds;
}

/** Byte units as nft prints quotas and byte rates: the largest that divides the value. */
export const BYTE_UNITS: Readonly<Record<string, number>> = { bytes: 1, kbytes: 1024, mbytes: 1024 * 1024 };
export function byteUnit(n: number): [number, string] {
  if (n !== 0 && n % (1024 * 1024) === 0) return [n / (1024 * 1024), 'mbytes'];
  if (n !== 0 && n % 1024 === 0) return [n / 1024, 'kbytes'];
  return [n, 'bytes'];
}

export const NAT_FLAGS: Readonly<Record<string, number>> = {
  random: NAT.NF_NAT_RANGE_PROTO_RANDOM, 'fully-random': NAT.NF_NAT_RANGE_PROTO_RANDOM_FULLY,
  persistent: NAT.NF_NAT_RANGE_PERSISTENT, netmap: NAT.NF_NAT_RANGE_NETMAP,
};
/** Bits nft sets itself (an address or a port was given): not printed. */
export const NAT_IMPLIED = NAT.NF_NAT_RANGE_MAP_IPS | NAT.NF_NAT_RANGE_PROTO_SPECIFIED;

export const LOG_FLAGS: Readonly<Record<string, number>> = {
  'tcp sequence': LOG.NF_LOG_TCPSEQ, 'tcp options': LOG.NF_LOG_TCPOPT, 'ip options': LOG.NF_LOG_IPOPT,
  skuid: LOG.NF_LOG_UID, ether: LOG.NF_LOG_MACDECODE,
};
export const LOG_ALL = LOG.NF_LOG_MASK;

export function flagWords(n: number, table: Readonly<Record<string, number>>): string[] {
  return Object.entries(table).filter(([, bit]) => (n & bit) === bit).map(([k]) => k);
}
