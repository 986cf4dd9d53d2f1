// What changing a lab that is up takes: the description it was made from
// against the edited one, object by object (a namespace, a link with its
// ports, VLANs and state, an address, a route, a sysctl, a qdisc, a
// firewall, DNS files), each kept, changed in place, made anew, deleted or
// created. Pure; apply.ts carries the steps out and takes them back.
//
// An object is kept when its steps are the same in both plans and every
// object it stands on (its namespace, its link, the address that makes a
// route's gateway reachable) is kept. A qdisc of the same kind (not htb),
// a sysctl's value, a firewall over the same tables and DNS files change in
// place; anything else that differs is deleted and made again, with what
// stands on it. A namespace is made anew when something in it cannot be
// taken back in place (a sysctl no longer set: a fresh namespace has the
// kernel's default; a firewall whose tables change).
//
// Order: deletions (last made first), then changes, then creations (in the
// plan's order). Every step carries what takes it back, so apply() can undo
// the steps it took, last first, when one fails.
import { parseIP, parsePrefix } from '../netlink/ip.js';
import type { LabDescription } from './description.js';
import { type NsKey, nsLabel } from './names.js';
import { batchKey } from './ops.js';
import { type LabOp, type Owned, type Plan, type Step, makePlan } from './plan.js';
import { contains } from './subnet.js';

type ObjectKind = 'namespace' | 'link' | 'sysctl' | 'address' | 'route' | 'qdisc' | 'firewall' | 'dns';

interface LabObject {
  /** How people read it, and its identity: "link veth-red in pair-red". */
  key: string;
  kind: ObjectKind;
  /** The plan's steps that make it, in order. */
  steps: Step[];
  /** Objects it needs (keys). */
  deps: Set<string>;
  /** Objects whose removal takes it with them (its namespace(s), its link). */
  within: Set<string>;
}

/** What happens to one object of a lab that is up: made, removed, changed in place, or removed and made anew. */
export type ChangeKind = 'create' | 'delete' | 'change' | 'replace';

/** One object's change (a namespace, a link, an address, a route, a sysctl, a qdisc, a firewall, DNS files), as `netlink-ts lab plan` lists it. */
export interface ObjectChange {
  /** What happens to it. */
  change: ChangeKind;
  /** "qdisc of veth-red in tbf-red", "namespace pair-red". */
  what: string;
  /** Where in the description (the new one; the old one for deletions). */
  source?: string;
  /** For changes in place: what it is and what it becomes. */
  from?: string;
  /** For changes in place: what it becomes. */
  to?: string;
  /** Why it is made anew. */
  why?: string;
}

/** One step of a change plan: an op on the lab and what takes it back. */
export interface ApplyStep {
  /** Its number, from 1, in the order apply() takes the steps. */
  n: number;
  /** The change; null when it happens with another step (a link that goes with its namespace). */
  op: LabOp | null;
  /** What takes it back, in order. */
  undo: LabOp[];
  /** What it does, as people read it ("create namespace pair-red", "make veth-red a port of br0 in lan"). */
  what: string;
  /** Where in the description it comes from. */
  source: string;
  /** Steps with the same key go to the kernel in one batch; absent: the step goes alone. */
  batch?: string;
}

/** What turns a lab that is up into the one an edited description makes (`planLabChanges`): the objects' changes and the steps, deletions first. */
export interface ChangePlan {
  /** Every object that is not kept, as people read it. */
  changes: ObjectChange[];
  /** The steps, in the order apply() takes them. */
  steps: ApplyStep[];
  /** The plan of the new description (what up() of it would do). */
  next: Plan;
  /** What either description owns: the record while the changes are made. */
  union: Owned;
  /** Sysctls of kept namespaces that the new description sets for the first time: their value now is what takes the step back. */
  reads: { ns: string; key: string }[];
}

const nsObj = (ns: string) => `namespace ${ns}`;
const linkObj = (ns: NsKey, name: string) => `link ${name} in ${nsLabel(ns)}`;
const endId = (ns: NsKey, name: string) => `${nsLabel(ns)}\0${name}`;

/** The kernel's identity of a route (its table is main): destination and metric. */
function routeKey(ns: NsKey, to: string, family: 4 | 6, metric: number | undefined): string {
  const p = parsePrefix(to, '');
  return `route ${p.address}/${p.length}${metric !== undefined ? ` metric ${metric}` : ''} in ${nsLabel(ns)}${family === 6 && p.length === 0 ? ' (IPv6)' : ''}`;
}

/** The plan's steps, gathered into the objects they make. */
function objectsOf(plan: Plan): Map<string, LabObject> {
  const objs = new Map<string, LabObject>();
  const ends = new Map<string, string>();
  const addrs: { ns: NsKey; key: string; prefix: ReturnType<typeof parsePrefix> }[] = [];
  const make = (key: string, kind: ObjectKind, s: Step, within: (string | undefined)[], deps: (string | undefined)[] = []): LabObject => {
    const o: LabObject = { key, kind, steps: [s], deps: new Set(), within: new Set() };
    for (const w of within) if (w !== undefined) { o.within.add(w); o.deps.add(w); }
    for (const d of deps) if (d !== undefined) o.deps.add(d);
    objs.set(key, o);
    return o;
  };
  const inNs = (ns: NsKey) => (ns === null ? undefined : nsObj(ns));
  const owner = (ns: NsKey, name: string) => ends.get(endId(ns, name));
  const attach = (key: string | undefined, s: Step, dep?: string) => {
    const o = key === undefined ? undefined : objs.get(key);
    if (!o) throw new Error(`lab plan: step ${s.n} (${s.what}) belongs to nothing the plan made`);
    o.steps.push(s);
    if (dep !== undefined) o.deps.add(dep);
  };
  for (const s of plan.steps) {
    const op = s.op;
    switch (op.op) {
      case 'netns.add': make(nsObj(op.ns), 'namespace', s, []); break;
      case 'link.add': {
        const key = linkObj(op.ns, op.link.name);
        ends.set(endId(op.ns, op.link.name), key);
        const within = [inNs(op.ns)];
        if (op.link.kind === 'veth') {
          ends.set(endId(op.link.peer.ns, op.link.peer.name), key);
          within.push(inNs(op.link.peer.ns));
        }
        make(key, 'link', s, within);
        break;
      }
      case 'link.master': attach(owner(op.ns, op.name), s, owner(op.ns, op.master)); break;
      case 'vlan.add': attach(owner(op.ns, op.dev), s); break;
      case 'link.up': attach(op.name === 'lo' && op.ns !== null ? nsObj(op.ns) : owner(op.ns, op.name), s); break;
      case 'sysctl.set': make(`sysctl ${op.key} in ${op.ns}`, 'sysctl', s, [nsObj(op.ns)]); break;
      case 'addr.add': {
        const key = `address ${op.address.address} on ${op.address.dev} in ${nsLabel(op.ns)}`;
        make(key, 'address', s, [inNs(op.ns), owner(op.ns, op.address.dev)]);
        addrs.push({ ns: op.ns, key, prefix: parsePrefix(op.address.address, '') });
        break;
      }
      case 'route.add': {
        const r = op.route;
        // What the route stands on: its device, and the addresses that put its gateway and source on a link.
        const on = (ip: string) => {
          const bytes = parseIP(ip, '');
          return addrs.filter((a) => a.ns === op.ns && (contains(a.prefix, bytes) || a.prefix.address === ip)).map((a) => a.key);
        };
        make(routeKey(op.ns, r.to, r.family, r.metric), 'route', s, [inNs(op.ns)],
          [r.dev === undefined ? undefined : owner(op.ns, r.dev), ...(r.via === undefined ? [] : on(r.via)), ...(r.src === undefined ? [] : on(r.src))]);
        break;
      }
      case 'qdisc.add': make(`qdisc of ${op.dev} in ${nsLabel(op.ns)}`, 'qdisc', s, [inNs(op.ns), owner(op.ns, op.dev)]); break;
      case 'firewall.apply': make(`firewall of ${op.ns}`, 'firewall', s, [nsObj(op.ns)]); break;
      case 'dns.write': make(`DNS files of ${op.ns}`, 'dns', s, [], [nsObj(op.ns)]); break;
      default: throw new Error(`lab plan: up() does not take ${op.op} steps`);
    }
  }
  return objs;
}

const signature = (o: LabObject) => JSON.stringify(o.steps.map((s) => s.op));

/** The one op an object of these kinds is made by. */
function opOf<K extends LabOp['op']>(o: LabObject, kind: K): Extract<LabOp, { op: K }> {
  const op = o.steps[0]!.op;
  if (!isOp(op, kind)) throw new Error(`lab plan: ${o.key} is not made by ${kind}`);
  return op;
}

function isOp<K extends LabOp['op']>(op: LabOp, kind: K): op is Extract<LabOp, { op: K }> {
  return op.op === kind;
}

/** The firewall's tables ("inet lab"): changed in place only while they stay the same ones. */
function tablesOf(o: LabObject | undefined): string {
  if (!o) return '';
  const doc = opOf(o, 'firewall.apply').doc;
  return doc.nftables.flatMap((v) => {
    if (typeof v !== 'object' || v === null || !('table' in v)) return [];
    const t = v.table;
    return typeof t === 'object' && t !== null && 'family' in t && 'name' in t ? [`${String(t.family)} ${String(t.name)}`] : [];
  }).sort().join(',');
}

/** A short text of what an object in place is: a sysctl's value, a qdisc's options. */
function stateText(o: LabObject): string {
  const op = o.steps[0]!.op;
  if (op.op === 'sysctl.set') return op.value;
  if (op.op === 'qdisc.add') return Object.entries(op.qdisc).map(([k, v]) => (k === 'kind' ? String(v) : `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)).join(' ');
  if (op.op === 'firewall.apply') return `${op.doc.nftables.length} nftables objects`;
  return o.steps.map((s) => s.what).join('; ');
}

function changesInPlace(a: LabObject, b: LabObject): boolean {
  if (a.kind === 'sysctl' || a.kind === 'firewall' || a.kind === 'dns') return true;
  if (a.kind !== 'qdisc') return false;
  const x = opOf(a, 'qdisc.add').qdisc;
  const y = opOf(b, 'qdisc.add').qdisc;
  return x.kind === y.kind && x.kind !== 'htb';
}

/** What removes an object that nothing around it takes away. */
function removalOf(o: LabObject): LabOp {
  const op = o.steps[0]!.op;
  switch (op.op) {
    case 'netns.add': return { op: 'netns.del', ns: op.ns };
    case 'link.add': return { op: 'link.del', ns: op.ns, name: op.link.name };
    case 'addr.add': return { op: 'addr.del', ns: op.ns, address: op.address };
    case 'route.add': return { op: 'route.del', ns: op.ns, route: op.route };
    case 'qdisc.add': return { op: 'qdisc.del', ns: op.ns, dev: op.dev };
    case 'dns.write': return { op: 'dns.remove', ns: op.ns };
    default: throw new Error(`lab plan: ${o.key} cannot be removed on its own (its namespace is made anew instead)`);
  }
}

/**
 * The steps that turn a lab made from `from` into one made from `to` (both
 * valid, same name and prefix). `current` gives the value now of a sysctl
 * the new description sets for the first time in a namespace that stays
 * (what takes that step back); without it such a step cannot be taken back,
 * and `reads` lists them.
 */
export function planChanges(from: LabDescription, to: LabDescription, current: (ns: string, key: string) => string | undefined = () => undefined): ChangePlan {
  const before = makePlan(from);
  const next = makePlan(to);
  const A = objectsOf(before);
  const B = objectsOf(next);

  // Namespaces made anew: what in them cannot be taken back in place.
  const forced = new Map<string, string>();
  for (const [k, a] of A) {
    const ns = [...a.within][0];
    if (ns === undefined || !B.has(ns)) continue;
    if (a.kind === 'sysctl' && !B.has(k)) forced.set(ns, `${k} is no longer set, and a namespace made anew has the kernel's default`);
    if (a.kind === 'firewall' && tablesOf(a) !== tablesOf(B.get(k))) forced.set(ns, `its firewall's tables change (${tablesOf(a) || 'none'} → ${tablesOf(B.get(k)) || 'none'})`);
  }
  for (const [k, b] of B) {
    const ns = [...b.within][0];
    if (b.kind === 'firewall' && ns !== undefined && A.has(ns) && !A.has(k)) forced.set(ns, 'it gets a firewall');
  }

  type Fate = { fate: 'kept' | 'changed' | 'replaced'; why?: string };
  const fates = new Map<string, Fate>();
  const fateOf = (key: string): Fate | undefined => {
    const a = A.get(key);
    const b = B.get(key);
    if (!a || !b) return undefined;
    let f = fates.get(key);
    if (f) return f;
    const why = forced.get(key);
    if (why !== undefined) f = { fate: 'replaced', why };
    for (const d of new Set([...a.deps, ...b.deps])) {
      if (f) break;
      const df = fateOf(d);
      if (df === undefined) f = { fate: 'replaced', why: `${d} ${A.has(d) ? 'goes' : 'is new'}` };
      else if (df.fate === 'replaced') f = { fate: 'replaced', why: `${d} is made anew` };
    }
    if (!f) {
      if (signature(a) === signature(b)) f = { fate: 'kept' };
      else if (changesInPlace(a, b)) f = { fate: 'changed' };
      else f = { fate: 'replaced', why: `it changes: ${b.steps.map((s) => s.what).join('; ')}` };
    }
    fates.set(key, f);
    return f;
  };

  const removed = new Set([...A.keys()].filter((k) => fateOf(k)?.fate !== 'kept' && fateOf(k)?.fate !== 'changed'));
  const created = new Set([...B.keys()].filter((k) => fateOf(k)?.fate !== 'kept' && fateOf(k)?.fate !== 'changed'));
  const first = (o: LabObject) => o.steps[0]!.n;

  const changes: ObjectChange[] = [];
  const steps: Omit<ApplyStep, 'n' | 'batch'>[] = [];
  const reads: { ns: string; key: string }[] = [];

  // Deletions, last made first. What goes with its namespace or link has no
  // step of its own: the step that removes its container takes it back too
  // (the container removed first, whose undo runs last), in the order it was made.
  const gone = [...removed].map((k) => A.get(k)!).sort((x, y) => first(y) - first(x));
  const container = new Map<string, string | undefined>();
  for (const a of gone) {
    // A veth pair goes with its namespace only when both ends do: the kernel
    // frees a deleted namespace (and the peer of a veth in it) later, so an
    // end in a namespace that stays is deleted by its own name, now.
    const op0 = a.steps[0]!.op;
    const ends: NsKey[] = op0.op === 'link.add' ? [op0.ns, ...(op0.link.kind === 'veth' ? [op0.link.peer.ns] : [])] : [];
    const staying = op0.op === 'link.add' && ends.some((ns) => ns === null || !removed.has(nsObj(ns)));
    // A route is removed by name even in a namespace that goes: the link it leaves by may go first, taking it along.
    const holders = staying || a.kind === 'route' ? [] : [...a.within].filter((w) => removed.has(w)).sort((x, y) => first(A.get(y)!) - first(A.get(x)!));
    container.set(a.key, holders[0]);
  }
  const rootOf = (key: string): string => {
    const c = container.get(key);
    return c === undefined ? key : rootOf(c);
  };
  for (const a of gone) {
    if (!fateOf(a.key)) changes.push({ change: 'delete', what: a.key, source: a.steps[0]!.source });
    if (container.get(a.key) !== undefined) continue;
    const op0 = a.steps[0]!.op;
    const staysAt = op0.op === 'link.add' && op0.link.kind === 'veth' && op0.ns !== null && removed.has(nsObj(op0.ns)) ? op0.link.peer : undefined;
    const taken = gone.filter((o) => o !== a && rootOf(o.key) === a.key);
    steps.push({
      op: staysAt ? { op: 'link.del', ns: staysAt.ns, name: staysAt.name } : removalOf(a),
      undo: [a, ...taken].flatMap((o) => o.steps).sort((x, y) => x.n - y.n).map((s) => s.op),
      what: `remove ${a.key}${taken.length ? ` (with ${taken.map((o) => o.key).join(', ')})` : ''}`,
      source: a.steps[0]!.source,
    });
  }
  // Changes in place.
  for (const b of [...B.values()].filter((o) => fateOf(o.key)?.fate === 'changed')) {
    const a = A.get(b.key)!;
    changes.push({ change: 'change', what: b.key, source: b.steps[0]!.source, from: stateText(a), to: stateText(b) });
    const was = a.steps[0]!.op;
    const now = b.steps[0]!.op;
    const source = b.steps[0]!.source;
    if (now.op === 'qdisc.add' && was.op === 'qdisc.add') {
      steps.push({ op: { op: 'qdisc.change', ns: now.ns, dev: now.dev, qdisc: now.qdisc }, undo: [{ op: 'qdisc.change', ns: was.ns, dev: was.dev, qdisc: was.qdisc }], what: `change ${b.key}: ${stateText(b)}`, source });
    } else if (now.op === 'dns.write' && was.op === 'dns.write') {
      steps.push({ op: { op: 'dns.remove', ns: was.ns }, undo: [was], what: `remove the old ${b.key}`, source });
      steps.push({ op: now, undo: [{ op: 'dns.remove', ns: now.ns }], what: `write ${b.key}`, source });
    } else {
      steps.push({ op: now, undo: [was], what: `${b.steps[0]!.what} (was ${stateText(a)})`, source });
    }
  }
  // Creations, in the new plan's order.
  for (const k of [...B.keys()].filter((x) => created.has(x))) {
    const f = fateOf(k);
    const b = B.get(k)!;
    changes.push(f ? { change: 'replace', what: k, source: b.steps[0]!.source, ...(f.why ? { why: f.why } : {}) } : { change: 'create', what: k, source: b.steps[0]!.source });
  }
  const made = [...created].flatMap((k) => B.get(k)!.steps.map((s) => ({ s, o: B.get(k)! }))).sort((x, y) => x.s.n - y.s.n);
  for (const { s, o } of made) {
    const goesWith = [...o.within].some((w) => created.has(w));
    let undo: LabOp[] = [];
    const op = s.op;
    if (op.op === 'sysctl.set') {
      if (!goesWith) {
        const now = current(op.ns, op.key);
        if (now === undefined) reads.push({ ns: op.ns, key: op.key });
        else undo = [{ op: 'sysctl.set', ns: op.ns, key: op.key, value: now }];
      }
    } else if (op.op === 'dns.write') {
      undo = [{ op: 'dns.remove', ns: op.ns }];
    } else if (op.op === 'link.add') {
      // As for deletions: a veth end in a namespace that stays is deleted by name, not left to the namespace's slow end.
      const ends: { ns: NsKey; name: string }[] = [{ ns: op.ns, name: op.link.name }, ...(op.link.kind === 'veth' ? [{ ns: op.link.peer.ns, name: op.link.peer.name }] : [])];
      const staying = ends.find((e) => e.ns === null || !created.has(nsObj(e.ns)));
      if (staying) undo = [{ op: 'link.del', ns: staying.ns, name: staying.name }];
    } else if (s === o.steps[0] && !goesWith) {
      undo = [removalOf(o)];
    }
    steps.push({ op, undo, what: s.what, source: s.source });
  }

  const union: Owned = { namespaces: [], rootLinks: [], dns: [] };
  for (const k of ['namespaces', 'rootLinks', 'dns'] as const) union[k] = [...new Set([...before.owned[k], ...next.owned[k]])];
  let n = 0;
  return {
    changes,
    steps: steps.map((s) => {
      const batch = s.op === null ? undefined : batchKey(s.op);
      return { n: ++n, ...s, ...(batch === undefined ? {} : { batch }) };
    }),
    next,
    union,
    reads,
  };
}

/** Every object of a plan, to be created: the changes of a lab that is not up. */
export function creations(plan: Plan): ObjectChange[] {
  return [...objectsOf(plan).values()].map((o) => ({ change: 'create', what: o.key, source: o.steps[0]!.source }));
}

/** One line per change: "  + namespace pair-green", "  ~ qdisc of veth-red in tbf-red: tbf rate 1mbit ... → tbf rate 2mbit ...". `done`: in the past tense. */
export function changesText(lab: string, changes: ObjectChange[], done = false): string {
  if (changes.length === 0) return `lab ${lab}: no changes; the lab is as described`;
  const sign = { create: '+', delete: '-', change: '~', replace: '±' } as const;
  const count = (c: ChangeKind) => changes.filter((x) => x.change === c).length;
  const head = done
    ? `${count('create')} created, ${count('change')} changed in place, ${count('replace')} made anew, ${count('delete')} deleted`
    : `${count('create')} to create, ${count('change')} to change in place, ${count('replace')} to make anew, ${count('delete')} to delete`;
  return [
    `lab ${lab}: ${head}`,
    ...changes.map((c) => `  ${sign[c.change]} ${c.what}${c.from !== undefined ? `: ${c.from} → ${c.to}` : ''}${c.why ? ` (${c.why})` : ''}${c.source ? `  [${c.source}]` : ''}`),
  ].join('\n');
}
