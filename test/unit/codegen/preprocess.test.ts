import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandText, preprocess } from './snippet.js';

test('object-like macros expand and rescan', () => {
  assert.is(expandText('#define A B + 1\n#define B 2\nx = A;'), 'x = 2 + 1 ;');
});

test('a self-referencing macro stops at itself (glibc: #define SOCK_RAW SOCK_RAW)', () => {
  assert.is(expandText('#define SOCK_RAW SOCK_RAW\nSOCK_RAW'), 'SOCK_RAW');
  assert.is(expandText('#define A B\n#define B A\nA B'), 'A B');
});

test('function-like macros: arguments, nesting, a name without ( is left alone', () => {
  const src = '#define _UL(x) (x##UL)\n#define _BITUL(x) (_UL(1) << (x))\n#define F(a, b) a - b\n_BITUL(3) F((1, 2), 3) F _BITUL';
  assert.is(expandText(src), '( ( 1UL ) << ( 3 ) ) ( 1 , 2 ) - 3 F _BITUL');
});

test('a macro call may span lines', () => {
  assert.is(expandText('#define F(a, b) a + b\nF(1,\n  2)'), '1 + 2');
});

test('stringizing and pasting', () => {
  assert.is(expandText('#define S(x) #x\nS(a  "b" c)'), '"a \\"b\\" c"');
  assert.is(expandText('#define COMMON(p) unsigned short p##family\nCOMMON(sa_);'), 'unsigned short sa_family ;');
  assert.is(expandText('#define P(a, b) a ## b\nP(, x) P(y, )'), 'x y');
});

test('variadic macros, named (GNU) and with , ## __VA_ARGS__', () => {
  assert.is(expandText('#define G(T, N, M...) struct { M } N\nG(, n, int a; int b;);'), 'struct { int a ; int b ; } n ;');
  assert.is(expandText('#define V(f, ...) f(0, ## __VA_ARGS__)\nV(g) V(h, 1, 2)'), 'g ( 0 ) h ( 0 , 1 , 2 )');
});

test('a macro that expands to struct members (pkt_cls.h tc_gen)', () => {
  const src = '#define tc_gen __u32 index; __u32 capab; int action\nstruct tc_mirred { tc_gen; int eaction; };';
  assert.is(expandText(src), 'struct tc_mirred { __u32 index ; __u32 capab ; int action ; int eaction ; } ;');
});

test('#if 0, #ifdef __KERNEL__, #elif and #else pick the right text', () => {
  const src = [
    '#if 0', 'zero', "don't care: #error not reached", '#endif',
    '#ifdef __KERNEL__', 'kernel', '#else', 'user', '#endif',
    '#define V 3',
    '#if V == 1', 'one', '#elif V == 3', 'three', '#elif V == 3', 'again', '#else', 'other', '#endif',
    '#ifndef V', 'nov', '#endif',
    '#if defined(V) && !defined V2 && (V << 2) > 8', 'defs', '#endif',
    '#if 0', '#if 1', 'nested', '#else', 'nested-else', '#endif', '#endif',
  ].join('\n');
  assert.is(expandText(src), 'user three defs');
});

test('#error in a taken branch stops with the place and message', () => {
  assert.throws(() => preprocess('\n#if 1\n#error "Never include this"\n#endif'), /main\.h:3: #error "Never include this"/);
});

test('unbalanced conditionals are errors', () => {
  assert.throws(() => preprocess('#if 1\n'), /#if without #endif/);
  assert.throws(() => preprocess('#endif\n'), /#endif without #if/);
  assert.throws(() => preprocess('#if 1\n#else\n#else\n#endif'), /#else after #else/);
});

test('#include follows what the host provides and skips the rest', () => {
  const r = preprocess('#include <a.h>\n#include <missing.h>\nA', { 'a.h': '#ifndef _A_H\n#define _A_H\n#define A 1\n#endif\n' });
  assert.equal(r.tokens.filter((t) => t.file === 'main.h').map((t) => t.text), ['1']);
  assert.equal(r.files.filter((f) => !f.startsWith('<')), ['main.h', 'a.h']);
  assert.is(r.guards.get('a.h'), '_A_H');
  assert.is(r.skippedIncludes.length, 1);
  assert.match(r.skippedIncludes[0]!, /missing\.h \(from main\.h\)/);
});

test('__has_include asks the host', () => {
  const src = '#ifdef __has_include\n# if __has_include("a.h")\nyes\n# endif\n# if __has_include(<b.h>)\nno\n# endif\n#endif';
  assert.is(expandText(src, { 'a.h': '' }), 'yes');
});

test('definitions are recorded with their file and position, #undef removes', () => {
  const r = preprocess('#include "a.h"\nint x;\n#define B 2\n#undef A', { 'a.h': '#define A 1\n' });
  assert.equal(r.definitions.map((d) => [d.macro.name, d.macro.file]), [['__aligned_u64', '<types>'], ['A', 'a.h'], ['B', 'main.h']]);
  assert.ok(!r.macros.has('A'));
  assert.ok(r.definitions[2]!.at > r.definitions[1]!.at);
});

test('function-like only when ( touches the name', () => {
  assert.is(expandText('#define F (x)\nF'), '( x )');
  assert.is(expandText('#define F(x) [x]\nF(1)'), '[ 1 ]');
});

test('wrong argument counts are errors', () => {
  assert.throws(() => preprocess('#define F(a, b) a\nF(1)'), /takes 2 arguments, got 1/);
});

test.run();
