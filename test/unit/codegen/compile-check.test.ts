// The strongest check of the generator: for each architecture whose headers
// and C compiler are installed (x86_64 with the host's cc; aarch64 with
// Debian's aarch64-linux-gnu-gcc), compile C that includes the same headers
// and computes every constant, sizeof, _Alignof and offsetof the generator
// computed, and compare. The compiler only translates (-S): each fact is a
// global initialised with a constant expression, read back from the
// assembly, so a cross compiler proves an architecture this machine cannot
// run. A bitfield has no offsetof: its global is the struct itself with the
// field set to all ones, and the bits set in its bytes are its position and
// width. The test says why it skips when a compiler or headers are missing.
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

/**
 * One fact: C constant expressions the compiler evaluates, and the text the
 * generator expects for them (space-separated). `letter`: the expression is a
 * KIND letter; `value`: a constant printed signed or unsigned by its C type.
 */
interface Fact { key: string; exprs: string[]; want: string; letter?: true; value?: true; ones?: { cType: string; path: string } }

const WIDTH: Record<string, number> = { u8: 1, s8: 1, char: 1, u16: 2, s16: 2, be16: 2, u32: 4, s32: 4, be32: 4, u64: 8, s64: 8, be64: 8 };

const KIND_MACRO = "#define KIND(x) _Generic((x), char: 'c', signed char: 's', unsigned char: 'u', short: 's', unsigned short: 'u', "
  + "int: 's', unsigned int: 'u', long: 's', unsigned long: 'u', long long: 's', unsigned long long: 'u', _Bool: 'u', default: 'o')";

function kindOf(type: string, pointer: boolean): string {
  if (type === 'struct' || type === 'union' || pointer) return 'o';
  if (type === 'char') return 'c';
  return type.startsWith('s') ? 's' : 'u';
}

/** The facts of one layout, with what the model says they are. */
function layoutFacts(m: ModuleModel, cType: string, layout: LayoutModel, base: string | undefined, facts: Fact[], sizes: Map<string, number>): void {
  const rel = (path: string): string => (base === undefined ? `offsetof(${cType}, ${path})` : `offsetof(${cType}, ${path}) - offsetof(${cType}, ${base})`);
  for (const f of layout.fields) {
    const key = `${m.spec.module}:${layout.name}.${f.name}`;
    const member = `((${cType} *)0)->${f.c.path}`;
    const elem = `${member}${'[0]'.repeat(f.c.dims)}`;
    if (f.bits !== undefined) {
      // Positions count from the start of the global: only a top-level struct's own bitfields (every one in the table today).
      if (base === undefined) facts.push({ key: `${key}.bits`, exprs: [], want: `${f.offset * 8 + f.bits.shift} ${f.bits.width}`, ones: { cType, path: f.c.path } });
      continue;
    }
    facts.push({ key: `${key}.offset`, exprs: [rel(f.c.path)], want: String(f.offset) });
    facts.push({ key: `${key}.kind`, exprs: [`KIND(${elem})`], want: kindOf(f.type, f.c.pointer), letter: true });
    let width: number | undefined = WIDTH[f.type];
    if (f.struct !== undefined) width = 'inline' in f.struct ? f.struct.inline.size : sizes.get(`${f.struct.ref.module}:${f.struct.ref.name}`);
    facts.push({ key: `${key}.elemsize`, exprs: [`sizeof(${elem})`], want: String(width) });
    if (f.count !== undefined && f.count > 0) facts.push({ key: `${key}.count`, exprs: [`sizeof(${member}) / sizeof(${elem})`], want: String(f.count) });
    if (f.struct !== undefined && 'inline' in f.struct) {
      const inline = f.struct.inline;
      facts.push({ key: `${key}.layout`, exprs: [`sizeof(${elem})`, `_Alignof(__typeof__(${elem}))`], want: `${inline.size} ${inline.align}` });
      layoutFacts(m, cType, inline, `${f.c.path}${'[0]'.repeat(f.c.dims)}`, facts, sizes);
    }
  }
}

function moduleFacts(modules: ModuleModel[], sizes: Map<string, number>): Fact[] {
  const facts: Fact[] = [];
  for (const m of modules) {
    for (const item of m.items) {
      const key = `${m.spec.module}:${item.name}`;
      if (item.kind === 'const') {
        facts.push({ key, exprs: [item.name], want: item.value.toString(), value: true });
        continue;
      }
      facts.push({ key, exprs: [`sizeof(${item.cName})`, `_Alignof(${item.cName})`], want: `${item.layout.size} ${item.layout.align}` });
      layoutFacts(m, item.cName, item.layout, undefined, facts, sizes);
    }
  }
  return facts;
}

/**
 * C text defining one global per expression, `f<n>_<j>`, initialised with it
 * (and `k<n>`, its KIND, for a value). `guard(fact)`: a macro the fact's
 * definitions are wrapped in #ifdef of, so a name a header lacks is left out.
 */
function source(includes: readonly string[], facts: readonly Fact[], guard?: (f: Fact) => string): string {
  const lines = ['#define _GNU_SOURCE 1', '#include <stddef.h>', ...includes.map((h) => `#include <${h}>`), KIND_MACRO];
  facts.forEach((f, n) => {
    if (guard !== undefined) lines.push(`#ifdef ${guard(f)}`);
    f.exprs.forEach((e, j) => lines.push(`long long f${n}_${j} = (long long)(${e});`));
    if (f.ones) lines.push(`${f.ones.cType} b${n} = { .${f.ones.path} = -1 };`);
    if (f.value) lines.push(`char k${n} = KIND(${f.exprs[0]});`);
    if (guard !== undefined) lines.push('#endif');
  });
  return `${lines.join('\n')}\n`;
}

/** Compiles to assembly (-S: no need to run it, so a cross compiler works) and reads each global's value. */
function compile(cc: string, dir: string, name: string, text: string): Map<string, bigint> {
  const src = join(dir, `${name}.c`);
  const asm = join(dir, `${name}.s`);
  writeFileSync(src, text);
  // Zero-valued globals stay in .data as numbers rather than .bss space.
  const build = spawnSync(cc, ['-std=gnu11', '-w', '-S', '-O0', '-fno-zero-initialized-in-bss', '-fno-common', '-o', asm, src], { encoding: 'utf8' });
  assert.is(build.status, 0, `${cc} failed:\n${build.stderr.slice(0, 4000)}`);
  const values = new Map<string, bigint>();
  const lines = readFileSync(asm, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const label = /^([fk]\d+(?:_\d+)?):$/.exec(lines[i]!);
    // .quad (x86_64) and .xword (aarch64) for a long long, .byte for a char, .zero for a zero.
    const data = label && /^\s+\.(quad|xword|8byte|dword|byte|zero)\s+(-?\d+)$/.exec(lines[i + 1] ?? '');
    if (label && data) values.set(label[1]!, data[1] === 'zero' ? 0n : BigInt(data[2]!));
    const ones = /^(b\d+):$/.exec(lines[i]!);
    if (ones) values.set(ones[1]!, setBits(lines, i + 1));
  }
  return values;
}

const DIRECTIVE_BYTES: Record<string, number> = { byte: 1, value: 2, short: 2, hword: 2, '2byte': 2, long: 4, word: 4, '4byte': 4, quad: 8, xword: 8, '8byte': 8, dword: 8 };

/** The data directives after a label as one little-endian number, then packed as (lowest set bit) * 2^16 + (bits set). */
function setBits(lines: readonly string[], from: number): bigint {
  let value = 0n;
  let at = 0;
  for (let i = from; i < lines.length; i++) {
    const d = /^\s+\.(\w+)\s+(-?\d+)$/.exec(lines[i]!);
    if (!d) break;
    if (d[1] === 'zero' || d[1] === 'skip') { at += Number(d[2]); continue; }
    const n = DIRECTIVE_BYTES[d[1]!];
    if (n === undefined) break;
    value |= BigInt.asUintN(n * 8, BigInt(d[2]!)) << BigInt(at * 8);
    at += n;
  }
  if (value === 0n) return 0n;
  let low = 0n;
  while (((value >> low) & 1n) === 0n) low++;
  let count = 0n;
  for (let v = value; v > 0n; v >>= 1n) count += v & 1n;
  return (low << 16n) | count;
}

/** Each fact as the compiler computed it, in the generator's notation; absent when the compiler had none. */
function results(facts: readonly Fact[], values: ReadonlyMap<string, bigint>): Map<string, string> {
  const got = new Map<string, string>();
  facts.forEach((f, n) => {
    if (f.ones) {
      const packed = values.get(`b${n}`);
      if (packed !== undefined) got.set(f.key, `${packed >> 16n} ${packed & 0xffffn}`);
      return;
    }
    const parts = f.exprs.map((_, j) => values.get(`f${n}_${j}`));
    if (parts.some((p) => p === undefined)) return;
    if (f.value) {
      const unsigned = String.fromCharCode(Number(values.get(`k${n}`))) === 'u';
      got.set(f.key, String(unsigned ? BigInt.asUintN(64, parts[0]!) : BigInt.asIntN(64, parts[0]!)));
    } else if (f.letter) got.set(f.key, String.fromCharCode(Number(parts[0])));
    else got.set(f.key, parts.join(' '));
  });
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
        const facts = moduleFacts(g.modules, sizes);
        const got = results(facts, compile(cc, dir, `check${k}`, source(g.includes.flatMap((i) => i.cIncludes ?? i.headers), facts)));
        for (const f of facts) {
          checked++;
          if (got.get(f.key) !== f.want) mismatches.push(`${f.key}: generator ${f.want}, ${cc} ${got.get(f.key) ?? '(missing)'}`);
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
  const facts = moduleFacts(model.modules.filter((x) => x.spec.module.startsWith('libc/')), new Map()).filter((f) => f.value);
  const want = new Map(facts.map((f) => [f.key.replace(/^.*:/, ''), f.want]));
  const dir = mkdtempSync(join(tmpdir(), 'codegen-musl-'));
  let got: Map<string, string>;
  try {
    const text = source(['sys/socket.h', 'sys/mount.h', 'dlfcn.h'], facts, (f) => f.exprs[0]!);
    got = new Map([...results(facts, compile('musl-gcc', dir, 'musl', text))].map(([k, v]) => [k.replace(/^.*:/, ''), v]));
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
