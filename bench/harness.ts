// Timing helpers for bench/: medians over repeats, tools alternating within a
// run so that both sides see the same machine state, and a printed table of
// medians and ratios. Never used by tests (no timed assertions there).
import { spawnSync } from 'node:child_process';

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
  seconds: number[];
  /** Set when the time is extrapolated from a smaller sample (the factor applied). */
  scale?: number;
}

/** Times a phase inside a tool's run; `scale` > 1 marks a sample extrapolated to the whole. */
export type Timer = <T>(phase: string, fn: () => T | Promise<T>, opts?: { n?: number; scale?: number; per?: number }) => Promise<T>;

export interface Tool {
  label: string;
  /** One full run of the workload (its own setup and cleanup); phases timed through `time`. */
  run(time: Timer): Promise<void>;
}

/** Runs every tool `repeats` times, alternating tools within each repeat, and returns one row per tool and phase. */
export async function measure(workload: string, n: number, tools: Tool[], repeats: number): Promise<Row[]> {
  const rows = new Map<string, Row>();
  for (let r = 0; r < repeats; r++) {
    for (const tool of tools) {
      const time: Timer = async (phase, fn, opts = {}) => {
        const t0 = now();
        const v = await fn();
        const s = (now() - t0) * (opts.scale ?? 1) / (opts.per ?? 1);
        const key = `${tool.label}\0${phase}`;
        let row = rows.get(key);
        if (!row) {
          row = { workload, phase, tool: tool.label, n: opts.n ?? n, seconds: [] };
          if (opts.scale && opts.scale !== 1) row.scale = opts.scale;
          rows.set(key, row);
        }
        row.seconds.push(s);
        return v;
      };
      await tool.run(time);
    }
    process.stderr.write('.');
  }
  return [...rows.values()];
}
