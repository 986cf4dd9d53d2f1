// What exists now against the description: every described thing is ok,
// missing or different, and things the lab would have made that the
// description does not have are extra. Pure: the world comes in as data.
import { parsePrefix } from '../netlink/ip.js';
import type { LinkState, NamespaceState, RouteState } from './backend.js';
import type { LabDescription } from './description.js';
import type { NsKey } from './names.js';
import { type Plan, type RouteAdd, dnsFiles, routeAdd, sysctlsOf } from './plan.js';
import { QDISC_KINDS } from './qdisc.js';
import { type Iface, Topology } from './topology.js';

/** How a described object compares with the system: there as described, missing, not described, or different. */
export type StatusState = 'ok' | 'missing' | 'extra' | 'different';

/** One object of a lab's status: what it is, its state, and how it differs. */
export interface StatusItem {
  state: StatusState;
  /** "namespace pair-red", "link veth-red in pair-red", "address 10.0.0.1/24 on veth-red in pair-red". */
  what: string;
  /** Where in the description, when it is described. */
  source?: string;
  want?: string;
  got?: string;
}

/** A lab as the system has it against its description: whether it is up, and each object's state. */
export interface LabStatus {
  lab: string;
  /** Everything described exists as described (extras aside). */
  up: boolean;
  /** A record of what the lab made exists. */
  recorded: boolean;
  items: StatusItem[];
  counts: Record<StatusState, number>;
}

/** What status() reads from the system. */
export interface World {
  namespaces: string[];
  /** Inspected namespaces by system name (null: the root namespace). */
  states: Map<NsKey, NamespaceState>;
  /** Namespaces and root links the lab's record lists. */
  recorded?: { namespaces: string[]; rootLinks: string[] };
  /** Names under /run/netns that hold no namespace (a creation killed half way). */
  leftovers?: string[];
}

/** The kinds of link a lab makes: others in its namespaces (lo, tunnel fallback devices) are the kernel's. */
const LAB_LINK_KINDS = new Set(['veth', 'bridge', 'tun']);
/** The kind the kernel reports for each kind of lab interface (a tap is a tun device in tap mode). */
const KERNEL_KIND = { veth: 'veth', bridge: 'bridge', tap: 'tun' } as const;

function canonical(address: string): string {
  const p = parsePrefix(address, '');
  return `${p.address}/${p.length}`;
}

function isLinkLocal6(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

/** A route's metric as the kernel keeps it: IPv6 routes added without one get 1024 (IP6_RT_PRIO_USER). */
function metricOf(family: 4 | 6, metric: number | undefined): number {
  return metric ?? (family === 6 ? 1024 : 0);
}

function sameRoute(want: RouteAdd, got: RouteState): boolean {
  return want.family === got.family && canonical(want.to) === canonical(got.to) &&
    (want.via === undefined || want.via === got.via) && (want.dev === undefined || want.dev === got.dev) &&
    metricOf(want.family, want.metric) === metricOf(got.family, got.metric);
}

/** Compares what the system holds with a lab's description and plan. */
export function diffStatus(lab: LabDescription, plan: Plan, world: World): LabStatus {
  const names = plan.names;
  const topo = new Topology(lab);
  const items: StatusItem[] = [];
  const add = (state: StatusState, what: string, source?: string, want?: string, got?: string) => {
    const it: StatusItem = { state, what };
    if (source !== undefined) it.source = source;
    if (want !== undefined) it.want = want;
    if (got !== undefined) it.got = got;
    items.push(it);
  };
  const where = (ns: NsKey) => (ns === null ? 'the root namespace' : ns);

  const checkLink = (i: Iface, links: Map<string, LinkState>, ns: NsKey) => {
    const name = names.link(i.ns, i.name);
    const what = `link ${name} in ${where(ns)}`;
    const got = links.get(name);
    if (!got) return add('missing', what, i.key);
    const diffs: [string, string | undefined, string | undefined][] = [];
    if (got.kind !== KERNEL_KIND[i.kind]) diffs.push(['kind', KERNEL_KIND[i.kind], got.kind]);
    if (got.up !== i.up) diffs.push(['state', i.up ? 'up' : 'down', got.up ? 'up' : 'down']);
    if (i.spec.mtu !== undefined && got.mtu !== i.spec.mtu) diffs.push(['mtu', String(i.spec.mtu), got.mtu === undefined ? undefined : String(got.mtu)]);
    if (i.spec.mac !== undefined && got.mac?.toLowerCase() !== i.spec.mac.toLowerCase()) diffs.push(['mac', i.spec.mac.toLowerCase(), got.mac]);
    const br = i.master === undefined ? undefined : topo.byKey.get(i.master)!;
    const master = br === undefined ? undefined : names.link(br.ns, br.name);
    if (got.master !== master) diffs.push(['master', master ?? 'none', got.master ?? 'none']);
    if (i.ns === null && got.alias !== names.alias) diffs.push(['alias', names.alias, got.alias ?? 'none']);
    if (diffs.length === 0) add('ok', what, i.key);
    for (const [k, want, have] of diffs) add('different', `${k} of ${what}`, i.key, want, have ?? 'none');

    const wanted = new Set(i.addresses.map((a) => `${a.prefix.address}/${a.prefix.length}`));
    const have = new Set(got.addresses.map(canonical));
    for (const a of i.addresses) {
      const text = `${a.prefix.address}/${a.prefix.length}`;
      add(have.has(text) ? 'ok' : 'missing', `address ${text} on ${name} in ${where(ns)}`, a.path);
    }
    for (const a of have) if (!wanted.has(a) && !isLinkLocal6(a)) add('extra', `address ${a} on ${name} in ${where(ns)}`);

    const q = i.spec.qdisc?.kind;
    if (q !== undefined) add(got.qdisc === q ? 'ok' : 'different', `qdisc of ${what}`, `${i.key}.qdisc`, q, got.qdisc ?? 'none');
    else if (got.qdisc !== undefined && (QDISC_KINDS as readonly string[]).includes(got.qdisc)) add('extra', `${got.qdisc} qdisc on ${what}`, i.key);
  };

  const described = new Set(plan.owned.namespaces);
  const present = new Set(world.namespaces);
  const leftover = new Set(world.leftovers);
  lab.namespaces.forEach((spec, k) => {
    const ns = names.namespace(spec.name);
    if (leftover.has(ns)) {
      return add('different', `namespace ${ns}`, `namespaces[${k}]`, 'a namespace',
        'a leftover name with no namespace on it (a creation killed half way); down() removes it, up() replaces it');
    }
    const state = world.states.get(ns);
    if (!present.has(ns) || !state) return add('missing', `namespace ${ns}`, `namespaces[${k}]`);
    add('ok', `namespace ${ns}`, `namespaces[${k}]`);
    const links = new Map(state.links.map((l) => [l.name, l]));
    if (spec.loopback !== false) {
      const lo = links.get('lo');
      add(lo?.up ? 'ok' : 'different', `lo in ${ns}`, `namespaces[${k}].loopback`, 'up', lo?.up ? 'up' : 'down');
    }
    const mine = topo.in(spec.name);
    for (const i of mine) checkLink(i, links, ns);
    for (const l of state.links) {
      if (l.kind !== undefined && LAB_LINK_KINDS.has(l.kind) && !mine.some((i) => i.name === l.name)) add('extra', `${l.kind} ${l.name} in ${ns}`);
    }
    for (const [key, value] of sysctlsOf(lab, topo, spec.name)) {
      const got = state.sysctls[key];
      const source = spec.sysctls?.[key] !== undefined ? `namespaces[${k}].sysctls["${key}"]` : `namespaces[${k}].forwarding`;
      add(got === value ? 'ok' : 'different', `sysctl ${key} in ${ns}`, source, value, got ?? 'absent');
    }
    const wantRoutes = (spec.routes ?? []).map((r) => routeAdd(r, names, spec.name));
    wantRoutes.forEach((r, j) => {
      const text = `route ${spec.routes![j]!.to}${r.via ? ` via ${r.via}` : ''} in ${ns}`;
      add(state.routes.some((g) => sameRoute(r, g)) ? 'ok' : 'missing', text, `namespaces[${k}].routes[${j}]`);
    });
    for (const g of state.routes) {
      if ((g.protocol === 'boot' || g.protocol === 'static') && !wantRoutes.some((r) => sameRoute(r, g))) {
        add('extra', `route ${g.to}${g.via ? ` via ${g.via}` : ''}${g.dev ? ` dev ${g.dev}` : ''} in ${ns}`);
      }
    }
    const files = dnsFiles(lab, spec.name);
    for (const f of ['resolvConf', 'hosts'] as const) {
      const file = f === 'resolvConf' ? 'resolv.conf' : 'hosts';
      const want = files?.[f];
      const got = state.dns?.[f];
      if (want !== undefined) add(got === want ? 'ok' : got === undefined ? 'missing' : 'different', `/etc/netns/${ns}/${file}`, `namespaces[${k}].dns`);
      else if (got?.startsWith(`# written by netlink-ts lab ${lab.name}\n`)) add('extra', `/etc/netns/${ns}/${file}`);
    }
  });

  const root = world.states.get(null);
  const rootIfaces = topo.in(null);
  if (root) {
    const links = new Map(root.links.map((l) => [l.name, l]));
    for (const i of rootIfaces) checkLink(i, links, null);
    for (const l of root.links) {
      if (l.alias === names.alias && !rootIfaces.some((i) => names.link(null, i.name) === l.name)) add('extra', `link ${l.name} in the root namespace`);
    }
  } else {
    for (const i of rootIfaces) add('missing', `link ${names.link(null, i.name)} in the root namespace`, i.key);
  }
  for (const ns of world.recorded?.namespaces ?? []) {
    if (!described.has(ns) && present.has(ns)) add('extra', `namespace ${ns} (recorded, no longer described)`);
  }

  const counts: Record<StatusState, number> = { ok: 0, missing: 0, extra: 0, different: 0 };
  for (const it of items) counts[it.state]++;
  return { lab: lab.name, up: counts.missing === 0 && counts.different === 0, recorded: world.recorded !== undefined, items, counts };
}

/** One line per item that is not ok, or a single line saying all is well. */
export function statusText(s: LabStatus): string {
  const bad = s.items.filter((i) => i.state !== 'ok');
  const head = `lab ${s.lab}: ${s.counts.ok} ok, ${s.counts.missing} missing, ${s.counts.different} different, ${s.counts.extra} extra${s.recorded ? '' : ' (no record: not made by up())'}`;
  return [head, ...bad.map((i) => `  ${i.state.padEnd(9)} ${i.what}${i.want !== undefined ? `: want ${i.want}, got ${i.got}` : ''}${i.source ? `  [${i.source}]` : ''}`)].join('\n');
}
