// From headers to what each generated module holds: reads the whole header
// table as one translation unit (prelude first), then sorts every integer
// macro, enum constant and struct into the module of the header that
// defines it, in source order. Emitting text is emit.ts's job; this file
// decides content and fails loudly on anything that would make it wrong.
import { MODULES, tableFor, type ModuleSpec } from './headers.js';
import { X86_64, type ArchSpec } from './arch.js';
import { HeaderHost } from './host.js';
import { Preprocessor } from './preprocess.js';
import { PRELUDE, PRELUDE_FILE } from './prelude.js';
import { constantEnv, parseDeclarations, type Scope } from './parse-decls.js';
import { Expander, type Macro, type MacroTable } from './macros.js';
import { evaluate, EvalError, type CValue } from './evaluate.js';
import type { RecordDef } from './ctypes.js';
import { LayoutConverter, ModelError, UncoveredError, type LayoutModel } from './struct-model.js';
import { singleLiteral, type Token } from './lexer.js';

export { ModelError } from './struct-model.js';
export type { FieldModel, FieldType, LayoutModel, StructRef } from './struct-model.js';

export interface ConstItem {
  readonly kind: 'const';
  readonly source: 'macro' | 'enum';
  readonly name: string;
  readonly value: bigint;
  /** The value was written as this single integer literal (keeps hex and octal readable). */
  readonly literal?: string;
  /** The C expression it came from, when it is not a single literal. */
  readonly expr?: string;
  readonly file: string;
  readonly line: number;
  readonly order: number;
  /** The header has a blank line between the previous constant and this one: keep the paragraph. */
  readonly paragraph?: boolean;
}

export interface StructItem {
  readonly kind: 'struct';
  readonly name: string;
  /** How C names the type: `struct ifinfomsg`, or a typedef name for an untagged one. */
  readonly cName: string;
  readonly layout: LayoutModel;
  readonly file: string;
  readonly line: number;
  readonly order: number;
}

export interface Skipped {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface ModuleModel {
  readonly spec: ModuleSpec;
  /** Header files (relative to the root) the module's definitions come from. */
  readonly files: readonly string[];
  readonly items: readonly (ConstItem | StructItem)[];
  /** Module → names of the layouts imported from it. */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  readonly skippedStructs: readonly Skipped[];
  readonly skippedMacros: readonly Skipped[];
}

export interface Model {
  readonly root: string;
  readonly arch: ArchSpec;
  readonly modules: readonly ModuleModel[];
  /** Problems worth a look that do not stop generation. */
  readonly warnings: readonly string[];
  readonly skippedIncludes: readonly string[];
}

const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally '
  + 'for function if import in instanceof new null return super switch this throw true try typeof var void while with yield '
  + 'let static implements interface package private protected public await arguments eval').split(' '));

function spellExpr(tokens: readonly Token[]): string {
  return tokens.map((t, k) => (k > 0 && t.space ? ' ' : '') + t.text).join('');
}

/** Evaluates an object-like macro the way its use in C code would. */
export function macroValue(macro: Macro, macros: MacroTable, scope: Scope): CValue {
  if (macro.body.length === 0) throw new EvalError('empty macro');
  const hide = new Set([macro.name]);
  const body = macro.body.map((t) => ({ ...t, hide: new Set([...(t.hide ?? []), ...hide]) }));
  const tokens = new Expander(macros).expand(body);
  const v = evaluate(tokens, constantEnv(scope));
  if (v.pointer) throw new EvalError('a pointer, not an integer');
  return v;
}

interface Translation {
  readonly host: HeaderHost;
  readonly files: Map<string, string[]>; // module → files
  readonly scope: Scope;
  readonly macros: MacroTable;
  readonly definitions: readonly { macro: Macro; at: number }[];
  readonly guards: ReadonlyMap<string, string>;
  readonly skippedIncludes: readonly string[];
  readonly warnings: readonly string[];
}

function translate(root: string, table: readonly ModuleSpec[], arch: ArchSpec, dirs: readonly string[]): Translation {
  const host = new HeaderHost(root, dirs);
  const pre = new Preprocessor(host);
  pre.processText(arch.predefined + PRELUDE, PRELUDE_FILE);
  const files = new Map<string, string[]>();
  for (const spec of table) {
    // Resolve every header first: one may be read as part of an earlier one.
    files.set(spec.module, spec.headers.map((h) => pre.includeTopLevel(h)));
  }
  const result = pre.result();
  const scope = parseDeclarations(result.tokens);
  return {
    host,
    files,
    scope,
    macros: result.macros,
    definitions: result.definitions,
    guards: result.guards,
    skippedIncludes: result.skippedIncludes,
    warnings: result.warnings,
  };
}

/** Reads the headers under root (the table decides which) and decides every module's content. */
export function buildModel(root: string, table: readonly ModuleSpec[] = MODULES, arch: ArchSpec = X86_64, dirs: readonly string[] = [`${arch.name}-linux-gnu`, '']): Model {
  const specs = tableFor(arch, table);
  const tu = translate(root, specs, arch, dirs);
  const moduleOfFile = new Map<string, string>();
  for (const [module, files] of tu.files) {
    for (const f of files) {
      const other = moduleOfFile.get(f);
      if (other !== undefined && other !== module) throw new ModelError(`${f} is listed in both ${other} and ${module}`);
      moduleOfFile.set(f, module);
    }
  }
  const warnings: string[] = [...tu.warnings];
  for (const s of tu.scope.skipped) {
    if (moduleOfFile.has(s.file)) warnings.push(`skipped a declaration: ${s.reason}`);
  }

  // Records that are emitted, in completion order, and those that cannot be.
  const skippedStructs = new Map<string, Skipped[]>();
  const skippedNames = new Set<string>();
  const candidates: { rec: RecordDef; name: string; module: string }[] = [];
  for (const rec of tu.scope.records) {
    const name = rec.tag ?? rec.typedefName;
    const module = moduleOfFile.get(rec.file);
    if (name === undefined || module === undefined || rec.doneAt === undefined) continue;
    candidates.push({ rec, name, module });
  }
  const converter = new LayoutConverter(moduleOfFile, skippedNames);
  const structs = new Map<string, StructItem[]>();
  for (const { rec, name, module } of candidates) {
    const skip = (reason: string): void => {
      skippedNames.add(`${module}:${name}`);
      if (!skippedStructs.has(module)) skippedStructs.set(module, []);
      skippedStructs.get(module)!.push({ name, file: rec.file, line: rec.line, reason });
    };
    if (rec.layout === undefined) {
      skip(rec.problem ?? 'no layout');
      continue;
    }
    let layout: LayoutModel;
    try {
      layout = converter.convert(name, module, rec.layout);
    } catch (e) {
      if (!(e instanceof ModelError) || e instanceof UncoveredError) throw e;
      skip(e.message);
      continue;
    }
    if (!structs.has(module)) structs.set(module, []);
    structs.get(module)!.push({
      kind: 'struct', name, cName: rec.tag !== undefined ? `${rec.kind} ${rec.tag}` : name, layout,
      file: rec.file, line: rec.line, order: rec.doneAt! * 2 + 1,
    });
  }

  // Integer macros and enum constants per module.
  const consts = new Map<string, ConstItem[]>();
  const skippedMacros = new Map<string, Skipped[]>();
  const latest = new Map<string, { macro: Macro; at: number }>(); // module:name → definition, first position
  for (const d of tu.definitions) {
    const module = moduleOfFile.get(d.macro.file);
    if (module === undefined || d.macro.params !== null) continue;
    if (tu.guards.get(d.macro.file) === d.macro.name) continue;
    const key = `${module}:${d.macro.name}`;
    const seen = latest.get(key);
    latest.set(key, { macro: d.macro, at: seen?.at ?? d.at });
  }
  const addConst = (module: string, item: ConstItem): void => {
    if (!consts.has(module)) consts.set(module, []);
    consts.get(module)!.push(item);
  };
  for (const [key, { macro, at }] of latest) {
    const module = key.slice(0, key.indexOf(':'));
    let value: CValue;
    try {
      value = macroValue(macro, tu.macros, tu.scope);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      if (macro.body.length > 0 && !macro.body.some((t) => t.kind === 'string')) {
        if (!skippedMacros.has(module)) skippedMacros.set(module, []);
        skippedMacros.get(module)!.push({ name: macro.name, file: macro.file, line: macro.line, reason: e.message });
      }
      continue;
    }
    const literal = singleLiteral(macro.body);
    addConst(module, {
      kind: 'const', source: 'macro', name: macro.name, value: value.value, literal, expr: literal === undefined ? spellExpr(macro.body) : undefined,
      file: macro.file, line: macro.line, order: at * 2,
    });
  }
  for (const m of tu.scope.enumMembers) {
    const module = moduleOfFile.get(m.file);
    if (module === undefined) continue;
    addConst(module, {
      kind: 'const', source: 'enum', name: m.name, value: m.value.value, literal: m.literal, expr: m.literal === undefined ? m.init : undefined,
      file: m.file, line: m.line, order: m.at * 2 + 1,
    });
  }

  const modules: ModuleModel[] = specs.map((spec) => {
    const items = [...(consts.get(spec.module) ?? []), ...(structs.get(spec.module) ?? [])].sort((a, b) => a.order - b.order);
    // One export per name: a macro that aliases an enum constant of the same name (glibc's
    // `#define SOCK_RAW SOCK_RAW`) is the same constant.
    const byName = new Map<string, ConstItem | StructItem>();
    let unique: (ConstItem | StructItem)[] = [];
    for (const item of items) {
      const prior = byName.get(item.name);
      if (prior === undefined) {
        byName.set(item.name, item);
        unique.push(item);
        continue;
      }
      if (prior.kind === 'const' && item.kind === 'const' && prior.value === item.value) continue;
      if (prior.kind === 'const' && item.kind === 'const' && prior.source === 'enum' && item.source === 'macro') {
        // pkt_sched.h's `#define __TC_MQPRIO_MODE_MAX (__TC_MQPRIO_MODE_MAX - 1)`: after the
        // #define, every use of the name is the macro, so C code sees the macro's value.
        const merged: ConstItem = { ...item, order: prior.order };
        byName.set(item.name, merged);
        unique = unique.map((u) => (u === prior ? merged : u));
        continue;
      }
      throw new ModelError(`${spec.module}: '${item.name}' is defined twice (${prior.file}:${prior.line} as a ${prior.kind}, `
        + `${item.file}:${item.line} as a ${item.kind})${prior.kind !== item.kind ? ': a struct tag collides with a constant' : ' with different values'}`);
    }
    unique = markParagraphs(unique, tu.host);
    const imports = new Map<string, string[]>();
    for (const s of unique) {
      if (s.kind !== 'struct') continue;
      collectImports(s.layout, spec.module, imports);
    }
    for (const [, names] of imports) {
      for (const n of names) {
        if (byName.has(n)) throw new ModelError(`${spec.module}: imported layout '${n}' collides with a local name`);
      }
    }
    for (const n of byName.keys()) {
      if (RESERVED.has(n)) throw new ModelError(`${spec.module}: '${n}' is a reserved word in JavaScript`);
    }
    return {
      spec,
      files: tu.files.get(spec.module)!,
      items: unique,
      imports,
      skippedStructs: skippedStructs.get(spec.module) ?? [],
      skippedMacros: skippedMacros.get(spec.module) ?? [],
    };
  });
  checkImportCycles(modules);
  return { root, arch, modules, warnings, skippedIncludes: tu.skippedIncludes };
}

/** Flags each constant that a blank line separates from the previous one in its header. */
function markParagraphs(items: readonly (ConstItem | StructItem)[], host: HeaderHost): (ConstItem | StructItem)[] {
  const lines = new Map<string, string[]>();
  const linesOf = (file: string): string[] => {
    if (!lines.has(file)) lines.set(file, host.readFile(file).split('\n'));
    return lines.get(file)!;
  };
  return items.map((item, k) => {
    const prev = items[k - 1];
    if (item.kind !== 'const' || prev?.kind !== 'const' || prev.file !== item.file || prev.line >= item.line) return item;
    const between = linesOf(item.file).slice(prev.line, item.line - 1);
    return between.some((l) => l.trim() === '') ? { ...item, paragraph: true } : item;
  });
}

function collectImports(layout: LayoutModel, module: string, into: Map<string, string[]>): void {
  for (const f of layout.fields) {
    if (f.struct === undefined) continue;
    if ('inline' in f.struct) {
      collectImports(f.struct.inline, module, into);
      continue;
    }
    const { module: owner, name } = f.struct.ref;
    if (owner === module) continue;
    const names = into.get(owner) ?? [];
    if (!names.includes(name)) names.push(name);
    into.set(owner, names);
  }
}

/** ES modules that import each other's consts at load time would hit the TDZ: refuse cycles. */
function checkImportCycles(modules: readonly ModuleModel[]): void {
  const graph = new Map(modules.map((m) => [m.spec.module, [...m.imports.keys()]]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: string, path: string[]): void => {
    if (state.get(m) === 'done') return;
    if (state.get(m) === 'visiting') throw new ModelError(`import cycle between generated modules: ${[...path, m].join(' → ')}`);
    state.set(m, 'visiting');
    for (const d of graph.get(m) ?? []) visit(d, [...path, m]);
    state.set(m, 'done');
  };
  for (const m of graph.keys()) visit(m, []);
}
