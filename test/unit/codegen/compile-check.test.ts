// The strongest check of the generator: for each architecture whose headers
// and C compiler are installed (x86_64 with the host's cc; aarch64 with
// Debian's aarch64-linux-gnu-gcc), compile C that includes the same headers
// and computes every constant, sizeof, _Alignof and offsetof the generator
// computed, and compare. The compiler only translates (-S): each fact is a
// global initialised with a constant expression, read back from the
// assembly, so a cross compiler proves an architecture this machine cannot
// run. The test says why it skips when a compiler or headers are missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, type LayoutModel, type ModuleModel } from '../../../codegen/model.js';
import { MODULES, tableFor, type ModuleSpec } from '../../../codegen/headers.js';
import { ARCHES, findHeaders, hostArch, X86_64, type ArchSpec } from '../../../codegen/arch.js';

/** This module's headers plus every other one that can share a translation unit with what is already chosen. */
function includeSet(m: ModuleSpec, table: readonly ModuleSpec[]): ModuleSpec[] {
  const conflicts = (a: ModuleSpec, b: ModuleSpec): boolean =>
    (a.cConflicts ?? []).includes(b.module) || (b.cConflicts ?? []).includes(a.module);
  const chosen = [m];
  for (const o of table) if (o !== m && !chosen.some((c) => conflicts(c, o))) chosen.push(o);
  return table.filter((o) => chosen.includes(o));
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

/** Facts as C globals: `f<n>` holds a number, `k<n>` the KIND letter of an expression. */
function program(includes: ModuleSpec[], modules: ModuleModel[], sizes: Map<string, number>): { source: string; want: Expectation[] } {
  const lines: string[] = [
    '#define _GNU_SOURCE 1',
    '#include <stddef.h>',
    ...includes.flatMap((s) => s.cIncludes ?? s.headers).map((h) => `#include <${h}>`),
    "#define KIND(x) _Generic((x), char: 'c', signed char: 's', unsigned char: 'u', short: 's', unsigned short: 'u', "
      + "int: 's', unsigned int: 'u', long: 's', unsigned long: 'u', long long: 's', unsigned long long: 'u', _Bool: 'u', default: 'o')",
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
  return { source: asGlobals(lines).join('\n'), want };
}

/**
 * Turns the printf-style fact lines into globals: `printf("x KEY %fmt %fmt", "KEY", e1, e2)`
 * becomes one global per expression, and V(KEY, e) a value and its KIND.
 */
function asGlobals(lines: string[]): string[] {
  const out: string[] = [];
  let n = 0;
  for (const line of lines) {
    const v = /^  V\("([^"]+)", (.*)\);$/.exec(line);
    const p = /^  printf\("[sf] %s [^"]*", "([^"]+)", (.*)\);$/.exec(line);
    if (v) {
      out.push(`const char *key${n} = "v ${v[1]}";`, `long long f${n} = (long long)(${v[2]});`, `char k${n} = KIND(${v[2]});`);
      n++;
    } else if (p) {
      out.push(`const char *key${n} = "${/printf\("([sf])/.exec(line)![1]} ${p[1]}";`);
      for (const [j, e] of splitArgs(p[2]!).entries()) out.push(`long long f${n}_${j} = (long long)(${e.replace(/^KIND\((.*)\)$/, "KIND($1) + 0x10000")});`);
      n++;
    } else out.push(line);
  }
  return out;
}

/** Splits a C argument list at its top-level commas. */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(text.slice(start).trim());
  return args;
}

/** The facts as the compiler computed them, from its assembly: key → text as the printf lines would print it. */
function readFacts(asm: string): Map<string, string> {
  const values = new Map<string, bigint>();
  const strings = new Map<string, string>();
  const lines = asm.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const label = /^([fk]\d+(?:_\d+)?|\.LC\d+):$/.exec(lines[i]!);
    if (!label) continue;
    const data = /^\s+\.(quad|xword|8byte|dword|byte|zero|string|ascii)\s+(.*)$/.exec(lines[i + 1] ?? '');
    if (!data) continue;
    if (data[1] === 'string' || data[1] === 'ascii') strings.set(label[1]!, JSON.parse(data[2]!.replace(/\\000$/, '')) as string);
    else values.set(label[1]!, data[1] === 'zero' ? 0n : BigInt(data[2]!));
  }
  // key<n> points at a string constant: `key3: .quad .LC7` (x86_64) or `.xword .LC7` (aarch64).
  const keys = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const label = /^key(\d+):$/.exec(lines[i]!);
    const ref = /^\s+\.(?:quad|xword|8byte|dword)\s+(\.LC\d+)$/.exec(lines[i + 1] ?? '');
    if (label && ref && strings.has(ref[1]!)) keys.set(label[1]!, strings.get(ref[1]!)!);
  }
  const got = new Map<string, string>();
  for (const [n, text] of keys) {
    const [tag, key] = text.split(' ') as [string, string];
    if (tag === 'v') {
      const kind = String.fromCharCode(Number(values.get(`k${n}`)));
      const v = values.get(`f${n}`);
      if (v !== undefined) got.set(key, String(kind === 'u' ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v)));
      continue;
    }
    const parts: string[] = [];
    for (let j = 0; values.has(`f${n}_${j}`); j++) {
      const v = values.get(`f${n}_${j}`)!;
      parts.push(v >= 0x10000n && v < 0x10100n ? String.fromCharCode(Number(v - 0x10000n)) : String(v));
    }
    got.set(key, parts.join(' '));
  }
  return got;
}

function compilerFor(arch: ArchSpec): string | undefined {
  const candidates = hostArch() === arch ? ['cc', ...arch.compilers] : arch.compilers;
  return candidates.find((cc) => spawnSync(cc, ['--version']).status === 0);
}

for (const arch of ARCHES) {
  test(`${arch.name}: every constant, size, alignment and offset matches what gcc computes`, () => {
    const where = findHeaders(arch);
    const cc = compilerFor(arch);
    if (where === undefined || cc === undefined) {
      const what = where === undefined ? `no ${arch.name} headers` : `no C compiler for ${arch.name}`;
      console.log(`  skipped: ${what} (Debian: ${arch.debianPackages.join(' ')})`);
      return;
    }
    const model = buildModel(where.root, MODULES, arch, where.dirs);
    const table = tableFor(arch);
    const sizes = new Map<string, number>();
    for (const m of model.modules) for (const i of m.items) if (i.kind === 'struct') sizes.set(`${m.spec.module}:${i.name}`, i.layout.size);
    // Modules that can share one program share it.
    const groups = new Map<string, { includes: ModuleSpec[]; modules: ModuleModel[] }>();
    for (const m of model.modules) {
      const includes = includeSet(m.spec, table);
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
        const asm = join(dir, `check${k}.s`);
        writeFileSync(src, source);
        const build = spawnSync(cc, ['-std=gnu11', '-w', '-S', '-O0', '-fno-zero-initialized-in-bss', '-fno-common', '-o', asm, src], { encoding: 'utf8' });
        assert.is(build.status, 0, `${cc} failed:\n${build.stderr.slice(0, 4000)}`);
        const got = readFacts(readFileSync(asm, 'utf8'));
        for (const w of want) {
          checked++;
          const g2 = got.get(w.key);
          if (g2 !== w.want) mismatches.push(`${w.key}: generator ${w.want}, ${cc} ${g2 ?? '(missing)'}`);
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(mismatches.slice(0, 40), [], `${mismatches.length} mismatches`);
    assert.ok(checked > 5000, `only ${checked} facts checked`);
    console.log(`  ${arch.name}: ${checked} facts agree with ${cc} in ${groups.size} compilations`);
  });
}

/** The libc/* constants the library itself imports (src/**), which musl must define alike. */
function libcNamesUsed(): Set<string> {
  const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'src');
  const used = new Set<string>();
  for (const rel of readdirSync(src, { recursive: true }) as string[]) {
    if (!rel.endsWith('.ts') || rel.startsWith('generated')) continue;
    for (const m of readFileSync(join(src, rel), 'utf8').matchAll(/import \{([^}]*)\} from '[./]*generated\/libc\/[a-z]+\.js'/g)) {
      for (const n of m[1]!.split(',')) used.add(n.trim());
    }
  }
  return used;
}

/** Constants that differ on musl, none of which the library uses. */
const MUSL_DIFFERS: Readonly<Record<string, string>> = {
  AF_MAX: 'counts the address families its headers know',
  PF_MAX: 'counts the address families its headers know',
  SOMAXCONN: "the C library's default listen() backlog, not a kernel number",
  MS_NOUSER: 'the same bit, 1 << 31, as an unsigned int in musl',
};

// The libc/* modules are generated from glibc's headers. musl (Alpine) must
// give the same numbers: they are the kernel's (AF_*, SOCK_*, MS_*) or the
// dynamic loader's (RTLD_*). musl-gcc compiles against musl's own headers.
test('musl: the libc constants musl defines have glibc\'s values (but a listed few), and all the library uses are there', () => {
  const where = findHeaders(X86_64);
  const musl = spawnSync('musl-gcc', ['--version']).status === 0;
  if (where === undefined || !musl || hostArch() !== X86_64) {
    console.log(`  skipped: ${where === undefined ? 'no x86_64 headers' : 'no musl-gcc on an x86_64 host'} (Debian: musl-tools musl-dev)`);
    return;
  }
  const model = buildModel(where.root, MODULES, X86_64, where.dirs);
  const lines = [
    '#define _GNU_SOURCE 1',
    '#include <sys/socket.h>',
    '#include <sys/mount.h>',
    '#include <dlfcn.h>',
    "#define KIND(x) _Generic((x), char: 'c', signed char: 's', unsigned char: 'u', short: 's', unsigned short: 'u', "
      + "int: 's', unsigned int: 'u', long: 's', unsigned long: 'u', long long: 's', unsigned long long: 'u', _Bool: 'u', default: 'o')",
  ];
  const want = new Map<string, string>();
  for (const m of model.modules.filter((x) => x.spec.module.startsWith('libc/'))) {
    for (const item of m.items) {
      if (item.kind !== 'const') continue;
      lines.push(`#ifdef ${item.name}`, `  V("${item.name}", ${item.name});`, '#endif');
      want.set(item.name, item.value.toString());
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'codegen-musl-'));
  let got: Map<string, string>;
  try {
    writeFileSync(join(dir, 'musl.c'), asGlobals(lines).join('\n'));
    const build = spawnSync('musl-gcc', ['-std=gnu11', '-w', '-S', '-O0', '-fno-zero-initialized-in-bss', '-fno-common', '-o', join(dir, 'musl.s'), join(dir, 'musl.c')], { encoding: 'utf8' });
    assert.is(build.status, 0, `musl-gcc failed:\n${build.stderr.slice(0, 4000)}`);
    got = readFacts(readFileSync(join(dir, 'musl.s'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const differ = [...want].filter(([n, v]) => got.has(n) && got.get(n) !== v);
  assert.equal(differ.filter(([n]) => !(n in MUSL_DIFFERS)).map(([n, v]) => `${n}: glibc ${v}, musl ${got.get(n)}`), []);
  const used = libcNamesUsed();
  assert.equal([...used].filter((n) => n in MUSL_DIFFERS), [], 'the library uses a constant that differs on musl');
  assert.ok(used.has('AF_NETLINK') && used.has('RTLD_NODELETE'), `the import scan found ${[...used].join(', ')}`);
  assert.equal([...used].filter((n) => !got.has(n)), [], 'constants the library uses that musl lacks');
  console.log(`  musl: ${got.size} of ${want.size} libc constants defined there, equal but ${Object.keys(MUSL_DIFFERS).join(', ')}; the ${used.size} the library uses among them`);
});

test.run();
