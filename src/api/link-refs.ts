// Interface names inside requests. Builders are synchronous and pure; names
// are resolved before: a first pass checks the whole input (so bad input
// fails before anything is sent, even a name lookup) and collects the names,
// they are looked up, and a second pass builds the message with the indexes.
import { EncodeError } from '../netlink/errors.js';
import { checkIfname } from '../rtnl/codecs.js';
import { type IfindexOf, type LinkRef, checkIndex } from '../rtnl/route-input.js';
import type { Resolve } from './name-cache.js';

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
 * Builds with names resolved through `resolve` (which rejects with ENODEV for
 * an unknown name). Names the resolver knows already (its cache) are used in
 * the first build, so when every name is known the message is built once.
 */
export async function withIndexes<T>(build: (ifindex: IfindexOf) => T, resolve: Resolve): Promise<T> {
  const names = new Map<string, string>();
  const first = build((ref, path) => {
    if (typeof ref !== 'string') return checkIndex(ref, path);
    checkIfname(ref, path);
    const known = resolve.cached?.(ref);
    if (known !== undefined) return known;
    if (!names.has(ref)) names.set(ref, path);
    return 1;
  });
  if (names.size === 0) return first;
  const found = new Map<string, number>();
  for (const [name, path] of names) {
    try {
      found.set(name, await resolve(name));
    } catch (err) {
      if ((err as { code?: string }).code === 'ENODEV') throw new EncodeError(path, `there is no interface named "${name}"`);
      throw err;
    }
  }
  return build(ifindexVia((n) => found.get(n) ?? resolve.cached?.(n)));
}

export type { LinkRef };
