// Narrowing what a caller passed, without type assertions (docs/architecture.md,
// "Casts"): friendly inputs arrive as `unknown` or as wide records, and these
// guards let the type checker follow the run-time checks the code makes anyway.
import type { ValueMap } from './codec.js';
import type { NetlinkWriter } from './writer.js';

/** A non-null object whose string keys can be read (each value `unknown`). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

/** Whether `k` is an own key of `table`: narrows `k` for an index into it. */
export function isKey<T extends object>(table: T, k: unknown): k is keyof T & string {
  return typeof k === 'string' && Object.hasOwn(table, k);
}

/** The value of `table[k]` when `k` is one of its own keys, else undefined. */
export function lookup<V>(table: Readonly<Record<string, V>>, k: unknown): V | undefined {
  return typeof k === 'string' && Object.hasOwn(table, k) ? table[k] : undefined;
}

/**
 * A caller's value through a name map before its type is known. Every map's
 * encode checks what it is given at run time and throws an EncodeError naming
 * `path` (enumMap, flagsMap and the hand-written maps; MessageSchema hands its
 * header fields to them the same way), so the value need not be narrowed first.
 */
export function encodeChecked(map: ValueMap<unknown, unknown>, v: unknown, path: string): number {
  return map.encode(v, path);
}

/** What an AttrSet offers for encoding (its own input type aside). */
interface CheckingEncoder {
  encode(w: NetlinkWriter, value: Record<string, unknown>, path: string): void;
}

/**
 * Encodes a caller's record through an attribute set before its fields are
 * narrowed. An AttrSet checks all it is given at run time (an unknown key and
 * every codec's bad value throw an EncodeError naming the field, as the
 * schema promises: "encoding rejects bad input"), so a record of unknowns is
 * safe to hand it; builders that pick a set by a run-time kind use this.
 */
export function encodeAttrsChecked(set: CheckingEncoder, w: NetlinkWriter, value: Record<string, unknown>, path: string): void {
  set.encode(w, value, path);
}

/** An object's own enumerable fields in key order (Object.entries), each value `unknown` until checked. */
export function fieldsOf(o: object): [string, unknown][] {
  return Object.entries(o);
}
