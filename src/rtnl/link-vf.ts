// IFLA_VFINFO_LIST: the SR-IOV virtual functions of a physical link, as the
// kernel reports them (`ip link show` with RTEXT_FILTER_VF) and as
// `ip link set dev X vf N ...` changes them. One nest per VF; each option is
// one of the kernel's ifla_vf_* structs, laid out by the generator.
import * as L from '../generated/linux/if_link.js';
import { struct, u64 } from '../netlink/codec.js';
import { attr, attrList, attrSet, nested } from '../netlink/schema.js';
import { padding } from './codecs.js';

/** IFLA_VF_STATS: a VF's counters. */
export const vfStats = attrSet('link.vf.stats', {
  rxPackets: attr(L.IFLA_VF_STATS_RX_PACKETS, u64),
  txPackets: attr(L.IFLA_VF_STATS_TX_PACKETS, u64),
  rxBytes: attr(L.IFLA_VF_STATS_RX_BYTES, u64),
  txBytes: attr(L.IFLA_VF_STATS_TX_BYTES, u64),
  broadcast: attr(L.IFLA_VF_STATS_BROADCAST, u64),
  multicast: attr(L.IFLA_VF_STATS_MULTICAST, u64),
  pad: attr(L.IFLA_VF_STATS_PAD, padding),
  rxDropped: attr(L.IFLA_VF_STATS_RX_DROPPED, u64),
  txDropped: attr(L.IFLA_VF_STATS_TX_DROPPED, u64),
});

/** IFLA_VF_VLAN_LIST: the VLANs (with protocol) a VF's traffic is tagged with. */
export const vfVlanList = attrSet('link.vf.vlanList', {
  info: attrList(L.IFLA_VF_VLAN_INFO, struct(L.ifla_vf_vlan_info)),
});

/** IFLA_VF_INFO: one VF. Every struct carries the VF's number (`vf`). */
export const vfInfo = attrSet('link.vf', {
  /** The VF's MAC address: `mac` holds its bytes (6 for Ethernet, up to 32). */
  mac: attr(L.IFLA_VF_MAC, struct(L.ifla_vf_mac)),
  /** VLAN and priority (802.1Q); see vlanList for another protocol. */
  vlan: attr(L.IFLA_VF_VLAN, struct(L.ifla_vf_vlan)),
  /** The legacy rate limit, Mbit/s. */
  txRate: attr(L.IFLA_VF_TX_RATE, struct(L.ifla_vf_tx_rate)),
  /** setting 1/0; 0xffffffff: the driver does not support it. */
  spoofchk: attr(L.IFLA_VF_SPOOFCHK, struct(L.ifla_vf_spoofchk)),
  /** link_state: IFLA_VF_LINK_STATE_AUTO, _ENABLE or _DISABLE. */
  linkState: attr(L.IFLA_VF_LINK_STATE, struct(L.ifla_vf_link_state)),
  /** Minimum and maximum rate, Mbit/s. */
  rate: attr(L.IFLA_VF_RATE, struct(L.ifla_vf_rate)),
  rssQueryEn: attr(L.IFLA_VF_RSS_QUERY_EN, struct(L.ifla_vf_rss_query_en)),
  stats: attr(L.IFLA_VF_STATS, nested(vfStats)),
  trust: attr(L.IFLA_VF_TRUST, struct(L.ifla_vf_trust)),
  ibNodeGuid: attr(L.IFLA_VF_IB_NODE_GUID, struct(L.ifla_vf_guid)),
  ibPortGuid: attr(L.IFLA_VF_IB_PORT_GUID, struct(L.ifla_vf_guid)),
  vlanList: attr(L.IFLA_VF_VLAN_LIST, nested(vfVlanList)),
  broadcast: attr(L.IFLA_VF_BROADCAST, struct(L.ifla_vf_broadcast)),
});

export const vfInfoList = attrSet('link.vfinfoList', {
  info: attrList(L.IFLA_VF_INFO, nested(vfInfo)),
});
