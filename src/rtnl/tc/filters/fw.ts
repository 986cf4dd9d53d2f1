// fw: matches the packet's firewall mark against the filter's handle (under
// an optional mask), then sends it to a class and/or through actions
// (`tc filter add ... handle 5 fw classid 1:10`). tc 6.1 prints fw filters
// in text only.
import { TCA_FW_ACT, TCA_FW_CLASSID, TCA_FW_INDEV, TCA_FW_MASK } from '../../../generated/linux/pkt_cls.js';
import { string, u32 } from '../../../netlink/codec.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { describe } from '../../../netlink/describe.js';
import { EncodeError } from '../../../netlink/errors.js';
import { type Action, type ActionInput, actionWords, actionsOut, decodeActions, encodeActions } from '../actions/action.js';
import { type TcHandle, formatHandle, parseClassid } from '../handles.js';
import type { FilterKind, FilterPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { span } from '../stats.js';
import { type Words, matches } from '../../words.js';

const fwAttrs = attrSet('fw', {
  mask: attr(TCA_FW_MASK, u32),
  classid: attr(TCA_FW_CLASSID, u32),
  indev: attr(TCA_FW_INDEV, string),
  act: attr(TCA_FW_ACT, span),
});

/** An fw filter as the kernel reports it: it matches the packet's firewall mark against the filter's handle. */
export interface FwOptions {
  /** The mask applied to the mark before comparing it with the handle. */
  mask?: number;
  classid?: string;
  indev?: string;
  actions?: Action[];
  unknown?: RawAttr[];
}

/** An fw filter as `tc filter add ... handle MARK[/MASK] fw [classid C] [indev DEV] [action ...]` takes it. */
export interface FwOptionsInput {
  /** tc's "handle MARK/MASK": the mask part. */
  mask?: number;
  classid?: TcHandle;
  flowid?: TcHandle;
  indev?: string;
  actions?: readonly ActionInput[];
}

// ── tc words and printer ──

function fwWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'classid') || matches(k, 'flowid')) o.classid = w.value(k);
    else if (matches(k, 'action')) o.actions = [...(Array.isArray(o.actions) ? o.actions : []), ...actionWords(w)];
    else if (k === 'indev') o.indev = w.value(k);
    else w.unknown(k);
  }
  return o;
}

const printFw: FilterPrint<FwOptions> = (p, o, handle, ctx) => {
  if (handle || o.mask !== undefined) {
    p.onlyText(o.mask !== undefined && o.mask !== 0xffffffff ? `handle 0x${handle.toString(16)}/0x${o.mask.toString(16)} ` : `handle 0x${handle.toString(16)} `);
  }
  if (o.classid !== undefined) p.onlyText(`classid ${o.classid} `);
  if (o.indev !== undefined) p.onlyText(`input dev ${o.indev} `);
  if (o.actions) {
    p.onlyText('\n');
    actionsOut(p, o.actions, ctx);
  }
};

export const fw: FilterKind<FwOptions, FwOptionsInput | undefined> = {
  kind: 'fw',
  words: fwWords,
  print: printFw,
  options: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['mask', 'classid', 'flowid', 'indev', 'actions'], path, 'fw');
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      // tc sends no options at all for a bare "fw".
      if (!keys.length) return false;
      if (v.mask !== undefined) fwAttrs.encode(w, { mask: intOption(v.mask, `${path}.mask`) }, path);
      for (const k of keys) {
        const x = v[k];
        if (k === 'classid' || k === 'flowid') fwAttrs.encode(w, { classid: parseClassid(x, `${path}.${k}`, 'class id') }, path);
        else if (k === 'indev') {
          if (typeof x !== 'string') throw new EncodeError(`${path}.indev`, `expected a device name, got ${describe(x)}`);
          fwAttrs.encode(w, { indev: x }, `${path}.indev`);
        }
        else if (k === 'actions') encodeActions(w, TCA_FW_ACT, x, ctx, `${path}.actions`);
      }
    },
    decode(buf, start, end, issues, path) {
      const a = fwAttrs.decode(buf, start, end, issues, path);
      const o: FwOptions = {};
      if (a.mask !== undefined) o.mask = a.mask;
      if (a.classid !== undefined) o.classid = formatHandle(a.classid);
      if (a.indev !== undefined) o.indev = a.indev;
      if (a.act) o.actions = decodeActions(buf, a.act.start, a.act.end, issues, `${path}.actions`);
      if (a.unknown) o.unknown = a.unknown;
      return o;
    },
  },
};
