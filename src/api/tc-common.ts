// What the qdisc, class and filter verbs share: resolving the device, giving
// encoders the outside facts they may ask for (other devices' indexes, the
// device's speed) without I/O inside the pure request builders, and making
// the kernel's "unknown kind" refusals say which kind is missing.
import { closeSync, readFileSync } from 'node:fs';
import { bpfObjGet } from '../ffi/bpf.js';
import { NetlinkError } from '../netlink/errors.js';
import { NetlinkWriter } from '../netlink/writer.js';
import { checkIfname } from '../rtnl/codecs.js';
import type { EncodeContext } from '../rtnl/tc/kind.js';
import type { Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';
import type { LinkRef } from './links.js';
import { type Resolve, retryStale } from './name-cache.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request spec with its device given by name or index instead of `ifindex`. */
export type WithDev<S> = DistributiveOmit<S, 'ifindex'> & { dev: LinkRef };

export interface TcDeps {
  /** Name or index → index (a NetlinkError ENODEV when there is no such link). */
  resolve: Resolve;
  /** Index → name. */
  nameOf(index: number): Promise<string>;
  /**
   * Runs `send` with `ctx.bpfObjGet` opening pinned BPF programs, and closes
   * what it opened afterwards (the kernel takes its own reference).
   */
  withBpf<T>(ctx: EncodeContext, send: () => Promise<T>): Promise<T>;
}

/** Runs a request's encoder now, so bad input fails before anything is sent. */
export function encodeNow(req: Request): Buffer {
  const w = new NetlinkWriter(256);
  req.body?.(w);
  return w.toBuffer();
}

/**
 * Builds the encoding context for one request: a dry run records which
 * device names the options refer to and whether a percentage rate needs the
 * device's speed; those are looked up (asynchronously), then handed to the
 * real encoding as plain synchronous lookups.
 */
export async function prepareContext(deps: TcDeps, ifindex: number, build: (ctx: EncodeContext) => Request, resolve: Resolve = deps.resolve): Promise<EncodeContext> {
  const names = new Set<string>();
  let wantSpeed = false;
  encodeNow(build({ ifindex: (n) => { names.add(n); return 1; }, speedMbit: () => { wantSpeed = true; return 1000; }, bpfObjGet: () => 0 }));
  const indexes = new Map<string, number>();
  for (const n of names) indexes.set(n, await resolve(n));
  let speed: number | undefined;
  if (wantSpeed) speed = readSpeed(await deps.nameOf(ifindex));
  return {
    ifindex: (n) => indexes.get(n) ?? 0,
    speedMbit: () => speed ?? 0,
  };
}

/** The device's speed as tc reads it (sysfs of the namespace that mounted /sys). */
export function readSpeed(name: string): number {
  try {
    // The name came from the kernel: one path component or nothing is read.
    const n = Number(readFileSync(`/sys/class/net/${checkIfname(name, 'dev')}/speed`, 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

const MISSING: readonly [RegExp, string, string][] = [
  [/qdisc kind is unknown/i, 'qdisc', 'sch_'],
  [/classifier not found/i, 'classifier', 'cls_'],
  [/action module/i, 'action', 'act_'],
];

/**
 * Makes the kernel's refusal of a kind it does not have name that kind:
 * "this kernel has no qdisc "netem" (module sch_netem)". Other errors are
 * returned unchanged.
 */
export function explainMissingKind(err: unknown, kinds: { qdisc?: string; classifier?: string; actions?: readonly string[] }): unknown {
  if (!(err instanceof NetlinkError)) return err;
  const text = err.extack?.message ?? '';
  for (const [re, what, prefix] of MISSING) {
    if (!re.test(text)) continue;
    const names = what === 'action' ? [...(kinds.actions ?? [])] : [what === 'qdisc' ? kinds.qdisc : kinds.classifier].filter((x): x is string => !!x);
    if (!names.length) return err;
    const list = names.map((n) => `"${n}" (module ${prefix}${n})`).join(' or ');
    return new NetlinkError({
      errno: err.errno, operation: err.operation, seq: err.seq, extack: err.extack,
      detail: `this kernel has no ${what} ${list}`,
    });
  }
  return err;
}

/** ENOENT on a class or filter change: the parent it names is not there. */
export function explainMissingParent(err: unknown, parent: unknown): unknown {
  if (!(err instanceof NetlinkError) || err.code !== 'ENOENT' || err.extack?.message || parent === undefined) return err;
  return new NetlinkError({
    errno: err.errno, operation: err.operation, seq: err.seq, extack: err.extack,
    detail: `there is no qdisc or class ${String(parent)} on this device`,
  });
}

/** Gives ctx a bpfObjGet that opens pinned programs for the duration of `send`. */
export async function withBpf<T>(ctx: EncodeContext, send: () => Promise<T>): Promise<T> {
  const opened: number[] = [];
  ctx.bpfObjGet = (path) => {
    const fd = bpfObjGet(path);
    opened.push(fd);
    return fd;
  };
  try {
    return await send();
  } finally {
    delete ctx.bpfObjGet;
    for (const fd of opened) closeSync(fd);
  }
}

/**
 * One verb: resolve the device, prepare the encoding context, send the
 * request built from the spec, and turn refusals into explained errors.
 */
export async function sendTc<S extends { ifindex: number }>(
  sock: Requester, deps: TcDeps, input: WithDev<S>,
  build: (spec: S, ctx: EncodeContext) => Request, explain: (err: unknown, spec: S) => unknown,
): Promise<void> {
  const { dev, ...rest } = input as { dev: LinkRef };
  await retryStale(deps.resolve, async (resolve) => {
    const spec = { ...rest, ifindex: await resolve(dev) } as unknown as S;
    const ctx = await prepareContext(deps, spec.ifindex, (c) => build(spec, c), resolve);
    try {
      await deps.withBpf(ctx, () => sock.request(build(spec, ctx)));
    } catch (err) {
      throw explain(err, spec);
    }
  });
}
