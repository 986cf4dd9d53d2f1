// The family descriptor: everything the library knows about one kind of
// rtnetlink object, in one place (docs/architecture.md, "The family
// descriptor"). The monitor's event kinds, the typed event union, the client's
// verbs and the verbs a batch offers are derived from the table of descriptors
// (families/index.ts) by the verb engine (engine.ts); a family added to the
// library is one module there.
import type { Decoder, Request } from '../netlink/request.js';
import type { NetlinkError } from '../netlink/errors.js';
import type { IfindexOf } from '../rtnl/route-input.js';
import type { DumpQuery } from './dump-verbs.js';
import type { NameCache, Resolve } from './name-cache.js';

/** The verbs a family may offer, named alike across families. */
export type Verb = 'list' | 'stream' | 'get' | 'add' | 'append' | 'set' | 'change' | 'replace' | 'delete' | 'flush';

/** The verbs that change something, each taking one input. */
export type ChangeVerb = Extract<Verb, 'add' | 'append' | 'set' | 'change' | 'replace' | 'delete'>;

/** Runs one dump request on a socket of the caller's choosing. */
export type DumpVia = <U>(req: Request, decode: Decoder<U>) => Promise<U[]>;

/**
 * What a builder may ask while it builds. The lookups are synchronous: the
 * engine answers them from names resolved before the build (the client's
 * name cache, or one link dump in a batch), so a builder stays pure.
 */
export interface BuildContext {
  /** Name or index → index; an EncodeError naming `path` for a bad one. */
  ifindex: IfindexOf;
  /** A device's speed in Mbit/s (tc rates given in percent). */
  speedMbit(ifindex: number): number;
  /** Opens a pinned BPF object; the engine closes it once the request is sent. */
  bpfObjGet(path: string): number;
}

/** A family's change builders, by verb (`M`: verb → the input it takes). */
export interface ChangeOps<M> {
  /** The friendly input → the request (pure: checks the input, sends nothing). */
  readonly build: { readonly [C in keyof M]: (input: M[C], ctx: BuildContext) => Request };
  /** For deletes: what a refusal "absent" names (`there is no such route`). */
  readonly absent?: { readonly [C in keyof M]?: (input: M[C]) => string };
  /** Runs around one change (a link moved into a namespace named by name: its fd opened for it). */
  readonly around?: { readonly [C in keyof M]?: (input: M[C], run: (input: M[C]) => Promise<void>) => Promise<void> };
  /** After a change: the names it made stale (a link deleted or renamed). */
  readonly after?: { readonly [C in keyof M]?: (input: M[C], names: NameCache) => void };
  /** Makes a kernel refusal say more (a missing qdisc kind...). */
  explain?(err: NetlinkError, input: M[keyof M]): NetlinkError;
  /** How a name the kernel does not know is reported (default: an EncodeError naming the field). */
  nameError?(err: unknown, name: string, path: string, operation: string): unknown;
}

/** What a dump filter may ask: names resolved, or every link's index (kinds dumped per device). */
export interface QueryContext {
  resolve: Resolve;
  /** Every link's index (for families that dump per link). */
  linkIndexes(): Promise<number[]>;
}

/** One object by key (`ip link show X`, `ip route get`). */
export interface GetOps<G> {
  /** The request that gets one object. */
  request(query: G, ctx: BuildContext): Request;
  /** What the reply is called when the kernel sends none. */
  readonly noun: string;
  /** How a name the kernel does not know is reported (default: the change's, else an EncodeError naming the field). */
  nameError?(err: unknown, name: string, path: string, operation: string): unknown;
}

/**
 * A family described once (its schema, verbs, keys, events and printer): the engine, the monitor, the batch and the CLI derive from it (docs/architecture.md).
 */
export interface FamilyDescriptor<T = unknown, K extends string = string, V extends Verb = Verb, M = object, F = never, G = never> {
  /** Its name in events (`ev.kind`), in the client (`nl.route`) and in batches. */
  readonly kind: K;
  /** The message schema: header struct and attribute set (its name and fixed header size here). */
  readonly schema: { readonly name: string; readonly headerSize: number };
  /** RTM_NEW*, RTM_DEL*, RTM_GET*. */
  readonly newType: number;
  readonly delType: number;
  readonly getType: number;
  /** The verbs the kernel supports for it, as the client offers them. */
  readonly verbs: readonly V[];
  /** Multicast groups that announce it. */
  readonly groups: readonly number[];
  readonly decode: Decoder<T>;
  /** Identity: two objects with the same key are the same object in two states. */
  key(obj: T): string;
  /** Requests that list every object of this kind. */
  readonly dump: readonly Request[];
  /**
   * For kinds the kernel dumps only per device or per parent (tc classes and
   * filters): lists them all through `dump`, which runs one dump request.
   */
  list?(dump: DumpVia): Promise<T[]>;
  /** Fields that change without a notification (counters): ignored when comparing states. */
  readonly volatile?: readonly string[];
  /** The group an object is announced in, where a kind spans several (IPv4 and IPv6 routes). */
  groupOf?(obj: T): number | undefined;
  /** The friendly input's builders, by change verb (batches offer each of them). */
  readonly change?: ChangeOps<M>;
  /** `list`/`stream`'s filter → the dump request (the kernel-side filter) and what to keep of it. */
  dumpFilter?(filter: F | undefined, ctx: QueryContext): Promise<DumpQuery<T>>;
  readonly get?: GetOps<G>;
}

/**
 * A device named in an input → its index; an index (or anything else) is
 * left as it is for the family's own check, which names the field its way.
 */
export function devIndex(ref: string | number | undefined, ctx: BuildContext, path: string): number | undefined {
  return typeof ref === 'string' ? ctx.ifindex(ref, path) : ref;
}

/** The IPv4 or IPv6 group of a family-split kind. */
export function byFamily(family: unknown, v4: number, v6: number): number | undefined {
  return family === 'inet' ? v4 : family === 'inet6' ? v6 : undefined;
}
