// vlan: an 802.1Q/802.1ad sub-interface of its parent (the link's IFLA_LINK).
import * as V from '../../generated/linux/if_link.js';
import { VLAN_FLAG_BRIDGE_BINDING, VLAN_FLAG_GVRP, VLAN_FLAG_LOOSE_BINDING, VLAN_FLAG_MVRP, VLAN_FLAG_REORDER_HDR } from '../../generated/linux/if_vlan.js';
import { type Codec, be16, flagsMap, mapped, struct, u16 } from '../../netlink/codec.js';
import { EncodeError } from '../../netlink/errors.js';
import { readInt } from '../../netlink/ints.js';
import { attr, attrList, attrSet, nested } from '../../netlink/schema.js';
import { vlanProtocols } from '../link-names.js';
import { linkKind } from './kind.js';

export const vlanFlagNames = flagsMap('vlan flag', {
  reorder_hdr: VLAN_FLAG_REORDER_HDR, gvrp: VLAN_FLAG_GVRP, loose_binding: VLAN_FLAG_LOOSE_BINDING,
  mvrp: VLAN_FLAG_MVRP, bridge_binding: VLAN_FLAG_BRIDGE_BINDING,
});
type VlanFlagList = ReturnType<typeof vlanFlagNames.decode>;
type VlanFlagInput = Parameters<typeof vlanFlagNames.encode>[0];

/** struct ifla_vlan_flags: which flags to change (mask) and their new values (flags). */
export interface VlanFlags { flags: VlanFlagList; mask: VlanFlagList }
export interface VlanFlagsInput { flags?: VlanFlagInput; mask?: VlanFlagInput }

const flagsStruct = struct(V.ifla_vlan_flags);
const vlanFlags: Codec<VlanFlags, VlanFlagsInput> = {
  name: 'vlan flags',
  write(w, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError(path, 'expected { flags, mask }');
    flagsStruct.write(w, {
      flags: v.flags === undefined ? 0 : vlanFlagNames.encode(v.flags, `${path}.flags`),
      mask: v.mask === undefined ? 0 : vlanFlagNames.encode(v.mask, `${path}.mask`),
    }, path);
  },
  read(buf, start, end, issues, path) {
    if (end - start < V.ifla_vlan_flags.size) {
      issues?.push({ path, problem: `payload of ${end - start} bytes, expected ${V.ifla_vlan_flags.size}`, offset: start });
      return undefined;
    }
    return { flags: vlanFlagNames.decode(readInt(buf, start, 'u32')), mask: vlanFlagNames.decode(readInt(buf, start + 4, 'u32')) };
  },
};

/** Priority mappings (skb priority ↔ 802.1p PCP), one struct per entry. */
const qosMap = attrSet('vlan.qos', {
  mapping: attrList(V.IFLA_VLAN_QOS_MAPPING, struct(V.ifla_vlan_qos_mapping)),
});

export const vlanData = attrSet('vlan', {
  id: attr(V.IFLA_VLAN_ID, u16),
  flags: attr(V.IFLA_VLAN_FLAGS, vlanFlags),
  egressQos: attr(V.IFLA_VLAN_EGRESS_QOS, nested(qosMap)),
  ingressQos: attr(V.IFLA_VLAN_INGRESS_QOS, nested(qosMap)),
  protocol: attr(V.IFLA_VLAN_PROTOCOL, mapped(be16, vlanProtocols)),
});

export const vlan = linkKind('vlan', vlanData);
