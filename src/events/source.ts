// What a monitor watches: the kinds of object, the group names and what
// they subscribe to, and how a received message is matched to a kind and
// an action. rtnetlink is the default source; another netlink protocol
// (conntrack over nfnetlink, src/nfnetlink/conntrack/events.ts) brings its
// own, with sockets of its own protocol from the monitor's host, so its
// group numbers and message types are never read as rtnetlink's
// (docs/events.md).
import { resolveGroups } from './groups.js';
import { type EventKind, eventKinds, kindOfType } from './kinds.js';

/** 'update' is a change of an object the source tells apart from its creation (conntrack does; rtnetlink does not). */
export type EventAction = 'new' | 'update' | 'del';

/** What a monitor watches: a netlink protocol, its groups, and how its messages decode into events. */
export interface EventSource {
  readonly name: string;
  readonly kinds: readonly EventKind<unknown>[];
  /** Group numbers for the names a caller gave (none: the source's default); an unknown name throws an EncodeError. */
  resolveGroups(names: readonly string[]): number[];
  /** The kind of a received message and what it says happened; undefined for a message of no known kind. */
  kindOf(buf: Buffer, start: number, length: number): { entry: EventKind<unknown>; action: EventAction } | undefined;
}

export const rtnetlinkSource: EventSource = {
  name: 'rtnetlink',
  kinds: eventKinds,
  resolveGroups,
  kindOf: (buf, start) => kindOfType(buf.readUInt16LE(start + 4)),
};
