// The typed verbs for classes: list, add, change, replace, delete.
import { type TcClass, type ClassSpec, classDumpRequest, classRequest, decodeClass } from '../rtnl/tc/class.js';
import { type TcHandle, formatHandle, parseClassid } from '../rtnl/tc/handles.js';
import type { EncodeContext } from '../rtnl/tc/kind.js';
import type { TcVerb } from '../rtnl/tc/qdisc.js';
import type { Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';
import type { LinkRef } from './links.js';
import { type TcDeps, type WithDev, explainMissingKind, explainMissingParent, sendTc } from './tc-common.js';


export type ClassInput = WithDev<ClassSpec>;

export interface ClassListFilter {
  /** The kernel lists classes per device: without one, every device's are listed. */
  dev?: LinkRef;
  /** Only classes of this qdisc ('1:'). */
  qdisc?: TcHandle;
  /** Only this class ('1:10'). */
  classid?: TcHandle;
  /** Only the children of this class or qdisc (the kernel's filter). */
  parent?: TcHandle;
}

export class ClassApi {
  constructor(
    private readonly sock: Requester,
    private readonly deps: TcDeps,
    private readonly allIndexes: () => Promise<number[]>,
  ) {}

  /** Classes, like `tc class show dev X`. */
  async list(filter: ClassListFilter = {}): Promise<TcClass[]> {
    const { devs, keep } = await this.query(filter);
    const out: TcClass[] = [];
    for (const ifindex of devs) {
      for (const c of await this.sock.dump(classDumpRequest(ifindex, filter.parent), decodeClass)) if (keep(c)) out.push(c);
    }
    return out;
  }

  /** Classes as they are read, device by device (memory stays flat). Same filters as list(). */
  async *stream(filter: ClassListFilter = {}): AsyncGenerator<TcClass> {
    const { devs, keep } = await this.query(filter);
    for (const ifindex of devs) {
      for await (const c of this.sock.dumpStream(classDumpRequest(ifindex, filter.parent), decodeClass)) if (keep(c)) yield c;
    }
  }

  /** The devices to dump (the kernel lists classes per device), and what the kernel does not filter. */
  private async query(filter: ClassListFilter): Promise<{ devs: number[]; keep: (c: TcClass) => boolean }> {
    const devs = filter.dev === undefined ? await this.allIndexes() : [await this.deps.resolve(filter.dev)];
    const qmaj = filter.qdisc === undefined ? undefined : parseClassid(filter.qdisc, 'qdisc', 'qdisc') >>> 16;
    const only = filter.classid === undefined ? undefined : formatHandle(parseClassid(filter.classid, 'classid', 'class id'));
    return {
      devs,
      keep: (c) => (qmaj === undefined || parseClassid(c.handle, 'handle') >>> 16 === qmaj) && (only === undefined || c.handle === only),
    };
  }

  add(c: ClassInput): Promise<void> { return this.send('add', c); }
  change(c: ClassInput): Promise<void> { return this.send('change', c); }
  replace(c: ClassInput): Promise<void> { return this.send('replace', c); }
  delete(c: ClassInput): Promise<void> { return this.send('delete', c); }

  /** The request for a verb, for sending in a batch. */
  request(verb: TcVerb, spec: ClassSpec, ctx: EncodeContext = {}): Request {
    return classRequest(verb, spec, ctx);
  }

  private send(verb: TcVerb, input: ClassInput): Promise<void> {
    return sendTc<ClassSpec>(this.sock, this.deps, input, (spec, ctx) => classRequest(verb, spec, ctx), (err, spec) => explainMissingParent(explainMissingKind(err, { qdisc: spec.kind }), spec.parent));
  }

}
