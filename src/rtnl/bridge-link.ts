// Bridge port messages: RTM_NEWLINK/RTM_SETLINK/RTM_DELLINK with family
// AF_BRIDGE, as `bridge link` and `bridge vlan` send and read them. The
// header and most attributes are a link message's; two differ: IFLA_PROTINFO
// holds the port's IFLA_BRPORT_* options (nested), and IFLA_AF_SPEC holds
// IFLA_BRIDGE_* (flags, hardware mode, VLAN entries, VLAN-to-tunnel maps)
// instead of one nest per address family, so they get a schema of their own.
import * as B from '../generated/linux/if_bridge.js';
import * as L from '../generated/linux/if_link.js';
import { ifinfomsg } from '../generated/linux/rtnetlink.js';
import { enumMap, flagsMap, mapped, struct, u16, u32 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrList, attrSet, messageSchema, nested } from '../netlink/schema.js';
import type { Decoder } from '../netlink/request.js';
import { bridgePortData } from './link-kinds/bridge.js';
import { linkAttrs, linkHeader } from './link.js';

/** BRIDGE_VLAN_INFO_* flags of a VLAN entry, as the kernel names them (lower case). */
export const bridgeVlanFlags = flagsMap('bridge vlan flag', {
  master: B.BRIDGE_VLAN_INFO_MASTER, pvid: B.BRIDGE_VLAN_INFO_PVID, untagged: B.BRIDGE_VLAN_INFO_UNTAGGED,
  range_begin: B.BRIDGE_VLAN_INFO_RANGE_BEGIN, range_end: B.BRIDGE_VLAN_INFO_RANGE_END,
  brentry: B.BRIDGE_VLAN_INFO_BRENTRY, only_opts: B.BRIDGE_VLAN_INFO_ONLY_OPTS,
});
export type BridgeVlanFlag = Exclude<ReturnType<typeof bridgeVlanFlags.decode>[number], `0x${string}`>;

/** IFLA_BRIDGE_FLAGS: whether a change is for the bridge (master, the default) or the device itself (self). */
export const bridgeTargetFlags = flagsMap('bridge flag', { master: B.BRIDGE_FLAGS_MASTER, self: B.BRIDGE_FLAGS_SELF });

/** IFLA_BRIDGE_MODE (`bridge link set ... hwmode`). */
export const bridgeHwModes = enumMap('bridge hardware mode', { veb: B.BRIDGE_MODE_VEB, vepa: B.BRIDGE_MODE_VEPA });

/** One VLAN-to-tunnel map entry (or a range's first or last), IFLA_BRIDGE_VLAN_TUNNEL_INFO. */
export const bridgeVlanTunnel = attrSet('bridge.vlanTunnel', {
  id: attr(B.IFLA_BRIDGE_VLAN_TUNNEL_ID, u32),
  vid: attr(B.IFLA_BRIDGE_VLAN_TUNNEL_VID, u16),
  flags: attr(B.IFLA_BRIDGE_VLAN_TUNNEL_FLAGS, mapped(u16, bridgeVlanFlags)),
});

export const bridgeAfSpec = attrSet('bridge.afSpec', {
  flags: attr(B.IFLA_BRIDGE_FLAGS, mapped(u16, bridgeTargetFlags)),
  mode: attr(B.IFLA_BRIDGE_MODE, mapped(u16, bridgeHwModes)),
  /** struct bridge_vlan_info: { flags, vid }, one per VLAN (or range end). */
  vlanInfo: attrList(B.IFLA_BRIDGE_VLAN_INFO, struct(B.bridge_vlan_info)),
  vlanTunnelInfo: attrList(B.IFLA_BRIDGE_VLAN_TUNNEL_INFO, nested(bridgeVlanTunnel)),
});

const { afSpec: _linkAfSpec, ...linkSpecs } = linkAttrs.specs;

/** The attributes of `bridge link` messages (a port's IFLA_* with its bridge port data), by name. */
export const bridgeLinkAttrs = attrSet('bridge.link', {
  ...linkSpecs,
  /** The port's options (IFLA_BRPORT_*): what `bridge link set` changes. */
  protinfo: attr(L.IFLA_PROTINFO, nested(bridgePortData, { nestFlag: true })),
  afSpec: attr(L.IFLA_AF_SPEC, nested(bridgeAfSpec)),
});

export const bridgeLinkMessage = messageSchema('bridge.link', ifinfomsg, linkHeader, bridgeLinkAttrs);

/** A bridge port (or a bridge itself) as an AF_BRIDGE link dump describes it. */
export interface BridgeLink extends MessageOut<typeof linkHeader, typeof bridgeLinkAttrs.specs> {}
export interface BridgeLinkMessageInput extends MessageIn<typeof linkHeader, typeof bridgeLinkAttrs.specs> {}

/** Decodes a `bridge link` message (RTM_NEWLINK of AF_BRIDGE). */
export const decodeBridgeLink: Decoder<BridgeLink> = (buf, start, length) => bridgeLinkMessage.decodeMessage(buf, start, length);
