// A chain of N namespaces (N = 50 by default): each joined to the next by a
// veth pair on a /30, forwarding on in the middle ones, routes end to end so
// that the first reaches the last. Built and torn down with netlink-ts (a lab)
// beside the same topology made by a generated shell script of `ip`
// commands, and by `ip -batch` (one batch from the root namespace, one per
// namespace), the tools alternating, medians over the repeats.
//
// Runs inside bench's throw-away namespace (isolate()), over a tmpfs /run of
// its own so that /run/netns and the lab's record never reach the host's.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { firstLine, probeCommand } from '../src/lab/connectivity.js';
import type { LabDescription, RouteSpec } from '../src/lab/description.js';
import { KernelBackend } from '../src/lab/kernel/backend.js';
import { Lab } from '../src/lab/lab.js';
import type { ProbeReady, ProbeResult } from '../src/lab/probe.js';
import { statusText } from '../src/lab/status.js';
import { type Sample, median, now, table } from './harness.js';

export const PREFIX = 'nlts-ch-';
const ns = (i: number) => `c${i}`;
/** Link i joins c_i (.1) and c_i+1 (.2) on 198.18.i.0/30. */
const addr = (i: number, end: 1 | 2) => `198.18.${i}.${end}`;

/** The smallest set of prefixes covering 198.18.lo.0 … 198.18.hi.255. */
function cover(lo: number, hi: number): string[] {
  const out: string[] = [];
  while (lo <= hi) {
    let size = 1;
    while (lo % (size * 2) === 0 && lo + size * 2 - 1 <= hi) size *= 2;
    out.push(`198.18.${lo}.0/${24 - Math.log2(size)}`);
    lo += size;
  }
  return out;
}

export function chain(n: number): LabDescription {
  if (n < 2 || n > 255) throw new RangeError('a chain has 2 to 255 namespaces');
  return {
    name: 'chain',
    prefix: PREFIX,
    description: `${n} namespaces in a row, each joined to the next by a veth pair, routed end to end`,
    namespaces: Array.from({ length: n }, (_, i) => {
      const routes: RouteSpec[] = [];
      if (i > 0) routes.push({ to: 'default', via: addr(i - 1, 1) });
      // To the right: the subnets of links i+1 … n-2, through the next namespace.
      if (i < n - 1) for (const to of cover(i + 1, n - 2)) routes.push({ to, via: addr(i, 2) });
      return { name: ns(i), ...(i > 0 && i < n - 1 ? { forwarding: true } : {}), ...(routes.length ? { routes } : {}) };
    }),
    veths: Array.from({ length: n - 1 }, (_, i) => ({
      a: { name: 'right', namespace: ns(i), addresses: [`${addr(i, 1)}/30`] },
      b: { name: 'left', namespace: ns(i + 1), addresses: [`${addr(i, 2)}/30`] },
    })),
  };
}

/** The same topology as `ip` commands, one process each, as a tutorial writes them. */
function ipScript(lab: LabDescription): { up: string; down: string } {
  const up: string[] = ['set -e'];
  const name = (n: string) => PREFIX + n;
  for (const s of lab.namespaces) up.push(`ip netns add ${name(s.name)}`);
  for (const v of lab.veths!) up.push(`ip link add ${v.a.name} netns ${name(v.a.namespace!)} type veth peer name ${v.b.name} netns ${name(v.b.namespace!)}`);
  for (const s of lab.namespaces) if (s.forwarding) up.push(`ip netns exec ${name(s.name)} sysctl -qw net.ipv4.ip_forward=1`);
  for (const v of lab.veths!) for (const e of [v.a, v.b]) up.push(`ip -n ${name(e.namespace!)} address add ${e.addresses![0]} dev ${e.name}`);
  for (const s of lab.namespaces) up.push(`ip -n ${name(s.name)} link set lo up`);
  for (const v of lab.veths!) for (const e of [v.a, v.b]) up.push(`ip -n ${name(e.namespace!)} link set ${e.name} up`);
  for (const s of lab.namespaces) for (const r of s.routes ?? []) up.push(`ip -n ${name(s.name)} route add ${r.to} via ${r.via}`);
  return { up: `${up.join('\n')}\n`, down: `${lab.namespaces.map((s) => `ip netns del ${name(s.name)}`).join('\n')}\n` };
}

/** The same with `ip -batch`: one batch from the root namespace, then one per namespace. */
export function ipBatches(lab: LabDescription): { up: string; down: string } {
  const name = (n: string) => PREFIX + n;
  const root = [
    ...lab.namespaces.map((s) => `netns add ${name(s.name)}`),
    ...lab.veths!.map((v) => `link add ${v.a.name} netns ${name(v.a.namespace!)} type veth peer name ${v.b.name} netns ${name(v.b.namespace!)}`),
    ...lab.namespaces.filter((s) => s.forwarding).map((s) => `netns exec ${name(s.name)} sysctl -qw net.ipv4.ip_forward=1`),
  ];
  const up = ['set -e', `ip -batch - <<'EOF'\n${root.join('\n')}\nEOF`];
  for (const s of lab.namespaces) {
    const ends = lab.veths!.flatMap((v) => [v.a, v.b]).filter((e) => e.namespace === s.name);
    const lines = [
      ...ends.map((e) => `address add ${e.addresses![0]} dev ${e.name}`),
      'link set lo up',
      ...ends.map((e) => `link set ${e.name} up`),
      ...(s.routes ?? []).map((r) => `route add ${r.to} via ${r.via}`),
    ];
    up.push(`ip -n ${name(s.name)} -batch - <<'EOF'\n${lines.join('\n')}\nEOF`);
  }
  return { up: `${up.join('\n')}\n`, down: `ip -batch - <<'EOF'\n${lab.namespaces.map((s) => `netns del ${name(s.name)}`).join('\n')}\nEOF\n` };
}

function sh(script: string): void {
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the shell script failed (${r.status}): ${r.stderr}`);
}

/** Whether the first namespace reaches the last one's address, with the lab's probe (UDP and TCP). */
async function endToEnd(lab: Lab): Promise<void> {
  const first = lab.names.namespace(lab.description.namespaces[0]!.name);
  const last = lab.names.namespace(lab.description.namespaces.at(-1)!.name);
  const target = lab.description.veths!.at(-1)!.b.addresses![0]!.split('/')[0]!;
  const server = lab.backend.spawn(last, [...probeCommand(), 'serve', '--stdin'], { mounts: false });
  try {
    const ready = JSON.parse(await firstLine(server.stdout, 10_000)) as ProbeReady;
    const req = { targets: [{ address: target, udp: ready.udp, tcp: ready.tcp }], timeoutMs: 2000 };
    const r = await lab.backend.exec(first, [...probeCommand(), 'send', JSON.stringify(req)], { mounts: false });
    const [res] = (JSON.parse(r.stdout) as { results: ProbeResult[] }).results;
    if (!res?.udp?.ok || !res.tcp?.ok) throw new Error(`${first} does not reach ${target} in ${last}: ${r.stdout}${r.stderr}`);
  } finally {
    server.kill();
    await server.done.catch(() => undefined);
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function labChain(n: number, repeats: number): Promise<string> {
  execFileSync('mount', ['-t', 'tmpfs', 'nlts-bench-run', '/run']);
  try {
    const description = chain(n);
    const lab = new Lab(description, new KernelBackend());
    const script = ipScript(description);
    const batches = ipBatches(description);
    writeFileSync('/run/chain-up.sh', script.up);
    const lines = [`lab chain: ${n} namespaces, ${n - 1} veth pairs, ${lab.plan.steps.length} lab steps; the shell script runs ${script.up.split('\n').length - 2} ip commands (/run/chain-up.sh)`];

    // Once each, checked: both build a chain that works end to end and that the lab's status calls its own.
    await lab.up();
    await endToEnd(lab);
    await lab.down();
    sh(script.up);
    const st = await lab.status();
    if (st.counts.missing + st.counts.different > 0) throw new Error(`the ip script built something else than the lab:\n${statusText(st)}`);
    sh(script.down);
    lines.push(`checked: both build the same chain (the lab's status finds the ip-built one complete), and the first namespace reaches the last over ${n - 1} hops`);

    const tools = [
      { label: 'netlink-ts (lab)', up: () => lab.up(), down: () => lab.down() },
      { label: 'ip commands (sh)', up: () => sh(script.up), down: () => sh(script.down) },
      { label: 'ip -batch', up: () => sh(batches.up), down: () => sh(batches.down) },
    ];
    const ups: Sample[] = tools.map((t) => ({ label: t.label, seconds: [] }));
    const downs: Sample[] = tools.map((t) => ({ label: t.label, seconds: [] }));
    for (let r = 0; r < repeats; r++) {
      for (const [k, t] of tools.entries()) {
        let t0 = now();
        await t.up();
        ups[k]!.seconds.push(now() - t0);
        t0 = now();
        await t.down();
        downs[k]!.seconds.push(now() - t0);
        // Namespaces are freed by the kernel after their names go; let that finish before the next build.
        await pause(300);
      }
    }
    lines.push(table(`lab chain up (${n} namespaces), median of ${repeats}`, ups, 'ip commands (sh)'));
    lines.push(table(`lab chain down (${n} namespaces), median of ${repeats}`, downs, 'ip commands (sh)'));
    const total = (k: number) => median(ups[k]!.seconds) + median(downs[k]!.seconds);
    lines.push(`up + down: netlink-ts ${(total(0) * 1e3).toFixed(0)} ms, ip commands ${(total(1) * 1e3).toFixed(0)} ms (${(total(1) / total(0)).toFixed(1)}×), ip -batch ${(total(2) * 1e3).toFixed(0)} ms (${(total(2) / total(0)).toFixed(1)}×)`);
    return lines.join('\n');
  } finally {
    spawnSync('umount', ['-l', '/run']);
  }
}
