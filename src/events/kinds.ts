// What the monitor knows about each kind of object is its family descriptor
// (api/families/): the message types that announce it, the schema that
// decodes it, its identity (to reconcile a listing with the changes that
// raced it) and the dump that lists them all. This module derives the event
// kinds and the typed event union from that table; it holds no entry per family.
import { type FamilyDescriptor } from '../api/family.js';
import { families } from '../api/families/index.js';

export type { TcChain } from '../api/families/index.js';

/** What the monitor uses of a family descriptor. */
export type EventKind<T = unknown, K extends string = string> = FamilyDescriptor<T, K>;

/** The kinds of object a monitor reports: the families. */
export type EventKindName = keyof typeof families;

/** What each event kind carries: `{ kind: 'link', object: Link }`, ... */
export type EventObjects = { [K in EventKindName]: Exclude<ReturnType<(typeof families)[K]['decode']>, undefined> };

/** The kinds in the order a listing reports them. */
export const eventKinds: readonly EventKind<unknown>[] = Object.values(families);

/** One change of one object: `if (ev.kind === 'link') ev.object.name`. */
export type ObjectEventOf<K extends EventKindName> = {
  action: 'new' | 'del';
  kind: K;
  object: EventObjects[K];
  /** Part of the initial listing. */
  initial?: boolean;
  /** Found by a resynchronisation after an overrun. */
  resync?: boolean;
};

/** A change of any kind, discriminated by `kind`. */
export type ObjectEvent = { [K in EventKindName]: ObjectEventOf<K> }[EventKindName];

/** The entry for a message type, and whether it announces a new object or a deletion. */
export function kindOfType(type: number): { entry: EventKind<unknown>; action: 'new' | 'del' } | undefined {
  for (const e of eventKinds) {
    if (e.newType === type) return { entry: e, action: 'new' };
    if (e.delType === type) return { entry: e, action: 'del' };
  }
  return undefined;
}
