// Word habits several tc kinds share (tc's q_htb.c and q_tbf.c read
// linklayer alike; every kind refuses a keyword given twice the same way).
import { UsageError, type Words, matches } from '../words.js';

/** The words of a kind that takes none: any word is unknown. */
export function noWords(w: Words): Record<string, unknown> {
  if (!w.done) w.unknown(w.next());
  return {};
}

/** A value that may be given once (tc's "Double \"rate\" spec"). */
export function once(prev: unknown, v: string, what: string): string {
  if (prev !== undefined) throw new UsageError(`duplicate "${what}"`);
  return v;
}

/** tc's get_linklayer: ethernet, or atm (also spelt adsl). */
export function linkLayerWord(v: string): string {
  if (matches(v, 'ethernet')) return 'ethernet';
  if (matches(v, 'atm') || matches(v, 'adsl')) return 'atm';
  throw new UsageError(`illegal linklayer "${v}"`);
}
