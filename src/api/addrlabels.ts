// The typed verbs for IPv6 address labels (`ip addrlabel`): list, add,
// delete and flush. A prefix as 'fd00::/64', a device by name or index.
import { AF_INET6 } from '../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../generated/linux/netlink.js';
import { RTM_DELADDRLABEL, RTM_GETADDRLABEL, RTM_NEWADDRLABEL } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { parsePrefix } from '../netlink/ip.js';
import type { Request } from '../netlink/request.js';
import { type Addrlabel, type AddrlabelMessage, addrlabelMessage, decodeAddrlabel } from '../rtnl/addrlabel.js';
import { checkIfname } from '../rtnl/codecs.js';
import type { Requester } from '../socket/netlink-socket.js';
import { listOf, streamOf } from './dump-verbs.js';
import { flushDumped } from './flush.js';
import type { LinkRef } from './link-spec.js';
import { type Resolve, retryStale } from './name-cache.js';
import { deleting } from './not-found.js';

/** An address label to add or delete. */
export interface AddrlabelInput<Dev = LinkRef> {
  /** An IPv6 prefix: 'fd00::/64' (a bare address is a /128). */
  prefix: string;
  /** 0..2³²-2 (2³²-1 is the kernel's "no label"). The kernel wants it for delete too. */
  label: number;
  /** Only for addresses on this device. */
  dev?: Dev;
}

/** The changes an address label takes. */
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

/** IPv6 address labels (`ip addrlabel`): list, add, delete, flush. */
export class AddrlabelApi {
  constructor(private readonly sock: Requester, private readonly resolve: Resolve) {}

  /** The label table, in the kernel's order (longest prefixes first). */
  list(): Promise<Addrlabel[]> {
    return listOf(this.sock, { req: addrlabelListRequest() }, decodeAddrlabel);
  }

  /** Every address label, as the dump delivers them. */
  stream(): AsyncGenerator<Addrlabel> {
    return streamOf(this.sock, { req: addrlabelListRequest() }, decodeAddrlabel);
  }

  /** Adds a label; EEXIST when the prefix (on that device) has one. */
  async add(input: AddrlabelInput): Promise<void> {
    await this.send('add', input);
  }

  /** Deletes the label of a prefix (on that device); ENOENT, saying so, when there is none. */
  async delete(input: AddrlabelInput): Promise<void> {
    await deleting(`address label for ${input?.prefix}`, () => this.send('delete', input));
  }

  /**
   * Deletes every entry, the kernel's defaults too, like `ip addrlabel
   * flush` (one dump, sent back as deletes in one batch); `where` picks.
   * Returns how many went.
   */
  flush(filter: { where?: (l: Addrlabel) => boolean } = {}): Promise<number> {
    const where = filter.where;
    return flushDumped(this.sock, addrlabelListRequest(), {
      deleteType: RTM_DELADDRLABEL, gone: ['ENOENT', 'ESRCH'],
      keep: where && ((buf, start) => where(decodeAddrlabel(buf, start, buf.readUInt32LE(start))!)),
    });
  }

  private async send(verb: AddrlabelVerb, input: AddrlabelInput): Promise<void> {
    await retryStale(this.resolve, async (resolve) => {
      const ref = input?.dev;
      const dev = ref === undefined || typeof ref === 'number' ? ref : await resolve(checkIfname(ref, 'addrlabel.dev'));
      await this.sock.request(addrlabelRequest(verb, { ...input, dev }));
    });
  }
}
