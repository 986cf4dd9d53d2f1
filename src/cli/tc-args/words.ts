// A cursor over tc's argument words, with tc's habits: keywords matched by
// prefix (`matches`), a value expected after most keywords, and optional
// trailing numbers (netem's "delay 100ms 10ms 25%").
import { UsageError, matches } from '../args.js';

export class Words {
  private i = 0;

  constructor(private readonly words: readonly string[], readonly context: string) {}

  get done(): boolean {
    return this.i >= this.words.length;
  }

  peek(offset = 0): string | undefined {
    return this.words[this.i + offset];
  }

  next(): string {
    const w = this.words[this.i++];
    if (w === undefined) throw new UsageError(`${this.context}: missing argument`);
    return w;
  }

  /** The value after a keyword just read. */
  value(keyword: string): string {
    const w = this.words[this.i++];
    if (w === undefined) throw new UsageError(`${this.context}: "${keyword}" needs a value`);
    return w;
  }

  /** Consumes the next word if it is `full` or a prefix of it (tc's matches()). */
  accept(full: string, exact = false): boolean {
    const w = this.peek();
    if (w === undefined || (exact ? w !== full : !matches(w, full))) return false;
    this.i++;
    return true;
  }

  /** Whether the next word starts with a digit (tc's NEXT_IS_NUMBER). */
  nextIsNumber(signed = false): boolean {
    const w = this.peek();
    return w !== undefined && (/^\d/.test(w) || (signed && w.startsWith('-')));
  }

  /** The words not consumed yet. */
  rest(): string[] {
    const r = this.words.slice(this.i);
    this.i = this.words.length;
    return r;
  }

  unknown(w: string): never {
    throw new UsageError(`${this.context}: what is "${w}"?`);
  }
}

/** A number as tc's get_u32(..., 0) reads it: decimal, 0x hex or 0 octal. */
export function cNumber(w: string, context: string, base = 0): number {
  let n: number;
  if (base === 16) n = /^(0x)?[0-9a-f]+$/i.test(w) ? parseInt(w.replace(/^0x/i, ''), 16) : NaN;
  else if (base === 10) n = /^\d+$/.test(w) ? Number(w) : NaN;
  else if (/^0x[0-9a-f]+$/i.test(w)) n = parseInt(w, 16);
  else if (/^0[0-7]+$/.test(w)) n = parseInt(w, 8);
  else n = /^\d+$/.test(w) ? Number(w) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${context}: "${w}" is not a number`);
  return n;
}

/** A signed number (get_s32 / get_integer). */
export function cSigned(w: string, context: string): number {
  return w.startsWith('-') ? -cNumber(w.slice(1), context) : cNumber(w, context);
}
