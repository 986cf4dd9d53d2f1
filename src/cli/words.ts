// Reading iproute2-style argument words: a cursor over the words, the value
// after a keyword, numbers as strtoul(…, 0) reads them (decimal, 0x hex,
// leading-0 octal), on/off. Mistakes are UsageErrors naming the word.
import { UsageError } from './args.js';

export class Words {
  private i = 0;
  constructor(private readonly words: readonly string[], readonly context: string) {}

  get done(): boolean { return this.i >= this.words.length; }
  /** The current word (undefined at the end). */
  get word(): string | undefined { return this.words[this.i]; }
  /** Moves past the current word. */
  advance(): void { this.i++; }
  /** What is left, from the current word on. */
  rest(): string[] { return this.words.slice(this.i); }

  /** Moves to the value of the keyword under the cursor (iproute2's NEXT_ARG) and returns it. */
  value(): string {
    const key = this.words[this.i];
    this.i++;
    const v = this.words[this.i];
    if (v === undefined) throw new UsageError(`${this.context}: "${key}" needs a value`);
    return v;
  }

  /** Whether a next word exists (iproute2's NEXT_ARG_OK). */
  hasNext(): boolean { return this.i + 1 < this.words.length; }

  fail(problem: string): never {
    throw new UsageError(`${this.context}: ${problem}`);
  }
}

const LIMITS = { u8: 0xff, u16: 0xffff, u32: 0xffffffff, s32: 0x7fffffff, u64: Number.MAX_SAFE_INTEGER } as const;

/** A number the way iproute2's get_u32(…, 0) reads it; out of range or not a number is a UsageError. */
export function num(word: string, what: string, kind: keyof typeof LIMITS = 'u32'): number {
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(word)) n = parseInt(word.slice(2), 16);
  else if (/^0[0-7]+$/.test(word)) n = parseInt(word.slice(1), 8);
  else if (/^\d+$/.test(word)) n = Number(word);
  else if (kind === 's32' && /^-\d+$/.test(word)) n = Number(word);
  else throw new UsageError(`invalid ${what} "${word}"`);
  if (n > LIMITS[kind] || (kind === 's32' && n < -0x80000000)) throw new UsageError(`invalid ${what} "${word}": out of range`);
  return n;
}

/** "on" or "off", as iproute2's parse_on_off. */
export function onOff(word: string, what: string): boolean {
  if (word === 'on') return true;
  if (word === 'off') return false;
  throw new UsageError(`${what}: expected "on" or "off", got "${word}"`);
}
