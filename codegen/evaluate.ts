// Integer constant expressions with C's typing rules on x86_64 LP64, so a
// value comes out as gcc computes it: `(1 << 31)` is INT_MIN, `~0U` is
// 0xffffffff, `-1UL` is 2^64 - 1. In `#if` every integer is intmax_t or
// uintmax_t (C11 6.10.1p4) and unknown identifiers are 0.
import type { Token } from './lexer.js';

export interface IntType {
  readonly bits: 8 | 16 | 32 | 64;
  readonly unsigned: boolean;
}

export interface CValue {
  readonly value: bigint;
  readonly type: IntType;
  /** The result of a cast to a pointer type: not an integer constant. */
  readonly pointer?: boolean;
}

export const INT: IntType = { bits: 32, unsigned: false };
export const UINT: IntType = { bits: 32, unsigned: true };
export const LONG: IntType = { bits: 64, unsigned: false };
export const ULONG: IntType = { bits: 64, unsigned: true };

/** What the evaluator needs to know about a type named in a cast or sizeof. */
export interface TypeInfo {
  readonly size: number;
  readonly align: number;
  /** Set for integer (and enum, _Bool) types: what a cast converts to. */
  readonly int?: IntType;
  readonly bool?: boolean;
  readonly pointer?: boolean;
}

export interface EvalEnv {
  /** `#if` rules: intmax_t arithmetic, unknown identifiers are 0, no casts. */
  readonly preprocessor: boolean;
  /** The value of an identifier left after macro expansion (an enum constant). */
  identifier?(name: string): CValue | undefined;
  /** If a type name starts at tokens[i], returns its type and the index after it. */
  typeName?(tokens: readonly Token[], i: number): { type: TypeInfo; next: number } | undefined;
}

export class EvalError extends Error {}

export function fits(value: bigint, t: IntType): boolean {
  return (t.unsigned ? BigInt.asUintN(t.bits, value) : BigInt.asIntN(t.bits, value)) === value;
}

function convert(value: bigint, t: IntType): bigint {
  return t.unsigned ? BigInt.asUintN(t.bits, value) : BigInt.asIntN(t.bits, value);
}

export function parseIntegerLiteral(text: string, preprocessor = false): CValue {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) throw new EvalError(`not an integer literal: ${text}`);
  const digits = m[1]!;
  const suffix = m[2]!.toLowerCase();
  if (!['', 'u', 'l', 'll', 'ul', 'lu', 'ull', 'llu'].includes(suffix)) throw new EvalError(`bad integer suffix: ${text}`);
  let value: bigint;
  if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (/^0[bB]/.test(digits)) value = BigInt(`0b${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith('0')) value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  const decimal = /^[1-9]/.test(digits) || digits === '0';
  const unsigned = suffix.includes('u');
  const long = suffix.includes('l');
  // C11 6.4.4.1p5: the first type of the list in which the value fits.
  let candidates: IntType[];
  if (unsigned) candidates = long ? [ULONG] : [UINT, ULONG];
  else if (long) candidates = decimal ? [LONG] : [LONG, ULONG];
  else candidates = decimal ? [INT, LONG] : [INT, UINT, LONG, ULONG];
  const type = candidates.find((t) => fits(value, t)) ?? ULONG; // gcc: "so large that it is unsigned"
  if (!fits(value, ULONG)) throw new EvalError(`integer literal too large: ${text}`);
  return { value, type: preprocessor ? (type.unsigned ? ULONG : LONG) : type };
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, '?': 63, e: 27,
};

export function parseCharLiteral(text: string): CValue {
  if (!text.startsWith("'")) throw new EvalError(`wide character literals are not supported: ${text}`);
  const body = text.slice(1, -1);
  let code: number;
  if (body.length === 1) code = body.charCodeAt(0);
  else if (body.startsWith('\\x')) code = parseInt(body.slice(2), 16);
  else if (/^\\[0-7]{1,3}$/.test(body)) code = parseInt(body.slice(1), 8);
  else if (body.length === 2 && body[0] === '\\' && SIMPLE_ESCAPES[body[1]!] !== undefined) code = SIMPLE_ESCAPES[body[1]!]!;
  else throw new EvalError(`unsupported character literal: ${text}`);
  if (!(code >= 0 && code <= 255)) throw new EvalError(`character literal out of range: ${text}`);
  // Plain char is signed on x86_64, and a character constant has type int.
  return { value: BigInt.asIntN(8, BigInt(code)), type: INT };
}

type Node =
  | { op: 'value'; v: CValue }
  | { op: 'ident'; name: string }
  | { op: 'unary'; sym: string; a: Node }
  | { op: 'cast'; to: TypeInfo; a: Node }
  /** `(__typeof__(e))x`, as the kernel's __ALIGN_KERNEL writes it. */
  | { op: 'typeofCast'; of: Node; a: Node }
  | { op: 'binary'; sym: string; a: Node; b: Node }
  | { op: 'cond'; c: Node; a: Node; b: Node };

const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[], private readonly env: EvalEnv) {}

  parseAll(): Node {
    if (this.tokens.length === 0) throw new EvalError('empty expression');
    const n = this.expression();
    if (this.i < this.tokens.length) throw new EvalError(`unexpected '${this.tokens[this.i]!.text}'`);
    return n;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunct(text)) throw new EvalError(`expected '${text}' but found '${this.peek()?.text ?? 'end of expression'}'`);
    this.i++;
  }

  private expression(): Node {
    // The comma operator is not allowed in a constant expression (6.6p3) unless
    // it is not evaluated; the headers never use it, so it is an error here.
    return this.conditional();
  }

  private conditional(): Node {
    const c = this.binary(0);
    if (!this.isPunct('?')) return c;
    this.i++;
    const a = this.expression();
    this.expect(':');
    const b = this.conditional();
    return { op: 'cond', c, a, b };
  }

  private binary(level: number): Node {
    if (level === BINARY_LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.kind !== 'punct' || !BINARY_LEVELS[level]!.includes(t.text)) return a;
      this.i++;
      const b = this.binary(level + 1);
      a = { op: 'binary', sym: t.text, a, b };
    }
  }

  private typeInParens(): TypeInfo | undefined {
    if (!this.isPunct('(') || this.env.typeName === undefined) return undefined;
    const parsed = this.env.typeName(this.tokens, this.i + 1);
    if (parsed === undefined) return undefined;
    const close = this.tokens[parsed.next];
    if (close === undefined || close.kind !== 'punct' || close.text !== ')') return undefined;
    this.i = parsed.next + 1;
    return parsed.type;
  }

  private unary(): Node {
    const t = this.peek();
    if (t === undefined) throw new EvalError('unexpected end of expression');
    if (t.kind === 'punct' && ['+', '-', '~', '!'].includes(t.text)) {
      this.i++;
      return { op: 'unary', sym: t.text, a: this.unary() };
    }
    if (t.kind === 'ident' && ['sizeof', '_Alignof', '__alignof__', '__alignof'].includes(t.text)) {
      this.i++;
      const type = this.typeInParens();
      if (type === undefined) throw new EvalError(`${t.text} of an expression is not supported`);
      const v = t.text === 'sizeof' ? type.size : type.align;
      return { op: 'value', v: { value: BigInt(v), type: ULONG } };
    }
    if (!this.env.preprocessor && t.kind === 'punct' && t.text === '(') {
      const op = this.tokens[this.i + 1];
      if (op?.kind === 'ident' && ['__typeof__', '__typeof', 'typeof'].includes(op.text) && this.tokens[this.i + 2]?.text === '(') {
        this.i += 3;
        const of = this.expression();
        this.expect(')');
        this.expect(')');
        return { op: 'typeofCast', of, a: this.unary() };
      }
      const type = this.typeInParens();
      if (type !== undefined) return { op: 'cast', to: type, a: this.unary() };
    }
    return this.primary();
  }

  private primary(): Node {
    const t = this.peek();
    if (t === undefined) throw new EvalError('unexpected end of expression');
    this.i++;
    if (t.kind === 'number') return { op: 'value', v: parseIntegerLiteral(t.text, this.env.preprocessor) };
    if (t.kind === 'char') {
      const v = parseCharLiteral(t.text);
      return { op: 'value', v: this.env.preprocessor ? { value: v.value, type: LONG } : v };
    }
    if (t.kind === 'ident') return { op: 'ident', name: t.text };
    if (t.kind === 'punct' && t.text === '(') {
      const n = this.expression();
      this.expect(')');
      return n;
    }
    throw new EvalError(`unexpected '${t.text}'`);
  }
}

/** Integer promotion (6.3.1.1): narrower types become int. */
function promote(t: IntType): IntType {
  return t.bits < 32 ? INT : t;
}

/** The usual arithmetic conversions (6.3.1.8) for LP64. */
function common(a: IntType, b: IntType): IntType {
  const x = promote(a);
  const y = promote(b);
  if (x.bits === y.bits) return { bits: x.bits, unsigned: x.unsigned || y.unsigned };
  // The wider one is 64 bits and can hold every 32-bit value, signed or not.
  return x.bits > y.bits ? x : y;
}

class Evaluator {
  constructor(private readonly env: EvalEnv) {}

  private truth(v: CValue): boolean {
    return v.value !== 0n;
  }

  private boolean(b: boolean): CValue {
    return { value: b ? 1n : 0n, type: this.env.preprocessor ? LONG : INT };
  }

  eval(n: Node): CValue {
    switch (n.op) {
      case 'value':
        return n.v;
      case 'ident': {
        if (this.env.preprocessor) return { value: 0n, type: LONG };
        const v = this.env.identifier?.(n.name);
        if (v === undefined) throw new EvalError(`'${n.name}' is not a constant`);
        return v;
      }
      case 'cond': {
        const c = this.eval(n.c);
        // Only the chosen branch is evaluated, but the type comes from both.
        const a = this.truth(c) ? this.eval(n.a) : undefined;
        const b = this.truth(c) ? undefined : this.eval(n.b);
        const chosen = (a ?? b)!;
        if (chosen.pointer) throw new EvalError('pointer in a constant expression');
        const other = this.typeOf(this.truth(c) ? n.b : n.a);
        const t = other === undefined ? promote(chosen.type) : common(chosen.type, other);
        return { value: convert(chosen.value, t), type: t };
      }
      case 'cast': {
        const a = this.scalar(this.eval(n.a));
        if (n.to.pointer) return { value: convert(a.value, ULONG), type: ULONG, pointer: true };
        if (n.to.int === undefined) throw new EvalError('cast to a non-integer type');
        if (n.to.bool) return { value: a.value !== 0n ? 1n : 0n, type: n.to.int };
        return { value: convert(a.value, n.to.int), type: n.to.int };
      }
      case 'typeofCast': {
        const to = this.scalar(this.eval(n.of)).type;
        const a = this.scalar(this.eval(n.a));
        return { value: convert(a.value, to), type: to };
      }
      case 'unary': {
        const a = this.scalar(this.eval(n.a));
        const t = promote(a.type);
        switch (n.sym) {
          case '+': return { value: convert(a.value, t), type: t };
          case '-': return { value: convert(-a.value, t), type: t };
          case '~': return { value: convert(~a.value, t), type: t };
          default: return this.boolean(a.value === 0n);
        }
      }
      case 'binary':
        return this.binary(n.sym, n.a, n.b);
    }
  }

  /** The type an expression would have, without evaluating it (for `?:`). */
  private typeOf(n: Node): IntType | undefined {
    try {
      return this.eval(n).type;
    } catch {
      return undefined;
    }
  }

  private scalar(v: CValue): CValue {
    if (v.pointer) throw new EvalError('pointer in a constant expression');
    return v;
  }

  private binary(sym: string, an: Node, bn: Node): CValue {
    if (sym === '&&') {
      const a = this.scalar(this.eval(an));
      return this.boolean(this.truth(a) && this.truth(this.scalar(this.eval(bn))));
    }
    if (sym === '||') {
      const a = this.scalar(this.eval(an));
      return this.boolean(this.truth(a) || this.truth(this.scalar(this.eval(bn))));
    }
    const a = this.scalar(this.eval(an));
    const b = this.scalar(this.eval(bn));
    if (sym === '<<' || sym === '>>') {
      const t = promote(a.type);
      const count = b.value;
      if (count < 0n || count >= BigInt(t.bits)) throw new EvalError(`shift count ${count} out of range`);
      const value = sym === '<<' ? a.value << count : convert(a.value, t) >> count;
      return { value: convert(value, t), type: t };
    }
    const t = common(a.type, b.type);
    const x = convert(a.value, t);
    const y = convert(b.value, t);
    switch (sym) {
      case '*': return { value: convert(x * y, t), type: t };
      case '/':
      case '%':
        if (y === 0n) throw new EvalError('division by zero');
        // BigInt division truncates toward zero, as C does.
        return { value: convert(sym === '/' ? x / y : x % y, t), type: t };
      case '+': return { value: convert(x + y, t), type: t };
      case '-': return { value: convert(x - y, t), type: t };
      case '&': return { value: convert(x & y, t), type: t };
      case '|': return { value: convert(x | y, t), type: t };
      case '^': return { value: convert(x ^ y, t), type: t };
      case '==': return this.boolean(x === y);
      case '!=': return this.boolean(x !== y);
      case '<': return this.boolean(x < y);
      case '>': return this.boolean(x > y);
      case '<=': return this.boolean(x <= y);
      case '>=': return this.boolean(x >= y);
    }
    throw new EvalError(`unknown operator ${sym}`);
  }
}

/** Evaluates tokens that are already macro-expanded. Throws EvalError. */
export function evaluate(tokens: readonly Token[], env: EvalEnv): CValue {
  const tree = new Parser(tokens, env).parseAll();
  return new Evaluator(env).eval(tree);
}
