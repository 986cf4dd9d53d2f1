// The MPTCP path manager (generic netlink family `mptcp_pm`, docs/genl.md):
// endpoints (the local addresses MPTCP may announce or use for subflows),
// the limits, and the connection events — what `ip mptcp endpoint|limits|
// monitor` handle.
import { Genl, type GenlOptions } from '../genl/client.js';
import { GenlCodec } from '../genl/message.js';
import type { GenlAttrs } from '../genl/types.js';
import type { YnlFamilies } from '../generated/ynl/index.js';
import { spec as mptcpSpec } from '../generated/ynl/mptcp_pm.js';
import { NLMSG_HDRLEN } from '../generated/linux/netlink.js';
import { GENL_HDRLEN } from '../generated/linux/genetlink.js';
import { AF_INET, AF_INET6 } from '../generated/libc/socket.js';
import { describe } from '../netlink/describe.js';
import { type DecodeIssue, EncodeError } from '../netlink/errors.js';
import { formatIPv4Number, formatIPv6, parseIP } from '../netlink/ip.js';
import type { SocketEvent } from '../socket/netlink-socket.js';
import type { RequestOptions } from '../socket/request-options.js';

type AddressAttrs = GenlAttrs<YnlFamilies['mptcp_pm'], 'address'>;
/** The attributes of an MPTCP event, as the YNL spec names them. */
export type MptcpEventAttrs = GenlAttrs<YnlFamilies['mptcp_pm'], 'event-attr'>;

/** Endpoint flags by bit (MPTCP_PM_ADDR_FLAG_*), in the order ip prints them. */
export const MPTCP_ENDPOINT_FLAGS = ['signal', 'subflow', 'backup', 'fullmesh', 'implicit'] as const;
/** An MPTCP endpoint flag (signal, subflow, backup, fullmesh...). */
export type MptcpEndpointFlag = (typeof MPTCP_ENDPOINT_FLAGS)[number];

/** An MPTCP endpoint: its id, address, flags and device. */
export interface MptcpEndpoint {
  address: string;
  id: number;
  port?: number;
  flags: MptcpEndpointFlag[];
  /** Flag bits without a name here. */
  otherFlags?: number;
  ifindex?: number;
}

/** An MPTCP endpoint as given. */
export interface MptcpEndpointInput {
  address: string;
  /** 1-255; the kernel picks one when absent. */
  id?: number;
  port?: number;
  flags?: readonly MptcpEndpointFlag[];
  ifindex?: number;
}

/** MPTCP limits: subflows and accepted ADD_ADDRs per connection. */
export interface MptcpLimits { subflows?: number; addAddrAccepted?: number }

/** A path-manager event (MPTCP_EVENT_*), its name from the spec and its attributes. */
export interface MptcpEvent { type: number; name: string; attrs: MptcpEventAttrs; issues?: DecodeIssue[] }

function flagBits(flags: readonly unknown[] | undefined): number {
  if (flags === undefined) return 0;
  if (!Array.isArray(flags)) throw new EncodeError('flags', `expected a list of flags, got ${describe(flags)}`);
  let bits = 0;
  for (const f of flags) {
    const i = MPTCP_ENDPOINT_FLAGS.findIndex((x) => x === f);
    if (i < 0) throw new EncodeError('flags', `"${String(f)}" is not an endpoint flag (${MPTCP_ENDPOINT_FLAGS.join(', ')})`);
    bits |= 1 << i;
  }
  return bits;
}

function u8(path: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 255) throw new EncodeError(path, `expected an integer ${min}-255, got ${describe(v)}`);
  return v;
}

function addressAttrs(e: MptcpEndpointInput): AddressAttrs {
  if (e === null || typeof e !== 'object') throw new EncodeError('endpoint', `expected an object, got ${describe(e)}`);
  const a = parseIP(e.address, 'endpoint.address');
  const out: AddressAttrs = a.length === 4 ? { family: AF_INET, addr4: a.readUInt32BE(0) } : { family: AF_INET6, addr6: a };
  if (e.id !== undefined) out.id = u8('endpoint.id', e.id, 1);
  if (e.port !== undefined) {
    if (!Number.isInteger(e.port) || e.port < 0 || e.port > 0xffff) throw new EncodeError('endpoint.port', `expected a port 0-65535, got ${describe(e.port)}`);
    out.port = e.port;
  }
  const bits = flagBits(e.flags);
  if (bits) out.flags = bits;
  if (e.ifindex !== undefined) {
    if (!Number.isInteger(e.ifindex) || e.ifindex <= 0 || e.ifindex > 0x7fffffff) throw new EncodeError('endpoint.ifindex', `expected an interface index, got ${describe(e.ifindex)}`);
    out['if-idx'] = e.ifindex;
  }
  return out;
}


export function endpointOf(a: AddressAttrs): MptcpEndpoint {
  const flags = a.flags ?? 0;
  const named = MPTCP_ENDPOINT_FLAGS.filter((_, i) => flags & (1 << i));
  const other = flags & ~((1 << MPTCP_ENDPOINT_FLAGS.length) - 1);
  const out: MptcpEndpoint = {
    address: a.addr4 !== undefined ? formatIPv4Number(a.addr4) : a.addr6 ? formatIPv6(a.addr6) : '',
    id: a.id ?? 0, flags: named,
  };
  if (a.port) out.port = a.port;
  if (other) out.otherFlags = other >>> 0;
  if (a['if-idx']) out.ifindex = a['if-idx'];
  return out;
}

/** MPTCP path manager: endpoints, limits and events (`ip mptcp`, docs/genl.md). */
export class MptcpApi {
  private readonly owned: boolean;
  constructor(readonly genl: Genl, opts: { owned?: boolean } = {}) { this.owned = opts.owned ?? false; }
  /** Opens a client on a generic netlink socket of its own (in the namespace the options name, else this process's). */
  static open(opts: GenlOptions = {}): MptcpApi { return new MptcpApi(Genl.open(opts), { owned: true }); }
  /** Closes the socket (when this client opened it). */
  close(): void { if (this.owned) this.genl.close(); }
  /** Closes the client: `using c = MptcpApi.open()`. */
  [Symbol.dispose](): void { this.close(); }

  /** Every MPTCP endpoint (`ip mptcp endpoint show`). */
  async endpoints(opts?: RequestOptions): Promise<MptcpEndpoint[]> {
    return (await this.genl.dump('mptcp_pm', 'get-addr', {}, opts)).map((m) => endpointOf(m.attrs.addr ?? {}));
  }

  /** One MPTCP endpoint by id. */
  async endpoint(id: number, opts?: RequestOptions): Promise<MptcpEndpoint> {
    const [m] = await this.genl.do('mptcp_pm', 'get-addr', { addr: { id: u8('id', id, 1) } }, opts);
    return endpointOf(m?.attrs.addr ?? {});
  }

  /** Adds an MPTCP endpoint (`ip mptcp endpoint add`). */
  async addEndpoint(e: MptcpEndpointInput, opts?: RequestOptions): Promise<void> {
    await this.genl.do('mptcp_pm', 'add-addr', { addr: addressAttrs(e) }, opts);
  }

  /** By id (and, for id 0, the address it stands for). */
  async deleteEndpoint(id: number, address?: string, opts?: RequestOptions): Promise<void> {
    const addr: AddressAttrs = address === undefined ? {} : addressAttrs({ address });
    addr.id = u8('id', id, 0);
    await this.genl.do('mptcp_pm', 'del-addr', { addr }, opts);
  }

  /** Changes an endpoint's backup / fullmesh flags (ip mptcp endpoint change). */
  async changeEndpoint(id: number, flags: { backup?: boolean; fullmesh?: boolean }, opts?: RequestOptions): Promise<void> {
    if (flags === null || typeof flags !== 'object') throw new EncodeError('flags', `expected { backup?, fullmesh? }, got ${describe(flags)}`);
    let bits = 0;
    if (flags.backup) bits |= 1 << MPTCP_ENDPOINT_FLAGS.indexOf('backup');
    if (flags.fullmesh) bits |= 1 << MPTCP_ENDPOINT_FLAGS.indexOf('fullmesh');
    await this.genl.do('mptcp_pm', 'set-flags', { addr: { id: u8('id', id, 1), flags: bits } }, opts);
  }

  /** Deletes every MPTCP endpoint (`ip mptcp endpoint flush`). */
  async flushEndpoints(opts?: RequestOptions): Promise<void> {
    await this.genl.do('mptcp_pm', 'flush-addrs', {}, opts);
  }

  /** The MPTCP limits (`ip mptcp limits show`). */
  async limits(opts?: RequestOptions): Promise<MptcpLimits> {
    const [m] = await this.genl.do('mptcp_pm', 'get-limits', {}, opts);
    const a = m?.attrs ?? {};
    return { ...(a.subflows !== undefined ? { subflows: a.subflows } : {}), ...(a['rcv-add-addrs'] !== undefined ? { addAddrAccepted: a['rcv-add-addrs'] } : {}) };
  }

  /** Sets the MPTCP limits (`ip mptcp limits set`). */
  async setLimits(l: MptcpLimits, opts?: RequestOptions): Promise<void> {
    if (l === null || typeof l !== 'object') throw new EncodeError('limits', `expected { subflows?, addAddrAccepted? }, got ${describe(l)}`);
    const u32 = (p: string, v: unknown): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodeError(p, `expected a count, got ${describe(v)}`);
      return v;
    };
    await this.genl.do('mptcp_pm', 'set-limits', {
      ...(l.subflows !== undefined ? { subflows: u32('limits.subflows', l.subflows) } : {}),
      ...(l.addAddrAccepted !== undefined ? { 'rcv-add-addrs': u32('limits.addAddrAccepted', l.addAddrAccepted) } : {}),
    }, opts);
  }

  /**
   * Path-manager events (connections created, established, closed, subflows,
   * announcements) once subscribed: `await api.subscribe()` first. The
   * family's spec lists these messages as an enum, not as operations, so
   * they are decoded here with its event attribute set.
   */
  async subscribe(): Promise<void> {
    await this.genl.subscribe('mptcp_pm', 'mptcp_pm_events');
  }

  /** MPTCP events (connections and subflows created, closed, announced...), decoded, and overrun notes (`ip mptcp monitor`). */
  events(opts: { signal?: AbortSignal; unref?: boolean } = {}): AsyncIterableIterator<SocketEvent<MptcpEvent>> {
    return this.genl.socket.events((buf, start, length) => decodeMptcpEvent(buf, start, length), opts);
  }
}

const codec = new GenlCodec(mptcpSpec);
const eventNames = new Map<number, string>(Object.entries(mptcpSpec.enums['event-type'].entries).map(([k, v]) => [v, k]));

/** One event message (genlmsghdr cmd = MPTCP_EVENT_*); never throws on what the kernel sends. */
export function decodeMptcpEvent(buf: Buffer, start: number, length: number): MptcpEvent {
  const end = start + length;
  const at = start + NLMSG_HDRLEN;
  const issues: DecodeIssue[] = [];
  const type = end - at >= 1 ? buf[at]! : 0;
  let attrs: MptcpEventAttrs = {};
  if (end - at < GENL_HDRLEN) issues.push({ path: 'mptcp_pm.event', problem: `${end - at} bytes, the headers need ${GENL_HDRLEN}`, offset: at });
  else attrs = codec.schema.set('event-attr').decode(buf, at + GENL_HDRLEN, end, issues, 'mptcp_pm.event');
  return { type, name: eventNames.get(type) ?? `event-${type}`, attrs, ...(issues.length ? { issues } : {}) };
}
