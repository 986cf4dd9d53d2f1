// vrf: an L3 master device; its ports' routes go to its routing table. The
// whole kind is this module: its schema, the words of `ip link add ... type
// vrf` and how `ip -d -j link show` prints it (docs/architecture.md, "Kinds").
import { IFLA_VRF_PORT_TABLE, IFLA_VRF_TABLE } from '../../generated/linux/if_link.js';
import { u32 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { type KindJson, type KindWords, linkKind } from './kind.js';
import { read, readTable } from './word-table.js';

export const vrfData = attrSet('vrf', {
  /** The routing table of the VRF (required when it is made). */
  table: attr(IFLA_VRF_TABLE, u32),
});

/** A port of a VRF: the table it is bound to. */
export const vrfPortData = attrSet('vrf port', {
  table: attr(IFLA_VRF_PORT_TABLE, u32),
});

/** `type vrf table N` (iproute2's iplink_vrf.c). */
const vrfWords: KindWords = async (w) => readTable(w, [['table', 'table', read.u32('table')]]);

/** iproute2 6.1's vrf_print_opt and vrf_slave_print_opt. */
const vrfJson: KindJson<AttrsOut<typeof vrfData.specs>> = (d) => ({ table: d.table });
const vrfPortJson: KindJson<AttrsOut<typeof vrfPortData.specs>> = (d) => ({ table: d.table });

export const vrf = linkKind('vrf', {
  data: vrfData,
  slaveData: vrfPortData,
  words: vrfWords,
  json: vrfJson,
  // A port takes no words of its own (`ip link set dev X master VRF` makes it one).
  portWords: null,
  portJson: vrfPortJson,
});
