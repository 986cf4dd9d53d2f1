// The VXLAN links of one host's part of a multi-host lab (src/lab/hosts.ts):
// each made in the namespace this process runs in (the underlay's, where its
// UDP socket stays) and moved into its lab namespace at creation
// (IFLA_NET_NS_FD), then given its addresses, set up, and the routes through
// it added. They live in the lab's namespaces, so down() removes them with
// the namespaces; the routes use the lab's own builders (requests.ts).
import { Rtnl } from '../../client.js';
import type { HostPart } from '../hosts.js';
import type { Lab } from '../lab.js';
import { routeAdd } from '../plan.js';
import { addressAddRequest, routeAddRequest } from './requests.js';

/** Adds the part's tunnels that are not there yet; returns how many it made. */
export async function addTunnels(lab: Lab, part: HostPart): Promise<number> {
  let made = 0;
  const fresh = new Set<string>();
  using underlay = Rtnl.openSync();
  for (const t of part.tunnels) {
    const ns = lab.names.namespace(t.namespace);
    using nl = Rtnl.openSync({ netns: ns });
    if ((await nl.link.list()).some((l) => l.name === t.end.name)) continue;
    const v6 = t.local.includes(':');
    const data = {
      id: t.vni, port: t.port,
      ...(v6 ? { group6: t.remote, local6: t.local } : { group: t.remote, local: t.local }),
      ...(t.dev !== undefined ? { link: (await underlay.link.get(t.dev)).index } : {}),
    };
    await underlay.link.add({ name: t.end.name, linkinfo: { kind: 'vxlan', data }, mtu: t.end.mtu ?? t.mtu, ...(t.end.mac ? { address: t.end.mac } : {}), netns: ns });
    made++;
    fresh.add(t.namespace);
    const index = (await nl.link.get(t.end.name)).index;
    const lookup = (name: string) => (name === t.end.name ? index : undefined);
    for (const a of t.end.addresses ?? []) {
      await nl.socket.request(addressAddRequest({ dev: t.end.name, address: a, nodad: a.includes(':') }, lookup));
    }
    if (t.end.up !== false) await nl.link.setUp(t.end.name);
  }
  // Routes through a tunnel made now (a tunnel that was there already brought its routes then).
  for (const { namespace, route } of part.routes.filter((r) => fresh.has(r.namespace))) {
    using nl = Rtnl.openSync({ netns: lab.names.namespace(namespace) });
    const links = new Map((await nl.link.list()).map((l) => [l.name, l.index]));
    await nl.socket.request(routeAddRequest(routeAdd(route, lab.names, lab.names.namespace(namespace)), (name) => links.get(name)));
  }
  return made;
}
