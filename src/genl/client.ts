// Generic netlink: one socket (NETLINK_GENERIC) in one namespace, the same
// socket engine as rtnetlink (batches, streaming dumps, DUMP_INTR restarts,
// ENOBUFS on events, extack), families and multicast groups resolved by name
// through nlctrl and cached per client. A family is described by its YNL
// spec (src/generated/ynl, or a GenlSpec the caller brings), so any family
// the kernel has can be spoken to, wrapped by this library or not
// (docs/genl.md).
import { NETLINK_GENERIC } from '../generated/linux/netlink.js';
import { CTRL_CMD_DELFAMILY, CTRL_CMD_NEWFAMILY, GENL_ID_CTRL } from '../generated/linux/genetlink.js';
import { spec as nlctrlSpec } from '../generated/ynl/nlctrl.js';
import { type YnlFamilies, ynlSpecs } from '../generated/ynl/index.js';
import { describe } from '../netlink/describe.js';
import { isRecord } from '../netlink/narrow.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import type { NetnsRef } from '../netns/ref.js';
import type { Decoder, Request } from '../netlink/request.js';
import { type DumpOptions, NetlinkSocket, type SocketEvent } from '../socket/netlink-socket.js';
import type { RequestOptions } from '../socket/request-options.js';
import type { Transport } from '../socket/transport.js';
import { GenlCodec, type GenlMessage } from './message.js';
import type { GenlSpec, YnlOp } from './spec.js';
import type { GenlOpName, GenlReply, GenlRequest } from './types.js';

export type { GenlMessage } from './message.js';

/** How to open a generic netlink client: its namespace and request defaults. */
export interface GenlOptions extends RequestOptions {
  /** Open the socket inside this namespace (a name under /run/netns, { path }, { fd } or { pid }). */
  netns?: NetnsRef;
  /** Use this transport instead of a kernel socket (tests). */
  transport?: Transport;
}

/** What nlctrl says about a family in this namespace. */
export interface GenlFamilyInfo {
  name: string;
  id: number;
  version: number;
  hdrsize: number;
  maxattr: number;
  ops: { id: number; flags: string[] }[];
  groups: { name: string; id: number }[];
}

/** A family ready to talk to: the kernel's numbers and the spec's tables. */
export interface GenlFamily {
  readonly info: GenlFamilyInfo;
  readonly codec: GenlCodec;
}

const ctrl = new GenlCodec(nlctrlSpec);

/** nlctrl's own answer, as its spec decodes it, into the shape callers see. */
function familyInfo(m: GenlMessage): GenlFamilyInfo {
  const a = m.attrs;
  // nlctrl's spec decodes these as strings, integers, lists and name lists; what is absent reads as empty.
  const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);
  const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    name: str(a['family-name']),
    id: num(a['family-id']),
    version: num(a.version),
    hdrsize: num(a.hdrsize),
    maxattr: num(a.maxattr),
    ops: list(a.ops).map((o) => ({ id: num(o.id), flags: names(o.flags) })),
    groups: list(a['mcast-groups']).map((g) => ({ name: str(g.name), id: num(g.id) })),
  };
}

/**
 * A generic netlink client: families resolved by name through nlctrl, requests and replies typed by the family's YNL spec (docs/genl.md).
 */
export class Genl {
  private readonly families = new Map<string, GenlFamily>();
  private readonly byId = new Map<number, GenlFamily>();
  /** Groups joined by name, per family: joined again when the family comes back (its groups renumbered). */
  private readonly joined = new Map<string, Set<string>>();
  /** Codecs of families that went away, kept for when they come back. */
  private readonly departed = new Map<string, GenlCodec>();
  /** The nlctrl group that announces families coming and going, once joined. */
  private ctrlNotify: Promise<void> | undefined;

  private constructor(readonly socket: NetlinkSocket) {}

  /** Opens a client on a NETLINK_GENERIC socket (in the namespace the options name, else this process's). */
  static open(opts: GenlOptions = {}): Genl {
    if (opts === null || typeof opts !== 'object') throw new TypeError(`Genl.open: options must be an object, got ${describe(opts)}`);
    const { netns, transport, timeoutMs, signal } = opts;
    return new Genl(NetlinkSocket.open({ protocol: NETLINK_GENERIC, netns, transport, timeoutMs, signal }));
  }

  /** Closes the socket. */
  close(): void { this.socket.close(); }
  /** Closes the client: `using c = Genl.open()`. */
  [Symbol.dispose](): void { this.close(); }

  /** Every family the kernel has here, with its ops and groups (like `genl ctrl list`). */
  async list(opts: DumpOptions = {}): Promise<GenlFamilyInfo[]> {
    const req = ctrl.request(ctrlOp('getfamily'), 'dump', GENL_ID_CTRL, 2, {}, 'genl ctrl list');
    const msgs = await this.socket.dump(req, ctrl.decoder(ctrlOp('getfamily')), opts);
    return msgs.map(familyInfo);
  }

  /** Asks nlctrl for one family by name (no cache). Throws NetlinkError ENOENT when the kernel has none. */
  async lookup(name: string, opts: RequestOptions = {}): Promise<GenlFamilyInfo> {
    if (typeof name !== 'string' || name === '') throw new EncodeError('family', `expected a family name, got ${describe(name)}`);
    const req = ctrl.request(ctrlOp('getfamily'), 'do', GENL_ID_CTRL, 2, { 'family-name': name }, `genl resolve ${name}`);
    const [m] = await this.socket.request(req, ctrl.decoder(ctrlOp('getfamily')), opts);
    if (!m) throw new Error(`nlctrl gave no answer for family ${name}`);
    return familyInfo(m);
  }

  /**
   * The family by name, resolved once per client (the client's socket lives
   * in one namespace, so that is once per namespace). `spec` is needed for
   * a family this package has no spec of.
   */
  async family(name: string, spec?: GenlSpec, opts: RequestOptions = {}): Promise<GenlFamily> {
    const cached = this.families.get(name);
    if (cached && (!spec || cached.codec.spec === spec)) return cached;
    const codec = new GenlCodec(spec ?? await specOf(name));
    const info = await this.lookup(name, opts);
    const fam = { info, codec };
    this.families.set(name, fam);
    this.byId.set(info.id, fam);
    return fam;
  }

  /** Forgets a cached family (its id is asked for again on next use). */
  forget(name: string): void {
    const f = this.families.get(name);
    if (f) { this.families.delete(name); this.byId.delete(f.info.id); }
  }

  /** One request (`do`) of an operation; its replies, decoded. Typed for the families this package has specs of. */
  async do<F extends keyof YnlFamilies, O extends GenlOpName<YnlFamilies[F], 'do'>>(
    family: F, op: O, attrs?: GenlRequest<YnlFamilies[F], O, 'do'>, opts?: RequestOptions): Promise<GenlMessage<GenlReply<YnlFamilies[F], O>>[]>;
  /** A family without a committed spec (pass `opts.spec`): untyped. */
  async do<F extends string>(family: F extends keyof YnlFamilies ? never : F, op: string, attrs?: Record<string, unknown>, opts?: RequestOptions & { spec?: GenlSpec }): Promise<GenlMessage[]>;
  async do(family: string, op: string, attrs: Record<string, unknown> = {}, opts: RequestOptions & { spec?: GenlSpec } = {}): Promise<GenlMessage[]> {
    return this.retrying(family, opts.spec, 'do', op, attrs, (req, dec) => this.socket.request(req, dec, opts));
  }

  /** A dump of an operation, as one array. Typed for the families this package has specs of. */
  async dump<F extends keyof YnlFamilies, O extends GenlOpName<YnlFamilies[F], 'dump'>>(
    family: F, op: O, attrs?: GenlRequest<YnlFamilies[F], O, 'dump'>, opts?: DumpOptions): Promise<GenlMessage<GenlReply<YnlFamilies[F], O>>[]>;
  async dump<F extends string>(family: F extends keyof YnlFamilies ? never : F, op: string, attrs?: Record<string, unknown>, opts?: DumpOptions & { spec?: GenlSpec }): Promise<GenlMessage[]>;
  async dump(family: string, op: string, attrs: Record<string, unknown> = {}, opts: DumpOptions & { spec?: GenlSpec } = {}): Promise<GenlMessage[]> {
    return this.retrying(family, opts.spec, 'dump', op, attrs, (req, dec) => this.socket.dump(req, dec, opts));
  }

  /**
   * Checks the request against the spec first (nothing is sent for a bad
   * one), then sends it with the cached family id. A family that went away
   * (unloaded, or reloaded under a new id) makes the kernel answer ENOENT:
   * the family is then asked for again and, if its id changed, the request
   * is sent once more.
   */
  private async retrying(family: string, spec: GenlSpec | undefined, mode: 'do' | 'dump', opName: string,
    attrs: Record<string, unknown>, send: (req: Request, dec: Decoder<GenlMessage>) => Promise<GenlMessage[]>): Promise<GenlMessage[]> {
    const codec = this.families.get(family)?.codec ?? new GenlCodec(spec ?? await specOf(family));
    const op = codec.op(opName, mode);
    codec.validate(op, mode, attrs);
    let fam = await this.family(family, spec);
    const attempt = (f: GenlFamily): Promise<GenlMessage[]> =>
      send(f.codec.request(op, mode, f.info.id, f.info.version, attrs), f.codec.decoder(op));
    try {
      return await attempt(fam);
    } catch (err) {
      if (!(err instanceof NetlinkError) || err.code !== 'ENOENT') throw err;
      const old = fam.info.id;
      this.forget(family);
      fam = await this.family(family, spec);
      if (fam.info.id === old) throw err;
      return attempt(fam);
    }
  }

  /**
   * Joins a family's multicast group by name. The client also joins nlctrl's
   * `notify` group, so that while events() is read a family that goes away
   * is forgotten (CTRL_CMD_DELFAMILY) and one that comes back has its
   * groups joined again under their new numbers (CTRL_CMD_NEWFAMILY).
   */
  async subscribe(family: string, group: string, spec?: GenlSpec): Promise<void> {
    const fam = await this.family(family, spec);
    const g = fam.info.groups.find((x) => x.name === group);
    if (!g) throw new EncodeError('group', `family ${family} has no multicast group "${group}" (it has: ${fam.info.groups.map((x) => x.name).join(', ') || 'none'})`);
    this.socket.subscribe(g.id);
    let names = this.joined.get(family);
    if (!names) this.joined.set(family, names = new Set());
    names.add(group);
    await (this.ctrlNotify ??= this.lookup('nlctrl').then((c) => {
      const notify = c.groups.find((x) => x.name === 'notify');
      if (notify) this.socket.subscribe(notify.id);
    }));
  }

  /** What nlctrl announces: families leaving are forgotten, families coming back have their groups joined again. */
  private familyNews(buf: Buffer, start: number, length: number): GenlMessage {
    const m = ctrl.decode(buf, start, length, ctrlOp('getfamily'));
    const cmd = m.cmd;
    m.op = cmd === CTRL_CMD_NEWFAMILY ? 'newfamily' : cmd === CTRL_CMD_DELFAMILY ? 'delfamily' : `cmd-${cmd}`;
    const info = familyInfo(m);
    const codec = this.families.get(info.name)?.codec ?? this.departed.get(info.name);
    if (cmd === CTRL_CMD_DELFAMILY) {
      if (codec) this.departed.set(info.name, codec);
      this.forget(info.name);
    } else if (cmd === CTRL_CMD_NEWFAMILY && codec) {
      this.forget(info.name);
      this.departed.delete(info.name);
      const fam = { info, codec };
      this.families.set(info.name, fam);
      this.byId.set(info.id, fam);
      for (const group of this.joined.get(info.name) ?? []) {
        const g = info.groups.find((x) => x.name === group);
        if (g) this.socket.subscribe(g.id);
      }
    }
    return m;
  }

  /** Notifications of the subscribed groups, decoded by their family's spec (see subscribe). */
  events(opts: { signal?: AbortSignal; unref?: boolean } = {}): AsyncIterableIterator<SocketEvent<GenlMessage>> {
    return this.socket.events((buf, start, length) => {
      const type = buf.readUInt16LE(start + 4);
      if (type === GENL_ID_CTRL) return this.familyNews(buf, start, length);
      const fam = this.byId.get(type);
      return fam?.codec.decodeNotification(buf, start, length);
    }, opts);
  }
}

function ctrlOp(name: string): YnlOp {
  return ctrl.op(name);
}

async function specOf(name: string): Promise<GenlSpec> {
  const load = Object.hasOwn(ynlSpecs, name) ? ynlSpecs[name] : undefined;
  if (!load) throw new EncodeError('family', `no spec for generic netlink family "${name}" (known: ${Object.keys(ynlSpecs).join(', ')}); pass one`);
  return load();
}

