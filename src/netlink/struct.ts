// Fixed C structs (family headers like ifinfomsg, option blocks like
// tc_htb_opt) encoded and decoded from the layouts generated out of the
// kernel headers: no offset is typed by hand anywhere else.
import type { FieldLayout, StructLayout } from '../generated/layout.js';
import { describe } from './describe.js';
import { type DecodeIssue, EncodeError } from './errors.js';
import { type IntKind, INT_SIZE, checkInt, readInt, writeInt } from './ints.js';
import type { NetlinkWriter } from './writer.js';

/** One element of a struct field: a nested struct's value, or a number. */
export type Scalar<F> = F extends { type: 'struct' | 'union'; struct: infer S extends StructLayout } ? StructValue<S> : number;
/** A struct field's value by its layout: a string for a char array, an array for a counted field, else one element. */
export type FieldValue<F> = F extends { type: 'char'; count: number } ? string
  : F extends { count: number } ? Scalar<F>[]
  : Scalar<F>;

/** The decoded shape of a struct layout: one property per field, by the kernel's field names. */
export type StructValue<L extends StructLayout> = {
  -readonly [F in L['fields'][number] as F['name']]: FieldValue<F>;
};

/** Input for encoding: any subset of the fields; absent ones are zero. */
export type StructInput<L extends StructLayout> = Partial<StructValue<L>>;

function scalarSize(f: FieldLayout): number {
  if (f.type === 'struct' || f.type === 'union') return f.struct!.size;
  if (f.type === 'char') return 1;
  return INT_SIZE[f.type];
}

function isPadding(name: string): boolean {
  return name.startsWith('__') || name.startsWith('pad') || name.endsWith('_pad');
}

/** Decodes a struct at off. A short buffer yields zeros for what is missing, and an issue. */
export function decodeStruct<L extends StructLayout>(
  layout: L, buf: Buffer, off: number, end = off + layout.size, issues?: DecodeIssue[], path = layout.name,
): StructValue<L> {
  if (end - off < layout.size) {
    issues?.push({ path, problem: `${end - off} bytes, struct ${layout.name} needs ${layout.size}`, offset: off });
    const padded = Buffer.alloc(layout.size);
    buf.copy(padded, 0, off, Math.max(off, end));
    return decodeStruct(layout, padded, 0, layout.size);
  }
  const out: Record<string, unknown> = {};
  for (const f of layout.fields) out[f.name] = decodeField(f, buf, off + f.offset, issues, path);
  return out as StructValue<L>;
}

function decodeField(f: FieldLayout, buf: Buffer, at: number, issues: DecodeIssue[] | undefined, path: string): unknown {
  if (f.count !== undefined) {
    if (f.type === 'char') {
      let e = at;
      while (e < at + f.count && buf[e] !== 0) e++;
      return buf.toString('utf8', at, e);
    }
    const size = scalarSize(f);
    const items: unknown[] = [];
    for (let i = 0; i < f.count; i++) items.push(decodeScalar(f, buf, at + i * size, issues, path));
    return items;
  }
  return decodeScalar(f, buf, at, issues, path);
}

function decodeScalar(f: FieldLayout, buf: Buffer, at: number, issues: DecodeIssue[] | undefined, path: string): unknown {
  if (f.type === 'struct' || f.type === 'union') return decodeStruct(f.struct!, buf, at, at + f.struct!.size, issues, `${path}.${f.name}`);
  const v = readInt(buf, at, f.type === 'char' ? 's8' : f.type);
  return f.bits ? (v >>> f.bits.shift) & ((1 << f.bits.width) - 1) : v;
}

/** Writes a struct at the writer's position (size bytes, zero where not given). */
export function encodeStruct<L extends StructLayout>(w: NetlinkWriter, layout: L, value: StructInput<L>, path: string = layout.name): void {
  const at = w.reserve(layout.size);
  writeStructAt(w.buffer, at, layout, value as Record<string, unknown>, path);
}

/** The bytes of one struct, for attributes whose payload is a struct. */
export function structBytes<L extends StructLayout>(layout: L, value: StructInput<L>, path: string = layout.name): Buffer {
  const b = Buffer.alloc(layout.size);
  writeStructAt(b, 0, layout, value as Record<string, unknown>, path);
  return b;
}

function writeStructAt(buf: Buffer, at: number, layout: StructLayout, value: Record<string, unknown>, path: string): void {
  if (value === null || typeof value !== 'object') throw new EncodeError(path, `expected an object for struct ${layout.name}, got ${describe(value)}`);
  const byName = fieldsByName(layout);
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined) continue;
    const f = byName.get(key);
    if (!f) throw new EncodeError(`${path}.${key}`, `struct ${layout.name} has no field ${key} (fields: ${[...byName.keys()].filter((n) => !isPadding(n)).join(', ')})`);
    writeField(buf, at + f.offset, f, v, `${path}.${key}`);
  }
}

function writeField(buf: Buffer, at: number, f: FieldLayout, v: unknown, path: string): void {
  if (f.count !== undefined) {
    if (f.type === 'char') {
      if (typeof v !== 'string') throw new EncodeError(path, `expected a string, got ${describe(v)}`);
      const bytes = Buffer.from(v, 'utf8');
      if (v.includes('\0') || bytes.length >= Math.max(f.count, 1)) throw new EncodeError(path, `must be a string of at most ${f.count - 1} bytes without NUL`);
      bytes.copy(buf, at);
      return;
    }
    if (!Array.isArray(v)) throw new EncodeError(path, `expected an array, got ${describe(v)}`);
    if (f.count > 0 && v.length > f.count) throw new EncodeError(path, `at most ${f.count} items, got ${v.length}`);
    if (f.count === 0 && v.length > 0) throw new EncodeError(path, 'a flexible array member is written after the struct, not inside it');
    const size = scalarSize(f);
    v.forEach((item, i) => writeScalar(buf, at + i * size, f, item, `${path}[${i}]`));
    return;
  }
  writeScalar(buf, at, f, v, path);
}

function writeScalar(buf: Buffer, at: number, f: FieldLayout, v: unknown, path: string): void {
  if (f.type === 'struct' || f.type === 'union') {
    writeStructAt(buf, at, f.struct!, v as Record<string, unknown>, path);
    return;
  }
  const kind: IntKind = f.type === 'char' ? 's8' : f.type;
  if (f.bits) {
    const max = 2 ** f.bits.width - 1;
    const n = checkInt('u32', v, path) as number;
    if (n > max) throw new EncodeError(path, `${n} does not fit a ${f.bits.width}-bit field`);
    const size = INT_SIZE[kind];
    const mask = max * 2 ** f.bits.shift;
    const cur = readInt(buf, at, kind);
    writeInt(buf, at, kind, ((cur & ~mask) | (n << f.bits.shift)) >>> 0 & (size === 4 ? 0xffffffff : 2 ** (size * 8) - 1));
    return;
  }
  writeInt(buf, at, kind, checkInt(kind, v, path));
}

const nameCache = new WeakMap<StructLayout, Map<string, FieldLayout>>();
function fieldsByName(layout: StructLayout): Map<string, FieldLayout> {
  let m = nameCache.get(layout);
  if (!m) {
    m = new Map(layout.fields.map((f) => [f.name, f]));
    nameCache.set(layout, m);
  }
  return m;
}
