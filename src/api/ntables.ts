// The requests for neighbour tables (`ip ntable show|change`); the client's
// verbs (nl.ntable: list, change) come from the descriptor (families/ntable.ts).
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { NLM_F_REPLACE } from '../generated/linux/netlink.js';
import { RTM_GETNEIGHTBL, RTM_SETNEIGHTBL } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import type { Request } from '../netlink/request.js';
import type { AttrsIn } from '../netlink/schema.js';
import type { AddressFamily } from '../rtnl/names.js';
import { type NtableMessage, ntableMessage, type ntableParmsAttrs } from '../rtnl/ntable.js';
import type { LinkRef } from './link-spec.js';

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

/** What `nl.ntable.list()` keeps (`ip ntable show [family F] [name NAME] [dev DEV]`). */
export interface NtableListFilter {
  /** Only this family's tables ('inet' for arp_cache, 'inet6' for ndisc_cache). */
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
    if (k === 'name' || k.startsWith('thresh') || k === 'gcInterval') o[k] = Object.getOwnPropertyDescriptor(input, k)?.value;
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
