// Link-layer protocol names of a filter, as iproute2's ll_proto table spells
// them ('ip', 'ipv6', 'all', '802.1Q'...). The kernel keeps the protocol in
// network byte order in the low 16 bits of tcm_info.
import * as E from '../../generated/linux/if_ether.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';

// In iproute2's order: the first name of a number is the one printed.
const NAMES: readonly (readonly [string, number])[] = [
  ['loop', E.ETH_P_LOOP], ['pup', E.ETH_P_PUP], ['pupat', E.ETH_P_PUPAT], ['ip', E.ETH_P_IP], ['x25', E.ETH_P_X25],
  ['arp', E.ETH_P_ARP], ['bpq', E.ETH_P_BPQ], ['ieeepup', E.ETH_P_IEEEPUP], ['ieeepupat', E.ETH_P_IEEEPUPAT],
  ['dec', E.ETH_P_DEC], ['dna_dl', E.ETH_P_DNA_DL], ['dna_rc', E.ETH_P_DNA_RC], ['dna_rt', E.ETH_P_DNA_RT],
  ['lat', E.ETH_P_LAT], ['diag', E.ETH_P_DIAG], ['cust', E.ETH_P_CUST], ['sca', E.ETH_P_SCA], ['rarp', E.ETH_P_RARP],
  ['atalk', E.ETH_P_ATALK], ['aarp', E.ETH_P_AARP], ['ipx', E.ETH_P_IPX], ['ipv6', E.ETH_P_IPV6],
  ['ppp_disc', E.ETH_P_PPP_DISC], ['ppp_ses', E.ETH_P_PPP_SES], ['atmmpoa', E.ETH_P_ATMMPOA], ['atmfate', E.ETH_P_ATMFATE],
  ['802_3', E.ETH_P_802_3], ['ax25', E.ETH_P_AX25], ['all', E.ETH_P_ALL], ['802_2', E.ETH_P_802_2], ['snap', E.ETH_P_SNAP],
  ['ddcmp', E.ETH_P_DDCMP], ['wan_ppp', E.ETH_P_WAN_PPP], ['ppp_mp', E.ETH_P_PPP_MP], ['localtalk', E.ETH_P_LOCALTALK],
  ['can', E.ETH_P_CAN], ['ppptalk', E.ETH_P_PPPTALK], ['tr_802_2', E.ETH_P_TR_802_2], ['mobitex', E.ETH_P_MOBITEX],
  ['control', E.ETH_P_CONTROL], ['irda', E.ETH_P_IRDA], ['econet', E.ETH_P_ECONET], ['tipc', E.ETH_P_TIPC],
  ['profinet', E.ETH_P_PROFINET], ['aoe', E.ETH_P_AOE], ['ethercat', E.ETH_P_ETHERCAT], ['802.1Q', E.ETH_P_8021Q],
  ['802.1ad', E.ETH_P_8021AD], ['mpls_uc', E.ETH_P_MPLS_UC], ['mpls_mc', E.ETH_P_MPLS_MC], ['teb', E.ETH_P_TEB],
  ['LLDP', E.ETH_P_LLDP], ['ipv4', E.ETH_P_IP],
];

const byNumber = new Map<number, string>();
for (const [name, n] of NAMES) if (!byNumber.has(n)) byNumber.set(n, name);
const byName = new Map(NAMES.map(([name, n]) => [name.toLowerCase(), n]));

/** A protocol name (any case) or number (host order) → host-order number. */
export function parseProtocol(v: unknown, path: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new EncodeError(path, `protocol ${v} is not a 16-bit EtherType`);
    return v;
  }
  if (typeof v !== 'string') throw new EncodeError(path, `expected a protocol name ('ip', 'all'...) or number, got ${describe(v)}`);
  const n = byName.get(v.toLowerCase());
  if (n !== undefined) return n;
  if (/^(0x[0-9a-f]{1,4}|\d{1,5})$/i.test(v) && Number(v) <= 0xffff) return Number(v);
  throw new EncodeError(path, `unknown protocol "${v}" (e.g. all, ip, ipv6, arp, 802.1Q, or a number)`);
}

/** Host-order number → the name iproute2 prints, or the number when it has none. */
export function protocolName(n: number): string | number {
  return byNumber.get(n) ?? n;
}

export const htons = (n: number): number => ((n & 0xff) << 8) | ((n >>> 8) & 0xff);
