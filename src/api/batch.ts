// Typed batches: many changes of any family sent as pipelined requests.
//
//   const b = nl.batch();
//   for (const dst of prefixes) b.route.add({ dst, dev: 'eth0' });
//   b.addr.add({ dev: 'eth0', address: '198.18.0.1/24' });
//   const r = await b.commit();            // or commit({ onError: 'stop' })
//   for (const f of r.errors) console.log(f.index, f.input, f.error.code);
//
// A verb only records its input. commit() encodes every request straight
// into one buffer (no Request object or closure per request), so bad input
// anywhere fails the whole batch before anything is sent, with an EncodeError
// naming the request and the field. Interface names are resolved once, by one
// link dump, and only when some request names a link; a link created by the
// same batch is reached by name only where the request itself carries the
// name (link set and del do, routes and addresses need an index). The socket
// then packs the requests into large datagrams, asks for an ACK only at the
// end of each, and bounds what it leaves unread by the receive buffer.
import { closeSync } from 'node:fs';
import { bpfObjGet } from '../ffi/bpf.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../generated/linux/netlink.js';
import { RTM_DELLINK, RTM_NEWLINK } from '../generated/linux/rtnetlink.js';
import { describe } from '../ffi/validate.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { NetlinkWriter } from '../netlink/writer.js';
import { type AddressInput, type AddressOp, addressMessageOf, addressOps } from '../route/address-input.js';
import { addressMessage } from '../route/address.js';
import { checkIfname } from '../route/codecs.js';
import { linkMessage } from '../route/link.js';
import { type IfindexOf, type RouteInput, type RouteOp, checkIndex, routeMessageOf, routeOps } from '../route/route-input.js';
import { routeMessage } from '../route/route.js';
import { neighbourMessage } from '../route/neighbour.js';
import { ruleMessage } from '../route/rule.js';
import { tcMessage } from '../route/tc/tcmsg.js';
import { type ClassSpec, classRequest } from '../route/tc/class.js';
import { type FilterSpec, filterRequest } from '../route/tc/filter.js';
import type { EncodeContext } from '../route/tc/kind.js';
import { type QdiscSpec, type TcVerb, qdiscRequest } from '../route/tc/qdisc.js';
import { actionKindsOf } from '../route/tc/actions/action.js';
import type { Request } from '../socket/messages.js';
import type { BatchOptions, EncodedBatch, NetlinkSocket } from '../socket/netlink-socket.js';
import type { ClassInput } from './classes.js';
import type { FilterInput } from './filters.js';
import { type LinkDelTarget, type LinkRef, type LinkSpec, checkNewLink, linkSelector } from './links.js';
import { checkLinkRef, toLinkInput } from './link-spec.js';
import { type NeighbourSpec, type NeighbourVerb, neighbourRequest } from './neighbours.js';
import type { QdiscInput } from './qdiscs.js';
import { type RuleSpec, type RuleVerb, ruleRequest } from './rules.js';
import { explainMissingKind, explainMissingParent, readSpeed } from './tc-common.js';

/** One failed request of a committed batch. */
export interface BatchFailure {
  /** Its position in the batch (in the order the verbs were called). */
  index: number;
  /** 'route add', 'link set', ... */
  operation: string;
  /** What was given to the verb (for link set: { ref, spec }). */
  input: unknown;
  /** The kernel's refusal: code, errno, extack. */
  error: NetlinkError;
}

export interface CommitResult {
  /** Requests in the batch. */
  count: number;
  /** Requests sent (with onError 'stop': up to and including the one that failed). */
  sent: number;
  /** Requests the kernel applied (sent minus failed). */
  applied: number;
  /** The failures, in order. */
  errors: BatchFailure[];
}

export interface CommitOptions extends Pick<BatchOptions, 'window' | 'receiveBuffer'> {
  /**
   * 'continue' (default): send everything and collect every error. 'stop':
   * stop at the first error, so that exactly the requests before it are
   * applied (one round trip per request: the kernel carries on through a
   * datagram after an error).
   */
  onError?: 'continue' | 'stop';
}

/** Bad input in a batch: which request, and (in the message) which field. */
export class BatchEncodeError extends EncodeError {
  constructor(readonly index: number, readonly operation: string, readonly input: unknown, cause: EncodeError) {
    super(`batch[${index}].${cause.path}`, '');
    this.message = `batch request ${index} (${operation}): ${cause.message}`;
    this.cause = cause;
  }
}

/** What the encoders of one commit share: name lookups and the tc context. */
interface Ctx {
  ifindex: IfindexOf;
  /** Index → name (for a device's speed). */
  nameOf(index: number): string | undefined;
  bpfObjGet(path: string): number;
}

/** One family's verb: how an item becomes a message, and how it is named in errors. */
interface Op {
  readonly operation: string;
  readonly headerSize: number;
  encode(w: NetlinkWriter, item: Item, ctx: Ctx): void;
  explain?(err: NetlinkError, item: Item): NetlinkError;
}

interface Item { op: Op; input: unknown; ref?: LinkRef }

/** Thrown by a name lookup before the names are loaded: commit loads them and encodes again. */
const NEED_NAMES = Symbol('need link names');

// ── the families ────────────────────────────────────────────────────────

function message(w: NetlinkWriter, type: number, flags: number, body: () => void): void {
  const at = w.beginMessage(type, NLM_F_REQUEST | flags, 0, 0);
  body();
  w.endMessage(at);
}

/** A verb built on a pure Request builder (families whose batches are small: links, tc, neighbours, rules). */
function viaRequest(operation: string, headerSize: number, build: (item: Item, ctx: Ctx) => Request, explain?: Op['explain']): Op {
  return {
    operation, headerSize, explain,
    encode(w, item, ctx) {
      const req = build(item, ctx);
      message(w, req.type, req.flags ?? 0, () => { if (req.body) req.body(w); else if (req.payload) w.bytes(req.payload); });
    },
  };
}

const routeOpsTable = Object.fromEntries(Object.entries(routeOps).map(([verb, { type, flags }]) => [verb, {
  operation: `route ${verb}`, headerSize: routeMessage.headerSize,
  encode(w: NetlinkWriter, item: Item, ctx: Ctx) {
    const msg = routeMessageOf(verb as RouteOp, item.input as RouteInput, ctx.ifindex);
    message(w, type, flags, () => routeMessage.encodePayload(w, msg, 'route'));
  },
} satisfies Op])) as Record<RouteOp, Op>;

const addressOpsTable = Object.fromEntries(Object.entries(addressOps).map(([verb, { type, flags }]) => [verb, {
  operation: `address ${verb}`, headerSize: addressMessage.headerSize,
  encode(w: NetlinkWriter, item: Item, ctx: Ctx) {
    const msg = addressMessageOf(verb as AddressOp, item.input as AddressInput, ctx.ifindex);
    message(w, type, flags, () => addressMessage.encodePayload(w, msg, 'address'));
  },
} satisfies Op])) as Record<AddressOp, Op>;

/** A namespace by name or path is opened around a single request (LinkApi); a batch takes { fd } or { pid }. */
function linkInputOf(spec: LinkSpec, ctx: Ctx): ReturnType<typeof toLinkInput> {
  const ns = (spec as { netns?: unknown } | null)?.netns;
  if (ns !== undefined && (ns === null || typeof ns !== 'object' || !('fd' in ns || 'pid' in ns))) {
    throw new EncodeError('link.netns', `a batch moves links by { fd } or { pid }; open the namespace first (got ${describe(ns)})`);
  }
  return toLinkInput(spec, (name) => ctx.ifindex(name, 'link'));
}

const linkOps = {
  add: {
    operation: 'link add', headerSize: linkMessage.headerSize,
    encode(w: NetlinkWriter, item: Item, ctx: Ctx) {
      const spec = item.input as LinkSpec;
      checkNewLink(spec);
      const input = linkInputOf(spec, ctx);
      message(w, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, () => linkMessage.encodePayload(w, input, 'link'));
    },
  },
  set: {
    operation: 'link set', headerSize: linkMessage.headerSize,
    encode(w: NetlinkWriter, item: Item, ctx: Ctx) {
      const ref = checkLinkRef(item.ref, 'link');
      const spec = item.input as LinkSpec;
      // Selected by the name in the request itself, unless renamed: then by index.
      const renamed = typeof ref === 'string' && spec?.name !== undefined && spec.name !== ref;
      const selector = typeof ref === 'number' ? { index: ref } : renamed ? { index: ctx.ifindex(ref, 'link') } : { name: ref };
      const input = { ...selector, ...linkInputOf(spec, ctx) };
      message(w, RTM_NEWLINK, 0, () => linkMessage.encodePayload(w, input, 'link'));
    },
  },
  del: {
    operation: 'link del', headerSize: linkMessage.headerSize,
    encode(w: NetlinkWriter, item: Item) {
      const target = item.input as LinkDelTarget;
      let input;
      if (target !== null && typeof target === 'object') {
        if (!Number.isInteger(target.group)) throw new EncodeError('link.group', `expected a group number, got ${describe(target.group)}`);
        input = { group: target.group };
      } else {
        input = linkSelector(target as LinkRef);
      }
      message(w, RTM_DELLINK, 0, () => linkMessage.encodePayload(w, input, 'link'));
    },
  },
} satisfies Record<string, Op>;

const neighOp = (verb: NeighbourVerb): Op => viaRequest(`neigh ${verb}`, neighbourMessage.headerSize, (item, ctx) => {
  const spec = item.input as NeighbourSpec;
  const dev = spec?.dev === undefined ? undefined : ctx.ifindex(spec.dev, 'neigh.dev');
  return neighbourRequest(verb, { ...spec, dev });
});

const ruleOp = (verb: RuleVerb): Op => viaRequest(`rule ${verb}`, ruleMessage.headerSize, (item) => ruleRequest(verb, item.input as RuleSpec));

/** A tc verb: the device resolved, the options' device names and the device's speed looked up synchronously. */
function tcOp<S extends { ifindex: number }>(
  operation: string, build: (spec: S, ctx: EncodeContext) => Request, explain: (err: NetlinkError, spec: S) => unknown,
): Op {
  const specOf = (item: Item, ctx: Ctx): S => {
    const { dev, ...rest } = (item.input ?? {}) as { dev?: LinkRef };
    return { ...rest, ifindex: ctx.ifindex(dev as LinkRef, `${operation.split(' ')[0]}.dev`) } as unknown as S;
  };
  return viaRequest(operation, tcMessage.headerSize, (item, ctx) => {
    const spec = specOf(item, ctx);
    const name = (): string | undefined => ctx.nameOf(spec.ifindex);
    return build(spec, {
      ifindex: (n) => ctx.ifindex(n, `${operation.split(' ')[0]}.options`),
      speedMbit: () => { const dev = name(); return dev === undefined ? 0 : readSpeed(dev); },
      bpfObjGet: (path) => ctx.bpfObjGet(path),
    });
  }, (err, item) => {
    const spec = { ...(item.input as object), ifindex: 0 } as unknown as S;
    const out = explain(err, spec);
    return out instanceof NetlinkError ? out : err;
  });
}

const qdiscOp = (verb: TcVerb | 'link'): Op => tcOp<QdiscSpec>(`qdisc ${verb}`, (s, c) => qdiscRequest(verb, s, c),
  (err, s) => explainMissingKind(err, { qdisc: s.kind }));
const classOp = (verb: TcVerb): Op => tcOp<ClassSpec>(`class ${verb}`, (s, c) => classRequest(verb, s, c),
  (err, s) => explainMissingParent(explainMissingKind(err, { qdisc: s.kind }), s.parent));
const filterOp = (verb: TcVerb): Op => tcOp<FilterSpec>(`filter ${verb}`, (s, c) => filterRequest(verb, s, c), (err, s) => {
  const actions = actionKindsOf((s.options as { actions?: unknown } | undefined)?.actions);
  return explainMissingParent(explainMissingKind(err, { classifier: s.kind, actions }), s.parent);
});

const tcVerbs = <T>(make: (verb: TcVerb) => T): Record<TcVerb, T> =>
  ({ add: make('add'), change: make('change'), replace: make('replace'), delete: make('delete') });

const ops = {
  route: routeOpsTable,
  addr: addressOpsTable,
  link: linkOps,
  neigh: { add: neighOp('add'), replace: neighOp('replace'), change: neighOp('change'), delete: neighOp('delete') },
  rule: { add: ruleOp('add'), delete: ruleOp('delete') },
  qdisc: { ...tcVerbs(qdiscOp), link: qdiscOp('link') },
  class: tcVerbs(classOp),
  filter: tcVerbs(filterOp),
};

// ── the batch ───────────────────────────────────────────────────────────

/** What a batch needs from its client: the socket and one dump of the link names. */
export interface BatchDeps {
  socket: NetlinkSocket;
  /** name → index of every link (one dump). */
  linkNames(): Promise<Map<string, number>>;
}

export class Batch {
  private items: Item[] = [];

  constructor(private readonly deps: BatchDeps) {}

  /** Requests recorded so far. */
  get length(): number {
    return this.items.length;
  }

  private push(op: Op, input: unknown, ref?: LinkRef): this {
    this.items.push(ref === undefined ? { op, input } : { op, input, ref });
    return this;
  }

  /** Route changes, with the input RouteApi takes. */
  readonly route = {
    add: (r: RouteInput): Batch => this.push(ops.route.add, r),
    replace: (r: RouteInput): Batch => this.push(ops.route.replace, r),
    change: (r: RouteInput): Batch => this.push(ops.route.change, r),
    append: (r: RouteInput): Batch => this.push(ops.route.append, r),
    prepend: (r: RouteInput): Batch => this.push(ops.route.prepend, r),
    del: (r: RouteInput): Batch => this.push(ops.route.del, r),
    delete: (r: RouteInput): Batch => this.push(ops.route.del, r),
  };

  /** Address changes, with the input AddressApi takes. */
  readonly addr = {
    add: (a: AddressInput): Batch => this.push(ops.addr.add, a),
    replace: (a: AddressInput): Batch => this.push(ops.addr.replace, a),
    change: (a: AddressInput): Batch => this.push(ops.addr.change, a),
    del: (a: AddressInput): Batch => this.push(ops.addr.del, a),
    delete: (a: AddressInput): Batch => this.push(ops.addr.del, a),
  };

  /** Link changes, with the input LinkApi takes (a namespace as { fd } or { pid }). */
  readonly link = {
    add: (spec: LinkSpec): Batch => this.push(ops.link.add, spec),
    set: (ref: LinkRef, spec: LinkSpec): Batch => this.push(ops.link.set, spec, ref),
    setUp: (ref: LinkRef): Batch => this.push(ops.link.set, { up: true }, ref),
    setDown: (ref: LinkRef): Batch => this.push(ops.link.set, { up: false }, ref),
    del: (target: LinkDelTarget): Batch => this.push(ops.link.del, target),
    delete: (target: LinkDelTarget): Batch => this.push(ops.link.del, target),
  };

  readonly neigh = {
    add: (n: NeighbourSpec): Batch => this.push(ops.neigh.add, n),
    replace: (n: NeighbourSpec): Batch => this.push(ops.neigh.replace, n),
    change: (n: NeighbourSpec): Batch => this.push(ops.neigh.change, n),
    delete: (n: NeighbourSpec): Batch => this.push(ops.neigh.delete, n),
  };

  readonly rule = {
    add: (r: RuleSpec): Batch => this.push(ops.rule.add, r),
    delete: (r: RuleSpec): Batch => this.push(ops.rule.delete, r),
  };

  readonly qdisc = {
    add: (q: QdiscInput): Batch => this.push(ops.qdisc.add, q),
    change: (q: QdiscInput): Batch => this.push(ops.qdisc.change, q),
    replace: (q: QdiscInput): Batch => this.push(ops.qdisc.replace, q),
    link: (q: QdiscInput): Batch => this.push(ops.qdisc.link, q),
    delete: (q: QdiscInput): Batch => this.push(ops.qdisc.delete, q),
  };

  readonly class = {
    add: (c: ClassInput): Batch => this.push(ops.class.add, c),
    change: (c: ClassInput): Batch => this.push(ops.class.change, c),
    replace: (c: ClassInput): Batch => this.push(ops.class.replace, c),
    delete: (c: ClassInput): Batch => this.push(ops.class.delete, c),
  };

  readonly filter = {
    add: (f: FilterInput): Batch => this.push(ops.filter.add, f),
    change: (f: FilterInput): Batch => this.push(ops.filter.change, f),
    replace: (f: FilterInput): Batch => this.push(ops.filter.replace, f),
    delete: (f: FilterInput): Batch => this.push(ops.filter.delete, f),
  };

  /** Forgets the recorded requests. */
  clear(): void {
    this.items = [];
  }

  /**
   * Encodes everything (an EncodeError naming the request before anything
   * is sent), sends it, and reports each kernel refusal with its request.
   * The batch is empty afterwards, ready for more.
   */
  async commit(opts: CommitOptions = {}): Promise<CommitResult> {
    const items = this.items;
    this.items = [];
    let names: Map<string, number> | undefined;
    let byIndex: Map<number, string> | undefined;
    const opened: number[] = [];
    const ctx: Ctx = {
      ifindex: (ref, path) => {
        if (typeof ref !== 'string') return checkIndex(ref, path);
        checkIfname(ref, path);
        if (names === undefined) throw NEED_NAMES;
        const i = names.get(ref);
        if (i === undefined) throw new EncodeError(path, `there is no interface named "${ref}"`);
        return i;
      },
      nameOf: (index) => {
        if (names === undefined) throw NEED_NAMES;
        byIndex ??= new Map([...names].map(([n, i]) => [i, n]));
        return byIndex.get(index);
      },
      bpfObjGet: (path) => { const fd = bpfObjGet(path); opened.push(fd); return fd; },
    };
    try {
      let enc: EncodedBatch;
      try {
        enc = encodeAll(items, ctx);
      } catch (err) {
        if (err !== NEED_NAMES) throw err;
        names = await this.deps.linkNames();
        enc = encodeAll(items, ctx);
      }
      const r = await this.deps.socket.batchEncoded(enc, opts);
      const errors = r.errors.map((error): BatchFailure => {
        const index = error.index ?? 0;
        const item = items[index]!;
        return {
          index, operation: item.op.operation,
          input: item.ref === undefined ? item.input : { ref: item.ref, spec: item.input },
          error: item.op.explain?.(error, item) ?? error,
        };
      });
      return { count: items.length, sent: r.sent, applied: r.sent - errors.length, errors };
    } finally {
      for (const fd of opened) closeSync(fd);
    }
  }
}

/** Every request into one buffer; bad input becomes a BatchEncodeError naming the request. */
function encodeAll(items: readonly Item[], ctx: Ctx): EncodedBatch {
  const w = new NetlinkWriter(Math.max(4096, Math.min(items.length * 64, 64 << 20)));
  const starts = new Uint32Array(items.length + 1);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    starts[i] = w.length;
    try {
      item.op.encode(w, item, ctx);
    } catch (err) {
      if (err instanceof EncodeError) throw new BatchEncodeError(i, item.op.operation, item.ref === undefined ? item.input : { ref: item.ref, spec: item.input }, err);
      throw err;
    }
  }
  starts[items.length] = w.length;
  return {
    buf: w.view(), starts, count: items.length,
    describe: (i) => ({ operation: `${items[i]!.op.operation} (batch request ${i})`, headerSize: items[i]!.op.headerSize }),
  };
}
