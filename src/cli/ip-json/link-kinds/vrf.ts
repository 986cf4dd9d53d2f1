// info_data of a vrf and info_slave_data of its ports, as iproute2 6.1's
// vrf_print_opt and vrf_slave_print_opt.
import type { AttrsOut } from '../../../netlink/schema.js';
import type { vrfData, vrfPortData } from '../../../rtnl/link-kinds/vrf.js';
import type { KindJson } from './kind-json.js';

export const vrfJson: KindJson<AttrsOut<typeof vrfData.specs>> = (d) => ({ table: d.table });
export const vrfPortJson: KindJson<AttrsOut<typeof vrfPortData.specs>> = (d) => ({ table: d.table });
