// Changes the kernel makes without announcing them, behind an event it does
// announce (measured on Linux 6.18 with `ip monitor`): a link going down or
// losing its carrier, or being deleted, takes its IPv4 routes with it (or
// flags them linkdown) without RTM_DELROUTE; deleting an IPv4 address drops
// the routes that used it as their preferred source; deleting a qdisc drops
// its classes and filters without RTM_DELTCLASS / RTM_DELTFILTER. A tracking
// monitor that sees such an event dumps again shortly (docs/events.md).

interface LinkLike { flags?: readonly string[] }
interface AddressLike { family?: string; local?: string; address?: string }
interface RouteLike { prefsrc?: string }

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
    const was = (before as LinkLike | undefined)?.flags ?? [];
    const now = (obj as LinkLike).flags ?? [];
    if (!tracksRoutes) return false;
    // A link that is not up and running: compared with what a dump just showed
    // its flags may look unchanged, while routes the change dropped were put back
    // by older events queued behind that dump. Rare enough to dump again for.
    if (before !== undefined && !UP.every((f) => now.includes(f))) return true;
    return before !== undefined && UP.some((f) => was.includes(f) !== now.includes(f));
  }
  if (kind === 'qdisc') return action === 'del' && tracksTc;
  if (kind === 'address' && action === 'del' && tracksRoutes) {
    const a = obj as AddressLike;
    if (a.family !== 'inet') return false;
    const local = a.local ?? a.address;
    for (const r of routes()) if ((r as RouteLike).prefsrc === local) return true;
  }
  return false;
}
