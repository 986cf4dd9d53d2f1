import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lex, spell } from '../../../codegen/lexer.js';

const texts = (src: string): string[] => lex(src, 't.h').map((t) => t.text);

test('comments vanish and count as whitespace', () => {
  const toks = lex('a/* x */b // tail\nc', 't.h');
  assert.equal(toks.map((t) => t.text), ['a', 'b', 'c']);
  assert.is(toks[1]!.space, true);
  assert.is(toks[2]!.bol, true);
});

test('line continuations splice lines but keep line numbers', () => {
  const toks = lex('#define X \\\n  1 + \\\n  2\nY', 't.h');
  assert.equal(toks.map((t) => t.text), ['#', 'define', 'X', '1', '+', '2', 'Y']);
  assert.equal(toks.map((t) => t.bol), [true, false, false, false, false, false, true]);
  assert.is(toks[3]!.line, 2);
  assert.is(toks[5]!.line, 3);
  assert.is(toks[6]!.line, 4);
});

test('integer literals keep their suffixes and radix', () => {
  assert.equal(texts('0x1fU 0777 42UL 1ULL 0XFFFFFFFFu 1.5e+3'), ['0x1fU', '0777', '42UL', '1ULL', '0XFFFFFFFFu', '1.5e+3']);
  assert.ok(lex('0x10', 't.h').every((t) => t.kind === 'number'));
});

test('string and character literals, escapes included', () => {
  const toks = lex(`"a \\" b" 'T' '\\'' L'x' u8"s"`, 't.h');
  assert.equal(toks.map((t) => t.kind), ['string', 'char', 'char', 'char', 'string']);
  assert.is(toks[0]!.text, '"a \\" b"');
  assert.is(toks[2]!.text, "'\\''");
});

test('punctuators take the longest match', () => {
  assert.equal(texts('a<<=b...c##d->e'), ['a', '<<=', 'b', '...', 'c', '##', 'd', '->', 'e']);
  assert.equal(texts('x<:1:>'), ['x', '[', '1', ']']); // digraphs
});

test('an apostrophe in prose (as in #if 0 text) is a stray character, not an error', () => {
  assert.equal(texts("don't stop"), ['don', "'", 't', 'stop']);
});

test('an unterminated comment is an error with its place', () => {
  assert.throws(() => lex('a\n/* open', 'x.h'), /x\.h:2: unterminated comment/);
});

test('spell rebuilds text with single spaces', () => {
  assert.is(spell(lex('( NLM_F_ROOT|NLM_F_MATCH )', 't.h')), '( NLM_F_ROOT|NLM_F_MATCH )');
});

test.run();
