// Shapes of TCA_OPTIONS shared by many kinds: a nest of attributes, one C
// struct, a struct followed by attributes (netem), the "compat nest" (prio),
// and no options at all (ingress, clsact, noqueue).
import type { StructLayout } from '../../generated/layout.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { isRecord } from '../../netlink/narrow.js';
import type { AttrSet, AttrsIn, AttrsOut, SpecMap } from '../../netlink/schema.js';
import { type StructInput, type StructValue, decodeStruct, encodeStruct } from '../../netlink/struct.js';
import { NLA_HDRLEN, align4 } from '../../netlink/writer.js';
import type { OptionsCodec } from './kind.js';

/** Options that are a nest of the set's attributes, written as given (in key order). */
export function nestOptions<S extends SpecMap>(set: AttrSet<S>): OptionsCodec<AttrsOut<S>, AttrsIn<S>> {
  return {
    encode(w, v, _ctx, path) { set.encode(w, v, path); },
    decode(buf, start, end, issues, path) { return set.decode(buf, start, end, issues, path); },
  };
}

/** Options that are one struct (pfifo's tc_fifo_qopt, sfq's tc_sfq_qopt_v1). */
export function structOptions<L extends StructLayout>(layout: L): OptionsCodec<StructValue<L>, StructInput<L>> {
  return {
    encode(w, v, _ctx, path) { encodeStruct(w, layout, v, path); },
    decode(buf, start, end, issues, path) { return decodeStruct(layout, buf, start, end, issues, path); },
  };
}

/** A kind whose qdisc takes no options: nothing is sent, and whatever the kernel sends is ignored. */
export const noOptions: OptionsCodec<Record<string, never>, Record<string, never> | undefined> = {
  encode(_w, v, _ctx, path) {
    if (v !== undefined && (!isRecord(v) || Object.values(v).some((x) => x !== undefined))) {
      throw new EncodeError(path, `this kind takes no options, got ${describe(v)}`);
    }
    return false;
  },
  decode() { return {}; },
};

/**
 * Where the attributes of a "compat nest" lie: the struct, aligned, then a
 * nested attribute holding them (iproute2's addattr_nest_compat).
 */
export function compatNestAttrs(buf: Buffer, start: number, end: number, structSize: number): [number, number] | undefined {
  const at = start + align4(structSize);
  if (end - at < NLA_HDRLEN) return undefined;
  const len = buf.readUInt16LE(at);
  if (len < NLA_HDRLEN || at + len > end) return undefined;
  return [at + NLA_HDRLEN, at + len];
}

/** An options object or nothing: the kinds' encoders take `undefined` as "no options given". */
export function optionsObject(v: unknown, path: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isRecord(v) || Array.isArray(v) || Buffer.isBuffer(v)) throw new EncodeError(path, `expected an options object, got ${describe(v)}`);
  return v;
}

/** Rejects keys a kind does not know, naming them (a typo should not be silently ignored). */
export function checkKeys(v: Record<string, unknown>, known: readonly string[], path: string, kind: string): void {
  for (const k of Object.keys(v)) {
    if (v[k] !== undefined && !known.includes(k)) throw new EncodeError(`${path}.${k}`, `${kind} has no option "${k}" (known: ${known.join(', ')})`);
  }
}

/** A whole number within [min, max] (for counts, priorities, indexes). */
export function intOption(v: unknown, path: string, min = 0, max = 0xffffffff): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new EncodeError(path, `expected a whole number from ${min} to ${max}, got ${describe(v)}`);
  }
  return v;
}

/** A boolean option. */
export function boolOption(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new EncodeError(path, `expected true or false, got ${describe(v)}`);
  return v;
}
