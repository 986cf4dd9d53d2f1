// The shape of a generic netlink family as codegen/ynl emits it from the
// kernel's YNL spec (Documentation/netlink/specs/*.yaml): plain tables, no
// code per attribute, so a family costs little to load and nothing until it
// is used (src/generated/ynl/index.ts imports each one on demand).
// Numbers are already resolved the way the kernel's own ynl tools resolve
// them: attribute ids counted from 1 unless `value` says otherwise, subsets
// take their parent's ids, flags entries are bit values (1 << n).

/** The YNL attribute types (scalar, string, nested...) as the spec names them. */
export type YnlType =
  | 'flag' | 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'uint' | 'sint'
  | 'string' | 'binary' | 'bitfield32' | 'nest' | 'indexed-array' | 'nest-type-value' | 'pad' | 'sub-message';

/** An attribute of a YNL attribute set: its name, type, and what it nests or enumerates. */
export interface YnlAttr {
  readonly name: string;
  readonly id: number;
  readonly type: YnlType;
  /** The attribute set of a nest (or of an indexed-array's elements). */
  readonly nest?: string;
  /** The element type of an indexed-array. */
  readonly subType?: YnlType;
  /** multi-attr: the attribute repeats; decoded as an array. */
  readonly multi?: true;
  /** byte-order: big-endian. */
  readonly be?: true;
  /** A name table (definitions) the value is seen through. */
  readonly enum?: string;
  /** The enum is read as a bit set (enum-as-flags, or a `flags` definition). */
  readonly asFlags?: true;
  /** A binary attribute holding a struct from the definitions. */
  readonly struct?: string;
  readonly checks?: YnlChecks;
}

/** The bounds a YNL spec puts on an attribute's value. */
export interface YnlChecks {
  readonly min?: number;
  readonly max?: number;
  readonly minLen?: number;
  readonly maxLen?: number;
  readonly exactLen?: number;
}

/** An enum or flags definition of a YNL spec. */
export interface YnlEnum {
  readonly flags?: true;
  /** Entry name → value (bit value for flags). */
  readonly entries: Readonly<Record<string, number>>;
}

/** A member of a struct of a YNL spec. */
export interface YnlMember {
  readonly name: string;
  readonly type: YnlType | 'pad';
  /** Bytes of a binary member (or pad). */
  readonly len?: number;
  readonly be?: true;
}

/** One direction of an operation: the attributes it carries. */
export interface YnlMsg {
  readonly attrs: readonly string[];
}

/** An operation of a YNL spec: its command and the attributes its request and reply carry. */
export interface YnlOp {
  readonly name: string;
  /** The command number (genlmsghdr.cmd) of requests; of the notification for notify/event ops. */
  readonly cmd: number;
  /** The command number of replies where it differs (directional families: ethtool). */
  readonly replyCmd?: number;
  /** Absent on placeholders (fou's `unspec`). */
  readonly set?: string;
  readonly do?: { readonly request?: YnlMsg; readonly reply?: YnlMsg };
  readonly dump?: { readonly request?: YnlMsg; readonly reply?: YnlMsg };
  /** A notification carrying the reply attributes of this other op. */
  readonly notify?: string;
  /** An event with its own attribute list. */
  readonly event?: YnlMsg;
  readonly mcgrp?: string;
  /** admin-perm, uns-admin-perm... */
  readonly flags?: readonly string[];
}

/** A generic netlink family as its YNL spec describes it: attribute sets, operations, enums, multicast groups. */
export interface GenlSpec {
  readonly name: string;
  readonly protocol: 'genetlink' | 'genetlink-c' | 'genetlink-legacy';
  /** A struct every message carries after genlmsghdr (ovs-header). */
  readonly header?: string;
  readonly enums: Readonly<Record<string, YnlEnum>>;
  readonly structs: Readonly<Record<string, readonly YnlMember[]>>;
  readonly sets: Readonly<Record<string, readonly YnlAttr[]>>;
  readonly ops: readonly YnlOp[];
  readonly groups: readonly string[];
}
