// info_data of a vlan, as iproute2 6.1's vlan_print_opt: the flags always as
// an array (upper case, in its order), the qos maps only when the kernel sent them.
import type { AttrsOut } from '../../../netlink/schema.js';
import type { vlanData } from '../../../rtnl/link-kinds/vlan.js';
import type { Json, KindJson } from './kind-json.js';

const FLAG_ORDER = ['reorder_hdr', 'gvrp', 'mvrp', 'loose_binding', 'bridge_binding'] as const;

const qos = (m: { mapping?: { from: number; to: number }[] } | undefined): Json[] =>
  (m?.mapping ?? []).map((x) => ({ from: x.from, to: x.to }));

export const vlanJson: KindJson<AttrsOut<typeof vlanData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.id === undefined) return o;
  o.protocol = d.protocol === undefined ? '802.1q' : typeof d.protocol === 'string' ? d.protocol : `0x${d.protocol.toString(16).padStart(4, '0')}`;
  o.id = d.id;
  if (d.flags) {
    const on = d.flags.flags as readonly string[];
    // Bits without a name, all in one "%x" as iproute2 prints what its table leaves.
    const rest = on.filter((f) => f.startsWith('0x')).reduce((n, f) => (n | parseInt(f, 16)) >>> 0, 0);
    o.flags = [...FLAG_ORDER.filter((f) => on.includes(f)).map((f) => f.toUpperCase()), ...(rest ? [rest.toString(16)] : [])];
  }
  if (d.ingressQos) o.ingress_qos = qos(d.ingressQos);
  if (d.egressQos) o.egress_qos = qos(d.egressQos);
  return o;
};
