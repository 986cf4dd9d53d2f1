// Measuring which namespaces reach which addresses: an echo server (probe.js
// serve) in every namespace that has addresses, one probe.js send per source
// namespace asking all targets at once over UDP and TCP, and ping for ICMP
// where it is installed. Each cell carries what the description says should
// happen (reach.ts), so a matrix shows at a glance what is not as expected.
// None of these programs reads /etc, so they are started straight in the
// namespace (mounts: false), without a helper process each.
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { LabBackend, LabProcess } from './backend.js';
import type { LabDescription } from './description.js';
import { messageOf } from './errors.js';
import type { NsKey } from './names.js';
import { labNames } from './plan.js';
import type { ProbeOutcome, ProbeReady, ProbeRequest, ProbeResult } from './probe.js';
import { type Expectation, type Target, expectedMatrix } from './reach.js';

/** How a connectivity probe asks: a UDP or TCP echo, or ICMP ping. */
export type Protocol = 'udp' | 'tcp' | 'icmp';

/** How connectivity is measured: protocols, time limits and which pairs. */
export interface ConnectivityOptions {
  /** Default: all three (ICMP only where ping is installed). */
  protocols?: Protocol[];
  /** How long to wait for each answer. Default 1000 ms. */
  timeoutMs?: number;
  /** How to run the probe script; default: this Node with the probe.js beside this module (dist/bundle/probe.js in the package). */
  probeCommand?: string[];
  /** How many pings run at once. Default 16. */
  concurrency?: number;
  /**
   * How long, at most, to wait for IPv6 duplicate address detection to end in
   * the lab's namespaces before probing, when the lab has IPv6 addresses.
   * The lab's own addresses skip detection, but every link's link-local
   * address goes through it (about 2 s after the link comes up), and a router
   * whose link-local address is still tentative can lose the first packets it
   * forwards. Default 5000 ms; 0: probe at once.
   */
  settleMs?: number;
}

/** One measured pair: from a namespace to an address, what was expected and what happened. */
export interface Cell {
  from: NsKey;
  to: string;
  toNs: NsKey;
  expected: Expectation;
  udp?: ProbeOutcome;
  tcp?: ProbeOutcome & { connectMs?: number };
  icmp?: ProbeOutcome;
  /** Some protocol got its answer. */
  reached: boolean;
  /** reached is what the description says it should be. */
  ok: boolean;
}

/** Every namespace against every address of a lab: expected and measured. */
export interface ConnectivityMatrix {
  lab: string;
  sources: NsKey[];
  targets: Target[];
  /** cells[i][j]: from sources[i] to targets[j]. */
  cells: Cell[][];
  /** Every cell is as expected. */
  ok: boolean;
  /** Whether ICMP was measured ('no ping': not installed in the namespaces). */
  icmp: 'measured' | 'no ping' | 'not asked';
}

/** The command line of the probe program the connectivity measurement runs in each namespace. */
export function probeCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('./probe.js', import.meta.url))];
}

/** The first line a stream writes, or an error after timeoutMs. */
export function firstLine(stream: Readable, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (fn: () => void) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      fn();
    };
    const onData = (d: Buffer | string) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(() => resolve(buf.slice(0, nl)));
    };
    const onEnd = () => done(() => reject(new Error(buf ? `ended after ${JSON.stringify(buf)}` : 'ended without a word')));
    const timer = setTimeout(() => done(() => reject(new Error(`said nothing within ${timeoutMs} ms`))), timeoutMs);
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}

/** Runs fn over items, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function parsePingRtt(stdout: string): number | undefined {
  const m = /time[=<]([\d.]+) ?ms/.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

/** Waits until no address in these namespaces is tentative, or `ms` have passed. */
async function dadSettled(backend: LabBackend, namespaces: NsKey[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    // A namespace that cannot be read is the probes' to report, not this wait's.
    const states = await Promise.all(namespaces.map((ns) => backend.inspect(ns, { sysctls: [] }).catch(() => undefined)));
    if (!states.some((st) => st?.links.some((l) => l.tentative?.length))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Measures which namespaces of a built lab reach which addresses, beside what the description expects. */
export async function measureConnectivity(lab: LabDescription, backend: LabBackend, options: ConnectivityOptions = {}): Promise<ConnectivityMatrix> {
  const protocols = new Set(options.protocols ?? ['udp', 'tcp', 'icmp']);
  const timeoutMs = options.timeoutMs ?? 1000;
  const cmd = options.probeCommand ?? probeCommand();
  const names = labNames(lab);
  const expected = expectedMatrix(lab);
  const cells: Cell[][] = expected.sources.map((from, i) => expected.targets.map((t, j) => ({
    from, to: t.address, toNs: t.ns, expected: expected.cells[i]![j]!, reached: false, ok: false,
  })));

  const servers = new Map<NsKey, { proc?: LabProcess; ready?: ProbeReady; error?: string }>();
  const wantEcho = protocols.has('udp') || protocols.has('tcp');
  if (wantEcho) {
    await Promise.all([...new Set(expected.targets.map((t) => t.ns))].map(async (ns) => {
      const entry: { proc?: LabProcess; ready?: ProbeReady; error?: string } = {};
      servers.set(ns, entry);
      try {
        // The addresses to answer on, from the description: what the namespace lists may still lack some (see probe.ts).
        const own = expected.targets.filter((t) => t.ns === ns).flatMap((t) => ['--address', t.address]);
        entry.proc = backend.spawn(names.ns(ns), [...cmd, 'serve', '--stdin', '--timeout', String(60_000 + 10 * timeoutMs), ...own], { mounts: false });
        entry.ready = JSON.parse(await firstLine(entry.proc.stdout, 10_000)) as ProbeReady;
      } catch (err) {
        entry.error = `the probe server did not start: ${messageOf(err)}`;
      }
    }));
  }
  let icmp: ConnectivityMatrix['icmp'] = protocols.has('icmp') ? 'measured' : 'not asked';
  try {
    if (expected.targets.some((t) => t.address.includes(':'))) {
      await dadSettled(backend, [...new Set([...expected.sources, ...expected.targets.map((t) => t.ns)])].map((ns) => names.ns(ns)), options.settleMs ?? 5000);
    }
    if (wantEcho) {
      // One source at a time: a probe started while others start too times
      // the machine's scheduler (milliseconds), not the network.
      await pool(expected.sources.map((from, i) => ({ from, i })), 1, async ({ from, i }) => {
        const req: ProbeRequest = { targets: [], timeoutMs };
        expected.targets.forEach((t, j) => {
          const s = servers.get(t.ns)!;
          if (!s.ready) {
            const fail = { ok: false, error: s.error ?? 'no probe server' };
            if (protocols.has('udp')) cells[i]![j]!.udp = fail;
            if (protocols.has('tcp')) cells[i]![j]!.tcp = fail;
            return;
          }
          req.targets.push({ address: t.address, ...(protocols.has('udp') ? { udp: s.ready.udp } : {}), ...(protocols.has('tcp') ? { tcp: s.ready.tcp } : {}) });
        });
        if (req.targets.length === 0) return;
        let results: ProbeResult[];
        try {
          const r = await backend.exec(names.ns(from), [...cmd, 'send', JSON.stringify(req)], { timeoutMs: 4 * timeoutMs + 10_000, mounts: false });
          if (r.code !== 0) throw new Error(`exit ${r.code ?? r.signal}: ${r.stderr.trim()}`);
          results = (JSON.parse(r.stdout) as { results: ProbeResult[] }).results;
        } catch (err) {
          const fail = { ok: false, error: `the probe failed: ${messageOf(err)}` };
          results = req.targets.map((t) => ({ address: t.address, ...(t.udp ? { udp: fail } : {}), ...(t.tcp ? { tcp: fail } : {}) }));
        }
        for (const res of results) {
          const j = expected.targets.findIndex((t) => t.address === res.address);
          if (j < 0) continue;
          if (res.udp) cells[i]![j]!.udp = res.udp;
          if (res.tcp) cells[i]![j]!.tcp = res.tcp;
        }
      });
    }
    if (protocols.has('icmp') && expected.sources.length > 0) {
      const jobs = expected.sources.flatMap((from, i) => expected.targets.map((t, j) => ({ from, i, j, t })));
      let noPing = false;
      const wait = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
      const ping = async (job: (typeof jobs)[number]) => {
        if (noPing) return;
        try {
          const r = await backend.exec(names.ns(job.from), ['ping', '-n', '-c', '1', '-W', wait, job.t.address], { timeoutMs: timeoutMs + 5000, mounts: false });
          const rtt = parsePingRtt(r.stdout);
          cells[job.i]![job.j]!.icmp = r.code === 0 ? { ok: true, ...(rtt !== undefined ? { rttMs: rtt } : {}) } : { ok: false, error: r.code === 1 ? 'timeout' : (r.stderr.trim() || `exit ${r.code}`) };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') noPing = true;
          else cells[job.i]![job.j]!.icmp = { ok: false, error: messageOf(err) };
        }
      };
      await ping(jobs[0]!); // finds out whether ping is there before starting many
      await pool(jobs.slice(1), options.concurrency ?? 16, ping);
      if (noPing) {
        icmp = 'no ping';
        for (const row of cells) for (const c of row) delete c.icmp;
      }
    }
  } finally {
    for (const s of servers.values()) s.proc?.kill();
    await Promise.all([...servers.values()].map((s) => s.proc?.done.catch(() => undefined)));
  }
  let ok = true;
  for (const row of cells) {
    for (const c of row) {
      c.reached = [c.udp, c.tcp, c.icmp].some((o) => o?.ok === true);
      c.ok = c.reached === c.expected.reach;
      ok &&= c.ok;
    }
  }
  return { lab: lab.name, sources: expected.sources, targets: expected.targets, cells, ok, icmp };
}
