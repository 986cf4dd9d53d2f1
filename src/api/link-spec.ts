// What add() and set() accept (LinkInput): a LinkMessage (the link schema's
// own shape) plus a few words that read better than header bits and indexes —
// up, promisc, arp, multicast, allmulticast, master/link by name, netns. They
// are turned into a plain LinkMessage here, so every request takes the one
// wire path: LinkMessage → link schema encoder → bytes.
import { IFF_ALLMULTI, IFF_MULTICAST, IFF_NOARP, IFF_PROMISC, IFF_UP } from '../generated/linux/if.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { checkLinkName } from '../rtnl/codecs.js';
import type { LinkInput as LinkMessage } from '../rtnl/link.js';
import type { NetnsRef } from '../netns/ref.js';
import { linkFlags } from '../rtnl/link-names.js';
import type { LinkRef } from '../rtnl/route-input.js';

export type { LinkRef };

/**
 * A network namespace to move a link into: a name (/run/netns/NAME), a path,
 * an open namespace file descriptor (IFLA_NET_NS_FD) or a process whose
 * namespace it is (IFLA_NET_NS_PID). Names and paths are opened by the verb
 * around the request (LinkApi), so what reaches netnsSelector is an fd or a pid.
 */
export type { NetnsRef };

/** The words a link kind adds to `ip link add ... type KIND` on the command line. */
export interface LinkWords {
  /** Bring the link up (true) or down (false). */
  up?: boolean;
  promisc?: boolean;
  /** ARP on (false sets IFF_NOARP). */
  arp?: boolean;
  multicast?: boolean;
  allmulticast?: boolean;
  /** Enslave to this link (name or index); null or 0 releases it (nomaster). */
  master?: LinkRef | bigint | null;
  /** The parent link (macvlan, vlan...), by name or index. */
  link?: LinkRef | bigint;
  /** Move the link into another network namespace. */
  netns?: NetnsRef;
}

/** add() and set() input: the link schema's fields, with master/link also by name, and the words above. */
export type LinkInput = Omit<LinkMessage, 'master' | 'link'> & LinkWords;

/** @deprecated The old name of LinkInput (docs/architecture.md, "Naming rule"); it goes in the next release. */
export type LinkSpec = LinkInput;

export type { LinkMessage };

const FLAG_WORDS = [
  ['up', IFF_UP, false], ['promisc', IFF_PROMISC, false], ['arp', IFF_NOARP, true],
  ['multicast', IFF_MULTICAST, false], ['allmulticast', IFF_ALLMULTI, false],
] as const;

/** Checks a LinkRef's shape (not whether it exists). */
export function checkLinkRef(ref: number, path: string): number;
export function checkLinkRef(ref: unknown, path: string): LinkRef;
export function checkLinkRef(ref: unknown, path: string): LinkRef {
  if (typeof ref === 'bigint') ref = Number(ref);
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref <= 0 || ref > 0x7fffffff) throw new EncodeError(path, `${ref} is not an interface index`);
    return ref;
  }
  if (typeof ref === 'string') return checkLinkName(ref, path);
  throw new EncodeError(path, `expected an interface name or index, got ${describe(ref)}`);
}

/** The attribute that moves a link into a namespace. The one place where names will be resolved. */
export function netnsSelector(ns: unknown, path: string): Pick<LinkMessage, 'netnsFd' | 'netnsPid'> {
  if (ns !== null && typeof ns === 'object') {
    if ('fd' in ns && typeof ns.fd === 'number' && Number.isInteger(ns.fd) && ns.fd >= 0) return { netnsFd: ns.fd };
    if ('pid' in ns && typeof ns.pid === 'number' && Number.isInteger(ns.pid) && ns.pid > 0) return { netnsPid: ns.pid };
  }
  throw new EncodeError(path, `expected { fd } (an open namespace file) or { pid } (a process), got ${describe(ns)}`);
}

/**
 * Turns a LinkInput into a LinkMessage, keeping the caller's key order (it is the
 * order attributes go on the wire). indexOf maps the names of master and link.
 */
export function toLinkInput(spec: LinkInput, indexOf: (name: string) => number, path = 'link'): LinkMessage {
  if (spec === null || typeof spec !== 'object') throw new EncodeError(path, `expected an object, got ${describe(spec)}`);
  const out: Record<string, unknown> = {};
  const s = spec as Record<string, unknown>;
  let flags: number | undefined;
  let change: number | undefined;
  for (const key of Object.keys(s)) {
    const v = s[key];
    if (v === undefined) continue;
    const word = FLAG_WORDS.find(([w]) => w === key);
    if (word) {
      if (typeof v !== 'boolean') throw new EncodeError(`${path}.${key}`, `expected true or false, got ${describe(v)}`);
      const [, bit, inverted] = word;
      change = (change ?? 0) | bit;
      flags = (v !== inverted ? (flags ?? 0) | bit : (flags ?? 0) & ~bit) >>> 0;
      continue;
    }
    switch (key) {
      case 'flags': flags = ((flags ?? 0) | linkFlags.encode(spec.flags ?? 0, `${path}.flags`)) >>> 0; break;
      case 'change': change = ((change ?? 0) | linkFlags.encode(spec.change ?? 0, `${path}.change`)) >>> 0; break;
      case 'master':
        out.master = v === null || v === 0 || v === 0n ? 0 : refIndex(checkLinkRef(v, `${path}.master`), indexOf);
        break;
      case 'link': out.link = refIndex(checkLinkRef(v, `${path}.link`), indexOf); break;
      case 'netns': Object.assign(out, netnsSelector(v, `${path}.netns`)); break;
      default: out[key] = v;
    }
  }
  if (flags !== undefined) out.flags = flags;
  if (change !== undefined) out.change = change;
  return out as LinkMessage;
}

function refIndex(ref: LinkRef, indexOf: (name: string) => number): number {
  return typeof ref === 'number' ? ref : indexOf(ref);
}
