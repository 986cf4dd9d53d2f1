// The cast budget of issue 13 (docs/architecture.md, "Casts"): type
// assertions (`expr as T`, not `as const`) in hand-written src/ (not
// src/generated) may not exceed BUDGET, and there may be no `as never` and no
// `any` type beyond their own budgets, whose target is zero. Each budget is a
// ratchet: when you remove casts, lower it to the new count in the same commit
// (the test prints a reminder when the count is below it), so the next change
// is held to what was reached. The scanner is test/helpers/cast-scan.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CastHit, scanCasts } from '../helpers/cast-scan.js';

/** `as` assertions allowed in hand-written src/ (the issue's goal: at most 100). */
const BUDGET = 233;
/** `as never` assertions allowed (the goal: none). */
const NEVER_BUDGET = 9;
/** `any` types allowed (the goal: none). */
const ANY_BUDGET = 2;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (relative(root, p) !== join('src', 'generated')) yield* sources(p);
    } else if (e.name.endsWith('.ts')) yield p;
  }
}

interface Found { file: string; hit: CastHit }

function scanTree(): Found[] {
  const out: Found[] = [];
  for (const file of sources(join(root, 'src'))) {
    for (const hit of scanCasts(readFileSync(file, 'utf8'))) out.push({ file: relative(root, file), hit });
  }
  return out;
}

/** Counts by file, largest first: where to look when a budget is exceeded. */
function byFile(found: Found[]): string {
  const n = new Map<string, number>();
  for (const f of found) n.set(f.file, (n.get(f.file) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([f, c]) => `  ${c} ${f}`).join('\n');
}

function within(what: string, found: Found[], budget: number): void {
  const list = found.map((f) => `  ${f.file}:${f.hit.line}`).join('\n');
  assert.ok(found.length <= budget, `${found.length} ${what} in hand-written src/, over the budget of ${budget}:\n${found.length > 40 ? byFile(found) : list}`);
  // Below the budget is not a failure (branches lowering casts in parallel merge into one count), only a reminder.
  if (found.length < budget) console.log(`  ${found.length} ${what} now, under the budget of ${budget}: lower it in test/unit/casts.test.ts`);
}

test('the scanner counts assertions, not `as const`, renames, comments, strings, template text or regexes', () => {
  const src = [
    "import * as fs from 'node:fs';",
    "import { a as b, type C as D } from './x.js';",
    "export { b as c };",
    "export * as ns from './y.js';",
    'const k = [1, 2] as const;',
    '// x as Foo in a comment',
    '/* y as Bar */',
    "const s = 'z as Baz';",
    'const t = `text as Qux ${(v as number) + 1} more as Quux`;',
    'const r = /as Foo/.test(s);',
    'const n = (u as unknown as string).length;',
    'const m = obj.as;',
    'const o = { as: 1 };',
    'const q = f() as never;',
    'p.any("key", 1);',
    'let z: any;',
    'const arr: Array<any> = [];',
    'const w = a[0]! as Foo;',
  ].join('\n');
  const hits = scanCasts(src);
  assert.equal(hits.filter((h) => h.kind === 'as').map((h) => [h.line, h.target]), [[9, 'number'], [11, 'unknown'], [11, 'string'], [14, 'never'], [18, 'Foo']]);
  assert.equal(hits.filter((h) => h.kind === 'any').map((h) => h.line), [16, 17]);
});

test('a template inside a template, and braces inside its code, end where they should', () => {
  const src = 'const a = `x ${`y ${b as T}` + { c: 1 }.c} z as W`;\nconst d = e as U;';
  assert.equal(scanCasts(src).map((h) => [h.line, h.target]), [[1, 'T'], [2, 'U']]);
});

const found = scanTree();

test(`at most ${BUDGET} \`as\` assertions in hand-written src/`, () => {
  within('`as` assertions', found.filter((f) => f.hit.kind === 'as'), BUDGET);
});

test(`at most ${NEVER_BUDGET} \`as never\` (goal: none)`, () => {
  within('`as never`', found.filter((f) => f.hit.kind === 'as' && f.hit.target === 'never'), NEVER_BUDGET);
});

test(`at most ${ANY_BUDGET} \`any\` types (goal: none)`, () => {
  within('`any` types', found.filter((f) => f.hit.kind === 'any'), ANY_BUDGET);
});

test.run();
