// The family descriptor: everything the library knows about one kind of
// rtnetlink object, in one place (docs/architecture.md, "The family
// descriptor"). The monitor's event kinds, the typed event union and the
// verbs a batch offers are derived from the table of descriptors
// (families/index.ts); a family added to the library is one module there.
import type { Decoder, Request } from '../netlink/request.js';

/** The verbs a family may offer, named alike across families. */
export type Verb = 'list' | 'stream' | 'get' | 'add' | 'set' | 'change' | 'replace' | 'delete' | 'flush';

/** Runs one dump request on a socket of the caller's choosing. */
export type DumpVia = <U>(req: Request, decode: Decoder<U>) => Promise<U[]>;

export interface FamilyDescriptor<T = unknown, K extends string = string, V extends Verb = Verb> {
  /** Its name in events (`ev.kind`), in the client (`nl.route`) and in batches. */
  readonly kind: K;
  /** The message schema: header struct and attribute set (its name and fixed header size here). */
  readonly schema: { readonly name: string; readonly headerSize: number };
  /** RTM_NEW*, RTM_DEL*, RTM_GET*. */
  readonly newType: number;
  readonly delType: number;
  readonly getType: number;
  /** The verbs the kernel supports for it, as the client and batches offer them. */
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
}

/** The IPv4 or IPv6 group of a family-split kind. */
export function byFamily(family: unknown, v4: number, v6: number): number | undefined {
  return family === 'inet' ? v4 : family === 'inet6' ? v6 : undefined;
}
