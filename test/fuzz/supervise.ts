// The watchdog: runs fuzzing in worker threads and watches them make
// progress. A worker whose current input has not returned within the time
// bound is terminated (V8 stops even a tight synchronous loop), its input
// becomes a 'hang' failure, and a new worker carries on after it.
import { Worker } from 'node:worker_threads';
import type { Failure } from './checks.js';
import { type RunResult, emptyResult } from './engine.js';
import { TARGETS } from './targets.js';
import type { WorkerJob } from './worker.js';

const WORKER = new URL('./worker.js', import.meta.url);
const MAX_INPUT = 256 * 1024;

export interface SuperviseOptions {
  /** 'range': inputs from..from+inputs of a seed; 'list': given inputs; 'seeds': every seed as it is. */
  mode: 'range' | 'list' | 'seeds';
  seed?: number;
  from?: number;
  inputs?: number;
  items?: { target: string; hex: string }[];
  targets?: string[];
  /** A single input that takes longer than this is a hang. Default 5000 ms. */
  timeoutMs?: number;
  /** Workers in parallel (range mode). Default 1. */
  jobs?: number;
  /** Called now and then with the number of inputs started so far. */
  onProgress?: (started: number) => void;
  /** Test hook, passed to the worker. */
  spinAt?: number;
}

function merge(into: RunResult, r: RunResult): void {
  into.inputs += r.inputs;
  into.stats.clean += r.stats.clean;
  into.stats.reencoded += r.stats.reencoded;
  into.stats.refused += r.stats.refused;
  for (const [k, v] of Object.entries(r.perTarget)) into.perTarget[k] = (into.perTarget[k] ?? 0) + v;
  if (r.slowestMs > into.slowestMs) { into.slowestMs = r.slowestMs; into.slowest = r.slowest; }
}

/** Runs one job in a worker; resolves with its result and, if it hung, where. */
function runWorker(
  job: Omit<WorkerJob, 'control' | 'input'>, timeoutMs: number, started: Int32Array[], onTick: () => void, onFailures: (fs: Failure[]) => void,
): Promise<{ result?: RunResult; hang?: { index: number; failure: Failure } }> {
  const control = new SharedArrayBuffer(16);
  const input = new SharedArrayBuffer(MAX_INPUT);
  const ctl = new Int32Array(control);
  ctl[0] = -1;
  started.push(ctl);
  const w = new Worker(WORKER, { workerData: { ...job, control, input } });
  return new Promise((resolve, reject) => {
    let lastCount = -1;
    let lastChange = Date.now();
    const timer = setInterval(() => {
      onTick();
      const count = Atomics.load(ctl, 3);
      if (count !== lastCount) { lastCount = count; lastChange = Date.now(); return; }
      if (Date.now() - lastChange < timeoutMs || Atomics.load(ctl, 0) < 0) return;
      clearInterval(timer);
      const index = Atomics.load(ctl, 0);
      const t = TARGETS[Atomics.load(ctl, 1)]!;
      const bytes = Buffer.from(new Uint8Array(input, 0, Atomics.load(ctl, 2)));
      void w.terminate();
      resolve({ hang: { index, failure: { target: t.name, kind: 'hang', detail: `input ${index} of seed ${job.seed ?? '-'} did not return within ${timeoutMs} ms`, input: bytes } } });
    }, Math.min(250, timeoutMs / 4));
    w.on('message', (m: { failures?: Failure[]; done?: RunResult }) => {
      if (m.failures) onFailures(m.failures.map((f) => ({ ...f, input: Buffer.from(f.input) })));
      if (m.done) { clearInterval(timer); resolve({ result: m.done }); }
    });
    w.once('error', (err) => { clearInterval(timer); reject(err); });
    w.once('exit', (code) => { if (code !== 0) { clearInterval(timer); reject(new Error(`fuzz worker exited with ${code}`)); } });
  });
}

/** One job, restarted past each input that hangs. */
async function runJob(job: Omit<WorkerJob, 'control' | 'input'>, timeoutMs: number, total: RunResult, started: Int32Array[], onTick: () => void): Promise<void> {
  let next = job;
  for (;;) {
    const { result, hang } = await runWorker(next, timeoutMs, started, onTick, (fs) => total.failures.push(...fs));
    if (result) { merge(total, result); return; }
    total.failures.push(hang!.failure);
    // The inputs before the one that hung ran (their failures came as they were found); their counters are lost.
    const first = next.mode === 'range' ? next.from! : 0;
    total.inputs += hang!.index - first + 1;
    if (next.mode === 'range') {
      if (hang!.index + 1 >= next.to!) return;
      next = { ...next, from: hang!.index + 1 };
    } else if (next.mode === 'list') {
      const rest = next.items!.slice(hang!.index + 1);
      if (!rest.length) return;
      next = { ...next, items: rest };
    } else {
      return; // the seeds themselves hang: reported; nothing to skip to
    }
  }
}

export async function supervise(o: SuperviseOptions): Promise<RunResult & { seconds: number }> {
  const t0 = Date.now();
  const total = emptyResult();
  const timeoutMs = o.timeoutMs ?? 5000;
  const started: Int32Array[] = [];
  let lastReport = Date.now();
  const onTick = (): void => {
    if (!o.onProgress || Date.now() - lastReport < 2000) return;
    lastReport = Date.now();
    o.onProgress(started.reduce((n, c) => n + Atomics.load(c, 3), 0));
  };
  const base = { targets: o.targets, spinAt: o.spinAt };
  if (o.mode === 'range') {
    const from = o.from ?? 0;
    const n = o.inputs ?? 0;
    const jobs = Math.max(1, Math.min(o.jobs ?? 1, n));
    const chunk = Math.ceil(n / jobs);
    await Promise.all(Array.from({ length: jobs }, (_, j) => runJob({
      ...base, mode: 'range', seed: o.seed ?? 1, from: from + j * chunk, to: from + Math.min(n, (j + 1) * chunk),
    }, timeoutMs, total, started, onTick)));
  } else if (o.mode === 'list') {
    if (o.items?.length) await runJob({ ...base, mode: 'list', items: o.items }, timeoutMs, total, started, onTick);
  } else {
    await runJob({ ...base, mode: 'seeds' }, timeoutMs, total, started, onTick);
  }
  return { ...total, seconds: (Date.now() - t0) / 1000 };
}
