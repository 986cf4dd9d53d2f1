// `ip -d -j` info_data of a bridge and info_slave_data of its ports, in the
// keys and order of iproute2 6.1's bridge_print_opt and bridge_slave_print_opt.
import type { AttrsOut } from '../../../netlink/schema.js';
import type { bridgeData, bridgePortData } from '../../../rtnl/link-kinds/bridge.js';
import { BR_BOOLOPT_MCAST_VLAN_SNOOPING, BR_BOOLOPT_NO_LL_LEARN } from '../../../generated/linux/if_bridge.js';
import { centiseconds, hex0x } from '../json-values.js';
import type { Json, KindJson } from './kind-json.js';

type Bridge = AttrsOut<typeof bridgeData.specs>;
type Port = AttrsOut<typeof bridgePortData.specs>;

const num = (v: boolean | number | undefined): number | undefined => (typeof v === 'boolean' ? Number(v) : v);

/** br_dump_bridge_id(): the MAC's bytes without leading zeros ("8000.2:0:0:0:0:1"). */
const brId = (id: string | undefined): string | undefined => id?.replace(/(^|[.:])0([0-9a-f])(?=:|$)/g, '$1$2');

export const bridgeJson: KindJson<Bridge> = (d) => {
  const o: Record<string, Json | undefined> = {
    forward_delay: d.forwardDelay, hello_time: d.helloTime, max_age: d.maxAge, ageing_time: d.ageingTime,
    stp_state: d.stpState, priority: d.priority, vlan_filtering: num(d.vlanFiltering),
    vlan_protocol: d.vlanProtocol === undefined ? undefined : String(d.vlanProtocol),
    bridge_id: brId(d.bridgeId),
    // iproute2 6.1 prints the bridge id under root_id too.
    root_id: d.rootId === undefined ? undefined : brId(d.bridgeId),
    root_port: d.rootPort, root_path_cost: d.rootPathCost,
    topology_change: d.topologyChange, topology_change_detected: d.topologyChangeDetected,
    hello_timer: timer(d.helloTimer), tcn_timer: timer(d.tcnTimer),
    topology_change_timer: timer(d.topologyChangeTimer), gc_timer: timer(d.gcTimer),
    vlan_default_pvid: d.vlanDefaultPvid, vlan_stats_enabled: num(d.vlanStatsEnabled),
    vlan_stats_per_port: num(d.vlanStatsPerPort),
    group_fwd_mask: d.groupFwdMask === undefined ? undefined : hex0x(d.groupFwdMask),
    group_addr: d.groupAddr, mcast_snooping: num(d.mcastSnooping),
  };
  const bm = d.multiBoolopt;
  if (bm) {
    const bit = (b: number): number | undefined => (bm.optmask & (1 << b) ? Number((bm.optval & (1 << b)) !== 0) : undefined);
    o.no_linklocal_learn = bit(BR_BOOLOPT_NO_LL_LEARN);
    o.mcast_vlan_snooping = bit(BR_BOOLOPT_MCAST_VLAN_SNOOPING);
  }
  Object.assign(o, {
    mcast_router: d.mcastRouter, mcast_query_use_ifaddr: num(d.mcastQueryUseIfaddr), mcast_querier: num(d.mcastQuerier),
    mcast_hash_elasticity: d.mcastHashElasticity, mcast_hash_max: d.mcastHashMax,
    mcast_last_member_cnt: d.mcastLastMemberCnt, mcast_startup_query_cnt: d.mcastStartupQueryCnt,
    mcast_last_member_intvl: d.mcastLastMemberIntvl, mcast_membership_intvl: d.mcastMembershipIntvl,
    mcast_querier_intvl: d.mcastQuerierIntvl, mcast_query_intvl: d.mcastQueryIntvl,
    mcast_query_response_intvl: d.mcastQueryResponseIntvl, mcast_startup_query_intvl: d.mcastStartupQueryIntvl,
    mcast_stats_enabled: num(d.mcastStatsEnabled), mcast_igmp_version: d.mcastIgmpVersion, mcast_mld_version: d.mcastMldVersion,
    nf_call_iptables: num(d.nfCallIptables), nf_call_ip6tables: num(d.nfCallIp6tables), nf_call_arptables: num(d.nfCallArptables),
  });
  return o;
};

/** Bits of a port's group_fwd_mask with a name (01:80:c2:00:00:0X). */
const FWD_MASK_NAMES: Record<number, string> = { 0: 'stp', 2: 'lacp', 14: 'lldp' };

function fwdMaskNames(mask: number): string {
  const parts: string[] = [];
  for (let i = 0; mask >> i; i++) if ((mask >> i) & 1) parts.push(FWD_MASK_NAMES[i] ?? hex0x(1 << i));
  return parts.length ? parts.join(',') : '0x0';
}

export const bridgePortJson: KindJson<Port> = (d, linkName) => {
  const o: Record<string, Json | undefined> = {};
  if (typeof d.state === 'string') o.state = d.state;
  else if (d.state !== undefined) o.state_index = d.state;
  Object.assign(o, {
    priority: d.priority, cost: d.cost, hairpin: d.hairpin, guard: d.guard, root_block: d.rootBlock,
    fastleave: d.fastLeave, learning: d.learning, flood: d.unicastFlood,
    id: d.id === undefined ? undefined : hex0x(d.id), no: d.no === undefined ? undefined : hex0x(d.no),
    designated_port: d.designatedPort, designated_cost: d.designatedCost,
    bridge_id: brId(d.bridgeId), root_id: brId(d.rootId),
    hold_timer: timer(d.holdTimer), message_age_timer: timer(d.messageAgeTimer), forward_delay_timer: timer(d.forwardDelayTimer),
    topology_change_ack: d.topologyChangeAck, config_pending: d.configPending,
    proxy_arp: d.proxyarp, proxy_arp_wifi: d.proxyarpWifi, multicast_router: d.multicastRouter,
    mcast_flood: d.mcastFlood, bcast_flood: d.bcastFlood, mcast_to_unicast: d.mcastToUcast, neigh_suppress: d.neighSuppress,
  });
  if (d.groupFwdMask !== undefined) {
    o.group_fwd_mask = hex0x(d.groupFwdMask);
    o.group_fwd_mask_str = fwdMaskNames(d.groupFwdMask);
  }
  Object.assign(o, { vlan_tunnel: d.vlanTunnel, isolated: d.isolated, locked: d.locked });
  if (d.backupPort !== undefined) o.backup_port = linkName(d.backupPort);
  return o;
};

function timer(v: number | undefined): number | undefined {
  return v === undefined ? undefined : centiseconds(v);
}
