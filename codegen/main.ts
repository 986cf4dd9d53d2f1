// npm run codegen        rewrite src/generated from the installed headers
// npm run codegen:check  verify src/generated against the installed headers
//
// Options: --headers DIR (default /usr/include), --out DIR (default
// src/generated), --check, --verbose (also list macros that were not
// integer constants, and the includes left out on purpose).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, type Model } from './model.js';
import { BANNER_PREFIX, emitLayoutModule, emitModule, LAYOUT_MODULE_NAME } from './emit.js';
import { check } from './check.js';
import { runYnl } from './ynl/main.js';

export interface Options {
  headers: string;
  out: string;
  check: boolean;
  verbose: boolean;
  /** YNL specs (Documentation/netlink/specs), for src/generated/ynl. */
  specs: string;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { headers: '/usr/include', out: join(repoRoot, 'src', 'generated'), check: false, verbose: false,
    specs: process.env.YNL_SPECS ?? join(repoRoot, 'build', 'ynl') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--headers') opts.headers = value();
    else if (a === '--out') opts.out = value();
    else if (a === '--check') opts.check = true;
    else if (a === '--specs') opts.specs = value();
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else throw new Error(`unknown argument ${a} (use --headers DIR, --out DIR, --specs DIR, --check, --verbose)`);
  }
  return opts;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Every file the generator would write, path relative to the output folder → text. */
export function render(model: Model): Map<string, string> {
  const files = new Map<string, string>([[`${LAYOUT_MODULE_NAME}.ts`, emitLayoutModule()]]);
  for (const m of model.modules) files.set(`${m.spec.module}.ts`, emitModule(m));
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

function write(model: Model, outDir: string): void {
  const files = render(model);
  const keep = new Set([...files.keys()].map((f) => join(outDir, f)));
  // A module dropped from the table must not linger: remove generated files we no longer write.
  for (const stale of generatedFiles(outDir)) if (!keep.has(stale)) rmSync(stale);
  for (const [rel, text] of files) {
    const full = join(outDir, rel);
    mkdirSync(dirname(full), { recursive: true });
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) writeFileSync(full, text);
  }
}

function report(model: Model, verbose: boolean): void {
  for (const w of model.warnings) console.log(`codegen: warning: ${w}`);
  for (const m of model.modules) {
    for (const s of m.skippedStructs) console.log(`codegen: skipped struct ${s.name} (${s.file}:${s.line}): ${s.reason}`);
    if (verbose) for (const s of m.skippedMacros) console.log(`codegen: not a constant: ${s.name} (${s.file}:${s.line}): ${s.reason}`);
  }
  if (verbose) for (const s of model.skippedIncludes) console.log(`codegen: not followed: #include ${s}`);
}

export function main(argv: readonly string[]): number {
  const opts = parseArgs(argv);
  const ynl = runYnl(opts.specs, join(opts.out, 'ynl'), opts.check);
  for (const l of ynl.lines) console.log(l);
  const headers = mainHeaders(opts);
  return ynl.ok ? headers : Math.max(headers, 1);
}

function mainHeaders(opts: Options): number {
  const model = buildModel(opts.headers);
  const shownOut = relative(process.cwd(), opts.out) || '.';
  if (opts.check) {
    if (opts.verbose) report(model, true);
    const r = check(model, opts.out);
    for (const w of r.warnings) console.log(`codegen: warning: ${w}`);
    for (const e of r.errors) console.log(`codegen: MISMATCH ${e}`);
    if (r.errors.length > 0) {
      console.log(`codegen: ${count(r.errors.length)} mismatch${r.errors.length > 1 ? 'es' : ''} between ${shownOut} and ${opts.headers}`);
      return 1;
    }
    const warned = r.warnings.length > 0 ? ` (${count(r.warnings.length)} warning${r.warnings.length > 1 ? 's' : ''})` : '';
    console.log(`codegen: ${count(r.constants)} constants and ${count(r.structs)} structs match ${opts.headers}${warned}`);
    return 0;
  }
  report(model, opts.verbose);
  write(model, opts.out);
  const constants = model.modules.reduce((n, m) => n + m.items.filter((i) => i.kind === 'const').length, 0);
  const structs = model.modules.reduce((n, m) => n + m.items.filter((i) => i.kind === 'struct').length, 0);
  console.log(`codegen: wrote ${model.modules.length} modules (${count(constants)} constants, ${count(structs)} structs) from ${opts.headers} to ${shownOut}`);
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
