// Changes the kernel makes without announcing them, behind an event it does
// announce (measured on Linux 6.18 with `ip monitor`): a link going down or
// losing its carrier, or being deleted, takes its IPv4 routes with it (or
// flags them linkdown) without RTM_DELROUTE; deleting an IPv4 address drops
// the routes that used it as their preferred source; deleting a qdisc drops
// its classes and filters without RTM_DELTCLASS / RTM_DELTFILTER. A tracking
// monitor that sees such an event dumps again shortly (docs/events.md).

/** A decoded object's flags (links), or none. */
const flagsOf = (o: unknown): readonly unknown[] => (o !== null && typeof o === 'object' && 'flags' in o && Array.isArray(o.flags) ? o.flags : []);
/** An address's local address (IPv4 only: the routes that use it as prefsrc go with it). */
const ipv4Local = (o: unknown): unknown => {
  if (o === null || typeof o !== 'object' || !('family' in o) || o.family !== 'inet') return undefined;
  return 'local' in o && o.local !== undefined ? o.local : 'address' in o ? o.address : undefined;
};
const prefsrcOf = (o: unknown): unknown => (o !== null && typeof o === 'object' && 'prefsrc' in o ? o.prefsrc : undefined);

const UP = ['up', 'lower_up'] as const;

/**
 * Whether the event (with the object's state before it, for links) may
 * hide changes of the kinds tracked. `routes` lists the tracked routes, only
 * when an address is deleted.
 */
export function hidesChanges(kind: string, action: 'new' | 'del', obj: unknown, before: unknown, tracked: ReadonlySet<string>, routes: () => Iterable<unknown>): boolean {
  const tracksRoutes = tracked.has('route');
  const tracksTc = tracked.has('class') || tracked.has('filter');
  if (kind === 'link') {
    if (!tracksRoutes && !tracksTc) return false;
    if (action === 'del') return true;
    const was = flagsOf(before);
    const now = flagsOf(obj);
    if (!tracksRoutes) return false;
    // A link that is not up and running: compared with what a dump just showed
    // its flags may look unchanged, while routes the change dropped were put back
    // by older events queued behind that dump. Rare enough to dump again for.
    if (before !== undefined && !UP.every((f) => now.includes(f))) return true;
    return before !== undefined && UP.some((f) => was.includes(f) !== now.includes(f));
  }
  if (kind === 'qdisc') return action === 'del' && tracksTc;
  if (kind === 'address' && action === 'del' && tracksRoutes) {
    const local = ipv4Local(obj);
    if (local === undefined) return false;
    for (const r of routes()) if (prefsrcOf(r) === local) return true;
  }
  return false;
}
