// The filter family (docs/architecture.md, "The family descriptor"). Requests
// come from the pure builder in rtnl/tc/filter.ts; the client's and batches'
// verbs are derived from the descriptor (api/engine.ts).
import * as R from '../../generated/linux/rtnetlink.js';
import { EncodeError } from '../../netlink/errors.js';
import { describe } from '../../netlink/describe.js';
import type { Request } from '../../netlink/request.js';
import type { LinkRef } from '../../rtnl/route-input.js';
import { actionKindsOf } from '../../rtnl/tc/actions/action.js';
import { type Filter, type FilterSpec, decodeFilter, filterDumpRequest, filterRequest } from '../../rtnl/tc/filter.js';
import type { TcHandle } from '../../rtnl/tc/handles.js';
import { type TcVerb, decodeQdisc, qdiscDumpRequest } from '../../rtnl/tc/qdisc.js';
import { tcMessage } from '../../rtnl/tc/tcmsg.js';
import type { FamilyApi } from '../engine.js';
import type { BuildContext, FamilyDescriptor } from '../family.js';
import { type WithDev, explainMissingKind, explainMissingParent } from '../tc-common.js';
import { checkTcInput, encodedNow, tcContext, tcVolatile } from './tc.js';

/** A filter on a device (dev), or in a shared block (block, no dev: tc's `tc filter add block N`). */
export type FilterInput = WithDev<FilterSpec> | BlockFilterInput;
/** A filter of a shared block: no device. */
export type BlockFilterInput = FilterSpec extends infer S ? S extends unknown ? Omit<S, 'ifindex'> & { dev?: undefined; block: number } : never : never;

/** Which filters to list: a device's (`dev`), or a shared block's (`block N`, `tc filter show block N`). */
export type FilterListFilter = FilterListWhere & ({ dev: LinkRef; block?: undefined } | { block: number; dev?: undefined });

/** What `nl.filter.list()` narrows by: parent, priority, protocol or chain. */
export interface FilterListWhere {
  /** The qdisc or class whose filters to list ('1:', 'ffff:', 'ingress'); the kernel's default is the root qdisc. */
  parent?: TcHandle;
  priority?: number;
  protocol?: string | number;
  chain?: number;
}

const build = (verb: TcVerb) => (input: FilterInput, ctx: BuildContext): Request => {
  const { dev, ...rest } = checkTcInput(input, 'filter');
  // A block's filter names no device (filterRequest checks that a block comes alone).
  let ifindex = 0;
  if (dev !== undefined) ifindex = ctx.ifindex(dev, 'filter.dev');
  else if (rest.block === undefined) throw new EncodeError('filter.dev', 'a filter needs a device (dev) or a shared block (block)');
  return encodedNow(filterRequest(verb, { ...rest, ifindex }, tcContext(ctx, ifindex, 'filter')));
};

/** What each change verb of the tc filter family takes. */
export type FilterInputs = Record<TcVerb, FilterInput>;

/** The tc filter family's descriptor (RTM_*TFILTER): `nl.filter`'s verbs, its events and batch verbs derive from it. */
export const filterFamily: FamilyDescriptor<Filter, 'filter', 'list' | 'stream' | 'add' | 'change' | 'replace' | 'delete', FilterInputs, FilterListFilter> = {
  kind: 'filter',
  schema: tcMessage,
  getType: R.RTM_GETTFILTER,
  verbs: ['list', 'stream', 'add', 'change', 'replace', 'delete'],
  newType: R.RTM_NEWTFILTER,
  delType: R.RTM_DELTFILTER,
  groups: [R.RTNLGRP_TC],
  decode: decodeFilter,
  key: (f) => [f.ifindex, f.parent, f.priority, f.protocol, f.handle, f.kind].join('|'),
  dump: [],
  // Filters hang off qdiscs (and their ingress/egress points): list each parent.
  async list(dump) {
    const out: Filter[] = [];
    for (const q of await dump(qdiscDumpRequest({}), decodeQdisc)) {
      const parents = q.kind === 'clsact' ? ['ffff:fff2', 'ffff:fff3'] : [q.handle];
      for (const parent of parents) out.push(...await dump(filterDumpRequest({ ifindex: q.ifindex, parent }), decodeFilter));
    }
    return out;
  },
  volatile: tcVolatile,
  change: {
    build: { add: build('add'), change: build('change'), replace: build('replace'), delete: build('delete') },
    explain: (err, f) => explainMissingParent(explainMissingKind(err, { classifier: f.kind, actions: actionKindsOf(actionsOf(f.options)) }), f.parent),
    nameError: (err) => err,
  },
  // Filters of one parent of one device, like `tc filter show dev X [parent P]`.
  async dumpFilter(filter, { resolve }) {
    if (filter === undefined || (filter.dev === undefined) === (filter.block === undefined)) {
      throw new EncodeError('filter', 'a filter listing needs a device (dev) or a shared block (block), not both');
    }
    const { dev, block, ...rest } = filter;
    if (block !== undefined) {
      if (!Number.isInteger(block) || block < 1 || block > 0xffffffff) throw new EncodeError('filter.block', `block ${describe(block)} is not 1..4294967295`);
      return { req: filterDumpRequest({ ...rest, ifindex: R.TCM_IFINDEX_MAGIC_BLOCK | 0, parent: block }) };
    }
    const ifindex = await resolve(dev ?? 0);
    return { req: filterDumpRequest({ ...rest, ifindex }) };
  },
};

const actionsOf = (options: unknown): unknown => (options !== null && typeof options === 'object' && 'actions' in options ? options.actions : undefined);

/** `nl.filter`: the verbs derived from the descriptor. */
export type FilterApi = FamilyApi<typeof filterFamily>;
