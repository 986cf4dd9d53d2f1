// TypeScript types read off a family's generated tables (they are `as const`,
// so the names and types of every attribute are known to the compiler): the
// types are generated with the tables and cost nothing at run time.
//
//   type Dev = GenlAttrs<YnlFamilies['netdev'], 'dev'>;   // { ifindex?: number; 'xdp-features'?: ('basic' | ...)[] ... }
import type { RawAttr } from '../netlink/schema.js';
import type { Bitfield32 } from './codecs.js';
import type { GenlSpec, YnlAttr, YnlOp } from './spec.js';

/** The integer types of a YNL spec that fit a JavaScript number. */
export type Int32 = 'u8' | 'u16' | 'u32' | 's8' | 's16' | 's32';

/** Entry names of a definition. */
export type EnumNames<S extends GenlSpec, E> = E extends keyof S['enums'] ? Extract<keyof S['enums'][E]['entries'], string> : never;

/** The decoded value of one attribute. */
export type GenlValue<S extends GenlSpec, A extends YnlAttr> =
  A extends { enum: infer E; asFlags: true } ? (EnumNames<S, E> | `0x${string}`)[]
  : A extends { enum: infer E } ? EnumNames<S, E> | number
  : A['type'] extends Int32 ? number
  : A['type'] extends 'u64' | 's64' | 'uint' | 'sint' ? number | bigint
  : A['type'] extends 'string' ? string
  : A['type'] extends 'flag' ? true
  : A['type'] extends 'bitfield32' ? Bitfield32
  : A extends { type: 'nest'; nest: infer N extends string } ? GenlAttrs<S, N>
  : A extends { type: 'indexed-array'; subType: 'nest'; nest: infer N extends string } ? GenlAttrs<S, N>[]
  : A extends { type: 'binary'; struct: string } ? Record<string, number | number[] | bigint>
  : Buffer;

/** An attribute set's decoded object: every attribute optional (absent is not zero), repeated ones as arrays. */
export type GenlAttrs<S extends GenlSpec, Set extends string> = Set extends keyof S['sets']
  ? { -readonly [A in S['sets'][Set][number] as A['type'] extends 'pad' ? never : A['name']]?: A extends { multi: true } ? GenlValue<S, A>[] : GenlValue<S, A> } & { unknown?: RawAttr[] }
  : Record<string, unknown>;

/** The operation names of a family (optionally those usable in a mode). */
export type GenlOpName<S extends GenlSpec, Mode extends 'do' | 'dump' | undefined = undefined> =
  Mode extends 'do' | 'dump' ? Extract<S['ops'][number], { [M in Mode]: object }>['name'] : S['ops'][number]['name'];

/** The spec's description of operation O. */
export type GenlOpOf<S extends GenlSpec, O extends string> = Extract<S['ops'][number], { name: O }>;
/** The attribute set an operation's messages use. */
export type GenlSetOf<Op> = Op extends { set: infer N extends string } ? N : never;
/** The attributes an operation lists for one mode and direction. */
export type GenlListedAttrs<Op, Mode extends 'do' | 'dump', Dir extends 'request' | 'reply'> =
  Op extends { [M in Mode]: { [D in Dir]: { attrs: readonly (infer N)[] } } } ? N : never;

/** What a request of `O` may carry: the attributes its spec lists for that mode, with the values they take. */
export type GenlRequest<S extends GenlSpec, O extends string, Mode extends 'do' | 'dump'> =
  Pick<GenlAttrs<S, GenlSetOf<GenlOpOf<S, O>>>, Extract<GenlListedAttrs<GenlOpOf<S, O>, Mode, 'request'>, keyof GenlAttrs<S, GenlSetOf<GenlOpOf<S, O>>>>>;

/** A reply of `O`: the attributes of its set. */
export type GenlReply<S extends GenlSpec, O extends string> = GenlAttrs<S, GenlSetOf<GenlOpOf<S, O>>>;

export type { YnlOp };
