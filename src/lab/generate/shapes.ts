// Topologies by shape, as Mininet's --topo and netlab's fabrics name them:
// nodes and the links between them, in an order that keeps the addresses of
// a part of the graph together (routing.ts then sums them up in few routes).
import { LabError } from '../errors.js';

/** A topology: nodes and the links between them, from which `graphToLab()` makes a lab (a namespace per node, a veth pair per link). */
export interface Graph {
  /** Node names, which become the lab's namespace names. */
  nodes: string[];
  /** Links as pairs of node indexes. */
  links: [number, number][];
}

/** The topologies `netlink-ts lab generate SHAPE N...` makes, named as Mininet's `--topo` and netlab's fabrics name them. */
export type Shape = 'linear' | 'ring' | 'star' | 'tree' | 'fat-tree' | 'full-mesh';
/** Every {@link Shape}: what `generateLab()` accepts. */
export const SHAPES: readonly Shape[] = ['linear', 'ring', 'star', 'tree', 'fat-tree', 'full-mesh'];

/** Every link gets a /30 of 198.18.0.0/15: at most this many. */
export const MAX_LINKS = 32768;

function need(ok: boolean, message: string): void {
  if (!ok) throw new LabError(`lab generate: ${message}`);
}

const whole = (n: number, what: string, min: number) => need(Number.isInteger(n) && n >= min, `${what} must be a whole number, at least ${min} (got ${n})`);

/** n nodes in a chain: n1 - n2 - ... */
export function linear(n: number): Graph {
  whole(n, 'linear: the number of nodes', 2);
  need(n - 1 <= MAX_LINKS, `linear ${n} has more than ${MAX_LINKS} links`);
  return { nodes: Array.from({ length: n }, (_, i) => `n${i + 1}`), links: Array.from({ length: n - 1 }, (_, i): [number, number] => [i, i + 1]) };
}

/** A chain closed into a ring. */
export function ring(n: number): Graph {
  whole(n, 'ring: the number of nodes', 3);
  const g = linear(n);
  g.links.push([n - 1, 0]);
  return g;
}

/** A hub and n leaves. */
export function star(n: number): Graph {
  whole(n, 'star: the number of leaves', 1);
  need(n <= MAX_LINKS, `star ${n} has more than ${MAX_LINKS} links`);
  return { nodes: ['hub', ...Array.from({ length: n }, (_, i) => `h${i + 1}`)], links: Array.from({ length: n }, (_, i): [number, number] => [0, i + 1]) };
}

/** A tree of this depth (links from the root to a leaf) and fanout, links in depth-first order. */
export function tree(depth: number, fanout: number): Graph {
  whole(depth, 'tree: the depth', 1);
  whole(fanout, 'tree: the fanout', 1);
  let links = 0;
  for (let l = 1, level = 1; l <= depth && links <= MAX_LINKS; l++) links += (level *= fanout);
  need(links <= MAX_LINKS, `tree ${depth} ${fanout} has more than ${MAX_LINKS} links`);
  const g: Graph = { nodes: ['t0'], links: [] };
  const grow = (parent: number, level: number) => {
    if (level === depth) return;
    for (let i = 0; i < fanout; i++) {
      const child = g.nodes.length;
      g.nodes.push(`t${child}`);
      g.links.push([parent, child]);
      grow(child, level + 1);
    }
  };
  grow(0, 0);
  return g;
}

/**
 * A k-ary fat tree (k even): (k/2)² core switches, k pods of k/2
 * aggregation and k/2 edge switches, k/2 hosts per edge switch.
 */
export function fatTree(k: number): Graph {
  whole(k, 'fat-tree: k', 2);
  need(k % 2 === 0, `fat-tree: k must be even (got ${k})`);
  need((3 * k ** 3) / 4 <= MAX_LINKS, `fat-tree ${k} has ${(3 * k ** 3) / 4} links, more than ${MAX_LINKS}`);
  const h = k / 2;
  const g: Graph = { nodes: [], links: [] };
  const add = (name: string) => g.nodes.push(name) - 1;
  const core = Array.from({ length: h * h }, (_, i) => add(`c${i + 1}`));
  for (let p = 0; p < k; p++) {
    const agg = Array.from({ length: h }, (_, i) => add(`a${p + 1}-${i + 1}`));
    const edge = Array.from({ length: h }, (_, i) => add(`e${p + 1}-${i + 1}`));
    edge.forEach((e, i) => {
      for (let j = 0; j < h; j++) g.links.push([e, add(`h${p + 1}-${i + 1}-${j + 1}`)]);
      for (const a of agg) g.links.push([a, e]);
    });
    agg.forEach((a, i) => {
      for (let j = 0; j < h; j++) g.links.push([a, core[i * h + j]!]);
    });
  }
  return g;
}

/** Every node linked to every other. */
export function fullMesh(n: number): Graph {
  whole(n, 'full-mesh: the number of nodes', 2);
  need((n * (n - 1)) / 2 <= MAX_LINKS, `full-mesh ${n} has ${(n * (n - 1)) / 2} links, more than ${MAX_LINKS}`);
  const g: Graph = { nodes: Array.from({ length: n }, (_, i) => `m${i + 1}`), links: [] };
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) g.links.push([i, j]);
  return g;
}

/** The graph of a shape from its numbers (linear 4, tree 2 3, ...). */
export function shapeGraph(shape: string, args: number[]): Graph {
  const want = (n: number) => need(args.length === n, `${shape} takes ${n} number${n === 1 ? '' : 's'} (got ${args.length})`);
  let g: Graph;
  switch (shape) {
    case 'linear': want(1); g = linear(args[0]!); break;
    case 'ring': want(1); g = ring(args[0]!); break;
    case 'star': want(1); g = star(args[0]!); break;
    case 'tree': want(2); g = tree(args[0]!, args[1]!); break;
    case 'fat-tree': want(1); g = fatTree(args[0]!); break;
    case 'full-mesh': want(1); g = fullMesh(args[0]!); break;
    default: throw new LabError(`lab generate: unknown shape "${shape}" (${SHAPES.join(', ')})`);
  }
  need(g.links.length <= MAX_LINKS, `${shape} ${args.join(' ')} has ${g.links.length} links; 198.18.0.0/15 holds ${MAX_LINKS} /30 subnets`);
  return g;
}
