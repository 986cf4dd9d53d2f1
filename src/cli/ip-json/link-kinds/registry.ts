// The kinds whose options `ip -d -j link show` prints, by kind (info_data)
// and by port kind (info_slave_data). A kind not listed prints its kind
// only, as iproute2 does for kinds without a print_opt (veth, ifb...).
import { bondJson, bondPortJson } from './bond.js';
import { bridgeJson, bridgePortJson } from './bridge.js';
import type { KindJson } from './kind-json.js';
import { macvlanJson } from './macvlan.js';
import { tunJson } from './tun.js';
import { vlanJson } from './vlan.js';
import { vrfJson, vrfPortJson } from './vrf.js';
import { vxlanJson } from './vxlan.js';

export const kindJson: Readonly<Record<string, KindJson<never>>> = {
  bridge: bridgeJson,
  macvlan: macvlanJson,
  vxlan: vxlanJson,
  tun: tunJson,
  vlan: vlanJson,
  bond: bondJson,
  vrf: vrfJson,
};

export const portJson: Readonly<Record<string, KindJson<never>>> = {
  bridge: bridgePortJson,
  bond: bondPortJson,
  vrf: vrfPortJson,
};
