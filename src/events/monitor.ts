// Watching rtnetlink change: typed events from multicast groups, optionally
// preceded by a listing of what exists, and resynchronised after the kernel
// drops events (ENOBUFS).
//
// List-then-watch subscribes first, then dumps on a second socket, so no
// change can fall between the two; changes that raced the dump are
// reconciled against the listed state (a 'new' equal to what is known, or a
// 'del' of what is not known, is not reported twice).
//
// Waiting rides on the socket's epoll watch (no threadpool thread), and an
// unref'd monitor does not keep the process alive.
import { EventEmitter } from 'node:events';
import { EncodeError } from '../netlink/errors.js';
import { type NlMessage, rawMessage } from '../socket/messages.js';
import type { NetlinkSocket, SocketOptions } from '../socket/netlink-socket.js';
import { type MonitorGroup, resolveGroups } from './groups.js';

export type { MonitorGroup } from './groups.js';
import { type EventKind, type ObjectEvent, eventKinds, kindOfType } from './kinds.js';

export type { EventKindName, EventObjects, ObjectEvent, ObjectEventOf, TcChain } from './kinds.js';

export interface MonitorOptions {
  /** Group names as `ip monitor` takes them (link, address, route, neigh, rule, tc, nsid...). Default: all. */
  groups?: readonly MonitorGroup[];
  /** Yield the objects that exist now (initial: true) before the changes. */
  list?: boolean;
  /** After an overrun, dump again and yield the differences, so the tracked state equals a fresh dump. */
  resync?: boolean;
  /** Do not report ENOBUFS at all (NETLINK_NO_ENOBUFS): drops go unnoticed. */
  noEnobufs?: boolean;
  /** Receive buffer of the monitor socket in bytes. */
  receiveBufferSize?: number;
  signal?: AbortSignal;
  /** Do not keep the process alive just for this monitor. */
  unref?: boolean;
}

/**
 * An object event as the loop below makes it: the kind as a string, the
 * object as that kind's decoder made it. The public type (ObjectEvent) pairs
 * each kind with its object type.
 */
interface LooseObjectEvent {
  action: 'new' | 'del';
  kind: string;
  object: unknown;
  initial?: boolean;
  resync?: boolean;
}
export interface OverrunEvent { action: 'overrun'; kind: 'overrun'; error: Error }
export interface SyncedEvent { action: 'synced'; kind: 'synced'; reason: 'list' | 'resync' }
/** A message of a type this version has no schema for. */
export interface RawEvent { action: 'raw'; kind: 'raw'; object: NlMessage }
/** What a monitor yields, discriminated by `kind` (`'link'` → `object: Link`, ..., 'overrun', 'synced', 'raw'). */
export type MonitorEvent = ObjectEvent | OverrunEvent | SyncedEvent | RawEvent;
type LooseEvent = LooseObjectEvent | OverrunEvent | SyncedEvent | RawEvent;

type OpenSocket = (opts: SocketOptions) => NetlinkSocket;
interface Tracked { fp: string; obj: unknown }
interface Decoded { action: 'new' | 'del'; kind: string; object: unknown; entry: EventKind<unknown> }

export class Monitor extends EventEmitter implements AsyncIterable<MonitorEvent> {
  private readonly groups: number[];
  private readonly kinds: EventKind<unknown>[];
  private readonly abort = new AbortController();
  private started = false;
  /** kind → key → state, kept when listing or resynchronising. */
  private state = new Map<string, Map<string, Tracked>>();

  constructor(private readonly open: OpenSocket, private readonly opts: MonitorOptions = {}) {
    super();
    checkMonitorOptions(opts);
    this.groups = resolveGroups(opts.groups ?? []); // an unknown name fails here, before any socket
    this.kinds = (eventKinds as readonly EventKind<unknown>[]).filter((k) => k.groups.some((g) => this.groups.includes(g)));
    opts.signal?.addEventListener('abort', () => this.close(), { once: true });
    // The EventEmitter form starts when someone listens.
    this.on('newListener', (name) => {
      if (name === 'event' && !this.started) queueMicrotask(() => { void this.pipeToEmitter(); });
    });
  }

  /** Stops the monitor; an iteration in progress ends. */
  close(): void {
    this.abort.abort();
  }

  private get tracking(): boolean {
    return Boolean(this.opts.list || this.opts.resync);
  }

  private async pipeToEmitter(): Promise<void> {
    if (this.started) return;
    try {
      for await (const ev of this) this.emit('event', ev);
      this.emit('close');
    } catch (err) {
      this.emit('error', err);
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<MonitorEvent> {
    // Each object was decoded by the entry its kind names (decode() below), so
    // the pairing the public type states holds by construction.
    return this.run() as AsyncGenerator<MonitorEvent>;
  }

  private async *run(): AsyncGenerator<LooseEvent> {
    if (this.started) throw new Error('a Monitor can be iterated once');
    this.started = true;
    const sock = this.open({ groups: this.groups, receiveBufferSize: this.opts.receiveBufferSize, noEnobufs: this.opts.noEnobufs });
    const raw = sock.events((buf, start, length) => this.decode(buf, start, length), { signal: this.abort.signal, unref: this.opts.unref });
    try {
      // Start reading (subscribed already) before listing, so nothing falls in between.
      let pending = raw.next();
      if (this.opts.list) {
        for (const ev of await this.listAll()) yield ev;
        yield { action: 'synced', kind: 'synced', reason: 'list' };
      }
      for (;;) {
        const step = await pending;
        if (step.done) return;
        pending = raw.next();
        const se = step.value;
        if (se.kind === 'overrun') {
          yield { action: 'overrun', kind: 'overrun', error: se.error };
          if (this.opts.resync) {
            for (const ev of await this.resync()) yield ev;
            yield { action: 'synced', kind: 'synced', reason: 'resync' };
          }
          continue;
        }
        const ev = se.value;
        if (ev.action === 'new' || ev.action === 'del') {
          if (this.tracking && !this.apply(ev.entry, ev.action, ev.object)) continue;
          yield { action: ev.action, kind: ev.kind, object: ev.object };
        } else {
          yield ev;
        }
      }
    } finally {
      this.abort.abort();
      await raw.return?.(undefined);
      sock.close();
    }
  }

  /** Decodes one received message (its bytes are reused after this returns). */
  private decode(buf: Buffer, start: number, length: number): Decoded | RawEvent | undefined {
    const type = buf.readUInt16LE(start + 4);
    const found = kindOfType(type);
    if (!found) return { action: 'raw', kind: 'raw', object: rawMessage(buf, start, length)! };
    const object = found.entry.decode(buf, start, length);
    if (object === undefined) return undefined;
    return { action: found.action, kind: found.entry.kind, object, entry: found.entry };
  }

  /** Updates the tracked state; false when the event tells nothing new (a duplicate of a listed state). */
  private apply(k: EventKind<unknown>, action: 'new' | 'del', obj: unknown): boolean {
    const map = this.stateOf(k.kind);
    const key = k.key(obj);
    if (action === 'del') return map.delete(key);
    const fp = fingerprint(obj, k.volatile);
    if (map.get(key)?.fp === fp) return false;
    map.set(key, { fp, obj });
    return true;
  }

  private stateOf(kind: string): Map<string, Tracked> {
    let m = this.state.get(kind);
    if (!m) { m = new Map(); this.state.set(kind, m); }
    return m;
  }

  private async dumpKind(k: EventKind<unknown>): Promise<unknown[]> {
    const s = this.open({});
    try {
      let out: unknown[] = [];
      if (k.list) out = await k.list((req, decode) => s.dump(req, decode));
      else for (const req of k.dump) out.push(...await s.dump(req, k.decode));
      // Subscribed to part of a kind (ipv4-route): list only what those groups announce.
      if (k.groupOf) {
        out = out.filter((o) => {
          const g = k.groupOf!(o);
          return g === undefined || this.groups.includes(g);
        });
      }
      return out;
    } finally {
      s.close();
    }
  }

  private async listAll(): Promise<LooseEvent[]> {
    const events: LooseEvent[] = [];
    for (const k of this.kinds) {
      for (const obj of await this.dumpKind(k)) {
        this.apply(k, 'new', obj);
        events.push({ action: 'new', kind: k.kind, object: obj, initial: true });
      }
    }
    return events;
  }

  /** Dumps again and reports what differs from the tracked state; the state becomes the dump. */
  private async resync(): Promise<LooseEvent[]> {
    const events: LooseEvent[] = [];
    for (const k of this.kinds) {
      const old = this.stateOf(k.kind);
      const fresh = new Map<string, Tracked>();
      for (const obj of await this.dumpKind(k)) {
        const key = k.key(obj);
        const fp = fingerprint(obj, k.volatile);
        fresh.set(key, { fp, obj });
        if (old.get(key)?.fp !== fp) events.push({ action: 'new', kind: k.kind, object: obj, resync: true });
      }
      for (const [key, t] of old) {
        if (!fresh.has(key)) events.push({ action: 'del', kind: k.kind, object: t.obj, resync: true });
      }
      this.state.set(k.kind, fresh);
    }
    return events;
  }

  /** The tracked state as kind → keys (for tests and tools). */
  trackedKeys(kind: string): string[] {
    return [...(this.state.get(kind)?.keys() ?? [])].sort();
  }
}

/** A stable text form of an object without its volatile fields (for "did it change?"). */
export function fingerprint(obj: unknown, volatile: readonly string[] = []): string {
  return JSON.stringify(obj, (key, value) => {
    if (volatile.includes(key) || key === 'issues') return undefined;
    // Buffer#toJSON has run before the replacer sees it: { type: 'Buffer', data: [...] }.
    const b = value as { type?: unknown; data?: unknown };
    if (b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data)) return Buffer.from(b.data as number[]).toString('hex');
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}

export function checkMonitorOptions(opts: MonitorOptions): void {
  if (opts.resync && opts.noEnobufs) throw new EncodeError('monitor', 'resync needs overruns to be reported; drop noEnobufs');
}
