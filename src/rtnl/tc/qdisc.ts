// Qdiscs (RTM_NEWQDISC / RTM_DELQDISC / RTM_GETQDISC): the decoded shape,
// the decoder, and the request builder that writes what tc writes for the
// same command (tc_qdisc_modify).
import { TC_H_INGRESS, TC_H_ROOT } from '../../generated/linux/pkt_sched.js';
import { RTM_DELQDISC, RTM_GETQDISC, RTM_NEWQDISC } from '../../generated/linux/rtnetlink.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../generated/linux/netlink.js';
import type { DecodeIssue } from '../../netlink/errors.js';
import { EncodeError } from '../../netlink/errors.js';
import type { Decoder, Request } from '../../netlink/request.js';
import { type EstimatorInput, estimator } from './estimator.js';
import { type TcHandle, formatHandle, formatQdiscHandle, parseClassid, parseQdiscHandle } from './handles.js';
import type { EncodeContext, QdiscOptionsIn, QdiscOptionsOut, QdiscXstats } from './kind.js';
import { type KnownQdiscKind, type QdiscKinds, qdiscKinds } from './qdiscs/registry.js';
import {
  type TcCommon, type TcDecoded, checkKind, commonPart, decodeOptions, decodeTcMessage, decodeXstats, kindIn, tcMessage, writeOptions,
} from './tcmsg.js';

/** A qdisc of a known kind as decoded, with that kind's options and statistics typed. */
export type KnownQdiscPart = {
  [K in KnownQdiscKind]: { kind: K; options?: QdiscOptionsOut<QdiscKinds[K]>; xstats?: QdiscXstats<QdiscKinds[K]> }
}[KnownQdiscKind];

/** A qdisc as the kernel describes it. `options` is typed by kind; a Buffer for kinds this version does not model. */
export type Qdisc = TcCommon & {
  /** 'major:' ('0:' for the handle-less noqueue). */
  handle: string;
  /** References to this qdisc (tcm_info). */
  refcnt: number;
} & (KnownQdiscPart | { kind: string; options?: Buffer; xstats?: Buffer });

/** A qdisc of a kind this version models, with typed options. */
export type QdiscOf<K extends KnownQdiscKind> = TcCommon & { handle: string; refcnt: number } & Extract<KnownQdiscPart, { kind: K }>;

/**
 * Narrows a qdisc to a kind with typed options (a plain `kind === 'htb'`
 * test cannot, since kinds this version does not model are strings too).
 */
export function isQdisc<K extends KnownQdiscKind>(q: Qdisc, kind: K): q is QdiscOf<K> {
  return q.kind === kind && !Buffer.isBuffer(q.options);
}

/** A qdisc of a known kind as given, with that kind's options typed. */
export type KnownQdiscInput = { [K in KnownQdiscKind]: { kind: K; options?: QdiscOptionsIn<QdiscKinds[K]> } }[KnownQdiscKind];

/** Where a qdisc is and what it is, with the device already resolved to its index. */
export type QdiscSpec = {
  ifindex: number;
  /** 'root' (the default for add), 'ingress', 'clsact', or a class ('1:10'). */
  parent?: TcHandle;
  /** 'major:'; the kernel picks one when absent. */
  handle?: TcHandle;
  estimator?: EstimatorInput;
  ingressBlock?: number;
  egressBlock?: number;
} & (KnownQdiscInput | { kind: string; options?: Uint8Array } | { kind?: undefined; options?: undefined });

/** The changes a qdisc, class or filter takes. */
export type TcVerb = 'add' | 'change' | 'replace' | 'delete';

export const QDISC_FLAGS: Record<TcVerb | 'link', number> = {
  add: NLM_F_EXCL | NLM_F_CREATE,
  change: 0,
  replace: NLM_F_CREATE | NLM_F_REPLACE,
  link: NLM_F_REPLACE,
  delete: 0,
};

const knownKinds = (): string => Object.keys(qdiscKinds).join(', ');

/** Decodes a qdisc message (RTM_NEWQDISC), with its kind's options and statistics when the kind is known. */
export const decodeQdisc: Decoder<Qdisc> = (buf, start, length) => {
  const issues: DecodeIssue[] = [];
  const m = decodeTcMessage(buf, start, length, issues);
  const out: TcDecoded<{ handle: string; refcnt: number }> = { ifindex: m.ifindex, handle: formatQdiscHandle(m.handle), parent: formatHandle(m.parent), kind: m.kind ?? '', refcnt: m.info };
  if (m.kind === undefined) issues.push({ path: 'qdisc', problem: 'no TCA_KIND' });
  const xs = commonPart(buf, m, out, issues);
  const k = kindIn(qdiscKinds, m.kind);
  if (m.options) out.options = decodeOptions(buf, m.options, k?.qdisc, issues, 'qdisc.options');
  if (xs) out.xstats = decodeXstats(buf, xs, k?.xstats, issues, 'qdisc.xstats');
  if (issues.length) out.issues = issues;
  // The options' type follows the kind read at run time (the registry's codec decoded them).
  return out as Qdisc;
};

/** The parent and handle tc fills in for `ingress` and `clsact`, which live at fixed places. */
function placement(spec: QdiscSpec, verb: TcVerb | 'link'): { parent: number; handle: number; kind?: string } {
  const path = 'qdisc';
  let kind = spec.kind;
  const word = spec.parent === 'ingress' || spec.parent === 'clsact' ? spec.parent : undefined;
  if (word && kind === undefined) kind = word;
  if (kind === 'ingress' || kind === 'clsact') {
    const parent = spec.parent === undefined ? TC_H_INGRESS : parseClassid(spec.parent, `${path}.parent`, 'parent');
    if (parent !== TC_H_INGRESS) throw new EncodeError(`${path}.parent`, `${kind} lives at parent ffff:fff1 ("${kind}"), not ${formatHandle(parent)}`);
    const handle = spec.handle === undefined ? 0xffff0000 : parseQdiscHandle(spec.handle, `${path}.handle`);
    if (handle !== 0xffff0000) throw new EncodeError(`${path}.handle`, `${kind} has the handle ffff:, not ${formatQdiscHandle(handle)}`);
    return { parent, handle, kind };
  }
  const parent = spec.parent === undefined ? (verb === 'delete' ? 0 : TC_H_ROOT) : parseClassid(spec.parent, `${path}.parent`, 'parent');
  const handle = spec.handle === undefined ? 0 : parseQdiscHandle(spec.handle, `${path}.handle`);
  if (parent === 0 && handle === 0 && verb !== 'delete') throw new EncodeError(`${path}.parent`, 'a qdisc needs a parent ("root", "ingress", "clsact" or a class)');
  return { parent, handle, kind };
}

/** The request tc sends for `tc qdisc VERB dev ... [parent|root] [handle] KIND OPTIONS`. */
export function qdiscRequest(verb: TcVerb | 'link', spec: QdiscSpec, ctx: EncodeContext = {}): Request {
  const { parent, handle, kind } = placement(spec, verb);
  if (kind !== undefined) checkKind(kind, 'qdisc.kind');
  if (verb !== 'delete' && kind === undefined && verb !== 'change') throw new EncodeError('qdisc.kind', `qdisc ${verb} needs a kind (known: ${knownKinds()})`);
  const k = kindIn(qdiscKinds, kind);
  const operation = `qdisc ${verb}${kind ? ` ${kind}` : ''} on ifindex ${spec.ifindex} parent ${formatHandle(parent)}`;
  return {
    type: verb === 'delete' ? RTM_DELQDISC : RTM_NEWQDISC,
    flags: QDISC_FLAGS[verb],
    operation,
    headerSize: tcMessage.headerSize,
    expectReply: false,
    body: (w) => {
      tcMessage.encodePayload(w, {
        family: 0, ifindex: spec.ifindex, handle, parent, info: 0,
        kind,
        rate: spec.estimator === undefined ? undefined : estimator(spec.estimator, 'qdisc.estimator'),
        ingressBlock: spec.ingressBlock,
        egressBlock: spec.egressBlock,
      }, 'qdisc');
      if (kind !== undefined) writeOptions(w, k?.qdisc, kind, knownKinds(), spec.options, ctx, 'qdisc.options');
      else if (spec.options !== undefined) throw new EncodeError('qdisc.options', 'options need a kind');
    },
  };
}

export interface QdiscDumpFilter {
  ifindex?: number;
  /** Also the qdiscs the kernel hides by default (a device's per-queue default qdiscs). */
  invisible?: boolean;
}

/** RTM_GETQDISC dump, as `tc qdisc show [dev X] [invisible]` sends it. */
export function qdiscDumpRequest(f: QdiscDumpFilter = {}): Request {
  return {
    type: RTM_GETQDISC, operation: 'qdisc show', headerSize: tcMessage.headerSize,
    body: (w) => tcMessage.encodePayload(w, { family: 0, ifindex: f.ifindex ?? 0, dumpInvisible: f.invisible ? true : undefined }, 'qdisc'),
  };
}
