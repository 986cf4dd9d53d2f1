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
import type { BuildContext, FamilyDescriptor } from './family.js';
import { bridgeFamilies } from './families/bridge.js';
import type { BridgePortInput } from './bridge.js';
import type { LinkDelTarget } from './families/link.js';
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

/** A builder of a descriptor's change table, its input type forgotten (a batch records inputs its typed verbs took). */
type AnyBuilder = (input: never, ctx: BuildContext) => Request;
const isBuilder = (v: unknown): v is AnyBuilder => typeof v === 'function';

/** A batch op for each change verb a family's descriptor builds, by verb. */
function changesOf(family: { kind: string; schema: { headerSize: number }; change?: { readonly build: object; explain?(err: NetlinkError, input: never): NetlinkError } }): Map<string, Op> {
  const out = new Map<string, Op>();
  if (!family.change) return out;
  const { build, explain } = family.change;
  for (const [verb, fn] of Object.entries(build)) {
    if (isBuilder(fn)) out.set(verb, { operation: `${family.kind} ${verb}`, headerSize: family.schema.headerSize, build: fn, explain });
  }
  return out;
}

/** The change inputs of a family (`M`: verb → input). */
export type ChangeInputsOf<D> = D extends FamilyDescriptor<infer _T, string, infer _V, infer M, infer _F, infer _G> ? M : never;
/** The name a family has on a batch and on the client (`nl.addr`, `b.addr`): its descriptor's name, but for addresses; the MDB is under `bridge`. */
export type BatchName<K> = K extends 'address' ? 'addr' : K extends 'mdb' ? never : K;
const batchName = (k: string): string | undefined => (k === 'address' ? 'addr' : k === 'mdb' ? undefined : k);

/** The batch verbs of every family that has change builders, by its batch name (links have their own shape). */
export type FamilyBatchVerbs = {
  readonly [K in Exclude<keyof typeof families, 'link'> as keyof ChangeInputsOf<(typeof families)[K]> extends never ? never : BatchName<K>]: BatchVerbs<ChangeInputsOf<(typeof families)[K]>>;
} & {
  /** The bridge's changes, as nl.bridge has them: fdb, vlan and mdb verbs, and link.set(dev, options). */
  readonly bridge: { readonly [K in Exclude<keyof typeof bridgeFamilies, 'link'>]: BatchVerbs<ChangeInputsOf<(typeof bridgeFamilies)[K]>> } & {
    readonly link: {
      /** Records `bridge link set dev DEV ...`: a bridge port's options (cost, priority, learning...). */
      set(dev: LinkRef, options: BridgePortInput): Batch;
    };
  };
};

/** Every family's batch ops, by its batch name. */
const ops = new Map<string, Map<string, Op>>();
for (const [k, family] of Object.entries(families)) {
  const name = batchName(k);
  if (name !== undefined) ops.set(name, changesOf(family));
}
const bridgeOps = new Map(Object.entries(bridgeFamilies).map(([k, family]) => [k, changesOf(family)]));
const linkOps = ops.get('link')!;
const linkOp = (verb: string): Op => linkOps.get(verb)!;
const portSet = bridgeOps.get('link')!.get('set')!;

// ── the batch ───────────────────────────────────────────────────────────

/** One function per verb of a family: each records its input. */
export type BatchVerbs<M> = { readonly [C in keyof M]: (input: M[C]) => Batch };

/** What a batch needs from its client: the socket and one dump of the link names. */
export interface BatchDeps {
  socket: Requester;
  /** name → index of every link (one dump). */
  linkNames(): Promise<Map<string, number>>;
}

/** The derived verbs of every family but links, as properties of the batch: `b.route.add(...)`, `b.addr.delete(...)`. */
export interface Batch extends FamilyBatchVerbs {}

/** Changes of any family recorded now and sent pipelined by `commit()`, many to a datagram: made by `nl.batch()`. */
export class Batch {
  /** The recorded requests, as two parallel lists (no object per request). */
  private ops: Op[] = [];
  private inputs: unknown[] = [];

  constructor(private readonly deps: BatchDeps) {
    // Every other family's verbs, derived from its descriptor's change builders (typed by FamilyBatchVerbs).
    for (const [name, table] of ops) if (name !== 'link' && table.size > 0) Object.assign(this, { [name]: this.verbs(table) });
    const bridge: Record<string, unknown> = { link: { set: (dev: LinkRef, options: BridgePortInput): Batch => this.push(portSet, { dev, options }) } };
    for (const [name, table] of bridgeOps) if (name !== 'link') bridge[name] = this.verbs(table);
    Object.assign(this, { bridge });
  }

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
  private verbs(table: Map<string, Op>): Record<string, (input: unknown) => Batch> {
    const out: Record<string, (input: unknown) => Batch> = {};
    for (const [verb, op] of table) out[verb] = (input) => this.push(op, input);
    return out;
  }

  /** Link changes, with the input nl.link takes (a namespace as { fd } or { pid }). */
  readonly link = {
    /** Records `ip link add`: a new link of the input's kind. */
    add: (input: LinkInput): Batch => this.push(linkOp('add'), input),
    /** Records `ip link set REF ...`: the spec's properties on an existing link (by name or index). */
    set: (ref: LinkRef, spec: LinkInput): Batch => this.push(linkOp('set'), { ref, spec }),
    /** Records `ip link set REF up`. */
    setUp: (ref: LinkRef): Batch => this.push(linkOp('set'), { ref, spec: { up: true } }),
    /** Records `ip link set REF down`. */
    setDown: (ref: LinkRef): Batch => this.push(linkOp('set'), { ref, spec: { up: false } }),
    /** Records `ip link delete`: one link by name or index, or every link of `{ group }`. */
    delete: (target: LinkDelTarget): Batch => this.push(linkOp('delete'), target),
    /** The same as `delete` (iproute2's `ip link del`). */
    del: (target: LinkDelTarget): Batch => this.push(linkOp('del'), target),
  };

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
