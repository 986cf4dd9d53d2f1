// `type vlan ...` words (iproute2's iplink_vlan.c): flags are gathered and
// sent last as one ifla_vlan_flags.
import { matches } from '../args.js';
import { num, onOff } from '../../rtnl/words.js';
import type { Words } from '../../rtnl/words.js';
import { vlanProto } from './bridge.js';
import type { KindArgs } from './kind-args.js';

const FLAGS = ['reorder_hdr', 'gvrp', 'mvrp', 'loose_binding', 'bridge_binding'] as const;

export const vlanArgs: KindArgs = async (w) => {
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
    } else if (matches(x, 'ingress-qos-map')) data.ingressQos = qosMap(w);
    else if (matches(x, 'egress-qos-map')) data.egressQos = qosMap(w);
    else w.fail(`unknown option "${x}"`);
  }
  if (mask.length) data.flags = { flags, mask };
  return data;
};

/** FROM:TO pairs after the keyword, up to the first word that is not one. */
function qosMap(w: Words): { mapping: { from: number; to: number }[] } {
  const mapping: { from: number; to: number }[] = [];
  while (/^\d+:\d+$/.test(w.peek() ?? '')) {
    const [from, to] = w.next().split(':');
    mapping.push({ from: num(from!, 'qos map'), to: num(to!, 'qos map') });
  }
  if (!mapping.length) w.fail('a qos map needs FROM:TO pairs');
  return { mapping };
}
