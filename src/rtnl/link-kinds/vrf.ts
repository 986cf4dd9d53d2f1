// vrf: an L3 master device; its ports' routes go to its routing table.
import { IFLA_VRF_PORT_TABLE, IFLA_VRF_TABLE } from '../../generated/linux/if_link.js';
import { u32 } from '../../netlink/codec.js';
import { attr, attrSet } from '../../netlink/schema.js';
import { linkKind } from './kind.js';

export const vrfData = attrSet('vrf', {
  /** The routing table of the VRF (required when it is made). */
  table: attr(IFLA_VRF_TABLE, u32),
});

/** A port of a VRF: the table it is bound to. */
export const vrfPortData = attrSet('vrf port', {
  table: attr(IFLA_VRF_PORT_TABLE, u32),
});

export const vrf = linkKind('vrf', vrfData, vrfPortData);
