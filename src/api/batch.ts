// Typed batches: many changes of any family sent as pipelined requests.
//
//   const b = nl.batch();
//   for (const dst of prefixes) b.route.add({ dst, dev: 'eth0' });
//   b.addr.add({ dev: 'eth0', address: '198.18.0.1/24' });
//   const r = await b.commit();            // or commit({ onError: 'stop' })
//   for (const f of r.errors) console.log(f.index, f.input, f.error.code);
//
// A verb only records its input. commit() builds and checks every message,
// resolves interface names, then encodes each message once, straight into one
// buffer, so bad input anywhere fails the whole batch before anything is
// sent, with an EncodeError naming the request and the field. Interface names
// are resolved once, by one link dump, and only when some request names a
// link (then the messages are built again with the indexes); a link created by the
// same batch is reached by name only where the request itself carries the
// name (link set and del do, routes and addresses need an index). The socket
// then packs the requests into large datagrams, asks for an ACK only at the
// end of each, and bounds what it leaves unread by the receive buffer.
import { closeSync } from 'node:fs';
import { bpfObjGet } from '../ffi/bpf.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../generated/linux/netlink.js';
import { RTM_DELLINK, RTM_NEWLINK } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { NetlinkWriter } from '../netlink/writer.js';
import { type AddressInput, type AddressOp, addressMessageOf, addressOps } from '../rtnl/address-input.js';
import { addressMessage } from '../rtnl/address.js';
import { checkIfname } from '../rtnl/codecs.js';
import { linkMessage } from '../rtnl/link.js';
import { type IfindexOf, type RouteInput, type RouteOp, checkIndex, routeMessageOf, routeOps } from '../rtnl/route-input.js';
import { routeMessage } from '../rtnl/route.js';
import { neighbourMessage } from '../rtnl/neighbour.js';
import { ruleMessage } from '../rtnl/rule.js';
import { tcMessage } from '../rtnl/tc/tcmsg.js';
import { type ClassSpec, classRequest } from '../rtnl/tc/class.js';
import { type FilterSpec, filterRequest } from '../rtnl/tc/filter.js';
import type { EncodeContext } from '../rtnl/tc/kind.js';
import { type QdiscSpec, type TcVerb, qdiscRequest } from '../rtnl/tc/qdisc.js';
import { actionKindsOf } from '../rtnl/tc/actions/action.js';
import type { Request } from '../netlink/request.js';
import type { BatchOptions, EncodedBatch, Requester } from '../socket/netlink-socket.js';
import type { ClassInput } from './classes.js';
import type { FilterInput } from './filters.js';
import { type LinkDelTarget, type LinkRef, type LinkSpec, checkNewLink, linkSelector } from './links.js';
import { checkLinkRef, toLinkInput } from './link-spec.js';
import { type NeighbourSpec, type NeighbourVerb, neighbourRequest } from './neighbours.js';
import type { QdiscInput } from './qdiscs.js';
import { type RuleSpec, type RuleVerb, ruleRequest } from './rules.js';
import { type NexthopObjectInput, type NexthopVerb, nexthopRequest } from './nexthops.js';
import { nexthopMessage } from '../rtnl/nexthop.js';
import { type AddrlabelInput, type AddrlabelVerb, addrlabelRequest } from './addrlabels.js';
import { addrlabelMessage } from '../rtnl/addrlabel.js';
import type { MessageEncoder } from './requests.js';
import { explainMissingKind, explainMissingParent, readSpeed } from './tc-common.js';
import type { FamilyDescriptor, Verb } from './family.js';
import { families } from './families/index.js';

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

export interface CommitOptions extends Pick<BatchOptions, 'window' | 'receiveBuffer' | 'signal' | 'timeoutMs'> {
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

/** Writes one built message into the batch buffer. */
type Emit = (w: NetlinkWriter) => void;

/**
 * One family's verb: how an item becomes a message (built and checked by
 * `build`, names resolved through `ctx`; written by the Emit it returns), and
 * how it is named in errors.
 */
interface Op<I = unknown> {
  readonly operation: string;
  readonly headerSize: number;
  // Method syntax: an Op<RouteInput> is kept among Op<unknown>s, its input recorded by its own typed verb.
  build(input: I, ctx: Ctx): Emit;
  explain?(err: NetlinkError, input: I): NetlinkError;
}

/** What link set records: the link and the change. */
interface LinkSet { ref: LinkRef; spec: LinkSpec }


// ── the families ────────────────────────────────────────────────────────

function message(w: NetlinkWriter, type: number, flags: number, body: () => void): void {
  const at = w.beginMessage(type, NLM_F_REQUEST | flags, 0, 0);
  body();
  w.endMessage(at);
}

/** A verb built on a pure Request builder (families whose batches are small: links, tc, neighbours, rules). */
function viaRequest<I>(operation: string, headerSize: number, build: (input: I, ctx: Ctx) => Request, explain?: Op<I>['explain']): Op<I> {
  return {
    operation, headerSize, explain,
    build(input, ctx) {
      const req = build(input, ctx);
      return (w) => message(w, req.type, req.flags ?? 0, () => { if (req.body) req.body(w); else if (req.payload) w.bytes(req.payload); });
    },
  };
}

/** Verbs whose messages come from a friendly-input builder and one schema (routes, addresses): encoded in place. */
function schemaOps<V extends string, I, M>(
  family: string, table: Record<V, { type: number; flags: number }>, schema: MessageEncoder<M>,
  messageOf: (verb: V, input: I, ifindex: IfindexOf) => M,
): Record<V, Op<I>> {
  const ops: Partial<Record<V, Op<I>>> = {};
  for (const verb of Object.keys(table).filter((k): k is V => Object.hasOwn(table, k))) {
    const { type, flags } = table[verb];
    ops[verb] = {
      operation: `${family} ${verb}`, headerSize: schema.headerSize,
      build(input, ctx) {
        const msg = messageOf(verb, input, ctx.ifindex);
        return (w) => message(w, type, flags, () => schema.encodePayload(w, msg, schema.name));
      },
    };
  }
  // Every key of the table was filled in just above.
  return ops as Record<V, Op<I>>;
}

const routeOpsTable = schemaOps('route', routeOps, routeMessage, (v: RouteOp, r: RouteInput, i) => routeMessageOf(v, r, i));
const addressOpsTable = schemaOps('address', addressOps, addressMessage, (v: AddressOp, a: AddressInput, i) => addressMessageOf(v, a, i));

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
    build(spec: LinkSpec, ctx: Ctx): Emit {
      checkNewLink(spec);
      const msg = linkInputOf(spec, ctx);
      return (w) => message(w, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, () => linkMessage.encodePayload(w, msg, 'link'));
    },
  },
  set: {
    operation: 'link set', headerSize: linkMessage.headerSize,
    build(input: LinkSet, ctx: Ctx): Emit {
      const ref = checkLinkRef(input.ref, 'link');
      const spec = input.spec;
      // Selected by the name in the request itself, unless renamed: then by index.
      const renamed = typeof ref === 'string' && spec?.name !== undefined && spec.name !== ref;
      const selector = typeof ref === 'number' ? { index: ref } : renamed ? { index: ctx.ifindex(ref, 'link') } : { name: ref };
      const msg = { ...selector, ...linkInputOf(spec, ctx) };
      return (w) => message(w, RTM_NEWLINK, 0, () => linkMessage.encodePayload(w, msg, 'link'));
    },
  },
  del: {
    operation: 'link del', headerSize: linkMessage.headerSize,
    build(target: LinkDelTarget): Emit {
      let msg;
      if (target !== null && typeof target === 'object') {
        if (!Number.isInteger(target.group)) throw new EncodeError('link.group', `expected a group number, got ${describe(target.group)}`);
        msg = { group: target.group };
      } else {
        msg = linkSelector(target);
      }
      return (w) => message(w, RTM_DELLINK, 0, () => linkMessage.encodePayload(w, msg, 'link'));
    },
  },
};

const neighOp = (verb: NeighbourVerb): Op<NeighbourSpec> => viaRequest(`neigh ${verb}`, neighbourMessage.headerSize, (spec: NeighbourSpec, ctx) => {
  const dev = spec?.dev === undefined ? undefined : ctx.ifindex(spec.dev, 'neigh.dev');
  return neighbourRequest(verb, { ...spec, dev });
});

const ruleOp = (verb: RuleVerb): Op<RuleSpec> => viaRequest(`rule ${verb}`, ruleMessage.headerSize, (input: RuleSpec) => ruleRequest(verb, input));

const addrlabelOp = (verb: AddrlabelVerb): Op<AddrlabelInput> => viaRequest(`addrlabel ${verb}`, addrlabelMessage.headerSize, (input: AddrlabelInput, ctx) =>
  addrlabelRequest(verb, { ...input, dev: input?.dev === undefined ? undefined : ctx.ifindex(input.dev, 'addrlabel.dev') }));

/** add/replace take a NexthopObjectInput (dev by name or index), delete an id (or { id }). */
const nexthopOp = (verb: NexthopVerb): Op<NexthopObjectInput | number> => viaRequest(`nexthop ${verb}`, nexthopMessage.headerSize, (input: NexthopObjectInput | number, ctx) => {
  if (verb === 'delete') return nexthopRequest('delete', input as number);
  const nh = input as NexthopObjectInput;
  return nexthopRequest(verb, nh?.dev === undefined ? nh as NexthopObjectInput<number> : { ...nh, dev: ctx.ifindex(nh.dev, 'nexthop.dev') });
});

/** A tc verb: the device resolved, the options' device names and the device's speed looked up synchronously. */
function tcOp<S extends { ifindex: number }>(
  operation: string, build: (spec: S, ctx: EncodeContext) => Request, explain: (err: NetlinkError, spec: S) => unknown,
): Op {
  const specOf = (input: unknown, ctx: Ctx): S => {
    const { dev, ...rest } = (input ?? {}) as { dev?: LinkRef };
    return { ...rest, ifindex: ctx.ifindex(dev as LinkRef, `${operation.split(' ')[0]}.dev`) } as unknown as S;
  };
  return viaRequest(operation, tcMessage.headerSize, (input, ctx) => {
    const spec = specOf(input, ctx);
    const name = (): string | undefined => ctx.nameOf(spec.ifindex);
    return build(spec, {
      ifindex: (n) => ctx.ifindex(n, `${operation.split(' ')[0]}.options`),
      speedMbit: () => { const dev = name(); return dev === undefined ? 0 : readSpeed(dev); },
      bpfObjGet: (path) => ctx.bpfObjGet(path),
    });
  }, (err, input) => {
    const spec = { ...(input as object), ifindex: 0 } as unknown as S;
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

/** The verbs that change something. */
type ChangeVerb = Extract<Verb, 'add' | 'set' | 'change' | 'replace' | 'delete'>;
const CHANGE_VERBS: readonly Verb[] = ['add', 'set', 'change', 'replace', 'delete'];
const isChange = <V extends Verb>(v: V): v is Extract<V, ChangeVerb> => CHANGE_VERBS.includes(v);

/** A batch verb for each change verb the family's descriptor lists. */
function changeVerbs<V extends Verb>(family: Pick<FamilyDescriptor<unknown, string, V>, 'verbs'>, make: (verb: Extract<V, ChangeVerb>) => Op): Record<Extract<V, ChangeVerb>, Op> {
  const table: Partial<Record<Extract<V, ChangeVerb>, Op>> = {};
  for (const v of family.verbs) if (isChange(v)) table[v] = make(v);
  // Every change verb of V was filled in just above.
  return table as Record<Extract<V, ChangeVerb>, Op>;
}

const ops = {
  route: { ...routeOpsTable, delete: routeOpsTable.del },
  addr: { ...addressOpsTable, delete: addressOpsTable.del },
  link: linkOps,
  neigh: changeVerbs(families.neigh, neighOp),
  rule: changeVerbs(families.rule, ruleOp),
  nexthop: changeVerbs(families.nexthop, nexthopOp),
  addrlabel: changeVerbs(families.addrlabel, addrlabelOp),
  qdisc: { ...changeVerbs(families.qdisc, qdiscOp), link: qdiscOp('link') },
  class: changeVerbs(families.class, classOp),
  filter: changeVerbs(families.filter, filterOp),
};

// ── the batch ───────────────────────────────────────────────────────────

/** One function per verb of a family. */
export type BatchVerbs<T, I> = { readonly [K in keyof T]: (input: I) => Batch };

/** What a batch needs from its client: the socket and one dump of the link names. */
export interface BatchDeps {
  socket: Requester;
  /** name → index of every link (one dump). */
  linkNames(): Promise<Map<string, number>>;
}

export class Batch {
  /** The recorded requests, as two parallel lists (no object per request). */
  private ops: Op[] = [];
  private inputs: unknown[] = [];

  constructor(private readonly deps: BatchDeps) {}

  /** Requests recorded so far. */
  get length(): number {
    return this.ops.length;
  }

  private push(op: Op, input: unknown): this {
    this.ops.push(op);
    this.inputs.push(input);
    return this;
  }

  /** A verb per entry of a family's table, each recording its input. */
  private verbs<I, T extends Record<string, Op>>(table: T): BatchVerbs<T, I> {
    return Object.fromEntries(Object.keys(table).map((v) => [v, (input: I): Batch => this.push(table[v]!, input)])) as unknown as BatchVerbs<T, I>;
  }

  /** Route changes, with the input RouteApi takes. */
  readonly route = this.verbs<RouteInput, typeof ops.route>(ops.route);
  /** Address changes, with the input AddressApi takes. */
  readonly addr = this.verbs<AddressInput, typeof ops.addr>(ops.addr);
  /** Link changes, with the input LinkApi takes (a namespace as { fd } or { pid }). */
  readonly link = {
    add: (spec: LinkSpec): Batch => this.push(ops.link.add, spec),
    set: (ref: LinkRef, spec: LinkSpec): Batch => this.push(ops.link.set, { ref, spec } satisfies LinkSet),
    setUp: (ref: LinkRef): Batch => this.push(ops.link.set, { ref, spec: { up: true } } satisfies LinkSet),
    setDown: (ref: LinkRef): Batch => this.push(ops.link.set, { ref, spec: { up: false } } satisfies LinkSet),
    del: (target: LinkDelTarget): Batch => this.push(ops.link.del, target),
    delete: (target: LinkDelTarget): Batch => this.push(ops.link.del, target),
  };
  readonly neigh = this.verbs<NeighbourSpec, typeof ops.neigh>(ops.neigh);
  readonly rule = this.verbs<RuleSpec, typeof ops.rule>(ops.rule);
  /** Nexthop objects: add/replace take what NexthopApi.add takes, delete an id. */
  readonly nexthop = this.verbs<NexthopObjectInput | number, typeof ops.nexthop>(ops.nexthop);
  readonly addrlabel = this.verbs<AddrlabelInput, typeof ops.addrlabel>(ops.addrlabel);
  readonly qdisc = this.verbs<QdiscInput, typeof ops.qdisc>(ops.qdisc);
  readonly class = this.verbs<ClassInput, typeof ops.class>(ops.class);
  readonly filter = this.verbs<FilterInput, typeof ops.filter>(ops.filter);

  /** Forgets the recorded requests. */
  clear(): void {
    this.ops = [];
    this.inputs = [];
  }

  /**
   * Encodes everything (an EncodeError naming the request before anything
   * is sent), sends it, and reports each kernel refusal with its request.
   * The batch is empty afterwards, ready for more.
   */
  async commit(opts: CommitOptions = {}): Promise<CommitResult> {
    const { ops: opList, inputs } = this;
    this.clear();
    let names: Map<string, number> | undefined;
    let byIndex: Map<number, string> | undefined;
    /** Whether a build asked for a name before the names were loaded (its message holds a placeholder). */
    let unresolved = false;
    const opened: number[] = [];
    const ctx: Ctx = {
      ifindex: (ref, path) => {
        if (typeof ref !== 'string') return checkIndex(ref, path);
        checkIfname(ref, path);
        if (names === undefined) { unresolved = true; return 1; }
        const i = names.get(ref);
        if (i === undefined) throw new EncodeError(path, `there is no interface named "${ref}"`);
        return i;
      },
      nameOf: (index) => {
        if (names === undefined) { unresolved = true; return undefined; }
        byIndex ??= new Map([...names].map(([n, i]) => [i, n]));
        return byIndex.get(index);
      },
      bpfObjGet: (path) => { const fd = bpfObjGet(path); opened.push(fd); return fd; },
    };
    try {
      // Build (and check) every message; only when some named a link are the
      // names loaded (one dump) and the messages built again with them. Each
      // message is encoded once, into the batch buffer.
      let emits = buildAll(opList, inputs, ctx);
      if (unresolved) {
        names = await this.deps.linkNames();
        emits = buildAll(opList, inputs, ctx);
      }
      const enc = encodeAll(opList, inputs, emits);
      const r = await this.deps.socket.batchEncoded(enc, opts);
      const errors = r.errors.map((error): BatchFailure => {
        const index = error.index ?? 0;
        const op = opList[index]!;
        const input = inputs[index];
        return { index, operation: op.operation, input, error: op.explain?.(error, input) ?? error };
      });
      return { count: opList.length, sent: r.sent, applied: r.sent - errors.length, errors };
    } finally {
      for (const fd of opened) closeSync(fd);
    }
  }
}

/** Bad input in request i becomes a BatchEncodeError naming it. */
function naming<T>(ops: readonly Op[], inputs: readonly unknown[], i: number, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof EncodeError) throw new BatchEncodeError(i, ops[i]!.operation, inputs[i], err);
    throw err;
  }
}

/** Every message built and checked, not yet written. */
function buildAll(ops: readonly Op[], inputs: readonly unknown[], ctx: Ctx): Emit[] {
  return ops.map((op, i) => naming(ops, inputs, i, () => op.build(inputs[i], ctx)));
}

/** Every request into one buffer. */
function encodeAll(ops: readonly Op[], inputs: readonly unknown[], emits: readonly Emit[]): EncodedBatch {
  const n = ops.length;
  const w = new NetlinkWriter(Math.max(4096, Math.min(n * 64, 64 << 20)));
  const starts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    starts[i] = w.length;
    naming(ops, inputs, i, () => emits[i]!(w));
  }
  starts[n] = w.length;
  return {
    buf: w.view(), starts, count: n,
    describe: (i) => ({ operation: `${ops[i]!.operation} (batch request ${i})`, headerSize: ops[i]!.headerSize }),
  };
}
