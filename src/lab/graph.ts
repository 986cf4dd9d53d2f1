// A picture of a lab: namespaces, their links, bridges and addresses, as
// Graphviz DOT and Mermaid text (this file) and as SVG (graph-svg.ts). All
// three read the lab through the same model, so they show the same things.
import type { LabDescription, LabQdiscSpec } from './description.js';
import { type NsKey, nsLabel } from './names.js';
import { labNames } from './plan.js';
import { type Iface, Topology } from './topology.js';

/** The picture formats a lab can be drawn in. */
export type GraphFormat = 'svg' | 'dot' | 'mermaid';

/** What every picture shows, ready to draw. */
export interface GraphModel {
  lab: string;
  description?: string;
  boxes: GraphBox[];
  /** veth pairs, by interface id. */
  wires: { a: string; b: string }[];
  /** Bridge ports: port id → bridge id. */
  ports: { port: string; bridge: string }[];
}

export interface GraphBox {
  id: string;
  ns: NsKey;
  /** "red" and its system name "pair-red"; the root namespace is "root namespace". */
  title: string;
  subtitle?: string;
  ifaces: GraphIface[];
  /** Short lines at the bottom: "forwarding", "default via 10.0.1.1". */
  notes: string[];
}

export interface GraphIface {
  id: string;
  name: string;
  kind: 'bridge' | 'veth' | 'tap';
  up: boolean;
  addresses: string[];
  /** "tbf 1mbit", "netem delay 100ms". */
  qdisc?: string;
  /** Id of the bridge this is a port of. */
  master?: string;
}

export function qdiscText(q: LabQdiscSpec): string {
  switch (q.kind) {
    case 'netem': return ['netem', q.delay && `delay ${q.delay}`, q.jitter && `±${q.jitter}`, q.loss !== undefined && `loss ${q.loss}`, q.rate && `rate ${q.rate}`].filter(Boolean).join(' ');
    case 'tbf': return `tbf ${q.rate} burst ${q.burst}${q.latency ? ` latency ${q.latency}` : ''}`;
    case 'htb': return `htb ${q.classes.length} class${q.classes.length === 1 ? '' : 'es'}`;
    default: return q.kind;
  }
}

/** The model: boxes in an order that puts namespaces joined by a veth pair side by side. */
export function graphModel(lab: LabDescription): GraphModel {
  const topo = new Topology(lab);
  const names = labNames(lab);
  const idOf = (i: Iface) => `${i.ns ?? ''}/${i.name}`;
  const boxId = (ns: NsKey) => (ns === null ? '/' : ns);

  // Neighbouring namespaces, then a walk from one end, so chains come out in order.
  const nbr = new Map<NsKey, Set<NsKey>>(topo.namespaces.map((n) => [n, new Set()]));
  for (const i of topo.ifaces) {
    const p = i.peer === undefined ? undefined : topo.byKey.get(i.peer);
    if (p && p.ns !== i.ns) nbr.get(i.ns)!.add(p.ns);
  }
  const order: NsKey[] = [];
  const seen = new Set<NsKey>();
  for (const start of topo.namespaces) {
    if (seen.has(start)) continue;
    // Start each connected part at its end with fewest neighbours (a chain's end).
    const part: NsKey[] = [];
    const stack = [start];
    const inPart = new Set<NsKey>([start]);
    while (stack.length) {
      const n = stack.pop()!;
      part.push(n);
      for (const m of nbr.get(n)!) if (!inPart.has(m)) { inPart.add(m); stack.push(m); }
    }
    const first = part.reduce((a, b) => (nbr.get(b)!.size < nbr.get(a)!.size ? b : a));
    const queue = [first];
    seen.add(first);
    while (queue.length) {
      const n = queue.shift()!;
      order.push(n);
      const next = [...nbr.get(n)!].filter((m) => !seen.has(m)).sort((a, b) => topo.namespaces.indexOf(a) - topo.namespaces.indexOf(b));
      for (const m of next) { seen.add(m); queue.push(m); }
    }
  }

  const boxes: GraphBox[] = order.map((ns) => {
    const spec = ns === null ? undefined : lab.namespaces.find((n) => n.name === ns);
    const ifaces = topo.in(ns);
    // A bridge, then its ports, then the rest.
    const sorted: Iface[] = [];
    for (const b of ifaces.filter((i) => i.kind === 'bridge')) sorted.push(b, ...ifaces.filter((i) => i.master === b.key));
    sorted.push(...ifaces.filter((i) => !sorted.includes(i)));
    const notes: string[] = [];
    if (spec?.forwarding) notes.push('forwarding');
    if (spec?.loopback === false) notes.push('lo down');
    for (const r of spec?.routes ?? []) notes.push(`${r.to}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`);
    if (spec?.dns?.nameservers?.length) notes.push(`nameserver ${spec.dns.nameservers.join(' ')}`);
    if (spec?.dns?.hosts) notes.push(`hosts: ${Object.keys(spec.dns.hosts).join(' ')}`);
    const box: GraphBox = {
      id: boxId(ns),
      ns,
      title: ns === null ? 'root namespace' : ns,
      ifaces: sorted.map((i) => {
        const g: GraphIface = { id: idOf(i), name: names.link(i.ns, i.name), kind: i.kind, up: i.up, addresses: i.addresses.map((a) => a.text) };
        if (i.spec.qdisc) g.qdisc = qdiscText(i.spec.qdisc);
        const m = i.master === undefined ? undefined : topo.byKey.get(i.master);
        if (m) g.master = idOf(m);
        return g;
      }),
      notes,
    };
    if (ns !== null) box.subtitle = names.namespace(ns);
    return box;
  });
  const wires = topo.ifaces.filter((i) => i.kind === 'veth' && i.key.endsWith('.a') && topo.byKey.has(i.peer!))
    .map((i) => ({ a: idOf(i), b: idOf(topo.byKey.get(i.peer!)!) }));
  const ports = boxes.flatMap((b) => b.ifaces.filter((i) => i.master !== undefined).map((i) => ({ port: i.id, bridge: i.master! })));
  const model: GraphModel = { lab: lab.name, boxes, wires, ports };
  if (lab.description !== undefined) model.description = lab.description;
  return model;
}

function ifaceLines(i: GraphIface): string[] {
  return [`${i.name}${i.kind === 'bridge' ? ' (bridge)' : i.kind === 'tap' ? ' (tap)' : ''}${i.up ? '' : ' (down)'}`, ...i.addresses, ...(i.qdisc ? [i.qdisc] : [])];
}

const dq = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Graphviz: a cluster per namespace, a node per interface, an edge per veth pair, dashed edges to bridges. */
export function toDot(lab: LabDescription): string {
  const m = graphModel(lab);
  const out = [
    `graph ${dq(m.lab)} {`,
    `  graph [rankdir=LR, fontname="Helvetica", label=${dq(`lab ${m.lab}`)}, labelloc=t];`,
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
    '  edge [penwidth=1.5];',
  ];
  for (const b of m.boxes) {
    out.push(`  subgraph ${dq(`cluster_${b.id}`)} {`);
    out.push(`    label=${dq([b.title + (b.subtitle ? ` (${b.subtitle})` : ''), ...b.notes].join('\n'))};`);
    out.push(`    style="rounded${b.ns === null ? ',dashed' : ''}"; color="#4a6fa5";`);
    for (const i of b.ifaces) {
      out.push(`    ${dq(i.id)} [label=${dq(ifaceLines(i).join('\n'))}${i.kind === 'bridge' ? ', fillcolor="#fdf1d6"' : ''}];`);
    }
    out.push('  }');
  }
  for (const w of m.wires) out.push(`  ${dq(w.a)} -- ${dq(w.b)};`);
  for (const p of m.ports) out.push(`  ${dq(p.port)} -- ${dq(p.bridge)} [style=dashed];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Mermaid flowchart: a subgraph per namespace, a node per interface. */
export function toMermaid(lab: LabDescription): string {
  const m = graphModel(lab);
  const ids = new Map<string, string>();
  m.boxes.forEach((b) => b.ifaces.forEach((i) => ids.set(i.id, `i${ids.size}`)));
  const text = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
  const out = ['flowchart LR'];
  m.boxes.forEach((b, k) => {
    out.push(`  subgraph ns${k}[${text(b.title + (b.subtitle ? ` (${b.subtitle})` : ''))}]`);
    for (const i of b.ifaces) out.push(`    ${ids.get(i.id)}${i.kind === 'bridge' ? '[[' : '['}${text(ifaceLines(i).join('<br/>'))}${i.kind === 'bridge' ? ']]' : ']'}`);
    if (b.notes.length) out.push(`    ns${k}_notes>${text(b.notes.join('<br/>'))}]`);
    out.push('  end');
  });
  for (const w of m.wires) out.push(`  ${ids.get(w.a)} --- ${ids.get(w.b)}`);
  for (const p of m.ports) out.push(`  ${ids.get(p.port)} -.- ${ids.get(p.bridge)}`);
  return `${out.join('\n')}\n`;
}
