// Names for the numbers in a link message, spelled as iproute2 spells them
// (lower case here; the CLI upper-cases where `ip` does).
import * as A from '../generated/linux/if_arp.js';
import * as F from '../generated/linux/if.js';
import { ETH_P_8021AD, ETH_P_8021Q } from '../generated/linux/if_ether.js';
import { enumMap, flagsMap } from '../netlink/codec.js';

/** ifi_flags (IFF_*), in the order `ip link` prints them. */
export const linkFlags = flagsMap('link flag', {
  loopback: F.IFF_LOOPBACK, broadcast: F.IFF_BROADCAST, pointopoint: F.IFF_POINTOPOINT, multicast: F.IFF_MULTICAST,
  noarp: F.IFF_NOARP, allmulti: F.IFF_ALLMULTI, promisc: F.IFF_PROMISC, master: F.IFF_MASTER, slave: F.IFF_SLAVE,
  debug: F.IFF_DEBUG, dynamic: F.IFF_DYNAMIC, automedia: F.IFF_AUTOMEDIA, portsel: F.IFF_PORTSEL,
  notrailers: F.IFF_NOTRAILERS, up: F.IFF_UP, lower_up: F.IFF_LOWER_UP, dormant: F.IFF_DORMANT, echo: F.IFF_ECHO,
  running: F.IFF_RUNNING,
});
/** A link flag (IFF_*) by its name as `ip link` prints it, lowercase. */
export type LinkFlag = 'loopback' | 'broadcast' | 'pointopoint' | 'multicast' | 'noarp' | 'allmulti' | 'promisc'
  | 'master' | 'slave' | 'debug' | 'dynamic' | 'automedia' | 'portsel' | 'notrailers' | 'up' | 'lower_up'
  | 'dormant' | 'echo' | 'running';

/** IFLA_OPERSTATE (RFC 2863 states). */
export const operStates = enumMap('operstate', {
  unknown: F.IF_OPER_UNKNOWN, notpresent: F.IF_OPER_NOTPRESENT, down: F.IF_OPER_DOWN,
  lowerlayerdown: F.IF_OPER_LOWERLAYERDOWN, testing: F.IF_OPER_TESTING, dormant: F.IF_OPER_DORMANT, up: F.IF_OPER_UP,
});

export const linkModes = enumMap('link mode', {
  default: F.IF_LINK_MODE_DEFAULT, dormant: F.IF_LINK_MODE_DORMANT, testing: F.IF_LINK_MODE_TESTING,
});

/** ifi_type (ARPHRD_*), named as iproute2's ll_types table names them. */
export const linkTypes = enumMap('link type', {
  netrom: A.ARPHRD_NETROM, ether: A.ARPHRD_ETHER, eether: A.ARPHRD_EETHER, ax25: A.ARPHRD_AX25,
  pronet: A.ARPHRD_PRONET, chaos: A.ARPHRD_CHAOS, ieee802: A.ARPHRD_IEEE802, arcnet: A.ARPHRD_ARCNET,
  appletlk: A.ARPHRD_APPLETLK, dlci: A.ARPHRD_DLCI, atm: A.ARPHRD_ATM, metricom: A.ARPHRD_METRICOM,
  ieee1394: A.ARPHRD_IEEE1394, infiniband: A.ARPHRD_INFINIBAND, slip: A.ARPHRD_SLIP, cslip: A.ARPHRD_CSLIP,
  slip6: A.ARPHRD_SLIP6, cslip6: A.ARPHRD_CSLIP6, rsrvd: A.ARPHRD_RSRVD, adapt: A.ARPHRD_ADAPT,
  rose: A.ARPHRD_ROSE, x25: A.ARPHRD_X25, hwx25: A.ARPHRD_HWX25, can: A.ARPHRD_CAN, mctp: A.ARPHRD_MCTP,
  ppp: A.ARPHRD_PPP, cisco: A.ARPHRD_CISCO, lapb: A.ARPHRD_LAPB, ddcmp: A.ARPHRD_DDCMP,
  rawhdlc: A.ARPHRD_RAWHDLC, rawip: A.ARPHRD_RAWIP, ipip: A.ARPHRD_TUNNEL, tunnel6: A.ARPHRD_TUNNEL6,
  frad: A.ARPHRD_FRAD, skip: A.ARPHRD_SKIP, loopback: A.ARPHRD_LOOPBACK, ltalk: A.ARPHRD_LOCALTLK,
  fddi: A.ARPHRD_FDDI, bif: A.ARPHRD_BIF, sit: A.ARPHRD_SIT, 'ip/ip': A.ARPHRD_IPDDP, gre: A.ARPHRD_IPGRE,
  pimreg: A.ARPHRD_PIMREG, hippi: A.ARPHRD_HIPPI, ash: A.ARPHRD_ASH, econet: A.ARPHRD_ECONET,
  irda: A.ARPHRD_IRDA, fcpp: A.ARPHRD_FCPP, fcal: A.ARPHRD_FCAL, fcpl: A.ARPHRD_FCPL, fcfb0: A.ARPHRD_FCFABRIC,
  tr: A.ARPHRD_IEEE802_TR, 'ieee802.11': A.ARPHRD_IEEE80211, 'ieee802.11/prism': A.ARPHRD_IEEE80211_PRISM,
  'ieee802.11/radiotap': A.ARPHRD_IEEE80211_RADIOTAP, 'ieee802.15.4': A.ARPHRD_IEEE802154,
  'ieee802.15.4/monitor': A.ARPHRD_IEEE802154_MONITOR, phonet: A.ARPHRD_PHONET, phonet_pipe: A.ARPHRD_PHONET_PIPE,
  caif: A.ARPHRD_CAIF, gre6: A.ARPHRD_IP6GRE, netlink: A.ARPHRD_NETLINK, '6lowpan': A.ARPHRD_6LOWPAN,
  vsockmon: A.ARPHRD_VSOCKMON, void: A.ARPHRD_VOID, none: A.ARPHRD_NONE,
});

/** The 802.1Q tag protocols a vlan or a VLAN-filtering bridge uses (big-endian ethertypes), as iproute2 names them. */
export const vlanProtocols = enumMap('vlan protocol', { '802.1Q': ETH_P_8021Q, '802.1ad': ETH_P_8021AD });
