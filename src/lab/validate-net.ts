// Pass three of validation: what only makes sense as a network. Addresses
// that cannot be an interface's, the same address twice, subnets a namespace
// could not tell apart, prefix lengths that disagree on one wire, and routes
// whose gateway is on none of the namespace's subnets.
import { type Prefix, formatIP, networkOf, parseIP, parsePrefix } from '../netlink/ip.js';
import type { LabDescription, RouteSpec } from './description.js';
import { nsLabel } from './names.js';
import { type Reader, didYouMean, join } from './shape.js';
import { broadcastOf, contains, earliestOverlaps, subnetText } from './subnet.js';
import type { Iface, Topology } from './topology.js';

/** Why an address cannot be an interface's in a lab, or undefined. */
export function unusable(p: Prefix): string | undefined {
  const b = p.bytes;
  if (p.family === 4) {
    if (b[0] === 0) return 'is in 0.0.0.0/8, which means "this network"';
    if (b[0] === 127) return 'is a loopback address (127.0.0.0/8 belongs to lo)';
    if (b[0]! >= 224 && b[0]! < 240) return 'is a multicast address';
    if (b[0]! >= 240) return 'is a reserved or broadcast address';
    if (p.length <= 30 && networkOf(b, p.length).equals(b)) return `is the network address of ${subnetText(p)}`;
    if (p.length <= 30 && broadcastOf(p).equals(b)) return `is the broadcast address of ${subnetText(p)}`;
    return undefined;
  }
  if (b.every((x) => x === 0)) return 'is the unspecified address';
  if (b.subarray(0, 15).every((x) => x === 0) && b[15] === 1) return 'is the loopback address ::1';
  if (b[0] === 0xff) return 'is a multicast address';
  return undefined;
}

export function checkNetwork(r: Reader, lab: LabDescription, topo: Topology): void {
  // A firewall names interfaces of its own namespace (lo included).
  lab.namespaces.forEach((spec, k) => {
    const fw = spec.firewall;
    if (!fw) return;
    const mine = new Set(['lo', ...topo.in(spec.name).map((i) => i.name)]);
    const check = (name: string | undefined, path: string): void => {
      if (name !== undefined && !mine.has(name)) r.report(path, `${spec.name} has no interface "${name}" (it has: ${[...mine].join(', ')})`);
    };
    for (const key of ['input', 'forward'] as const) {
      fw[key]?.allow?.forEach((a, i) => { check(a.in, `namespaces[${k}].firewall.${key}.allow[${i}].in`); check(a.out, `namespaces[${k}].firewall.${key}.allow[${i}].out`); });
    }
    fw.masquerade?.forEach((d, i) => check(d, `namespaces[${k}].firewall.masquerade[${i}]`));
  });
  const seen = new Map<string, string>();
  for (const i of topo.ifaces) {
    for (const a of i.addresses) {
      const first = seen.get(a.prefix.address);
      if (first !== undefined) r.report(a.path, `${a.prefix.address} is also at ${first}; an address belongs in one place`);
      else seen.set(a.prefix.address, a.path);
    }
  }

  // Two links of one namespace on overlapping subnets: which one would a packet take?
  // (Each address is reported once, against the first earlier one it overlaps.)
  for (const ns of topo.namespaces) {
    const addrs = topo.in(ns).flatMap((i) => i.addresses.map((a) => ({ i, a })));
    earliestOverlaps(addrs, (x) => x.a.prefix, (x) => x.i).forEach((y, x) => {
      if (y === undefined) return;
      const A = addrs[x]!;
      const B = addrs[y]!;
      r.report(A.a.path, `subnet ${subnetText(A.a.prefix)} overlaps ${subnetText(B.a.prefix)} of ${B.i.name} (${B.a.path}) in ${ns === null ? 'the root namespace' : `namespace "${ns}"`}; the namespace could not tell which link to use`);
    });
  }

  // One wire, one idea of each subnet's size.
  const wires = topo.segments();
  const onWire = new Map<number, { text: string; prefix: Prefix; path: string }[]>();
  for (const i of topo.ifaces) {
    const w = wires.get(i.key)!;
    let list = onWire.get(w);
    if (!list) onWire.set(w, list = []);
    for (const a of i.addresses) list.push({ text: a.text, prefix: a.prefix, path: a.path });
  }
  for (const list of onWire.values()) {
    earliestOverlaps(list, (o) => o.prefix, (o) => o.prefix.length).forEach((y, x) => {
      if (y === undefined) return;
      const a = list[x]!;
      const clash = list[y]!;
      r.report(a.path, `${a.text} says /${a.prefix.length} but ${clash.path} on the same wire says /${clash.prefix.length}`);
    });
  }

  lab.namespaces.forEach((ns, n) => {
    const seenRoutes = new Map<string, number>();
    (ns.routes ?? []).forEach((route, k) => {
      const path = `namespaces[${n}].routes[${k}]`;
      const key = checkRoute(r, route, path, topo.in(ns.name), ns.name);
      if (key === undefined) return;
      if (seenRoutes.has(key)) r.report(path, `the same route as routes[${seenRoutes.get(key)}]`);
      else seenRoutes.set(key, k);
    });
  });
}

/** Checks one route; returns a key that identifies it (destination and metric), or undefined when it is unusable. */
function checkRoute(r: Reader, route: RouteSpec, path: string, ifaces: Iface[], ns: string): string | undefined {
  const via = route.via === undefined ? undefined : parseIP(route.via, '');
  let to: Prefix | undefined;
  if (route.to === 'default') {
    to = parsePrefix(via?.length === 16 ? '::/0' : '0.0.0.0/0', '');
  } else {
    try {
      to = parsePrefix(route.to, '');
    } catch (err) {
      r.report(join(path, 'to'), `${(err as Error).message.replace(/^: /, '')}; expected "default" or a prefix like "10.0.2.0/24"`);
      return undefined;
    }
    const net = networkOf(to.bytes, to.length);
    if (!net.equals(to.bytes)) {
      r.report(join(path, 'to'), `${route.to} has host bits set; did you mean ${formatIP(net)}/${to.length}?`);
    }
  }
  let ok = true;
  if (via && via.length !== to.bytes.length) {
    r.report(join(path, 'via'), `gateway ${route.via} is IPv${via.length === 4 ? 4 : 6}, the destination IPv${to.family}`);
    ok = false;
  }
  let dev: Iface | undefined;
  if (route.dev !== undefined) {
    dev = ifaces.find((i) => i.name === route.dev);
    if (!dev) {
      r.report(join(path, 'dev'), `no interface "${route.dev}" in namespace "${ns}"${didYouMean(route.dev, ifaces.map((i) => i.name))}`);
      ok = false;
    } else if (dev.master !== undefined) {
      r.report(join(path, 'dev'), `"${route.dev}" is a bridge port; route through the bridge`);
      ok = false;
    }
  }
  if (via && ok) {
    const own = ifaces.flatMap((i) => i.addresses).find((a) => a.prefix.bytes.equals(via));
    const on = (dev ? [dev] : ifaces).filter((i) => i.addresses.some((a) => contains(a.prefix, via)));
    if (own) {
      r.report(join(path, 'via'), `${route.via} is this namespace's own address (${own.path})`);
      ok = false;
    } else if (on.length === 0) {
      const nets = (dev ? [dev] : ifaces).flatMap((i) => i.addresses.filter((a) => a.prefix.family === (via.length === 4 ? 4 : 6)).map((a) => `${subnetText(a.prefix)} on ${i.name}`));
      r.report(join(path, 'via'), `gateway ${route.via} is not on any subnet of ${dev ? `"${dev.name}"` : `namespace "${ns}"`}` +
        (nets.length ? ` (${nets.join(', ')})` : ' (it has no addresses of that family)'));
      ok = false;
    } else if (!on.some((i) => i.up)) {
      r.report(join(path, 'via'), `gateway ${route.via} is reached through ${on.map((i) => i.name).join(', ')}, which the lab leaves down`);
      ok = false;
    }
  }
  if (route.src !== undefined) {
    const src = parseIP(route.src, '');
    if (!ifaces.some((i) => i.addresses.some((a) => a.prefix.bytes.equals(src)))) {
      r.report(join(path, 'src'), `${route.src} is not an address of namespace "${nsLabel(ns)}"`);
      ok = false;
    }
  }
  return ok ? `${to.address}/${to.length} metric ${route.metric ?? 0}` : undefined;
}
