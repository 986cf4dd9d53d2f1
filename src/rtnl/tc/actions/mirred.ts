// mirred: redirect or mirror packets to another device, on its egress or
// ingress path (`action mirred egress redirect dev ifb0`).
import { TCA_EGRESS_MIRROR, TCA_EGRESS_REDIR, TCA_INGRESS_MIRROR, TCA_INGRESS_REDIR, TCA_MIRRED_PARMS, TCA_MIRRED_TM, tc_mirred } from '../../../generated/linux/tc_act/tc_mirred.js';
import { TC_ACT_PIPE, TC_ACT_STOLEN, tcf_t } from '../../../generated/linux/pkt_cls.js';
import { EncodeError } from '../../../netlink/errors.js';
import { struct } from '../../../netlink/codec.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import { type ActionKind, type ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { type Control, controlName, controlOut, controlWords, isControlWord, parseControl } from './control.js';
import { type ActionTimes, times, timesOut } from './times.js';
import { type Words, cNumber, matches } from '../../words.js';

const mirredAttrs = attrSet('mirred', {
  tm: attr(TCA_MIRRED_TM, struct(tcf_t)),
  parms: attr(TCA_MIRRED_PARMS, struct(tc_mirred)),
});

/** mirred's options as decoded: mirror or redirect, ingress or egress, to which device. */
export interface MirredOptions {
  action: 'redirect' | 'mirror' | 'unknown';
  direction: 'egress' | 'ingress' | 'unknown';
  /** The device packets go to. */
  ifindex: number;
  /** What happens to the original packet after it (stolen for redirect, pipe for mirror by default). */
  control: Control;
  index: number;
  refcnt: number;
  bindcnt: number;
  tm?: ActionTimes;
}

/** mirred's options as given (`action mirred egress redirect dev X`). */
export interface MirredOptionsInput {
  /** Required unless binding an existing action by index. */
  action?: 'redirect' | 'mirror';
  /** Default egress. */
  direction?: 'egress' | 'ingress';
  /** Target device, by name or index. */
  dev?: string | number;
  /** For mirror only (default pipe): what happens to the original. */
  control?: Control;
  /** Share (or bind to) the action with this index. */
  index?: number;
}

const EACTION: Record<string, number> = {
  'egress redirect': TCA_EGRESS_REDIR, 'egress mirror': TCA_EGRESS_MIRROR,
  'ingress redirect': TCA_INGRESS_REDIR, 'ingress mirror': TCA_INGRESS_MIRROR,
};

// ── tc words and printers ──

function mirredWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.peek()!;
    if (matches(k, 'egress') || matches(k, 'ingress')) { o.direction = matches(k, 'egress') ? 'egress' : 'ingress'; w.next(); }
    else if (matches(k, 'mirror') || matches(k, 'redirect')) { o.action = matches(k, 'mirror') ? 'mirror' : 'redirect'; w.next(); }
    else if (matches(k, 'index') && o.index === undefined) { w.next(); o.index = cNumber(w.value('index'), 'mirred index', 10); if (!o.action) break; }
    else if (matches(k, 'dev') && o.action) { w.next(); o.dev = w.value('dev'); break; }
    else break;
  }
  if (o.action === 'mirror' && isControlWord(w.peek())) o.control = controlWords(w);
  if (w.peek() !== undefined && matches(w.peek()!, 'index') && o.index === undefined) { w.next(); o.index = cNumber(w.value('index'), 'mirred index', 10); }
  return o;
}

const printMirred: ActionPrint<MirredOptions> = (p, o, ctx) => {
  const dir = o.direction === 'unknown' ? 'unknown' : o.direction === 'egress' ? 'Egress' : 'Ingress';
  const act = o.action === 'unknown' ? 'unknown' : o.action === 'redirect' ? 'Redirect' : 'Mirror';
  p.onlyText(`(${dir} ${act}`).onlyJson('mirred_action', o.action).onlyJson('direction', o.direction)
    .any('to_dev', ctx.devName(o.ifindex), ` to device ${ctx.devName(o.ifindex)})`);
  controlOut(p, o.control, ' ', '');
  p.any('index', o.index, `\n \tindex ${o.index}`).any('ref', o.refcnt, ` ref ${o.refcnt}`).any('bind', o.bindcnt, ` bind ${o.bindcnt}`);
  timesOut(p, o.tm, ctx);
};

export const mirred: ActionKind<MirredOptions, MirredOptionsInput> = {
  kind: 'mirred',
  words: mirredWords,
  print: printMirred,
  options: {
    encode(w, value, ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['action', 'direction', 'dev', 'control', 'index'], path, 'mirred');
      const p: Record<string, number> = {};
      if (v.index !== undefined) p.index = intOption(v.index, `${path}.index`);
      if (v.action !== undefined) {
        const direction = v.direction ?? 'egress';
        const eaction = EACTION[`${String(direction)} ${String(v.action)}`];
        if (eaction === undefined) throw new EncodeError(`${path}.action`, `mirred takes redirect or mirror, egress or ingress (got ${String(v.action)}, ${String(direction)})`);
        p.eaction = eaction;
        const mirror = v.action === 'mirror';
        if (!mirror && v.control !== undefined) throw new EncodeError(`${path}.control`, 'a redirect steals the packet; only mirror takes a control action');
        p.action = mirror ? (v.control === undefined ? TC_ACT_PIPE : parseControl(v.control, `${path}.control`)) : TC_ACT_STOLEN;
        if (v.dev === undefined) throw new EncodeError(`${path}.dev`, 'mirred needs the target device');
        p.ifindex = deviceIndex(v.dev, ctx.ifindex, `${path}.dev`);
      } else if (p.index === undefined) {
        throw new EncodeError(`${path}.action`, 'mirred needs an action (redirect or mirror) or the index of an existing one');
      }
      mirredAttrs.encode(w, { parms: p }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = mirredAttrs.decode(buf, start, end, issues, path);
      const p = a.parms ?? { index: 0, capab: 0, action: 0, refcnt: 0, bindcnt: 0, eaction: 0, ifindex: 0 };
      if (!a.parms) issues?.push({ path, problem: 'mirred without TCA_MIRRED_PARMS' });
      const out: MirredOptions = {
        action: p.eaction === TCA_EGRESS_REDIR || p.eaction === TCA_INGRESS_REDIR ? 'redirect'
          : p.eaction === TCA_EGRESS_MIRROR || p.eaction === TCA_INGRESS_MIRROR ? 'mirror' : 'unknown',
        direction: p.eaction === TCA_EGRESS_REDIR || p.eaction === TCA_EGRESS_MIRROR ? 'egress'
          : p.eaction === TCA_INGRESS_REDIR || p.eaction === TCA_INGRESS_MIRROR ? 'ingress' : 'unknown',
        ifindex: p.ifindex, control: controlName(p.action), index: p.index, refcnt: p.refcnt, bindcnt: p.bindcnt,
      };
      if (a.tm) out.tm = times(a.tm);
      return out;
    },
  },
};

export function deviceIndex(dev: unknown, lookup: ((name: string) => number) | undefined, path: string): number {
  if (typeof dev === 'number') return intOption(dev, path, 1, 0x7fffffff);
  if (typeof dev !== 'string' || dev === '') throw new EncodeError(path, 'expected a device name or index');
  if (!lookup) throw new EncodeError(path, `device "${dev}" needs resolving to an index, and no lookup was given`);
  const i = lookup(dev);
  if (!i) throw new EncodeError(path, `no device "${dev}"`);
  return i;
}

