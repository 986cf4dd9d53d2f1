// The typed verbs for qdiscs: list, add, change, replace, delete. Requests
// come from the pure builder in rtnl/tc/qdisc.ts; this file resolves the
// device and sends them.
import { formatHandle, formatQdiscHandle, parseClassid, parseQdiscHandle, type TcHandle } from '../rtnl/tc/handles.js';
import type { EncodeContext } from '../rtnl/tc/kind.js';
import { type Qdisc, type QdiscSpec, type TcVerb, decodeQdisc, qdiscDumpRequest, qdiscRequest } from '../rtnl/tc/qdisc.js';
import type { Request } from '../netlink/request.js';
import { type DumpQuery, listOf, streamOf } from './dump-verbs.js';
import type { Requester } from '../socket/netlink-socket.js';
import type { LinkRef } from './links.js';
import { type TcDeps, type WithDev, explainMissingKind, sendTc } from './tc-common.js';


/** A qdisc to add, change, replace or delete: its device by name or index, then what tc takes. */
export type QdiscInput = WithDev<QdiscSpec>;

export interface QdiscListFilter {
  dev?: LinkRef;
  /** Only the qdisc at this parent ('root', 'ingress', '1:10'). */
  parent?: TcHandle;
  /** Only the qdisc with this handle ('1:'). */
  handle?: TcHandle;
  /** Include the per-queue default qdiscs the kernel hides. */
  invisible?: boolean;
}

export class QdiscApi {
  constructor(private readonly sock: Requester, private readonly deps: TcDeps) {}

  /** Qdiscs of every device, or of one, like `tc qdisc show [dev X]`. */
  async list(filter: QdiscListFilter = {}): Promise<Qdisc[]> {
    return listOf(this.sock, await this.query(filter), decodeQdisc);
  }

  /** Qdiscs as they are read (memory stays flat). Same filters as list(). */
  async *stream(filter: QdiscListFilter = {}): AsyncGenerator<Qdisc> {
    yield* streamOf(this.sock, await this.query(filter), decodeQdisc);
  }

  /** The dump request, and what the kernel does not filter. */
  private async query(filter: QdiscListFilter): Promise<DumpQuery<Qdisc>> {
    const ifindex = filter.dev === undefined ? undefined : await this.deps.resolve(filter.dev);
    const parent = filter.parent === undefined ? undefined : formatHandle(parseClassid(filter.parent, 'parent', 'parent'));
    const handle = filter.handle === undefined ? undefined : formatQdiscHandle(parseQdiscHandle(filter.handle, 'handle'));
    return {
      req: qdiscDumpRequest({ ifindex, invisible: filter.invisible }),
      keep: (q) => (ifindex === undefined || q.ifindex === ifindex) && (parent === undefined || q.parent === parent) && (handle === undefined || q.handle === handle),
    };
  }

  /** `tc qdisc add`: fails with EEXIST when the place is taken by a qdisc of our making. */
  add(q: QdiscInput): Promise<void> { return this.send('add', q); }
  /** `tc qdisc change`: new options for an existing qdisc. */
  change(q: QdiscInput): Promise<void> { return this.send('change', q); }
  /** `tc qdisc replace`: add, or replace what is there. */
  replace(q: QdiscInput): Promise<void> { return this.send('replace', q); }
  /** `tc qdisc link`: replace only, never create. */
  link(q: QdiscInput): Promise<void> { return this.send('link', q); }
  /** `tc qdisc del`: by parent ('root', 'ingress', '1:10') and/or handle. */
  delete(q: QdiscInput): Promise<void> { return this.send('delete', q); }

  /** The request for a verb, for sending in a batch (ifindex given, context supplied by the caller). */
  request(verb: TcVerb | 'link', spec: QdiscSpec, ctx: EncodeContext = {}): Request {
    return qdiscRequest(verb, spec, ctx);
  }

  private send(verb: TcVerb | 'link', input: QdiscInput): Promise<void> {
    return sendTc<QdiscSpec>(this.sock, this.deps, input, (spec, ctx) => qdiscRequest(verb, spec, ctx), (err, spec) => explainMissingKind(err, { qdisc: spec.kind }));
  }

}
