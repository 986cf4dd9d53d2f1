// Classes (RTM_NEWTCLASS / RTM_DELTCLASS / RTM_GETTCLASS) of classful qdiscs:
// the decoded shape, the decoder and the request builder (tc_class_modify).
import { NLM_F_CREATE, NLM_F_EXCL } from '../../generated/linux/netlink.js';
import { TC_H_ROOT } from '../../generated/linux/pkt_sched.js';
import { RTM_DELTCLASS, RTM_GETTCLASS, RTM_NEWTCLASS } from '../../generated/linux/rtnetlink.js';
import type { DecodeIssue } from '../../netlink/errors.js';
import { EncodeError } from '../../netlink/errors.js';
import type { Decoder, Request } from '../../netlink/request.js';
import { type EstimatorInput, estimator } from './estimator.js';
import { type TcHandle, formatHandle, formatQdiscHandle, parseClassid } from './handles.js';
import type { ClassOptionsIn, ClassOptionsOut, ClassXstats, EncodeContext } from './kind.js';
import type { TcVerb } from './qdisc.js';
import { type KnownQdiscKind, type QdiscKinds, qdiscKinds } from './qdiscs/registry.js';
import {
  type TcCommon, type TcDecoded, checkKind, commonPart, decodeOptions, decodeTcMessage, decodeXstats, kindIn, tcMessage, writeOptions,
} from './tcmsg.js';

/** A qdisc kind that has classes (htb, prio, fq_codel...). */
export type ClassfulKind = { [K in KnownQdiscKind]: [ClassOptionsIn<QdiscKinds[K]>] extends [never] ? never : K }[KnownQdiscKind];

/** A class of a classful kind as decoded, with that kind's class options and statistics typed. */
export type KnownClassPart = {
  [K in ClassfulKind]: { kind: K; options?: ClassOptionsOut<QdiscKinds[K]>; xstats?: ClassXstats<QdiscKinds[K]> }
}[ClassfulKind];

/** A class as the kernel describes it. `options` is typed by kind; a Buffer for kinds this version does not model. */
export type TcClass = TcCommon & {
  /** 'major:minor'. */
  handle: string;
  /** The qdisc attached under this class ('10:'), when there is one. */
  leaf?: string;
} & (KnownClassPart | { kind: string; options?: Buffer; xstats?: Buffer });

/** A class of a kind this version models, with typed options. */
export type ClassOf<K extends ClassfulKind> = TcCommon & { handle: string; leaf?: string } & Extract<KnownClassPart, { kind: K }>;

/** Narrows a class to a kind with typed options. */
export function isClass<K extends ClassfulKind>(c: TcClass, kind: K): c is ClassOf<K> {
  return c.kind === kind && !Buffer.isBuffer(c.options);
}

/** A class of a classful kind as given, with that kind's class options typed. */
export type KnownClassInput = { [K in ClassfulKind]: { kind: K; options?: ClassOptionsIn<QdiscKinds[K]> } }[ClassfulKind];

/** A tc class at the schema level: the device's index, handles and the kind's options. */
export type ClassSpec = {
  ifindex: number;
  /** The class id, 'major:minor' (the major is the qdisc's). */
  classid?: TcHandle;
  /** 'root' or the parent class / qdisc ('1:', '1:1'). */
  parent?: TcHandle;
  estimator?: EstimatorInput;
} & (KnownClassInput | { kind: string; options?: Uint8Array } | { kind?: undefined; options?: undefined });

export const CLASS_FLAGS: Record<TcVerb, number> = {
  add: NLM_F_EXCL | NLM_F_CREATE,
  change: 0,
  replace: NLM_F_CREATE,
  delete: 0,
};

const classful = (): string => Object.entries(qdiscKinds).filter(([, k]) => 'class' in k).map(([n]) => n).join(', ');

/** Decodes a tc class message (RTM_NEWTCLASS), with its kind's options and statistics when the kind is known. */
export const decodeClass: Decoder<TcClass> = (buf, start, length) => {
  const issues: DecodeIssue[] = [];
  const m = decodeTcMessage(buf, start, length, issues);
  const out: TcDecoded<{ handle: string; leaf?: string }> = { ifindex: m.ifindex, handle: formatHandle(m.handle), parent: formatHandle(m.parent), kind: m.kind ?? '' };
  if (m.info) out.leaf = formatQdiscHandle(m.info);
  if (m.kind === undefined) issues.push({ path: 'class', problem: 'no TCA_KIND' });
  const xs = commonPart(buf, m, out, issues);
  const k = kindIn(qdiscKinds, m.kind);
  if (m.options) out.options = decodeOptions(buf, m.options, k?.class, issues, 'class.options');
  if (xs) out.xstats = decodeXstats(buf, xs, k?.classXstats, issues, 'class.xstats');
  if (issues.length) out.issues = issues;
  // The options' type follows the kind read at run time (the registry's codec decoded them).
  return out as TcClass;
};

/** The request tc sends for `tc class VERB dev ... parent P classid C KIND OPTIONS`. */
export function classRequest(verb: TcVerb, spec: ClassSpec, ctx: EncodeContext = {}): Request {
  const path = 'class';
  const classid = spec.classid === undefined ? 0 : parseClassid(spec.classid, `${path}.classid`, 'class id');
  const parent = spec.parent === undefined ? 0 : parseClassid(spec.parent, `${path}.parent`, 'parent');
  if (verb !== 'delete' && parent === 0) throw new EncodeError(`${path}.parent`, 'a class needs a parent ("root" or the qdisc / class it belongs to, e.g. "1:")');
  if (verb === 'delete' && classid === 0) throw new EncodeError(`${path}.classid`, 'which class? (classid)');
  const kind = spec.kind;
  if (kind !== undefined) checkKind(kind, `${path}.kind`);
  if ((verb === 'add' || verb === 'replace') && kind === undefined) throw new EncodeError(`${path}.kind`, `class ${verb} needs the qdisc's kind (classful kinds modeled: ${classful()})`);
  const k = kindIn(qdiscKinds, kind);
  if (k && !k.class) throw new EncodeError(`${path}.kind`, `qdisc "${kind}" is classless`);
  return {
    type: verb === 'delete' ? RTM_DELTCLASS : RTM_NEWTCLASS,
    flags: CLASS_FLAGS[verb],
    operation: `class ${verb}${kind ? ` ${kind}` : ''} ${formatHandle(classid)} on ifindex ${spec.ifindex} parent ${parent === TC_H_ROOT ? 'root' : formatHandle(parent)}`,
    headerSize: tcMessage.headerSize,
    expectReply: false,
    body: (w) => {
      tcMessage.encodePayload(w, {
        family: 0, ifindex: spec.ifindex, handle: classid, parent, info: 0,
        kind,
        rate: spec.estimator === undefined ? undefined : estimator(spec.estimator, `${path}.estimator`),
      }, path);
      if (kind !== undefined) writeOptions(w, k?.class, kind, classful(), spec.options, ctx, `${path}.options`);
      else if (spec.options !== undefined) throw new EncodeError(`${path}.options`, 'options need a kind');
    },
  };
}

/** RTM_GETTCLASS dump of one device (the kernel dumps classes per device only). */
export function classDumpRequest(ifindex: number, parent?: TcHandle): Request {
  return {
    type: RTM_GETTCLASS, operation: `class show ifindex ${ifindex}`, headerSize: tcMessage.headerSize,
    body: (w) => tcMessage.encodePayload(w, {
      family: 0, ifindex, parent: parent === undefined ? 0 : parseClassid(parent, 'class.parent', 'parent'),
    }, 'class'),
  };
}
