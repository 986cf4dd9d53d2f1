// Watching rtnetlink change: typed events from multicast groups, optionally
// preceded by a listing of what exists, and resynchronised after the kernel
// drops events.
//
// Listing and resynchronising follow one scheme (docs/events.md): subscribe a
// socket first, then dump on another, then apply every event the subscribed
// socket received, in order, on top of the dump. For each object the last
// event wins, so the result is what the kernel holds, provided the
// subscribed socket lost nothing; when it did, the round starts over on a
// new socket. After an overrun the old socket is closed before the dump: the
// events it still queued predate the drop, and applied after the dump they
// would resurrect what the dump no longer shows.
//
// Waiting rides on the socket's epoll watch (no threadpool thread), and an
// unref'd monitor does not keep the process alive.
import { EventEmitter } from 'node:events';
import { errnoByName } from '../netlink/errno.js';
import { describe } from '../netlink/describe.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { type NlMessage, rawMessage } from '../socket/messages.js';
import type { Decoder, Request } from '../netlink/request.js';
import type { NetlinkSocket, SocketOptions } from '../socket/netlink-socket.js';
import type { MonitorGroup } from './groups.js';
import type { EventKind, ObjectEvent } from './kinds.js';
import { type EventAction, type EventSource, rtnetlinkSource } from './source.js';
import { Subscription } from './subscription.js';
import { fingerprint } from './fingerprint.js';
import { hidesChanges } from './silent-changes.js';

export { fingerprint };
export type { MonitorGroup } from './groups.js';
export type { EventAction, EventSource } from './source.js';
export type { EventKindName, EventObjects, ObjectEvent, ObjectEventOf, TcChain } from './kinds.js';

/** What a monitor watches and how: its groups, whether it lists first and resynchronises after a loss, its receive buffer. */
export interface MonitorOptions {
  /** Group names as `ip monitor` takes them (link, address, route, neigh, rule, tc, nsid...). Default: all. */
  groups?: readonly MonitorGroup[];
  /** Yield the objects that exist now (initial: true) before the changes. */
  list?: boolean;
  /** After an overrun, dump again and yield the differences, so the tracked state equals a fresh dump. */
  resync?: boolean;
  /** Do not report dropped events at all (NETLINK_NO_ENOBUFS): drops go unnoticed. */
  noEnobufs?: boolean;
  /** Receive buffer of the monitor socket in bytes (default 8 MiB). */
  receiveBufferSize?: number;
  /**
   * The most the receive buffer grows to on its own: each overrun doubles it
   * up to this (SO_RCVBUFFORCE as root, else capped by net.core.rmem_max).
   * Default 64 MiB; the same value as receiveBufferSize keeps it fixed.
   */
  maxReceiveBufferSize?: number;
  signal?: AbortSignal;
  /** Do not keep the process alive just for this monitor. */
  unref?: boolean;
}

/** What the monitor has been through, for callers that watch its health. */
export interface MonitorStats {
  /** Losses detected (ENOBUFS, or the socket's drop counter moving), each reported as an 'overrun' event. */
  overruns: number;
  /** Events the kernel is known to have dropped (its per-socket drop counter; 0 where that cannot be read). */
  lost: number;
  /** Listings and resynchronisations completed. */
  syncs: number;
  /** Rounds started over because the freshly subscribed socket itself lost events before its dump completed. */
  restarts: number;
  /** Dumps the kernel marked inconsistent (NLM_F_DUMP_INTR, the table changed meanwhile) and that were run again. */
  interruptedDumps: number;
  /** Syncs that had to accept a dump still inconsistent after every attempt (checked again later). */
  inconsistentSyncs: number;
  /** The current socket's receive buffer as the kernel accounts it (SO_RCVBUF, twice what is asked), 0 if unknown. */
  receiveBufferSize: number;
}

/**
 * An object event as the loop below makes it: the kind as a string, the
 * object as that kind's decoder made it. The public type (ObjectEvent) pairs
 * each kind with its object type.
 */
interface LooseObjectEvent {
  action: EventAction;
  kind: string;
  object: unknown;
  initial?: boolean;
  resync?: boolean;
}
/** The kernel dropped events (ENOBUFS): the tracked state may be stale until a resync. */
export interface OverrunEvent {
  action: 'overrun'; kind: 'overrun'; error: Error;
  /** Events dropped since the last report, when the kernel counts them. */
  lost?: number;
  stats: MonitorStats;
}
/** A listing or a resynchronisation is complete: the objects yielded so far are the kernel's state. */
export interface SyncedEvent {
  action: 'synced'; kind: 'synced'; reason: 'list' | 'resync';
  /** False when a dump stayed inconsistent through every attempt; the monitor dumps again a little later. */
  consistent: boolean;
  stats: MonitorStats;
}
/** A message of a type this version has no schema for. */
export interface RawEvent { action: 'raw'; kind: 'raw'; object: NlMessage }
/** What a monitor yields, discriminated by `kind` (`'link'` → `object: Link`, ..., 'overrun', 'synced', 'raw'). */
export type MonitorEvent = ObjectEvent | OverrunEvent | SyncedEvent | RawEvent;
type LooseEvent = LooseObjectEvent | OverrunEvent | SyncedEvent | RawEvent;

/** Opens one of a monitor's sockets with the options the monitor asks for. */
export type OpenSocket = (opts: SocketOptions) => NetlinkSocket;
/** Where a monitor's sockets come from; start/stop bracket its run (to hold a namespace fd, say). */
export interface MonitorHost {
  open: OpenSocket;
  /** What the sockets speak and the monitor watches; default rtnetlink. */
  source?: EventSource;
  /** Called before the monitor opens its sockets. */
  start?(): void;
  /** Called after the monitor closed its sockets. */
  stop?(): void;
}
interface Tracked { fp: string; obj: unknown }
interface Decoded { action: EventAction; kind: string; object: unknown; entry: EventKind<unknown> }
type Item = Decoded | RawEvent;

const DEFAULT_RCVBUF = 8 << 20;
const DEFAULT_MAX_RCVBUF = 64 << 20;
/** Attempts at a dump the kernel keeps marking inconsistent before the union of what they listed is taken. */
const DUMP_ATTEMPTS = 4;
/** When a sync had to accept an inconsistent dump, the next one comes this much later. */
const RECHECK_MS = 1000;
/** After an event behind which the kernel changes things silently, the next dump comes this much later (one for a flurry). */
const SILENT_RECHECK_MS = 50;
const EINTR = errnoByName('EINTR')!;

const sleep = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve) => {
  if (signal.aborted || ms <= 0) { resolve(); return; }
  const t = setTimeout(done, ms);
  function done(): void { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
  signal.addEventListener('abort', done, { once: true });
});

/**
 * Changes as they happen, typed (an async iterable and an EventEmitter): made by `nl.monitor()`.
 * With `list`, the objects that exist first; with `resync`, a fresh dump after the kernel dropped events.
 */
export class Monitor extends EventEmitter implements AsyncIterable<MonitorEvent> {
  private readonly groups: number[];
  private readonly kinds: EventKind<unknown>[];
  private readonly trackedKinds: ReadonlySet<string>;
  private readonly abort = new AbortController();
  private readonly host: MonitorHost;
  private readonly source: EventSource;
  private started = false;
  private inSync = false;
  /** kind → key → state, kept when listing or resynchronising. */
  private state = new Map<string, Map<string, Tracked>>();
  private sub: Subscription<Item | undefined> | undefined;
  /** The receive buffer the next socket asks for. */
  private rcvbuf: number;
  private readonly maxRcvbuf: number;
  /** When set, dump again at this time (a sync accepted an inconsistent dump, or the kernel changed things silently). */
  private recheckAt: number | undefined;
  private readonly counters: MonitorStats = { overruns: 0, lost: 0, syncs: 0, restarts: 0, interruptedDumps: 0, inconsistentSyncs: 0, receiveBufferSize: 0 };

  constructor(host: OpenSocket | MonitorHost, private readonly opts: MonitorOptions = {}) {
    super();
    checkMonitorOptions(opts);
    this.host = typeof host === 'function' ? { open: host } : host;
    this.source = this.host.source ?? rtnetlinkSource;
    this.groups = this.source.resolveGroups(opts.groups ?? []); // an unknown name fails here, before any socket
    this.kinds = this.source.kinds.filter((k) => k.groups.some((g) => this.groups.includes(g)));
    this.trackedKinds = new Set(this.kinds.map((k) => k.kind));
    this.rcvbuf = opts.receiveBufferSize ?? DEFAULT_RCVBUF;
    this.maxRcvbuf = Math.max(this.rcvbuf, opts.maxReceiveBufferSize ?? DEFAULT_MAX_RCVBUF);
    opts.signal?.addEventListener('abort', () => this.close(), { once: true });
    // The EventEmitter form starts when someone listens.
    this.on('newListener', (name) => {
      if (name === 'event' && !this.started) queueMicrotask(() => { void this.pipeToEmitter(); });
    });
  }

  /** Stops the monitor; an iteration in progress ends. */
  close(): void {
    this.abort.abort();
    this.sub?.close();
  }

  /**
   * Whether a dump is under way or due (after an overrun, an inconsistent
   * dump, or an event behind which the kernel changes things silently):
   * until it is done, the tracked state may lag behind the kernel.
   */
  get syncing(): boolean {
    return this.inSync || this.recheckAt !== undefined;
  }

  /** Overruns, events known lost, syncs, restarts and the receive buffer in force, as of now. */
  get stats(): MonitorStats {
    return { ...this.counters };
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

  /** The events, one at a time, until `close()` or the signal ends the monitor. */
  [Symbol.asyncIterator](): AsyncGenerator<MonitorEvent> {
    // Each object was decoded by the entry its kind names (decode() below), so
    // the pairing the public type states holds by construction.
    return this.run() as AsyncGenerator<MonitorEvent>;
  }

  private async *run(): AsyncGenerator<LooseEvent> {
    if (this.started) throw new Error('a Monitor can be iterated once');
    this.started = true;
    if (this.abort.signal.aborted) return;
    this.host.start?.();
    try {
      // Subscribed (and reading) before listing, so nothing falls in between.
      this.subscribe();
      if (this.opts.list) yield* this.synchronise('list');
      while (!this.abort.signal.aborted) {
        const step = await this.nextOrRecheck();
        if (step === 'recheck') { yield* this.synchronise('resync', false); continue; }
        if (step.done) return;
        const se = step.value;
        if (se.kind === 'overrun') {
          this.counters.overruns++;
          this.counters.lost += se.lost ?? 0;
          this.growBuffer();
          yield { action: 'overrun', kind: 'overrun', error: se.error, lost: se.lost, stats: this.stats };
          if (this.opts.resync) yield* this.synchronise('resync');
          continue;
        }
        const ev = se.value;
        if (!ev) continue;
        if (ev.action === 'raw') { yield ev; continue; }
        if (this.tracking) {
          const before = this.state.get(ev.kind)?.get(ev.entry.key(ev.object))?.obj;
          // Even an event that tells nothing new may stand behind a silent change: it can
          // arrive after a dump that already showed its own object, while objects the
          // change removed were put back by older events queued behind the dump.
          if (hidesChanges(ev.kind, ev.action === 'del' ? 'del' : 'new', ev.object, before, this.trackedKinds, () => this.trackedObjects('route'))) {
            this.recheckAt = Math.min(this.recheckAt ?? Infinity, Date.now() + SILENT_RECHECK_MS);
          }
          if (!this.apply(ev.entry, ev.action, ev.object)) continue;
        }
        yield { action: ev.action, kind: ev.kind, object: ev.object };
      }
    } finally {
      this.abort.abort();
      this.sub?.close();
      this.host.stop?.();
    }
  }

  private *trackedObjects(kind: string): Generator<unknown> {
    for (const t of this.state.get(kind)?.values() ?? []) yield t.obj;
  }

  /** The next event, or 'recheck' when a dump is due first. */
  private async nextOrRecheck(): Promise<IteratorResult<{ kind: 'message'; value: Item | undefined } | { kind: 'overrun'; error: Error; lost?: number }> | 'recheck'> {
    const next = this.sub!.next();
    if (this.recheckAt === undefined) return next;
    let timer: NodeJS.Timeout | undefined;
    const due = new Promise<'recheck'>((r) => {
      timer = setTimeout(() => r('recheck'), Math.max(0, this.recheckAt! - Date.now()));
      if (this.opts.unref) timer.unref();
    });
    try { return await Promise.race([next, due]); } finally { clearTimeout(timer); }
  }

  /** Opens a new subscribed socket (reading at once) in place of the current one, whose queue is discarded. */
  private subscribe(): void {
    const sock = this.host.open({ groups: this.groups, receiveBufferSize: this.rcvbuf, noEnobufs: this.opts.noEnobufs });
    const fresh = new Subscription<Item | undefined>(sock, (buf, start, length) => this.decode(buf, start, length), this.abort.signal, this.opts.unref);
    this.sub?.close();
    this.sub = fresh;
    this.counters.receiveBufferSize = fresh.receiveBufferSize();
  }

  /** After an overrun the next socket asks for twice the buffer, up to the bound. */
  private growBuffer(): void {
    const next = Math.min(this.rcvbuf * 2, this.maxRcvbuf);
    if (next === this.rcvbuf) return;
    this.rcvbuf = next;
    // A monitor that does not resync keeps its socket: grow it in place.
    if (!this.opts.resync && this.sub) {
      try { this.counters.receiveBufferSize = this.sub.socket.transport.setReceiveBufferSize?.(next) ?? 0; } catch { /* keep what there is */ }
    }
  }

  /**
   * Lists (reason 'list') or resynchronises: a fresh subscription first
   * (unless `renew` is false: the current socket lost nothing), then a dump
   * of every kind; if the subscription lost events before the dump ended,
   * the round starts over with a bigger buffer. Never gives up: it ends when
   * a round succeeds or the monitor is closed.
   */
  private async *synchronise(reason: 'list' | 'resync', renew = reason === 'resync'): AsyncGenerator<LooseEvent> {
    this.recheckAt = undefined;
    this.inSync = true;
    try {
      yield* this.rounds(reason, renew);
    } finally {
      this.inSync = false;
    }
  }

  private async *rounds(reason: 'list' | 'resync', renew: boolean): AsyncGenerator<LooseEvent> {
    for (let round = 0; !this.abort.signal.aborted; round++) {
      if (renew || round > 0) this.subscribe();
      const { dumped, consistent } = await this.dumpAll();
      if (this.abort.signal.aborted) return;
      const drops = this.sub!.drops();
      if (drops !== undefined && drops > 0) {
        this.counters.restarts++;
        this.counters.lost += drops;
        this.growBuffer();
        await sleep(Math.min(1000, 10 * 2 ** round), this.abort.signal);
        continue;
      }
      this.counters.syncs++;
      if (!consistent) {
        this.counters.inconsistentSyncs++;
        this.recheckAt = Date.now() + RECHECK_MS;
      }
      yield* reason === 'list' ? this.listed(dumped) : this.differences(dumped);
      // Done before it is said: a caller that stops reading at 'synced' sees the monitor settled.
      this.inSync = false;
      yield { action: 'synced', kind: 'synced', reason, consistent, stats: this.stats };
      return;
    }
  }

  /** Decodes one received message (its bytes are reused after this returns). */
  private decode(buf: Buffer, start: number, length: number): Item | undefined {
    const found = this.source.kindOf(buf, start, length);
    if (!found) return { action: 'raw', kind: 'raw', object: rawMessage(buf, start, length)! };
    const object = found.entry.decode(buf, start, length);
    if (object === undefined) return undefined;
    return { action: found.action, kind: found.entry.kind, object, entry: found.entry };
  }

  /** Updates the tracked state; false when the event tells nothing new (a duplicate of a listed state). */
  private apply(k: EventKind<unknown>, action: EventAction, obj: unknown): boolean {
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

  /** Every kind dumped: kind → key → state; consistent unless a dump stayed interrupted through every attempt. */
  private async dumpAll(): Promise<{ dumped: Map<string, Map<string, Tracked>>; consistent: boolean }> {
    const dumped = new Map<string, Map<string, Tracked>>();
    let consistent = true;
    for (const k of this.kinds) {
      if (this.abort.signal.aborted) break;
      const r = await this.dumpKind(k);
      consistent &&= r.consistent;
      dumped.set(k.kind, r.objects);
    }
    return { dumped, consistent };
  }

  /**
   * One kind, dumped on a socket of its own. A dump the kernel marks
   * inconsistent (the table changed under it) is run again, up to
   * DUMP_ATTEMPTS times with a growing pause; what every attempt listed is
   * kept (the later state of an object wins), since an inconsistent dump can
   * skip an object but never invents one, and the events that follow the
   * dump correct whatever changed. Under steady churn a large table may never
   * dump cleanly: then the union is taken and reported as inconsistent.
   */
  private async dumpKind(k: EventKind<unknown>): Promise<{ objects: Map<string, Tracked>; consistent: boolean }> {
    const objects = new Map<string, Tracked>();
    const s = this.host.open({});
    let consistent = true;
    try {
      const dump = async <U>(req: Request, decode: Decoder<U>): Promise<U[]> => {
        const union = new Map<string, U>();
        for (let attempt = 1; ; attempt++) {
          try {
            // A clean dump is whole by itself; the attempts before it were only a fallback.
            return await s.dump(req, decode, { retries: 0 });
          } catch (err) {
            if (!(err instanceof NetlinkError) || err.errno !== EINTR || !Array.isArray(err.partial)) throw err;
            this.counters.interruptedDumps++;
            merge(union, err.partial as U[], decode);
            if (attempt >= DUMP_ATTEMPTS || this.abort.signal.aborted) { consistent = false; return [...union.values()]; }
            await sleep(5 * 4 ** (attempt - 1), this.abort.signal);
          }
        }
      };
      // Objects of this kind by their identity; what list() dumps on the way (links, qdiscs) by content.
      const merge = <U>(into: Map<string, U>, items: readonly U[], decode: Decoder<U>): Map<string, U> => {
        const keyOf = Object.is(decode, k.decode) ? (o: U) => k.key(o) : (o: U) => fingerprint(o);
        for (const o of items) into.set(keyOf(o), o);
        return into;
      };
      let out: unknown[] = [];
      if (k.list) out = await k.list(dump);
      else for (const req of k.dump) out.push(...await dump(req, k.decode));
      for (const obj of out) {
        // Subscribed to part of a kind (ipv4-route): list only what those groups announce.
        const g = k.groupOf?.(obj);
        if (g !== undefined && !this.groups.includes(g)) continue;
        objects.set(k.key(obj), { fp: fingerprint(obj, k.volatile), obj });
      }
    } finally {
      s.close();
    }
    return { objects, consistent };
  }

  /** The initial listing: every object, as the tracked state. */
  private *listed(dumped: Map<string, Map<string, Tracked>>): Generator<LooseEvent> {
    for (const k of this.kinds) {
      const objects = dumped.get(k.kind) ?? new Map<string, Tracked>();
      this.state.set(k.kind, objects);
      for (const t of objects.values()) yield { action: 'new', kind: k.kind, object: t.obj, initial: true };
    }
  }

  /** What differs from the tracked state; the state becomes the dump. */
  private *differences(dumped: Map<string, Map<string, Tracked>>): Generator<LooseEvent> {
    for (const k of this.kinds) {
      const old = this.stateOf(k.kind);
      const fresh = dumped.get(k.kind) ?? new Map<string, Tracked>();
      this.state.set(k.kind, fresh);
      for (const [key, t] of fresh) {
        if (old.get(key)?.fp !== t.fp) yield { action: 'new', kind: k.kind, object: t.obj, resync: true };
      }
      for (const [key, t] of old) {
        if (!fresh.has(key)) yield { action: 'del', kind: k.kind, object: t.obj, resync: true };
      }
    }
  }

  /** The tracked objects of a kind, by key (for tests and tools). */
  tracked(kind: string): Map<string, unknown> {
    return new Map([...(this.state.get(kind) ?? [])].map(([key, t]) => [key, t.obj]));
  }

  /** The tracked state as kind → keys (for tests and tools). */
  trackedKeys(kind: string): string[] {
    return [...(this.state.get(kind)?.keys() ?? [])].sort();
  }
}

export function checkMonitorOptions(opts: MonitorOptions): void {
  if (opts.resync && opts.noEnobufs) throw new EncodeError('monitor', 'resync needs overruns to be reported; drop noEnobufs');
  for (const name of ['receiveBufferSize', 'maxReceiveBufferSize'] as const) {
    const v = opts[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1024 || v > 0x7fffffff)) {
      throw new EncodeError(`monitor.${name}`, `${describe(v)} is not a buffer size in bytes (an integer from 1024 to 2147483647)`);
    }
  }
}
