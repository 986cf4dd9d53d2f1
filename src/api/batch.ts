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
import { NLM_F_REQUEST } from '../generated/linux/netlink.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { NetlinkWriter } from '../netlink/writer.js';
import type { Request } from '../netlink/request.js';
import { checkIfname } from '../rtnl/codecs.js';
import { checkIndex } from '../rtnl/route-input.js';
import type { BatchOptions, EncodedBatch, Requester } from '../socket/netlink-socket.js';
import type { BuildContext, ChangeOps } from './family.js';
import { families } from './families/index.js';
import type { LinkInput, LinkRef } from './link-spec.js';
import { readSpeed } from './tc-common.js';

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

/** What a commit did: the requests sent and the errors of those that failed. */
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

/** How a commit sends: its window, receive buffer, signal and time limit. */
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

/**
 * One verb of one family as a batch records it: the family's builder (its
 * descriptor's), and how errors name it. Method syntax: an Op of one family's
 * input is kept among the others, its input recorded by its own typed verb.
 */
interface Op<I = unknown> {
  readonly operation: string;
  readonly headerSize: number;
  build(input: I, ctx: BuildContext): Request;
  explain?(err: NetlinkError, input: I): NetlinkError;
}

/** Change builders of a family, keyed by verb. */
type Changes<M> = { readonly [C in keyof M]: Op<M[C]> };

/** A batch verb for each change verb a family's descriptor builds. */
function changesOf<M>(family: { kind: string; schema: { headerSize: number }; change?: ChangeOps<M> }): Changes<M> {
  if (!family.change) throw new Error(`${family.kind} has no change builders`);
  const { build, explain } = family.change;
  const out: Partial<Record<keyof M, Op<M[keyof M]>>> = {};
  for (const verb of Object.keys(build).filter((k): k is keyof M & string => Object.hasOwn(build, k))) {
    out[verb] = { operation: `${family.kind} ${verb}`, headerSize: family.schema.headerSize, build: build[verb], explain };
  }
  // Every verb of the builder table was filled in just above.
  return out as Changes<M>;
}

const ops = {
  route: changesOf(families.route),
  addr: changesOf(families.address),
  link: changesOf(families.link),
  neigh: changesOf(families.neigh),
  rule: changesOf(families.rule),
  qdisc: changesOf(families.qdisc),
  class: changesOf(families.class),
  filter: changesOf(families.filter),
  nexthop: changesOf(families.nexthop),
  addrlabel: changesOf(families.addrlabel),
};

// ── the batch ───────────────────────────────────────────────────────────

/** One function per verb of a family: each records its input. */
export type BatchVerbs<M> = { readonly [C in keyof M]: (input: M[C]) => Batch };

/** What a batch needs from its client: the socket and one dump of the link names. */
export interface BatchDeps {
  socket: Requester;
  /** name → index of every link (one dump). */
  linkNames(): Promise<Map<string, number>>;
}

/** Changes of any family recorded now and sent pipelined by `commit()`, many to a datagram: made by `nl.batch()`. */
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
  private verbs<M>(table: Changes<M>): BatchVerbs<M> {
    const out: Partial<Record<keyof M, (input: M[keyof M]) => Batch>> = {};
    for (const v of Object.keys(table).filter((k): k is keyof M & string => Object.hasOwn(table, k))) out[v] = (input) => this.push(table[v], input);
    // Every verb of the table was filled in just above.
    return out as BatchVerbs<M>;
  }

  /** Route changes, with the input nl.route takes. */
  readonly route = this.verbs(ops.route);
  /** Address changes, with the input nl.addr takes. */
  readonly addr = this.verbs(ops.addr);
  /** Link changes, with the input nl.link takes (a namespace as { fd } or { pid }). */
  readonly link = {
    ...this.verbs(ops.link),
    set: (ref: LinkRef, spec: LinkInput): Batch => this.push(ops.link.set, { ref, spec }),
    setUp: (ref: LinkRef): Batch => this.push(ops.link.set, { ref, spec: { up: true } }),
    setDown: (ref: LinkRef): Batch => this.push(ops.link.set, { ref, spec: { up: false } }),
  };
  readonly neigh = this.verbs(ops.neigh);
  readonly rule = this.verbs(ops.rule);
  readonly qdisc = this.verbs(ops.qdisc);
  readonly class = this.verbs(ops.class);
  readonly filter = this.verbs(ops.filter);
  /** Nexthop objects (docs/nexthops.md): add/replace take the input nl.nexthop takes, delete an id. */
  readonly nexthop = this.verbs(ops.nexthop);
  /** IPv6 address labels (docs/netconf.md). */
  readonly addrlabel = this.verbs(ops.addrlabel);

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
    const ctx: BuildContext = {
      ifindex: (ref, path) => {
        if (typeof ref !== 'string') return checkIndex(ref, path);
        checkIfname(ref, path);
        if (names === undefined) { unresolved = true; return 1; }
        const i = names.get(ref);
        if (i === undefined) throw new EncodeError(path, `there is no interface named "${ref}"`);
        return i;
      },
      // A placeholder until the names are loaded (the index may be one too); then the device's own.
      speedMbit: (index) => {
        if (names === undefined) { unresolved = true; return 1000; }
        byIndex ??= new Map([...names].map(([n, i]) => [i, n]));
        const name = byIndex.get(index);
        return name === undefined ? 0 : readSpeed(name);
      },
      bpfObjGet: (path) => { const fd = bpfObjGet(path); opened.push(fd); return fd; },
    };
    try {
      // Build (and check) every message; only when some named a link are the
      // names loaded (one dump) and the messages built again with them. Each
      // message is encoded once, into the batch buffer.
      let reqs = buildAll(opList, inputs, ctx);
      if (unresolved) {
        names = await this.deps.linkNames();
        reqs = buildAll(opList, inputs, ctx);
      }
      const enc = encodeAll(opList, inputs, reqs);
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
function buildAll(ops: readonly Op[], inputs: readonly unknown[], ctx: BuildContext): Request[] {
  return ops.map((op, i) => naming(ops, inputs, i, () => op.build(inputs[i], ctx)));
}

/** Every request into one buffer: each message encoded once, in place. */
function encodeAll(ops: readonly Op[], inputs: readonly unknown[], reqs: readonly Request[]): EncodedBatch {
  const n = ops.length;
  const w = new NetlinkWriter(Math.max(4096, Math.min(n * 64, 64 << 20)));
  const starts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    starts[i] = w.length;
    const req = reqs[i]!;
    naming(ops, inputs, i, () => {
      const at = w.beginMessage(req.type, NLM_F_REQUEST | (req.flags ?? 0), 0, 0);
      if (req.body) req.body(w);
      else if (req.payload) w.bytes(req.payload);
      w.endMessage(at);
    });
  }
  starts[n] = w.length;
  return {
    buf: w.view(), starts, count: n,
    describe: (i) => ({ operation: `${ops[i]!.operation} (batch request ${i})`, headerSize: ops[i]!.headerSize }),
  };
}
