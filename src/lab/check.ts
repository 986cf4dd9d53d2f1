// `lab check`: the description's expectations (expect.ts) measured with the
// built-in probe (measure.js): a UDP echo and a TCP sink in the namespace
// of each target address, a sender in the source namespace. Reachability,
// round-trip time (the median of the echoes) and loss come from numbered
// UDP echoes; the rate from a TCP transfer bounded in bytes (twice what the
// expected rate carries in the window) and in time (the window, 3 s by
// default), counted where it arrives. Traffic stays between the lab's own
// namespaces; every program is ended before check() returns.
import { fileURLToPath } from 'node:url';
import type { LabBackend, LabProcess } from './backend.js';
import { firstLine } from './connectivity.js';
import type { LabDescription } from './description.js';
import { messageOf } from './errors.js';
import { type Expected, type Tolerance, expected, within } from './expect.js';
import type { PingResult, RateResult } from './measure.js';
import { labNames } from './plan.js';
import { Topology } from './topology.js';

/** How `lab.check()` / `checkLab()` measures (`netlink-ts lab check FILE [--seconds S]`). */
export interface CheckOptions {
  /** The probe program (default: measure.js beside the library, run by this Node). */
  measureCommand?: string[];
  /** UDP echoes per path. Default 20. */
  pings?: number;
  /** How long a rate is measured, in seconds. Default 3. */
  seconds?: number;
  /** The most bytes one rate measurement sends. Default 64 MiB. */
  maxBytes?: number;
}

/** One expectation of the description, measured. */
export interface CheckRow {
  /** "red → 10.0.0.2" */
  path: string;
  /** What was measured: reachability, round-trip time, loss or rate. */
  property: 'reachable' | 'rtt' | 'loss' | 'rate';
  /** What the description expects, as people read it ("yes", "20ms ±5ms", "≤ 1%"). */
  expected: string;
  /** What was measured, in the same units. */
  measured: string;
  /** The measurement meets the expectation. */
  ok: boolean;
  /** Where in the description: "expect[0].rate". */
  source: string;
}

/** What `lab.check()` found: every expectation of the description, measured. */
export interface CheckReport {
  /** The lab's name. */
  lab: string;
  /** Every row is ok. */
  ok: boolean;
  /** One per expectation and property, in the description's order. */
  rows: CheckRow[];
}

export function measureCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('./measure.js', import.meta.url))];
}

const fmtMs = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)}ms`;
function fmtRate(bps: number): string {
  if (bps >= 1e9) return `${(bps / 1e9).toFixed(3)}gbit`;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(3)}mbit`;
  return `${(bps / 1e3).toFixed(1)}kbit`;
}
const fmtTol = (t: Tolerance, unit: (v: number) => string) => ('fraction' in t ? `${Math.round(t.fraction * 1000) / 10}%` : unit(t.amount));

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function parsed(text: string): unknown {
  return JSON.parse(text.trim().split('\n').at(-1) ?? '');
}

function numberIn(o: unknown, key: string): number {
  const v = typeof o === 'object' && o !== null ? Object.getOwnPropertyDescriptor(o, key)?.value : undefined;
  if (typeof v !== 'number') throw new Error(`the probe said no ${key}`);
  return v;
}

/** Measures every expectation of the description; a LabError only for what stops the whole check. */
export async function checkLab(lab: LabDescription, backend: LabBackend, options: CheckOptions = {}): Promise<CheckReport> {
  const cmd = options.measureCommand ?? measureCommand();
  const names = labNames(lab);
  const topo = new Topology(lab);
  const exps = (lab.expect ?? []).map(expected);
  const seconds = options.seconds ?? 3;
  const pings = options.pings ?? 20;
  const rows: CheckRow[] = [];
  const nsOf = (address: string) => topo.ifaces.find((i) => i.addresses.some((a) => a.prefix.address === address.toLowerCase()))?.ns ?? null;

  const servers = new Map<string, { proc: LabProcess; udp?: number; tcp?: number; error?: string }>();
  try {
    for (const to of new Set(exps.map((e) => e.to))) {
      const proc = backend.spawn(names.ns(nsOf(to)), [...cmd, 'serve', '--address', to, '--window', String(seconds * 1000), '--timeout', String(120_000 + 20_000 * exps.length)], { mounts: false });
      const entry: { proc: LabProcess; udp?: number; tcp?: number; error?: string } = { proc };
      servers.set(to, entry);
      try {
        const ready = parsed(await firstLine(proc.stdout, 10_000));
        entry.udp = numberIn(ready, 'udp');
        entry.tcp = numberIn(ready, 'tcp');
      } catch (err) {
        entry.error = `the probe's far end did not start: ${messageOf(err)}`;
      }
    }
    // Echoes first, then the transfers: a transfer leaves a shaper's queue full for a while.
    const echoes = [];
    for (const [k, e] of exps.entries()) echoes.push(await echo(e, k));
    for (const [k, e] of exps.entries()) rows.push(...echoes[k]!, ...(echoes[k]!.every((x) => x.property !== 'reachable' || x.measured.startsWith('yes')) ? await transfer(e, k) : []));
  } finally {
    for (const s of servers.values()) s.proc.kill();
    await Promise.all([...servers.values()].map((s) => s.proc.done.catch(() => undefined)));
  }
  return { lab: lab.name, ok: rows.every((r) => r.ok), rows };

  async function echo(e: Expected, k: number): Promise<CheckRow[]> {
    const path = `${e.from} → ${e.to}`;
    const src = `expect[${k}]`;
    const server = servers.get(e.to)!;
    const out: CheckRow[] = [];
    const fail = (property: CheckRow['property'], want: string, why: string) => out.push({ path, property, expected: want, measured: why, ok: false, source: `${src}.${property}` });
    const from = names.namespace(e.from);
    if (server.error !== undefined || server.udp === undefined || server.tcp === undefined) {
      fail('reachable', e.reachable ? 'yes' : 'no', server.error ?? 'no probe');
      return out;
    }
    // Echoes: reachability, rtt, loss.
    let ping: PingResult | undefined;
    try {
      const waitMs = Math.max(1000, 3 * (e.rtt?.ms ?? 0));
      const req = { address: e.to, port: server.udp, count: pings, intervalMs: 20, timeoutMs: waitMs };
      const r = await backend.exec(from, [...cmd, 'ping', JSON.stringify(req)], { mounts: false, timeoutMs: pings * 20 + waitMs + 10_000 });
      if (r.code !== 0) throw new Error(`exit ${r.code ?? r.signal}: ${r.stderr.trim()}`);
      const p = parsed(r.stdout);
      const rtt = typeof p === 'object' && p !== null ? Object.getOwnPropertyDescriptor(p, 'rttMs')?.value : undefined;
      ping = { sent: numberIn(p, 'sent'), received: numberIn(p, 'received'), rttMs: Array.isArray(rtt) ? rtt.filter((x): x is number => typeof x === 'number') : [] };
    } catch (err) {
      fail('reachable', e.reachable ? 'yes' : 'no', `the probe failed: ${messageOf(err)}`);
      return out;
    }
    const reached = ping.received > 0;
    out.push({ path, property: 'reachable', expected: e.reachable ? 'yes' : 'no', measured: reached ? `yes (${ping.received} of ${ping.sent} echoes)` : 'no', ok: reached === e.reachable, source: `${src}.reachable` });
    if (!reached) {
      if (e.rtt) fail('rtt', fmtMs(e.rtt.ms), 'no answer');
      if (e.rate) fail('rate', fmtRate(e.rate.bitsPerSecond), 'no answer');
      return out;
    }
    if (e.rtt) {
      const m = median(ping.rttMs);
      const w = within(e.rtt.ms, e.rtt.tolerance, m);
      out.push({ path, property: 'rtt', expected: `${fmtMs(e.rtt.ms)} ±${fmtTol(e.rtt.tolerance, fmtMs)}`, measured: `${fmtMs(m)} (median of ${ping.rttMs.length})`, ok: w.ok, source: `${src}.rtt` });
    }
    if (e.loss !== undefined) {
      const lost = 1 - ping.received / ping.sent;
      out.push({ path, property: 'loss', expected: `≤ ${Math.round(e.loss * 1000) / 10}%`, measured: `${Math.round(lost * 1000) / 10}% (${ping.sent - ping.received} of ${ping.sent})`, ok: lost <= e.loss + 1e-9, source: `${src}.loss` });
    }
    return out;
  }

  async function transfer(e: Expected, k: number): Promise<CheckRow[]> {
    const path = `${e.from} → ${e.to}`;
    const src = `expect[${k}]`;
    const server = servers.get(e.to)!;
    const from = names.namespace(e.from);
    const out: CheckRow[] = [];
    const fail = (property: CheckRow['property'], want: string, why: string) => out.push({ path, property, expected: want, measured: why, ok: false, source: `${src}.${property}` });
    if (e.rate && server.tcp !== undefined) {
      const want = e.rate.bitsPerSecond;
      const bytes = Math.min(options.maxBytes ?? 64 * 1024 * 1024, Math.max(1024 * 1024, Math.ceil((want / 8) * seconds * 2)));
      try {
        const r = await backend.exec(from, [...cmd, 'rate', JSON.stringify({ address: e.to, port: server.tcp, bytes, seconds })], { mounts: false, timeoutMs: seconds * 1000 + 20_000 });
        if (r.code !== 0) throw new Error(`exit ${r.code ?? r.signal}: ${r.stderr.trim()}`);
        const p = parsed(r.stdout);
        const got: RateResult = { bytes: numberIn(p, 'bytes'), ms: numberIn(p, 'ms'), bitsPerSecond: numberIn(p, 'bitsPerSecond') };
        const w = within(want, e.rate.tolerance, got.bitsPerSecond);
        out.push({
          path, property: 'rate', expected: `${fmtRate(want)} ±${fmtTol(e.rate.tolerance, fmtRate)}`,
          measured: `${fmtRate(got.bitsPerSecond)} (${got.bytes} bytes in ${Math.round(got.ms)} ms)`, ok: w.ok, source: `${src}.rate`,
        });
      } catch (err) {
        fail('rate', fmtRate(want), `the probe failed: ${messageOf(err)}`);
      }
    }
    return out;
  }
}

/** A table: one line per measured property, expected beside measured. */
export function checkText(r: CheckReport): string {
  const bad = r.rows.filter((x) => !x.ok).length;
  const head = `check of lab ${r.lab}: ${r.rows.length === 0 ? 'nothing to check (the description has no expect)' : bad === 0 ? 'all as expected' : `${bad} of ${r.rows.length} not as expected`}`;
  const cols: string[][] = [['path', 'property', 'expected', 'measured', ''], ...r.rows.map((x) => [x.path, x.property, x.expected, x.measured, x.ok ? 'ok' : `FAIL  [${x.source}]`])];
  const widths = cols[0]!.map((_, i) => Math.max(...cols.map((c) => c[i]!.length)));
  return [head, ...(r.rows.length ? cols.map((c) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()) : [])].join('\n');
}
