// The requests for IPv6 address labels (`ip addrlabel`): a prefix as
// 'fd00::/64', a device by name or index. The client's verbs (nl.addrlabel:
// list, stream, add, delete, flush) come from the descriptor (families/addrlabel.ts).
import { AF_INET6 } from '../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../generated/linux/netlink.js';
import { RTM_DELADDRLABEL, RTM_GETADDRLABEL, RTM_NEWADDRLABEL } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { parsePrefix } from '../netlink/ip.js';
import type { Request } from '../netlink/request.js';
import { type AddrlabelMessage, addrlabelMessage } from '../rtnl/addrlabel.js';
import type { LinkRef } from './link-spec.js';

/** An address label to add or delete. */
export interface AddrlabelInput<Dev = LinkRef> {
  /** An IPv6 prefix: 'fd00::/64' (a bare address is a /128). */
  prefix: string;
  /** 0..2³²-2 (2³²-1 is the kernel's "no label"). The kernel wants it for delete too. */
  label: number;
  /** Only for addresses on this device. */
  dev?: Dev;
}

/** The address label changes, as `ip addrlabel add|del` (`delete` for `del`). */
export type AddrlabelVerb = 'add' | 'delete';

const KEYS = new Set(['prefix', 'label', 'dev']);

/** The schema message for an input (the device already an index). */
export function addrlabelMessageOf(input: AddrlabelInput<number>, path = 'addrlabel'): AddrlabelMessage {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected { prefix, label, dev? }, got ${describe(input)}`);
  for (const k of Object.keys(input)) if (!KEYS.has(k)) throw new EncodeError(`${path}.${k}`, 'unknown field (known: prefix, label, dev)');
  if (input.prefix === undefined) throw new EncodeError(`${path}.prefix`, 'an address label needs a prefix');
  const p = parsePrefix(input.prefix, `${path}.prefix`);
  if (p.family !== 6) throw new EncodeError(`${path}.prefix`, `address labels are IPv6 only, got ${describe(input.prefix)}`);
  if (!Number.isInteger(input.label) || input.label < 0 || input.label >= 0xffffffff) throw new EncodeError(`${path}.label`, `${describe(input.label)} is not a label (0..4294967294)`);
  let ifindex = 0;
  if (input.dev !== undefined) {
    if (!Number.isInteger(input.dev) || input.dev <= 0 || input.dev > 0x7fffffff) throw new EncodeError(`${path}.dev`, `${describe(input.dev)} is not an interface index`);
    ifindex = input.dev;
  }
  // ip's order: the label, then the address.
  return { family: AF_INET6, prefixLen: p.length, ifindex, label: input.label, address: p.address };
}

/** The request for an add or delete (pure). */
export function addrlabelRequest(verb: AddrlabelVerb, input: AddrlabelInput<number>, operation?: string): Request {
  if (verb !== 'add' && verb !== 'delete') throw new EncodeError('verb', `unknown address label verb ${describe(verb)} (one of: add, delete)`);
  return {
    type: verb === 'add' ? RTM_NEWADDRLABEL : RTM_DELADDRLABEL, flags: verb === 'add' ? NLM_F_CREATE | NLM_F_EXCL : 0,
    headerSize: addrlabelMessage.headerSize, expectReply: false,
    operation: operation ?? `addrlabel ${verb === 'add' ? 'add' : 'del'} prefix ${input?.prefix}`,
    body: (w) => addrlabelMessage.encodePayload(w, addrlabelMessageOf(input), 'addrlabel'),
  };
}

/** The dump request (pure); the kernel has IPv6 labels only, which ip asks for by default. */
export function addrlabelListRequest(): Request {
  const m: AddrlabelMessage = { family: AF_INET6 };
  return { type: RTM_GETADDRLABEL, headerSize: addrlabelMessage.headerSize, operation: 'addrlabel show', body: (w) => addrlabelMessage.encodePayload(w, m, 'addrlabel') };
}
