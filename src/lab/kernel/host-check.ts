// Proof that a lab run left the host alone: the links, addresses, routes and
// qdiscs of the namespace the command runs in, read before and after and
// compared. Each object is one line of what identifies it and what a lab
// could change (not counters, lifetimes or carrier, which move by themselves).
import { Rtnl } from '../../client.js';

export interface HostSnapshot {
  links: string[];
  addresses: string[];
  routes: string[];
  qdiscs: string[];
}

/** Reads the host's links, addresses, routes (every table) and qdiscs: four dumps, no privilege needed. */
export async function hostSnapshot(): Promise<HostSnapshot> {
  const nl = await Rtnl.open();
  try {
    const links = await nl.link.list();
    const names = new Map(links.map((l) => [l.index, l.name ?? String(l.index)]));
    const dev = (i: number | undefined) => (i === undefined ? '-' : names.get(i) ?? `if${i}`);
    return {
      links: links.map((l) => `link ${l.index} ${l.name} ${l.linkinfo?.kind ?? '-'} mtu ${l.mtu} ${Array.isArray(l.flags) && l.flags.includes('up') ? 'up' : 'down'} master ${dev(l.master)} mac ${l.address ?? '-'}`).sort(),
      addresses: (await nl.addr.list()).map((a) => `address ${a.local ?? a.address}/${a.prefixlen} dev ${dev(a.index)}`).sort(),
      routes: (await nl.route.list({ table: 'all' })).map((r) =>
        `route ${r.family} table ${r.table} ${r.type} ${r.dst ?? 'default'}/${r.dstLen} via ${r.gateway ?? '-'} dev ${dev(r.oif)} metric ${r.priority ?? 0}`).sort(),
      qdiscs: (await nl.qdisc.list()).map((q) => `qdisc ${q.kind} ${q.handle} dev ${dev(q.ifindex)} parent ${q.parent}`).sort(),
    };
  } finally {
    nl.close();
  }
}

/** What differs between two snapshots, as "added: ..." and "removed: ..." lines; empty when nothing does. */
export function hostChanges(before: HostSnapshot, after: HostSnapshot): string[] {
  const out: string[] = [];
  for (const key of ['links', 'addresses', 'routes', 'qdiscs'] as const) {
    const was = new Set(before[key]);
    const now = new Set(after[key]);
    for (const l of after[key]) if (!was.has(l)) out.push(`added: ${l}`);
    for (const l of before[key]) if (!now.has(l)) out.push(`removed: ${l}`);
  }
  return out;
}

/** "4 links, 6 addresses, 12 routes and 4 qdiscs". */
export function hostSummary(s: HostSnapshot): string {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : w.endsWith('s') ? 'es' : 's'}`;
  return `${n(s.links.length, 'link')}, ${n(s.addresses.length, 'address')}, ${n(s.routes.length, 'route')} and ${n(s.qdiscs.length, 'qdisc')}`;
}
