// --check: are the committed modules still true of the installed headers?
// Constant values and struct layouts are ABI, so they must not change; what
// may differ across header versions is which names exist, and the __X_MAX
// counts that grow with them. A committed name the installed headers lack,
// or a count they have smaller (older headers), is a warning; a different
// value, offset or type is an error. Newer headers with more names pass; a
// struct that grew at its end in newer headers is a warning.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LayoutModel, Model, ModuleModel } from './model.js';
import { readGeneratedDir, type CommittedLayout, type CommittedModule } from './read-generated.js';

export interface CheckReport {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** Committed constants whose value the installed headers confirm. */
  readonly constants: number;
  /** Committed structs whose layout the installed headers confirm. */
  readonly structs: number;
}

function fresh(m: ModuleModel): { constants: Map<string, bigint>; structs: Map<string, LayoutModel> } {
  const constants = new Map<string, bigint>();
  const structs = new Map<string, LayoutModel>();
  for (const item of m.items) {
    if (item.kind === 'const') constants.set(item.name, item.value);
    else structs.set(item.name, item.layout);
  }
  return { constants, structs };
}

/** Compares one committed layout with the installed one; pushes findings, returns whether it matches exactly. */
function compareLayout(where: string, committed: CommittedLayout, installed: LayoutModel, errors: string[], warnings: string[]): boolean {
  let exact = true;
  const byName = new Map(installed.fields.map((f) => [f.name, f]));
  const missing: string[] = [];
  for (const c of committed.fields) {
    const f = byName.get(c.name);
    if (f === undefined) {
      missing.push(c.name);
      continue;
    }
    const at = `${where}.${c.name}`;
    const diffs: string[] = [];
    if (c.offset !== f.offset) diffs.push(`offset ${c.offset} → ${f.offset}`);
    if (c.type !== f.type) diffs.push(`type ${c.type} → ${f.type}`);
    if (c.count !== f.count) diffs.push(`count ${c.count ?? 'none'} → ${f.count ?? 'none'}`);
    if (JSON.stringify(c.bits) !== JSON.stringify(f.bits)) diffs.push('bitfield position');
    if (typeof c.struct === 'string') {
      const ref = f.struct !== undefined && 'ref' in f.struct ? f.struct.ref.name : undefined;
      if (ref !== c.struct) diffs.push(`layout ${c.struct} → ${ref ?? 'none'}`);
    } else if (c.struct !== undefined) {
      if (f.struct === undefined || !('inline' in f.struct)) diffs.push('in-place layout → none');
      else if (!compareLayout(at, c.struct, f.struct.inline, errors, warnings)) exact = false;
    }
    if (diffs.length > 0) {
      errors.push(`${at}: ${diffs.join(', ')}`);
      exact = false;
    }
  }
  // Older headers may lack trailing fields a newer struct gained: then the
  // struct is shorter, and every missing field lies past its end.
  const olderHeaders = missing.length > 0 && installed.size < committed.size
    && committed.fields.filter((f) => missing.includes(f.name)).every((f) => f.offset >= installed.size);
  if (missing.length > 0) {
    exact = false;
    const text = `${where}: field${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the installed headers`;
    if (olderHeaders || installed.size === committed.size) warnings.push(text);
    else errors.push(text);
  }
  // Newer headers may have appended fields: every committed field still in
  // place (checked above) and the new ones past the committed end.
  const committedNames = new Set(committed.fields.map((f) => f.name));
  const added = installed.fields.filter((f) => !committedNames.has(f.name));
  const newerHeaders = exact && installed.size > committed.size && added.length > 0 && added.every((f) => f.offset >= committed.size);
  if (installed.size !== committed.size) {
    exact = false;
    if (olderHeaders) warnings.push(`${where}: size ${committed.size} → ${installed.size} (older headers)`);
    else if (newerHeaders) warnings.push(`${where}: size ${committed.size} → ${installed.size} (grew at its end in newer headers)`);
    else errors.push(`${where}: size ${committed.size} → ${installed.size}`);
  }
  if (installed.align !== committed.align) {
    errors.push(`${where}: align ${committed.align} → ${installed.align}`);
    exact = false;
  }
  return exact;
}

function checkModule(c: CommittedModule, m: ModuleModel, all: readonly ModuleModel[], errors: string[], warnings: string[]): { constants: number; structs: number } {
  const f = fresh(m);
  let constants = 0;
  let structs = 0;
  for (const [name, value] of c.constants) {
    const installed = f.constants.get(name);
    if (installed === undefined) {
      const elsewhere = all.map((o) => ({ o, v: fresh(o).constants.get(name) })).find((x) => x.v !== undefined);
      if (elsewhere === undefined) warnings.push(`${c.module}: ${name} is not in the installed headers`);
      else if (elsewhere.v === value) warnings.push(`${c.module}: ${name} is now defined in ${elsewhere.o.spec.module}`);
      else errors.push(`${c.module}: ${name} = ${value}, but ${elsewhere.o.spec.module} has ${elsewhere.v}`);
      continue;
    }
    if (installed === value) constants++;
    // An enum's __X_MAX / X_MAX counts its members, so it grows as headers gain attributes;
    // a *_MAXLEN limit the kernel raised grows too (NFT_SECMARK_CTX_MAXLEN: 256 → 4096 in 6.x).
    else if (/(^|_)MAX(LEN)?$/.test(name) && installed < value) warnings.push(`${c.module}: ${name} = ${value}, installed headers say ${installed} (older headers)`);
    else errors.push(`${c.module}: ${name} = ${value}, installed headers say ${installed}`);
  }
  for (const [name, layout] of c.structs) {
    const installed = f.structs.get(name);
    if (installed === undefined) {
      warnings.push(`${c.module}: struct ${name} is not in the installed headers`);
      continue;
    }
    if (compareLayout(`${c.module}: ${name}`, layout, installed, errors, warnings)) structs++;
  }
  return { constants, structs };
}

/** known: every module path some architecture writes (default: this model's); others in outDir are reported as stale. */
export function check(model: Model, outDir: string, known: ReadonlySet<string> = new Set(model.modules.map((m) => m.spec.module))): CheckReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!existsSync(join(outDir, 'layout.ts'))) errors.push(`${outDir}/layout.ts is missing: run npm run codegen`);
  const committed = existsSync(outDir) ? readGeneratedDir(outDir) : new Map<string, CommittedModule>();
  let constants = 0;
  let structs = 0;
  for (const m of model.modules) {
    const c = committed.get(m.spec.module);
    if (c === undefined) {
      errors.push(`${m.spec.module}.ts is missing from ${outDir}: run npm run codegen`);
      continue;
    }
    const counts = checkModule(c, m, model.modules, errors, warnings);
    constants += counts.constants;
    structs += counts.structs;
  }
  for (const module of committed.keys()) {
    if (!known.has(module)) warnings.push(`${module}.ts is not in codegen/headers.ts (stale?)`);
  }
  return { errors, warnings, constants, structs };
}
