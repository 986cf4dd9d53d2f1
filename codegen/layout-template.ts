// The text of src/generated/layout.ts: the types every generated struct
// layout satisfies. It is emitted with the rest so the generated folder is
// self-contained; src/netlink/struct.ts reads layouts through these types,
// so their shape is an interface between the two — change both together.
export const LAYOUT_TEMPLATE_PATH = 'codegen/layout-template.ts';

export const LAYOUT_MODULE = `/** How a field's bytes are read: integers by width, signedness and byte order; records by their own layout. */
export type FieldType =
  | 'u8' | 'u16' | 'u32' | 'u64'
  | 's8' | 's16' | 's32' | 's64'
  | 'be16' | 'be32' | 'be64'
  | 'char'
  | 'struct' | 'union';

/** One field of a generated {@link StructLayout}: where it sits in the struct and how its bytes are read. */
export interface FieldLayout {
  /** The C member name, e.g. 'tcpi_rtt'. */
  readonly name: string;
  /** Byte offset from the start of the enclosing struct (anonymous members are flattened into it). */
  readonly offset: number;
  /** Integer fields are little-endian unless 'be*'; pointers appear as 'u64' (LP64). For an array, the element type. */
  readonly type: FieldType;
  /** Number of elements for an array (multi-dimensional arrays flattened); 0 for a flexible array member; absent for a scalar. */
  readonly count?: number;
  /** The layout of a 'struct' or 'union' field (of each element, for an array). */
  readonly struct?: StructLayout;
  /** A bitfield's position in the storage unit at offset, counted from its least significant bit. */
  readonly bits?: { readonly shift: number; readonly width: number };
}

/**
 * A kernel struct or union as codegen/ reads it from the uapi headers: its C
 * name, size, alignment and fields. The generated constants (\`tcp_info\`,
 * \`tc_codel_xstats\`...) are StructLayouts; the library decodes the kernel's
 * bytes through them, so a value's field names are the kernel's.
 */
export interface StructLayout {
  /** The C tag (or typedef name); 'parent.field' for an untagged struct or union written in place. */
  readonly name: string;
  /** sizeof on x86_64 and aarch64 (the same: both LP64), including tail padding. */
  readonly size: number;
  /** alignof in bytes on x86_64 and aarch64. */
  readonly align: number;
  /** The members in declaration order, anonymous members flattened in. */
  readonly fields: readonly FieldLayout[];
}
`;
