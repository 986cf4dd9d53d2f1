// Parsing kind words from a WordTable: one attribute per word, in the order
// given (which is the order iproute2 adds them).
import { matches } from '../args.js';
import { num, onOff } from '../words.js';
import type { Words } from '../words.js';
import type { WordTable } from './kind-args.js';

export function readTable(w: Words, table: WordTable, into: Record<string, unknown> = {}, extra?: (w: Words) => boolean): Record<string, unknown> {
  for (; !w.done; w.advance()) {
    const x = w.word!;
    const row = table.find(([word, , , exact]) => (exact ? x === word : matches(x, word)));
    if (row) into[row[1]] = row[2](x, w);
    else if (!extra?.(w)) w.fail(`unknown option "${x}"`);
  }
  return into;
}

/** Readers for table rows: the value after the word, as a number, on/off, or text. */
export const u8 = (what: string) => (_x: string, w: Words): number => num(w.value(), what, 'u8');
export const u16 = (what: string) => (_x: string, w: Words): number => num(w.value(), what, 'u16');
export const u32 = (what: string) => (_x: string, w: Words): number => num(w.value(), what, 'u32');
export const u64 = (what: string) => (_x: string, w: Words): number => num(w.value(), what, 'u64');
export const onoff = (what: string) => (_x: string, w: Words): boolean => onOff(w.value(), what);
export const text = () => (_x: string, w: Words): string => w.value();
export const present = () => (): true => true;
