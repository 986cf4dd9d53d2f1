// connmark: copies the conntrack mark of the packet's connection (in a zone)
// to the packet's firewall mark (`action connmark zone 5`).
import { TC_ACT_PIPE, tcf_t } from '../../../generated/linux/pkt_cls.js';
import { TCA_CONNMARK_PARMS, TCA_CONNMARK_TM, tc_connmark } from '../../../generated/linux/tc_act/tc_connmark.js';
import { struct } from '../../../netlink/codec.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import type { ActionKind, ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { type ActionCommon, type ActionCommonInput, commonOf, commonOut, commonParms, commonWords } from './generic.js';
import { type Words, cNumber, matches } from '../../words.js';

const connmarkAttrs = attrSet('connmark', {
  parms: attr(TCA_CONNMARK_PARMS, struct(tc_connmark)),
  tm: attr(TCA_CONNMARK_TM, struct(tcf_t)),
});

export interface ConnmarkOptions extends ActionCommon {
  zone: number;
}

export interface ConnmarkOptionsInput extends ActionCommonInput {
  /** Conntrack zone (default 0). */
  zone?: number;
}

// ── tc words and printer ──

function connmarkWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (w.peek() !== undefined && matches(w.peek(), 'zone')) { w.next(); o.zone = cNumber(w.value('zone'), 'connmark zone', 10); }
  return commonWords(w, o, 'connmark');
}

const printConnmark: ActionPrint<ConnmarkOptions> = (p, o, ctx) => {
  p.any('zone', o.zone, `zone ${o.zone}`);
  commonOut(p, o, ctx);
};

export const connmark: ActionKind<ConnmarkOptions, ConnmarkOptionsInput | undefined> = {
  kind: 'connmark',
  words: connmarkWords,
  print: printConnmark,
  options: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['zone', 'control', 'index'], path, 'connmark');
      connmarkAttrs.encode(w, { parms: { ...commonParms(v, TC_ACT_PIPE, path), zone: v.zone === undefined ? 0 : intOption(v.zone, `${path}.zone`, 0, 0xffff) } }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = connmarkAttrs.decode(buf, start, end, issues, path);
      return { ...commonOf(a.parms, a.tm, issues, path, 'connmark'), zone: a.parms?.zone ?? 0 };
    },
  },
};
