// info_data of a bond and info_slave_data of its ports, as iproute2 6.1's
// bond_print_opt and bond_slave_print_opt: numbers named by iproute2's tables
// ("UNKNOWN" past their end), links by name, keys in its order. ARP and NS
// targets are not modelled by the bond schema and are left out.
import type { AttrsOut } from '../../../netlink/schema.js';
import type { bondData, bondPortData } from '../../../rtnl/link-kinds/bond.js';
import type { Json, KindJson } from './kind-json.js';

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
