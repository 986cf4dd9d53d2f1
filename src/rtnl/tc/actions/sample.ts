// sample: hands 1 in `rate` packets (cut to `trunc` bytes) to a psample
// group, for sFlow-style monitoring (`action sample rate 100 group 5`).
import { TC_ACT_PIPE, tcf_t } from '../../../generated/linux/pkt_cls.js';
import { TCA_SAMPLE_PARMS, TCA_SAMPLE_PSAMPLE_GROUP, TCA_SAMPLE_RATE, TCA_SAMPLE_TM, TCA_SAMPLE_TRUNC_SIZE, tc_sample } from '../../../generated/linux/tc_act/tc_sample.js';
import { struct, u32 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import type { ActionKind, ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { type ActionCommon, type ActionCommonInput, commonOf, commonOut, commonParms, commonWords } from './generic.js';
import { type Words, cNumber, matches } from '../../words.js';

const sampleAttrs = attrSet('sample', {
  tm: attr(TCA_SAMPLE_TM, struct(tcf_t)),
  parms: attr(TCA_SAMPLE_PARMS, struct(tc_sample)),
  rate: attr(TCA_SAMPLE_RATE, u32),
  group: attr(TCA_SAMPLE_PSAMPLE_GROUP, u32),
  trunc: attr(TCA_SAMPLE_TRUNC_SIZE, u32),
});

export interface SampleOptions extends ActionCommon {
  rate?: number;
  group?: number;
  trunc?: number;
}

export interface SampleOptionsInput extends ActionCommonInput {
  /** One in `rate` packets. Required (with group) unless binding by index. */
  rate?: number;
  group?: number;
  trunc?: number;
}

// ── tc words and printer ──

function sampleWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (;;) {
    const k = w.peek();
    const key = k === undefined ? undefined : (['rate', 'group', 'trunc'] as const).find((n) => matches(k, n));
    if (k === undefined || key === undefined) break;
    w.next();
    o[key] = cNumber(w.value(k), `sample ${key}`, 10);
  }
  return commonWords(w, o, 'sample');
}

const printSample: ActionPrint<SampleOptions> = (p, o, ctx) => {
  p.any('rate', o.rate, `rate 1/${o.rate} `).any('group', o.group, `group ${o.group}`).any('trunc_size', o.trunc, ` trunc_size ${o.trunc}`);
  commonOut(p, o, ctx);
};

export const sample: ActionKind<SampleOptions, SampleOptionsInput> = {
  kind: 'sample',
  words: sampleWords,
  print: printSample,
  options: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['rate', 'group', 'trunc', 'control', 'index'], path, 'sample');
      if (v.index === undefined && (v.rate === undefined || v.group === undefined)) throw new EncodeError(`${path}.${v.rate === undefined ? 'rate' : 'group'}`, 'sample needs a rate and a group (or the index of an existing action)');
      const n = (k: string, min = 0): number | undefined => v[k] === undefined ? undefined : intOption(v[k], `${path}.${k}`, min);
      sampleAttrs.encode(w, { parms: commonParms(v, TC_ACT_PIPE, path), rate: n('rate', 1), group: n('group'), trunc: n('trunc') }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = sampleAttrs.decode(buf, start, end, issues, path);
      const out: SampleOptions = commonOf(a.parms, a.tm, issues, path, 'sample');
      if (a.rate !== undefined) out.rate = a.rate;
      if (a.group !== undefined) out.group = a.group;
      if (a.trunc !== undefined) out.trunc = a.trunc;
      return out;
    },
  },
};
