// The strongest check of the generator: compile C programs that include the
// same headers and print every constant, sizeof, _Alignof and offsetof the
// generator computed, and compare. Needs a C compiler and the headers; the
// test says why it skips when either is missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, type LayoutModel, type Model, type ModuleModel } from '../../../codegen/model.js';
import { MODULES, type ModuleSpec } from '../../../codegen/headers.js';

const HEADERS = '/usr/include';
const hasCc = spawnSync('cc', ['--version']).status === 0;
const hasHeaders = existsSync(join(HEADERS, 'linux', 'netlink.h'));

/** This module's headers plus every other one that can share a translation unit with what is already chosen. */
function includeSet(m: ModuleSpec): ModuleSpec[] {
  const conflicts = (a: ModuleSpec, b: ModuleSpec): boolean =>
    (a.cConflicts ?? []).includes(b.module) || (b.cConflicts ?? []).includes(a.module);
  const chosen = [m];
  for (const o of MODULES) if (o !== m && !chosen.some((c) => conflicts(c, o))) chosen.push(o);
  return MODULES.filter((o) => chosen.includes(o));
}

interface Expectation { key: string; want: string }

const WIDTH: Record<string, number> = { u8: 1, s8: 1, char: 1, u16: 2, s16: 2, be16: 2, u32: 4, s32: 4, be32: 4, u64: 8, s64: 8, be64: 8 };

function kindOf(type: string, pointer: boolean): string {
  if (type === 'struct' || type === 'union' || pointer) return 'o';
  if (type === 'char') return 'c';
  return type.startsWith('s') ? 's' : 'u';
}

/** C statements printing the facts of one layout, with what the model says they are. */
function layoutChecks(m: ModuleModel, cType: string, layout: LayoutModel, base: string | undefined, lines: string[], want: Expectation[], sizes: Map<string, number>): void {
  const rel = (path: string): string => (base === undefined ? `offsetof(${cType}, ${path})` : `offsetof(${cType}, ${path}) - offsetof(${cType}, ${base})`);
  for (const f of layout.fields) {
    const key = `${m.spec.module}:${layout.name}.${f.name}`;
    const member = `((${cType} *)0)->${f.c.path}`;
    const elem = `${member}${'[0]'.repeat(f.c.dims)}`;
    lines.push(`  printf("f %s %zu\\n", "${key}.offset", (size_t)(${rel(f.c.path)}));`);
    want.push({ key: `${key}.offset`, want: String(f.offset) });
    lines.push(`  printf("f %s %c\\n", "${key}.kind", KIND(${elem}));`);
    want.push({ key: `${key}.kind`, want: kindOf(f.type, f.c.pointer) });
    let width: number | undefined = WIDTH[f.type];
    if (f.struct !== undefined) width = 'inline' in f.struct ? f.struct.inline.size : sizes.get(`${f.struct.ref.module}:${f.struct.ref.name}`);
    lines.push(`  printf("f %s %zu\\n", "${key}.elemsize", sizeof(${elem}));`);
    want.push({ key: `${key}.elemsize`, want: String(width) });
    if (f.count !== undefined && f.count > 0) {
      lines.push(`  printf("f %s %zu\\n", "${key}.count", sizeof(${member}) / sizeof(${elem}));`);
      want.push({ key: `${key}.count`, want: String(f.count) });
    }
    if (f.struct !== undefined && 'inline' in f.struct) {
      const inline = f.struct.inline;
      lines.push(`  printf("f %s %zu %zu\\n", "${key}.layout", sizeof(${elem}), _Alignof(__typeof__(${elem})));`);
      want.push({ key: `${key}.layout`, want: `${inline.size} ${inline.align}` });
      layoutChecks(m, cType, inline, `${f.c.path}${'[0]'.repeat(f.c.dims)}`, lines, want, sizes);
    }
  }
}

function program(includes: ModuleSpec[], modules: ModuleModel[], sizes: Map<string, number>): { source: string; want: Expectation[] } {
  const lines: string[] = [
    '#define _GNU_SOURCE 1',
    '#include <stdio.h>',
    '#include <stddef.h>',
    ...includes.flatMap((s) => s.cIncludes ?? s.headers).map((h) => `#include <${h}>`),
    "#define KIND(x) _Generic((x), char: 'c', signed char: 's', unsigned char: 'u', short: 's', unsigned short: 'u', "
      + "int: 's', unsigned int: 'u', long: 's', unsigned long: 'u', long long: 's', unsigned long long: 'u', _Bool: 'u', default: 'o')",
    '#define V(n, x) (KIND(x) == \'u\' ? printf("v %s %llu\\n", n, (unsigned long long)(x)) : printf("v %s %lld\\n", n, (long long)(x)))',
    'int main(void) {',
  ];
  const want: Expectation[] = [];
  for (const m of modules) {
    for (const item of m.items) {
      const key = `${m.spec.module}:${item.name}`;
      if (item.kind === 'const') {
        lines.push(`  V("${key}", ${item.name});`);
        want.push({ key, want: item.value.toString() });
        continue;
      }
      lines.push(`  printf("s %s %zu %zu\\n", "${key}", sizeof(${item.cName}), _Alignof(${item.cName}));`);
      want.push({ key, want: `${item.layout.size} ${item.layout.align}` });
      layoutChecks(m, item.cName, item.layout, undefined, lines, want, sizes);
    }
  }
  lines.push('  return 0;', '}', '');
  return { source: lines.join('\n'), want };
}

let model: Model | undefined;

test('every constant, size, alignment and offset matches what gcc computes', () => {
  if (!hasCc || !hasHeaders) {
    console.log(`  skipped: ${!hasCc ? 'no C compiler (cc) on this machine' : `no kernel headers under ${HEADERS}`}`);
    return;
  }
  model ??= buildModel(HEADERS);
  const sizes = new Map<string, number>();
  for (const m of model.modules) for (const i of m.items) if (i.kind === 'struct') sizes.set(`${m.spec.module}:${i.name}`, i.layout.size);
  // Modules that can share one program share it.
  const groups = new Map<string, { includes: ModuleSpec[]; modules: ModuleModel[] }>();
  for (const m of model.modules) {
    const includes = includeSet(m.spec);
    const key = includes.map((s) => s.module).join(',');
    if (!groups.has(key)) groups.set(key, { includes, modules: [] });
    groups.get(key)!.modules.push(m);
  }
  const dir = mkdtempSync(join(tmpdir(), 'codegen-cc-'));
  const mismatches: string[] = [];
  let checked = 0;
  try {
    [...groups.values()].forEach((g, k) => {
      const { source, want } = program(g.includes, g.modules, sizes);
      const src = join(dir, `check${k}.c`);
      const exe = join(dir, `check${k}`);
      writeFileSync(src, source);
      const build = spawnSync('cc', ['-std=gnu11', '-w', '-o', exe, src], { encoding: 'utf8' });
      assert.is(build.status, 0, `cc failed:\n${build.stderr.slice(0, 4000)}`);
      const run = spawnSync(exe, { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.is(run.status, 0, `the check program failed: ${run.stderr}`);
      const got = new Map<string, string>();
      for (const line of run.stdout.split('\n')) {
        const m = /^[vsf] (\S+) (.*)$/.exec(line);
        if (m) got.set(m[1]!, m[2]!);
      }
      for (const w of want) {
        checked++;
        const g2 = got.get(w.key);
        if (g2 !== w.want) mismatches.push(`${w.key}: generator ${w.want}, gcc ${g2 ?? '(missing)'}`);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(mismatches.slice(0, 40), [], `${mismatches.length} mismatches`);
  assert.ok(checked > 5000, `only ${checked} facts checked`);
  console.log(`  ${checked} facts agree with gcc in ${groups.size} programs`);
});

test.run();
