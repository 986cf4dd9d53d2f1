// What every action's parameter struct starts with (tc_gen: index, capab,
// action, refcnt, bindcnt) and how tc reads and prints it: an optional
// verdict after the kind's own words (parse_action_control_dflt), an optional
// "index N", and "index N ref R bind B" on the next line.
import { describe } from '../../../netlink/describe.js';
import { EncodeError } from '../../../netlink/errors.js';
import type { TcPrintContext } from '../kind.js';
import { intOption } from '../options.js';
import type { TcPrinter } from '../printer.js';
import { type Control, controlName, controlOut, controlWords, isControlWord, parseControl } from './control.js';
import { type ActionTimes, times, timesOut } from './times.js';
import { type Words, cNumber, matches } from '../../words.js';

/** The shared part of a decoded action. */
export interface ActionCommon {
  /** What happens to the packet after this action. */
  control: Control;
  index: number;
  refcnt: number;
  bindcnt: number;
  tm?: ActionTimes;
}

/** The shared part of an action to add: its verdict (tc's default per kind when absent) and an index to share. */
export interface ActionCommonInput {
  control?: Control;
  index?: number;
}

/** The verdict and index words after a kind's own words. */
export function commonWords(w: Words, o: Record<string, unknown>, kind: string): Record<string, unknown> {
  if (isControlWord(w.peek())) o.control = controlWords(w);
  if (w.peek() !== undefined && matches(w.peek(), 'index')) {
    w.next();
    o.index = cNumber(w.value('index'), `${kind} index`, 10);
  }
  return o;
}

/** The tc_gen fields of a parameter struct to send. */
export function commonParms(v: Record<string, unknown>, dflt: number, path: string): { index: number; action: number } {
  return {
    index: v.index === undefined ? 0 : intOption(v.index, `${path}.index`),
    action: v.control === undefined ? dflt : parseControl(v.control, `${path}.control`),
  };
}

type Gen = { index: number; action: number; refcnt: number; bindcnt: number };

/** The decoded shared part; a missing struct is reported, not thrown. */
export function commonOf(p: Gen | undefined, tm: Parameters<typeof times>[0] | undefined, issues: { path: string; problem: string }[] | undefined, path: string, kind: string): ActionCommon {
  if (!p) issues?.push({ path, problem: `${kind} without its parameters` });
  const out: ActionCommon = { control: controlName(p?.action ?? 0), index: p?.index ?? 0, refcnt: p?.refcnt ?? 0, bindcnt: p?.bindcnt ?? 0 };
  if (tm) out.tm = times(tm);
  return out;
}

/** `print_action_control(f, prefix, action, suffix)` then "index N ref R bind B" as most actions print them. */
export function commonOut(p: TcPrinter, o: ActionCommon, ctx: TcPrintContext, prefix = ' ', suffix = '', indexText = '\n\t index'): void {
  controlOut(p, o.control, prefix, suffix);
  p.any('index', o.index, `${indexText} ${o.index}`).any('ref', o.refcnt, ` ref ${o.refcnt}`).any('bind', o.bindcnt, ` bind ${o.bindcnt}`);
  timesOut(p, o.tm, ctx);
}

/** A string option from a fixed list. */
export function oneOf<T extends string>(v: unknown, names: readonly T[], path: string): T {
  const hit = names.find((n) => n === v);
  if (hit === undefined) throw new EncodeError(path, `expected ${names.join(', ')}, got ${describe(v)}`);
  return hit;
}
