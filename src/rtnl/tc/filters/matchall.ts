// matchall: every packet matches; a class and/or actions say what happens to
// it (`matchall action mirred egress redirect dev ifb0`).
import { TCA_MATCHALL_ACT, TCA_MATCHALL_CLASSID, TCA_MATCHALL_FLAGS, TCA_MATCHALL_PCNT, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW, tc_matchall_pcnt } from '../../../generated/linux/pkt_cls.js';
import { struct, u32 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { type Action, type ActionInput, actionsOut, decodeActions, encodeActions, moreActions } from '../actions/action.js';
import { type TcHandle, formatHandle, parseClassid } from '../handles.js';
import { type FilterKind, type FilterPrint } from '../kind.js';
import { checkKeys, optionsObject } from '../options.js';
import { span } from '../stats.js';
import { type ClsFlags, clsFlags, clsFlagsOut } from './u32.js';
import { type Words, matches } from '../../words.js';

const matchallAttrs = attrSet('matchall', {
  classid: attr(TCA_MATCHALL_CLASSID, u32),
  act: attr(TCA_MATCHALL_ACT, span),
  flags: attr(TCA_MATCHALL_FLAGS, u32),
  pcnt: attr(TCA_MATCHALL_PCNT, struct(tc_matchall_pcnt)),
});

/** A matchall filter's options as decoded: its class, flags, actions and hits. */
export interface MatchallOptions {
  classid?: string;
  flags?: ClsFlags;
  actions?: Action[];
  /** Packets matched (when the kernel reports it). */
  hits?: number;
  unknown?: RawAttr[];
}

/** A matchall filter's options as given. */
export interface MatchallOptionsInput {
  classid?: TcHandle;
  flowid?: TcHandle;
  actions?: readonly ActionInput[];
  skipHw?: boolean;
  skipSw?: boolean;
}

// ── tc words and printers ──

function matchallWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'classid') || k === 'flowid') o.classid = w.value(k);
    else if (matches(k, 'action')) o.actions = moreActions(o.actions, w);
    else if (k === 'skip_hw') o.skipHw = true;
    else if (k === 'skip_sw') o.skipSw = true;
    else w.unknown(k);
  }
  return o;
}

const hex = (n: number): string => n.toString(16);

const printMatchall: FilterPrint<MatchallOptions> = (p, o, handle, ctx) => {
  if (handle) p.any('handle', handle, `handle 0x${hex(handle)} `);
  if (o.classid !== undefined) p.any('flowid', o.classid, `flowid ${o.classid} `);
  clsFlagsOut(p, o.flags, '\n  ');
  if (ctx.stats && o.hits !== undefined) p.any('rule_hit', o.hits, ` (rule hit ${o.hits})`);
  if (o.actions) actionsOut(p, o.actions, ctx);
};

export const matchall: FilterKind<MatchallOptions, MatchallOptionsInput | undefined> = {
  kind: 'matchall',
  words: matchallWords,
  print: printMatchall,
  options: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['classid', 'flowid', 'actions', 'skipHw', 'skipSw'], path, 'matchall');
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (!keys.length) return false;
      for (const k of keys) {
        if (k === 'classid' || k === 'flowid') matchallAttrs.encode(w, { classid: parseClassid(v[k], `${path}.${k}`, 'class id') }, path);
        else if (k === 'actions') encodeActions(w, TCA_MATCHALL_ACT, v[k], ctx, `${path}.actions`);
      }
      let flags = 0;
      if (v.skipHw) flags |= TCA_CLS_FLAGS_SKIP_HW;
      if (v.skipSw) flags |= TCA_CLS_FLAGS_SKIP_SW;
      if (flags === (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW)) throw new EncodeError(`${path}.skipSw`, 'skipHw and skipSw are mutually exclusive');
      if (flags) matchallAttrs.encode(w, { flags }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = matchallAttrs.decode(buf, start, end, issues, path);
      const out: MatchallOptions = {};
      if (a.classid !== undefined) out.classid = formatHandle(a.classid);
      if (a.flags !== undefined) out.flags = clsFlags(a.flags);
      if (a.act) out.actions = decodeActions(buf, a.act.start, a.act.end, issues, `${path}.actions`);
      if (a.pcnt) out.hits = a.pcnt.rhit;
      if (a.unknown) out.unknown = a.unknown;
      return out;
    },
  },
};

