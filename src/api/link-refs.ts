// Interface names inside requests. Builders are synchronous and pure; names
// are resolved before: a first pass checks the whole input (so bad input
// fails before anything is sent, even a name lookup) and collects the names,
// they are looked up, and a second pass builds the message with the indexes.
import { EncodeError } from '../netlink/errors.js';
import { checkIfname } from '../rtnl/codecs.js';
import { type IfindexOf, type LinkRef, checkIndex } from '../rtnl/route-input.js';
import type { BuildContext } from './family.js';

/** A name → index lookup for pure builders (e.g. a Map's get); undefined when there is no such interface. */
export type NameLookup = (name: string) => number | undefined;

/** Index checks plus names through `lookup`; without one, a name is an error naming the field. */
export function ifindexVia(lookup: NameLookup | undefined): IfindexOf {
  return (ref, path) => {
    if (typeof ref !== 'string') return checkIndex(ref, path);
    checkIfname(ref, path);
    if (!lookup) throw new EncodeError(path, `"${ref}" is an interface name; pass its index, or an ifindex lookup`);
    const i = lookup(ref);
    if (i === undefined) throw new EncodeError(path, `there is no interface named "${ref}"`);
    return i;
  };
}

/**
 * The context a family's builder gets outside a client (the pure request
 * builders, the lab): names through `lookup`; no device speed and no pinned
 * BPF objects, which only a client or a batch can look up.
 */
export function pureContext(lookup?: NameLookup): BuildContext {
  return {
    ifindex: ifindexVia(lookup),
    speedMbit: () => 0,
    bpfObjGet: (path) => { throw new EncodeError('bpf', `opening ${path} needs a client or a batch`); },
  };
}

export type { LinkRef };
