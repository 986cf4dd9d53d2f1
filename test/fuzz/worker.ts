// The fuzzing worker: runs a range of inputs (or a list, or the seeds) and,
// before decoding each, leaves the input where the supervising thread can
// read it (a SharedArrayBuffer), so that an input that never returns is
// known by its bytes when the worker is stopped.
import { parentPort, workerData } from 'node:worker_threads';
import { check } from './checks.js';
import { type RunResult, checkSeeds, emptyResult, fuzzRange } from './engine.js';
import { TARGETS, type Target, targetNamed } from './targets.js';

export interface WorkerJob {
  mode: 'range' | 'list' | 'seeds';
  seed?: number;
  from?: number;
  to?: number;
  /** Target names to restrict to (range and seeds modes). */
  targets?: string[];
  /** list mode: inputs with their target. */
  items?: { target: string; hex: string }[];
  /** Slot layout: [0] index, [1] target number in TARGETS, [2] input length, [3] inputs started. */
  control: SharedArrayBuffer;
  input: SharedArrayBuffer;
  /** Test hook: loop forever at this input index, so the watchdog can be tested. */
  spinAt?: number;
}

const job = workerData as WorkerJob;
const ctl = new Int32Array(job.control);
const slot = new Uint8Array(job.input);

const r: RunResult = emptyResult();
let sent = 0;

/** Failures go out as they are found: a worker stopped by the watchdog loses none. */
function flush(): void {
  if (r.failures.length > sent) parentPort!.postMessage({ failures: r.failures.slice(sent) });
  sent = r.failures.length;
}

function mark(i: number, t: Target, input: Buffer): void {
  flush();
  const n = Math.min(input.length, slot.length);
  slot.set(input.subarray(0, n));
  Atomics.store(ctl, 0, i);
  Atomics.store(ctl, 1, TARGETS.indexOf(t));
  Atomics.store(ctl, 2, n);
  Atomics.add(ctl, 3, 1);
  if (i === job.spinAt) for (;;) { /* the watchdog's test */ }
}

const only = job.targets?.length ? job.targets.map((n) => {
  const t = targetNamed(n);
  if (!t) throw new Error(`no fuzz target named ${n}`);
  return t;
}) : undefined;

if (job.mode === 'range') {
  fuzzRange(job.seed!, job.from!, job.to!, r, only, mark);
} else if (job.mode === 'seeds') {
  checkSeeds(r, only, mark);
} else {
  job.items!.forEach((item, i) => {
    const t = targetNamed(item.target);
    if (!t) throw new Error(`no fuzz target named ${item.target}`);
    const input = Buffer.from(item.hex, 'hex');
    mark(i, t, input);
    r.inputs++;
    r.perTarget[t.name] = (r.perTarget[t.name] ?? 0) + 1;
    const f = check(t, input, r.stats);
    if (f) r.failures.push({ ...f, detail: `corpus item ${i}: ${f.detail}` });
  });
}
flush();
parentPort!.postMessage({ done: { ...r, failures: [] } });
