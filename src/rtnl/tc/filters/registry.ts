// The filter kinds (classifiers) this version models; others travel as raw
// bytes. Adding one is a module plus one line here.
import type { FilterKind } from '../kind.js';
import { bpfFilter } from './bpf.js';
import { flower } from './flower.js';
import { basic } from './basic.js';
import { fw } from './fw.js';
import { matchall } from './matchall.js';
import { u32Filter } from './u32.js';

/** The filter kinds this version knows (u32, bpf, matchall): each kind's options, words and printer. */
export const filterKinds = {
  u32: u32Filter,
  matchall,
  bpf: bpfFilter,
  flower,
  basic,
  fw,
} as const;

/** The filter registry's type: each known kind's module, by kind name. */
export type FilterKinds = typeof filterKinds;
/** A filter kind this version has a schema for. */
export type KnownFilterKind = keyof FilterKinds;

/** The classifier module named by TCA_KIND (or tc's filter words), if this version models it. */
export function filterKindOf(name: string): FilterKind | undefined {
  return Object.hasOwn(filterKinds, name) ? (filterKinds[name as KnownFilterKind] as FilterKind) : undefined;
}
