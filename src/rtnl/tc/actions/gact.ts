// gact: the generic action — a verdict (pass, drop, reclassify, pipe, goto
// chain...), optionally a random second verdict (`drop random determ ok 10`).
import { TCA_GACT_PARMS, TCA_GACT_PROB, TCA_GACT_TM, PGACT_DETERM, PGACT_NETRAND, tc_gact, tc_gact_p } from '../../../generated/linux/tc_act/tc_gact.js';
import { tcf_t } from '../../../generated/linux/pkt_cls.js';
import { struct } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { isRecord } from '../../../netlink/narrow.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import { type ActionKind, type ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { type Control, controlName, controlOut, controlWords, parseControl } from './control.js';
import { type ActionTimes, times, timesOut } from './times.js';
import { type Words, UsageError, cNumber, matches } from '../../words.js';

const gactAttrs = attrSet('gact', {
  tm: attr(TCA_GACT_TM, struct(tcf_t)),
  parms: attr(TCA_GACT_PARMS, struct(tc_gact)),
  prob: attr(TCA_GACT_PROB, struct(tc_gact_p)),
});

/** gact's random verdict: another verdict taken by chance (netrand) or every n-th packet (determ). */
export interface GactRandom {
  type: 'netrand' | 'determ' | 'none' | number;
  /** The verdict taken at random. */
  action: Control;
  /** netrand: 1 in value; determ: every value-th packet. */
  value: number;
}

/** gact's options as decoded: its verdict, index and reference counts, a random verdict if set, its times. */
export interface GactOptions {
  action: Control;
  index: number;
  refcnt: number;
  bindcnt: number;
  random?: GactRandom;
  tm?: ActionTimes;
}

/** gact's options as given (`action drop`, `action pass random determ ...`). */
export interface GactOptionsInput {
  /** Required unless binding an existing action by index. */
  action?: Control;
  random?: { type: 'netrand' | 'determ'; action: Control; value: number };
  index?: number;
}

// ── tc words and printers ──

function gactWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (w.peek() !== undefined && matches(w.peek()!, 'index')) {
    w.next();
    o.index = cNumber(w.value('index'), 'gact index', 10);
    return o;
  }
  o.action = controlWords(w);
  if (w.peek() !== undefined && matches(w.peek()!, 'random')) {
    w.next();
    const t = w.next();
    const type = matches(t, 'netrand') ? 'netrand' : matches(t, 'determ') ? 'determ' : undefined;
    if (!type) throw new UsageError(`illegal random type "${t}"`);
    o.random = { type, action: controlWords(w), value: cNumber(w.next(), 'gact random value', 10) };
  }
  if (w.peek() !== undefined && matches(w.peek()!, 'index')) { w.next(); o.index = cNumber(w.value('index'), 'gact index', 10); }
  return o;
}

const printGact: ActionPrint<GactOptions> = (p, o, ctx) => {
  controlOut(p, o.action, 'action ', '');
  const r = o.random ?? { type: 'none', action: 'pass', value: 0 };
  p.nest('prob', (q) => {
    q.any('random_type', typeof r.type === 'number' ? 'none' : r.type, `\n\t random type ${typeof r.type === 'number' ? 'none' : r.type}`);
    controlOut(q, r.action, ' ', ' ');
    q.any('val', r.value, `val ${r.value}`);
  });
  p.any('index', o.index, `\n\t index ${o.index}`).any('ref', o.refcnt, ` ref ${o.refcnt}`).any('bind', o.bindcnt, ` bind ${o.bindcnt}`);
  timesOut(p, o.tm, ctx);
};

export const gact: ActionKind<GactOptions, GactOptionsInput> = {
  kind: 'gact',
  words: gactWords,
  print: printGact,
  options: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['action', 'random', 'index'], path, 'gact');
      if (v.action === undefined && v.index === undefined) throw new EncodeError(`${path}.action`, 'gact needs a verdict (pass, drop...) or the index of an existing action');
      const parms = {
        index: v.index === undefined ? 0 : intOption(v.index, `${path}.index`),
        action: v.action === undefined ? 0 : parseControl(v.action, `${path}.action`),
      };
      let prob: { ptype: number; pval: number; paction: number } | undefined;
      if (v.random !== undefined) {
        const r = isRecord(v.random) ? v.random : {};
        const ptype = r.type === 'netrand' ? PGACT_NETRAND : r.type === 'determ' ? PGACT_DETERM : undefined;
        if (ptype === undefined) throw new EncodeError(`${path}.random.type`, 'netrand or determ');
        prob = { ptype, paction: parseControl(r.action, `${path}.random.action`), pval: intOption(r.value, `${path}.random.value`, 0, 10000) };
      }
      gactAttrs.encode(w, { parms, prob }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = gactAttrs.decode(buf, start, end, issues, path);
      const p = a.parms ?? { index: 0, capab: 0, action: 0, refcnt: 0, bindcnt: 0 };
      if (!a.parms) issues?.push({ path, problem: 'gact without TCA_GACT_PARMS' });
      const out: GactOptions = { action: controlName(p.action), index: p.index, refcnt: p.refcnt, bindcnt: p.bindcnt };
      if (a.prob) {
        const t = a.prob.ptype;
        out.random = { type: t === PGACT_NETRAND ? 'netrand' : t === PGACT_DETERM ? 'determ' : t === 0 ? 'none' : t, action: controlName(a.prob.paction), value: a.prob.pval };
      }
      if (a.tm) out.tm = times(a.tm);
      return out;
    },
  },
};

