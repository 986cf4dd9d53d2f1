// The link family (docs/architecture.md, "The family descriptor"): its
// messages, its builders (friendly LinkInput → request), its dump filter, and
// what only links have: a change by (link, spec), a namespace opened around a
// move, and the name cache kept true after deletes and renames.
import { AF_PACKET, AF_UNSPEC } from '../../generated/libc/socket.js';
import { IFLA_STATS } from '../../generated/linux/if_link.js';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL } from '../../generated/linux/netlink.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError, NetlinkError } from '../../netlink/errors.js';
import type { Request } from '../../netlink/request.js';
import { type NetnsRef, withNetnsFd } from '../../netns/ref.js';
import { checkAltName, checkLinkName, isLongAltName } from '../../rtnl/codecs.js';
import { linkKinds } from '../../rtnl/link-kinds/registry.js';
import { type Link, decodeLink, linkMessage } from '../../rtnl/link.js';
import { unknownAttr } from '../../events/fingerprint.js';
import type { Engine, FamilyApi } from '../engine.js';
import type { BuildContext, ChangeOps, FamilyDescriptor } from '../family.js';
import { type LinkInput, type LinkMessage, type LinkRef, checkLinkRef, toLinkInput } from '../link-spec.js';
import type { NameCache } from '../name-cache.js';

/** A request whose payload is a link message. */
export function linkRequest(type: number, flags: number, value: LinkMessage, operation: string, expectReply = true): Request {
  return {
    type, flags, operation, headerSize: linkMessage.headerSize, expectReply,
    body: (w) => linkMessage.encodePayload(w, value, 'link'),
  };
}

/**
 * The header and attribute that name a link: ifi_index for a number,
 * IFLA_IFNAME for a name, IFLA_ALT_IFNAME for a name too long to be an
 * interface name (an alternative name; a short one the kernel finds by
 * IFLA_IFNAME too).
 */
export function linkSelector(ref: LinkRef, path = 'link'): LinkMessage {
  if (typeof ref === 'number') {
    return { index: checkLinkRef(ref, path) };
  }
  const name = checkLinkName(ref, path);
  return isLongAltName(name) ? { altName: name } : { name };
}

/** A new link needs a kind this version models, or its data as bytes. */
export function checkNewLink(spec: LinkInput): void {
  const info = spec?.linkinfo;
  if (info?.kind === undefined) throw new EncodeError('link.linkinfo.kind', 'a new link needs a kind (veth, bridge, macvlan, vxlan...)');
  if (typeof info.kind === 'string' && !Object.hasOwn(linkKinds, info.kind) && !(info.data instanceof Uint8Array)) {
    throw new EncodeError('link.linkinfo.kind', `unknown link kind "${info.kind}" (known: ${Object.keys(linkKinds).join(', ')}); give linkinfo.data as bytes (may be empty) to create it anyway`);
  }
}

/** `ip link property add|del dev REF altname NAME...`: alternative names of one link. */
export interface LinkAltNames { ref: LinkRef; names: readonly string[] }

/**
 * RTM_NEWLINKPROP / RTM_DELLINKPROP: the link by index (as iproute2 sends
 * it) or, for a name too long to be an interface name, by IFLA_ALT_IFNAME;
 * the names in IFLA_PROP_LIST.
 */
function altNamesRequest(type: number, flags: number, verb: 'add' | 'del') {
  return ({ ref, names }: LinkAltNames, ctx: BuildContext): Request => {
    const checked = checkLinkRef(ref, 'link');
    const selector: LinkMessage = typeof checked === 'string' && isLongAltName(checked) ? { altName: checked } : { index: ctx.ifindex(checked, 'link') };
    if (!Array.isArray(names) || names.length === 0) throw new EncodeError('link.names', `expected one or more alternative names, got ${describe(names)}`);
    const altNames = names.map((n, i) => checkAltName(n, `link.names[${i}]`));
    return linkRequest(type, flags, { ...selector, propList: { altNames } }, `link property ${verb} ${ref} altname ${altNames.join(' ')}`, false);
  };
}

/** What del() takes: one link, or every link of a group (`ip link del group N`). */
export type LinkDelTarget = LinkRef | { group: number };

/** What a change of one link takes (`set`): the link, and the change. */
export interface LinkSet { ref: LinkRef; spec: LinkInput }

/** What `nl.link.list()` and `stream()` keep: links of a master, or of a kind. */
export interface LinkListFilter {
  /** Only links enslaved to this master (kernel-side filter). */
  master?: LinkRef;
  /** Only links of this kind, e.g. 'veth' (kernel-side filter). */
  kind?: string;
}

/**
 * The schema input of a spec. A namespace named by name or path is opened
 * around the request by the client (`around`); what reaches a builder is an
 * fd or a pid, and a batch takes only those.
 */
function linkInputOf(spec: LinkInput, ctx: BuildContext): LinkMessage {
  const ns = spec?.netns;
  if (ns !== undefined && (ns === null || typeof ns !== 'object' || !('fd' in ns || 'pid' in ns))) {
    throw new EncodeError('link.netns', `a batch moves links by { fd } or { pid }; open the namespace first (got ${describe(ns)})`);
  }
  return toLinkInput(spec, (name) => ctx.ifindex(name, 'link'));
}

const opName = (spec: LinkInput): string => (typeof spec?.name === 'string' ? ` ${spec.name}` : '');

function deleteRequest(target: LinkDelTarget): Request {
  let input: LinkMessage;
  if (target !== null && typeof target === 'object') {
    if (!Number.isInteger(target.group)) throw new EncodeError('link.group', `expected a group number, got ${describe(target.group)}`);
    input = { group: target.group };
  } else {
    input = linkSelector(target);
  }
  return linkRequest(R.RTM_DELLINK, 0, input, `link del ${typeof target === 'object' ? `group ${target.group}` : target}`, false);
}

/** A namespace given by name or path is opened just for the request and closed after it (IFLA_NET_NS_FD). */
function inNamedNetns(spec: LinkInput, op: string, send: (spec: LinkInput) => Promise<void>): Promise<void> {
  const ns = spec?.netns;
  if (ns === undefined || (ns !== null && typeof ns === 'object' && ('fd' in ns || 'pid' in ns))) return send(spec);
  return withNetnsFd(ns, (fd) => send({ ...spec, netns: { fd } }), op);
}

/** Forgets a link's cached name (by name or by index); a veth peer or a group go unseen until ENODEV. */
function forget(ref: LinkRef, names: NameCache): void {
  if (typeof ref === 'number') names.forgetIndex(ref);
  else names.forget(ref);
}

function forgetDeleted(target: LinkDelTarget, names: NameCache): void {
  if (typeof target === 'object') names.clear();
  else forget(target, names);
}

/** What each change verb of the link family takes. */
export type LinkInputs = { add: LinkInput; set: LinkSet; delete: LinkDelTarget; del: LinkDelTarget; addAltNames: LinkAltNames; delAltNames: LinkAltNames };

/**
 * The builders of every change verb (batches offer each), and what only links
 * need around a change: a namespace named by name opened for it, and the
 * client's name cache told of deletes and renames.
 */
export const linkChanges: ChangeOps<LinkInputs> = {
  build: {
    add(spec, ctx) {
      checkNewLink(spec);
      return linkRequest(R.RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, linkInputOf(spec, ctx), `link add${opName(spec)}`, false);
    },
    // Selected by the name in the request itself, unless renamed: then by index.
    set({ ref, spec }, ctx) {
      checkLinkRef(ref, 'link');
      const renamed = typeof ref === 'string' && spec?.name !== undefined && spec.name !== ref;
      const selector: LinkMessage = typeof ref === 'number' ? { index: ref } : renamed ? { index: ctx.ifindex(ref, 'link') } : linkSelector(ref);
      return linkRequest(R.RTM_NEWLINK, 0, { ...selector, ...linkInputOf(spec, ctx) }, `link set ${ref}`, false);
    },
    delete: deleteRequest,
    del: deleteRequest,
    addAltNames: altNamesRequest(R.RTM_NEWLINKPROP, NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND, 'add'),
    delAltNames: altNamesRequest(R.RTM_DELLINKPROP, 0, 'del'),
  },
  around: {
    add: (spec, run) => { checkNewLink(spec); return inNamedNetns(spec, `link add${opName(spec)}`, run); },
    set: ({ ref, spec }, run) => { checkLinkRef(ref, 'link'); return inNamedNetns(spec, `link set ${ref}`, (s) => run({ ref, spec: s })); },
  },
  after: {
    // A rename, or a move to another namespace, changes what names mean here.
    set: ({ ref, spec }, names) => { if (spec?.name !== undefined || spec?.netns !== undefined) forget(ref, names); },
    delete: forgetDeleted,
    del: forgetDeleted,
    // A name cached for the link may have been one of the names taken away.
    delAltNames: ({ names }, cache) => { for (const n of names) cache.forget(n); },
  },
  // A name looked up for a change is reported under the change that needed it.
  nameError: (err, name, _path, operation) => (err instanceof NetlinkError
    ? new NetlinkError({ errno: err.errno, operation, extack: err.extack, detail: `looking up "${name}"` }) : err),
};

/** The link family's descriptor (RTM_*LINK): `nl.link`'s verbs, its events and batch verbs derive from it. */
export const linkFamily: FamilyDescriptor<Link, 'link', 'list' | 'stream' | 'get' | 'add' | 'set' | 'delete', LinkInputs, LinkListFilter, LinkRef> = {
  kind: 'link',
  schema: linkMessage,
  getType: R.RTM_GETLINK,
  verbs: ['list', 'stream', 'get', 'add', 'set', 'delete'],
  newType: R.RTM_NEWLINK,
  delType: R.RTM_DELLINK,
  groups: [R.RTNLGRP_LINK],
  decode: decodeLink,
  key: (l) => String(l.index),
  dump: [linkRequest(R.RTM_GETLINK, 0, { family: AF_PACKET }, 'link show')],
  // What changes without a link notification: counters (64- and 32-bit statistics, the latter kept
  // undecoded; IPv6 and ICMPv6 statistics), IPv6 cacheinfo (its reachable time is redrawn now and then),
  // and the per-device IPv4/IPv6 settings (sysctls announce themselves as netconf, if at all, and an
  // MTU change is announced before IPv6 updates its own copy of the MTU).
  volatile: ['stats64', 'carrierChanges', 'carrierUpCount', 'carrierDownCount', 'stats', 'icmp6stats', 'cacheinfo', 'conf', unknownAttr(IFLA_STATS)],
  change: linkChanges,
  async dumpFilter(filter = {}, { resolve }) {
    const value: LinkMessage = { family: AF_PACKET, extMask: R.RTEXT_FILTER_VF };
    if (filter.master !== undefined) value.master = await resolve(filter.master);
    if (filter.kind !== undefined) value.linkinfo = { kind: filter.kind };
    const req = linkRequest(R.RTM_GETLINK, 0, value, 'link show');
    // The kind filter is applied by the kernel; an older kernel ignores it, so check again.
    return filter.kind === undefined ? { req } : { req, keep: (l) => l.linkinfo?.kind === filter.kind };
  },
  get: {
    noun: 'link',
    request: (ref) => linkRequest(R.RTM_GETLINK, 0, { family: AF_UNSPEC, ...linkSelector(ref), extMask: R.RTEXT_FILTER_VF }, `link show ${ref}`),
  },
};

/** The verbs only links have, or have with another shape. */
export function linkVerbs(e: Engine<Link, LinkInputs, LinkListFilter, LinkRef>) {
  const set = (ref: LinkRef, spec: LinkInput): Promise<void> => e.run('set', { ref, spec });
  return {
    /**
     * Changes a link, like `ip link set`: `set('eth0', { up: true, mtu: 1400, master: 'br0' })`.
     * A link named by a string is selected by name in the request itself,
     * except when it is renamed (then its index is looked up first).
     */
    set,
    /** The same as delete(), by iproute2's name (`ip link del`); kept as an alias. */
    del: (target: LinkDelTarget): Promise<void> => e.run('del', target),
    /** Like get(), but undefined instead of ENODEV. */
    async find(ref: LinkRef): Promise<Link | undefined> {
      try {
        return await e.get(ref);
      } catch (err) {
        if (err instanceof NetlinkError && err.code === 'ENODEV') return undefined;
        throw err;
      }
    },
    /** `ip link set REF up` */
    setUp: (ref: LinkRef): Promise<void> => set(ref, { up: true }),
    /** `ip link set REF down` */
    setDown: (ref: LinkRef): Promise<void> => set(ref, { up: false }),
    /** Enslaves ref to master (a bridge, a bond); null releases it. */
    setMaster: (ref: LinkRef, master: LinkRef | null): Promise<void> => set(ref, { master }),
    /** `ip link property add dev REF altname NAME...`: gives the link alternative names (up to 127 bytes each). */
    addAltNames: (ref: LinkRef, ...names: string[]): Promise<void> => e.run('addAltNames', { ref, names }),
    /** `ip link property del dev REF altname NAME...`. */
    delAltNames: (ref: LinkRef, ...names: string[]): Promise<void> => e.run('delAltNames', { ref, names }),
    /** Moves ref into another network namespace. */
    setNetns: (ref: LinkRef, netns: NetnsRef): Promise<void> => set(ref, { netns }),
  };
}

/** `nl.link`: the verbs derived from the descriptor, and the link-only ones. */
export type LinkApi = FamilyApi<typeof linkFamily, ReturnType<typeof linkVerbs>>;
