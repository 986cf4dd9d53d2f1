// Filters (RTM_NEWTFILTER / RTM_DELTFILTER / RTM_GETTFILTER): the decoded
// shape, the decoder and the request builder (tc_filter_modify). A filter
// lives at a parent (qdisc or class), has a priority ("pref") and a protocol,
// and a handle whose spelling belongs to its classifier.
import { NLM_F_CREATE, NLM_F_EXCL } from '../../generated/linux/netlink.js';
import { TC_H_ROOT } from '../../generated/linux/pkt_sched.js';
import { ETH_P_ALL } from '../../generated/linux/if_ether.js';
import { RTM_DELTFILTER, RTM_GETTFILTER, RTM_NEWTFILTER, TCM_IFINDEX_MAGIC_BLOCK } from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { type DecodeIssue, EncodeError } from '../../netlink/errors.js';
import type { Decoder, Request } from '../../netlink/request.js';
import { type EstimatorInput, estimator } from './estimator.js';
import { type FilterKinds, type KnownFilterKind, filterKinds } from './filters/registry.js';
import { TC_H_CLSACT_EGRESS, TC_H_CLSACT_INGRESS, type TcHandle, formatHandle, parseClassid } from './handles.js';
import type { EncodeContext, FilterOptionsIn, FilterOptionsOut } from './kind.js';
import { htons, parseProtocol, protocolName } from './protocols.js';
import type { TcVerb } from './qdisc.js';
import { type TcCommon, type TcDecoded, checkKind, commonPart, decodeOptions, decodeTcMessage, kindIn, tcMessage, writeOptions } from './tcmsg.js';

/** A filter of a known kind as decoded, with that kind's options typed. */
export type KnownFilterPart = { [K in KnownFilterKind]: { kind: K; options?: FilterOptionsOut<FilterKinds[K]> } }[KnownFilterKind];

/** A filter as the kernel describes it. `options` is typed by kind; a Buffer for kinds this version does not model. */
export type Filter = TcCommon & {
  /** The classifier's own handle (u32: '800::800' when formatted; see formatFilterHandle). 0 for a classifier's head entry. */
  handle: number;
  /** 'ip', 'ipv6', 'all'... (the number when iproute2 has no name for it). */
  protocol: string | number;
  /** The priority ("pref"): lower runs first. */
  priority: number;
  /** The shared block the filter belongs to (then ifindex is TCM_IFINDEX_MAGIC_BLOCK and parent means nothing). */
  block?: number;
} & (KnownFilterPart | { kind: string; options?: Buffer });

/** A filter of a known kind, with that kind's options typed. */
export type FilterOf<K extends KnownFilterKind> = TcCommon & { handle: number; protocol: string | number; priority: number } & Extract<KnownFilterPart, { kind: K }>;

/** Narrows a filter to a kind with typed options. */
export function isFilter<K extends KnownFilterKind>(f: Filter, kind: K): f is FilterOf<K> {
  return f.kind === kind && !Buffer.isBuffer(f.options);
}

/** A filter of a known kind as given, with that kind's options typed. */
export type KnownFilterInput = { [K in KnownFilterKind]: { kind: K; options?: FilterOptionsIn<FilterKinds[K]> } }[KnownFilterKind];

/** A tc filter at the schema level: the device's index, handles, protocol, priority and the kind's options. */
export type FilterSpec = {
  /** The device; for a filter of a shared block, give `block` and 0 here (tc's `tc filter add block N`). */
  ifindex: number;
  /** A shared block's index (qdiscs join it with ingressBlock/egressBlock): the filter goes there, not on a device. */
  block?: number;
  /** The qdisc or class ('1:', 'ffff:' for an ingress qdisc), or clsact's 'ingress' / 'egress' hook, or 'root'. */
  parent?: TcHandle;
  /** The classifier's handle ('800::800' for u32, a number for matchall and bpf). */
  handle?: TcHandle;
  /** Default 'all' when adding. */
  protocol?: string | number;
  /** "pref"; the kernel picks one when absent. */
  priority?: number;
  chain?: number;
  estimator?: EstimatorInput;
} & (KnownFilterInput | { kind: string; options?: Uint8Array } | { kind?: undefined; options?: undefined });

export const FILTER_FLAGS: Record<TcVerb, number> = {
  add: NLM_F_EXCL | NLM_F_CREATE,
  change: 0,
  replace: NLM_F_CREATE,
  delete: 0,
};

const knownKinds = (): string => Object.keys(filterKinds).join(', ');

/** A filter's parent: 'ingress' and 'egress' are clsact's hooks here, as in `tc filter ... ingress`. */
export function parseFilterParent(v: unknown, path: string): number {
  if (v === 'ingress') return TC_H_CLSACT_INGRESS;
  if (v === 'egress') return TC_H_CLSACT_EGRESS;
  return parseClassid(v, path, 'parent');
}

/** A filter's handle as its classifier writes it. */
export function formatFilterHandle(kind: string, handle: number): string {
  const k = kindIn(filterKinds, kind);
  return k?.handle ? k.handle.format(handle) : `0x${handle.toString(16)}`;
}

/** Decodes a tc filter message (RTM_NEWTFILTER), with its kind's options and actions when the kind is known. */
export const decodeFilter: Decoder<Filter> = (buf, start, length) => {
  const issues: DecodeIssue[] = [];
  const m = decodeTcMessage(buf, start, length, issues);
  const out: TcDecoded<{ handle: number; protocol: string | number; priority: number; block?: number }> = {
    ifindex: m.ifindex, parent: formatHandle(m.parent), handle: m.handle,
    protocol: protocolName(htons(m.info & 0xffff)), priority: m.info >>> 16, kind: m.kind ?? '',
  };
  if (m.ifindex >>> 0 === TCM_IFINDEX_MAGIC_BLOCK) out.block = m.parent;
  commonPart(buf, m, out, issues);
  const k = kindIn(filterKinds, m.kind);
  if (m.options) out.options = decodeOptions(buf, m.options, k?.options, issues, 'filter.options');
  if (issues.length) out.issues = issues;
  // The options' type follows the kind read at run time (the registry's codec decoded them).
  return out as Filter;
};

/** The request tc sends for `tc filter VERB dev ... parent P [protocol X] [pref N] [handle H] KIND OPTIONS`. */
export function filterRequest(verb: TcVerb, spec: FilterSpec, ctx: EncodeContext = {}): Request {
  const path = 'filter';
  const block = blockOf(spec, path);
  const parent = block ?? (spec.parent === undefined ? 0 : parseFilterParent(spec.parent, `${path}.parent`));
  const kind = spec.kind;
  if (kind !== undefined) checkKind(kind, `${path}.kind`);
  if ((verb === 'add' || verb === 'replace') && kind === undefined) throw new EncodeError(`${path}.kind`, `filter ${verb} needs a kind (known: ${knownKinds()})`);
  if (verb !== 'delete' && parent === 0) throw new EncodeError(`${path}.parent`, 'a filter needs a parent (a qdisc like "1:" or "ffff:", "ingress"/"egress" of clsact, or "root")');
  const k = kindIn(filterKinds, kind);
  let handle = 0;
  if (spec.handle !== undefined) {
    if (kind === undefined) throw new EncodeError(`${path}.handle`, 'a handle needs the filter kind');
    handle = k?.handle ? k.handle.parse(spec.handle, `${path}.handle`) : parseNumberHandle(spec.handle, `${path}.handle`);
  }
  if (k && 'adjustHandle' in k && k.adjustHandle) handle = k.adjustHandle(handle, spec.options, `${path}.options`);
  const prio = spec.priority === undefined ? 0 : intIn(spec.priority, `${path}.priority`, 0, 0xffff);
  const protocol = spec.protocol !== undefined ? parseProtocol(spec.protocol, `${path}.protocol`) : verb === 'add' || verb === 'replace' ? ETH_P_ALL : 0;
  return {
    type: verb === 'delete' ? RTM_DELTFILTER : RTM_NEWTFILTER,
    flags: FILTER_FLAGS[verb],
    operation: `filter ${verb}${kind ? ` ${kind}` : ''} (ifindex ${spec.ifindex}, parent ${parent === TC_H_ROOT ? 'root' : formatHandle(parent)}${prio ? `, pref ${prio}` : ''})`,
    headerSize: tcMessage.headerSize,
    expectReply: false,
    body: (w) => {
      tcMessage.encodePayload(w, {
        family: 0, ifindex: block === undefined ? spec.ifindex : TCM_IFINDEX_MAGIC_BLOCK | 0, handle, parent, info: ((prio << 16) | htons(protocol)) >>> 0,
        chain: spec.chain === undefined ? undefined : intIn(spec.chain, `${path}.chain`, 0, 0xffffffff),
        kind,
      }, path);
      if (kind !== undefined) writeOptions(w, k?.options, kind, knownKinds(), spec.options, { ...ctx, filter: { protocol, parent } }, `${path}.options`);
      else if (spec.options !== undefined) throw new EncodeError(`${path}.options`, 'options need a kind');
      if (spec.estimator !== undefined) tcMessage.attrs.encode(w, { rate: estimator(spec.estimator, `${path}.estimator`) }, path);
    },
  };
}

/** A shared block's index (1 and up), which excludes a device and a parent, as tc's "block N". */
function blockOf(spec: { block?: unknown; ifindex?: unknown; parent?: unknown }, path: string): number | undefined {
  if (spec.block === undefined) return undefined;
  const b = intIn(spec.block, `${path}.block`, 1, 0xffffffff);
  if (spec.ifindex) throw new EncodeError(`${path}.block`, '"dev" and "block" are mutually exclusive');
  if (spec.parent !== undefined) throw new EncodeError(`${path}.parent`, 'a filter of a block has no parent');
  return b;
}

function parseNumberHandle(v: unknown, path: string): number {
  if (typeof v === 'string' && /^(0x[0-9a-f]{1,8}|\d+)$/i.test(v)) return Number(v) >>> 0;
  return intIn(v, path, 0, 0xffffffff);
}

function intIn(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new EncodeError(path, `expected ${min}..${max}, got ${describe(v)}`);
  return v;
}

export interface FilterDumpFilter {
  /** 0 with `block`. */
  ifindex: number;
  /** List the filters of this shared block (`tc filter show block N`). */
  block?: number;
  /** The qdisc or class whose filters to list; the kernel's default is the root qdisc. */
  parent?: TcHandle;
  priority?: number;
  protocol?: string | number;
  chain?: number;
}

/** RTM_GETTFILTER dump, as `tc filter show dev X [parent P] [pref N] [protocol P] [chain N]` sends it. */
export function filterDumpRequest(f: FilterDumpFilter): Request {
  const prio = f.priority ?? 0;
  const protocol = f.protocol === undefined ? 0 : parseProtocol(f.protocol, 'filter.protocol');
  return {
    type: RTM_GETTFILTER, operation: `filter show ifindex ${f.ifindex}`, headerSize: tcMessage.headerSize,
    body: (w) => tcMessage.encodePayload(w, {
      family: 0, ifindex: f.block === undefined ? f.ifindex : TCM_IFINDEX_MAGIC_BLOCK | 0, handle: 0,
      parent: f.block !== undefined ? blockOf(f, 'filter') ?? 0 : f.parent === undefined ? 0 : parseFilterParent(f.parent, 'filter.parent'),
      info: ((prio << 16) | htons(protocol)) >>> 0,
      chain: f.chain,
    }, 'filter'),
  };
}
