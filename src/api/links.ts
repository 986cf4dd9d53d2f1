// The typed verbs for links. Requests are built from the link schema; what
// comes back is decoded by the same schema.
import { AF_PACKET, AF_UNSPEC } from '../generated/libc/socket.js';
import { RTEXT_FILTER_VF, RTM_GETLINK } from '../generated/linux/rtnetlink.js';
import { EncodeError } from '../netlink/errors.js';
import { checkIfname } from '../route/codecs.js';
import { type Link, type LinkInput, linkMessage } from '../route/link.js';
import type { Decoder, Request } from '../socket/messages.js';
import type { NetlinkSocket } from '../socket/netlink-socket.js';

/** A link named by its interface name or its index. */
export type LinkRef = string | number;

export const decodeLink: Decoder<Link> = (buf, start, length) => linkMessage.decodeMessage(buf, start, length) as Link;

/** A request whose payload is a link message. */
export function linkRequest(type: number, flags: number, value: LinkInput, operation: string): Request {
  return {
    type, flags, operation, headerSize: linkMessage.headerSize,
    body: (w) => linkMessage.encodePayload(w, value, 'link'),
  };
}

/** The header and attribute that name a link: ifi_index for a number, IFLA_IFNAME for a name. */
export function linkSelector(ref: LinkRef, path = 'link'): LinkInput {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref <= 0 || ref > 0x7fffffff) throw new EncodeError(path, `${ref} is not an interface index`);
    return { index: ref };
  }
  return { name: checkIfname(ref, path) };
}

export interface LinkListFilter {
  /** Only links enslaved to this master (kernel-side filter). */
  master?: LinkRef;
  /** Only links of this kind, e.g. 'veth' (kernel-side filter). */
  kind?: string;
}

export class LinkApi {
  constructor(private readonly sock: NetlinkSocket, private readonly resolve: (ref: LinkRef) => Promise<number>) {}

  /** All links, like `ip link show` (stats included). */
  async list(filter: LinkListFilter = {}): Promise<Link[]> {
    const value: LinkInput = { family: AF_PACKET, extMask: RTEXT_FILTER_VF };
    if (filter.master !== undefined) value.master = await this.resolve(filter.master);
    if (filter.kind !== undefined) value.linkinfo = { kind: filter.kind };
    const links = await this.sock.dump(linkRequest(RTM_GETLINK, 0, value, 'link show'), decodeLink);
    // The kind filter is applied by the kernel; an older kernel ignores it, so check again.
    return filter.kind === undefined ? links : links.filter((l) => l.linkinfo?.kind === filter.kind);
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
}
