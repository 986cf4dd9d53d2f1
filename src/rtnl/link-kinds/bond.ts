// bond: link aggregation. The options most setups use are modelled; the
// rest of IFLA_BOND_* stays raw (kept and re-sent as it came).
import * as O from '../../generated/linux/if_link.js';
import * as M from '../../generated/linux/if_bonding.js';
import { enumMap, hwaddr, mapped, s32, u16, u32, u8 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrSet, nested } from '../../netlink/schema.js';
import { bool8 } from '../codecs.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import type { Words } from '../words.js';
import { type WordTable, read, readTable } from './word-table.js';

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

// `type bond ...` words (iproute2's iplink_bond.c), for the options the
// bond schema models.
/** iproute2's get_index: a name from the table, or the number it stands for. */
function fromTable(table: Readonly<Record<string, number>>, what: string) {
  return (x: string, w: Words): string => {
    const v = w.value(x);
    const byNumber = Object.keys(table).find((k) => /^\d+$/.test(v) && table[k] === Number(v));
    if (byNumber !== undefined) return byNumber;
    if (Object.hasOwn(table, v)) return v;
    return w.fail(`invalid ${what} "${v}" (${Object.keys(table).join(', ')})`);
  };
}

const BOND: WordTable = [
  ['mode', 'mode', fromTable(bondModeNumbers, 'mode')],
  ['active_slave', 'activeSlave', read.text()],
  ['clear_active_slave', 'activeSlave', () => 0],
  ['miimon', 'miimon', read.u32('miimon')],
  ['updelay', 'updelay', read.u32('updelay')],
  ['downdelay', 'downdelay', read.u32('downdelay')],
  ['peer_notify_delay', 'peerNotifDelay', read.u32('peer_notify_delay')],
  ['use_carrier', 'useCarrier', read.u8('use_carrier')],
  ['arp_interval', 'arpInterval', read.u32('arp_interval')],
  ['arp_missed_max', 'missedMax', read.u8('arp_missed_max'), true],
  ['primary', 'primary', read.text()],
  ['xmit_hash_policy', 'xmitHashPolicy', fromTable(bondXmitHashPolicyNumbers, 'xmit_hash_policy')],
  ['resend_igmp', 'resendIgmp', read.u32('resend_igmp')],
  ['num_grat_arp', 'numPeerNotif', read.u8('num_grat_arp')],
  ['num_unsol_na', 'numPeerNotif', read.u8('num_unsol_na')],
  ['all_slaves_active', 'allSlavesActive', read.u8('all_slaves_active')],
  ['min_links', 'minLinks', read.u32('min_links')],
  ['lp_interval', 'lpInterval', read.u32('lp_interval')],
  ['packets_per_slave', 'packetsPerSlave', read.u32('packets_per_slave')],
  ['ad_user_port_key', 'adUserPortKey', read.u16('ad_user_port_key')],
  ['ad_actor_sys_prio', 'adActorSysPrio', read.u16('ad_actor_sys_prio')],
  ['ad_actor_system', 'adActorSystem', read.text()],
  ['tlb_dynamic_lb', 'tlbDynamicLb', read.u8('tlb_dynamic_lb')],
];

export const bondWords: KindWords = async (w, ctx) => {
  const data = readTable(w, BOND);
  // active_slave and primary name links: their indexes go in their places.
  for (const key of ['activeSlave', 'primary']) {
    const name = data[key];
    if (typeof name === 'string') data[key] = await ctx.index(name);
  }
  return data;
};

// info_data of a bond and info_slave_data of its ports, as iproute2 6.1's
// bond_print_opt and bond_slave_print_opt: numbers named by iproute2's tables
// ("UNKNOWN" past their end), links by name, keys in its order. ARP and NS
// targets are not modelled by the bond schema and are left out.
const name = (table: readonly string[], n: number | undefined): string | undefined =>
  n === undefined ? undefined : (table[n] ?? 'UNKNOWN');
const num = (v: boolean | number | undefined): number | undefined => (v === undefined ? undefined : Number(v));

const ARP_VALIDATE = ['none', 'active', 'backup', 'all', 'filter', 'filter_active', 'filter_backup'];
const ARP_ALL_TARGETS = ['any', 'all'];
const PRIMARY_RESELECT = ['always', 'better', 'failure'];
const FAIL_OVER_MAC = ['none', 'active', 'follow'];
const LACP_ACTIVE = ['off', 'on'];
const LACP_RATE = ['slow', 'fast'];
const AD_SELECT = ['stable', 'bandwidth', 'count'];

export const bondJson: KindJson<AttrsOut<typeof bondData.specs>> = (d, linkName) => {
  const o: Record<string, Json | undefined> = {};
  if (d.mode !== undefined) o.mode = typeof d.mode === 'string' ? d.mode : 'UNKNOWN';
  if (d.activeSlave) o.active_slave = linkName(d.activeSlave);
  o.miimon = d.miimon;
  o.updelay = d.updelay;
  o.downdelay = d.downdelay;
  o.peer_notify_delay = d.peerNotifDelay;
  o.use_carrier = num(d.useCarrier);
  o.arp_interval = d.arpInterval;
  o.arp_missed_max = d.missedMax;
  if (d.arpValidate !== undefined) o.arp_validate = d.arpValidate === 0 ? null : name(ARP_VALIDATE, d.arpValidate);
  o.arp_all_targets = name(ARP_ALL_TARGETS, d.arpAllTargets);
  if (d.primary) o.primary = linkName(d.primary);
  o.primary_reselect = name(PRIMARY_RESELECT, d.primaryReselect);
  o.fail_over_mac = name(FAIL_OVER_MAC, d.failOverMac);
  if (d.xmitHashPolicy !== undefined) o.xmit_hash_policy = typeof d.xmitHashPolicy === 'string' ? d.xmitHashPolicy : 'UNKNOWN';
  o.resend_igmp = d.resendIgmp;
  o.num_peer_notif = d.numPeerNotif;
  o.all_slaves_active = num(d.allSlavesActive);
  o.min_links = d.minLinks;
  o.lp_interval = d.lpInterval;
  o.packets_per_slave = d.packetsPerSlave;
  o.ad_lacp_active = name(LACP_ACTIVE, num(d.adLacpActive));
  o.ad_lacp_rate = name(LACP_RATE, d.adLacpRate);
  o.ad_select = name(AD_SELECT, d.adSelect);
  if (d.adInfo) {
    const a = d.adInfo;
    o.ad_info = { aggregator: a.aggregator, num_ports: a.numPorts, actor_key: a.actorKey, partner_key: a.partnerKey, partner_mac: a.partnerMac };
  }
  o.ad_actor_sys_prio = d.adActorSysPrio;
  o.ad_user_port_key = d.adUserPortKey;
  o.ad_actor_system = d.adActorSystem;
  o.tlb_dynamic_lb = num(d.tlbDynamicLb);
  return o;
};

const PORT_STATE = ['ACTIVE', 'BACKUP'];
const MII_STATUS = ['UP', 'GOING_DOWN', 'DOWN', 'GOING_BACK'];
/** The LACP port state bits, as iproute2's print_slave_oper_state names them. */
const OPER_STATE = ['active', 'short_timeout', 'aggregating', 'in_sync', 'collecting', 'distributing', 'defaulted', 'expired'];
const operState = (n: number): string[] => OPER_STATE.filter((_, bit) => n & (1 << bit));

export const bondPortJson: KindJson<AttrsOut<typeof bondPortData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  o.state = name(PORT_STATE, d.state);
  o.mii_status = name(MII_STATUS, d.miiStatus);
  o.link_failure_count = d.linkFailureCount;
  o.perm_hwaddr = d.permHwaddr;
  o.queue_id = d.queueId;
  o.prio = d.prio;
  o.ad_aggregator_id = d.adAggregatorId;
  if (d.adActorOperPortState !== undefined) {
    o.ad_actor_oper_port_state = d.adActorOperPortState;
    o.ad_actor_oper_port_state_str = operState(d.adActorOperPortState);
  }
  if (d.adPartnerOperPortState !== undefined) {
    o.ad_partner_oper_port_state = d.adPartnerOperPortState;
    o.ad_partner_oper_port_state_str = operState(d.adPartnerOperPortState);
  }
  return o;
};

export const bond = linkKind('bond', {
  data: bondData, slaveData: bondPortData,
  words: bondWords, json: bondJson,
  portWords: null, portJson: bondPortJson,
});
