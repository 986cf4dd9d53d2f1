// npm run codegen        rewrite src/generated from the installed headers
// npm run codegen:check  verify src/generated against the installed headers
//
// Every architecture in codegen/arch.ts whose headers are installed is read:
// the first one found writes the modules all share, each writes its own
// arch/NAME/ tables, and the shared modules are then checked against every
// other one (so a difference between architectures is found, not assumed).
//
// Options: --headers DIR (the host architecture's headers, default
// /usr/include), --arch-headers ARCH=DIR (another's), --out DIR (default
// src/generated), --check, --verbose (also list macros that were not integer
// constants, and the includes left out on purpose).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, type Model } from './model.js';
import { ARCH_MODULE_NAME, BANNER_PREFIX, emitArchModule, emitChooser, emitLayoutModule, emitModule, LAYOUT_MODULE_NAME, type ArchTable } from './emit.js';
import { check } from './check.js';
import { runYnl } from './ynl/main.js';
import { ARCHES, archByName, archModule, findHeaders, hostArch, X86_64, type ArchName, type ArchSpec } from './arch.js';
import { MODULES, tableFor, type ModuleSpec } from './headers.js';
import { readModule } from './read-generated.js';

export interface Options {
  /** Header roots given on the command line, by architecture; the others are looked for where arch.ts says. */
  headers: Map<ArchName, string>;
  out: string;
  check: boolean;
  verbose: boolean;
  /** YNL specs (Documentation/netlink/specs), for src/generated/ynl. */
  specs: string;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { headers: new Map(), out: join(repoRoot, 'src', 'generated'), check: false, verbose: false,
    specs: process.env.YNL_SPECS ?? join(repoRoot, 'build', 'ynl') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--headers') opts.headers.set((hostArch() ?? X86_64).name, value());
    else if (a === '--arch-headers') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq < 0) throw new Error(`--arch-headers takes ARCH=DIR, not ${v}`);
      opts.headers.set(archByName(v.slice(0, eq)).name, v.slice(eq + 1));
    } else if (a === '--out') opts.out = value();
    else if (a === '--check') opts.check = true;
    else if (a === '--specs') opts.specs = value();
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else throw new Error(`unknown argument ${a} (use --headers DIR, --arch-headers ARCH=DIR, --out DIR, --specs DIR, --check, --verbose)`);
  }
  return opts;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Every file one architecture's model gives, path relative to the output folder → text (choosers apart). */
export function render(model: Model): Map<string, string> {
  const files = new Map<string, string>([
    [`${LAYOUT_MODULE_NAME}.ts`, emitLayoutModule()],
    [`${ARCH_MODULE_NAME}.ts`, emitArchModule()],
  ]);
  for (const m of model.modules) files.set(`${m.spec.module}.ts`, emitModule(m));
  return files;
}

/** Every module path any architecture writes, choosers included. */
export function allModules(): Set<string> {
  const out = new Set([LAYOUT_MODULE_NAME, ARCH_MODULE_NAME]);
  for (const arch of ARCHES) for (const s of tableFor(arch)) out.add(s.module);
  for (const s of MODULES) if (s.perArch !== undefined) out.add(s.module);
  return out;
}

/**
 * The choosers' text: from each architecture's fresh model where its headers
 * are installed, else from its committed table (so a machine without the
 * cross headers regenerates without losing the other architecture).
 */
export function renderChoosers(models: readonly Model[], outDir: string, table: readonly ModuleSpec[] = MODULES): Map<string, string> {
  const files = new Map<string, string>();
  for (const spec of table) {
    if (spec.perArch === undefined) continue;
    const tables: ArchTable[] = [];
    for (const arch of ARCHES) {
      const module = archModule(arch, spec.module);
      const headers = spec.perArch[arch.name];
      const fresh = models.find((m) => m.arch === arch)?.modules.find((m) => m.spec.module === module);
      if (fresh !== undefined) {
        const names = (kind: string): string[] => fresh.items.filter((i) => i.kind === kind).map((i) => i.name);
        tables.push({ arch, headers, consts: names('const'), structs: names('struct') });
        continue;
      }
      const file = join(outDir, `${module}.ts`);
      if (!existsSync(file)) throw new Error(`${module}.ts is missing and no ${arch.name} headers are installed to make it (${arch.debianPackages.join(', ')})`);
      const committed = readModule(readFileSync(file, 'utf8'), module);
      tables.push({ arch, headers, consts: [...committed.constants.keys()], structs: [...committed.structs.keys()] });
    }
    files.set(`${spec.module}.ts`, emitChooser(spec.module, tables));
  }
  return files;
}

function generatedFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...generatedFiles(full));
    else if (entry.endsWith('.ts') && readFileSync(full, 'utf8').startsWith(BANNER_PREFIX)) out.push(full);
  }
  return out;
}

function write(files: ReadonlyMap<string, string>, outDir: string): void {
  const keep = new Set([...allModules()].map((m) => join(outDir, `${m}.ts`)));
  // A module dropped from the table must not linger: remove generated files no architecture writes.
  for (const stale of generatedFiles(outDir)) if (!keep.has(stale)) rmSync(stale);
  for (const [rel, text] of files) {
    const full = join(outDir, rel);
    mkdirSync(dirname(full), { recursive: true });
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) writeFileSync(full, text);
  }
}

function report(model: Model, verbose: boolean): void {
  for (const w of model.warnings) console.log(`codegen: warning: ${w} (${model.arch.name})`);
  for (const m of model.modules) {
    for (const s of m.skippedStructs) console.log(`codegen: skipped struct ${s.name} (${s.file}:${s.line}): ${s.reason}`);
    if (verbose) for (const s of m.skippedMacros) console.log(`codegen: not a constant: ${s.name} (${s.file}:${s.line}): ${s.reason}`);
  }
  if (verbose) for (const s of model.skippedIncludes) console.log(`codegen: not followed: #include ${s}`);
}

/** Each architecture's headers: given, or found where arch.ts says; absent ones are named in `missing`. */
function models(opts: Options): { found: Model[]; missing: ArchSpec[] } {
  const found: Model[] = [];
  const missing: ArchSpec[] = [];
  for (const arch of ARCHES) {
    const given = opts.headers.get(arch.name);
    const where = given !== undefined ? { root: given, dirs: [`${arch.name}-linux-gnu`, ''] } : findHeaders(arch);
    if (where === undefined) missing.push(arch);
    else found.push(buildModel(where.root, MODULES, arch, where.dirs));
  }
  if (found.length === 0) throw new Error(`no headers found for ${ARCHES.map((a) => a.name).join(' or ')}: install linux-libc-dev and libc6-dev (or pass --headers DIR)`);
  return { found, missing };
}

/** Findings of several architectures, each said once with the architectures it holds for. */
function merged(lists: readonly { arch: ArchSpec; items: readonly string[] }[]): string[] {
  const by = new Map<string, string[]>();
  for (const { arch, items } of lists) for (const i of items) by.set(i, [...(by.get(i) ?? []), arch.name]);
  return [...by].map(([text, arches]) => `${text} [${arches.join(', ')}]`);
}

function checkAll(found: readonly Model[], outDir: string): { errors: string[]; warnings: string[]; constants: number; structs: number } {
  const known = allModules();
  const reports = found.map((m) => ({ arch: m.arch, r: check(m, outDir, known) }));
  const errors = merged(reports.map(({ arch, r }) => ({ arch, items: r.errors })));
  const warnings = merged(reports.map(({ arch, r }) => ({ arch, items: r.warnings })));
  for (const [rel, text] of renderChoosers(found, outDir)) {
    const full = join(outDir, rel);
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) errors.push(`${rel} is not what codegen writes for the tables: run npm run codegen`);
  }
  const constants = reports.reduce((n, { r }) => n + r.constants, 0);
  const structs = reports.reduce((n, { r }) => n + r.structs, 0);
  return { errors, warnings, constants, structs };
}

export function main(argv: readonly string[]): number {
  const opts = parseArgs(argv);
  const ynl = runYnl(opts.specs, join(opts.out, 'ynl'), opts.check);
  for (const l of ynl.lines) console.log(l);
  const headers = mainHeaders(opts);
  return ynl.ok ? headers : Math.max(headers, 1);
}

function mainHeaders(opts: Options): number {
  const { found, missing } = models(opts);
  const shownOut = relative(process.cwd(), opts.out) || '.';
  const roots = found.map((m) => `${m.root} (${m.arch.name})`).join(', ');
  for (const arch of missing) {
    console.log(`codegen: warning: no ${arch.name} headers installed, its tables are ${opts.check ? 'not checked' : 'kept as committed'} (Debian: ${arch.debianPackages.join(' ')})`);
  }
  if (!opts.check) {
    // The first architecture found writes the shared modules; each writes its own tables.
    const [first, ...others] = found as [Model, ...Model[]];
    // Skipped structs are the same on every architecture: listed once.
    report(first, opts.verbose);
    for (const m of others) for (const w of m.warnings) console.log(`codegen: warning: ${w} (${m.arch.name})`);
    const files = render(first);
    for (const m of others) for (const [rel, text] of render(m)) if (rel.startsWith('arch/')) files.set(rel, text);
    write(files, opts.out);
    write(renderChoosers(found, opts.out), opts.out);
    const constants = found.reduce((n, model) => n + model.modules.reduce((k, m) => k + m.items.filter((i) => i.kind === 'const').length, 0), 0);
    const structs = found.reduce((n, model) => n + model.modules.reduce((k, m) => k + m.items.filter((i) => i.kind === 'struct').length, 0), 0);
    console.log(`codegen: wrote ${first.modules.length} modules for ${found.map((m) => m.arch.name).join(' and ')} (${count(constants)} constants, ${count(structs)} structs) from ${roots} to ${shownOut}`);
    // What the first architecture wrote for all must hold for the others too.
    if (others.length === 0) return 0;
    opts.check = true;
  }
  if (opts.verbose) for (const m of found) report(m, true);
  const r = checkAll(found, opts.out);
  for (const w of r.warnings) console.log(`codegen: warning: ${w}`);
  for (const e of r.errors) console.log(`codegen: MISMATCH ${e}`);
  if (r.errors.length > 0) {
    console.log(`codegen: ${count(r.errors.length)} mismatch${r.errors.length > 1 ? 'es' : ''} between ${shownOut} and ${roots}`);
    return 1;
  }
  const warned = r.warnings.length > 0 ? ` (${count(r.warnings.length)} warning${r.warnings.length > 1 ? 's' : ''})` : '';
  console.log(`codegen: ${count(r.constants)} constants and ${count(r.structs)} structs match ${roots}${warned}`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`codegen: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  }
}
