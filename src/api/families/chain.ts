// The chain family (docs/architecture.md, "The family descriptor"): filter
// chains announced as filters come and go, added and deleted explicitly
// (`tc chain add|del`), listed per device parent or shared block.
import * as R from '../../generated/linux/rtnetlink.js';
import { EncodeError } from '../../netlink/errors.js';
import type { Request } from '../../netlink/request.js';
import type { LinkRef } from '../../rtnl/route-input.js';
import { type ChainSpec, chainDumpRequest, chainRequest } from '../../rtnl/tc/chain.js';
import { type TcHandle, formatHandle } from '../../rtnl/tc/handles.js';
import { decodeTcMessage, tcMessage } from '../../rtnl/tc/tcmsg.js';
import type { FamilyApi } from '../engine.js';
import type { BuildContext, FamilyDescriptor } from '../family.js';
import { checkTcInput, encodedNow } from './tc.js';

/** A filter chain (RTM_NEWCHAIN / RTM_DELCHAIN). */
export interface TcChain {
  ifindex: number;
  parent: string;
  chain: number;
  /** The shared block it belongs to (then ifindex is TCM_IFINDEX_MAGIC_BLOCK). */
  block?: number;
}

/** A chain to add or delete: on a device's qdisc (dev, parent) or in a shared block. */
export type ChainInput = Omit<ChainSpec, 'ifindex'> & { dev?: LinkRef };

/** What `nl.chain.list()` lists (`tc chain show dev X [parent P]`, or `tc chain show block B`). */
export interface ChainListFilter {
  /** The device whose chains to list. */
  dev?: LinkRef;
  /** Only the chains of this qdisc ('ffff:', 'ingress'...). */
  parent?: TcHandle;
  /** The shared block whose chains to list, instead of a device. */
  block?: number;
}

const build = (verb: 'add' | 'delete') => (input: ChainInput, ctx: BuildContext): Request => {
  const { dev, ...rest } = checkTcInput(input, 'chain');
  let ifindex = 0;
  if (dev !== undefined) ifindex = ctx.ifindex(dev, 'chain.dev');
  else if (rest.block === undefined) throw new EncodeError('chain.dev', 'a chain needs a device (dev) or a shared block (block)');
  return encodedNow(chainRequest(verb, { ...rest, ifindex }));
};

/** The input of each chain change (`tc chain add|del`). */
export type ChainInputs = Record<'add' | 'delete', ChainInput>;

/** The chain family's descriptor (RTM_*CHAIN): `nl.chain`'s verbs, its events and batch verbs derive from it (`tc chain`). */
export const chainFamily: FamilyDescriptor<TcChain, 'chain', 'list' | 'add' | 'delete', ChainInputs, ChainListFilter> = {
  kind: 'chain',
  schema: tcMessage,
  getType: R.RTM_GETCHAIN,
  verbs: ['list', 'add', 'delete'],
  newType: R.RTM_NEWCHAIN,
  delType: R.RTM_DELCHAIN,
  groups: [R.RTNLGRP_TC],
  decode: (buf, start, length) => {
    const m = decodeTcMessage(buf, start, length, []);
    const c: TcChain = { ifindex: m.ifindex, parent: formatHandle(m.parent), chain: m.chain ?? 0 };
    if (m.ifindex >>> 0 === R.TCM_IFINDEX_MAGIC_BLOCK) c.block = m.parent;
    return c;
  },
  key: (c) => [c.ifindex, c.parent, c.chain].join('|'),
  dump: [],
  // Without a device or block there is nothing to ask: chains are listed per parent (tc chain show dev X).
  list: async () => [],
  change: {
    build: { add: build('add'), delete: build('delete') },
    nameError: (err) => err,
  },
  async dumpFilter(filter, { resolve }) {
    if (filter === undefined || (filter.dev === undefined && filter.block === undefined)) throw new EncodeError('chain', 'a chain listing needs a device (dev) or a block');
    const { dev, ...rest } = filter;
    const ifindex = dev === undefined ? 0 : await resolve(dev);
    return { req: chainDumpRequest({ ...rest, ifindex }) };
  },
};

/** `nl.chain`: add, delete and list chains. */
export type ChainApi = FamilyApi<typeof chainFamily>;
