// What a link kind module provides: the schema of IFLA_INFO_DATA (the kind's
// own options) and, for kinds that enslave other links, of
// IFLA_INFO_SLAVE_DATA (the options of a port, e.g. bridge_slave); the words
// `ip link add ... type KIND` takes for them; and how `ip -d -j link show`
// prints them. All parts are required: a kind without words or printer says
// so with `null`, so a part forgotten is a compile error
// (docs/architecture.md, "Kinds").
//
// The decoded and input types are carried as type parameters so that a kind
// whose options contain a whole link (veth's peer) can name them explicitly
// and the link schema's types are not inferred in a circle.
import type { DecodeIssue } from '../../netlink/errors.js';
import type { AttrSet, AttrsIn, AttrsOut, SpecMap } from '../../netlink/schema.js';
import type { NetlinkWriter } from '../../netlink/writer.js';
import type { LinkInput } from '../link.js';
import type { Words } from '../words.js';

/** A value in iproute2's JSON output. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

/** What the link words need from outside: links and namespaces by name (the CLI asks the kernel). */
export interface LinkWordsContext {
  /** A link's index by name, as iproute2's ll_name_to_index. */
  index(name: string): Promise<number>;
  /** An open fd of the named namespace (/run/netns/NAME), or undefined when there is none. */
  netnsFd(name: string): number | undefined;
}

export interface KindWordsContext extends LinkWordsContext {
  /** NLM_F_CREATE: `link add` (some kinds add defaults only then). */
  create: boolean;
  /** Parses a whole link's words (a veth peer). */
  parseLink(words: Words): Promise<{ input: LinkInput }>;
}

/**
 * The words after `type KIND` (or `type KIND_slave`), turned into the kind's
 * options, keys in the order iproute2 adds the attributes.
 */
export type KindWords = (w: Words, ctx: KindWordsContext) => Promise<Record<string, unknown>>;

/** The kind's options as `ip -d -j link show` prints them (info_data / info_slave_data). linkName is ll_index_to_name. */
export type KindJson<D> = (data: D, linkName: (index: number) => string) => Record<string, Json | undefined>;

/** A link kind's data schema (IFLA_INFO_DATA or IFLA_INFO_SLAVE_DATA): decodes and encodes it. */
export interface DataSchema<Out, In> {
  readonly name: string;
  /** Writes the kind data. */
  encode(w: NetlinkWriter, value: In, path?: string): void;
  /** Reads the kind data. */
  decode(buf: Buffer, start: number, end: number, issues?: DecodeIssue[], path?: string): Out;
}

/** A link kind module: its data schema, words, printer and, for kinds that take ports, the port parts. */
export interface LinkKind<DOut = unknown, DIn = DOut, POut = unknown, PIn = POut> {
  /** The kernel's kind string (IFLA_INFO_KIND), e.g. 'veth'. */
  readonly kind: string;
  readonly data?: DataSchema<DOut, DIn>;
  readonly slaveData?: DataSchema<POut, PIn>;
  /** Words for the options (null: the kind takes none, as `type dummy`). */
  readonly words: KindWords | null;
  /** info_data's printer (null: iproute2 prints none for this kind, as for veth). */
  readonly json: KindJson<DOut> | null;
  /** For kinds with ports: the words of `type KIND_slave`, and info_slave_data's printer. */
  readonly portWords?: KindWords | null;
  readonly portJson?: KindJson<POut> | null;
}

export interface Parts<DOut> {
  words: KindWords | null;
  json: KindJson<DOut> | null;
}
/** The port (slave) parts of a link kind whose links take ports: the port data's schema and printer. */
export interface PortParts<POut> {
  portWords: KindWords | null;
  portJson: KindJson<POut> | null;
}

/** A kind without options of its own. */
export function linkKind(kind: string, parts: Parts<Record<string, never>>): LinkKind<Record<string, never>, Record<string, never>, never, never>;
/** A kind whose option types follow from its attribute set. */
export function linkKind<S extends SpecMap>(kind: string, parts: { data: AttrSet<S> } & Parts<AttrsOut<S>>): LinkKind<AttrsOut<S>, AttrsIn<S>, never, never>;
/** A kind whose links take ports, with the schema, words and printer of their port options. */
export function linkKind<S extends SpecMap, P extends SpecMap>(
  kind: string, parts: { data: AttrSet<S>; slaveData: AttrSet<P> } & Parts<AttrsOut<S>> & PortParts<AttrsOut<P>>,
): LinkKind<AttrsOut<S>, AttrsIn<S>, AttrsOut<P>, AttrsIn<P>> & { readonly slaveData: DataSchema<AttrsOut<P>, AttrsIn<P>> } & Readonly<PortParts<AttrsOut<P>>>;
export function linkKind(kind: string, parts: object): object {
  return { kind, ...parts };
}

/** What the registry demands of a kind whose links take ports: their words and printer too. */
type PortPartsOf<T> = T extends { readonly slaveData: object } ? { readonly portWords: KindWords | null; readonly portJson: unknown } : unknown;

/**
 * The registry's table, checked: every kind has its words and its printer
 * (or says `null`), and a kind with ports has theirs. A part left out is a
 * compile error here.
 */
export function kindTable<T extends Readonly<Record<string, { readonly kind: string; readonly words: KindWords | null; readonly json: unknown }>>>(
  table: T & { readonly [K in keyof T]: PortPartsOf<T[K]> },
): T {
  return table;
}
