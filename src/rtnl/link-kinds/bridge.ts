// bridge: the bridge's own options (IFLA_BR_*) and, for the links enslaved
// to it, the port options (IFLA_BRPORT_*, IFLA_INFO_SLAVE_DATA).
//
// Times are in the kernel's clock_t units, hundredths of a second, as
// `ip link ... type bridge forward_delay 1500` counts them.
import * as B from '../../generated/linux/if_link.js';
import { BR_STATE_BLOCKING, BR_STATE_DISABLED, BR_STATE_FORWARDING, BR_STATE_LEARNING, BR_STATE_LISTENING, br_boolopt_multi } from '../../generated/linux/if_bridge.js';
import { type Codec, be16, binary, enumMap, flag, hwaddr, mapped, struct, u16, u32, u64, u8 } from '../../netlink/codec.js';
import { EncodeError } from '../../netlink/errors.js';
import { formatHw, parseHw } from '../../netlink/ip.js';
import { attr, attrSet } from '../../netlink/schema.js';
import { bool8, padding } from '../codecs.js';
import { vlanProtocols } from '../link-names.js';
import { linkKind } from './kind.js';

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

export const bridge = linkKind('bridge', bridgeData, bridgePortData);
