// What a qdisc, filter or action kind module provides: how its TCA_OPTIONS
// are written and read, and how its own statistics (xstats) are read. Each
// kind is one module plus one line in a registry table; nothing registers
// itself on import.
import type { DecodeIssue } from '../../netlink/errors.js';
import type { NetlinkWriter } from '../../netlink/writer.js';
import type { UnitContext } from './units.js';

/** What encoders may ask of the outside world, supplied by the caller (so request builders stay pure). */
export interface EncodeContext extends UnitContext {
  /** Resolves a device name to its interface index (mirred's target device). */
  ifindex?: (name: string) => number;
  /** Opens a pinned BPF object (BPF_OBJ_GET) and returns its file descriptor. */
  bpfObjGet?: (path: string) => number;
}

/**
 * A kind's options. `encode` writes the payload of the options attribute
 * (the caller writes its header) and returns false when the attribute is to
 * be left out altogether, as tc does when no option was given. `decode`
 * reads the payload; it never throws.
 */
export interface OptionsCodec<Out, In> {
  encode(w: NetlinkWriter, value: In, ctx: EncodeContext, path: string): void | false;
  decode(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): Out;
}

/** Reads a kind's own statistics (TCA_STATS_APP, or the legacy TCA_XSTATS). */
export type XstatsDecoder<X> = (buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string) => X;

export interface QdiscKind<QO = unknown, QI = QO, CO = unknown, CI = CO, QX = unknown, CX = unknown> {
  /** The kernel's kind string (TCA_KIND), e.g. 'htb'. */
  readonly kind: string;
  /** Options of a qdisc of this kind. */
  readonly qdisc?: OptionsCodec<QO, QI>;
  /** Options of a class of a classful qdisc. */
  readonly class?: OptionsCodec<CO, CI>;
  readonly xstats?: XstatsDecoder<QX>;
  readonly classXstats?: XstatsDecoder<CX>;
}

export interface FilterKind<O = unknown, I = O> {
  readonly kind: string;
  readonly options: OptionsCodec<O, I>;
  /** How this classifier spells its handles (u32: 'htid:hash:node'); a plain number otherwise. */
  readonly handle?: { parse(v: unknown, path: string): number; format(h: number): string };
  /** Options that change the handle (u32's "order" is the node number). */
  readonly adjustHandle?: (handle: number, options: I, path: string) => number;
}

export interface ActionKind<O = unknown, I = O> {
  readonly kind: string;
  /** TCA_ACT_OPTIONS of this action. */
  readonly options: OptionsCodec<O, I>;
}

/** Types carried by a kind, for the typed unions built from the registries. */
export type QdiscOptionsOut<K> = K extends QdiscKind<infer O, any, any, any, any, any> ? O : never;
export type QdiscOptionsIn<K> = K extends QdiscKind<any, infer I, any, any, any, any> ? I : never;
export type ClassOptionsOut<K> = K extends QdiscKind<any, any, infer O, any, any, any> ? O : never;
export type ClassOptionsIn<K> = K extends QdiscKind<any, any, any, infer I, any, any> ? I : never;
export type QdiscXstats<K> = K extends QdiscKind<any, any, any, any, infer X, any> ? X : never;
export type ClassXstats<K> = K extends QdiscKind<any, any, any, any, any, infer X> ? X : never;
export type FilterOptionsOut<K> = K extends FilterKind<infer O, any> ? O : never;
export type FilterOptionsIn<K> = K extends FilterKind<any, infer I> ? I : never;
export type ActionOptionsOut<K> = K extends ActionKind<infer O, any> ? O : never;
export type ActionOptionsIn<K> = K extends ActionKind<any, infer I> ? I : never;
