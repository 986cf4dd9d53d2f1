// What happens to a packet after an action ("control action"): tc's names for
// the TC_ACT_* verdicts, plus "goto chain N" and "jump N".
import {
  TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN, TC_ACT_JUMP, TC_ACT_OK, TC_ACT_PIPE, TC_ACT_RECLASSIFY, TC_ACT_SHOT,
  TC_ACT_STOLEN, TC_ACT_TRAP, TC_ACT_UNSPEC,
} from '../../../generated/linux/pkt_cls.js';
import { describe } from '../../../netlink/describe.js';
import { EncodeError } from '../../../netlink/errors.js';
import { isRecord, lookup } from '../../../netlink/narrow.js';
import { type Words, UsageError, cNumber, matches } from '../../words.js';
import { type TcPrinter } from '../printer.js';

/** What happens to a packet after an action, by the name tc gives it. */
export type ControlName = 'continue' | 'pass' | 'drop' | 'reclassify' | 'pipe' | 'stolen' | 'trap';
/** What happens to a packet after an action: a name, a goto chain, a jump, or the number. */
export type Control = ControlName | { goto: number } | { jump: number } | number;

// In tc's order (action_a2n): the first name of a number is the one printed.
const NAMES: readonly [string, number][] = [
  ['continue', TC_ACT_UNSPEC], ['drop', TC_ACT_SHOT], ['shot', TC_ACT_SHOT], ['pass', TC_ACT_OK], ['ok', TC_ACT_OK],
  ['reclassify', TC_ACT_RECLASSIFY], ['pipe', TC_ACT_PIPE], ['stolen', TC_ACT_STOLEN], ['trap', TC_ACT_TRAP],
];
const PRINTED: Record<number, ControlName> = {
  [TC_ACT_UNSPEC]: 'continue', [TC_ACT_OK]: 'pass', [TC_ACT_SHOT]: 'drop', [TC_ACT_RECLASSIFY]: 'reclassify',
  [TC_ACT_PIPE]: 'pipe', [TC_ACT_STOLEN]: 'stolen', [TC_ACT_TRAP]: 'trap',
};

const EXT_MASK = ~TC_ACT_EXT_VAL_MASK;

/** A control name (or tc's prefix of one: 'dr' is drop), { goto }, { jump } or the raw number. */
export function parseControl(v: unknown, path: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new EncodeError(path, `control ${v} is not an s32`);
    return v;
  }
  if (typeof v === 'string') {
    for (const [name, n] of NAMES) if (v.length > 0 && name.startsWith(v)) return n;
    throw new EncodeError(path, `unknown control action "${v}" (continue, pass, drop, reclassify, pipe, stolen, trap)`);
  }
  if (isRecord(v)) {
    const o = v;
    const [base, n] = o.goto !== undefined ? [TC_ACT_GOTO_CHAIN, o.goto] : [TC_ACT_JUMP, o.jump];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > TC_ACT_EXT_VAL_MASK) {
      throw new EncodeError(path, `${o.goto !== undefined ? 'chain index' : 'jump count'} must be 0..${TC_ACT_EXT_VAL_MASK}, got ${describe(n)}`);
    }
    return (base | n) >> 0;
  }
  throw new EncodeError(path, `expected a control action ('pass', 'drop', { goto: 1 }...), got ${describe(v)}`);
}

export function controlName(n: number): Control {
  if ((n & EXT_MASK) === TC_ACT_GOTO_CHAIN) return { goto: n & TC_ACT_EXT_VAL_MASK };
  if ((n & EXT_MASK) === TC_ACT_JUMP) return { jump: n & TC_ACT_EXT_VAL_MASK };
  return PRINTED[n] ?? n;
}

// ── tc words and printers ──

/** The verdict each word of CONTROLS (goto and jump aside) stands for: tc's shot and ok are drop and pass. */
const CONTROL_OF_WORD: Readonly<Record<string, ControlName>> = {
  continue: 'continue', drop: 'drop', shot: 'drop', pass: 'pass', ok: 'pass', reclassify: 'reclassify', pipe: 'pipe', trap: 'trap',
};

export const CONTROLS = ['continue', 'drop', 'shot', 'pass', 'ok', 'reclassify', 'pipe', 'goto', 'jump', 'trap'];

export function isControlWord(w: string | undefined): boolean {
  return w !== undefined && CONTROLS.some((c) => matches(w, c));
}

/** tc's parse_action_control: a verdict word, "goto chain N" or "jump N". */
export function controlWords(w: Words): Control {
  const word = w.next();
  const name = CONTROLS.find((c) => matches(word, c));
  if (!name) throw new UsageError(`bad action type "${word}"`);
  if (name === 'goto') {
    if (!matches(w.next(), 'chain')) throw new UsageError('"chain index" expected');
    return { goto: cNumber(w.next(), 'goto chain', 10) };
  }
  if (name === 'jump') return { jump: cNumber(w.next(), 'jump', 10) };
  const control = lookup(CONTROL_OF_WORD, name);
  if (control === undefined) throw new UsageError(`bad action type "${word}"`);
  return control;
}

export function controlOut(p: TcPrinter, c: Control, prefix: string, suffix: string): void {
  p.onlyText(prefix);
  p.nest('control_action', (o) => {
    if (typeof c === 'object') {
      if ('goto' in c) o.any('type', 'goto', 'goto').any('chain', c.goto, ` chain ${c.goto}`);
      else o.any('type', 'jump', 'jump').any('jump', c.jump, ` ${c.jump}`);
    } else {
      o.any('type', String(c), String(c));
    }
  });
  p.onlyText(suffix);
}
