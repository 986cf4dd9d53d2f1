// Lists of actions attached to a filter (TCA_U32_ACT, TCA_MATCHALL_ACT,
// TCA_BPF_ACT...): one nest per action, numbered from 1 in order, holding its
// kind, its kind's options, and its index, counters, cookie and flags.
import { nla_bitfield32 } from '../../../generated/linux/netlink.js';
import {
  TCA_ACT_COOKIE, TCA_ACT_FLAGS, TCA_ACT_FLAGS_NO_PERCPU_STATS, TCA_ACT_FLAGS_SKIP_HW, TCA_ACT_FLAGS_SKIP_SW,
  TCA_ACT_HW_STATS, TCA_ACT_HW_STATS_DELAYED, TCA_ACT_HW_STATS_IMMEDIATE, TCA_ACT_INDEX, TCA_ACT_IN_HW_COUNT,
  TCA_ACT_KIND, TCA_ACT_MAX_PRIO, TCA_ACT_OPTIONS, TCA_ACT_STATS, TCA_ACT_USED_HW_STATS, TC_COOKIE_MAX_SIZE,
} from '../../../generated/linux/pkt_cls.js';
import { describe } from '../../../netlink/describe.js';
import { isKey, isRecord } from '../../../netlink/narrow.js';
import { binary, string, struct, u32 } from '../../../netlink/codec.js';
import { type DecodeIssue, EncodeError } from '../../../netlink/errors.js';
import { type RawAttr, attr, attrSet } from '../../../netlink/schema.js';
import type { NetlinkWriter } from '../../../netlink/writer.js';
import type { ActionKind, ActionOptionsIn, ActionOptionsOut, EncodeContext, TcPrintContext } from '../kind.js';
import { type TcStats, decodeStats2, span } from '../stats.js';
import { checkKind, decodeOptions, kindIn, writeOptions } from '../tcmsg.js';
import { type ActionKinds, type KnownActionKind, actionKinds } from './registry.js';
import { type Words, UsageError, matches } from '../../words.js';
import type { TcPrinter } from '../printer.js';
import { putStats, statsText } from '../print-stats.js';
import { isControlWord } from './control.js';

const actAttrs = attrSet('action', {
  kind: attr(TCA_ACT_KIND, string),
  options: attr(TCA_ACT_OPTIONS, span),
  index: attr(TCA_ACT_INDEX, u32),
  stats: attr(TCA_ACT_STATS, span),
  cookie: attr(TCA_ACT_COOKIE, binary),
  flags: attr(TCA_ACT_FLAGS, struct(nla_bitfield32)),
  hwStats: attr(TCA_ACT_HW_STATS, struct(nla_bitfield32)),
  usedHwStats: attr(TCA_ACT_USED_HW_STATS, struct(nla_bitfield32)),
  inHwCount: attr(TCA_ACT_IN_HW_COUNT, u32),
});

/** An action of a known kind as decoded, with that kind's options typed. */
export type KnownActionPart = { [K in KnownActionKind]: { kind: K; options?: ActionOptionsOut<ActionKinds[K]> } }[KnownActionKind];

/** An action's flags (TCA_ACT_FLAGS_*). */
export interface ActionFlags {
  noPercpu?: boolean;
  skipHw?: boolean;
  skipSw?: boolean;
}

/** How an offloaded action's statistics are kept (TCA_ACT_HW_STATS_*). */
export type HwStats = 'immediate' | 'delayed' | 'disabled';

/** One action of a filter as the kernel describes it. */
export type Action = {
  /** Position in the list, from 1. */
  order: number;
  index?: number;
  stats?: TcStats;
  /** The user cookie, in hex. */
  cookie?: string;
  flags?: ActionFlags;
  hwStats?: HwStats[];
  usedHwStats?: HwStats[];
  inHwCount?: number;
  unknown?: RawAttr[];
} & (KnownActionPart | { kind: string; options?: Buffer });

/** An action while it is decoded: options as its kind's codec read them. */
type ActionDecoded = Omit<Action, 'kind' | 'options'> & { kind: string; options?: unknown };

/** An action of a known kind as given, with that kind's options typed. */
export type KnownActionInput = { [K in KnownActionKind]: { kind: K; options?: ActionOptionsIn<ActionKinds[K]> } }[KnownActionKind];

/** An action to attach: its kind and options, and tc's per-action extras. */
export type ActionInput = (KnownActionInput | { kind: string; options?: Uint8Array }) & {
  /** Up to 16 bytes the kernel keeps for you (hex string or bytes). */
  cookie?: string | Uint8Array;
  hwStats?: HwStats;
} & ActionFlags;

const knownActions = (): string => Object.keys(actionKinds).join(', ');

const HW_STATS: Record<HwStats, number> = { immediate: TCA_ACT_HW_STATS_IMMEDIATE, delayed: TCA_ACT_HW_STATS_DELAYED, disabled: 0 };

function hwStatsNames(bf: { value: number; selector: number }): HwStats[] {
  const v = bf.value & bf.selector;
  const out: HwStats[] = [];
  if (v & TCA_ACT_HW_STATS_IMMEDIATE) out.push('immediate');
  if (v & TCA_ACT_HW_STATS_DELAYED) out.push('delayed');
  if (!v) out.push('disabled');
  return out;
}

function cookieBytes(v: unknown, path: string): Uint8Array {
  let b: Uint8Array;
  if (typeof v === 'string') {
    if (!/^([0-9a-f]{2})+$/i.test(v)) throw new EncodeError(path, `cookie "${v}" must be an even number of hex digits`);
    b = Buffer.from(v, 'hex');
  } else if (v instanceof Uint8Array) {
    b = v;
  } else {
    throw new EncodeError(path, `expected a hex string or bytes, got ${describe(v)}`);
  }
  if (b.length > TC_COOKIE_MAX_SIZE) throw new EncodeError(path, `a cookie holds at most ${TC_COOKIE_MAX_SIZE} bytes, got ${b.length}`);
  return b;
}

/** Writes the list attribute `type` (e.g. TCA_U32_ACT) as tc's parse_action does. */
export function encodeActions(w: NetlinkWriter, type: number, actions: unknown, ctx: EncodeContext, path: string): void {
  if (!Array.isArray(actions)) throw new EncodeError(path, `expected a list of actions, got ${describe(actions)}`);
  if (actions.length > TCA_ACT_MAX_PRIO) throw new EncodeError(path, `at most ${TCA_ACT_MAX_PRIO} actions`);
  const list = w.beginNest(type, false, path);
  actions.forEach((a: ActionInput, i: number) => {
    const p = `${path}[${i}]`;
    if (a === null || typeof a !== 'object') throw new EncodeError(p, `expected an action { kind, options }, got ${describe(a)}`);
    const kind = checkKind(a.kind, `${p}.kind`);
    const one = w.beginNest(i + 1, false, p);
    actAttrs.encode(w, { kind }, p);
    const k = kindIn(actionKinds, kind);
    writeOptions(w, k?.options, kind, knownActions(), a.options, ctx, `${p}.options`, TCA_ACT_OPTIONS, true);
    let flags = 0;
    if (a.noPercpu) flags |= TCA_ACT_FLAGS_NO_PERCPU_STATS;
    if (a.skipSw) flags |= TCA_ACT_FLAGS_SKIP_SW;
    if (a.skipHw) flags |= TCA_ACT_FLAGS_SKIP_HW;
    let hw: { value: number; selector: number } | undefined;
    if (a.hwStats !== undefined) {
      const n = HW_STATS[a.hwStats];
      if (n === undefined) throw new EncodeError(`${p}.hwStats`, 'immediate, delayed or disabled');
      hw = { value: n, selector: n };
    }
    actAttrs.encode(w, {
      cookie: a.cookie === undefined ? undefined : cookieBytes(a.cookie, `${p}.cookie`),
      hwStats: hw,
      flags: flags ? { value: flags, selector: flags } : undefined,
    }, p);
    w.endNest(one, p);
  });
  w.endNest(list, path);
}

/** Reads a list attribute's payload into actions, in order. */
export function decodeActions(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): Action[] {
  const out: Action[] = [];
  let at = start;
  while (end - at >= 4) {
    const len = buf.readUInt16LE(at);
    if (len < 4 || len > end - at) {
      issues?.push({ path, problem: `action length ${len} does not fit the ${end - at} bytes left`, offset: at });
      break;
    }
    const order = buf.readUInt16LE(at + 2) & 0x3fff;
    out.push(decodeAction(buf, at + 4, at + len, order, issues, `${path}[${order}]`));
    at += (len + 3) & ~3;
  }
  return out;
}

function decodeAction(buf: Buffer, start: number, end: number, order: number, issues: DecodeIssue[] | undefined, path: string): Action {
  const a = actAttrs.decode(buf, start, end, issues, path);
  const out: ActionDecoded = { order, kind: a.kind ?? '' };
  const k = kindIn(actionKinds, a.kind);
  if (a.options) out.options = decodeOptions(buf, a.options, k?.options, issues ?? [], `${path}.options`);
  if (a.index !== undefined) out.index = a.index;
  if (a.stats) out.stats = decodeStats2(buf, a.stats, issues, `${path}.stats`).stats;
  if (a.cookie) out.cookie = a.cookie.toString('hex');
  if (a.flags) {
    const sel = a.flags.selector;
    const v = a.flags.value;
    const f: ActionFlags = {};
    if (sel & TCA_ACT_FLAGS_NO_PERCPU_STATS) f.noPercpu = (v & TCA_ACT_FLAGS_NO_PERCPU_STATS) !== 0;
    if (sel & TCA_ACT_FLAGS_SKIP_HW) f.skipHw = (v & TCA_ACT_FLAGS_SKIP_HW) !== 0;
    if (sel & TCA_ACT_FLAGS_SKIP_SW) f.skipSw = (v & TCA_ACT_FLAGS_SKIP_SW) !== 0;
    out.flags = f;
  }
  if (a.hwStats) out.hwStats = hwStatsNames(a.hwStats);
  if (a.usedHwStats) out.usedHwStats = hwStatsNames(a.usedHwStats);
  if (a.inHwCount !== undefined) out.inHwCount = a.inHwCount;
  if (a.unknown) out.unknown = a.unknown;
  // The options' type follows the kind read at run time (the registry's codec decoded them).
  return out as Action;
}

/** The kinds named in a list of actions (to name the missing one when the kernel refuses). */
export function actionKindsOf(actions: unknown): string[] {
  return Array.isArray(actions) ? actions.map((a: unknown) => (isRecord(a) ? a.kind : undefined)).filter((k): k is string => typeof k === 'string') : [];
}

// ── tc words and printers ──

const KIND_NAMES = Object.keys(actionKinds).filter((n): n is KnownActionKind => isKey(actionKinds, n));

/**
 * tc's parse_action: "action KIND ARGS [cookie HEX] [no_percpu] [skip_sw|skip_hw]" repeated.
 * The result is action input as words give it (units as text); the encoder checks it.
 */
export function actionWords(w: Words): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [];
  while (!w.done) {
    const k = w.peek()!;
    if (k === 'action') { w.next(); continue; }
    if (k === 'flowid' || k === 'classid') break;
    // A bare verdict ("drop", "pass"...) is a gact action, as tc reads it.
    const kind = isControlWord(k) ? 'gact' : KIND_NAMES.find((n) => matches(k, n));
    if (kind === undefined) break;
    if (!isControlWord(k)) w.next();
    const a: Record<string, unknown> = { kind, options: actionKinds[kind].words(w) };
    if (w.peek() === 'cookie') { w.next(); a.cookie = w.value('cookie'); }
    if (w.peek() !== undefined && matches(w.peek()!, 'hw_stats')) { w.next(); a.hwStats = w.value('hw_stats'); }
    if (w.peek() === 'no_percpu') { w.next(); a.noPercpu = true; }
    for (let i = 0; i < 2; i++) {
      if (w.peek() === 'skip_sw') { w.next(); a.skipSw = true; } else if (w.peek() === 'skip_hw') { w.next(); a.skipHw = true; }
    }
    list.push(a);
    if (w.peek() !== 'action') break;
  }
  if (!list.length) throw new UsageError(`action: expected ${KIND_NAMES.join(', ')} or a verdict (drop, pass...)`);
  return list;
}

/** A classifier's "action ..." words added to the actions its words gave before. */
export function moreActions(before: unknown, w: Words): unknown[] {
  return [...(Array.isArray(before) ? before : []), ...actionWords(w)];
}

export function actionsOut(p: TcPrinter, actions: Action[], ctx: TcPrintContext): void {
  p.list('actions', actions.map((a) => (q: TcPrinter) => {
    q.any('order', a.order, `\n\taction order ${a.order}: `);
    q.any('kind', a.kind, `${a.kind} `);
    const kind = Object.hasOwn(actionKinds, a.kind) ? (actionKinds[a.kind as KnownActionKind] as ActionKind) : undefined;
    if (kind && a.options !== undefined && !Buffer.isBuffer(a.options)) kind.print(q, a.options, ctx);
    if (ctx.stats && a.stats) {
      q.onlyText('\n\tAction statistics:\n');
      q.nest('stats', (s) => {
        putStats(s.json, a.stats!);
        s.onlyText(statsText(a.stats!, '\t'));
      });
    }
    if (a.cookie !== undefined) q.any('cookie', a.cookie, `\n\tcookie ${a.cookie}`);
    if (a.flags?.noPercpu !== undefined) q.any('no_percpu', a.flags.noPercpu, '\tno_percpu');
    if (a.hwStats) q.any('hw_stats', [...a.hwStats], `\thw_stats ${a.hwStats.join(' ')}`);
    if (a.usedHwStats) q.any('used_hw_stats', [...a.usedHwStats], `\tused_hw_stats ${a.usedHwStats.join(' ')}`);
  }));
}
