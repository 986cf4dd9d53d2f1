// The typed verbs for addresses, and the pure request builders under them.
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { RTM_GETADDR } from '../generated/linux/rtnetlink.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { type AddressInput, type AddressOp, addressMessageOf, addressOps } from '../rtnl/address-input.js';
import { type Address, type AddressMessageInput, addressMessage, decodeAddress } from '../rtnl/address.js';
import { type AddressFamily, addressFamilies } from '../rtnl/names.js';
import type { IfindexOf, LinkRef } from '../rtnl/route-input.js';
import type { Decoder, Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';
import { type NameLookup, ifindexVia, withIndexes } from './link-refs.js';
import { type Resolve, retryStale } from './name-cache.js';
import { type DumpQuery, listOf, streamOf } from './dump-verbs.js';
import { deleting } from './not-found.js';
import { checked, schemaRequest } from './requests.js';

export const addressDecoder: Decoder<Address> = decodeAddress;

/** A request carrying an already built address message. */
export function addressMessageRequest(type: number, flags: number, msg: AddressMessageInput, operation: string, expectReply = false): Request {
  return schemaRequest(addressMessage, type, flags, msg, operation, expectReply);
}

/** Encodes the message once: what only the encoder checks fails now. */
export const checkedAddress = (msg: AddressMessageInput): AddressMessageInput => checked(addressMessage, msg);

function requestOf(op: AddressOp, msg: AddressMessageInput): Request {
  const { type, flags } = addressOps[op];
  const what = `${msg.local ?? msg.address ?? ''}/${msg.prefixlen} dev ${msg.index}`;
  return addressMessageRequest(type, flags, msg, `address ${op} ${what}`);
}

/**
 * The request for one address change, built and checked now (an EncodeError
 * naming the field for bad input). Interface names need `ifindex`.
 */
export function addressRequest(op: AddressOp, address: AddressInput, opts: { ifindex?: NameLookup } = {}): Request {
  return requestOf(op, checkedAddress(addressMessageOf(op, address, ifindexVia(opts.ifindex))));
}

export interface AddressListFilter {
  /** inet or inet6 (default: both). Kernel-side. */
  family?: AddressFamily;
  /** Only the addresses of this interface. Kernel-side. */
  dev?: LinkRef;
}

export class AddressApi {
  constructor(private readonly sock: Requester, private readonly resolve: Resolve) {}

  /** Addresses, filtered in the kernel by family and interface (strict checking). */
  async list(filter: AddressListFilter = {}): Promise<Address[]> {
    return listOf(this.sock, await this.query(filter), addressDecoder);
  }

  /** Addresses as they are read, datagram by datagram (memory stays flat). Same filters as list(). */
  async *stream(filter: AddressListFilter = {}): AsyncGenerator<Address> {
    yield* streamOf(this.sock, await this.query(filter), addressDecoder);
  }

  private async query(filter: AddressListFilter): Promise<DumpQuery<Address>> {
    const msg = await withIndexes((ifindex) => checkedAddress(dumpMessage(filter, ifindex)), this.resolve);
    return { req: addressMessageRequest(RTM_GETADDR, 0, msg, 'address show', true) };
  }

  /** Adds an address: `{ dev: 'eth0', address: '198.18.0.1/24' }`. EEXIST when it is there. */
  add(address: AddressInput): Promise<void> { return this.change('add', address); }
  /** Adds or updates an address (lifetimes, flags...). */
  replace(address: AddressInput): Promise<void> { return this.change('replace', address); }
  /** Deletes an address; a NetlinkError EADDRNOTAVAIL when the interface has no such address. */
  delete(address: AddressInput): Promise<void> { return this.change('del', address); }
  /** The same as delete(), by iproute2's name; kept as an alias. */
  del(address: AddressInput): Promise<void> { return this.change('del', address); }

  /** Any change by iproute2's verb (add, change, replace, del). */
  async change(op: AddressOp, address: AddressInput): Promise<void> {
    await retryStale(this.resolve, async (resolve) => {
      const msg = await withIndexes((ifindex) => checkedAddress(addressMessageOf(op, address, ifindex)), resolve);
      const send = (): Promise<unknown> => this.sock.request(requestOf(op, msg));
      await (op === 'del' ? deleting('address', send) : send());
    });
  }

  /**
   * Deletes every address of an interface (of one family if given), like
   * `ip address flush dev X`; returns how many are gone. Deleting an IPv4
   * primary address takes its secondaries along, so this repeats until none is left.
   */
  async flush(dev: LinkRef, filter: { family?: AddressFamily } = {}): Promise<number> {
    const index = await this.resolve(dev);
    let deleted = 0;
    for (let round = 0; round < 10; round++) {
      const addrs = await this.list({ family: filter.family, dev: index });
      if (!addrs.length) return deleted;
      const reqs = addrs.map((a) => requestOf('del', addressMessageOf('del', a)));
      const r = await this.sock.batch(reqs);
      // EADDRNOTAVAIL: a secondary that went with its primary.
      const failed = r.errors.filter((e) => e.code !== 'EADDRNOTAVAIL');
      if (failed.length) throw failed[0];
      deleted += addrs.length;
    }
    throw new NetlinkError({ errno: 16, operation: `address flush dev ${dev}`, detail: 'addresses kept coming back after 10 rounds' });
  }
}

function dumpMessage(filter: AddressListFilter, ifindex: IfindexOf): AddressMessageInput {
  if (filter === null || typeof filter !== 'object') throw new EncodeError('filter', 'expected a filter object');
  const msg: AddressMessageInput = { family: filter.family === undefined ? AF_UNSPEC : addressFamilies.encode(filter.family, 'filter.family') };
  if (filter.dev !== undefined) msg.index = ifindex(filter.dev, 'filter.dev');
  return msg;
}
