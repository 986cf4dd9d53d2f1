// What every input must satisfy, whatever its bytes:
//  - the decoder returns (it never throws; malformed input becomes issues);
//  - it reads only its own bytes: the input is decoded three times, alone in
//    a buffer of its exact size and between guard bytes of two different
//    values; any read outside it (a silent `undefined` from buf[i] past the
//    end, or a guard byte) shows up as a difference between the three results;
//  - no decoded number is NaN (arithmetic on an `undefined` read);
//  - round trip: a seed held to be canonical decodes and re-encodes to the same
//    bytes; any input that decodes without issues and can be encoded again
//    decodes from those bytes to the same value (decode∘encode is stable).
// Endless loops are the watchdog's (supervise.ts): a worker that stops making
// progress is stopped and its input kept.
import { EncodeError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { DATAGRAM_SHADOW, type Target } from './targets.js';

export interface Failure {
  target: string;
  kind: 'throw' | 'outside' | 'nan' | 'roundtrip' | 'unstable' | 'hang';
  detail: string;
  input: Buffer;
}

export interface CheckStats {
  /** Inputs that decoded without an issue. */
  clean: number;
  /** Clean inputs whose decoded value was encoded and decoded again. */
  reencoded: number;
  /** Clean inputs the encoder refused (EncodeError: a value it does not take back, e.g. an empty hardware address). */
  refused: number;
}

export function newStats(): CheckStats {
  return { clean: 0, reencoded: 0, refused: 0 };
}

const GUARD = 256;

/**
 * A deterministic text of a decoded value: Buffers in hex, issue offsets
 * relative to the input. `loose` also drops false
 * values: a flag read as false and one absent mean the same (a request sends
 * false as no attribute), which is all the stability check asks.
 */
export function stable(v: unknown, base: number, loose = false): string {
  return JSON.stringify(v, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    if (loose && raw === false) return undefined;
    if (Buffer.isBuffer(raw)) return `<${raw.toString('hex')}>`;
    if (typeof raw === 'bigint') return `${raw}n`;
    if (typeof raw === 'number' && !Number.isFinite(raw)) return `<${raw}>`;
    if (raw === undefined && key !== '') return '<undefined>';
    if (key === 'offset' && typeof raw === 'number' && typeof this.problem === 'string') return raw - base;
    return value;
  });
}

/**
 * The first NaN in a decoded value, as a path; in printed text (the monitor's
 * `text`), also the words NaN and undefined, which only arithmetic
 * or interpolation of a missing value prints.
 */
export function findNaN(v: unknown, path = '$', seen = new Set<unknown>()): string | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? path : undefined;
  if (typeof v === 'string') return /^\$\.text\b/.test(path) && /\b(NaN|undefined)\b/.test(v) ? `${path} (printed)` : undefined;
  if (v === null || typeof v !== 'object' || Buffer.isBuffer(v) || seen.has(v)) return undefined;
  seen.add(v);
  for (const [k, x] of Object.entries(v)) {
    const hit = findNaN(x, `${path}.${k}`, seen);
    if (hit) return hit;
  }
  return undefined;
}

function describeError(err: unknown): string {
  const e = err as Error;
  const where = e?.stack?.split('\n').slice(1, 4).map((l) => l.trim()).join(' ← ') ?? '';
  return `${e?.name ?? typeof err}: ${e?.message ?? String(err)} ${where}`;
}

type Run = { ok: true; text: string; value: unknown; issues: number } | { ok: false; error: string };

function runOnce(t: Target, bytes: Buffer, guard: number | undefined): Run {
  let buf = bytes;
  let start = 0;
  if (guard !== undefined) {
    buf = Buffer.alloc(GUARD + bytes.length + GUARD, guard);
    bytes.copy(buf, GUARD);
    start = GUARD;
  }
  try {
    const d = t.decode(buf, start, start + bytes.length);
    return { ok: true, text: stable(d.value, start), value: d.value, issues: d.issues.length };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}

/** A message target never gets less than a header: the socket only hands over whole messages. */
export function normalizeInput(t: Target, bytes: Buffer): Buffer {
  if (t.input === 'message' && bytes.length < 16) {
    const b = Buffer.alloc(16);
    bytes.copy(b);
    return b;
  }
  return bytes;
}

/** Runs every check on one input; returns the first failure. */
export function check(t: Target, input: Buffer, stats: CheckStats, canonical = false): Failure | undefined {
  const bytes = normalizeInput(t, input);
  const fail = (kind: Failure['kind'], detail: string): Failure => ({ target: t.name, kind, detail, input: bytes });
  const runs = t.input === 'datagram'
    ? [runOnce(t, bytes, undefined), runOnce(DATAGRAM_SHADOW, bytes, undefined)]
    : [runOnce(t, bytes, undefined), runOnce(t, bytes, 0x00), runOnce(t, bytes, 0xff)];
  for (const r of runs) if (!r.ok) return fail('throw', r.error);
  const ok = runs as Extract<Run, { ok: true }>[];
  for (let i = 1; i < ok.length; i++) {
    if (ok[i]!.text !== ok[0]!.text) return fail('outside', `results differ with what surrounds the input:\n  ${ok[0]!.text.slice(0, 400)}\n  ${ok[i]!.text.slice(0, 400)}`);
  }
  const nan = findNaN(ok[0]!.value);
  if (nan) return fail('nan', `NaN at ${nan}`);
  if (ok[0]!.issues === 0) {
    stats.clean++;
    if (t.schema) return roundTrip(t, bytes, stats, canonical, fail);
  }
  return undefined;
}

function payloadStart(t: Target): number {
  return t.input === 'message' ? 16 : 0;
}

function roundTrip(t: Target, bytes: Buffer, stats: CheckStats, canonical: boolean, fail: (k: Failure['kind'], d: string) => Failure): Failure | undefined {
  const schema = t.schema!;
  const from = payloadStart(t);
  const issues: never[] = [];
  const value = schema.decode(bytes, from, bytes.length, issues);
  const w = new NetlinkWriter(bytes.length + 64);
  try {
    schema.encode(w, value);
  } catch (err) {
    if (err instanceof EncodeError) {
      if (canonical) return fail('roundtrip', `a canonical input does not encode again: ${err.message}`);
      stats.refused++;
      return undefined;
    }
    return fail('roundtrip', `encoding a decoded value threw ${describeError(err)}`);
  }
  const again = w.toBuffer();
  if (canonical && !again.equals(bytes.subarray(from))) {
    return fail('roundtrip', `re-encoded bytes differ:\n  in  ${bytes.subarray(from).toString('hex')}\n  out ${again.toString('hex')}`);
  }
  stats.reencoded++;
  const issues2: never[] = [];
  const value2 = schema.decode(again, 0, again.length, issues2);
  if (issues2.length) return fail('unstable', `our own encoding decodes with issues: ${JSON.stringify(issues2)}`);
  const a = stable(value, from, true);
  const b = stable(value2, 0, true);
  if (a !== b) return fail('unstable', `decode(encode(v)) differs from v:\n  ${a.slice(0, 400)}\n  ${b.slice(0, 400)}`);
  return undefined;
}
