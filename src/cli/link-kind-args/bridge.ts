// `type bridge ...` and `type bridge_slave ...` words (iproute2's
// iplink_bridge.c and iplink_bridge_slave.c), attribute by attribute.
import { BR_BOOLOPT_MCAST_VLAN_SNOOPING, BR_BOOLOPT_NO_LL_LEARN } from '../../generated/linux/if_bridge.js';
import { UsageError } from '../args.js';
import { num } from '../../rtnl/words.js';
import type { Words } from '../../rtnl/words.js';
import type { KindArgs, WordTable } from './kind-args.js';
import { onoff, present, readTable, text, u16, u32, u64, u8 } from './table.js';

/** ll_proto_a2n for the two tag protocols. */
export function vlanProto(v: string): string {
  const l = v.toLowerCase();
  if (l === '802.1q') return '802.1Q';
  if (l === '802.1ad') return '802.1ad';
  throw new UsageError(`invalid vlan protocol "${v}" (802.1Q or 802.1ad)`);
}

const BRIDGE: WordTable = [
  ['forward_delay', 'forwardDelay', u32('forward_delay')],
  ['hello_time', 'helloTime', u32('hello_time')],
  ['max_age', 'maxAge', u32('max_age')],
  ['ageing_time', 'ageingTime', u32('ageing_time')],
  ['stp_state', 'stpState', u32('stp_state')],
  ['priority', 'priority', u16('priority')],
  ['vlan_filtering', 'vlanFiltering', u8('vlan_filtering')],
  ['vlan_protocol', 'vlanProtocol', (x, w) => vlanProto(w.value(x))],
  ['group_fwd_mask', 'groupFwdMask', u16('group_fwd_mask')],
  ['group_address', 'groupAddr', text()],
  ['fdb_flush', 'fdbFlush', present()],
  ['vlan_default_pvid', 'vlanDefaultPvid', u16('vlan_default_pvid')],
  ['vlan_stats_enabled', 'vlanStatsEnabled', u8('vlan_stats_enabled')],
  ['vlan_stats_per_port', 'vlanStatsPerPort', u8('vlan_stats_per_port')],
  ['mcast_router', 'mcastRouter', u8('mcast_router')],
  ['mcast_snooping', 'mcastSnooping', u8('mcast_snooping')],
  ['mcast_query_use_ifaddr', 'mcastQueryUseIfaddr', u8('mcast_query_use_ifaddr')],
  ['mcast_querier', 'mcastQuerier', u8('mcast_querier')],
  ['mcast_hash_elasticity', 'mcastHashElasticity', u32('mcast_hash_elasticity')],
  ['mcast_hash_max', 'mcastHashMax', u32('mcast_hash_max')],
  ['mcast_last_member_count', 'mcastLastMemberCnt', u32('mcast_last_member_count')],
  ['mcast_startup_query_count', 'mcastStartupQueryCnt', u32('mcast_startup_query_count')],
  ['mcast_last_member_interval', 'mcastLastMemberIntvl', u64('mcast_last_member_interval')],
  ['mcast_membership_interval', 'mcastMembershipIntvl', u64('mcast_membership_interval')],
  ['mcast_querier_interval', 'mcastQuerierIntvl', u64('mcast_querier_interval')],
  ['mcast_query_interval', 'mcastQueryIntvl', u64('mcast_query_interval')],
  ['mcast_query_response_interval', 'mcastQueryResponseIntvl', u64('mcast_query_response_interval')],
  ['mcast_startup_query_interval', 'mcastStartupQueryIntvl', u64('mcast_startup_query_interval')],
  ['mcast_stats_enabled', 'mcastStatsEnabled', u8('mcast_stats_enabled')],
  ['mcast_igmp_version', 'mcastIgmpVersion', u8('mcast_igmp_version')],
  ['mcast_mld_version', 'mcastMldVersion', u8('mcast_mld_version')],
  ['nf_call_iptables', 'nfCallIptables', u8('nf_call_iptables')],
  ['nf_call_ip6tables', 'nfCallIp6tables', u8('nf_call_ip6tables')],
  ['nf_call_arptables', 'nfCallArptables', u8('nf_call_arptables')],
];

export const bridgeArgs: KindArgs = async (w) => {
  let optval = 0;
  let optmask = 0;
  const boolopt = (word: string, x: Words): boolean => {
    const bit = word === 'no_linklocal_learn' ? BR_BOOLOPT_NO_LL_LEARN : word === 'mcast_vlan_snooping' ? BR_BOOLOPT_MCAST_VLAN_SNOOPING : undefined;
    if (bit === undefined) return false;
    optmask |= 1 << bit;
    if (num(x.value(word), word, 'u8')) optval |= 1 << bit;
    else optval &= ~(1 << bit);
    return true;
  };
  const data = readTable(w, BRIDGE, {}, boolopt);
  if (optmask) data.multiBoolopt = { optval, optmask };
  return data;
};

const BRIDGE_PORT: WordTable = [
  ['fdb_flush', 'flush', present()],
  ['state', 'state', u8('state')],
  ['priority', 'priority', u16('priority')],
  ['cost', 'cost', u32('cost')],
  ['hairpin', 'hairpin', onoff('hairpin')],
  ['guard', 'guard', onoff('guard')],
  ['root_block', 'rootBlock', onoff('root_block')],
  ['fastleave', 'fastLeave', onoff('fastleave')],
  ['learning', 'learning', onoff('learning')],
  ['flood', 'unicastFlood', onoff('flood')],
  ['mcast_flood', 'mcastFlood', onoff('mcast_flood')],
  ['bcast_flood', 'bcastFlood', onoff('bcast_flood')],
  ['mcast_to_unicast', 'mcastToUcast', onoff('mcast_to_unicast')],
  ['proxy_arp', 'proxyarp', onoff('proxy_arp')],
  ['proxy_arp_wifi', 'proxyarpWifi', onoff('proxy_arp_wifi')],
  ['mcast_router', 'multicastRouter', u8('mcast_router')],
  ['mcast_fast_leave', 'fastLeave', onoff('mcast_fast_leave')],
  ['neigh_suppress', 'neighSuppress', onoff('neigh_suppress')],
  ['group_fwd_mask', 'groupFwdMask', u16('group_fwd_mask')],
  ['vlan_tunnel', 'vlanTunnel', onoff('vlan_tunnel')],
  ['isolated', 'isolated', onoff('isolated')],
  ['locked', 'locked', onoff('locked')],
  ['nobackup_port', 'backupPort', () => 0],
];

export const bridgePortArgs: KindArgs = async (w, ctx) => {
  const data: Record<string, unknown> = {};
  readTable(w, BRIDGE_PORT, data, (word, x) => {
    if (!'backup_port'.startsWith(word)) return false;
    data.backupPort = x.value(word);
    return true;
  });
  // backup_port names a link: its index goes in the attribute's place.
  if (typeof data.backupPort === 'string') data.backupPort = await ctx.index(data.backupPort);
  return data;
};
