// bridge: the bridge's own options (IFLA_BR_*) and, for the links enslaved
// to it, the port options (IFLA_BRPORT_*, IFLA_INFO_SLAVE_DATA).
//
// Times are in the kernel's clock_t units, hundredths of a second, as
// `ip link ... type bridge forward_delay 1500` counts them.
import * as B from '../../generated/linux/if_link.js';
import { BR_BOOLOPT_MCAST_VLAN_SNOOPING, BR_BOOLOPT_NO_LL_LEARN, BR_STATE_BLOCKING, BR_STATE_DISABLED, BR_STATE_FORWARDING, BR_STATE_LEARNING, BR_STATE_LISTENING, br_boolopt_multi } from '../../generated/linux/if_bridge.js';
import { type Codec, be16, binary, enumMap, flag, hwaddr, mapped, struct, u16, u32, u64, u8 } from '../../netlink/codec.js';
import { EncodeError } from '../../netlink/errors.js';
import { formatHw, parseHw } from '../../netlink/ip.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { bool8, padding } from '../codecs.js';
import { vlanProtocols } from '../link-names.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { UsageError, type Words, num } from '../words.js';
import { type WordTable, read, readTable } from './word-table.js';
import { centiseconds, hex0x } from '../json-values.js';

/** A bridge id (struct ifla_bridge_id) as iproute2 prints it: priority in hex, a dot, the MAC: '8000.aa:bb:cc:dd:ee:ff'. */
export const bridgeId: Codec<string> = {
  name: 'bridge id',
  write(w, v, path) {
    const m = typeof v === 'string' ? /^([0-9a-f]{4})\.(.+)$/i.exec(v) : null;
    if (!m) throw new EncodeError(path, `expected a bridge id like 8000.aa:bb:cc:dd:ee:ff, got ${JSON.stringify(v)}`);
    const addr = parseHw(m[2]!, path);
    if (addr.length !== 6) throw new EncodeError(path, 'a bridge id holds a 6-byte MAC address');
    w.bytes(Buffer.from(m[1]!, 'hex'));
    w.bytes(addr);
  },
  read(buf, start, end, issues, path) {
    if (end - start < 8) {
      issues?.push({ path, problem: `payload of ${end - start} bytes, expected 8`, offset: start });
      return undefined;
    }
    return `${buf.toString('hex', start, start + 2)}.${formatHw(buf, start + 2, 6)}`;
  },
};

export const bridgeData = attrSet('bridge', {
  forwardDelay: attr(B.IFLA_BR_FORWARD_DELAY, u32),
  helloTime: attr(B.IFLA_BR_HELLO_TIME, u32),
  maxAge: attr(B.IFLA_BR_MAX_AGE, u32),
  ageingTime: attr(B.IFLA_BR_AGEING_TIME, u32),
  /** 0 off, 1 kernel STP, 2 user-space STP. */
  stpState: attr(B.IFLA_BR_STP_STATE, u32),
  priority: attr(B.IFLA_BR_PRIORITY, u16),
  vlanFiltering: attr(B.IFLA_BR_VLAN_FILTERING, bool8),
  vlanProtocol: attr(B.IFLA_BR_VLAN_PROTOCOL, mapped(be16, vlanProtocols)),
  groupFwdMask: attr(B.IFLA_BR_GROUP_FWD_MASK, u16),
  rootId: attr(B.IFLA_BR_ROOT_ID, bridgeId),
  bridgeId: attr(B.IFLA_BR_BRIDGE_ID, bridgeId),
  rootPort: attr(B.IFLA_BR_ROOT_PORT, u16),
  rootPathCost: attr(B.IFLA_BR_ROOT_PATH_COST, u32),
  topologyChange: attr(B.IFLA_BR_TOPOLOGY_CHANGE, u8),
  topologyChangeDetected: attr(B.IFLA_BR_TOPOLOGY_CHANGE_DETECTED, u8),
  helloTimer: attr(B.IFLA_BR_HELLO_TIMER, u64),
  tcnTimer: attr(B.IFLA_BR_TCN_TIMER, u64),
  topologyChangeTimer: attr(B.IFLA_BR_TOPOLOGY_CHANGE_TIMER, u64),
  gcTimer: attr(B.IFLA_BR_GC_TIMER, u64),
  groupAddr: attr(B.IFLA_BR_GROUP_ADDR, hwaddr),
  /** Flush the forwarding database (a request only). */
  fdbFlush: attr(B.IFLA_BR_FDB_FLUSH, flag),
  mcastRouter: attr(B.IFLA_BR_MCAST_ROUTER, u8),
  mcastSnooping: attr(B.IFLA_BR_MCAST_SNOOPING, bool8),
  mcastQueryUseIfaddr: attr(B.IFLA_BR_MCAST_QUERY_USE_IFADDR, bool8),
  mcastQuerier: attr(B.IFLA_BR_MCAST_QUERIER, bool8),
  mcastHashElasticity: attr(B.IFLA_BR_MCAST_HASH_ELASTICITY, u32),
  mcastHashMax: attr(B.IFLA_BR_MCAST_HASH_MAX, u32),
  mcastLastMemberCnt: attr(B.IFLA_BR_MCAST_LAST_MEMBER_CNT, u32),
  mcastStartupQueryCnt: attr(B.IFLA_BR_MCAST_STARTUP_QUERY_CNT, u32),
  mcastLastMemberIntvl: attr(B.IFLA_BR_MCAST_LAST_MEMBER_INTVL, u64),
  mcastMembershipIntvl: attr(B.IFLA_BR_MCAST_MEMBERSHIP_INTVL, u64),
  mcastQuerierIntvl: attr(B.IFLA_BR_MCAST_QUERIER_INTVL, u64),
  mcastQueryIntvl: attr(B.IFLA_BR_MCAST_QUERY_INTVL, u64),
  mcastQueryResponseIntvl: attr(B.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, u64),
  mcastStartupQueryIntvl: attr(B.IFLA_BR_MCAST_STARTUP_QUERY_INTVL, u64),
  nfCallIptables: attr(B.IFLA_BR_NF_CALL_IPTABLES, bool8),
  nfCallIp6tables: attr(B.IFLA_BR_NF_CALL_IP6TABLES, bool8),
  nfCallArptables: attr(B.IFLA_BR_NF_CALL_ARPTABLES, bool8),
  vlanDefaultPvid: attr(B.IFLA_BR_VLAN_DEFAULT_PVID, u16),
  pad: attr(B.IFLA_BR_PAD, padding),
  vlanStatsEnabled: attr(B.IFLA_BR_VLAN_STATS_ENABLED, bool8),
  mcastStatsEnabled: attr(B.IFLA_BR_MCAST_STATS_ENABLED, bool8),
  mcastIgmpVersion: attr(B.IFLA_BR_MCAST_IGMP_VERSION, u8),
  mcastMldVersion: attr(B.IFLA_BR_MCAST_MLD_VERSION, u8),
  vlanStatsPerPort: attr(B.IFLA_BR_VLAN_STATS_PER_PORT, bool8),
  /** Bit options by BR_BOOLOPT_* number: optval holds the values of the bits set in optmask. */
  multiBoolopt: attr(B.IFLA_BR_MULTI_BOOLOPT, struct(br_boolopt_multi)),
  mcastQuerierState: attr(B.IFLA_BR_MCAST_QUERIER_STATE, binary),
});

/** IFLA_BRPORT_STATE, named as iproute2 names them. */
export const bridgePortStates = enumMap('bridge port state', {
  disabled: BR_STATE_DISABLED, listening: BR_STATE_LISTENING, learning: BR_STATE_LEARNING,
  forwarding: BR_STATE_FORWARDING, blocking: BR_STATE_BLOCKING,
});

/** A bridge port's options (IFLA_BRPORT_*), by name: the port data of a bridge's ports. */
export const bridgePortData = attrSet('bridge port', {
  state: attr(B.IFLA_BRPORT_STATE, mapped(u8, bridgePortStates)),
  priority: attr(B.IFLA_BRPORT_PRIORITY, u16),
  cost: attr(B.IFLA_BRPORT_COST, u32),
  /** Hairpin mode (IFLA_BRPORT_MODE). */
  hairpin: attr(B.IFLA_BRPORT_MODE, bool8),
  /** BPDU guard. */
  guard: attr(B.IFLA_BRPORT_GUARD, bool8),
  /** Root port protection (IFLA_BRPORT_PROTECT, iproute2's root_block). */
  rootBlock: attr(B.IFLA_BRPORT_PROTECT, bool8),
  fastLeave: attr(B.IFLA_BRPORT_FAST_LEAVE, bool8),
  learning: attr(B.IFLA_BRPORT_LEARNING, bool8),
  /** Flood unknown unicast (iproute2's flood). */
  unicastFlood: attr(B.IFLA_BRPORT_UNICAST_FLOOD, bool8),
  proxyarp: attr(B.IFLA_BRPORT_PROXYARP, bool8),
  learningSync: attr(B.IFLA_BRPORT_LEARNING_SYNC, bool8),
  proxyarpWifi: attr(B.IFLA_BRPORT_PROXYARP_WIFI, bool8),
  rootId: attr(B.IFLA_BRPORT_ROOT_ID, bridgeId),
  bridgeId: attr(B.IFLA_BRPORT_BRIDGE_ID, bridgeId),
  designatedPort: attr(B.IFLA_BRPORT_DESIGNATED_PORT, u16),
  designatedCost: attr(B.IFLA_BRPORT_DESIGNATED_COST, u16),
  id: attr(B.IFLA_BRPORT_ID, u16),
  no: attr(B.IFLA_BRPORT_NO, u16),
  topologyChangeAck: attr(B.IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, u8),
  configPending: attr(B.IFLA_BRPORT_CONFIG_PENDING, u8),
  messageAgeTimer: attr(B.IFLA_BRPORT_MESSAGE_AGE_TIMER, u64),
  forwardDelayTimer: attr(B.IFLA_BRPORT_FORWARD_DELAY_TIMER, u64),
  holdTimer: attr(B.IFLA_BRPORT_HOLD_TIMER, u64),
  /** Flush this port's forwarding entries (a request only). */
  flush: attr(B.IFLA_BRPORT_FLUSH, flag),
  multicastRouter: attr(B.IFLA_BRPORT_MULTICAST_ROUTER, u8),
  pad: attr(B.IFLA_BRPORT_PAD, padding),
  mcastFlood: attr(B.IFLA_BRPORT_MCAST_FLOOD, bool8),
  mcastToUcast: attr(B.IFLA_BRPORT_MCAST_TO_UCAST, bool8),
  vlanTunnel: attr(B.IFLA_BRPORT_VLAN_TUNNEL, bool8),
  bcastFlood: attr(B.IFLA_BRPORT_BCAST_FLOOD, bool8),
  groupFwdMask: attr(B.IFLA_BRPORT_GROUP_FWD_MASK, u16),
  neighSuppress: attr(B.IFLA_BRPORT_NEIGH_SUPPRESS, bool8),
  isolated: attr(B.IFLA_BRPORT_ISOLATED, bool8),
  backupPort: attr(B.IFLA_BRPORT_BACKUP_PORT, u32),
  mrpRingOpen: attr(B.IFLA_BRPORT_MRP_RING_OPEN, bool8),
  mrpInOpen: attr(B.IFLA_BRPORT_MRP_IN_OPEN, bool8),
  mcastEhtHostsLimit: attr(B.IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, u32),
  mcastEhtHostsCnt: attr(B.IFLA_BRPORT_MCAST_EHT_HOSTS_CNT, u32),
  locked: attr(B.IFLA_BRPORT_LOCKED, bool8),
});

// `type bridge ...` and `type bridge_slave ...` words (iproute2's
// iplink_bridge.c and iplink_bridge_slave.c), attribute by attribute.
/** ll_proto_a2n for the two tag protocols. */
export function vlanProto(v: string): string {
  const l = v.toLowerCase();
  if (l === '802.1q') return '802.1Q';
  if (l === '802.1ad') return '802.1ad';
  throw new UsageError(`invalid vlan protocol "${v}" (802.1Q or 802.1ad)`);
}

const BRIDGE: WordTable = [
  ['forward_delay', 'forwardDelay', read.u32('forward_delay')],
  ['hello_time', 'helloTime', read.u32('hello_time')],
  ['max_age', 'maxAge', read.u32('max_age')],
  ['ageing_time', 'ageingTime', read.u32('ageing_time')],
  ['stp_state', 'stpState', read.u32('stp_state')],
  ['priority', 'priority', read.u16('priority')],
  ['vlan_filtering', 'vlanFiltering', read.u8('vlan_filtering')],
  ['vlan_protocol', 'vlanProtocol', (x, w) => vlanProto(w.value(x))],
  ['group_fwd_mask', 'groupFwdMask', read.u16('group_fwd_mask')],
  ['group_address', 'groupAddr', read.text()],
  ['fdb_flush', 'fdbFlush', read.present()],
  ['vlan_default_pvid', 'vlanDefaultPvid', read.u16('vlan_default_pvid')],
  ['vlan_stats_enabled', 'vlanStatsEnabled', read.u8('vlan_stats_enabled')],
  ['vlan_stats_per_port', 'vlanStatsPerPort', read.u8('vlan_stats_per_port')],
  ['mcast_router', 'mcastRouter', read.u8('mcast_router')],
  ['mcast_snooping', 'mcastSnooping', read.u8('mcast_snooping')],
  ['mcast_query_use_ifaddr', 'mcastQueryUseIfaddr', read.u8('mcast_query_use_ifaddr')],
  ['mcast_querier', 'mcastQuerier', read.u8('mcast_querier')],
  ['mcast_hash_elasticity', 'mcastHashElasticity', read.u32('mcast_hash_elasticity')],
  ['mcast_hash_max', 'mcastHashMax', read.u32('mcast_hash_max')],
  ['mcast_last_member_count', 'mcastLastMemberCnt', read.u32('mcast_last_member_count')],
  ['mcast_startup_query_count', 'mcastStartupQueryCnt', read.u32('mcast_startup_query_count')],
  ['mcast_last_member_interval', 'mcastLastMemberIntvl', read.u64('mcast_last_member_interval')],
  ['mcast_membership_interval', 'mcastMembershipIntvl', read.u64('mcast_membership_interval')],
  ['mcast_querier_interval', 'mcastQuerierIntvl', read.u64('mcast_querier_interval')],
  ['mcast_query_interval', 'mcastQueryIntvl', read.u64('mcast_query_interval')],
  ['mcast_query_response_interval', 'mcastQueryResponseIntvl', read.u64('mcast_query_response_interval')],
  ['mcast_startup_query_interval', 'mcastStartupQueryIntvl', read.u64('mcast_startup_query_interval')],
  ['mcast_stats_enabled', 'mcastStatsEnabled', read.u8('mcast_stats_enabled')],
  ['mcast_igmp_version', 'mcastIgmpVersion', read.u8('mcast_igmp_version')],
  ['mcast_mld_version', 'mcastMldVersion', read.u8('mcast_mld_version')],
  ['nf_call_iptables', 'nfCallIptables', read.u8('nf_call_iptables')],
  ['nf_call_ip6tables', 'nfCallIp6tables', read.u8('nf_call_ip6tables')],
  ['nf_call_arptables', 'nfCallArptables', read.u8('nf_call_arptables')],
];

export const bridgeWords: KindWords = async (w) => {
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
  ['fdb_flush', 'flush', read.present()],
  ['state', 'state', read.u8('state')],
  ['priority', 'priority', read.u16('priority')],
  ['cost', 'cost', read.u32('cost')],
  ['hairpin', 'hairpin', read.onoff('hairpin')],
  ['guard', 'guard', read.onoff('guard')],
  ['root_block', 'rootBlock', read.onoff('root_block')],
  ['fastleave', 'fastLeave', read.onoff('fastleave')],
  ['learning', 'learning', read.onoff('learning')],
  ['flood', 'unicastFlood', read.onoff('flood')],
  ['mcast_flood', 'mcastFlood', read.onoff('mcast_flood')],
  ['bcast_flood', 'bcastFlood', read.onoff('bcast_flood')],
  ['mcast_to_unicast', 'mcastToUcast', read.onoff('mcast_to_unicast')],
  ['proxy_arp', 'proxyarp', read.onoff('proxy_arp')],
  ['proxy_arp_wifi', 'proxyarpWifi', read.onoff('proxy_arp_wifi')],
  ['mcast_router', 'multicastRouter', read.u8('mcast_router')],
  ['mcast_fast_leave', 'fastLeave', read.onoff('mcast_fast_leave')],
  ['neigh_suppress', 'neighSuppress', read.onoff('neigh_suppress')],
  ['group_fwd_mask', 'groupFwdMask', read.u16('group_fwd_mask')],
  ['vlan_tunnel', 'vlanTunnel', read.onoff('vlan_tunnel')],
  ['isolated', 'isolated', read.onoff('isolated')],
  ['locked', 'locked', read.onoff('locked')],
  ['nobackup_port', 'backupPort', () => 0],
];

export const bridgePortWords: KindWords = async (w, ctx) => {
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

// `ip -d -j` info_data of a bridge and info_slave_data of its ports, in the
// keys and order of iproute2 6.1's bridge_print_opt and bridge_slave_print_opt.
type Bridge = AttrsOut<typeof bridgeData.specs>;
type Port = AttrsOut<typeof bridgePortData.specs>;

const asNumber = (v: boolean | number | undefined): number | undefined => (typeof v === 'boolean' ? Number(v) : v);

/** br_dump_bridge_id(): the MAC's bytes without leading zeros ("8000.2:0:0:0:0:1"). */
const brId = (id: string | undefined): string | undefined => id?.replace(/(^|[.:])0([0-9a-f])(?=:|$)/g, '$1$2');

export const bridgeJson: KindJson<Bridge> = (d) => {
  const o: Record<string, Json | undefined> = {
    forward_delay: d.forwardDelay, hello_time: d.helloTime, max_age: d.maxAge, ageing_time: d.ageingTime,
    stp_state: d.stpState, priority: d.priority, vlan_filtering: asNumber(d.vlanFiltering),
    vlan_protocol: d.vlanProtocol === undefined ? undefined : String(d.vlanProtocol),
    bridge_id: brId(d.bridgeId),
    // iproute2 6.1 prints the bridge id under root_id too.
    root_id: d.rootId === undefined ? undefined : brId(d.bridgeId),
    root_port: d.rootPort, root_path_cost: d.rootPathCost,
    topology_change: d.topologyChange, topology_change_detected: d.topologyChangeDetected,
    hello_timer: timer(d.helloTimer), tcn_timer: timer(d.tcnTimer),
    topology_change_timer: timer(d.topologyChangeTimer), gc_timer: timer(d.gcTimer),
    vlan_default_pvid: d.vlanDefaultPvid, vlan_stats_enabled: asNumber(d.vlanStatsEnabled),
    vlan_stats_per_port: asNumber(d.vlanStatsPerPort),
    group_fwd_mask: d.groupFwdMask === undefined ? undefined : hex0x(d.groupFwdMask),
    group_addr: d.groupAddr, mcast_snooping: asNumber(d.mcastSnooping),
  };
  const bm = d.multiBoolopt;
  if (bm) {
    const bit = (b: number): number | undefined => (bm.optmask & (1 << b) ? Number((bm.optval & (1 << b)) !== 0) : undefined);
    o.no_linklocal_learn = bit(BR_BOOLOPT_NO_LL_LEARN);
    o.mcast_vlan_snooping = bit(BR_BOOLOPT_MCAST_VLAN_SNOOPING);
  }
  Object.assign(o, {
    mcast_router: d.mcastRouter, mcast_query_use_ifaddr: asNumber(d.mcastQueryUseIfaddr), mcast_querier: asNumber(d.mcastQuerier),
    mcast_hash_elasticity: d.mcastHashElasticity, mcast_hash_max: d.mcastHashMax,
    mcast_last_member_cnt: d.mcastLastMemberCnt, mcast_startup_query_cnt: d.mcastStartupQueryCnt,
    mcast_last_member_intvl: d.mcastLastMemberIntvl, mcast_membership_intvl: d.mcastMembershipIntvl,
    mcast_querier_intvl: d.mcastQuerierIntvl, mcast_query_intvl: d.mcastQueryIntvl,
    mcast_query_response_intvl: d.mcastQueryResponseIntvl, mcast_startup_query_intvl: d.mcastStartupQueryIntvl,
    mcast_stats_enabled: asNumber(d.mcastStatsEnabled), mcast_igmp_version: d.mcastIgmpVersion, mcast_mld_version: d.mcastMldVersion,
    nf_call_iptables: asNumber(d.nfCallIptables), nf_call_ip6tables: asNumber(d.nfCallIp6tables), nf_call_arptables: asNumber(d.nfCallArptables),
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

export const bridge = linkKind('bridge', {
  data: bridgeData, slaveData: bridgePortData,
  words: bridgeWords, json: bridgeJson,
  portWords: bridgePortWords, portJson: bridgePortJson,
});
