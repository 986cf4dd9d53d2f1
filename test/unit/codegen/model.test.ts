// End to end on small header trees (test/fixtures/codegen): what goes into a
// module, the exact text written, and --check across header versions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, type ConstItem, type ModuleModel, type StructItem } from '../../../codegen/model.js';
import type { ModuleSpec } from '../../../codegen/headers.js';
import { render, renderChoosers } from '../../../codegen/main.js';
import { AARCH64, X86_64 } from '../../../codegen/arch.js';
import { check } from '../../../codegen/check.js';
import { formatValue } from '../../../codegen/emit.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'codegen');
const TABLE: ModuleSpec[] = [
  { module: 'linux/demo', headers: ['linux/demo.h'] },
  { module: 'linux/demo_user', headers: ['linux/demo_user.h'] },
];

const consts = (m: ModuleModel): [string, bigint][] => m.items.filter((i): i is ConstItem => i.kind === 'const').map((c) => [c.name, c.value]);
const struct = (m: ModuleModel, name: string): StructItem => {
  const s = m.items.find((i): i is StructItem => i.kind === 'struct' && i.name === name);
  if (s === undefined) throw new Error(`no struct ${name}`);
  return s;
};

function writeOut(files: Map<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'codegen-out-'));
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

test('a module holds its own integer macros and enum constants, in source order', () => {
  const [demo, user] = buildModel(join(fixtures, 'v2'), TABLE).modules;
  assert.equal(consts(demo!), [
    ['DEMO_VERSION', 2n], ['DEMO_HEX', 255n], ['DEMO_OCT', 0o755n], ['DEMO_NEG', -5n], ['DEMO_BIG', 0x123456789abcdef0n],
    ['DEMO_EXPR', 0xff0n], ['DEMO_INT_MIN', -2147483648n], ['DEMO_NEW', 7n],
    ['DEMO_A', 1n], ['DEMO_B', 2n], ['DEMO_C', 20n], ['__DEMO_MAX', 21n], ['DEMO_MAX', 20n],
  ]);
  // The include guard, the string, the function-like macro and the member-list macro are not constants;
  // types.h's definitions belong to no module; sizeof of a struct defined later works (macros are lazy).
  assert.equal(consts(user!), [['DEMO_USER_LEN', 24n]]);
  assert.equal(demo!.skippedMacros.map((s) => s.name), ['demo_common']);
});

test('struct layouts: nested, imported, flattened, in place, flexible', () => {
  const [demo, user] = buildModel(join(fixtures, 'v2'), TABLE).modules;
  const msg = struct(demo!, 'demo_msg').layout;
  assert.equal(msg.fields.map((f) => `${f.name}@${f.offset}:${f.type}${f.count !== undefined ? `[${f.count}]` : ''}`), [
    'hdr@0:struct', 'index@8:u32', 'action@12:s32', 'addr@16:be32', 'word@20:u32', 'half@20:u32'.replace('u32', 'u16'),
    'named@24:struct', 'name@28:char[4]', 'stamp@32:u64', 'tail@40:u64[0]',
  ]);
  assert.equal([msg.size, msg.align], [40, 8]);
  const named = msg.fields.find((f) => f.name === 'named')!.struct!;
  assert.ok('inline' in named && named.inline.name === 'demo_msg.named' && named.inline.fields[1]!.type === 'be16');
  assert.equal(user!.imports.get('linux/demo'), ['demo_hdr']);
  assert.equal(struct(user!, 'demo_user').layout.fields.map((f) => [f.name, f.offset, f.count]), [['h', 0, undefined], ['more', 8, 2]]);
});

test('the text written is exactly the golden file, and the same every time', () => {
  const files = render(buildModel(join(fixtures, 'v2'), TABLE));
  assert.equal(render(buildModel(join(fixtures, 'v2'), TABLE)), files);
  for (const rel of ['linux/demo.ts', 'linux/demo_user.ts', 'layout.ts']) {
    const path = join(fixtures, 'expected', `${rel}.golden`);
    // After an intended change of the output format: CODEGEN_UPDATE_GOLDEN=1, then review the diff.
    if (process.env.CODEGEN_UPDATE_GOLDEN === '1') writeFileSync(path, files.get(rel)!);
    assert.fixture(files.get(rel)!, readFileSync(path, 'utf8'));
  }
});

test('values print as number literals in their source radix, bigint beyond 2^53', () => {
  assert.is(formatValue(255n, '0xFFU'), '0xff');
  assert.is(formatValue(0o755n, '0755'), '0o755');
  assert.is(formatValue(-5n, '-5'), '-5');
  assert.is(formatValue(0n, '0'), '0');
  assert.is(formatValue(2n ** 53n, undefined), '9007199254740992n');
  assert.is(formatValue(2n ** 53n - 1n, undefined), '9007199254740991');
  assert.is(formatValue(0xffffffffffffffffn, '0xffffffffffffffffULL'), '0xffffffffffffffffn');
  assert.is(formatValue(-(2n ** 63n), undefined), '-9223372036854775808n');
});

test('check: output of the same headers matches', () => {
  const model = buildModel(join(fixtures, 'v2'), TABLE);
  const dir = writeOut(render(model));
  try {
    const r = check(model, dir);
    assert.equal([r.errors, r.warnings], [[], []]);
    assert.is(r.constants, 14);
    assert.is(r.structs, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check: names missing from older headers are warnings, not errors', () => {
  const dir = writeOut(render(buildModel(join(fixtures, 'v2'), TABLE)));
  try {
    const r = check(buildModel(join(fixtures, 'v1'), TABLE), dir);
    assert.equal(r.errors, []);
    assert.equal(r.warnings, [
      'linux/demo: DEMO_NEW is not in the installed headers',
      'linux/demo: demo_grown: field added not in the installed headers',
      'linux/demo: demo_grown: size 8 → 4 (older headers)',
      'linux/demo: struct demo_new is not in the installed headers',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Output from older headers checks against newer ones: new names are fine, a struct that grew at its end is a warning.
  const old = writeOut(render(buildModel(join(fixtures, 'v1'), TABLE)));
  try {
    const r = check(buildModel(join(fixtures, 'v2'), TABLE), old);
    assert.equal(r.errors, []);
    assert.equal(r.warnings, ['linux/demo: demo_grown: size 4 → 8 (grew at its end in newer headers)']);
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
});

test('check: a changed value or offset is an error, each one listed', () => {
  const dir = writeOut(render(buildModel(join(fixtures, 'v2'), TABLE)));
  try {
    const r = check(buildModel(join(fixtures, 'v3'), TABLE), dir);
    assert.ok(r.errors.includes('linux/demo: DEMO_VERSION = 2, installed headers say 3'), r.errors.join('\n'));
    assert.ok(r.errors.includes('linux/demo: demo_hdr.type: type u16 → u32'), r.errors.join('\n'));
    assert.ok(r.errors.includes('linux/demo: demo_hdr.flags: offset 6 → 8'), r.errors.join('\n'));
    assert.ok(r.errors.includes('linux/demo: demo_hdr: size 8 → 12'), r.errors.join('\n'));
    assert.ok(r.errors.includes('linux/demo_user: DEMO_USER_LEN = 24, installed headers say 36'), r.errors.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a struct tag that collides with a constant fails loudly', () => {
  assert.throws(() => buildModel(join(fixtures, 'collide'), [{ module: 'linux/demo', headers: ['linux/demo.h'] }]),
    /'demo_thing' is defined twice .*a struct tag collides with a constant/);
});

const ARCH_TABLE: ModuleSpec[] = [
  { module: 'linux/shared', headers: ['linux/shared.h'] },
  { module: 'asm/flags', headers: [], perArch: { x86_64: ['asm/flags.h'], aarch64: ['asm/flags.h'] } },
];
const archModel = (arch: typeof X86_64) => buildModel(join(fixtures, 'arch', arch.name), ARCH_TABLE, arch, ['']);

test('a perArch module: one table per architecture, and a chooser of the names all have', () => {
  const x86 = archModel(X86_64);
  const arm = archModel(AARCH64);
  assert.equal(x86.modules.map((m) => m.spec.module), ['linux/shared', 'arch/x86_64/asm/flags']);
  assert.equal(consts(arm.modules[1]!), [['F_DIR', 0o40000n], ['F_SAME', 7n], ['F_ARCH', 64n]]); // __aarch64__ is predefined
  assert.equal(consts(x86.modules[1]!), [['F_DIR', 0o200000n], ['F_SAME', 7n], ['F_ONLY_X86', 1n]]);
  const chooser = renderChoosers([x86, arm], '/nonexistent', ARCH_TABLE).get('asm/flags.ts')!;
  assert.match(chooser, "import * as x86_64 from '../arch/x86_64/asm/flags.js';");
  assert.match(chooser, "const table = forArch<typeof x86_64 | typeof aarch64>('asm/flags', { x64: x86_64, arm64: aarch64 });");
  assert.match(chooser, 'export const F_DIR: number = table.F_DIR;\nexport const F_SAME: number = table.F_SAME;\n');
  assert.not.match(chooser, 'F_ONLY_X86');
  assert.not.match(chooser, 'F_ARCH');
});

test('a shared module that differs on another architecture fails the check', () => {
  const dir = writeOut(render(archModel(X86_64)));
  try {
    const r = check(archModel(AARCH64), dir, new Set(['layout', 'arch', 'linux/shared', 'arch/x86_64/asm/flags', 'arch/aarch64/asm/flags']));
    assert.equal(r.errors, ['linux/shared: SHARED_B = 5, installed headers say 6', 'arch/aarch64/asm/flags.ts is missing from ' + dir + ': run npm run codegen']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
