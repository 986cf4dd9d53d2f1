// Parsing kind words from a WordTable: one attribute per word, in the order
// given (which is the order iproute2 adds them).
import { matches } from '../args.js';
import { num, onOff } from '../../rtnl/words.js';
import type { Words } from '../../rtnl/words.js';
import type { WordTable } from './kind-args.js';

export function readTable(w: Words, table: WordTable, into: Record<string, unknown> = {}, extra?: (word: string, w: Words) => boolean): Record<string, unknown> {
  while (!w.done) {
    const x = w.next();
    const row = table.find(([word, , , exact]) => (exact ? x === word : matches(x, word)));
    if (row) into[row[1]] = row[2](x, w);
    else if (!extra?.(x, w)) w.fail(`unknown option "${x}"`);
  }
  return into;
}

/** Readers for table rows: the value after the word, as a number, on/off, or text. */
export const u8 = (what: string) => (x: string, w: Words): number => num(w.value(x), what, 'u8');
export const u16 = (what: string) => (x: string, w: Words): number => num(w.value(x), what, 'u16');
export const u32 = (what: string) => (x: string, w: Words): number => num(w.value(x), what, 'u32');
export const u64 = (what: string) => (x: string, w: Words): number => num(w.value(x), what, 'u64');
export const onoff = (what: string) => (x: string, w: Words): boolean => onOff(w.value(x), what);
export const text = () => (x: string, w: Words): string => w.value(x);
export const present = () => (): true => true;
