// The package root's public surface, read from the declarations tsc emits
// (dist/src/index.d.ts and what it re-exports; test/helpers/dts-scan.ts):
// every exported name means one declaration, and every declaration a public
// value's or type's signature names (a parameter, a return, a public member,
// a field, transitively) is itself exported from the root, so a user can
// name every type they are handed. Needs the built dist/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DeclRef, DtsProgram } from '../helpers/dts-scan.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Surface { collisions: string[]; aliases: string[]; unexported: string[]; exported: number }

/** Collisions and unexported reachable declarations of the module at `index`. */
function surface(index: string, base: string): Surface {
  const p = new DtsProgram(base);
  const exports = p.exportsOf(index);
  const collisions: string[] = [];
  const named = new Map<string, string>(); // declaration → its exported name
  const queue: { ref: DeclRef; via: string }[] = [];
  const visit = (refs: Iterable<[string, DeclRef[]]>, prefix: string): void => {
    for (const [as, targets] of refs) {
      if (targets.length > 1) collisions.push(`${prefix}${as}: ${targets.map((t) => p.label(t)).join(', ')}`);
      const t = targets[0]!;
      if (t.name === '*') { visit(p.exportsOf(t.file), `${prefix}${as}.`); continue; }
      const k = `${t.file}#${t.name}`;
      if (!named.has(k)) named.set(k, `${prefix}${as}`);
      queue.push({ ref: t, via: `${prefix}${as}` });
    }
  };
  visit(exports, '');
  const names = new Map<string, string[]>();
  for (const [as, targets] of exports) {
    const k = `${targets[0]!.file}#${targets[0]!.name}`;
    names.set(k, [...(names.get(k) ?? []), as]);
  }
  const aliases = [...names.values()].filter((n) => n.length > 1).map((n) => n.join(' = '));
  const unexported = new Map<string, string>();
  const seen = new Set<string>();
  while (queue.length > 0) {
    const { ref, via } = queue.shift()!;
    const k = `${ref.file}#${ref.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    for (const r of p.references(ref)) {
      const rk = `${r.file}#${r.name}`;
      if (!named.has(rk) && !unexported.has(rk)) unexported.set(rk, `${p.label(r)}, named by ${via}`);
      queue.push({ ref: r, via: named.get(rk) ?? `${via} → ${r.name}` });
    }
  }
  return { collisions, aliases, unexported: [...unexported.values()].sort(), exported: named.size };
}

/** The surface of a scratch set of .d.ts files (index.d.ts the root), removed after. */
function fixtureSurface(files: Record<string, string>): Surface {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-dts-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return surface(join(dir, 'index.d.ts'), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the scanner finds a type a public signature names that the root does not export', () => {
  const s = fixtureSurface({
    'index.d.ts': "export { Client } from './client.js';\nexport type { Shown } from './types.js';\n",
    'client.d.ts': "import type { Hidden, Shown } from './types.js';\nexport declare class Client {\n  private secret;\n  /** a { brace } in a comment */\n  get(name: string): Promise<Hidden>;\n  shown: Shown;\n}\n",
    'types.d.ts': "export interface Shown { a: number }\nexport interface Hidden { inner: Deeper; label: 'x{' }\nexport type Deeper = { d: 1 };\n",
  });
  assert.equal(s.collisions, []);
  assert.equal(s.unexported.map((u) => u.split(',')[0]), ['Deeper (types.d.ts)', 'Hidden (types.d.ts)']);
  assert.match(s.unexported[1]!, /named by Client/);
});

test('the scanner follows a type tsc spells as import("...").Name', () => {
  const s = fixtureSurface({
    'index.d.ts': "export { kinds } from './registry.js';\n",
    'registry.d.ts': 'export declare const kinds: {\n    readonly a: import("./kind.js").Kind<import("./a.js").AOptions>;\n    readonly b: import("node:events").EventEmitter;\n};\n',
    'kind.d.ts': 'export interface Kind<O> { options: O }\n',
    'a.d.ts': 'export interface AOptions { x: 1 }\n',
  });
  assert.equal(s.unexported.map((u) => u.split(',')[0]), ['AOptions (a.d.ts)', 'Kind (kind.d.ts)']);
});

test('the scanner reads a conditional type on past a type literal', () => {
  const s = fixtureSurface({
    'index.d.ts': "export type { Value } from './value.js';\n",
    'value.d.ts': 'type Width = 8 | 16;\ntype Named = string;\nexport type Value<A> = A extends {\n    named: true;\n} ? Named : A extends Width ? number : never;\n',
  });
  assert.equal(s.unexported.map((u) => u.split(',')[0]), ['Named (value.d.ts)', 'Width (value.d.ts)']);
});

test('the scanner finds one name exported from two modules through export *', () => {
  const s = fixtureSurface({
    'index.d.ts': "export * from './a.js';\nexport * from './b.js';\nexport { only } from './a.js';\n",
    'a.d.ts': 'export declare function only(): void;\nexport interface Options { a: 1 }\n',
    'b.d.ts': 'export interface Options { b: 2 }\n',
  });
  assert.equal(s.collisions.length, 1);
  assert.match(s.collisions[0]!, /^Options: Options \(a\.d\.ts\), Options \(b\.d\.ts\)$/);
});

test('the scanner finds one declaration exported under two names', () => {
  const s = fixtureSurface({
    'index.d.ts': "export { Options, Options as Opts } from './a.js';\n",
    'a.d.ts': 'export interface Options { a: 1 }\n',
  });
  assert.equal(s.aliases, ['Options = Opts']);
});

test('the package root: one name per declaration, one declaration per name', () => {
  const s = surface(join(root, 'dist', 'src', 'index.d.ts'), join(root, 'dist'));
  assert.ok(s.exported > 200, `read only ${s.exported} exports`);
  assert.equal(s.collisions, [], `names exported for two declarations:\n${s.collisions.join('\n')}`);
  assert.equal(s.aliases, [], `declarations exported under two names:\n${s.aliases.join('\n')}`);
});

test('the package root: every type its signatures name is exported', () => {
  const s = surface(join(root, 'dist', 'src', 'index.d.ts'), join(root, 'dist'));
  assert.equal(s.unexported, [], `types a public signature names that the root does not export (export them from src/index.ts under one name):\n${s.unexported.join('\n')}`);
});

test.run();
