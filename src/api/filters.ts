// The typed verbs for filters: list, add, change, replace, delete.
import { actionKindsOf } from '../rtnl/tc/actions/action.js';
import { type Filter, type FilterSpec, decodeFilter, filterDumpRequest, filterRequest } from '../rtnl/tc/filter.js';
import type { TcHandle } from '../rtnl/tc/handles.js';
import type { EncodeContext } from '../rtnl/tc/kind.js';
import type { TcVerb } from '../rtnl/tc/qdisc.js';
import type { Request } from '../netlink/request.js';
import { listOf, streamOf } from './dump-verbs.js';
import type { Requester } from '../socket/netlink-socket.js';
import type { LinkRef } from './links.js';
import { type TcDeps, type WithDev, explainMissingKind, explainMissingParent, sendTc } from './tc-common.js';


export type FilterInput = WithDev<FilterSpec>;

export interface FilterListFilter {
  dev: LinkRef;
  /** The qdisc or class whose filters to list ('1:', 'ffff:', 'ingress'); the kernel's default is the root qdisc. */
  parent?: TcHandle;
  priority?: number;
  protocol?: string | number;
  chain?: number;
}

export class FilterApi {
  constructor(private readonly sock: Requester, private readonly deps: TcDeps) {}

  /** Filters of one parent of one device, like `tc filter show dev X [parent P]`. */
  async list(filter: FilterListFilter): Promise<Filter[]> {
    const ifindex = await this.deps.resolve(filter.dev);
    return listOf(this.sock, { req: filterDumpRequest({ ...filter, ifindex }) }, decodeFilter);
  }

  /** Filters as they are read (memory stays flat). Same filter as list(). */
  async *stream(filter: FilterListFilter): AsyncGenerator<Filter> {
    const ifindex = await this.deps.resolve(filter.dev);
    yield* streamOf(this.sock, { req: filterDumpRequest({ ...filter, ifindex }) }, decodeFilter);
  }

  add(f: FilterInput): Promise<void> { return this.send('add', f); }
  change(f: FilterInput): Promise<void> { return this.send('change', f); }
  replace(f: FilterInput): Promise<void> { return this.send('replace', f); }
  /** By parent, priority (and protocol, handle and kind to remove one filter of a priority). */
  delete(f: FilterInput): Promise<void> { return this.send('delete', f); }

  /** The request for a verb, for sending in a batch. */
  request(verb: TcVerb, spec: FilterSpec, ctx: EncodeContext = {}): Request {
    return filterRequest(verb, spec, ctx);
  }

  private send(verb: TcVerb, input: FilterInput): Promise<void> {
    return sendTc<FilterSpec>(this.sock, this.deps, input, (spec, ctx) => filterRequest(verb, spec, ctx), (err, spec) => {
      const actions = actionKindsOf((spec.options as { actions?: unknown } | undefined)?.actions);
      return explainMissingParent(explainMissingKind(err, { classifier: spec.kind, actions }), spec.parent);
    });
  }
}
