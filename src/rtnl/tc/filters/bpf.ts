// bpf: an eBPF classifier program, given by file descriptor (or resolved
// from a pinned path by the caller), in direct-action mode or returning a
// class. Written in tc's order: class and actions as given, then the
// program (FD, NAME), then the generic and bpf flags.
import {
  TCA_BPF_ACT, TCA_BPF_CLASSID, TCA_BPF_FD, TCA_BPF_FLAGS, TCA_BPF_FLAGS_GEN, TCA_BPF_FLAG_ACT_DIRECT, TCA_BPF_ID,
  TCA_BPF_NAME, TCA_BPF_OPS, TCA_BPF_OPS_LEN, TCA_BPF_POLICE, TCA_BPF_TAG, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW,
} from '../../../generated/linux/pkt_cls.js';
import { binary, string, u16, u32 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { encodeAttrsChecked } from '../../../netlink/narrow.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { type Action, type ActionInput, actionsOut, decodeActions, encodeActions, moreActions } from '../actions/action.js';
import { type TcHandle, formatHandle, parseClassid } from '../handles.js';
import { type FilterKind, type FilterPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { span } from '../stats.js';
import { type ClsFlags, clsFlags, clsFlagsOut } from './u32.js';
import { type Words, UsageError, cNumber, matches } from '../../words.js';
import { hex0x } from '../../json-values.js';

const bpfAttrs = attrSet('bpf', {
  act: attr(TCA_BPF_ACT, span),
  police: attr(TCA_BPF_POLICE, binary),
  classid: attr(TCA_BPF_CLASSID, u32),
  opsLen: attr(TCA_BPF_OPS_LEN, u16),
  ops: attr(TCA_BPF_OPS, binary),
  fd: attr(TCA_BPF_FD, u32),
  name: attr(TCA_BPF_NAME, string),
  flags: attr(TCA_BPF_FLAGS, u32),
  flagsGen: attr(TCA_BPF_FLAGS_GEN, u32),
  tag: attr(TCA_BPF_TAG, binary),
  id: attr(TCA_BPF_ID, u32),
});

/** A bpf filter's options as decoded: the program (by id and name, or classic bytecode), class and actions. */
export interface BpfOptions {
  classid?: string;
  /** The program's name as given when attached (tc: "file:[section]"). */
  name?: string;
  directAction?: boolean;
  flags?: ClsFlags;
  /** The kernel's program id and tag (hex). */
  id?: number;
  tag?: string;
  /** A classic BPF program's instructions, raw (8 bytes each). */
  ops?: Buffer;
  actions?: Action[];
  police?: Buffer;
  unknown?: RawAttr[];
}

/** A bpf filter's options as given: a loaded program's fd or a pinned program, its class or direct action, its actions. */
export interface BpfOptionsInput {
  /** A loaded program's file descriptor (kept open until the request is sent). */
  fd?: number;
  /** A program pinned in bpffs; the client opens it (BPF_OBJ_GET) for the request. */
  pinned?: string;
  /** Name shown by tc; default for a pinned program as tc names it ("file:[*fsobj]"). */
  name?: string;
  classid?: TcHandle;
  flowid?: TcHandle;
  /** The program's return value is the verdict (TC_ACT_*), no class lookup. */
  directAction?: boolean;
  actions?: readonly ActionInput[];
  skipHw?: boolean;
  skipSw?: boolean;
}

const KEYS = ['fd', 'pinned', 'name', 'classid', 'flowid', 'directAction', 'actions', 'skipHw', 'skipSw'] as const;

/** What tc calls a pinned program in TCA_BPF_NAME. */
export function pinnedName(path: string): string {
  return `${path.slice(path.lastIndexOf('/') + 1)}:[*fsobj]`;
}

// ── tc words and printers ──

function bpfWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'run') continue;
    if (k === 'object-pinned' || k === 'pinned' || k === 'fd') o[k === 'fd' ? 'fd' : 'pinned'] = k === 'fd' ? cNumber(w.value(k), 'bpf fd') : w.value(k);
    else if (matches(k, 'classid') || matches(k, 'flowid')) o.classid = w.value(k);
    else if (matches(k, 'direct-action') || matches(k, 'da')) o.directAction = true;
    else if (matches(k, 'skip_hw')) o.skipHw = true;
    else if (matches(k, 'skip_sw')) o.skipSw = true;
    else if (matches(k, 'action')) o.actions = moreActions(o.actions, w);
    else throw new UsageError(`bpf: "${k}" (this version attaches programs by fd or object-pinned PATH)`);
  }
  return o;
}

const printBpf: FilterPrint<BpfOptions> = (p, o, handle, ctx) => {
  if (handle) p.any('handle', hex0x(handle), `handle ${hex0x(handle)} `);
  if (o.classid !== undefined) p.any('flowid', o.classid, `flowid ${o.classid} `);
  if (o.name !== undefined) p.any('bpf_name', o.name, `${o.name} `);
  if (o.directAction) p.any('direct-action', true, 'direct-action ');
  clsFlagsOut(p, o.flags, '');
  // tc asks the kernel for the program's name and jit state; we print what the filter dump carries.
  if (o.id !== undefined) p.nest('prog', (q) => q.any('id', o.id, `id ${o.id} `).any('tag', o.tag, o.tag === undefined ? undefined : `tag ${o.tag} `));
  else if (o.tag !== undefined) p.any('tag', o.tag, `tag ${o.tag} `);
  if (o.actions) actionsOut(p, o.actions, ctx);
};

export const bpfFilter: FilterKind<BpfOptions, BpfOptionsInput | undefined> = {
  kind: 'bpf',
  words: bpfWords,
  print: printBpf,
  options: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, KEYS, path, 'bpf');
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (!keys.length) return false;
      for (const k of keys) {
        if (k === 'classid' || k === 'flowid') bpfAttrs.encode(w, { classid: parseClassid(v[k], `${path}.${k}`, 'class id') }, path);
        else if (k === 'actions') encodeActions(w, TCA_BPF_ACT, v[k], ctx, `${path}.actions`);
      }
      if (v.fd !== undefined && v.pinned !== undefined) throw new EncodeError(`${path}.pinned`, 'give fd or pinned, not both');
      if (v.fd === undefined && v.pinned === undefined) throw new EncodeError(`${path}.fd`, 'bpf needs a program: fd or pinned');
      let fd: number;
      let name = v.name;
      if (v.pinned !== undefined) {
        if (typeof v.pinned !== 'string' || !v.pinned) throw new EncodeError(`${path}.pinned`, 'expected a bpffs path');
        if (!ctx.bpfObjGet) throw new EncodeError(`${path}.pinned`, 'opening a pinned program needs the client (or give fd)');
        fd = ctx.bpfObjGet(v.pinned);
        name ??= pinnedName(v.pinned);
      } else {
        fd = intOption(v.fd, `${path}.fd`, 0, 0x7fffffff);
      }
      // The set's string codec checks a name given by the caller.
      encodeAttrsChecked(bpfAttrs, w, { fd, name }, path);
      let gen = 0;
      if (v.skipHw) gen |= TCA_CLS_FLAGS_SKIP_HW;
      if (v.skipSw) gen |= TCA_CLS_FLAGS_SKIP_SW;
      bpfAttrs.encode(w, { flagsGen: gen || undefined, flags: v.directAction ? TCA_BPF_FLAG_ACT_DIRECT : undefined }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = bpfAttrs.decode(buf, start, end, issues, path);
      const out: BpfOptions = {};
      if (a.classid !== undefined) out.classid = formatHandle(a.classid);
      if (a.name !== undefined) out.name = a.name;
      if (a.flags !== undefined) out.directAction = (a.flags & TCA_BPF_FLAG_ACT_DIRECT) !== 0;
      if (a.flagsGen !== undefined) out.flags = clsFlags(a.flagsGen);
      if (a.id !== undefined) out.id = a.id;
      if (a.tag) out.tag = a.tag.toString('hex');
      if (a.ops) out.ops = a.ops;
      if (a.act) out.actions = decodeActions(buf, a.act.start, a.act.end, issues, `${path}.actions`);
      if (a.police) out.police = a.police;
      if (a.unknown) out.unknown = a.unknown;
      return out;
    },
  },
  handle: {
    parse: (v, path) => (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : intOption(v, path)),
    format: (h) => `0x${h.toString(16)}`,
  },
};

