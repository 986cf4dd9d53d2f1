// The C types the declarations use, with their LP64 sizes and alignments:
// the same on x86_64 (System V psABI) and aarch64 (AAPCS64), which the
// compiler check proves for each. (Plain char is signed on one and unsigned
// on the other; it stays its own type here, and no generated value depends on
// it — the aarch64 compiler check would show one that did.) Typedefs stay visible as wrappers: a typedef
// can carry its own alignment (`__attribute__((aligned(8)))`), and the name
// `__be32` is what tells a big-endian field from a host-order one.
import type { CValue, IntType, TypeInfo } from './evaluate.js';
import type { RecordLayout } from './layout.js';

export type CType =
  | { readonly kind: 'int'; readonly bits: 8 | 16 | 32 | 64; readonly unsigned: boolean; readonly plainChar?: boolean; readonly bool?: boolean }
  | { readonly kind: 'int128'; readonly unsigned: boolean }
  | { readonly kind: 'float'; readonly size: 4 | 8 | 16 }
  | { readonly kind: 'void' }
  | { readonly kind: 'pointer'; readonly to: CType }
  /** count null: a flexible array member `x[]`. */
  | { readonly kind: 'array'; readonly elem: CType; readonly count: number | null }
  | { readonly kind: 'function' }
  | { readonly kind: 'record'; readonly rec: RecordDef }
  | { readonly kind: 'enum'; readonly def: EnumDef }
  | { readonly kind: 'typedef'; readonly name: string; readonly target: CType; readonly align?: number | undefined };

export interface Attributes {
  packed: boolean;
  /** From `aligned(N)`; `aligned` alone means the biggest alignment, 16. */
  aligned?: number;
}

export interface Member {
  /** Undefined for an anonymous struct/union member, whose fields belong to the parent. */
  readonly name?: string;
  readonly type: CType;
  readonly bitWidth?: number;
  readonly attrs: Attributes;
  readonly file: string;
  readonly line: number;
}

export interface RecordDef {
  readonly kind: 'struct' | 'union';
  readonly tag?: string;
  /** `typedef struct { ... } name;`: the name an untagged record is known by. */
  typedefName?: string;
  file: string;
  line: number;
  /** Undefined while the type is incomplete (only declared). */
  members?: Member[];
  attrs: Attributes;
  layout?: RecordLayout;
  /** Why it could not be laid out (e.g. bitfields); set instead of layout. */
  problem?: string;
  /** Token index of the closing brace: orders the definition in its header. */
  doneAt?: number;
}

export interface EnumMember {
  readonly name: string;
  readonly value: CValue;
  readonly file: string;
  readonly line: number;
  /** Token index of the name. */
  readonly at: number;
  /** The initializer as written after macro expansion, when there is one. */
  readonly init?: string;
  /** The initializer is a single integer literal, spelled like this. */
  readonly literal?: string;
}

export interface EnumDef {
  readonly tag?: string;
  members?: EnumMember[];
  /** The compatible integer type gcc picks: unsigned int unless a value is negative. */
  int: IntType;
}

export class TypeError extends Error {}

export const CHAR: CType = { kind: 'int', bits: 8, unsigned: false, plainChar: true };

export function strip(t: CType): CType {
  while (t.kind === 'typedef') t = t.target;
  return t;
}

/** The typedef names a type is reached through, outermost first. */
export function typedefNames(t: CType): string[] {
  const names: string[] = [];
  while (t.kind === 'typedef') {
    names.push(t.name);
    t = t.target;
  }
  return names;
}

export function sizeOf(t: CType): number {
  switch (t.kind) {
    case 'int': return t.bits / 8;
    case 'int128': return 16;
    case 'float': return t.size;
    case 'void': return 1; // gcc extension, as for sizeof(void)
    case 'function': return 1;
    case 'pointer': return 8;
    case 'array': {
      if (t.count === null) throw new TypeError('sizeof of a flexible array');
      return t.count * sizeOf(t.elem);
    }
    case 'record': {
      const l = recordLayout(t.rec);
      return l.size;
    }
    case 'enum': {
      if (t.def.members === undefined) throw new TypeError(`enum ${t.def.tag ?? ''} is incomplete`);
      return t.def.int.bits / 8;
    }
    case 'typedef': return sizeOf(t.target);
  }
}

export function alignOf(t: CType): number {
  switch (t.kind) {
    case 'int': return t.bits / 8;
    case 'int128': return 16;
    case 'float': return t.size;
    case 'void':
    case 'function': return 1;
    case 'pointer': return 8;
    case 'array': return alignOf(t.elem);
    case 'record': return recordLayout(t.rec).align;
    case 'enum': return t.def.int.bits / 8;
    // gcc lets a typedef lower an alignment as well as raise it.
    case 'typedef': return t.align ?? alignOf(t.target);
  }
}

function recordLayout(rec: RecordDef): RecordLayout {
  const name = `${rec.kind} ${rec.tag ?? rec.typedefName ?? '(anonymous)'}`;
  if (rec.members === undefined) throw new TypeError(`${name} is incomplete`);
  if (rec.layout === undefined) throw new TypeError(`${name} has no layout: ${rec.problem ?? 'not laid out'}`);
  return rec.layout;
}

/** The view of a type a cast or sizeof needs. */
export function typeInfo(t: CType): TypeInfo {
  const s = strip(t);
  const base = { size: sizeOf(t), align: alignOf(t) };
  if (s.kind === 'int') return { ...base, int: { bits: s.bits, unsigned: s.unsigned }, bool: s.bool === true };
  if (s.kind === 'enum') return { ...base, int: s.def.int };
  if (s.kind === 'pointer') return { ...base, pointer: true };
  return base;
}
