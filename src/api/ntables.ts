// The typed verbs for neighbour tables (`ip ntable show|change`).
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { NLM_F_REPLACE } from '../generated/linux/netlink.js';
import { RTM_GETNEIGHTBL, RTM_SETNEIGHTBL } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import type { Request } from '../netlink/request.js';
import type { AttrsIn } from '../netlink/schema.js';
import { checkIfname } from '../rtnl/codecs.js';
import type { AddressFamily } from '../rtnl/names.js';
import { type Ntable, type NtableMessage, decodeNtable, ntableMessage, type ntableParmsAttrs } from '../rtnl/ntable.js';
import type { Requester } from '../socket/netlink-socket.js';
import { listOf } from './dump-verbs.js';
import type { LinkRef } from './link-spec.js';
import { type Resolve, retryStale } from './name-cache.js';

/** The parameters a change may set (times in ms). */
export type NtableParmsInput = Omit<AttrsIn<typeof ntableParmsAttrs.specs>, 'refcnt' | 'reachableTime' | 'pad' | 'unknown'>;

/** A change of one table (`ip ntable change name arp_cache ...`). */
export interface NtableChangeInput<Dev = LinkRef> {
  /** 'arp_cache' or 'ndisc_cache'. */
  name: string;
  family?: 'inet' | 'inet6';
  /** A device's parameters instead of the table's defaults. */
  dev?: Dev;
  thresh1?: number;
  thresh2?: number;
  thresh3?: number;
  /** ms. */
  gcInterval?: number | bigint;
  parms?: NtableParmsInput;
}

/** Which neighbour tables: by family, name, or one device's parameters. */
export interface NtableListFilter {
  family?: AddressFamily;
  /** One table by name. */
  name?: string;
  /** One device's parameters; 'none' for the tables' own entries. */
  dev?: LinkRef | 'none';
}

const KEYS = ['name', 'family', 'dev', 'thresh1', 'thresh2', 'thresh3', 'gcInterval', 'parms'];

/** The schema message of a change (the device already an index): ip's order, the parameters last. */
export function ntableMessageOf(input: NtableChangeInput<number>, path = 'ntable'): NtableMessage {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected a table change, got ${describe(input)}`);
  for (const k of Object.keys(input)) if (!KEYS.includes(k)) throw new EncodeError(`${path}.${k}`, `unknown field (known: ${KEYS.join(', ')})`);
  if (typeof input.name !== 'string' || input.name === '') throw new EncodeError(`${path}.name`, `a table change needs the table's name, got ${describe(input.name)}`);
  const m: NtableMessage = { family: input.family ?? AF_UNSPEC };
  const o = m as Record<string, unknown>;
  for (const k of Object.keys(input)) {
    if (k === 'name' || k.startsWith('thresh') || k === 'gcInterval') o[k] = (input as unknown as Record<string, unknown>)[k];
  }
  let parms: Record<string, unknown> | undefined;
  if (input.dev !== undefined) {
    if (!Number.isInteger(input.dev) || input.dev <= 0 || input.dev > 0x7fffffff) throw new EncodeError(`${path}.dev`, `${describe(input.dev)} is not an interface index`);
    parms = { ifindex: input.dev };
  }
  if (input.parms !== undefined) {
    if (input.parms === null || typeof input.parms !== 'object') throw new EncodeError(`${path}.parms`, `expected the parameters, got ${describe(input.parms)}`);
    parms = { ...parms, ...input.parms };
  }
  const changes = Object.keys(input).some((k) => k.startsWith('thresh') || k === 'gcInterval') || Object.keys(input.parms ?? {}).some((k) => k !== 'ifindex');
  if (!changes) throw new EncodeError(path, 'nothing to change: give thresholds, gcInterval or parms');
  if (parms) m.parms = parms;
  return m;
}

/** The request of a change (pure). */
export function ntableChangeRequest(input: NtableChangeInput<number>): Request {
  return {
    type: RTM_SETNEIGHTBL, flags: NLM_F_REPLACE, headerSize: ntableMessage.headerSize, expectReply: false,
    operation: `ntable change name ${input?.name}`,
    body: (w) => ntableMessage.encodePayload(w, ntableMessageOf(input), 'ntable'),
  };
}

/** The dump request (pure). */
export function ntableListRequest(family: AddressFamily = AF_UNSPEC): Request {
  const m: NtableMessage = { family };
  return { type: RTM_GETNEIGHTBL, headerSize: ntableMessage.headerSize, operation: 'ntable show', body: (w) => ntableMessage.encodePayload(w, m, 'ntable') };
}

/** Neighbour tables (`ip ntable`): their parameters and statistics, and changes to them. */
export class NtableApi {
  constructor(private readonly sock: Requester, private readonly resolve: Resolve) {}

  /** Every table and every device's parameters, like `ip ntable show` (its filters applied here, as ip does). */
  async list(filter: NtableListFilter = {}): Promise<Ntable[]> {
    if (filter === null || typeof filter !== 'object') throw new EncodeError('ntable', `expected a filter, got ${describe(filter)}`);
    const dev = filter.dev === undefined || filter.dev === 'none' ? filter.dev : await this.index(filter.dev);
    const { name, family } = filter;
    return listOf(this.sock, {
      req: ntableListRequest(family),
      keep: (t) => (name === undefined || t.name === name)
        && (dev === undefined || (dev === 'none' ? t.parms?.ifindex === undefined : t.parms?.ifindex === dev)),
    }, decodeNtable);
  }

  /** Changes a table's thresholds or parameters (a device's with `dev`). */
  async change(input: NtableChangeInput): Promise<void> {
    await retryStale(this.resolve, async (resolve) => {
      const dev = input?.dev === undefined ? undefined : await this.index(input.dev, resolve);
      await this.sock.request(ntableChangeRequest(dev === undefined ? input as NtableChangeInput<number> : { ...input, dev }));
    });
  }

  private async index(ref: LinkRef, resolve: Resolve = this.resolve): Promise<number> {
    return typeof ref === 'number' ? ref : resolve(checkIfname(ref, 'ntable.dev'));
  }
}
