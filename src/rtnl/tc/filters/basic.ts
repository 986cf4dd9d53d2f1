// basic: matches what its extended matches (ematch) say — every packet when
// there are none — then sends it to a class and/or through actions
// (`basic classid 1:10 action drop`). This version writes no ematch tree;
// one the kernel reports is kept as bytes and sent back as it came.
import { TCA_BASIC_ACT, TCA_BASIC_CLASSID, TCA_BASIC_EMATCHES } from '../../../generated/linux/pkt_cls.js';
import { binary, u32 } from '../../../netlink/codec.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { type Action, type ActionInput, actionWords, actionsOut, decodeActions, encodeActions } from '../actions/action.js';
import { type TcHandle, formatHandle, parseClassid } from '../handles.js';
import type { FilterKind, FilterPrint } from '../kind.js';
import { checkKeys, optionsObject } from '../options.js';
import { span } from '../stats.js';
import { type Words, matches } from '../../words.js';

const basicAttrs = attrSet('basic', {
  classid: attr(TCA_BASIC_CLASSID, u32),
  ematches: attr(TCA_BASIC_EMATCHES, binary),
  act: attr(TCA_BASIC_ACT, span),
});

/** A basic filter as the kernel reports it (`tc filter show ... basic`). */
export interface BasicOptions {
  classid?: string;
  /** The ematch tree as the kernel holds it (TCA_BASIC_EMATCHES), not decoded by this version. */
  ematches?: Buffer;
  actions?: Action[];
  unknown?: RawAttr[];
}

/** A basic filter as `tc filter add ... basic [classid C] [action ...]` takes it. */
export interface BasicOptionsInput {
  classid?: TcHandle;
  flowid?: TcHandle;
  /** An ematch tree's bytes, sent as they are. */
  ematches?: Uint8Array;
  actions?: readonly ActionInput[];
}

// ── tc words and printer ──

function basicWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'classid') || k === 'flowid') o.classid = w.value(k);
    else if (matches(k, 'action')) o.actions = [...(Array.isArray(o.actions) ? o.actions : []), ...actionWords(w)];
    else if (matches(k, 'match')) w.fail('ematch expressions ("match") are not supported by this version');
    else w.unknown(k);
  }
  return o;
}

const printBasic: FilterPrint<BasicOptions> = (p, o, handle, ctx) => {
  if (handle) p.any('handle', handle.toString(16), `handle 0x${handle.toString(16)} `);
  p.any('flowid', o.classid, `flowid ${o.classid} `);
  if (o.actions) actionsOut(p, o.actions, ctx);
};

export const basic: FilterKind<BasicOptions, BasicOptionsInput | undefined> = {
  kind: 'basic',
  words: basicWords,
  print: printBasic,
  options: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['classid', 'flowid', 'ematches', 'actions'], path, 'basic');
      // tc writes the options attribute, empty or not, in the order of the words.
      for (const k of Object.keys(v)) {
        const x = v[k];
        if (x === undefined) continue;
        if (k === 'classid' || k === 'flowid') basicAttrs.encode(w, { classid: parseClassid(x, `${path}.${k}`, 'class id') }, path);
        else if (k === 'ematches') basicAttrs.encode(w, { ematches: x instanceof Uint8Array ? x : Buffer.alloc(0) }, path);
        else if (k === 'actions') encodeActions(w, TCA_BASIC_ACT, x, ctx, `${path}.actions`);
      }
    },
    decode(buf, start, end, issues, path) {
      const a = basicAttrs.decode(buf, start, end, issues, path);
      const o: BasicOptions = {};
      if (a.classid !== undefined) o.classid = formatHandle(a.classid);
      if (a.ematches) o.ematches = a.ematches;
      if (a.act) o.actions = decodeActions(buf, a.act.start, a.act.end, issues, `${path}.actions`);
      if (a.unknown) o.unknown = a.unknown;
      return o;
    },
  },
};
