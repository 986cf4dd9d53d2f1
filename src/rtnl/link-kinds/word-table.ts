// Parsing kind words from a WordTable: one attribute per word, in the order
// given (which is the order iproute2 adds them).
import { type Words, matches, num, onOff } from '../words.js';

/**
 * A kind whose words each set one attribute: [word, key, read, exact?].
 * `exact` words must be spelled out; the others may be abbreviated, as
 * iproute2's matches() allows.
 */
export type WordTable = readonly (readonly [word: string, key: string, read: (v: string, w: Words) => unknown, exact?: boolean])[];

export function readTable(w: Words, table: WordTable, into: Record<string, unknown> = {}, extra?: (word: string, w: Words) => boolean): Record<string, unknown> {
  while (!w.done) {
    const x = w.next();
    const row = table.find(([word, , , exact]) => (exact ? x === word : matches(x, word)));
    if (row) into[row[1]] = row[2](x, w);
    else if (!extra?.(x, w)) w.fail(`unknown option "${x}"`);
  }
  return into;
}

const u8 = (what: string) => (x: string, w: Words): number => num(w.value(x), what, 'u8');
const u16 = (what: string) => (x: string, w: Words): number => num(w.value(x), what, 'u16');
const u32 = (what: string) => (x: string, w: Words): number => num(w.value(x), what, 'u32');
const u64 = (what: string) => (x: string, w: Words): number => num(w.value(x), what, 'u64');
const onoff = (what: string) => (x: string, w: Words): boolean => onOff(w.value(x), what);
const text = () => (x: string, w: Words): string => w.value(x);
const present = () => (): true => true;

/** Readers for table rows: the value after the word, as a number, on/off, or text; or the word's presence. */
export const read = { u8, u16, u32, u64, onoff, text, present };
