// What a namespace holds now, as status() and down() read it: its links with
// their addresses, its main routing table, the sysctls asked for, and its
// /etc/netns files. Three dumps on the namespace's client.
import type { Rtnl } from '../../client.js';
import type { Route } from '../../rtnl/route.js';
import type { LinkState, NamespaceState, RouteState } from '../backend.js';
import type { DnsFiles } from '../plan.js';

function routeState(r: Route, nameOf: (index: number | undefined) => string | undefined): RouteState | undefined {
  const family = r.family === 'inet' ? 4 : r.family === 'inet6' ? 6 : undefined;
  if (family === undefined) return undefined;
  const out: RouteState = { family, to: `${r.dst ?? (family === 4 ? '0.0.0.0' : '::')}/${r.dstLen}` };
  const via = r.gateway ?? r.via?.host;
  if (via !== undefined) out.via = via;
  const dev = nameOf(r.oif);
  if (dev !== undefined) out.dev = dev;
  if (r.priority !== undefined) out.metric = r.priority;
  if (r.protocol !== undefined) out.protocol = String(r.protocol);
  return out;
}

export async function namespaceState(nl: Rtnl, sysctls: Record<string, string>, dns: DnsFiles | undefined): Promise<NamespaceState> {
  const links = await nl.link.list();
  const addresses = await nl.addr.list();
  const routes = await nl.route.list({ table: 'main' });
  const names = new Map(links.map((l) => [l.index, l.name]));
  const nameOf = (i: number | undefined) => (i === undefined ? undefined : names.get(i));
  const state: NamespaceState = {
    links: links.map((l) => {
      const s: LinkState = { name: l.name ?? String(l.index), up: Array.isArray(l.flags) && l.flags.includes('up'), addresses: [] };
      if (l.linkinfo?.kind !== undefined) s.kind = l.linkinfo.kind;
      if (l.mtu !== undefined) s.mtu = l.mtu;
      if (l.address !== undefined) s.mac = l.address;
      if (l.alias !== undefined) s.alias = l.alias;
      const master = nameOf(l.master);
      if (master !== undefined) s.master = master;
      if (l.qdisc !== undefined) s.qdisc = l.qdisc;
      for (const a of addresses) {
        if (a.index !== l.index || a.local === undefined) continue;
        s.addresses.push(`${a.local}/${a.prefixlen}`);
        if (Array.isArray(a.flags) && a.flags.includes('tentative')) (s.tentative ??= []).push(`${a.local}/${a.prefixlen}`);
      }
      return s;
    }),
    routes: routes.flatMap((r) => routeState(r, nameOf) ?? []),
    sysctls,
  };
  if (dns) state.dns = dns;
  return state;
}
