// Links (RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK): the schema of a link
// message — ifinfomsg plus IFLA_* attributes — and the requests built on it.
import * as L from '../generated/linux/if_link.js';
import { ifinfomsg } from '../generated/linux/rtnetlink.js';
import { binary, hwaddr, lazy, mapped, s32, string, struct, u32, u8 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrList, attrSet, field, messageSchema, nested } from '../netlink/schema.js';
import { ifalias, ifname } from './codecs.js';
import { afSpec } from './link-af-spec.js';
import { linkInfo } from './link-info.js';
import { vfInfoList } from './link-vf.js';
import { linkFlags, linkModes, linkTypes, operStates } from './link-names.js';
import { addressFamilies } from './names.js';
import type { Decoder } from '../netlink/request.js';

/** IFLA_PROP_LIST: alternative names. */
const propList = attrSet('link.propList', {
  altNames: attrList(L.IFLA_ALT_IFNAME, string),
});

/** The attributes of link messages (IFLA_*), by name: the schema `Link` is typed by. */
export const linkAttrs = attrSet('link', {
  name: attr(L.IFLA_IFNAME, ifname),
  address: attr(L.IFLA_ADDRESS, hwaddr),
  broadcast: attr(L.IFLA_BROADCAST, hwaddr),
  mtu: attr(L.IFLA_MTU, u32),
  /** The parent link's index (the lower device of a macvlan, vxlan, vlan...). */
  link: attr(L.IFLA_LINK, s32),
  qdisc: attr(L.IFLA_QDISC, string),
  master: attr(L.IFLA_MASTER, u32),
  txqlen: attr(L.IFLA_TXQLEN, u32),
  map: attr(L.IFLA_MAP, struct(L.rtnl_link_ifmap)),
  operstate: attr(L.IFLA_OPERSTATE, mapped(u8, operStates)),
  linkmode: attr(L.IFLA_LINKMODE, mapped(u8, linkModes)),
  // Resolved on first use: link-info reaches this module again through veth's peer.
  linkinfo: attr(L.IFLA_LINKINFO, lazy('link info', () => linkInfo)),
  /** Move the link into the network namespace of this process. */
  netnsPid: attr(L.IFLA_NET_NS_PID, u32),
  alias: attr(L.IFLA_IFALIAS, ifalias),
  /** Per address family settings (IPv6 address generation mode...). */
  afSpec: attr(L.IFLA_AF_SPEC, nested(afSpec)),
  numVf: attr(L.IFLA_NUM_VF, u32),
  /** SR-IOV virtual functions (IFLA_VFINFO_LIST; src/rtnl/link-vf.ts). */
  vfinfoList: attr(L.IFLA_VFINFO_LIST, nested(vfInfoList)),
  stats64: attr(L.IFLA_STATS64, struct(L.rtnl_link_stats64)),
  group: attr(L.IFLA_GROUP, u32),
  /** Move the link into the network namespace behind this file descriptor. */
  netnsFd: attr(L.IFLA_NET_NS_FD, u32),
  extMask: attr(L.IFLA_EXT_MASK, u32),
  promiscuity: attr(L.IFLA_PROMISCUITY, u32),
  numTxQueues: attr(L.IFLA_NUM_TX_QUEUES, u32),
  numRxQueues: attr(L.IFLA_NUM_RX_QUEUES, u32),
  carrier: attr(L.IFLA_CARRIER, u8),
  physPortId: attr(L.IFLA_PHYS_PORT_ID, binary),
  carrierChanges: attr(L.IFLA_CARRIER_CHANGES, u32),
  physSwitchId: attr(L.IFLA_PHYS_SWITCH_ID, binary),
  /** The namespace id (as this namespace knows it) of the namespace the peer/parent lives in. */
  linkNetnsid: attr(L.IFLA_LINK_NETNSID, s32),
  physPortName: attr(L.IFLA_PHYS_PORT_NAME, string),
  protoDown: attr(L.IFLA_PROTO_DOWN, u8),
  gsoMaxSegs: attr(L.IFLA_GSO_MAX_SEGS, u32),
  gsoMaxSize: attr(L.IFLA_GSO_MAX_SIZE, u32),
  xdp: attr(L.IFLA_XDP, binary),
  event: attr(L.IFLA_EVENT, u32),
  newNetnsid: attr(L.IFLA_NEW_NETNSID, s32),
  targetNetnsid: attr(L.IFLA_TARGET_NETNSID, s32),
  carrierUpCount: attr(L.IFLA_CARRIER_UP_COUNT, u32),
  carrierDownCount: attr(L.IFLA_CARRIER_DOWN_COUNT, u32),
  newIfindex: attr(L.IFLA_NEW_IFINDEX, s32),
  minMtu: attr(L.IFLA_MIN_MTU, u32),
  maxMtu: attr(L.IFLA_MAX_MTU, u32),
  propList: attr(L.IFLA_PROP_LIST, nested(propList, { nestFlag: true })),
  altName: attr(L.IFLA_ALT_IFNAME, string),
  permAddress: attr(L.IFLA_PERM_ADDRESS, hwaddr),
  parentDevName: attr(L.IFLA_PARENT_DEV_NAME, string),
  parentDevBusName: attr(L.IFLA_PARENT_DEV_BUS_NAME, string),
  groMaxSize: attr(L.IFLA_GRO_MAX_SIZE, u32),
  tsoMaxSize: attr(L.IFLA_TSO_MAX_SIZE, u32),
  tsoMaxSegs: attr(L.IFLA_TSO_MAX_SEGS, u32),
  allmulti: attr(L.IFLA_ALLMULTI, u32),
});

/** The header fields of link messages (struct ifinfomsg), by name. */
export const linkHeader = {
  family: field('ifi_family', addressFamilies),
  type: field('ifi_type', linkTypes),
  index: 'ifi_index',
  flags: field('ifi_flags', linkFlags),
  /** In a change request: which flag bits to change. */
  change: field('ifi_change', linkFlags),
} as const;

export const linkMessage = messageSchema('link', ifinfomsg, linkHeader, linkAttrs);

/** A link as the kernel describes it. Absent attributes are undefined, never 0. */
export interface Link extends MessageOut<typeof linkHeader, typeof linkAttrs.specs> {}
/** What a link request may carry: any header field or attribute. */
export interface LinkInput extends MessageIn<typeof linkHeader, typeof linkAttrs.specs> {}

/** A link message payload as an attribute (a veth peer). */
export const linkPayload = {
  name: 'link',
  write(w: Parameters<typeof linkMessage.encodePayload>[0], v: LinkInput, path: string): void { linkMessage.encodePayload(w, v, path); },
  read(buf: Buffer, start: number, end: number, issues: Parameters<typeof linkMessage.decodePayload>[3]): Link {
    return linkMessage.decodePayload(buf, start, end, issues);
  },
};

/** Decodes one link message (header included). */
export const decodeLink: Decoder<Link> = (buf, start, length) => linkMessage.decodeMessage(buf, start, length);
