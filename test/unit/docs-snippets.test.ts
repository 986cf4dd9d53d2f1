// Every ```ts block of README.md and docs/*.md type-checks against the built
// package, imported by its name (test/docs/snippets.ts; docs/testing.md). The
// kernel tier runs them (test/kernel/docs-snippets.test.ts). Needs the built
// dist/ that `npm test` makes first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Snippet, checked, collectSnippets, compile, parseSnippets, writeProject } from '../docs/snippets.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** compile() on a scratch project of these snippets, removed after. */
function compiled(snippets: Snippet[]): ReturnType<typeof compile> {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-snippets-'));
  try {
    writeProject(root, dir, snippets);
    return compile(root, dir, snippets);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a ts fence: its code, first line, fence words; other languages are skipped', () => {
  const md = ['# t', '```sh', 'echo', '```', '```ts no-run', 'const a = 1;', '```', '', '```ts fragment', 'x', '```'].join('\n');
  const s = parseSnippets('docs/t.md', md);
  assert.equal(s.map((x) => [x.id, x.line, x.markers, x.code]), [
    ['docs-t-1', 6, ['no-run'], 'const a = 1;\n'],
    ['docs-t-2', 10, ['fragment'], 'x\n'],
  ]);
});

test('a js fence is a snippet of its own kind, numbered apart', () => {
  const s = parseSnippets('README.md', '```ts\nconst a = 1;\n```\n```js fragment\nb\n```\n```js\nc\n```\n');
  assert.equal(s.map((x) => [x.lang, x.id, x.markers]), [['ts', 'README-1', []], ['js', 'README-js-1', ['fragment']], ['js', 'README-js-2', []]]);
});

test('a js snippet this Node cannot parse is reported at its Markdown line', () => {
  const s = parseSnippets('README.md', '```js\nconst x = 1;\nconst = 2;\n```\n');
  const r = compiled(s);
  assert.equal(r.diagnostics.map((d) => [d.snippet.id, d.line]), [['README-js-1', 3]], r.output);
  assert.match(r.diagnostics[0]!.message, /SyntaxError/);
});

test('an unknown fence word or an unclosed block is an error naming the line', () => {
  assert.throws(() => parseSnippets('a.md', 'x\n```ts norun\n```\n'), /a\.md:2: unknown word "norun"/);
  assert.throws(() => parseSnippets('a.md', '```ts\nconst a = 1;\n'), /a\.md:1: a ts block that is never closed/);
});

test('a snippet with a type error is reported at its Markdown line', () => {
  const s = parseSnippets('docs/bad.md', 'text\n```ts\nimport { Rtnl } from \'netlink-ts\';\nRtnl.openSync().link.lisst();\n```\n');
  const r = compiled(s);
  assert.equal(r.diagnostics.map((d) => [d.snippet.file, d.line]), [['docs/bad.md', 4]], r.output);
  assert.match(r.diagnostics[0]!.message, /lisst/);
});

test('every ts snippet of README.md and docs/*.md type-checks, every js one parses (but those marked fragment)', () => {
  const all = collectSnippets(root);
  assert.ok(all.length >= 15, `found only ${all.length} snippets`);
  const snippets = all.filter(checked);
  const r = compiled(snippets);
  const where = r.diagnostics.map((d) => `${d.snippet.file}:${d.line}: ${d.message}`).join('\n');
  assert.equal(where, '', `snippets that do not type-check:\n${where}`);
  assert.equal(r.status, 0, r.output);
});

test.run();
