// What a qdisc, filter or action kind module provides: how its TCA_OPTIONS
// are written and read, how its own statistics (xstats) are read, the words
// tc takes for its options and how tc prints them. Each kind is one module
// plus one line in a registry table; nothing registers itself on import. The
// word and printer parts are required (null where tc has none), so a kind
// without them does not compile (docs/architecture.md, "Kinds").
import type { DecodeIssue } from '../../netlink/errors.js';
import type { NetlinkWriter } from '../../netlink/writer.js';
import type { Words } from '../words.js';
import type { TcPrinter } from './printer.js';
import type { UnitContext } from './units.js';

/**
 * The words after the kind on a tc command line, turned into the kind's
 * options input (units stay text: the encoder reads them as tc does).
 */
export type TcWords = (w: Words) => Record<string, unknown>;

/** Prints decoded options or statistics into both of tc's outputs; `details` is tc's -d. */
export type TcPrint<T> = (p: TcPrinter, v: T, details: boolean) => void;

/** What encoders may ask of the outside world, supplied by the caller (so request builders stay pure). */
export interface EncodeContext extends UnitContext {
  /** Resolves a device name to its interface index (mirred's target device). */
  ifindex?: (name: string) => number;
  /** Opens a pinned BPF object (BPF_OBJ_GET) and returns its file descriptor. */
  bpfObjGet?: (path: string) => number;
  /** The filter being written, for classifiers whose options depend on it (flower: the protocol, hw_tc: the parent). */
  filter?: { protocol: number; parent: number };
}

/**
 * A kind's options. `encode` writes the payload of the options attribute
 * (the caller writes its header) and returns false when the attribute is to
 * be left out altogether, as tc does when no option was given. `decode`
 * reads the payload; it never throws.
 */
export interface OptionsCodec<Out, In> {
  /** The options attribute carries NLA_F_NESTED (tc sets it for some kinds: fq_pie, cake). */
  readonly nested?: boolean;
  /** Writes the options attribute's payload; false when the attribute is to be left out (no option given). */
  encode(w: NetlinkWriter, value: In, ctx: EncodeContext, path: string): void | false;
  /** Reads the options attribute's payload; never throws. */
  decode(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): Out;
}

/** Reads a kind's own statistics (TCA_STATS_APP, or the legacy TCA_XSTATS). */
export type XstatsDecoder<X> = (buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string) => X;

/** What every qdisc kind module has: its name, options codec, words and printer. */
export interface QdiscBase<QO, QI> {
  /** The kernel's kind string (TCA_KIND), e.g. 'htb'. */
  readonly kind: string;
  /** Options of a qdisc of this kind. */
  readonly qdisc?: OptionsCodec<QO, QI>;
  /** `tc qdisc add ... KIND words` (noWords when it takes none). */
  readonly words: TcWords;
  /** The options as `tc qdisc show` prints them (null: an empty options object, as tc). */
  readonly print: TcPrint<QO> | null;
}

/** A kind with its own statistics reads them and prints them (tc -s). */
export type XstatsParts<QX> = [QX] extends [never]
  ? { readonly xstats?: undefined; readonly printXstats?: undefined }
  : { readonly xstats: XstatsDecoder<QX>; readonly printXstats: TcPrint<QX> | null };

/** A classful kind has class options, `tc class add ... KIND words` and a class printer (and class xstats, if any). */
export type ClassParts<CO, CI, CX> = [CO] extends [never]
  ? { readonly class?: undefined; readonly classWords?: undefined; readonly printClass?: undefined; readonly classXstats?: undefined; readonly printClassXstats?: undefined }
  : { readonly class: OptionsCodec<CO, CI>; readonly classWords: TcWords; readonly printClass: TcPrint<CO> | null } & ([CX] extends [never]
    ? { readonly classXstats?: undefined; readonly printClassXstats?: undefined }
    : { readonly classXstats: XstatsDecoder<CX>; readonly printClassXstats: TcPrint<CX> | null });

/**
 * A qdisc kind. Its type parameters say what it has (never: it has none):
 * qdisc options, class options, qdisc and class xstats; each part they
 * name brings its words and printers, required, so a classful kind without
 * class words does not compile.
 */
export type QdiscKind<QO = unknown, QI = QO, CO = never, CI = CO, QX = never, CX = never> = QdiscBase<QO, QI> & XstatsParts<QX> & ClassParts<CO, CI, CX>;

/** What the qdisc registry demands beyond words and print: printers for xstats, words and printers for classes. */
type QdiscPartsOf<T> =
  & (T extends { readonly xstats: object } ? { readonly printXstats: unknown } : unknown)
  & (T extends { readonly class: object } ? { readonly classWords: TcWords; readonly printClass: unknown } : unknown)
  & (T extends { readonly classXstats: object } ? { readonly printClassXstats: unknown } : unknown);

/** The qdisc registry's table, checked: a part a kind needs and lacks is a compile error here. */
export function qdiscTable<T extends Readonly<Record<string, { readonly kind: string; readonly words: TcWords; readonly print: unknown }>>>(
  table: T & { readonly [K in keyof T]: QdiscPartsOf<T[K]> },
): T {
  return table;
}

/** What filter and action printers need from the listing: device names, and whether -s was given. */
export interface TcPrintContext {
  /** A device's name by its index, for the printers. */
  devName(ifindex: number): string;
  stats: boolean;
}

/** A classifier's options as tc prints them, after its handle. */
export type FilterPrint<T> = (p: TcPrinter, o: T, handle: number, ctx: TcPrintContext) => void;
/** An action's options as tc prints them, after "action order N: KIND". */
export type ActionPrint<T> = (p: TcPrinter, o: T, ctx: TcPrintContext) => void;

/** A filter kind module: its options codec, words and printer. */
export interface FilterKind<O = unknown, I = O> {
  readonly kind: string;
  readonly options: OptionsCodec<O, I>;
  /** `tc filter add ... KIND words`. */
  readonly words: TcWords;
  readonly print: FilterPrint<O>;
  /** How this classifier spells its handles (u32: 'htid:hash:node'); a plain number otherwise. */
  readonly handle?: {
    /** Reads a handle as given (a number or the kind's spelling); an EncodeError names `path` when it is not one. */
    parse(v: unknown, path: string): number;
    /** Writes a handle as tc prints it. */
    format(h: number): string;
  };
  /** Options that change the handle (u32's "order" is the node number); it sees them before they are checked. */
  readonly adjustHandle?: (handle: number, options: unknown, path: string) => number;
}

/** An action kind module: its options codec, words and printer. */
export interface ActionKind<O = unknown, I = O> {
  readonly kind: string;
  /** TCA_ACT_OPTIONS of this action. */
  readonly options: OptionsCodec<O, I>;
  /** `action KIND words`. */
  readonly words: TcWords;
  readonly print: ActionPrint<O>;
}

/** Types carried by a kind, for the typed unions built from the registries. */
// Read from the codecs, not the whole kind: its printers take the decoded types as parameters.
/** The decoded qdisc options of a qdisc kind module. */
export type QdiscOptionsOut<K> = K extends { readonly qdisc?: OptionsCodec<infer O, never> } ? O : never;
/** The qdisc options a qdisc kind module takes. */
export type QdiscOptionsIn<K> = K extends { readonly qdisc?: OptionsCodec<unknown, infer I> } ? I : never;
/** The decoded class options of a classful qdisc kind module. */
export type ClassOptionsOut<K> = K extends { readonly class: OptionsCodec<infer O, never> } ? O : never;
/** The class options a classful qdisc kind module takes. */
export type ClassOptionsIn<K> = K extends { readonly class: OptionsCodec<unknown, infer I> } ? I : never;
/** The qdisc statistics of a qdisc kind module that has its own. */
export type QdiscXstats<K> = K extends { readonly xstats: XstatsDecoder<infer X> } ? X : never;
/** The class statistics of a classful qdisc kind module that has its own. */
export type ClassXstats<K> = K extends { readonly classXstats: XstatsDecoder<infer X> } ? X : never;
/** The decoded options of a filter kind module. */
export type FilterOptionsOut<K> = K extends { readonly options: OptionsCodec<infer O, never> } ? O : never;
/** The options a filter kind module takes. */
export type FilterOptionsIn<K> = K extends { readonly options: OptionsCodec<unknown, infer I> } ? I : never;
/** The decoded options of an action kind module. */
export type ActionOptionsOut<K> = FilterOptionsOut<K>;
/** The options an action kind module takes. */
export type ActionOptionsIn<K> = FilterOptionsIn<K>;
