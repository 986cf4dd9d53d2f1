// The typed verbs for neighbours (ARP and NDP entries, proxy entries). A
// friendly spec (a link by name, a single state) becomes a NeighbourInput of
// the neighbour schema; the request builders are pure, so a batch can send
// many: `nl.socket.batch(specs.map((s) => neighbourRequest('add', s)))`.
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../generated/linux/netlink.js';
import { RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH } from '../generated/linux/rtnetlink.js';
import { NTF_EXT_LEARNED, NTF_PROXY, NUD_NOARP, NUD_PERMANENT, ndmsg } from '../generated/linux/neighbour.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { parseIP } from '../netlink/ip.js';
import { checkIfname } from '../rtnl/codecs.js';
import type { AddressFamily } from '../rtnl/names.js';
import { NUD_NONE_MARK, type NeighState, type NeighStateInput, neighStates } from '../rtnl/neighbour-names.js';
import { type Neighbour, type NeighbourInput, decodeNeighbour, neighbourAttrs, neighbourMessage } from '../rtnl/neighbour.js';
import type { Decoder, Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';
import type { LinkRef } from './links.js';
import { agree, familyName, ipFamilyOfName } from './ip-family.js';
import { deleting } from './not-found.js';
import { type Resolve, retryStale } from './name-cache.js';
import { type DumpQuery, listOf, streamOf } from './dump-verbs.js';
import { flushDumped, headerFieldAt } from './flush.js';

/**
 * A neighbour entry to add, replace or delete: the schema's fields, with the
 * link as `dev` (a name or an index; builders take an index) and the family
 * taken from the address. Attributes are sent in the order of the keys.
 */
export type NeighbourSpec<Dev = LinkRef> = Omit<NeighbourInput, 'ifindex' | 'family' | 'address'> & {
  /** The protocol address: an IPv4 or IPv6 address. */
  address: string;
  /** The link; only a proxy entry may go without one. */
  dev?: Dev;
  family?: 'inet' | 'inet6';
};

export type NeighbourVerb = 'add' | 'replace' | 'change' | 'delete';

const VERBS: Record<NeighbourVerb, { type: number; flags: number; word: string }> = {
  add: { type: RTM_NEWNEIGH, flags: NLM_F_CREATE | NLM_F_EXCL, word: 'add' },
  replace: { type: RTM_NEWNEIGH, flags: NLM_F_CREATE | NLM_F_REPLACE, word: 'replace' },
  change: { type: RTM_NEWNEIGH, flags: NLM_F_REPLACE, word: 'change' },
  delete: { type: RTM_DELNEIGH, flags: 0, word: 'del' },
};

const specKeys = new Set(['address', 'dev', 'family', ...neighbourMessage.keys()].filter((k) => k !== 'ifindex'));

/**
 * The schema input for a spec. Like iproute2, the state defaults to
 * permanent (none for a managed entry); the kernel ignores it on delete.
 */
export function neighbourInput(spec: NeighbourSpec<number>, path = 'neigh'): NeighbourInput {
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
  const out: NeighbourInput = {
    family: familyName(fam), ifindex: dev ?? 0, state: state ?? (managed ? 'none' : 'permanent'), flags, type,
  };
  // The address goes where the caller put it among the attributes.
  for (const k of Object.keys(spec)) {
    if (k === 'address') out.address = address;
    else if (k in neighbourAttrs.specs) (out as Record<string, unknown>)[k] = (attrs as Record<string, unknown>)[k];
  }
  return out;
}

function label(verb: NeighbourVerb, spec: NeighbourSpec<LinkRef | undefined>): string {
  const proxy = Array.isArray(spec?.flags) && spec.flags.includes('proxy');
  return `neigh ${VERBS[verb]?.word ?? verb}${proxy ? ' proxy' : ''} ${spec?.address}${spec?.dev === undefined ? '' : ` dev ${spec.dev}`}`;
}

/** The request for one verb on one entry (pure: nothing is sent). */
export function neighbourRequest(verb: NeighbourVerb, spec: NeighbourSpec<number>, operation?: string): Request {
  const v = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!v) throw new EncodeError('verb', `unknown neighbour verb ${describe(verb)} (one of: ${Object.keys(VERBS).join(', ')})`);
  return {
    type: v.type, flags: v.flags, headerSize: neighbourMessage.headerSize, expectReply: false,
    operation: operation ?? label(verb, spec),
    // Checked when encoded, which is before anything is sent, so errors carry the operation.
    body: (w) => neighbourMessage.encodePayload(w, neighbourInput(spec), 'neigh'),
  };
}


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
  const value: NeighbourInput = { family: filter.family ?? AF_UNSPEC, flags: filter.proxy ? ['proxy'] : [] };
  if (filter.ifindex !== undefined) value.via = filter.ifindex;
  if (filter.master !== undefined) value.master = filter.master;
  return {
    type: RTM_GETNEIGH, headerSize: neighbourMessage.headerSize, operation: filter.proxy ? 'neigh show proxy' : 'neigh show',
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

export class NeighbourApi {
  constructor(private readonly sock: Requester, private readonly resolve: Resolve) {}

  /** Neighbour entries, like `ip neigh show` (all states), or proxy entries with `proxy: true`. */
  async list(filter: NeighbourListFilter = {}): Promise<Neighbour[]> {
    return listOf(this.sock, await this.query(filter), decodeNeighbour);
  }

  /** Entries as they are read, datagram by datagram (memory stays flat). Same filters as list(). */
  async *stream(filter: NeighbourListFilter = {}): AsyncGenerator<Neighbour> {
    yield* streamOf(this.sock, await this.query(filter), decodeNeighbour);
  }

  private async query(filter: NeighbourListFilter): Promise<DumpQuery<Neighbour>> {
    const ifindex = await this.link(filter.dev);
    const master = await this.link(filter.master, this.resolve, 'neigh.master');
    const req = neighbourListRequest({ family: filter.family, ifindex, master, proxy: filter.proxy });
    // The kernel filters by link and master; one that does not (before 4.18) is filtered here.
    return ifindex === undefined ? { req } : { req, keep: (n) => n.ifindex === ifindex };
  }

  /** One entry by link and address (`ip neigh get`); NetlinkError ENOENT when there is none. */
  async get(key: { dev: LinkRef; address: string; proxy?: boolean }): Promise<Neighbour> {
    const ifindex = await this.link(key.dev);
    const fam = parseIP(key.address, 'neigh.address').length === 4 ? 'inet' : 'inet6';
    const value: NeighbourInput = { family: fam, ifindex, flags: key.proxy ? ['proxy'] : [], address: key.address };
    const [n] = await this.sock.request({
      type: RTM_GETNEIGH, headerSize: neighbourMessage.headerSize, operation: `neigh get ${key.address} dev ${key.dev}`,
      body: (w) => neighbourMessage.encodePayload(w, value, 'neigh'),
    }, decodeNeighbour);
    if (!n) throw new Error(`neigh get ${key.address}: the kernel sent no entry`);
    return n;
  }

  /**
   * Deletes entries like `ip neigh flush`: one dump (filtered in the kernel by
   * family, link and master) and every entry it lists that passes `states`
   * and `where` sent back as a delete, in one batch. Returns how many were
   * deleted; entries gone meanwhile do not count and are no error.
   */
  async flush(filter: NeighbourFlushFilter = {}): Promise<number> {
    const mask = flushStates(filter.states);
    const ifindex = await this.link(filter.dev);
    const master = await this.link(filter.master, this.resolve, 'neigh.master');
    const where = filter.where;
    const keep = (buf: Buffer, start: number): boolean => {
      const state = buf.readUInt16LE(start + STATE_AT);
      const special = buf[start + FLAGS_AT]! & (NTF_PROXY | NTF_EXT_LEARNED);
      if (!special && !(state ? state & mask : mask & NUD_NONE_MARK)) return false;
      // An old kernel ignores the link filter of a dump: check it here too.
      if (ifindex !== undefined && buf.readInt32LE(start + IFINDEX_AT) !== ifindex) return false;
      return where ? where(decodeNeighbour(buf, start, buf.readUInt32LE(start))!) : true;
    };
    return flushDumped(this.sock, neighbourListRequest({ family: filter.family, ifindex, master, proxy: filter.proxy }), {
      deleteType: RTM_DELNEIGH, keep, gone: ['ENOENT'],
    });
  }

  /** Adds an entry; EEXIST when there is one already. */
  async add(spec: NeighbourSpec): Promise<void> {
    await this.send('add', spec);
  }

  /** Adds or overwrites an entry. */
  async replace(spec: NeighbourSpec): Promise<void> {
    await this.send('replace', spec);
  }

  /** Changes an existing entry; ENOENT when there is none. */
  async change(spec: NeighbourSpec): Promise<void> {
    await this.send('change', spec);
  }

  /** Deletes an entry (by link and address); a NetlinkError ENOENT that says so when there is none. */
  async delete(spec: NeighbourSpec): Promise<void> {
    await deleting(`neighbour ${spec.address}${spec.dev === undefined ? '' : ` on ${spec.dev}`}`, () => this.send('delete', spec));
  }

  /** A link name is checked here (so the error names neigh.dev) and resolved; an index is checked by the builder. */
  private async link(ref: LinkRef | undefined, resolve: Resolve = this.resolve, path = 'neigh.dev'): Promise<number | undefined> {
    if (ref === undefined || typeof ref === 'number') return ref;
    return resolve(checkIfname(ref, path));
  }

  private async send(verb: NeighbourVerb, spec: NeighbourSpec): Promise<void> {
    await retryStale(this.resolve, async (resolve) => {
      const dev = await this.link(spec.dev, resolve);
      await this.sock.request(neighbourRequest(verb, { ...spec, dev }, label(verb, spec)));
    });
  }
}
