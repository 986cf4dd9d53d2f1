// The typed verbs for links. Requests are built from the link schema; what
// comes back is decoded by the same schema.
import { AF_PACKET, AF_UNSPEC } from '../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../generated/linux/netlink.js';
import { RTEXT_FILTER_VF, RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { NetlinkWriter } from '../netlink/writer.js';
import { checkIfname } from '../rtnl/codecs.js';
import { type Link, type LinkInput, decodeLink, linkMessage } from '../rtnl/link.js';
import { linkKinds } from '../rtnl/link-kinds/registry.js';
import type { Decoder, Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';
import { type LinkRef, type LinkSpec, type NetnsRef, checkLinkRef, namesIn, toLinkInput } from './link-spec.js';
import { withNetnsFd } from '../netns/ref.js';
import { type NameCache, type Resolve, retryStale } from './name-cache.js';
import { type DumpQuery, listOf, streamOf } from './dump-verbs.js';

export type { LinkRef, LinkSpec, NetnsRef } from './link-spec.js';


/** A request whose payload is a link message. */
export function linkRequest(type: number, flags: number, value: LinkInput, operation: string, expectReply = true): Request {
  return {
    type, flags, operation, headerSize: linkMessage.headerSize, expectReply,
    body: (w) => linkMessage.encodePayload(w, value, 'link'),
  };
}

/** The header and attribute that name a link: ifi_index for a number, IFLA_IFNAME for a name. */
export function linkSelector(ref: LinkRef, path = 'link'): LinkInput {
  if (typeof ref === 'number') {
    return { index: checkLinkRef(ref, path) as number };
  }
  return { name: checkIfname(ref, path) };
}

/** A new link needs a kind this version models, or its data as bytes. */
export function checkNewLink(spec: LinkSpec): void {
  const info = (spec as { linkinfo?: { kind?: unknown; data?: unknown } } | null)?.linkinfo;
  if (info?.kind === undefined) throw new EncodeError('link.linkinfo.kind', 'a new link needs a kind (veth, bridge, macvlan, vxlan...)');
  if (typeof info.kind === 'string' && !Object.hasOwn(linkKinds, info.kind) && !(info.data instanceof Uint8Array)) {
    throw new EncodeError('link.linkinfo.kind', `unknown link kind "${info.kind}" (known: ${Object.keys(linkKinds).join(', ')}); give linkinfo.data as bytes (may be empty) to create it anyway`);
  }
}

/** What del() takes: one link, or every link of a group (`ip link del group N`). */
export type LinkDelTarget = LinkRef | { group: number };

export interface LinkListFilter {
  /** Only links enslaved to this master (kernel-side filter). */
  master?: LinkRef;
  /** Only links of this kind, e.g. 'veth' (kernel-side filter). */
  kind?: string;
}

export class LinkApi {
  constructor(private readonly sock: Requester, private readonly resolve: Resolve, private readonly names?: NameCache) {}

  /** All links, like `ip link show` (stats included). */
  async list(filter: LinkListFilter = {}): Promise<Link[]> {
    return listOf(this.sock, await this.query(filter), decodeLink);
  }

  /** Links as they are read, datagram by datagram (memory stays flat). Same filters as list(). */
  async *stream(filter: LinkListFilter = {}): AsyncGenerator<Link> {
    yield* streamOf(this.sock, await this.query(filter), decodeLink);
  }

  private async query(filter: LinkListFilter): Promise<DumpQuery<Link>> {
    const value: LinkInput = { family: AF_PACKET, extMask: RTEXT_FILTER_VF };
    if (filter.master !== undefined) value.master = await this.resolve(filter.master);
    if (filter.kind !== undefined) value.linkinfo = { kind: filter.kind };
    const req = linkRequest(RTM_GETLINK, 0, value, 'link show');
    // The kind filter is applied by the kernel; an older kernel ignores it, so check again.
    return filter.kind === undefined ? { req } : { req, keep: (l) => l.linkinfo?.kind === filter.kind };
  }

  /** One link by name or index; a NetlinkError ENODEV when there is none. */
  async get(ref: LinkRef): Promise<Link> {
    const value: LinkInput = { family: AF_UNSPEC, ...linkSelector(ref), extMask: RTEXT_FILTER_VF };
    const [link] = await this.sock.request(linkRequest(RTM_GETLINK, 0, value, `link show ${ref}`), decodeLink);
    if (!link) throw new Error(`link show ${ref}: the kernel sent no link`);
    return link;
  }

  /** Like get(), but undefined instead of ENODEV. */
  async find(ref: LinkRef): Promise<Link | undefined> {
    try {
      return await this.get(ref);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENODEV') return undefined;
      throw err;
    }
  }

  /**
   * Creates a link, like `ip link add`. The kind must be one this version
   * models, or its data must be given as bytes:
   *   await nl.link.add({ name: 'v0', linkinfo: { kind: 'veth', data: { peer: { name: 'v1' } } } });
   * Only what the spec holds is sent (no defaults are added).
   */
  async add(spec: LinkSpec): Promise<void> {
    checkNewLink(spec);
    const op = `link add${typeof spec.name === 'string' ? ` ${spec.name}` : ''}`;
    await this.inNamedNetns(spec, op, (s) => retryStale(this.resolve, async (resolve) => {
      const input = await this.prepare(s, {}, op, resolve);
      await this.sock.request(linkRequest(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, input, op, false));
    }));
  }

  /**
   * A namespace given by name or path is opened just for the request and
   * closed after it (IFLA_NET_NS_FD), as `ip link set DEV netns NAME` does.
   */
  private async inNamedNetns(spec: LinkSpec, op: string, send: (spec: LinkSpec) => Promise<void>): Promise<void> {
    const ns = spec?.netns as unknown;
    if (ns === undefined || (ns !== null && typeof ns === 'object' && ('fd' in ns || 'pid' in ns))) return send(spec);
    return withNetnsFd(ns as NetnsRef, (fd) => send({ ...spec, netns: { fd } }), op);
  }

  /**
   * Changes a link, like `ip link set`: `set('eth0', { up: true, mtu: 1400, master: 'br0' })`.
   * A link named by a string is selected by name in the request itself,
   * except when it is renamed (then its index is looked up first).
   */
  async set(ref: LinkRef, spec: LinkSpec): Promise<void> {
    checkLinkRef(ref, 'link');
    const op = `link set ${ref}`;
    const renamed = typeof ref === 'string' && spec?.name !== undefined && spec.name !== ref;
    const selector: LinkInput = typeof ref === 'number' ? { index: ref } : renamed ? {} : { name: ref };
    await this.inNamedNetns(spec, op, (s) => retryStale(this.resolve, async (resolve) => {
      const input = await this.prepare(s, selector, op, resolve);
      if (renamed) input.index = await this.indexOf(ref, op, resolve);
      await this.sock.request(linkRequest(RTM_NEWLINK, 0, input, op, false));
    }));
    // A rename, or a move to another namespace, changes what names mean here.
    if (spec?.name !== undefined || spec?.netns !== undefined) this.forget(ref);
  }

  /** Deletes a link (or a whole group); a NetlinkError ENODEV when there is none. */
  delete(target: LinkDelTarget): Promise<void> {
    return this.del(target);
  }

  /** The same as delete(), by iproute2's name (`ip link del`); kept as an alias. */
  async del(target: LinkDelTarget): Promise<void> {
    let input: LinkInput;
    if (target !== null && typeof target === 'object') {
      if (!Number.isInteger(target.group)) throw new EncodeError('link.group', `expected a group number, got ${describe(target.group)}`);
      input = { group: target.group };
    } else {
      input = linkSelector(target as LinkRef);
    }
    const op = `link del ${typeof target === 'object' ? `group ${target.group}` : target}`;
    await this.sock.request(linkRequest(RTM_DELLINK, 0, input, op, false));
    if (typeof target === 'object') this.names?.clear();
    else this.forget(target);
  }

  /** Forgets a link's cached name (by name or by index); a veth peer or a group go unseen until ENODEV. */
  private forget(ref: LinkRef): void {
    if (typeof ref === 'number') this.names?.forgetIndex(ref);
    else this.names?.forget(ref);
  }

  /** `ip link set REF up` */
  setUp(ref: LinkRef): Promise<void> { return this.set(ref, { up: true }); }
  /** `ip link set REF down` */
  setDown(ref: LinkRef): Promise<void> { return this.set(ref, { up: false }); }
  /** Enslaves ref to master (a bridge, a bond); null releases it. */
  setMaster(ref: LinkRef, master: LinkRef | null): Promise<void> { return this.set(ref, { master }); }
  /** Moves ref into another network namespace. */
  setNetns(ref: LinkRef, netns: NetnsRef): Promise<void> { return this.set(ref, { netns }); }

  /**
   * Validates the whole spec first (nothing is sent for bad input), then
   * looks up the names it refers to, then builds the LinkInput.
   */
  private async prepare(spec: LinkSpec, selector: LinkInput, op: string, resolve: Resolve): Promise<LinkInput> {
    const names = namesIn(spec);
    const draft = { ...selector, ...toLinkInput(spec, () => 1) };
    linkMessage.encodePayload(new NetlinkWriter(256), draft, 'link');
    const indexes = new Map<string, number>();
    for (const name of names) indexes.set(name, await this.indexOf(name, op, resolve));
    return { ...selector, ...toLinkInput(spec, (n) => indexes.get(n)!) };
  }

  /** A link's index, with a failure reported under the operation that needed it. */
  private async indexOf(name: string, op: string, resolve: Resolve): Promise<number> {
    try {
      return await resolve(name);
    } catch (err) {
      if (err instanceof NetlinkError) throw new NetlinkError({ errno: err.errno, operation: op, extack: err.extack, detail: `looking up "${name}"` });
      throw err;
    }
  }
}
