// Interface name → index, remembered per client, so that a loop of
// `nl.route.add({ dev: 'eth0', ... })` asks the kernel for eth0 once rather
// than once per route (a link lookup decodes the whole link: most of the cost
// of a small change). The kernel never tells a plain client that a name now
// means another link, so an entry is trusted until a request built from it is
// refused with ENODEV: then the names that request used are forgotten and it
// is built and sent once more (docs/architecture.md, "The name cache"). The
// client's own link deletes and renames forget the names they touch.
import { NetlinkError } from '../netlink/errors.js';
import type { LinkRef } from '../rtnl/route-input.js';

/**
 * A client's link names → indexes, learnt from lookups and kept current by the client's own changes (docs/architecture.md, "The name cache").
 */
export class NameCache {
  private readonly byName = new Map<string, number>();

  /** The cached index of a name, if any. */
  get(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** Remembers a name's index. */
  set(name: string, index: number): void {
    this.byName.set(name, index);
  }

  /** Forgets a name; whether it was cached. */
  forget(name: string): boolean {
    return this.byName.delete(name);
  }

  /** Forgets every name that maps to this index (a link deleted or renamed by index). */
  forgetIndex(index: number): void {
    for (const [name, i] of this.byName) if (i === index) this.byName.delete(name);
  }

  /** Forgets every name. */
  clear(): void {
    this.byName.clear();
  }

  get size(): number {
    return this.byName.size;
  }
}

/** Name or index → index; `cache` when the names come from a client's NameCache. */
export interface Resolve {
  (ref: LinkRef): Promise<number>;
  readonly cache?: NameCache;
  /** A name's index if it is known without asking the kernel (a cache hit), synchronously. */
  cached?(name: string): number | undefined;
}

/** A resolver over a client's lookup and its cache. */
export function cachingResolve(lookup: (ref: LinkRef) => Promise<number>, cache: NameCache): Resolve {
  return Object.assign(lookup, { cache, cached: (name: string) => cache.get(name) });
}

/**
 * Runs one verb (`attempt` resolves its names through the resolver it is
 * given). When it fails with ENODEV after a name was answered from the
 * cache, the names it used are forgotten and it runs once more, looking them
 * up afresh.
 */
export async function retryStale<T>(resolve: Resolve, attempt: (resolve: Resolve) => Promise<T>): Promise<T> {
  const cache = resolve.cache;
  if (cache === undefined) return attempt(resolve);
  const hits = new Set<string>();
  const cached = (name: string): number | undefined => {
    const index = cache.get(name);
    if (index !== undefined) hits.add(name);
    return index;
  };
  const tracking: Resolve = Object.assign((ref: LinkRef) => {
    if (typeof ref === 'string') cached(ref);
    return resolve(ref);
  }, { cached });
  try {
    return await attempt(tracking);
  } catch (err) {
    if (hits.size === 0 || !(err instanceof NetlinkError) || err.code !== 'ENODEV') throw err;
    for (const name of hits) cache.forget(name);
    return attempt(resolve);
  }
}
