// The kinds whose `type KIND ...` words the CLI reads, one module each, by
// iproute2's type name. Kinds without options (ifb, dummy) need no entry.
import { bondArgs } from './bond.js';
import { bridgeArgs, bridgePortArgs } from './bridge.js';
import type { KindArgs } from './kind-args.js';
import { macvlanArgs } from './macvlan.js';
import { vethArgs } from './veth.js';
import { vlanArgs } from './vlan.js';
import { vrfArgs } from './vrf.js';
import { vxlanArgs } from './vxlan.js';

export const linkKindArgs: Readonly<Record<string, KindArgs>> = {
  veth: vethArgs,
  bridge: bridgeArgs,
  bridge_slave: bridgePortArgs,
  macvlan: macvlanArgs,
  vxlan: vxlanArgs,
  vlan: vlanArgs,
  bond: bondArgs,
  vrf: vrfArgs,
};
