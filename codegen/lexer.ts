// C lexer for the uapi headers: splices line continuations, drops comments,
// and produces preprocessing tokens (C11 6.4) with their file and line so
// the preprocessor can find directives and later stages can say where a
// definition came from.

export type TokenKind = 'ident' | 'number' | 'char' | 'string' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Header path relative to the include root, e.g. `linux/if_link.h`. */
  readonly file: string;
  readonly line: number;
  /** First token of a logical line (after continuations are spliced). */
  readonly bol: boolean;
  /** Whitespace (or a comment) precedes it: needed for `#` stringizing. */
  readonly space: boolean;
  /** Macro names that must not expand this token again (C11 6.10.3.4). */
  readonly hide?: ReadonlySet<string>;
}

export class LexError extends Error {
  constructor(message: string, readonly file: string, readonly line: number) {
    super(`${file}:${line}: ${message}`);
  }
}

// Longest first, so that `<<=` wins over `<<` and `<`.
const PUNCTUATORS = [
  '%:%:', '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=',
  '&=', '^=', '|=', '##', '<:', ':>', '<%', '%>', '%:',
  '[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|',
  '?', ':', ';', '=', ',', '#',
];
// Digraphs mean the same as the tokens they stand for.
const DIGRAPHS: Record<string, string> = { '<:': '[', ':>': ']', '<%': '{', '%>': '}', '%:': '#', '%:%:': '##' };

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$]/;

/** Removes backslash-newline pairs, remembering where each original line starts. */
function splice(source: string): { text: string; lineAt: (pos: number) => number } {
  let text = '';
  // lineStart[i] = position in `text` where original line i + 1 begins.
  const lineStart: number[] = [0];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      let j = i + 1;
      if (source[j] === '\r') j++;
      if (source[j] === '\n') {
        i = j + 1;
        lineStart.push(text.length);
        continue;
      }
    }
    text += c;
    if (c === '\n') lineStart.push(text.length);
    i++;
  }
  const lineAt = (pos: number): number => {
    let lo = 0;
    let hi = lineStart.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStart[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return { text, lineAt };
}

export function lex(source: string, file: string): Token[] {
  const { text, lineAt } = splice(source);
  const tokens: Token[] = [];
  let bol = true;
  let space = false;
  let i = 0;
  const push = (kind: TokenKind, value: string, start: number): void => {
    tokens.push({ kind, text: value, file, line: lineAt(start), bol, space });
    bol = false;
    space = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      bol = true;
      space = false;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      space = true;
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new LexError('unterminated comment', file, lineAt(i));
      i = end + 2;
      space = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      space = true;
      continue;
    }
    const start = i;
    // Character and string literals, with an optional encoding prefix.
    const prefix = /^(u8|u|U|L)?(['"])/.exec(text.slice(i, i + 3));
    if (prefix) {
      const quote = prefix[2]!;
      let j = i + prefix[0].length;
      while (j < text.length && text[j] !== quote && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (text[j] === quote) {
        i = j + 1;
        push(quote === '"' ? 'string' : 'char', text.slice(start, i), start);
        continue;
      }
      // An unterminated quote (an apostrophe in `#if 0` prose): gcc lexes it
      // as a stray character, and so do we.
    }
    if (IDENT_START.test(c)) {
      while (i < text.length && IDENT_PART.test(text[i]!)) i++;
      push('ident', text.slice(start, i), start);
      continue;
    }
    // pp-number: a digit (or . digit) followed by identifier characters,
    // dots and exponent signs; the evaluator decides what it means.
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      i++;
      while (i < text.length) {
        const d = text[i]!;
        if (/[eEpP]/.test(d) && /[+-]/.test(text[i + 1] ?? '')) i += 2;
        else if (IDENT_PART.test(d) || d === '.') i++;
        else break;
      }
      push('number', text.slice(start, i), start);
      continue;
    }
    const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
    if (p !== undefined) {
      i += p.length;
      push('punct', DIGRAPHS[p] ?? p, start);
      continue;
    }
    // A stray character (e.g. `@` or a lone backslash): keep it so a
    // directive that is never taken cannot break the whole file.
    i++;
    push('punct', c, start);
  }
  return tokens;
}

/** Spells tokens back as C text, one space where the source had whitespace. */
export function spell(tokens: readonly Token[]): string {
  let out = '';
  tokens.forEach((t, k) => {
    if (k > 0 && t.space) out += ' ';
    out += t.text;
  });
  return out;
}

/**
 * The integer literal an expression consists of, if that is all it is
 * (`4`, `(0xFFFFFFFFU)`, `-1`): such values need no comment, and keep their
 * radix in the output.
 */
export function singleLiteral(tokens: readonly Token[]): string | undefined {
  let from = 0;
  let to = tokens.length;
  while (to - from >= 3 && tokens[from]!.text === '(' && tokens[to - 1]!.text === ')') {
    from++;
    to--;
  }
  const sign = to - from === 2 && tokens[from]!.kind === 'punct' && tokens[from]!.text === '-' ? '-' : '';
  if (sign !== '') from++;
  return to - from === 1 && tokens[from]!.kind === 'number' ? sign + tokens[from]!.text : undefined;
}
