// The neighbour family (docs/architecture.md, "The family descriptor"):
// neighbours (ARP and NDP entries, proxy entries). A friendly spec (a link by
// name, a single state) becomes a NeighbourMessage of the neighbour schema; the
// request builders are pure, so a batch can send many:
// `nl.socket.batch(specs.map((s) => neighbourRequest('add', s)))`. The
// client's and batches' verbs are derived from the descriptor (api/engine.ts).
import { AF_UNSPEC } from '../../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../generated/linux/netlink.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { NTF_EXT_LEARNED, NTF_PROXY, NUD_NOARP, NUD_PERMANENT, ndmsg } from '../../generated/linux/neighbour.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { parseIP } from '../../netlink/ip.js';
import type { Request } from '../../netlink/request.js';
import { checkIfname } from '../../rtnl/codecs.js';
import type { AddressFamily } from '../../rtnl/names.js';
import { NUD_NONE_MARK, type NeighState, neighStates } from '../../rtnl/neighbour-names.js';
import { type Neighbour, type NeighbourInput as NeighbourMessage, decodeNeighbour, neighbourAttrs, neighbourMessage } from '../../rtnl/neighbour.js';
import type { LinkRef } from '../../rtnl/route-input.js';
import type { Engine, FamilyApi } from '../engine.js';
import type { BuildContext, FamilyDescriptor, QueryContext } from '../family.js';
import { flushDumped, headerFieldAt } from '../flush.js';
import { agree, familyName, ipFamilyOfName } from '../ip-family.js';

/**
 * A neighbour entry to add, replace or delete: the schema's fields, with the
 * link as `dev` (a name or an index; builders take an index) and the family
 * taken from the address. Attributes are sent in the order of the keys.
 */
export type NeighbourInput<Dev = LinkRef> = Omit<NeighbourMessage, 'ifindex' | 'family' | 'address'> & {
  /** The protocol address: an IPv4 or IPv6 address. */
  address: string;
  /** The link; only a proxy entry may go without one. */
  dev?: Dev;
  family?: 'inet' | 'inet6';
};

/** @deprecated The old name of NeighbourInput (docs/architecture.md, "Naming rule"); it goes in the next release. */
export type NeighbourSpec<Dev = LinkRef> = NeighbourInput<Dev>;

export type { NeighbourMessage };

/** The changes a neighbour entry takes. */
export type NeighbourVerb = 'add' | 'replace' | 'change' | 'delete';

const VERBS: Record<NeighbourVerb, { type: number; flags: number; word: string }> = {
  add: { type: R.RTM_NEWNEIGH, flags: NLM_F_CREATE | NLM_F_EXCL, word: 'add' },
  replace: { type: R.RTM_NEWNEIGH, flags: NLM_F_CREATE | NLM_F_REPLACE, word: 'replace' },
  change: { type: R.RTM_NEWNEIGH, flags: NLM_F_REPLACE, word: 'change' },
  delete: { type: R.RTM_DELNEIGH, flags: 0, word: 'del' },
};

const specKeys = new Set(['address', 'dev', 'family', ...neighbourMessage.keys()].filter((k) => k !== 'ifindex'));

/**
 * The schema input for a spec. Like iproute2, the state defaults to
 * permanent (none for a managed entry); the kernel ignores it on delete.
 */
export function neighbourInput(spec: NeighbourInput<number>, path = 'neigh'): NeighbourMessage {
  if (spec === null || typeof spec !== 'object') throw new EncodeError(path, `expected a neighbour spec, got ${describe(spec)}`);
  for (const k of Object.keys(spec)) {
    if (!specKeys.has(k)) throw new EncodeError(`${path}.${k}`, `unknown field (known: ${[...specKeys].join(', ')})`);
  }
  const { dev, family, address, state, flags, type, ...attrs } = spec;
  const asked = ipFamilyOfName(family, `${path}.family`);
  if (address === undefined) throw new EncodeError(`${path}.address`, 'a neighbour needs an address');
  const fam = agree(asked, parseIP(address, `${path}.address`).length === 4 ? 4 : 6, `${path}.address`);
  const proxy = Array.isArray(flags) && flags.includes('proxy');
  if (dev === undefined) {
    if (!proxy) throw new EncodeError(`${path}.dev`, 'a neighbour needs a link (only a proxy entry may go without one)');
  } else if (typeof dev !== 'number' || !Number.isInteger(dev) || dev <= 0 || dev > 0x7fffffff) {
    throw new EncodeError(`${path}.dev`, `${describe(dev)} is not an interface index`);
  }
  const managed = Array.isArray(attrs.flagsExt) && attrs.flagsExt.includes('managed');
  const out: NeighbourMessage = {
    family: familyName(fam), ifindex: dev ?? 0, state: state ?? (managed ? 'none' : 'permanent'), flags, type,
  };
  // The address goes where the caller put it among the attributes.
  for (const k of Object.keys(spec)) {
    if (k === 'address') out.address = address;
    else if (k in neighbourAttrs.specs) (out as Record<string, unknown>)[k] = (attrs as Record<string, unknown>)[k];
  }
  return out;
}

function label(verb: NeighbourVerb, spec: NeighbourInput<LinkRef | undefined>): string {
  const proxy = Array.isArray(spec?.flags) && spec.flags.includes('proxy');
  return `neigh ${VERBS[verb]?.word ?? verb}${proxy ? ' proxy' : ''} ${spec?.address}${spec?.dev === undefined ? '' : ` dev ${spec.dev}`}`;
}

/** The request for one verb on one entry (pure: nothing is sent). */
export function neighbourRequest(verb: NeighbourVerb, spec: NeighbourInput<number>, operation?: string): Request {
  const v = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!v) throw new EncodeError('verb', `unknown neighbour verb ${describe(verb)} (one of: ${Object.keys(VERBS).join(', ')})`);
  return {
    type: v.type, flags: v.flags, headerSize: neighbourMessage.headerSize, expectReply: false,
    operation: operation ?? label(verb, spec),
    // Checked when encoded, which is before anything is sent, so errors carry the operation.
    body: (w) => neighbourMessage.encodePayload(w, neighbourInput(spec), 'neigh'),
  };
}


/** What `nl.neigh.list()` keeps: by family, device or master; proxy entries instead. */
export interface NeighbourListFilter {
  family?: AddressFamily;
  /** Only entries on this link (kernel-side filter). */
  dev?: LinkRef;
  /** Only entries on links enslaved to this master (kernel-side filter). */
  master?: LinkRef;
  /** The proxy entries instead of the neighbour cache. */
  proxy?: boolean;
}

/** The dump request for a listing (pure). */
export function neighbourListRequest(filter: { family?: AddressFamily; ifindex?: number; master?: number; proxy?: boolean } = {}): Request {
  const value: NeighbourMessage = { family: filter.family ?? AF_UNSPEC, flags: filter.proxy ? ['proxy'] : [] };
  if (filter.ifindex !== undefined) value.via = filter.ifindex;
  if (filter.master !== undefined) value.master = filter.master;
  return {
    type: R.RTM_GETNEIGH, headerSize: neighbourMessage.headerSize, operation: filter.proxy ? 'neigh show proxy' : 'neigh show',
    body: (w) => neighbourMessage.encodePayload(w, value, 'neigh'),
  };
}

export interface NeighbourFlushFilter extends NeighbourListFilter {
  /**
   * Entries in any of these states are deleted ('none': entries without a
   * state). Default, like `ip neigh flush`: every state but permanent and
   * noarp. 'all': every entry. Proxy and externally learned entries are
   * deleted whatever their state, as ip does.
   */
  states?: readonly (NeighState | 'none')[] | 'all';
  /** Only the entries this accepts (each is decoded for it). */
  where?: (n: Neighbour) => boolean;
}

const [IFINDEX_AT, STATE_AT, FLAGS_AT] = ['ndm_ifindex', 'ndm_state', 'ndm_flags'].map((f) => headerFieldAt(ndmsg, f)) as [number, number, number];

function flushStates(states: NeighbourFlushFilter['states']): number {
  if (states === undefined) return ~(NUD_PERMANENT | NUD_NOARP) >>> 0;
  if (states === 'all') return ~0 >>> 0;
  if (!Array.isArray(states)) throw new EncodeError('neigh.states', `expected a list of states or 'all', got ${describe(states)}`);
  return (neighStates.encode(states, 'neigh.states') | (states.includes('none') ? NUD_NONE_MARK : 0)) >>> 0;
}

/** A link name is checked (so the error names the field) and resolved; an index is checked by the builder. */
async function linkIndex(ref: LinkRef | undefined, ctx: QueryContext, path: string): Promise<number | undefined> {
  if (ref === undefined || typeof ref === 'number') return ref;
  return ctx.resolve(checkIfname(ref, path));
}

/** The device of a change: a name resolved (the builder checks an index, naming neigh.dev). */
const withDev = (verb: NeighbourVerb) => (spec: NeighbourInput, ctx: BuildContext): Request => {
  const dev = spec?.dev;
  return neighbourRequest(verb, { ...spec, dev: typeof dev === 'string' ? ctx.ifindex(dev, 'neigh.dev') : dev }, label(verb, spec));
};

/** What each change verb of the neighbour family takes. */
export type NeighbourInputs = Record<NeighbourVerb, NeighbourInput>;

/** One entry by link and address (`ip neigh get`). */
export interface NeighbourKey { dev: LinkRef; address: string; proxy?: boolean }

/** The neighbour family's descriptor (RTM_*NEIGH): `nl.neigh`'s verbs, its events and batch verbs derive from it. */
export const neighFamily: FamilyDescriptor<Neighbour, 'neigh', 'list' | 'stream' | 'get' | 'add' | 'change' | 'replace' | 'delete' | 'flush', NeighbourInputs, NeighbourListFilter, NeighbourKey> = {
  kind: 'neigh',
  schema: neighbourMessage,
  getType: R.RTM_GETNEIGH,
  verbs: ['list', 'stream', 'get', 'add', 'change', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWNEIGH,
  delType: R.RTM_DELNEIGH,
  groups: [R.RTNLGRP_NEIGH],
  decode: decodeNeighbour,
  // A bridge FDB entry is known by its MAC and VLAN; a cache or proxy entry by its address.
  key: (n) => [n.family, n.ifindex, n.flags.includes('proxy') ? 'proxy' : '', n.address ?? '', n.family === 'bridge' ? `${n.lladdr}/${n.vlan ?? ''}` : ''].join('|'),
  dump: [neighbourListRequest(), neighbourListRequest({ proxy: true })],
  volatile: ['cacheinfo', 'probes'],
  change: {
    build: { add: withDev('add'), replace: withDev('replace'), change: withDev('change'), delete: withDev('delete') },
    absent: { delete: (spec) => `neighbour ${spec.address}${spec.dev === undefined ? '' : ` on ${spec.dev}`}` },
    // A name the kernel does not know is its own ENODEV.
    nameError: (err) => err,
  },
  // All states, or proxy entries with `proxy: true`.
  async dumpFilter(filter = {}, ctx) {
    const ifindex = await linkIndex(filter.dev, ctx, 'neigh.dev');
    const master = await linkIndex(filter.master, ctx, 'neigh.master');
    const req = neighbourListRequest({ family: filter.family, ifindex, master, proxy: filter.proxy });
    // The kernel filters by link and master; one that does not (before 4.18) is filtered here.
    return ifindex === undefined ? { req } : { req, keep: (n) => n.ifindex === ifindex };
  },
  get: {
    noun: 'entry',
    request(key, ctx) {
      const ifindex = typeof key.dev === 'string' ? ctx.ifindex(checkIfname(key.dev, 'neigh.dev'), 'neigh.dev') : key.dev;
      const fam = parseIP(key.address, 'neigh.address').length === 4 ? 'inet' : 'inet6';
      const value: NeighbourMessage = { family: fam, ifindex, flags: key.proxy ? ['proxy'] : [], address: key.address };
      return {
        type: R.RTM_GETNEIGH, headerSize: neighbourMessage.headerSize, operation: `neigh get ${key.address} dev ${key.dev}`,
        body: (w) => neighbourMessage.encodePayload(w, value, 'neigh'),
      };
    },
  },
};

/** The verbs only neighbours have. */
export function neighbourVerbs(e: Engine<Neighbour, NeighbourInputs, NeighbourListFilter, NeighbourKey>) {
  return {
    /**
     * Deletes entries like `ip neigh flush`: one dump (filtered in the kernel by
     * family, link and master) and every entry it lists that passes `states`
     * and `where` sent back as a delete, in one batch. Returns how many were
     * deleted; entries gone meanwhile do not count and are no error.
     */
    async flush(filter: NeighbourFlushFilter = {}): Promise<number> {
      const mask = flushStates(filter.states);
      const ctx: QueryContext = { resolve: e.deps.resolve, linkIndexes: () => e.deps.linkIndexes() };
      const ifindex = await linkIndex(filter.dev, ctx, 'neigh.dev');
      const master = await linkIndex(filter.master, ctx, 'neigh.master');
      const where = filter.where;
      const keep = (buf: Buffer, start: number): boolean => {
        const state = buf.readUInt16LE(start + STATE_AT);
        const special = buf[start + FLAGS_AT]! & (NTF_PROXY | NTF_EXT_LEARNED);
        if (!special && !(state ? state & mask : mask & NUD_NONE_MARK)) return false;
        // An old kernel ignores the link filter of a dump: check it here too.
        if (ifindex !== undefined && buf.readInt32LE(start + IFINDEX_AT) !== ifindex) return false;
        return where ? where(decodeNeighbour(buf, start, buf.readUInt32LE(start))!) : true;
      };
      return flushDumped(e.deps.sock, neighbourListRequest({ family: filter.family, ifindex, master, proxy: filter.proxy }), {
        deleteType: R.RTM_DELNEIGH, keep, gone: ['ENOENT'],
      });
    },
  };
}

/** `nl.neigh`: the verbs derived from the descriptor, and flush. */
export type NeighbourApi = FamilyApi<typeof neighFamily, ReturnType<typeof neighbourVerbs>>;
