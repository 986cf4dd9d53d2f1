// vrf: an L3 master device; its ports' routes go to its routing table.
import { IFLA_VRF_PORT_TABLE, IFLA_VRF_TABLE } from '../../generated/linux/if_link.js';
import { u32 } from '../../netlink/codec.js';
import { attr, attrSet } from '../../netlink/schema.js';
import { linkKind } from './kind.js';
import type { KindWords } from './kind.js';
import type { WordTable } from './word-table.js';
import { read, readTable } from './word-table.js';
import type { AttrsOut } from '../../netlink/schema.js';
import type { KindJson } from './kind.js';

export const vrfData = attrSet('vrf', {
  /** The routing table of the VRF (required when it is made). */
  table: attr(IFLA_VRF_TABLE, u32),
});

/** A port of a VRF: the table it is bound to. */
export const vrfPortData = attrSet('vrf port', {
  table: attr(IFLA_VRF_PORT_TABLE, u32),
});

// `type vrf table N` (iproute2's iplink_vrf.c).
const VRF: WordTable = [['table', 'table', read.u32('table')]];

export const vrfArgs: KindWords = async (w) => readTable(w, VRF);

// info_data of a vrf and info_slave_data of its ports, as iproute2 6.1's
// vrf_print_opt and vrf_slave_print_opt.
export const vrfJson: KindJson<AttrsOut<typeof vrfData.specs>> = (d) => ({ table: d.table });
export const vrfPortJson: KindJson<AttrsOut<typeof vrfPortData.specs>> = (d) => ({ table: d.table });

export const vrf = linkKind('vrf', {
  data: vrfData, slaveData: vrfPortData,
  words: vrfArgs, json: vrfJson,
  portWords: null, portJson: vrfPortJson,
});
