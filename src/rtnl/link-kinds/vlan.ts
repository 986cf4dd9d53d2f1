// vlan: an 802.1Q/802.1ad sub-interface of its parent (the link's IFLA_LINK).
import * as V from '../../generated/linux/if_link.js';
import { VLAN_FLAG_BRIDGE_BINDING, VLAN_FLAG_GVRP, VLAN_FLAG_LOOSE_BINDING, VLAN_FLAG_MVRP, VLAN_FLAG_REORDER_HDR } from '../../generated/linux/if_vlan.js';
import { type Codec, be16, flagsMap, mapped, struct, u16 } from '../../netlink/codec.js';
import { EncodeError } from '../../netlink/errors.js';
import { readInt } from '../../netlink/ints.js';
import { type AttrsOut, attr, attrList, attrSet, nested } from '../../netlink/schema.js';
import { vlanProtocols } from '../link-names.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { type Words, matches, num, onOff } from '../words.js';
import { vlanProto } from './bridge.js';

/** VLAN flags (VLAN_FLAG_*) by name. */
export const vlanFlagNames = flagsMap('vlan flag', {
  reorder_hdr: VLAN_FLAG_REORDER_HDR, gvrp: VLAN_FLAG_GVRP, loose_binding: VLAN_FLAG_LOOSE_BINDING,
  mvrp: VLAN_FLAG_MVRP, bridge_binding: VLAN_FLAG_BRIDGE_BINDING,
});
/** VLAN flags as decoded, by name. */
export type VlanFlagList = ReturnType<typeof vlanFlagNames.decode>;
/** VLAN flags as given, by name. */
export type VlanFlagInput = Parameters<typeof vlanFlagNames.encode>[0];

/** struct ifla_vlan_flags: which flags to change (mask) and their new values (flags). */
export interface VlanFlags { flags: VlanFlagList; mask: VlanFlagList }
/** VLAN flags to set, and which of them (the mask). */
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

// `type vlan ...` words (iproute2's iplink_vlan.c): flags are gathered and
// sent last as one ifla_vlan_flags.
const FLAGS = ['reorder_hdr', 'gvrp', 'mvrp', 'loose_binding', 'bridge_binding'] as const;

export const vlanWords: KindWords = async (w) => {
  const data: Record<string, unknown> = {};
  const flags: string[] = [];
  const mask: string[] = [];
  while (!w.done) {
    const x = w.next();
    const flag = FLAGS.find((f) => matches(x, f));
    if (matches(x, 'protocol')) data.protocol = vlanProto(w.value(x));
    else if (matches(x, 'id')) data.id = num(w.value(x), 'id', 'u16');
    else if (flag) {
      if (!mask.includes(flag)) mask.push(flag);
      const on = onOff(w.value(x), flag);
      if (on && !flags.includes(flag)) flags.push(flag);
      if (!on && flags.includes(flag)) flags.splice(flags.indexOf(flag), 1);
    } else if (matches(x, 'ingress-qos-map')) data.ingressQos = qosMapWords(w);
    else if (matches(x, 'egress-qos-map')) data.egressQos = qosMapWords(w);
    else w.fail(`unknown option "${x}"`);
  }
  if (mask.length) data.flags = { flags, mask };
  return data;
};

/** FROM:TO pairs after the keyword, up to the first word that is not one. */
function qosMapWords(w: Words): { mapping: { from: number; to: number }[] } {
  const mapping: { from: number; to: number }[] = [];
  while (/^\d+:\d+$/.test(w.peek() ?? '')) {
    const [from, to] = w.next().split(':');
    mapping.push({ from: num(from!, 'qos map'), to: num(to!, 'qos map') });
  }
  if (!mapping.length) w.fail('a qos map needs FROM:TO pairs');
  return { mapping };
}

// info_data of a vlan, as iproute2 6.1's vlan_print_opt: the flags always as
// an array (upper case, in its order), the qos maps only when the kernel sent them.
const FLAG_ORDER = ['reorder_hdr', 'gvrp', 'mvrp', 'loose_binding', 'bridge_binding'] as const;

const qos = (m: { mapping?: { from: number; to: number }[] } | undefined): Json[] =>
  (m?.mapping ?? []).map((x) => ({ from: x.from, to: x.to }));

export const vlanJson: KindJson<AttrsOut<typeof vlanData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.id === undefined) return o;
  o.protocol = d.protocol === undefined ? '802.1q' : typeof d.protocol === 'string' ? d.protocol : `0x${d.protocol.toString(16).padStart(4, '0')}`;
  o.id = d.id;
  if (d.flags) {
    const on: readonly string[] = d.flags.flags;
    // Bits without a name, all in one "%x" as iproute2 prints what its table leaves.
    const rest = on.filter((f) => f.startsWith('0x')).reduce((n, f) => (n | parseInt(f, 16)) >>> 0, 0);
    o.flags = [...FLAG_ORDER.filter((f) => on.includes(f)).map((f) => f.toUpperCase()), ...(rest ? [rest.toString(16)] : [])];
  }
  if (d.ingressQos) o.ingress_qos = qos(d.ingressQos);
  if (d.egressQos) o.egress_qos = qos(d.egressQos);
  return o;
};

export const vlan = linkKind('vlan', { data: vlanData, words: vlanWords, json: vlanJson });
