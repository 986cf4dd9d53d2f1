// A graph made a lab description: a veth pair per link on a /30 of
// 198.18.0.0/15 (link e gets 198.18.0.0 + 4e: .1 on its first node, .2 on
// the second), forwarding in every namespace, and static routes so that
// every namespace reaches every address of the lab. Routes follow shortest
// paths (breadth-first from each node, ties to the lower node): a subnet is
// reached through the neighbour on the way to its nearer end, which is one
// step nearer to it, so paths never loop. A node's subnets of one next hop
// are summed up in as few prefixes as cover exactly them (links are
// numbered so that a chain's or a subtree's subnets are consecutive: a
// chain of 1,000 gets a few dozen routes per node, not 1,000).
import type { LabDescription, NamespaceSpec, RouteSpec, VethSpec } from '../description.js';
import { type Graph, shapeGraph } from './shapes.js';

const BASE = (198 << 24) | (18 << 16);

function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The address of end 0 or 1 of link e. */
export function linkAddress(e: number, end: 0 | 1): string {
  return ipv4(BASE + 4 * e + 1 + end);
}

/** The fewest prefixes that cover exactly these links' /30s (sorted link numbers). */
export function cover(links: number[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < links.length) {
    let j = i;
    while (j + 1 < links.length && links[j + 1] === links[j]! + 1) j++;
    // The run [start, end) of consecutive /30s, in aligned power-of-two blocks.
    let start = links[i]!;
    const end = links[j]! + 1;
    while (start < end) {
      let size = 1;
      while (start % (size * 2) === 0 && start + size * 2 <= end) size *= 2;
      out.push(`${ipv4(BASE + 4 * start)}/${30 - Math.log2(size)}`);
      start += size;
    }
    i = j + 1;
  }
  return out;
}

/** What `generateLab()` and `graphToLab()` write besides the topology. */
export interface GenerateOptions {
  /** The lab's name (default: the shape and its numbers, "linear-4"). */
  name?: string;
  /** Written as "$schema" (an editor completes and checks the file with it). */
  schema?: string;
}

/** The description of a graph. */
export function graphLab(g: Graph, name: string, description: string, options: GenerateOptions = {}): LabDescription {
  const n = g.nodes.length;
  const adj: { to: number; link: number }[][] = g.nodes.map(() => []);
  g.links.forEach(([a, b], e) => {
    adj[a]!.push({ to: b, link: e });
    adj[b]!.push({ to: a, link: e });
  });
  for (const list of adj) list.sort((x, y) => x.to - y.to);
  // Interface names: the k-th link of a node is e<k>.
  const ifname = new Map<string, string>();
  adj.forEach((list, u) => list.slice().sort((x, y) => x.link - y.link).forEach((x, k) => ifname.set(`${u}/${x.link}`, `e${k}`)));

  const namespaces: NamespaceSpec[] = g.nodes.map((node, u) => {
    // Breadth-first from u: each node's distance and the neighbour of u on the way to it.
    const dist = new Int32Array(n).fill(-1);
    const first = new Int32Array(n).fill(-1);
    dist[u] = 0;
    const queue = [u];
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q]!;
      for (const { to } of adj[v]!) {
        if (dist[to] !== -1) continue;
        dist[to] = dist[v]! + 1;
        first[to] = v === u ? to : first[v]!;
        queue.push(to);
      }
    }
    const byHop = new Map<number, number[]>();
    g.links.forEach(([a, b], e) => {
      if (a === u || b === u) return;
      const near = dist[a]! < dist[b]! || (dist[a] === dist[b] && a < b) ? a : b;
      const hop = first[near]!;
      if (hop < 0) return;
      const list = byHop.get(hop) ?? [];
      list.push(e);
      byHop.set(hop, list);
    });
    const routes: RouteSpec[] = [];
    for (const [hop, links] of [...byHop].sort((x, y) => x[0] - y[0])) {
      // The neighbour's address on the lowest-numbered link between the two.
      const via = adj[u]!.filter((x) => x.to === hop).sort((x, y) => x.link - y.link)[0]!;
      const [a] = g.links[via.link]!;
      const gateway = linkAddress(via.link, a === hop ? 0 : 1);
      for (const to of cover(links)) routes.push({ to, via: gateway });
    }
    const spec: NamespaceSpec = { name: node, forwarding: true };
    if (routes.length > 0) spec.routes = routes;
    return spec;
  });
  const veths: VethSpec[] = g.links.map(([a, b], e) => ({
    a: { name: ifname.get(`${a}/${e}`)!, namespace: g.nodes[a]!, addresses: [`${linkAddress(e, 0)}/30`] },
    b: { name: ifname.get(`${b}/${e}`)!, namespace: g.nodes[b]!, addresses: [`${linkAddress(e, 1)}/30`] },
  }));
  return { ...(options.schema !== undefined ? { $schema: options.schema } : {}), name: options.name ?? name, description, namespaces, veths };
}

/** `lab generate SHAPE N...`: the description of a shape, every namespace reaching every address. */
export function generateLab(shape: string, args: number[], options: GenerateOptions = {}): LabDescription {
  const g = shapeGraph(shape, args);
  return graphLab(g, `${shape}-${args.join('-')}`, `${shape} ${args.join(' ')}: ${g.nodes.length} namespaces, ${g.links.length} links (generated by netlink-ts lab generate)`, options);
}
