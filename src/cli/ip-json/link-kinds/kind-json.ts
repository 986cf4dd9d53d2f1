// A kind's options as `ip -d -j link show` prints them (info_data or
// info_slave_data). linkName is ll_index_to_name: a name, or "if<N>".
export type { Json } from '../link.js';
import type { Json } from '../link.js';

export type KindJson<D> = (data: D, linkName: (index: number) => string) => Record<string, Json | undefined>;
