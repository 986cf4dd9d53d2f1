// The address family (docs/architecture.md, "The family descriptor"): its
// messages, its builders (friendly AddressInput → request), its dump filter
// and flush. The client's and batches' verbs are derived from it (api/engine.ts).
import { AF_UNSPEC } from '../../generated/libc/socket.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { EncodeError, NetlinkError } from '../../netlink/errors.js';
import type { Decoder, Request } from '../../netlink/request.js';
import { type AddressInput, type AddressOp, addressMessageOf, addressOps } from '../../rtnl/address-input.js';
import { type Address, type AddressMessageInput as AddressMessage, addressMessage, decodeAddress } from '../../rtnl/address.js';
import { type AddressFamily, addressFamilies } from '../../rtnl/names.js';
import type { IfindexOf, LinkRef } from '../../rtnl/route-input.js';
import { type Engine, type FamilyApi, resolvedBuild } from '../engine.js';
import { type BuildContext, type ChangeOps, type FamilyDescriptor, byFamily } from '../family.js';
import { type NameLookup, pureContext } from '../link-refs.js';
import { checked, checkedRequest, schemaRequest } from '../requests.js';

export type { AddressMessage };

/** @deprecated The old name of AddressMessage (docs/architecture.md, "Naming rule"); it goes in the next release. */
export type AddressMessageInput = AddressMessage;

/** Decodes an address message into an {@link Address}. */
export const addressDecoder: Decoder<Address> = decodeAddress;

/** A request carrying an already built address message. */
export function addressMessageRequest(type: number, flags: number, msg: AddressMessage, operation: string, expectReply = false): Request {
  return schemaRequest(addressMessage, type, flags, msg, operation, expectReply);
}

/** Encodes the message once: what only the encoder checks fails now. */
export const checkedAddress = (msg: AddressMessage): AddressMessage => checked(addressMessage, msg);

function requestOf(op: AddressOp, msg: AddressMessage): Request {
  const { type, flags } = addressOps[op];
  const what = `${msg.local ?? msg.address ?? ''}/${msg.prefixlen} dev ${msg.index}`;
  return addressMessageRequest(type, flags, msg, `address ${op} ${what}`);
}

const change = (op: AddressOp) => (address: AddressInput, ctx: BuildContext): Request => requestOf(op, addressMessageOf(op, address, ctx.ifindex));

/**
 * The request for one address change, built and checked now (an EncodeError
 * naming the field for bad input). Interface names need `ifindex`.
 */
export function addressRequest(op: AddressOp, address: AddressInput, opts: { ifindex?: NameLookup } = {}): Request {
  // The builder checks the input and names a verb it does not know; a verb that is not one of ours fails the same way.
  const build = Object.hasOwn(addressChanges.build, op) ? addressChanges.build[op] : change(op);
  return checkedRequest(build(address, pureContext(opts.ifindex)));
}

/** What `nl.addr.list()` keeps: by family or device. */
export interface AddressListFilter {
  /** inet or inet6 (default: both). Kernel-side. */
  family?: AddressFamily;
  /** Only the addresses of this interface. Kernel-side. */
  dev?: LinkRef;
}

function dumpMessage(filter: AddressListFilter, ifindex: IfindexOf): AddressMessage {
  if (filter === null || typeof filter !== 'object') throw new EncodeError('filter', 'expected a filter object');
  const msg: AddressMessage = { family: filter.family === undefined ? AF_UNSPEC : addressFamilies.encode(filter.family, 'filter.family') };
  if (filter.dev !== undefined) msg.index = ifindex(filter.dev, 'filter.dev');
  return msg;
}

/** The builders of every change a batch offers: iproute2's words, and `delete`. */
export type AddressInputs = Record<AddressOp | 'delete', AddressInput>;

/** The builders of every change verb (batches offer each), and what a delete's refusal names. */
export const addressChanges: ChangeOps<AddressInputs> = {
  build: { add: change('add'), change: change('change'), replace: change('replace'), del: change('del'), delete: change('del') },
  absent: { del: () => 'address', delete: () => 'address' },
};

/** The address family's descriptor (RTM_*ADDR): `nl.addr`'s verbs, its events and batch verbs derive from it. */
export const addressFamily: FamilyDescriptor<Address, 'address', 'list' | 'stream' | 'add' | 'replace' | 'delete' | 'flush', AddressInputs, AddressListFilter> = {
  kind: 'address',
  schema: addressMessage,
  getType: R.RTM_GETADDR,
  verbs: ['list', 'stream', 'add', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWADDR,
  delType: R.RTM_DELADDR,
  groups: [R.RTNLGRP_IPV4_IFADDR, R.RTNLGRP_IPV6_IFADDR],
  groupOf: (a) => byFamily(a.family, R.RTNLGRP_IPV4_IFADDR, R.RTNLGRP_IPV6_IFADDR),
  decode: decodeAddress,
  key: (a) => [a.family, a.index, a.local, a.prefixlen, a.address].join('|'),
  dump: [addressMessageRequest(R.RTM_GETADDR, 0, { family: AF_UNSPEC }, 'address show', true)],
  volatile: ['cacheinfo'],
  change: addressChanges,
  // Filtered in the kernel by family and interface (strict checking).
  async dumpFilter(filter = {}, { resolve }) {
    const msg = await resolvedBuild((ctx) => checkedAddress(dumpMessage(filter, ctx.ifindex)), resolve);
    return { req: addressMessageRequest(R.RTM_GETADDR, 0, msg, 'address show', true) };
  },
};

/** The verbs only addresses have. */
export function addressVerbs(e: Engine<Address, AddressInputs, AddressListFilter, never>) {
  return {
    /** The same as delete(), by iproute2's name; kept as an alias. */
    del: (address: AddressInput): Promise<void> => e.run('del', address),
    /** Any change by iproute2's verb (add, change, replace, del). */
    change: (op: AddressOp, address: AddressInput): Promise<void> => e.run(op, address),
    /**
     * Deletes every address of an interface (of one family if given), like
     * `ip address flush dev X`; returns how many are gone. Deleting an IPv4
     * primary address takes its secondaries along, so this repeats until none is left.
     */
    async flush(dev: LinkRef, filter: { family?: AddressFamily } = {}): Promise<number> {
      const index = await e.deps.resolve(dev);
      let deleted = 0;
      for (let round = 0; round < 10; round++) {
        const addrs = await e.list({ family: filter.family, dev: index });
        if (!addrs.length) return deleted;
        const reqs = addrs.map((a) => requestOf('del', addressMessageOf('del', a)));
        const r = await e.deps.sock.batch(reqs);
        // EADDRNOTAVAIL: a secondary that went with its primary.
        const failed = r.errors.filter((x) => x.code !== 'EADDRNOTAVAIL');
        if (failed.length) throw failed[0];
        deleted += addrs.length;
      }
      throw new NetlinkError({ errno: 16, operation: `address flush dev ${dev}`, detail: 'addresses kept coming back after 10 rounds' });
    },
  };
}

/** `nl.addr`: the verbs derived from the descriptor, and the address-only ones. */
export type AddressApi = FamilyApi<typeof addressFamily, ReturnType<typeof addressVerbs>>;
