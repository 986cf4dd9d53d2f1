// skbedit: sets packet metadata — queue mapping, priority, firewall mark
// (under a mask), packet type, DS field inheritance (`action skbedit mark 5`).
import { PACKET_BROADCAST, PACKET_HOST, PACKET_MULTICAST, PACKET_OTHERHOST } from '../../../generated/linux/if_packet.js';
import { TC_ACT_PIPE, tcf_t } from '../../../generated/linux/pkt_cls.js';
import {
  SKBEDIT_F_INHERITDSFIELD, TCA_SKBEDIT_FLAGS, TCA_SKBEDIT_MARK, TCA_SKBEDIT_MASK, TCA_SKBEDIT_PARMS, TCA_SKBEDIT_PRIORITY,
  TCA_SKBEDIT_PTYPE, TCA_SKBEDIT_QUEUE_MAPPING, TCA_SKBEDIT_TM, tc_skbedit,
} from '../../../generated/linux/tc_act/tc_skbedit.js';
import { struct, u16, u32, u64 } from '../../../netlink/codec.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import { EncodeError } from '../../../netlink/errors.js';
import { type TcHandle, formatHandle, parseClassid } from '../handles.js';
import type { ActionKind, ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { type ActionCommon, type ActionCommonInput, commonOf, commonOut, commonParms, commonWords, oneOf } from './generic.js';
import { type Words, UsageError, cNumber, matches } from '../../words.js';

const skbeditAttrs = attrSet('skbedit', {
  tm: attr(TCA_SKBEDIT_TM, struct(tcf_t)),
  parms: attr(TCA_SKBEDIT_PARMS, struct(tc_skbedit)),
  queueMapping: attr(TCA_SKBEDIT_QUEUE_MAPPING, u16),
  priority: attr(TCA_SKBEDIT_PRIORITY, u32),
  mark: attr(TCA_SKBEDIT_MARK, u32),
  mask: attr(TCA_SKBEDIT_MASK, u32),
  ptype: attr(TCA_SKBEDIT_PTYPE, u16),
  flags: attr(TCA_SKBEDIT_FLAGS, u64),
});

/** The packet type skbedit sets (`action skbedit ptype host|broadcast|multicast|otherhost`, PACKET_*). */
export type Ptype = 'host' | 'broadcast' | 'multicast' | 'otherhost';
const PTYPES: readonly (readonly [Ptype, number])[] = [['host', PACKET_HOST], ['broadcast', PACKET_BROADCAST], ['multicast', PACKET_MULTICAST], ['otherhost', PACKET_OTHERHOST]];

export interface SkbeditOptions extends ActionCommon {
  queueMapping?: number;
  /** A class id ("1:10"), as tc prints it. */
  priority?: string;
  mark?: number;
  mask?: number;
  ptype?: Ptype | number;
  inheritDsfield?: boolean;
}

export interface SkbeditOptionsInput extends ActionCommonInput {
  queueMapping?: number;
  priority?: TcHandle;
  mark?: number;
  mask?: number;
  ptype?: Ptype;
  inheritDsfield?: boolean;
}

// ── tc words and printer ──

function skbeditWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (;;) {
    const k = w.peek();
    if (k === undefined) break;
    if (matches(k, 'queue_mapping')) { w.next(); o.queueMapping = cNumber(w.value(k), 'skbedit queue_mapping', 10); }
    else if (matches(k, 'priority')) { w.next(); o.priority = w.value(k); }
    else if (matches(k, 'mark')) {
      w.next();
      const [mark, mask] = w.value(k).split('/');
      o.mark = cNumber(mark ?? '', 'skbedit mark');
      if (mask !== undefined) o.mask = cNumber(mask, 'skbedit mask');
    } else if (matches(k, 'ptype')) {
      w.next();
      const t = w.value(k);
      const hit = PTYPES.find(([n]) => matches(t, n));
      if (!hit) throw new UsageError(`Illegal ptype (${t})`);
      o.ptype = hit[0];
    } else if (matches(k, 'inheritdsfield')) { w.next(); o.inheritDsfield = true; }
    else break;
  }
  return commonWords(w, o, 'skbedit');
}

const printSkbedit: ActionPrint<SkbeditOptions> = (p, o, ctx) => {
  p.any('queue_mapping', o.queueMapping, `queue_mapping ${o.queueMapping}`)
    .any('priority', o.priority, ` priority ${o.priority}`)
    .any('mark', o.mark, ` mark ${o.mark}`)
    .any('mask', o.mask === undefined ? undefined : o.mask.toString(16),`/0x${o.mask?.toString(16)}`)
    .any('ptype', o.ptype, ` ptype ${o.ptype}`);
  if (o.inheritDsfield) p.any('inheritdsfield', null, ' inheritdsfield');
  commonOut(p, o, ctx);
};

export const skbedit: ActionKind<SkbeditOptions, SkbeditOptionsInput> = {
  kind: 'skbedit',
  words: skbeditWords,
  print: printSkbedit,
  options: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['queueMapping', 'priority', 'mark', 'mask', 'ptype', 'inheritDsfield', 'control', 'index'], path, 'skbedit');
      if (v.mask !== undefined && v.mark === undefined) throw new EncodeError(`${path}.mask`, 'a mask goes with a mark');
      skbeditAttrs.encode(w, {
        parms: commonParms(v, TC_ACT_PIPE, path),
        queueMapping: v.queueMapping === undefined ? undefined : intOption(v.queueMapping, `${path}.queueMapping`, 0, 0xffff),
        priority: v.priority === undefined ? undefined : parseClassid(v.priority, `${path}.priority`, 'priority'),
        mark: v.mark === undefined ? undefined : intOption(v.mark, `${path}.mark`),
        mask: v.mask === undefined ? undefined : intOption(v.mask, `${path}.mask`),
        ptype: v.ptype === undefined ? undefined : PTYPES.find(([n]) => n === oneOf(v.ptype, PTYPES.map(([x]) => x), `${path}.ptype`))?.[1],
        flags: v.inheritDsfield ? SKBEDIT_F_INHERITDSFIELD : undefined,
      }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = skbeditAttrs.decode(buf, start, end, issues, path);
      const out: SkbeditOptions = commonOf(a.parms, a.tm, issues, path, 'skbedit');
      if (a.queueMapping !== undefined) out.queueMapping = a.queueMapping;
      if (a.priority !== undefined) out.priority = formatHandle(a.priority);
      if (a.mark !== undefined) out.mark = a.mark;
      if (a.mask !== undefined) out.mask = a.mask;
      if (a.ptype !== undefined) out.ptype = PTYPES.find(([, n]) => n === a.ptype)?.[0] ?? a.ptype;
      if (a.flags !== undefined && (Number(a.flags) & SKBEDIT_F_INHERITDSFIELD)) out.inheritDsfield = true;
      return out;
    },
  },
};
