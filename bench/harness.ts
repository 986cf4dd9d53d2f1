// Timing helpers for bench/: samples over repeats, tools alternating within a
// run so that both sides see the same machine state, wall and CPU time, in
// the bench's process or as fresh processes. Never used by tests (no timed
// assertions there).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rtnl } from '../src/client.js';
import * as netns from '../src/netns/index.js';
import { ConntrackApi } from '../src/nfnetlink/conntrack/api.js';
import { PHASES } from './phases.js';

export interface Sample { label: string; seconds: number[] }

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs each case `repeats` times, alternating between cases, and returns the samples. */
export async function alternate(cases: { label: string; run: () => unknown | Promise<unknown> }[], repeats: number): Promise<Sample[]> {
  const out = cases.map((c) => ({ label: c.label, seconds: [] as number[] }));
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < cases.length; i++) {
      const t0 = now();
      await cases[i]!.run();
      out[i]!.seconds.push(now() - t0);
    }
  }
  return out;
}

/** Formats seconds with a unit that keeps three significant digits. */
export function fmt(s: number): string {
  if (s >= 1) return `${s.toFixed(3)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(3)} ms`;
  return `${(s * 1e6).toFixed(2)} µs`;
}

/** A table: each row a label, its median, and how many times faster than the baseline row. */
export function table(title: string, samples: Sample[], baseline: string): string {
  const base = median(samples.find((s) => s.label === baseline)!.seconds);
  const w = Math.max(...samples.map((s) => s.label.length));
  const rows = samples.map((s) => {
    const m = median(s.seconds);
    const ratio = s.label === baseline ? 'baseline' : `${(base / m).toFixed(1)}× faster than ${baseline}`;
    return `  ${s.label.padEnd(w)}  ${fmt(m).padStart(12)}  ${ratio}`;
  });
  return `${title}\n${rows.join('\n')}`;
}

/** Re-runs this script inside a private network + mount namespace unless already there. */
export function isolate(script: string, args: string[]): boolean {
  if (process.env.NETLINK_TS_BENCH_ISOLATED === '1') return false;
  if (process.getuid?.() !== 0) {
    process.stderr.write('bench: needs root (it builds its workloads in a throw-away network namespace)\n');
    process.exit(1);
  }
  const r = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', '--', process.execPath, ...process.execArgv, script, ...args], {
    stdio: 'inherit', env: { ...process.env, NETLINK_TS_BENCH_ISOLATED: '1' },
  });
  process.exit(r.status ?? 1);
}

/** One timed phase of one tool in one workload: its samples (seconds), scaled when extrapolated from a sample. */
export interface Row {
  workload: string;
  phase: string;
  tool: string;
  /** Objects the phase handles. */
  n: number;
  /** Wall time of each sample. */
  seconds: number[];
  /** CPU time (user + system, the process's own and its children's) of each sample, where measured. */
  cpu?: number[];
  /** Set when the time is extrapolated from a smaller sample (the factor applied). */
  scale?: number;
}

/** Times a phase inside a tool's run; `scale` > 1 marks a sample extrapolated to the whole. */
export type Timer = <T>(phase: string, fn: () => T | Promise<T>, opts?: { n?: number; scale?: number; per?: number }) => Promise<T>;

/** Times a phase as one fresh process (`argv`), from its start to its exit; `pipe`: its output read through `| cat`. */
export type ProcessTimer = (phase: string, argv: string[], opts?: { n?: number; pipe?: boolean }) => void;

export interface Tool {
  label: string;
  /** One full run of the workload (its own setup and cleanup); phases timed through `time` or `proc`. */
  run(time: Timer, proc: ProcessTimer): Promise<void>;
}

const TICKS = 100; // USER_HZ: /proc's CPU times are in 1/100 s on every Linux architecture Node runs on

/** CPU seconds of this process and of the children it has waited for (spawnSync and execFileSync wait). */
export function cpuSeconds(): number {
  const own = process.cpuUsage();
  // /proc/self/stat: after the ")" that ends the command name, cutime and cstime are fields 14 and 15.
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (own.user + own.system) / 1e6 + (Number(f[13]) + Number(f[14])) / TICKS;
}

// bash times the child itself: wall time between two $EPOCHREALTIME reads
// around it, CPU time (user + system) from `times` for its children
// (getrusage, 1 ms resolution), so neither includes spawning from Node.
const TIMED = 's=$EPOCHREALTIME; "$@" >/dev/null || exit 97; e=$EPOCHREALTIME; echo "$s $e"; times';
const TIMED_PIPE = 's=$EPOCHREALTIME; "$@" | cat >/dev/null; [ "${PIPESTATUS[0]}" = 0 ] || exit 97; e=$EPOCHREALTIME; echo "$s $e"; times';

/** One fresh process: its wall and CPU seconds (with `pipe`, the `cat` reading its output counts too). */
export function freshProcess(argv: string[], opts: { cwd?: string; pipe?: boolean } = {}): { wall: number; cpu: number } {
  const r = spawnSync('bash', ['-c', opts.pipe ? TIMED_PIPE : TIMED, 'bash', ...argv], { cwd: opts.cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: ${argv.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  // Line 1: the two clock reads; lines 2-3: `times` (the shell's own, then its children's).
  const [clock, , children] = r.stdout.trim().split('\n');
  const [s, e] = clock!.split(' ').map(Number) as [number, number];
  const seconds = (t: string): number => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    if (!m) throw new Error(`bench: cannot read "${t}" from times`);
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const [user, sys] = children!.split(' ');
  return { wall: e - s, cpu: seconds(user!) + seconds(sys!) };
}

/** Runs every tool `repeats` times, alternating tools within each repeat, and returns one row per tool and phase. */
export async function measure(workload: string, n: number, tools: Tool[], repeats: number): Promise<Row[]> {
  const rows = new Map<string, Row>();
  for (let r = 0; r < repeats; r++) {
    for (const tool of tools) {
      const record = (phase: string, wall: number, cpu: number, opts: { n?: number; scale?: number }): void => {
        const key = `${tool.label}\0${phase}`;
        let row = rows.get(key);
        if (!row) {
          row = { workload, phase, tool: tool.label, n: opts.n ?? n, seconds: [], cpu: [] };
          if (opts.scale && opts.scale !== 1) row.scale = opts.scale;
          rows.set(key, row);
        }
        row.seconds.push(wall);
        row.cpu!.push(cpu);
      };
      const time: Timer = async (phase, fn, opts = {}) => {
        const [t0, c0] = [now(), cpuSeconds()];
        const v = await fn();
        const k = (opts.scale ?? 1) / (opts.per ?? 1);
        record(phase, (now() - t0) * k, (cpuSeconds() - c0) * k, opts);
        return v;
      };
      const proc: ProcessTimer = (phase, argv, opts = {}) => {
        const t = freshProcess(argv, { pipe: opts.pipe });
        record(phase, t.wall, t.cpu, opts);
      };
      await tool.run(time, proc);
    }
    process.stderr.write('.');
  }
  return [...rows.values()];
}

const distBench = dirname(fileURLToPath(import.meta.url));

/** The command line that runs one phase of phases.ts as a fresh process (see fresh-phase.ts). */
export const freshPhase = (phase: string, n: number): string[] => [process.execPath, join(distBench, 'fresh-phase.js'), phase, String(n)];

/** The command line of the shipped `netlink-ts` command. */
export const cliArgv = (...words: string[]): string[] => [process.execPath, join(distBench, '..', 'bundle', 'cli.js'), ...words];

/** Labels: what a row's process was. In-process rows run in the bench's process, warm after the first repeat. */
export const WARM = 'warm process';
export const FRESH = 'fresh process';

/**
 * The two batched netlink-ts tools of a workload: its phases (bench phase
 * name → phases.ts name) in the bench's warm process, and each as a fresh process.
 */
export function batchedTools(nl: Rtnl, n: number, phases: [string, string][], form = 'batch'): Tool[] {
  return [
    { label: `netlink-ts (${form}, ${WARM})`, run: async (time) => {
      for (const [phase, name] of phases) await time(phase, () => PHASES[name]!(nl, n, { netns, ConntrackApi }));
    } },
    { label: `netlink-ts (${form}, ${FRESH})`, run: async (_time, proc) => {
      for (const [phase, name] of phases) proc(phase, freshPhase(name, n));
    } },
  ];
}
