// The word toolkit: reading iproute2-style argument words ("delay 100ms 10ms
// 25%", "type vlan id 5"). One cursor over the words, one reader of numbers
// as strtoul(…, 0) reads them, on/off. Mistakes are UsageErrors naming the
// word. It sits in the rtnetlink layer because a kind module
// (src/rtnl/link-kinds/*, src/rtnl/tc/*) holds its own words beside its
// schema, and the lab reads qdisc words too (docs/architecture.md, "Kinds").
// Sizes, rates and times stay text: the kind's encoder reads them with
// src/rtnl/tc/units.ts, exactly as tc does.

/** A command line the words of a command do not fit; the message says which word and why. */
export class UsageError extends Error {
  /**
   * The exit status: ip's exit(-1), 255, for most words it cannot use; a few
   * of ip's checks return 1 instead (`Flush requires arguments.`), and say so here.
   */
  readonly status: number;
  constructor(message: string, status = 255) {
    super(message);
    this.name = 'UsageError';
    this.status = status;
  }
}

/** True when `word` is a prefix of `full` of at least `min` letters (ip accepts `sh` for `show`, iproute2's matches()). */
export function matches(word: string | undefined, full: string, min = 1): boolean {
  return word !== undefined && word.length >= min && full.startsWith(word);
}

/**
 * A cursor over argument words. Reading consumes: `next()` takes the
 * keyword, `value(keyword)` the word after it (iproute2's NEXT_ARG),
 * `peek()` looks without taking.
 */
export class Words {
  private i = 0;

  /**
   * `context` starts every message ("link add", "netem"); `missing` words the
   * message for a keyword without its value when a command needs ip's own
   * wording.
   */
  constructor(
    private readonly words: readonly string[],
    readonly context: string,
    private readonly missing?: (keyword: string) => string,
  ) {}

  get done(): boolean {
    return this.i >= this.words.length;
  }

  /** The word `offset` ahead of the cursor (undefined past the end). */
  peek(offset = 0): string | undefined {
    return this.words[this.i + offset];
  }

  /** Takes the next word. */
  next(): string {
    const w = this.words[this.i++];
    if (w === undefined) throw new UsageError(`${this.context}: missing argument`);
    return w;
  }

  /** Takes the value after a keyword just read. */
  value(keyword: string): string {
    const w = this.words[this.i++];
    if (w === undefined) throw new UsageError(this.missing ? this.missing(keyword) : `${this.context}: "${keyword}" needs a value`);
    return w;
  }

  /** Takes the next word if it is `full` or a prefix of it (tc's matches()). */
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

  /** Lets a reader that works by index ((words, i) → { next }) take its words from the cursor (route encap). */
  read<T extends { next: number }>(reader: (words: readonly string[], i: number) => T): T {
    const r = reader(this.words, this.i);
    this.i = r.next;
    return r;
  }

  /** Takes every word not read yet. */
  rest(): string[] {
    const r = this.words.slice(this.i);
    this.i = this.words.length;
    return r;
  }

  /** Throws a UsageError: the command's context, then the problem. */
  fail(problem: string): never {
    throw new UsageError(`${this.context}: ${problem}`);
  }

  /** Throws a UsageError for a word the command does not know. */
  unknown(w: string): never {
    throw new UsageError(`${this.context}: what is "${w}"?`);
  }
}

// ── numbers: one reader, worded by its callers ──

/**
 * A whole number as C's strtoul(…, base) reads a whole word: base 0 takes
 * decimal, 0x hex and leading-0 octal; 16 takes hex with or without 0x; 10
 * decimal only. Undefined when the word is not one; callers check the range.
 */
export function parseUnsigned(text: string, base: 0 | 10 | 16 = 0): number | undefined {
  let n: number;
  if (base === 16) n = /^(0x)?[0-9a-f]+$/i.test(text) ? parseInt(text.replace(/^0x/i, ''), 16) : NaN;
  else if (base === 10) n = /^\d+$/.test(text) ? Number(text) : NaN;
  else if (/^0x[0-9a-f]+$/i.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
  else n = /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isNaN(n) ? undefined : n;
}

const LIMITS = { u8: 0xff, u16: 0xffff, u32: 0xffffffff, s32: 0x7fffffff, u64: Number.MAX_SAFE_INTEGER } as const;
export type NumberKind = keyof typeof LIMITS;

/** A number the way iproute2's get_u32(…, 0) reads it, in ip's words; out of range or not a number is a UsageError. */
export function num(word: string, what: string, kind: NumberKind = 'u32'): number {
  const n = kind === 's32' && /^-\d+$/.test(word) ? -Number(word.slice(1)) : parseUnsigned(word);
  if (n === undefined) throw new UsageError(`invalid ${what} "${word}"`);
  if (n > LIMITS[kind] || (kind === 's32' && n < -0x80000000)) throw new UsageError(`invalid ${what} "${word}": out of range`);
  return n;
}

/** A number as tc's get_u32(..., base) reads it, in tc's words ("… is not a number"). */
export function cNumber(w: string, context: string, base: 0 | 10 | 16 = 0): number {
  const n = parseUnsigned(w, base);
  if (n === undefined || !Number.isSafeInteger(n)) throw new UsageError(`${context}: "${w}" is not a number`);
  return n;
}

/** A signed number (tc's get_s32 / get_integer). */
export function cSigned(w: string, context: string): number {
  return w.startsWith('-') ? -cNumber(w.slice(1), context) : cNumber(w, context);
}

/** "on" or "off", as iproute2's parse_on_off. */
export function onOff(word: string, what: string): boolean {
  if (word === 'on') return true;
  if (word === 'off') return false;
  throw new UsageError(`${what}: expected "on" or "off", got "${word}"`);
}
