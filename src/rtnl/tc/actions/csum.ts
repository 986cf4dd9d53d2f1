// csum: recomputes checksums of the headers named (`action csum iph and tcp`).
import { TC_ACT_OK, tcf_t } from '../../../generated/linux/pkt_cls.js';
import * as C from '../../../generated/linux/tc_act/tc_csum.js';
import { struct } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { describe } from '../../../netlink/describe.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import type { ActionKind, ActionPrint } from '../kind.js';
import { checkKeys, optionsObject } from '../options.js';
import { type ActionCommon, type ActionCommonInput, commonOf, commonOut, commonParms, commonWords } from './generic.js';
import { type Words, UsageError, matches } from '../../words.js';

const csumAttrs = attrSet('csum', {
  parms: attr(C.TCA_CSUM_PARMS, struct(C.tc_csum)),
  tm: attr(C.TCA_CSUM_TM, struct(tcf_t)),
});

/** A header whose checksum the csum action recomputes, in tc's words (`action csum iph tcp ...`). */
export type CsumHeader = 'iph' | 'icmp' | 'igmp' | 'tcp' | 'udp' | 'udplite' | 'sctp';
// In tc's order (print_csum).
const HEADERS: readonly (readonly [CsumHeader, number])[] = [
  ['iph', C.TCA_CSUM_UPDATE_FLAG_IPV4HDR], ['icmp', C.TCA_CSUM_UPDATE_FLAG_ICMP], ['igmp', C.TCA_CSUM_UPDATE_FLAG_IGMP],
  ['tcp', C.TCA_CSUM_UPDATE_FLAG_TCP], ['udp', C.TCA_CSUM_UPDATE_FLAG_UDP], ['udplite', C.TCA_CSUM_UPDATE_FLAG_UDPLITE],
  ['sctp', C.TCA_CSUM_UPDATE_FLAG_SCTP],
];

export interface CsumOptions extends ActionCommon {
  update: CsumHeader[];
}

export interface CsumOptionsInput extends ActionCommonInput {
  /** The headers whose checksums to recompute. Required unless binding an existing action by index. */
  update?: readonly CsumHeader[];
}

// ── tc words and printer ──

function csumWords(w: Words): Record<string, unknown> {
  const update: CsumHeader[] = [];
  for (;;) {
    const k = w.peek();
    if (k === undefined) break;
    const hit = matches(k, 'ip4h') || matches(k, 'ipv4h') ? HEADERS[0] : HEADERS.find(([n]) => matches(k, n));
    if (hit) { if (!update.includes(hit[0])) update.push(hit[0]); }
    else if (!(matches(k, 'and') || matches(k, 'or') || k === '+')) break;
    w.next();
  }
  if (!update.length) throw new UsageError('Illegal csum construct, empty <UPDATE> list');
  return commonWords(w, { update }, 'csum');
}

const printCsum: ActionPrint<CsumOptions> = (p, o, ctx) => {
  const list = o.update.length ? o.update.join(', ') : '?empty';
  p.any('csum', list, `(${list}) `);
  commonOut(p, o, ctx, 'action ', '\n', '\tindex');
};

export const csum: ActionKind<CsumOptions, CsumOptionsInput> = {
  kind: 'csum',
  words: csumWords,
  print: printCsum,
  options: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['update', 'control', 'index'], path, 'csum');
      let flags = 0;
      if (v.update !== undefined) {
        if (!Array.isArray(v.update)) throw new EncodeError(`${path}.update`, `expected a list of headers (${HEADERS.map(([n]) => n).join(', ')}), got ${describe(v.update)}`);
        for (const h of v.update) {
          const hit = HEADERS.find(([n]) => n === h);
          if (!hit) throw new EncodeError(`${path}.update`, `"${String(h)}" is not one of ${HEADERS.map(([n]) => n).join(', ')}`);
          flags |= hit[1];
        }
      }
      if (!flags && v.index === undefined) throw new EncodeError(`${path}.update`, 'csum needs at least one header to update');
      csumAttrs.encode(w, { parms: { ...commonParms(v, TC_ACT_OK, path), update_flags: flags } }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = csumAttrs.decode(buf, start, end, issues, path);
      const f = a.parms?.update_flags ?? 0;
      return { ...commonOf(a.parms, a.tm, issues, path, 'csum'), update: HEADERS.filter(([, n]) => f & n).map(([h]) => h) };
    },
  },
};
