// The fuzzing loop: input number i of a run goes to target i mod (number of
// targets) and is made by its own generator seeded from (run seed, i), so a
// failure is reproduced from two numbers. Most inputs are stacked mutations
// of a seed; some are random bytes; the seeds themselves are checked first,
// the canonical ones with the exact round trip.
import { type CheckStats, type Failure, check, newStats } from './checks.js';
import { type MutationContext, mutate, randomInput } from './mutate.js';
import { Rng } from './rng.js';
import { type SeedSet, loadSeeds } from './seeds.js';
import { RTNL_TYPES, TARGETS, type Target } from './targets.js';

export interface Pool {
  seeds: Buffer[];
  canonical: boolean[];
  origins: string[];
  donors: Buffer[];
}

const pools = new Map<string, Pool>();

/** The seeds a target starts from. */
export function poolOf(t: Target, set: SeedSet = loadSeeds()): Pool {
  let p = pools.get(t.name);
  if (p) return p;
  let items: { bytes: Buffer; origin: string; canonical?: boolean }[];
  if (t.input === 'datagram') items = [...set.datagrams, ...set.messages];
  else if (t.input === 'message') items = set.messages.filter((m) => t.types.includes(m.bytes.readUInt16LE(4)));
  else items = set.payloads.get(t.name) ?? [];
  const donors = t.input === 'payload' ? [...set.payloads.values()].flat().map((x) => x.bytes) : set.messages.map((m) => m.bytes);
  p = { seeds: items.map((x) => x.bytes), canonical: items.map((x) => x.canonical ?? false), origins: items.map((x) => x.origin), donors };
  pools.set(t.name, p);
  return p;
}

/** Input number i of the run with this seed, for target t. */
export function inputOf(t: Target, seed: number, i: number): Buffer {
  const rng = new Rng(seed, i);
  const p = poolOf(t);
  const c: MutationContext = { rng, message: t.input === 'message', donors: p.donors, types: t.types.length ? t.types : RTNL_TYPES };
  if (!p.seeds.length || rng.chance(0.08)) return randomInput(c);
  return mutate(rng.pick(p.seeds), c);
}

export interface RunResult {
  inputs: number;
  failures: Failure[];
  stats: CheckStats;
  /** Inputs per target. */
  perTarget: Record<string, number>;
  slowestMs: number;
  slowest?: { target: string; index: number };
}

export function emptyResult(): RunResult {
  return { inputs: 0, failures: [], stats: newStats(), perTarget: {}, slowestMs: 0 };
}

export function targetFor(i: number, only?: readonly Target[]): Target {
  const list = only ?? TARGETS;
  return list[i % list.length]!;
}

/** Checks every seed of every target as it is (canonical seeds with the exact round trip). */
export function checkSeeds(r: RunResult, only?: readonly Target[], onInput?: (i: number, t: Target, input: Buffer) => void): void {
  for (const t of only ?? TARGETS) {
    const p = poolOf(t);
    p.seeds.forEach((s, k) => {
      onInput?.(r.inputs, t, s);
      r.inputs++;
      r.perTarget[t.name] = (r.perTarget[t.name] ?? 0) + 1;
      const f = check(t, s, r.stats, p.canonical[k]);
      if (f) r.failures.push({ ...f, detail: `${p.origins[k]}: ${f.detail}` });
    });
  }
}

/**
 * Runs inputs [from, to). onInput is told before each input is decoded (the
 * watchdog keeps it, to name the input that never returned).
 */
export function fuzzRange(seed: number, from: number, to: number, r: RunResult, only?: readonly Target[], onInput?: (i: number, t: Target, input: Buffer) => void): void {
  for (let i = from; i < to; i++) {
    const t = targetFor(i, only);
    const input = inputOf(t, seed, i);
    onInput?.(i, t, input);
    const t0 = performance.now();
    const f = check(t, input, r.stats);
    const ms = performance.now() - t0;
    if (ms > r.slowestMs) { r.slowestMs = ms; r.slowest = { target: t.name, index: i }; }
    r.inputs++;
    r.perTarget[t.name] = (r.perTarget[t.name] ?? 0) + 1;
    if (f) r.failures.push({ ...f, detail: `seed ${seed} input ${i}: ${f.detail}` });
  }
}
