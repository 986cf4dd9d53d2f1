// The conntrack verbs (ctnetlink) on one NETLINK_NETFILTER socket in one
// namespace: list/stream with filters, get, create, update (mark, labels,
// timeout, status), delete by tuple or by filter, flush, statistics,
// expectations, and a monitor of new/update/destroy events
// (docs/netfilter.md).
import { constants } from 'node:os';
import { describe } from '../../netlink/describe.js';
import { EncodeError, NetlinkError } from '../../netlink/errors.js';
import { type Monitor, type MonitorStats, Monitor as MonitorClass, type OverrunEvent, type SyncedEvent, type RawEvent } from '../../events/monitor.js';
import type { BatchOptions, DumpOptions } from '../../socket/netlink-socket.js';
import { NetlinkSocket } from '../../socket/netlink-socket.js';
import type { RequestOptions } from '../../socket/request-options.js';
import { NETLINK_NETFILTER } from '../../generated/linux/netlink.js';
import { Nfnetlink, type NfnetlinkOptions } from '../client.js';
import { type Conntrack, type ConntrackInput, decodeConntrack } from './entry.js';
import { type ConntrackExpect, decodeExpect } from './expect.js';
import type { ConntrackListFilter } from './filter.js';
import { type ConntrackGroup, conntrackSource } from './events.js';
import {
  countRequest, cpuStatsRequest, createRequest, deleteRequest, expectListRequest, flushRequest, getRequest, listRequest, updateRequest,
} from './requests.js';
import { type ConntrackCount, type ConntrackCpuStats, decodeCount, decodeCpuStats } from './stats.js';

const ENOENT = constants.errno.ENOENT;

/** A conntrack event: `del` is conntrack's DESTROY; `update` a change of a known entry. */
export interface ConntrackEvent {
  action: 'new' | 'update' | 'del';
  kind: 'conntrack';
  object: Conntrack;
  initial?: boolean;
  resync?: boolean;
}
/** What a conntrack monitor yields: connection events, overruns, syncs, and messages without a schema. */
export type ConntrackMonitorEvent = ConntrackEvent | OverrunEvent | SyncedEvent | RawEvent;

/** What a conntrack monitor watches: its groups, whether it lists first, its receive buffer. */
export interface ConntrackMonitorOptions {
  /** new, update, destroy (conntrack -E -e); default all. */
  groups?: readonly (ConntrackGroup | 'all')[];
  /** Yield the entries that exist now (initial: true) first. */
  list?: boolean;
  /** After an overrun, dump again and yield the differences. */
  resync?: boolean;
  receiveBufferSize?: number;
  maxReceiveBufferSize?: number;
  signal?: AbortSignal;
  unref?: boolean;
}

/** The monitor, typed for conntrack events. */
export interface ConntrackMonitor extends AsyncIterable<ConntrackMonitorEvent> {
  /** Stops the monitor; an iteration in progress ends. */
  close(): void;
  readonly stats: MonitorStats;
  readonly syncing: boolean;
}

/** How many entries a delete removed, and how many were gone before it came to them. */
export interface ConntrackDeleteResult {
  /** Entries deleted. */
  deleted: number;
  /** Entries that were gone by the time their delete arrived (timed out, deleted by someone else). */
  vanished: number;
}

/** Connection tracking (`conntrack -L/-G/-D/-I/-U/-E`): entries, expectations, counts and statistics (docs/netfilter.md). */
export class ConntrackApi {
  private readonly owned: boolean;

  /** Verbs on an open nfnetlink socket (closed by its owner), or on a socket of their own: ConntrackApi.open(). */
  constructor(readonly nf: Nfnetlink, private readonly netnsOpts: Pick<NfnetlinkOptions, 'netns'> = {}, owned = false) {
    this.owned = owned;
  }

  /** A NETLINK_NETFILTER socket of its own in a namespace (default: this process's). */
  static open(opts: NfnetlinkOptions = {}): ConntrackApi {
    return new ConntrackApi(Nfnetlink.open(opts), { netns: opts.netns }, true);
  }

  /** Closes the socket (when this client opened it). */
  close(): void { if (this.owned) this.nf.close(); }
  /** Closes the client: `using ct = ConntrackApi.open()`. */
  [Symbol.dispose](): void { this.close(); }

  /** Every entry the filter lets through (conntrack -L). */
  async list(filter?: ConntrackListFilter, opts: DumpOptions = {}): Promise<Conntrack[]> {
    const { req, keep } = listRequest(filter);
    const all = await this.nf.dump(req, decodeConntrack, opts);
    return all.filter(keep);
  }

  /** The same as list(), entry by entry as the datagrams are read (flat memory for big tables). */
  async *stream(filter?: ConntrackListFilter, opts: RequestOptions = {}): AsyncGenerator<Conntrack> {
    const { req, keep } = listRequest(filter);
    for await (const ct of this.nf.dumpStream(req, decodeConntrack, opts)) if (keep(ct)) yield ct;
  }

  /** The entry with this original tuple (and zone); NetlinkError ENOENT when there is none (conntrack -G). */
  async get(input: ConntrackInput, opts: RequestOptions = {}): Promise<Conntrack> {
    const [ct] = await this.nf.request(getRequest(input), decodeConntrack, opts);
    if (!ct) throw new NetlinkError({ errno: ENOENT, operation: 'conntrack get', detail: 'the kernel answered without an entry' });
    return ct;
  }

  /** A new entry (conntrack -I); EEXIST when the tuple is taken. The reply tuple defaults to the original reversed. */
  async create(input: ConntrackInput, opts: RequestOptions = {}): Promise<void> {
    await this.nf.request(createRequest(input), decodeConntrack, opts);
  }

  /** Many new entries, pipelined (every input checked before anything is sent); kernel errors in the result. */
  createMany(inputs: readonly ConntrackInput[], opts: BatchOptions = {}): Promise<{ sent: number; errors: NetlinkError[] }> {
    if (!Array.isArray(inputs)) throw new EncodeError('conntrack.createMany', `expected a list of entries, got ${describe(inputs)}`);
    const reqs = inputs.map((input, i) => createRequest(withPath(input, i)));
    return this.nf.batch(reqs, () => undefined, opts);
  }

  /** Changes an existing entry: mark, labels (with labelsMask), timeout, status (conntrack -U). ENOENT when there is none. */
  async update(input: ConntrackInput, opts: RequestOptions = {}): Promise<void> {
    await this.nf.request(updateRequest(input), decodeConntrack, opts);
  }

  /** Deletes the entry with this original tuple (and zone, id); ENOENT when there is none (conntrack -D with a full tuple). */
  async delete(input: ConntrackInput, opts: RequestOptions = {}): Promise<void> {
    await this.nf.request(deleteRequest(input), decodeConntrack, opts);
  }

  /**
   * Deletes every entry the filter lets through (conntrack -D with filters):
   * listed, then deleted by tuple and id in one pipelined batch, so an entry
   * that replaced a listed one under the same tuple is left alone.
   */
  async deleteMatching(filter: ConntrackListFilter, opts: BatchOptions = {}): Promise<ConntrackDeleteResult & { entries: Conntrack[] }> {
    const entries = await this.list(filter, opts);
    if (entries.length === 0) return { deleted: 0, vanished: 0, entries };
    const reqs = entries.map((ct) => deleteRequest(inputOf(ct)));
    const r = await this.nf.batch(reqs, () => undefined, opts);
    const vanished = r.errors.filter((e) => e.errno === ENOENT).length;
    const other = r.errors.find((e) => e.errno !== ENOENT);
    if (other) throw other;
    return { deleted: entries.length - vanished, vanished, entries };
  }

  /** Deletes every entry (of a family; narrowed by mark/mask or zone where given) in one request (conntrack -F). */
  async flush(filter: Pick<ConntrackListFilter, 'family' | 'mark' | 'markMask' | 'zone'> = {}, opts: RequestOptions = {}): Promise<void> {
    await this.nf.request(flushRequest(filter), decodeConntrack, opts);
  }

  /** Per-CPU statistics (conntrack -S). */
  stats(opts: DumpOptions = {}): Promise<ConntrackCpuStats[]> {
    return this.nf.dump(cpuStatsRequest(), decodeCpuStats, opts);
  }

  /** How many entries the table holds, and its limit (conntrack -C). */
  async count(opts: RequestOptions = {}): Promise<ConntrackCount> {
    const [c] = await this.nf.request(countRequest(), decodeCount, opts);
    if (!c) throw new NetlinkError({ errno: ENOENT, operation: 'conntrack count', detail: 'the kernel answered without statistics' });
    return c;
  }

  /** The expectations (conntrack -L expect). */
  expectations(opts: DumpOptions = {}): Promise<ConntrackExpect[]> {
    return this.nf.dump(expectListRequest(), decodeExpect, opts);
  }

  /**
   * New, updated and destroyed entries (conntrack -E), on sockets of its own
   * in this API's namespace, through the library's monitor: `list: true`
   * yields the table first, `resync: true` recovers from overruns.
   * The kernel sends events only while net.netfilter.nf_conntrack_events allows.
   */
  monitor(opts: ConntrackMonitorOptions = {}): ConntrackMonitor {
    const { netns } = this.netnsOpts;
    const open = (o: Parameters<typeof NetlinkSocket.open>[0] = {}): NetlinkSocket => NetlinkSocket.open({ ...o, protocol: NETLINK_NETFILTER, netns });
    const m: Monitor = new MonitorClass({ open, source: conntrackSource }, opts as ConstructorParameters<typeof MonitorClass>[1]);
    return m as unknown as ConntrackMonitor;
  }
}

function withPath(input: ConntrackInput, i: number): ConntrackInput {
  if (input === null || typeof input !== 'object') throw new EncodeError(`conntrack.createMany[${i}]`, `expected an entry, got ${describe(input)}`);
  return input;
}

/** The identity of a listed entry, as delete takes it. */
export function inputOf(ct: Conntrack): ConntrackInput {
  const t = ct.orig;
  const orig = { src: t.src, dst: t.dst, protocol: t.protocol, sport: t.sport, dport: t.dport, icmp: t.icmp, zone: t.zone };
  const input: ConntrackInput = { orig };
  if (ct.zone !== undefined) input.zone = ct.zone;
  if (ct.id !== undefined) input.id = ct.id;
  return input;
}
