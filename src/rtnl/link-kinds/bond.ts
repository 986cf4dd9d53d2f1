// bond: link aggregation. The options most setups use are modelled; the
// rest of IFLA_BOND_* stays raw (kept and re-sent as it came).
import * as O from '../../generated/linux/if_link.js';
import * as M from '../../generated/linux/if_bonding.js';
import { enumMap, hwaddr, mapped, s32, u16, u32, u8 } from '../../netlink/codec.js';
import { attr, attrSet, nested } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { linkKind } from './kind.js';

/** Bonding modes, named as iproute2 and the kernel's sysfs name them. */
export const bondModeNumbers = {
  'balance-rr': M.BOND_MODE_ROUNDROBIN, 'active-backup': M.BOND_MODE_ACTIVEBACKUP, 'balance-xor': M.BOND_MODE_XOR,
  broadcast: M.BOND_MODE_BROADCAST, '802.3ad': M.BOND_MODE_8023AD, 'balance-tlb': M.BOND_MODE_TLB, 'balance-alb': M.BOND_MODE_ALB,
} as const;
export const bondModes = enumMap('bond mode', bondModeNumbers);

export const bondXmitHashPolicyNumbers = {
  layer2: M.BOND_XMIT_POLICY_LAYER2, 'layer3+4': M.BOND_XMIT_POLICY_LAYER34, 'layer2+3': M.BOND_XMIT_POLICY_LAYER23,
  'encap2+3': M.BOND_XMIT_POLICY_ENCAP23, 'encap3+4': M.BOND_XMIT_POLICY_ENCAP34, 'vlan+srcmac': M.BOND_XMIT_POLICY_VLAN_SRCMAC,
} as const;
export const bondXmitHashPolicies = enumMap('bond xmit hash policy', bondXmitHashPolicyNumbers);

/** The 802.3ad aggregator a bond uses, as the kernel reports it (read only). */
export const bondAdInfo = attrSet('bond ad_info', {
  aggregator: attr(O.IFLA_BOND_AD_INFO_AGGREGATOR, u16),
  numPorts: attr(O.IFLA_BOND_AD_INFO_NUM_PORTS, u16),
  actorKey: attr(O.IFLA_BOND_AD_INFO_ACTOR_KEY, u16),
  partnerKey: attr(O.IFLA_BOND_AD_INFO_PARTNER_KEY, u16),
  partnerMac: attr(O.IFLA_BOND_AD_INFO_PARTNER_MAC, hwaddr),
});

export const bondData = attrSet('bond', {
  mode: attr(O.IFLA_BOND_MODE, mapped(u8, bondModes)),
  /** Index of the active port (active-backup). */
  activeSlave: attr(O.IFLA_BOND_ACTIVE_SLAVE, u32),
  /** MII link monitoring interval, milliseconds. */
  miimon: attr(O.IFLA_BOND_MIIMON, u32),
  updelay: attr(O.IFLA_BOND_UPDELAY, u32),
  downdelay: attr(O.IFLA_BOND_DOWNDELAY, u32),
  useCarrier: attr(O.IFLA_BOND_USE_CARRIER, bool8),
  arpInterval: attr(O.IFLA_BOND_ARP_INTERVAL, u32),
  arpValidate: attr(O.IFLA_BOND_ARP_VALIDATE, u32),
  arpAllTargets: attr(O.IFLA_BOND_ARP_ALL_TARGETS, u32),
  /** Index of the preferred port. */
  primary: attr(O.IFLA_BOND_PRIMARY, u32),
  primaryReselect: attr(O.IFLA_BOND_PRIMARY_RESELECT, u8),
  failOverMac: attr(O.IFLA_BOND_FAIL_OVER_MAC, u8),
  xmitHashPolicy: attr(O.IFLA_BOND_XMIT_HASH_POLICY, mapped(u8, bondXmitHashPolicies)),
  resendIgmp: attr(O.IFLA_BOND_RESEND_IGMP, u32),
  numPeerNotif: attr(O.IFLA_BOND_NUM_PEER_NOTIF, u8),
  allSlavesActive: attr(O.IFLA_BOND_ALL_SLAVES_ACTIVE, bool8),
  minLinks: attr(O.IFLA_BOND_MIN_LINKS, u32),
  lpInterval: attr(O.IFLA_BOND_LP_INTERVAL, u32),
  packetsPerSlave: attr(O.IFLA_BOND_PACKETS_PER_SLAVE, u32),
  adLacpRate: attr(O.IFLA_BOND_AD_LACP_RATE, u8),
  adSelect: attr(O.IFLA_BOND_AD_SELECT, u8),
  adInfo: attr(O.IFLA_BOND_AD_INFO, nested(bondAdInfo)),
  adActorSysPrio: attr(O.IFLA_BOND_AD_ACTOR_SYS_PRIO, u16),
  adUserPortKey: attr(O.IFLA_BOND_AD_USER_PORT_KEY, u16),
  adActorSystem: attr(O.IFLA_BOND_AD_ACTOR_SYSTEM, hwaddr),
  tlbDynamicLb: attr(O.IFLA_BOND_TLB_DYNAMIC_LB, bool8),
  peerNotifDelay: attr(O.IFLA_BOND_PEER_NOTIF_DELAY, u32),
  adLacpActive: attr(O.IFLA_BOND_AD_LACP_ACTIVE, bool8),
  missedMax: attr(O.IFLA_BOND_MISSED_MAX, u8),
});

/** A bond port's state as its bond reports it. */
export const bondPortData = attrSet('bond port', {
  state: attr(O.IFLA_BOND_SLAVE_STATE, u8),
  miiStatus: attr(O.IFLA_BOND_SLAVE_MII_STATUS, u8),
  linkFailureCount: attr(O.IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, u32),
  permHwaddr: attr(O.IFLA_BOND_SLAVE_PERM_HWADDR, hwaddr),
  queueId: attr(O.IFLA_BOND_SLAVE_QUEUE_ID, u16),
  adAggregatorId: attr(O.IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, u16),
  prio: attr(O.IFLA_BOND_SLAVE_PRIO, s32),
  /** 802.3ad: the LACP port state bits of this end and of the partner's. */
  adActorOperPortState: attr(O.IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, u8),
  adPartnerOperPortState: attr(O.IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE, u16),
});

export const bond = linkKind('bond', bondData, bondPortData);
