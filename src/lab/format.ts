// Text tables for people: the connectivity matrix, and each namespace's
// links, addresses and routes.
import type { NamespaceState } from './backend.js';
import type { Cell, ConnectivityMatrix } from './connectivity.js';
import { nsLabel } from './names.js';

/** Lays out rows of cells in columns (the first row is the header). */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, [...c].length); });
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd()).join('\n');
}

function best(c: Cell): number | undefined {
  const rtts = [c.udp, c.tcp, c.icmp].flatMap((o) => (o?.ok && o.rttMs !== undefined ? [o.rttMs] : []));
  return rtts.length ? Math.min(...rtts) : undefined;
}

/**
 * One row per source namespace, one column per address. A cell is
 * "ok 0.05ms" (answered, as expected), "-" (no answer, as expected),
 * "FAIL timeout" (should have answered), or "UNEXPECTED" (answered though it
 * should not have).
 */
export function cellText(c: Cell): string {
  if (c.reached && c.ok) {
    const rtt = best(c);
    return rtt === undefined ? 'ok' : `ok ${rtt < 10 ? rtt.toFixed(2) : rtt.toFixed(0)}ms`;
  }
  if (!c.reached && c.ok) return '-';
  if (c.reached) return 'UNEXPECTED';
  const why = [c.udp, c.tcp, c.icmp].find((o) => o && !o.ok)?.error?.split('\n')[0];
  return `FAIL${why ? ` ${why.length > 40 ? `${why.slice(0, 39)}…` : why}` : ''}`;
}

/** A connectivity matrix as a text table. */
export function formatMatrix(m: ConnectivityMatrix): string {
  const head = ['from \\ to', ...m.targets.map((t) => `${t.address} (${nsLabel(t.ns)})`)];
  const rows = m.sources.map((s, i) => [nsLabel(s), ...m.cells[i]!.map(cellText)]);
  const protos = m.icmp === 'measured' ? 'UDP, TCP, ICMP' : m.icmp === 'no ping' ? 'UDP, TCP (no ping for ICMP)' : 'UDP, TCP';
  const bad = m.cells.flat().filter((c) => !c.ok);
  const notes = bad.map((c) => `  ${nsLabel(c.from)} → ${c.to}: ${c.expected.reach ? 'expected to reach' : `expected not to reach (${c.expected.reason})`}`);
  // What a lab's firewall drops, as expected: said, so the "-" cells read as decisions, not faults.
  const dropped = m.cells.flat().filter((c) => c.ok && !c.reached && c.expected.reason?.startsWith('the firewall of'));
  notes.push(...dropped.map((c) => `  ${nsLabel(c.from)} → ${c.to}: dropped: ${c.expected.reason}`));
  return [`connectivity of lab ${m.lab} (${protos}): ${m.ok ? 'all as expected' : `${bad.length} not as expected`}`, table([head, ...rows]), ...notes].join('\n');
}

const LINK_LOCAL6 = /^fe[89ab][0-9a-f]:/i;

/**
 * One block per namespace: its links with state and addresses, then its
 * routes. IPv6 link-local addresses and their routes, which the kernel gives
 * every link and no description mentions, are left out unless asked for.
 */
export function formatNamespaces(states: { ns: string; state: NamespaceState }[], options: { linkLocal?: boolean } = {}): string {
  const keep = (a: string | undefined) => options.linkLocal === true || a === undefined || !LINK_LOCAL6.test(a);
  return states.map(({ ns, state }) => {
    // A qdisc column only where some link has one of its own (not the default noqueue).
    const qdiscs = state.links.some((l) => l.qdisc !== undefined && l.qdisc !== 'noqueue' && l.qdisc !== 'noop');
    const links = table([['link', 'kind', 'state', 'master', ...(qdiscs ? ['qdisc'] : []), 'addresses'], ...state.links.map((l) => [
      l.name, l.kind ?? '', l.up ? 'UP' : 'DOWN', l.master ?? '', ...(qdiscs ? [l.qdisc ?? ''] : []), l.addresses.filter(keep).join(' '),
    ])]);
    const shown = state.routes.filter((r) => keep(r.to));
    const routes = shown.length === 0 ? '  (no routes)' : table([['route', 'via', 'dev', 'proto'], ...shown.map((r) => [
      r.to === '0.0.0.0/0' || r.to === '::/0' ? 'default' : r.to, r.via ?? '', r.dev ?? '', r.protocol ?? '',
    ])]).split('\n').map((l) => `  ${l}`).join('\n');
    return [`namespace ${ns}`, links.split('\n').map((l) => `  ${l}`).join('\n'), routes].join('\n');
  }).join('\n\n');
}
