// Names for the numbers in a neighbour message, spelled as iproute2 spells
// them (lower case here; `ip neigh` upper-cases states).
import * as N from '../generated/linux/neighbour.js';
import { type ValueMap, flagsMap } from '../netlink/codec.js';
import { EncodeError } from '../netlink/errors.js';
import { encodeChecked, lookup } from '../netlink/narrow.js';
import { describe } from '../netlink/describe.js';

/** The NUD_* bit of each state name. */
export const nudTable = {
  incomplete: N.NUD_INCOMPLETE, reachable: N.NUD_REACHABLE, stale: N.NUD_STALE, delay: N.NUD_DELAY,
  probe: N.NUD_PROBE, failed: N.NUD_FAILED, noarp: N.NUD_NOARP, permanent: N.NUD_PERMANENT,
} as const;
const nudBits = flagsMap('neighbour state', nudTable);

/** iproute2's mark for NUD_NONE, which has no bit of its own, in a mask of states: one past the kernel's eight. */
export const NUD_NONE_MARK = 0x100;

/** A decoded state list as its bit mask (unknown bits, spelled 0x.., included). */
export function neighStateMask(states: readonly string[]): number {
  // Names this version lacks are refused by the map, as for any input.
  return encodeChecked(nudBits, states, 'state');
}

/** One NUD_* state bit; 'none' (NUD_NONE, no bit) is accepted on input. */
export type NeighState = keyof typeof nudTable;
/** A neighbour state as given: a name, 'none', several of them, or the NUD_* bits. */
export type NeighStateInput = NeighState | 'none' | readonly (NeighState | 'none')[] | number;

/**
 * ndm_state (NUD_*). It is a bit mask, so it decodes to a list (empty for
 * NUD_NONE), in the order `ip neigh` prints it; encoding takes one name, a
 * list, or a number.
 */
export const neighStates: ValueMap<(NeighState | `0x${string}`)[], NeighStateInput> = {
  name: 'neighbour state',
  decode: (n) => nudBits.decode(n),
  encode(v, path) {
    if (typeof v === 'number') return v;
    const names = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(names)) throw new EncodeError(path, `expected a neighbour state name, got ${describe(v)}`);
    let n = 0;
    for (const s of names) {
      if (s === 'none') continue;
      const bit = lookup(nudTable, s);
      if (bit === undefined) {
        throw new EncodeError(path, `unknown neighbour state ${describe(s)} (one of: none, ${Object.keys(nudTable).join(', ')})`);
      }
      n |= bit;
    }
    return n;
  },
};

/** ndm_flags (NTF_*). */
export const neighFlags = flagsMap('neighbour flag', {
  use: N.NTF_USE, self: N.NTF_SELF, master: N.NTF_MASTER, proxy: N.NTF_PROXY, extern_learn: N.NTF_EXT_LEARNED,
  offload: N.NTF_OFFLOADED, sticky: N.NTF_STICKY, router: N.NTF_ROUTER,
});
/** A neighbour flag (NTF_*) by its name. */
export type NeighFlag = Exclude<ReturnType<typeof neighFlags.decode>[number], `0x${string}`>;

/** NDA_FLAGS_EXT (NTF_EXT_*). */
export const neighExtFlags = flagsMap('neighbour extended flag', { managed: N.NTF_EXT_MANAGED });
/** An extended neighbour flag (NTF_EXT_*) by its name. */
export type NeighExtFlag = Exclude<ReturnType<typeof neighExtFlags.decode>[number], `0x${string}`>;
