import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lex } from '../../../codegen/lexer.js';
import { evaluate, EvalError, parseIntegerLiteral, INT, LONG, UINT, ULONG, type CValue, type EvalEnv } from '../../../codegen/evaluate.js';

const c: EvalEnv = { preprocessor: false };
const pp: EvalEnv = { preprocessor: true };
const run = (src: string, env: EvalEnv = c): CValue => evaluate(lex(src, 'e.h'), env);
const value = (src: string, env: EvalEnv = c): bigint => run(src, env).value;

test('literal types follow C11 6.4.4.1 on LP64', () => {
  assert.equal(parseIntegerLiteral('1').type, INT);
  assert.equal(parseIntegerLiteral('2147483648').type, LONG); // decimal: int, long
  assert.equal(parseIntegerLiteral('0x80000000').type, UINT); // hex may be unsigned int
  assert.equal(parseIntegerLiteral('0xFFFFFFFFU').type, UINT);
  assert.equal(parseIntegerLiteral('1UL').type, ULONG);
  assert.equal(parseIntegerLiteral('0x100000000ULL').type, ULONG);
  assert.is(parseIntegerLiteral('02000000').value, 0o2000000n);
  assert.is(parseIntegerLiteral('0').value, 0n);
  assert.throws(() => parseIntegerLiteral('1.5'), (e: unknown) => e instanceof EvalError);
  assert.throws(() => parseIntegerLiteral('1UUL'), (e: unknown) => e instanceof EvalError);
});

test('arithmetic wraps in the type, as gcc computes it', () => {
  assert.is(value('1 << 31'), -2147483648n); // int overflow: INT_MIN
  assert.is(value('1U << 31'), 2147483648n);
  assert.is(value('~0U'), 0xffffffffn);
  assert.is(value('~0'), -1n);
  assert.is(value('-1UL'), 0xffffffffffffffffn);
  assert.is(value('0xFFFFFFFFU + 1'), 0n); // unsigned int wraps
  assert.is(value('0xFFFFFFFF + 1L'), 0x100000000n); // long holds it
  assert.is(value('~(1 << 15 | 1 << 14)'), -49153n); // NLA_TYPE_MASK
  assert.is(value('(1ULL << 63) | 1'), 0x8000000000000001n);
});

test('the usual arithmetic conversions decide comparisons', () => {
  assert.is(value('-1 < 0U'), 0n); // -1 becomes UINT_MAX
  assert.is(value('-1 < 0L'), 1n);
  assert.is(value('-1L < 0U'), 1n); // long holds every unsigned int
});

test('division truncates toward zero; dividing by zero is not a constant', () => {
  assert.is(value('-7 / 2'), -3n);
  assert.is(value('-7 % 2'), -1n);
  assert.throws(() => run('1 / 0'), /division by zero/);
});

test('operators: precedence, unary, logical, ternary', () => {
  assert.is(value('1 + 2 * 3 - 4 / 2'), 5n);
  assert.is(value('(1 + 2) * 3'), 9n);
  assert.is(value('1 | 2 ^ 3 & 4'), 3n);
  assert.is(value('!0 + !5 + -(-3) + +2'), 6n);
  assert.is(value('1 ? 10 : 20'), 10n);
  assert.is(value('0 ? 10 : 0 ? 20 : 30'), 30n);
  assert.is(value('0 && 1 / 0'), 0n); // not evaluated
  assert.is(value('1 || 1 / 0'), 1n);
  assert.is(value('3 >= 3 && 2 != 3 && 1 <= 0 == 0'), 1n);
  assert.is(value("'T'"), 84n);
  assert.is(value("'\\xff'"), -1n); // plain char is signed
  assert.equal(run('1 ? 1 : 2U').type, UINT); // the type comes from both branches
});

test('in #if, identifiers are 0 and arithmetic is intmax_t', () => {
  assert.is(value('FOO + 1', pp), 1n);
  assert.is(value('1 << 40', pp), 1n << 40n);
  assert.is(value('-1 < 0', pp), 1n);
  assert.equal(run('1', pp).type, LONG);
});

test('identifiers, casts and sizeof go through the environment', () => {
  const env: EvalEnv = {
    preprocessor: false,
    identifier: (name) => (name === 'A' ? { value: 7n, type: INT } : undefined),
    typeName: (tokens, i) => {
      const t = tokens[i]!;
      if (t.text === '__u32') return { type: { size: 4, align: 4, int: UINT }, next: i + 1 };
      if (t.text === '__u8') return { type: { size: 1, align: 1, int: { bits: 8, unsigned: true } }, next: i + 1 };
      if (t.text === 'void' && tokens[i + 1]?.text === '*') return { type: { size: 8, align: 8, pointer: true }, next: i + 2 };
      return undefined;
    },
  };
  assert.is(value('A * 2', env), 14n);
  assert.is(value('(__u32)~0', env), 0xffffffffn);
  assert.is(value('(__u8)0x1ff', env), 0xffn);
  assert.is(value('(__u8)255 + 1', env), 256n); // promoted to int before the addition
  assert.is(value('sizeof(__u32) * 2', env), 8n);
  assert.is(value('(A)', env), 7n); // parentheses, not a cast
  assert.is(value('(__typeof__(sizeof(__u8)))(2) - 1', env), 1n);
  assert.ok(run('(void *)0', env).pointer);
  assert.throws(() => run('B', env), /'B' is not a constant/);
});

test('malformed expressions are errors', () => {
  assert.throws(() => run(''), (e: unknown) => e instanceof EvalError);
  assert.throws(() => run('1 +'), (e: unknown) => e instanceof EvalError);
  assert.throws(() => run('(1'), (e: unknown) => e instanceof EvalError);
  assert.throws(() => run('1 2'), (e: unknown) => e instanceof EvalError);
  assert.throws(() => run('"s"'), (e: unknown) => e instanceof EvalError);
  assert.throws(() => run('1 << 64'), /shift count/);
});

test.run();
