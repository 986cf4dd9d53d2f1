// The verb engine: the client's verbs of every family, derived from its
// descriptor (docs/architecture.md, "Data path of a request"). A change is
// resolved, then built once, then encoded once (by the socket, into the
// datagram it sends): names the client's cache knows are answered in the
// first build; only when some are not is the message checked (so bad input
// fails before any lookup), the names looked up, and the message built again.
import { closeSync } from 'node:fs';
import { bpfObjGet } from '../ffi/bpf.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { NetlinkWriter } from '../netlink/writer.js';
import type { Request } from '../netlink/request.js';
import { checkLinkName } from '../rtnl/codecs.js';
import { checkIndex } from '../rtnl/route-input.js';
import type { Requester } from '../socket/netlink-socket.js';
import type { BuildContext, FamilyDescriptor, QueryContext, Verb } from './family.js';
import { type DumpQuery, listOf, streamOf } from './dump-verbs.js';
import { type NameCache, type Resolve, retryStale } from './name-cache.js';
import { deleting } from './not-found.js';
import { readSpeed } from './tc-common.js';

/** What a client gives the engine. */
export interface EngineDeps {
  sock: Requester;
  resolve: Resolve;
  names?: NameCache;
  /** Index → name (a device's speed is read by name). */
  nameOf(index: number): Promise<string>;
  /** Every link's index (kinds the kernel lists per device). */
  linkIndexes(): Promise<number[]>;
}

/** The default report of a name the kernel does not know: an EncodeError naming the field. */
function unknownName(err: unknown, name: string, path: string): unknown {
  return err instanceof NetlinkError && err.code === 'ENODEV' ? new EncodeError(path, `there is no interface named "${name}"`) : err;
}

const scratch = new NetlinkWriter();

/** Encodes a request once and drops the bytes, naming its operation as the socket does. */
function check(req: Request): void {
  scratch.reset();
  try {
    req.body?.(scratch);
  } catch (err) {
    if (!(err instanceof EncodeError) || !req.operation) throw err;
    const named = new EncodeError(err.path, '');
    named.message = `${req.operation}: ${err.message}`;
    throw named;
  }
}

type NameErrorOf = (err: unknown, name: string, path: string, operation: string) => unknown;

/** How resolvedBuild reports and checks. */
export interface ResolveOptions<R> {
  /** Checks pass one's result before anything is looked up (a request: encoded once, dropped). */
  check?(built: R): void;
  /** Index → name, for a device's speed. */
  nameOf?(index: number): Promise<string>;
  /** Where the fds of pinned BPF objects opened by the build are kept, to be closed once sent. */
  opened?: number[];
  nameError?: NameErrorOf;
  /** The operation a name lookup's failure is reported under. */
  operation?(built: R): string;
}

/**
 * Builds with every name resolved: the one place names are resolved before
 * a build. Each pass answers what is known (names through the resolver's
 * cache, speeds already read) and records the rest; a pass that recorded
 * nothing is the build. Pass one's result is checked before anything is
 * looked up.
 */
export async function resolvedBuild<R>(build: (ctx: BuildContext) => R, resolve: Resolve, opts: ResolveOptions<R> = {}): Promise<R> {
  // Allocated only when a pass misses something: a build whose names are all cached allocates none.
  let found: Map<string, number> | undefined;
  let speeds: Map<number, number> | undefined;
  let missing: Map<string, string> | undefined;
  let slow: Set<number> | undefined;
  const ctx: BuildContext = {
    ifindex: (ref, path) => {
      if (typeof ref !== 'string') return checkIndex(ref, path);
      checkLinkName(ref, path);
      const i = found?.get(ref) ?? resolve.cached?.(ref);
      if (i !== undefined) return i;
      missing ??= new Map();
      if (!missing.has(ref)) missing.set(ref, path);
      return 1;
    },
    speedMbit: (index) => {
      const s = speeds?.get(index);
      if (s !== undefined) return s;
      (slow ??= new Set()).add(index);
      return 1000;
    },
    bpfObjGet: (path) => {
      if (!opts.opened) throw new EncodeError('bpf', `opening ${path} needs a change request`);
      const fd = bpfObjGet(path);
      opts.opened.push(fd);
      return fd;
    },
  };
  const nameError = opts.nameError ?? unknownName;
  const reset = (): void => { missing = undefined; slow = undefined; };
  for (let pass = 0; ; pass++) {
    reset();
    const built = build(ctx);
    if (missing === undefined && slow === undefined) return built;
    if (pass === 0) opts.check?.(built);
    for (const [name, path] of missing ?? []) {
      try {
        (found ??= new Map()).set(name, await resolve(name));
      } catch (err) {
        throw nameError(err, name, path, opts.operation?.(built) ?? '');
      }
    }
    // A speed asked for a placeholder index is read once the names are known.
    if (missing === undefined) {
      for (const i of slow ?? []) {
        if (!opts.nameOf) throw new EncodeError('speed', 'a device\'s speed is not known here');
        (speeds ??= new Map()).set(i, readSpeed(await opts.nameOf(i)));
      }
    }
  }
}

/** resolvedBuild for a request: checked by encoding, lookups reported under its operation. */
function requestOptions(nameOf: (index: number) => Promise<string>, opened: number[], nameError?: NameErrorOf): ResolveOptions<Request> {
  return { check, nameOf, opened, nameError, operation: (req) => req.operation ?? '' };
}

/** The verbs of one family on one client. */
export class Engine<T, M, F, G> {
  constructor(readonly family: FamilyDescriptor<T, string, Verb, M, F, G>, readonly deps: EngineDeps) {}

  /** The dump a listing with this filter makes. */
  query(filter: F | undefined): Promise<DumpQuery<T>> {
    if (!this.family.dumpFilter) return Promise.resolve({ req: this.family.dump });
    const ctx: QueryContext = { resolve: this.deps.resolve, linkIndexes: () => this.deps.linkIndexes() };
    return this.family.dumpFilter(filter, ctx);
  }

  /** Every object the dump returns, filtered (`ip link show`, `ip route show table main`...), decoded. */
  async list(filter?: F): Promise<T[]> {
    return listOf(this.deps.sock, await this.query(filter), this.family.decode);
  }

  /** The same dump as {@link Engine.list}, one object at a time as the kernel's replies arrive (for dumps too large to hold). */
  async *stream(filter?: F): AsyncGenerator<T> {
    yield* streamOf(this.deps.sock, await this.query(filter), this.family.decode);
  }

  /** One object (`ip link show X`, `ip route get`). */
  async get(query: G): Promise<T> {
    const get = this.family.get;
    if (!get) throw new Error(`${this.family.kind} has no get`);
    let operation = '';
    const [obj] = await this.resolving((resolve, opened) => resolvedBuild((ctx) => get.request(query, ctx), resolve, requestOptions(this.deps.nameOf, opened, get.nameError ?? this.family.change?.nameError)),
      (req) => { operation = req.operation ?? ''; return this.deps.sock.request(req, this.family.decode); });
    if (!obj) throw new Error(`${operation}: the kernel sent no ${get.noun}`);
    return obj;
  }

  /** One change: resolve, build, send; retried once when a cached name turned out stale. */
  async run<C extends keyof M>(verb: C, input: M[C]): Promise<void> {
    const ops = this.family.change;
    if (!ops) throw new Error(`${this.family.kind} has no changes`);
    const absent = ops.absent?.[verb];
    const once = async (input: M[C]): Promise<void> => {
      await this.resolving((resolve, opened) => resolvedBuild((ctx) => ops.build[verb](input, ctx), resolve, requestOptions(this.deps.nameOf, opened, ops.nameError)), async (req) => {
        const send = (): Promise<unknown> => this.deps.sock.request(req);
        try {
          await (absent ? deleting(absent(input), send) : send());
        } catch (err) {
          throw err instanceof NetlinkError && ops.explain ? ops.explain(err, input) : err;
        }
      });
    };
    const around = ops.around?.[verb];
    await (around ? around(input, once) : once(input));
    if (this.deps.names) ops.after?.[verb]?.(input, this.deps.names);
  }

  /** Builds and sends under retryStale, closing what the build opened (pinned BPF objects) once sent. */
  private resolving<R>(build: (resolve: Resolve, opened: number[]) => Promise<Request>, send: (req: Request) => Promise<R>): Promise<R> {
    return retryStale(this.deps.resolve, async (resolve) => {
      const opened: number[] = [];
      try {
        return await send(await build(resolve, opened));
      } finally {
        for (const fd of opened) closeSync(fd);
      }
    });
  }
}

/** A listing's arguments: none for a family without a filter, else the filter (optional when all its fields are). */
export type ListArgs<F> = [F] extends [never] ? [] : object extends F ? [filter?: F] : [filter: F];

/** The verbs the engine derives from a descriptor: list, stream, get and each change verb it lists. */
export type EngineVerbs<T, V extends Verb, M, F, G> =
  ('list' extends V ? {
    /** Every object of the family, as `ip <object> show` lists them; the filter (where the family has one) narrows the dump. */
    list(...filter: ListArgs<F>): Promise<T[]>;
  } : unknown)
  & ('stream' extends V ? {
    /** The same dump as `list`, one object at a time as the kernel's replies arrive. */
    stream(...filter: ListArgs<F>): AsyncGenerator<T>;
  } : unknown)
  & ('get' extends V ? {
    /** One object, asked of the kernel by key (`ip link show dev X`, `ip route get`); fails when the kernel sends none. */
    get(query: G): Promise<T>;
  } : unknown)
  & { [C in Extract<V, keyof M>]: (input: M[C]) => Promise<void> };

/** A family's client API: the derived verbs, and the family's own (its extension) where they differ. */
export type FamilyApi<D, X = unknown> = D extends FamilyDescriptor<infer T, string, infer V, infer M, infer F, infer G>
  ? Omit<EngineVerbs<T, V, M, F, G>, keyof X> & X : never;

/** Builds a family's client API from its descriptor, plus its extension's verbs. */
export function familyApi<T, V extends Verb, M, F, G, X extends object>(
  family: FamilyDescriptor<T, string, V, M, F, G>, deps: EngineDeps, extend: (e: Engine<T, M, F, G>) => X,
): Omit<EngineVerbs<T, V, M, F, G>, keyof X> & X {
  const e = new Engine<T, M, F, G>(family, deps);
  const api: Record<string, unknown> = {};
  const build = family.change?.build;
  for (const v of family.verbs) {
    if (v === 'list') api.list = (filter?: F) => e.list(filter);
    else if (v === 'stream') api.stream = (filter?: F) => e.stream(filter);
    else if (v === 'get') api.get = (query: G) => e.get(query);
    else if (build && isVerbOf(build, v)) api[v] = (input: M[typeof v]) => e.run(v, input);
  }
  // The object holds exactly the verbs EngineVerbs names (the loop above follows the same rules).
  return Object.assign(api as Omit<EngineVerbs<T, V, M, F, G>, keyof X>, extend(e));
}

/** Whether `v` is one of a builder table's verbs. */
export function isVerbOf<M>(build: { readonly [C in keyof M]: unknown }, v: PropertyKey): v is keyof M {
  return Object.hasOwn(build, v);
}
