// ct: sends the packet through conntrack — commit it (with a mark, NAT),
// look it up in a zone, or clear its conntrack state (`action ct commit
// nat src addr 198.18.0.1`). Attributes go in the order of the words, then
// the action flags and parameters, as tc writes them.
import { TC_ACT_PIPE, tcf_t } from '../../../generated/linux/pkt_cls.js';
import * as C from '../../../generated/linux/tc_act/tc_ct.js';
import { be16, ip, struct, u16, u32 } from '../../../netlink/codec.js';
import { describe } from '../../../netlink/describe.js';
import { EncodeError } from '../../../netlink/errors.js';
import { parseIP } from '../../../netlink/ip.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import type { ActionKind, ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { type Masked, masked, maskedParts, parseMasked } from '../filters/flower-values.js';
import { type ActionCommon, type ActionCommonInput, commonOf, commonOut, commonParms, commonWords } from './generic.js';
import { type Words, UsageError, matches } from '../../words.js';

const ctAttrs = attrSet('ct', {
  parms: attr(C.TCA_CT_PARMS, struct(C.tc_ct)),
  tm: attr(C.TCA_CT_TM, struct(tcf_t)),
  action: attr(C.TCA_CT_ACTION, u16),
  zone: attr(C.TCA_CT_ZONE, u16),
  mark: attr(C.TCA_CT_MARK, u32), markMask: attr(C.TCA_CT_MARK_MASK, u32),
  v4min: attr(C.TCA_CT_NAT_IPV4_MIN, ip), v4max: attr(C.TCA_CT_NAT_IPV4_MAX, ip),
  v6min: attr(C.TCA_CT_NAT_IPV6_MIN, ip), v6max: attr(C.TCA_CT_NAT_IPV6_MAX, ip),
  portMin: attr(C.TCA_CT_NAT_PORT_MIN, be16), portMax: attr(C.TCA_CT_NAT_PORT_MAX, be16),
});

/** The ct action's NAT (`action ct nat [src|dst addr A[-B] [port P[-Q]]]`). */
export interface CtNat {
  /** Absent: NAT as the connection already says (restore). */
  type?: 'src' | 'dst';
  /** "198.18.0.1" or a range "198.18.0.1-198.18.0.9". */
  addr?: string;
  /** "1000" or "1000-2000". */
  port?: string;
}

export interface CtOptions extends ActionCommon {
  commit: boolean;
  force: boolean;
  clear: boolean;
  zone?: number;
  mark?: Masked;
  nat?: CtNat;
}

export interface CtOptionsInput extends ActionCommonInput {
  commit?: boolean;
  force?: boolean;
  clear?: boolean;
  zone?: number;
  mark?: Masked | string;
  nat?: CtNat;
}

const KEYS = ['commit', 'force', 'clear', 'zone', 'mark', 'nat', 'control', 'index'];

// ── tc words and printer ──

function ctWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (;;) {
    const k = w.peek();
    if (k === undefined) break;
    if (matches(k, 'zone')) { w.next(); o.zone = Number(parseMasked(w.value(k), { bits: 16, base: 0, maskBase: 0 }, 'ct zone').value); }
    else if (matches(k, 'nat')) {
      w.next();
      const nat: CtNat = {};
      const t = w.peek();
      if (t !== undefined && (matches(t, 'src') || matches(t, 'dst'))) {
        w.next();
        nat.type = matches(t, 'src') ? 'src' : 'dst';
        if (!matches(w.next(), 'addr')) throw new UsageError('ct: nat src|dst needs "addr"');
        nat.addr = w.value('addr');
        if (w.peek() !== undefined && matches(w.peek(), 'port')) { w.next(); nat.port = w.value('port'); }
      }
      o.nat = nat;
    } else if (matches(k, 'clear')) { w.next(); o.clear = true; }
    else if (matches(k, 'commit')) { w.next(); o.commit = true; }
    else if (matches(k, 'force')) { w.next(); o.force = true; }
    else if (matches(k, 'index')) break;
    else if (matches(k, 'mark')) { w.next(); o.mark = w.value(k); }
    else break;
  }
  return commonWords(w, o, 'ct');
}

function natText(n: CtNat): string {
  if (!n.type) return '';
  return `${n.type}${n.addr === undefined ? '' : ` addr ${n.addr}`}${n.port === undefined ? '' : ` port ${n.port}`}`;
}

const printCt: ActionPrint<CtOptions> = (p, o, ctx) => {
  if (o.commit) p.any('action', o.force ? 'commit force' : 'commit', ` ${o.force ? 'commit force' : 'commit'}`);
  else if (o.clear) p.any('action', 'clear', ' clear');
  if (o.mark !== undefined) {
    const { value, mask } = maskedParts(o.mark, 0xffffffff);
    p.any('mark', value, ` mark ${value}`);
    if (mask !== 0xffffffff) p.any('mark_mask', mask.toString(16), `/0x${mask.toString(16)}`);
  }
  p.any('zone', o.zone, ` zone ${o.zone}`);
  if (o.nat) {
    const t = natText(o.nat);
    p.any('nat', t, t ? ` nat ${t}` : ' nat');
  }
  commonOut(p, o, ctx);
};

/** "a" or "a-b": the minimum and maximum of a NAT range. */
function range(v: unknown, path: string): [string, string] {
  if (typeof v !== 'string' || v === '') throw new EncodeError(path, `expected "min" or "min-max", got ${describe(v)}`);
  const dash = v.indexOf('-');
  return dash < 0 ? [v, v] : [v.slice(0, dash), v.slice(dash + 1)];
}

export const ct: ActionKind<CtOptions, CtOptionsInput | undefined> = {
  kind: 'ct',
  words: ctWords,
  print: printCt,
  options: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, KEYS, path, 'ct');
      let act = 0;
      if (v.commit) act |= C.TCA_CT_ACT_COMMIT;
      if (v.force) act |= C.TCA_CT_ACT_FORCE;
      if (v.clear) act |= C.TCA_CT_ACT_CLEAR;
      for (const k of Object.keys(v)) {
        const x = v[k];
        const p = `${path}.${k}`;
        if (x === undefined) continue;
        if (k === 'zone') ctAttrs.encode(w, { zone: intOption(x, p, 0, 0xffff) }, p);
        else if (k === 'mark') { const m = parseMasked(x, { bits: 32, base: 0, maskBase: 0 }, p); ctAttrs.encode(w, { mark: m.value, markMask: m.mask }, p); }
        else if (k === 'nat') {
          if (typeof x !== 'object' || x === null) throw new EncodeError(p, `expected { type, addr, port }, got ${describe(x)}`);
          const nat = optionsObject(x, p);
          checkKeys(nat, ['type', 'addr', 'port'], p, 'ct nat');
          act |= C.TCA_CT_ACT_NAT;
          if (nat.type === undefined) { if (nat.addr !== undefined || nat.port !== undefined) throw new EncodeError(`${p}.type`, 'an address or port needs src or dst'); continue; }
          if (nat.type !== 'src' && nat.type !== 'dst') throw new EncodeError(`${p}.type`, 'src or dst');
          act |= nat.type === 'src' ? C.TCA_CT_ACT_NAT_SRC : C.TCA_CT_ACT_NAT_DST;
          if (nat.addr === undefined) throw new EncodeError(`${p}.addr`, 'nat src|dst needs an address');
          const [lo, hi] = range(nat.addr, `${p}.addr`);
          const six = parseIP(lo, `${p}.addr`).length === 16;
          if ((parseIP(hi, `${p}.addr`).length === 16) !== six) throw new EncodeError(`${p}.addr`, 'both ends of the range are of one family');
          ctAttrs.encode(w, six ? { v6min: lo, v6max: hi } : { v4min: lo, v4max: hi }, p);
          if (nat.port !== undefined) {
            const [a, b] = range(String(nat.port), `${p}.port`);
            ctAttrs.encode(w, { portMin: intOption(Number(a), `${p}.port`, 0, 0xffff), portMax: intOption(Number(b), `${p}.port`, 0, 0xffff) }, p);
          }
        }
      }
      if (act & C.TCA_CT_ACT_CLEAR && act & ~C.TCA_CT_ACT_CLEAR) throw new EncodeError(`${path}.clear`, 'clear goes alone');
      if (!(act & C.TCA_CT_ACT_COMMIT) && act & (C.TCA_CT_ACT_NAT_SRC | C.TCA_CT_ACT_NAT_DST)) throw new EncodeError(`${path}.nat`, 'nat src|dst needs commit');
      ctAttrs.encode(w, { action: act, parms: commonParms(v, TC_ACT_PIPE, path) }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = ctAttrs.decode(buf, start, end, issues, path);
      const act = a.action ?? 0;
      const out: CtOptions = {
        ...commonOf(a.parms, a.tm, issues, path, 'ct'),
        commit: (act & C.TCA_CT_ACT_COMMIT) !== 0, force: (act & C.TCA_CT_ACT_FORCE) !== 0, clear: (act & C.TCA_CT_ACT_CLEAR) !== 0,
      };
      if (a.zone !== undefined) out.zone = a.zone;
      if (a.mark !== undefined) out.mark = masked(a.mark, a.markMask, 0xffffffff);
      if (act & C.TCA_CT_ACT_NAT) {
        const nat: CtNat = {};
        if (act & C.TCA_CT_ACT_NAT_SRC) nat.type = 'src';
        else if (act & C.TCA_CT_ACT_NAT_DST) nat.type = 'dst';
        if (nat.type) {
          const lo = a.v4min ?? a.v6min;
          const hi = a.v4max ?? a.v6max;
          if (lo !== undefined) nat.addr = hi !== undefined && hi !== lo ? `${lo}-${hi}` : lo;
          if (a.portMin !== undefined) nat.port = a.portMax !== undefined && a.portMax !== a.portMin ? `${a.portMin}-${a.portMax}` : String(a.portMin);
        }
        out.nat = nat;
      }
      return out;
    },
  },
};
