// u32: the universal 32-bit classifier. Matches on packet words (with tc's
// ip / ip6 / tcp / udp / icmp / ether shorthands), a class or actions for
// what matches, and hash tables (divisor, ht, link, hashkey, sample) as tc
// builds them. Attributes are written in tc's order: those tied to a word in
// the order the options' keys are given, then HASH, SEL and FLAGS.
import {
  TCA_CLS_FLAGS_IN_HW, TCA_CLS_FLAGS_NOT_IN_HW, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW, TCA_U32_ACT,
  TCA_U32_CLASSID, TCA_U32_DIVISOR, TCA_U32_FLAGS, TCA_U32_HASH, TCA_U32_INDEV, TCA_U32_LINK, TCA_U32_MARK,
  TCA_U32_PCNT, TCA_U32_POLICE, TCA_U32_SEL, TC_U32_EAT, TC_U32_OFFSET, TC_U32_TERMINAL, TC_U32_VAROFFSET,
  tc_u32_key, tc_u32_mark, tc_u32_pcnt, tc_u32_sel,
} from '../../../generated/linux/pkt_cls.js';
import { describe } from '../../../netlink/describe.js';
import { binary, string, struct, u32 } from '../../../netlink/codec.js';
import { type DecodeIssue, EncodeError } from '../../../netlink/errors.js';
import { encodeAttrsChecked, isRecord } from '../../../netlink/narrow.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import { decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import type { NetlinkWriter } from '../../../netlink/writer.js';
import { type Action, type ActionInput, actionsOut, decodeActions, encodeActions, moreActions } from '../actions/action.js';
import { type TcHandle, formatHandle, parseClassid } from '../handles.js';
import { type EncodeContext, type FilterKind, type FilterPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { type Span, span } from '../stats.js';
import { type U32Key, type U32Match, U32Selector, hashFold } from './u32-keys.js';
import { type Words, UsageError, cNumber, cSigned, matches } from '../../words.js';
import { type TcPrinter } from '../printer.js';
import { hex0x } from '../../json-values.js';

export type { U32Key, U32Match } from './u32-keys.js';

const u32Attrs = attrSet('u32', {
  classid: attr(TCA_U32_CLASSID, u32),
  hash: attr(TCA_U32_HASH, u32),
  link: attr(TCA_U32_LINK, u32),
  divisor: attr(TCA_U32_DIVISOR, u32),
  sel: attr(TCA_U32_SEL, span),
  police: attr(TCA_U32_POLICE, binary),
  act: attr(TCA_U32_ACT, span),
  indev: attr(TCA_U32_INDEV, string),
  pcnt: attr(TCA_U32_PCNT, span),
  mark: attr(TCA_U32_MARK, struct(tc_u32_mark)),
  flags: attr(TCA_U32_FLAGS, u32),
});

/** A u32 selector (struct tc_u32_sel): its keys, flags and hashing. */
export interface U32Selection {
  /** TC_U32_TERMINAL (1), TC_U32_OFFSET (2), TC_U32_VAROFFSET (4), TC_U32_EAT (8). */
  flags: number;
  terminal: boolean;
  offshift: number;
  offmask: number;
  off: number;
  offoff: number;
  hoff: number;
  hmask: number;
  keys: U32Key[];
}

/** A classifier's hardware offload flags (skip_hw, skip_sw) and whether it is offloaded. */
export interface ClsFlags {
  skipHw?: boolean;
  skipSw?: boolean;
  inHw?: boolean;
  notInHw?: boolean;
}

/** A u32 filter's options as decoded: its selector, class, hash table links and actions. */
export interface U32Options {
  /** Where matching packets go ('1:10'). */
  classid?: string;
  /** Set on a hash table: its number of buckets. */
  divisor?: number;
  /** The hash table and bucket of a node (TCA_U32_HASH). */
  hash?: number;
  /** The hash table a node links to. */
  link?: number;
  sel?: U32Selection;
  mark?: { val: number; mask: number; success: number };
  indev?: string;
  flags?: ClsFlags;
  /** Per-rule and per-key hit counters, when the kernel keeps them. */
  pcnt?: { rcnt: number; rhit: number; kcnts: number[] };
  actions?: Action[];
  police?: Buffer;
  unknown?: RawAttr[];
}

/** A u32 filter's options as given: matches as `tc filter ... u32 match` words them, or raw keys. */
export interface U32OptionsInput {
  /** Keys to match, in order (tc's "match" words). */
  match?: readonly U32Match[];
  /** Where matching packets go (tc's classid / flowid). */
  classid?: TcHandle;
  flowid?: TcHandle;
  /** Make this filter a hash table with this many buckets (a power of two, at most 256). */
  divisor?: number;
  /** The node number within its hash table (folded into the handle). */
  order?: number;
  /** The hash table this node links to ('2:'). */
  link?: string | number;
  /** The hash table (and bucket) to put this node in ('2:', '2:5:'). */
  ht?: string | number;
  /** Which word picks the bucket of the linked table. */
  hashkey?: { mask: number; at: number };
  /** Where the next header starts: plus a constant, or read from the packet. */
  offset?: { plus?: number; at?: number; mask?: number; shift?: number; eat?: boolean };
  /** Pick the bucket from one key's value ("sample"). */
  sample?: { match: U32Match; divisor?: number };
  /** Only packets that came in on this device. */
  indev?: string;
  actions?: readonly ActionInput[];
  skipHw?: boolean;
  skipSw?: boolean;
}

const KEYS = ['match', 'classid', 'flowid', 'divisor', 'order', 'link', 'ht', 'hashkey', 'offset', 'sample', 'indev', 'actions', 'skipHw', 'skipSw'] as const;

/** tc's get_u32_handle: 'htid:hash:node' in hex ('800:', '800::800', '2:5:'), or a 0x number. */
export function parseU32Handle(v: unknown, path: string): number {
  if (typeof v === 'number') return intOption(v, path);
  if (typeof v !== 'string') throw new EncodeError(path, `expected a u32 handle like "800::800", got ${describe(v)}`);
  if (!v.includes(':')) {
    if (/^0x[0-9a-f]{1,8}$/i.test(v)) return parseInt(v, 16);
    throw new EncodeError(path, `u32 handle "${v}" is not htid:hash:node`);
  }
  const [h = '', b = '', n = '', ...rest] = v.split(':');
  if (rest.length) throw new EncodeError(path, `u32 handle "${v}" has too many parts`);
  const part = (s: string, max: number, what: string): number => {
    if (s === '') return 0;
    if (!/^[0-9a-f]+$/i.test(s)) throw new EncodeError(path, `u32 handle "${v}": ${what} "${s}" is not hex`);
    const x = parseInt(s, 16);
    if (x >= max) throw new EncodeError(path, `u32 handle "${v}": ${what} ${s} is too large`);
    return x;
  };
  return ((part(h, 0x1000, 'table') << 20) | (part(b, 0x100, 'bucket') << 12) | part(n, 0x1000, 'node')) >>> 0;
}

/** tc's sprint_u32_handle. */
export function formatU32Handle(h: number): string {
  if (h === 0) return 'none';
  const htid = h >>> 20;
  const hash = (h >>> 12) & 0xff;
  const node = h & 0xfff;
  let s = htid ? `${htid.toString(16)}:` : '';
  if (hash) s += hash.toString(16);
  if (node) s += `:${node.toString(16)}`;
  return s;
}

function encode(w: NetlinkWriter, value: U32OptionsInput | undefined, ctx: EncodeContext, path: string): void | false {
  const v = optionsObject(value, path);
  checkKeys(v, KEYS, path, 'u32');
  const present = Object.keys(v).filter((k) => v[k] !== undefined);
  if (!present.length) return false; // tc: no words, no TCA_OPTIONS
  const sel = new U32Selector(`${path}.match`);
  let selFlags = 0;
  let selOk = false;
  let terminal = false;
  let htid = 0;
  let sampled = false;
  const head = { off: 0, offoff: 0, offmask: 0, offshift: 0, hoff: 0, hmask: 0 };
  for (const key of present) {
    const p = `${path}.${key}`;
    const x = v[key];
    switch (key) {
      case 'match': {
        if (!Array.isArray(x)) throw new EncodeError(p, `expected a list of matches, got ${describe(x)}`);
        x.forEach((m: U32Match, i: number) => {
          if (m && typeof m === 'object' && 'mark' in m) {
            const val = intOption(m.mark, `${p}[${i}].mark`);
            const mask = m.mask === undefined ? 0xffffffff : intOption(m.mask, `${p}[${i}].mask`);
            if (((val & mask) >>> 0) !== val) throw new EncodeError(`${p}[${i}]`, 'mark value has bits outside its mask');
            u32Attrs.encode(w, { mark: { val, mask } }, p);
            selOk = true; // tc counts `match mark` as a selector: TCA_U32_SEL goes too (with no keys), which the kernel needs
          } else {
            sel.add(m, `${p}[${i}]`);
            selOk = true;
          }
        });
        break;
      }
      case 'classid': case 'flowid':
        u32Attrs.encode(w, { classid: parseClassid(x, p, 'class id') }, p);
        terminal = true;
        break;
      case 'divisor': {
        const d = intOption(x, p, 1, 0x100);
        if ((d - 1) & d) throw new EncodeError(p, `divisor ${d} is not a power of two`);
        u32Attrs.encode(w, { divisor: d }, p);
        break;
      }
      case 'link': {
        const id = parseU32Handle(x, p);
        if (id & 0xfff) throw new EncodeError(p, 'link must name a hash table, not a node');
        u32Attrs.encode(w, { link: id }, p);
        break;
      }
      case 'ht': {
        const ht = parseU32Handle(x, p);
        htid = sampled ? ((htid & 0xff000) | (ht & 0xfff00000)) >>> 0 : (ht & 0xfffff000) >>> 0;
        break;
      }
      case 'sample': {
        const s = x;
        if (!isRecord(s) || !s.match) throw new EncodeError(p, 'expected { match, divisor? }');
        const one = new U32Selector(`${p}.match`);
        one.add(s.match, `${p}.match`);
        if (one.keys.length !== 1) throw new EncodeError(`${p}.match`, 'a sample must be exactly one key');
        const div = s.divisor === undefined ? 0x100 : intOption(s.divisor, `${p}.divisor`, 1, 0x100);
        if ((div - 1) & div) throw new EncodeError(`${p}.divisor`, `divisor ${div} is not a power of two`);
        htid = (((hashFold(one.keys[0]!) % div) << 12) | (htid & 0xfff00000)) >>> 0;
        sampled = true;
        break;
      }
      case 'hashkey': {
        const h = x;
        if (!isRecord(h)) throw new EncodeError(p, 'expected { mask, at }');
        if (h.mask !== undefined) head.hmask = intOption(h.mask, `${p}.mask`);
        if (h.at !== undefined) {
          const a = intOption(h.at, `${p}.at`, -0x8000, 0x7fff);
          if (a % 4) throw new EncodeError(`${p}.at`, 'hashkey offset must be a multiple of 4');
          head.hoff = a;
        }
        break;
      }
      case 'offset': {
        const o = x;
        if (!isRecord(o)) throw new EncodeError(p, 'expected { plus?, at?, mask?, shift?, eat? }');
        if (o.plus !== undefined) { head.off = intOption(o.plus, `${p}.plus`, 0, 0xffff); selFlags |= TC_U32_OFFSET; }
        if (o.at !== undefined) {
          head.offoff = intOption(o.at, `${p}.at`, -0x8000, 0x7fff);
          if (head.offoff % 2) throw new EncodeError(`${p}.at`, 'offset "at" must be even');
          selFlags |= TC_U32_VAROFFSET;
        }
        if (o.mask !== undefined) { head.offmask = intOption(o.mask, `${p}.mask`, 0, 0xffff); selFlags |= TC_U32_VAROFFSET; }
        if (o.shift !== undefined) { head.offshift = intOption(o.shift, `${p}.shift`, 0, 0xff); selFlags |= TC_U32_VAROFFSET; }
        if (o.eat) selFlags |= TC_U32_EAT;
        break;
      }
      case 'indev':
        encodeAttrsChecked(u32Attrs, w, { indev: x }, p);
        break;
      case 'actions':
        encodeActions(w, TCA_U32_ACT, x, ctx, p);
        terminal = true;
        break;
      default: break; // order, skipHw, skipSw: handled below
    }
  }
  if (terminal) selFlags |= TC_U32_TERMINAL;
  if (htid) u32Attrs.encode(w, { hash: htid }, path);
  if (selOk) {
    const at = w.beginAttr(TCA_U32_SEL, `${path}.match`);
    encodeStruct(w, tc_u32_sel, { flags: selFlags, nkeys: sel.keys.length, ...head }, `${path}.match`);
    for (const k of sel.keys) encodeStruct(w, tc_u32_key, k, `${path}.match`);
    w.endAttr(at, `${path}.match`);
  }
  let flags = 0;
  if (v.skipHw) flags |= TCA_CLS_FLAGS_SKIP_HW;
  if (v.skipSw) flags |= TCA_CLS_FLAGS_SKIP_SW;
  if (flags === (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW)) throw new EncodeError(`${path}.skipSw`, 'skipHw and skipSw are mutually exclusive');
  if (flags) u32Attrs.encode(w, { flags }, path);
}

export function clsFlags(n: number): ClsFlags {
  const f: ClsFlags = {};
  if (n & TCA_CLS_FLAGS_SKIP_HW) f.skipHw = true;
  if (n & TCA_CLS_FLAGS_SKIP_SW) f.skipSw = true;
  if (n & TCA_CLS_FLAGS_IN_HW) f.inHw = true;
  if (n & TCA_CLS_FLAGS_NOT_IN_HW) f.notInHw = true;
  return f;
}

function decodeSel(buf: Buffer, sp: Span, issues: DecodeIssue[] | undefined, path: string): U32Selection {
  const h = decodeStruct(tc_u32_sel, buf, sp.start, sp.end, issues, path);
  const keys: U32Key[] = [];
  let at = sp.start + tc_u32_sel.size;
  for (let i = 0; i < h.nkeys; i++, at += tc_u32_key.size) {
    if (at + tc_u32_key.size > sp.end) {
      issues?.push({ path, problem: `${h.nkeys} keys announced, ${i} present`, offset: at });
      break;
    }
    const k = decodeStruct(tc_u32_key, buf, at, at + tc_u32_key.size);
    keys.push({ val: k.val, mask: k.mask, off: k.off, offmask: k.offmask });
  }
  return {
    flags: h.flags, terminal: (h.flags & TC_U32_TERMINAL) !== 0, offshift: h.offshift, offmask: h.offmask,
    off: h.off, offoff: h.offoff, hoff: h.hoff, hmask: h.hmask, keys,
  };
}

function decode(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): U32Options {
  const a = u32Attrs.decode(buf, start, end, issues, path);
  const out: U32Options = {};
  if (a.classid !== undefined) out.classid = formatHandle(a.classid);
  if (a.divisor !== undefined) out.divisor = a.divisor;
  if (a.hash !== undefined) out.hash = a.hash;
  if (a.link !== undefined) out.link = a.link;
  if (a.sel) out.sel = decodeSel(buf, a.sel, issues, `${path}.sel`);
  if (a.mark) out.mark = { val: a.mark.val, mask: a.mark.mask, success: a.mark.success };
  if (a.indev !== undefined) out.indev = a.indev;
  if (a.flags !== undefined) out.flags = clsFlags(a.flags);
  if (a.pcnt) {
    const p = decodeStruct(tc_u32_pcnt, buf, a.pcnt.start, a.pcnt.end, issues, `${path}.pcnt`);
    const kcnts: number[] = [];
    for (let at = a.pcnt.start + tc_u32_pcnt.size; at + 8 <= a.pcnt.end; at += 8) kcnts.push(buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 2 ** 32);
    out.pcnt = { rcnt: p.rcnt, rhit: p.rhit, kcnts };
  }
  if (a.act) out.actions = decodeActions(buf, a.act.start, a.act.end, issues, `${path}.actions`);
  if (a.police) out.police = a.police;
  if (a.unknown) out.unknown = a.unknown;
  return out;
}

/** The handle with `order` folded in, as tc does (the node number). */
export function u32Handle(handle: number, options: unknown, path: string): number {
  const order = isRecord(options) ? options.order : undefined;
  if (order === undefined) return handle;
  const n = intOption(order, `${path}.order`, 0, 0xfff);
  if ((handle & 0xfff) && n !== (handle & 0xfff)) throw new EncodeError(`${path}.order`, `order ${n} contradicts the handle ${formatU32Handle(handle)}`);
  return (handle | n) >>> 0;
}

// ── tc words and printers ──

function at(w: Words, m: Record<string, unknown>): void {
  if (w.peek() !== 'at') return;
  w.next();
  let v = w.next();
  if (v === 'nexthdr+') v += w.next();
  m.at = /^nexthdr\+/.test(v) ? v : cSigned(v, 'u32 at');
}

function valueMask(w: Words, m: Record<string, unknown>): void {
  m.value = cNumber(w.next(), 'u32 match value');
  m.mask = cNumber(w.next(), 'u32 match mask', 16);
  at(w, m);
}

/** One "match ..." of a command line as words give it; the selector checks it when encoded. */
function selector(w: Words): Record<string, unknown> {
  const what = w.next();
  const m: Record<string, unknown> = {};
  if (matches(what, 'u32') || matches(what, 'u16') || matches(what, 'u8')) {
    const key = what.startsWith('u3') ? 'u32' : what.startsWith('u1') ? 'u16' : 'u8';
    m[key] = cNumber(w.next(), `${key} value`);
    m.mask = cNumber(w.next(), `${key} mask`, 16);
    at(w, m);
  } else if (matches(what, 'ip') || matches(what, 'ip6')) {
    const fam = what === 'ip6' ? 'ip6' : 'ip';
    const field = w.next();
    m[fam] = field;
    if (field === 'src' || field === 'dst') { m.value = w.next(); at(w, m); }
    else if (!['nofrag', 'firstfrag', 'df', 'mf'].includes(field)) valueMask(w, m);
  } else if (matches(what, 'udp') || matches(what, 'tcp') || matches(what, 'icmp')) {
    const key = what.startsWith('u') ? 'udp' : what.startsWith('t') ? 'tcp' : 'icmp';
    m[key] = w.next();
    valueMask(w, m);
  } else if (matches(what, 'mark')) {
    m.mark = cNumber(w.next(), 'mark value');
    m.mask = cNumber(w.next(), 'mark mask');
  } else if (matches(what, 'ether')) {
    m.ether = w.next();
    m.value = w.next();
    at(w, m);
  } else {
    throw new UsageError(`illegal "match" ${what}`);
  }
  return m;
}

/** The list under `key`, made on first use (words may repeat "match"). */
function listIn(o: Record<string, unknown>, key: string): unknown[] {
  const v = o[key];
  if (Array.isArray(v)) return v;
  const list: unknown[] = [];
  o[key] = list;
  return list;
}

/** The object under `key`, made on first use (words may repeat "offset"). */
function recordIn(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = o[key];
  if (isRecord(v)) return v;
  const r: Record<string, unknown> = {};
  o[key] = r;
  return r;
}

function u32Words(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'match')) listIn(o, 'match').push(selector(w));
    else if (matches(k, 'offset')) {
      const off = recordIn(o, 'offset');
      for (;;) {
        const x = w.peek();
        if (x === undefined) break;
        if (matches(x, 'plus')) { w.next(); off.plus = cSigned(w.next(), 'offset plus'); }
        else if (matches(x, 'at')) { w.next(); off.at = cSigned(w.next(), 'offset at'); }
        else if (matches(x, 'mask')) { w.next(); off.mask = cNumber(w.next(), 'offset mask', 16); }
        else if (matches(x, 'shift')) { w.next(); off.shift = cSigned(w.next(), 'offset shift'); }
        else if (matches(x, 'eat')) { w.next(); off.eat = true; }
        else break;
      }
    } else if (matches(k, 'hashkey')) {
      const h = recordIn(o, 'hashkey');
      for (;;) {
        const x = w.peek();
        if (x !== undefined && matches(x, 'mask')) { w.next(); h.mask = cNumber(w.next(), 'hashkey mask', 16); }
        else if (x !== undefined && matches(x, 'at')) { w.next(); h.at = cSigned(w.next(), 'hashkey at'); }
        else break;
      }
    } else if (matches(k, 'classid') || k === 'flowid') o.classid = w.value(k);
    else if (matches(k, 'divisor')) o.divisor = cNumber(w.value(k), 'divisor');
    else if (matches(k, 'order')) o.order = cNumber(w.value(k), 'order');
    else if (k === 'link') o.link = w.value(k);
    else if (k === 'ht') o.ht = w.value(k);
    else if (k === 'sample') {
      const s: Record<string, unknown> = { match: selector(w) };
      if (w.peek() === 'divisor') { w.next(); s.divisor = cNumber(w.value('divisor'), 'sample divisor'); }
      o.sample = s;
    } else if (k === 'indev') o.indev = w.value(k);
    else if (matches(k, 'action')) o.actions = moreActions(o.actions, w);
    else if (k === 'skip_hw') o.skipHw = true;
    else if (k === 'skip_sw') o.skipSw = true;
    else w.unknown(k);
  }
  return o;
}

export function clsFlagsOut(p: TcPrinter, f: ClsFlags | undefined, sep: string): void {
  if (!f) return;
  if (f.skipHw) p.any('skip_hw', true, `${sep}skip_hw `);
  if (f.skipSw) p.any('skip_sw', true, `${sep}skip_sw `);
  if (f.inHw) p.any('in_hw', true, `${sep}in_hw `);
  else if (f.notInHw) p.any('not_in_hw', true, `${sep}not_in_hw `);
}

const hex = (n: number): string => n.toString(16);

const printU32: FilterPrint<U32Options> = (p, o, handle, ctx) => {
  if (handle) p.any('fh', formatU32Handle(handle), `fh ${formatU32Handle(handle)} `);
  if (handle & 0xfff) p.any('order', handle & 0xfff, `order ${handle & 0xfff} `);
  if (o.divisor !== undefined) p.any('ht_divisor', o.divisor, `ht divisor ${o.divisor} `);
  else if (o.hash !== undefined) p.any('key_ht', hex((o.hash >>> 20) & 0xfff), `key ht ${hex((o.hash >>> 20) & 0xfff)} `).any('bkt', hex((o.hash >>> 12) & 0xff), `bkt ${hex((o.hash >>> 12) & 0xff)} `);
  if (o.classid !== undefined) p.onlyText(o.sel?.terminal ? '*' : '').any('flowid', o.classid, `flowid ${o.classid} `);
  else if (o.sel?.terminal) p.onlyText('terminal flowid ');
  if (o.link !== undefined) p.any('link', formatU32Handle(o.link), `link ${formatU32Handle(o.link)} `);
  clsFlagsOut(p, o.flags, '');
  if (o.sel && ctx.stats && o.pcnt) p.any('rule_hit', o.pcnt.rcnt, `(rule hit ${o.pcnt.rcnt} `).any('success', o.pcnt.rhit, `success ${o.pcnt.rhit})`);
  if (o.mark) {
    p.any('fwmark_value', hex0x(o.mark.val), `\n  mark 0x${hex(o.mark.val).padStart(4, '0')} `)
      .any('fwmark_mask', hex0x(o.mark.mask), `0x${hex(o.mark.mask).padStart(4, '0')} `)
      .any('fwmark_success', o.mark.success, `(success ${o.mark.success})`);
  }
  if (o.sel) {
    o.sel.keys.forEach((k, i) => {
      p.nest('match', (m) => {
        m.any('value', hex(k.val), `\n  match ${hex(k.val).padStart(8, '0')}`).any('mask', hex(k.mask), `/${hex(k.mask).padStart(8, '0')} `)
          .any('offmask', k.offmask ? 'nexthdr+' : '', `at ${k.offmask ? 'nexthdr+' : ''}`).any('off', k.off, `${k.off}`);
        if (ctx.stats && o.pcnt) m.any('success', o.pcnt.kcnts[i] ?? 0, ` (success ${o.pcnt.kcnts[i] ?? 0} ) `);
      });
    });
    if (o.sel.flags & 6) {
      p.onlyText('\n    offset ');
      if (o.sel.flags & 4) {
        p.any('offset_mask', hex(o.sel.offmask), hex(o.sel.offmask).padStart(4, '0')).any('offset_shift', o.sel.offshift, `>>${o.sel.offshift} `)
          .any('offset_off', o.sel.offoff, `at ${o.sel.offoff} `);
      }
      if (o.sel.off) p.any('plus', o.sel.off, `plus ${o.sel.off} `);
    }
    if (o.sel.flags & 8) p.onlyText(' eat ');
    if (o.sel.hmask) p.any('hash_mask', hex(o.sel.hmask), `\n    hash mask ${hex(o.sel.hmask).padStart(8, '0')} `).any('hash_off', o.sel.hoff, `at ${o.sel.hoff} `);
  }
  if (o.indev !== undefined) p.any('input_dev', o.indev, `\n  input dev ${o.indev}\n`);
  if (o.actions) actionsOut(p, o.actions, ctx);
};

export const u32Filter: FilterKind<U32Options, U32OptionsInput | undefined> = {
  kind: 'u32',
  words: u32Words,
  print: printU32,
  options: { encode, decode },
  handle: { parse: parseU32Handle, format: formatU32Handle },
  adjustHandle: u32Handle,
};

