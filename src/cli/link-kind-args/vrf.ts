// `type vrf table N` (iproute2's iplink_vrf.c).
import type { KindArgs, WordTable } from './kind-args.js';
import { readTable, u32 } from './table.js';

const VRF: WordTable = [['table', 'table', u32('table')]];

export const vrfArgs: KindArgs = async (w) => readTable(w, VRF);
