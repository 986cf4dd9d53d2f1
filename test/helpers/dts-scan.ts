// A small reader of the declaration files tsc emits (dist/src/**/*.d.ts), for
// the public-surface test (test/unit/public-exports.test.ts). TypeScript 7's
// tsc is a native program with no JavaScript compiler API, so this reads the
// emitted text: top-level statements only (tsc prints one per line group,
// at column 0), imports and re-exports resolved to the declaration they name,
// and the identifiers a declaration's text mentions. What it does not do: no
// type inference (it needs none: a .d.ts spells every type out), no default
// exports, no `declare global`. A type tsc spells as `import("./x.js").Name`
// (where it inferred a type from another module) is read as an import of Name.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** A top-level declaration: its module (a .d.ts path) and name there. */
export interface DeclRef { file: string; name: string }

interface Module {
  file: string;
  /** Declarations made here: name → statement text. */
  decls: Map<string, string>;
  /** Local names bound by imports: name → (module, imported name, or '*' for `import * as`). */
  imports: Map<string, { from: string; name: string }>;
  /** What the module exports: exported name → (module, name there); '*' re-exports apart. */
  exports: Map<string, { from: string; name: string }[]>;
  star: string[];
}

const key = (r: DeclRef): string => `${r.file}#${r.name}`;

/** Comments and string contents out (they may hold braces or slashes), lengths kept. */
function strip(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => m[0] + ' '.repeat(m.length - 2) + m[0])
    .replace(/\/\/[^\n]*/g, '');
}

/** Top-level statements: a statement ends at a `;` or `}` with every bracket closed. */
function statements(code: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    // A `}` ends a class, interface, enum or namespace, but not `export { a } from`, nor a type literal mid-type (`A extends { x: 1 } ? B : C` too).
    if (depth === 0 && (c === ';' || (c === '}' && !/^\s*(from\b|[;|&[),>=.?:])/.test(code.slice(i + 1, i + 40))))) {
      const raw = code.slice(start, i + 1);
      if (raw.trim()) out.push({ text: raw.trim(), at: start + raw.length - raw.trimStart().length });
      start = i + 1;
    }
  }
  const rest = code.slice(start);
  if (rest.trim()) out.push({ text: rest.trim(), at: start + rest.length - rest.trimStart().length });
  return out;
}

export class DtsProgram {
  private readonly modules = new Map<string, Module>();

  constructor(readonly root: string) {}

  private specifierPath(from: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined; // a package's (node:, ffi-rs): not ours
    const p = resolve(dirname(from), spec.replace(/\.js$/, '.d.ts'));
    if (existsSync(p)) return p;
    const idx = resolve(dirname(from), spec, 'index.d.ts');
    return existsSync(idx) ? idx : undefined;
  }

  module(file: string): Module {
    const known = this.modules.get(file);
    if (known) return known;
    // `import("./x.js").Name` becomes a local name bound to Name of that module (a package's: bound to nothing).
    const inline: [local: string, from: string, name: string][] = [];
    const source = readFileSync(file, 'utf8').replace(/import\("([^"]+)"\)\.([A-Za-z_$][\w$]*)/g, (_, spec: string, name: string) => {
      const local = `__import${inline.length}_${name}`;
      const target = this.specifierPath(file, spec);
      if (target) inline.push([local, target, name]);
      return target ? local : `__external_${name}`;
    });
    const code = strip(source);
    const m: Module = { file, decls: new Map(), imports: new Map(), exports: new Map(), star: [] };
    this.modules.set(file, m);
    for (const [local, from, name] of inline) m.imports.set(local, { from, name });
    const addExport = (as: string, from: string, name: string): void => {
      const list = m.exports.get(as) ?? [];
      list.push({ from, name });
      m.exports.set(as, list);
    };
    for (const { text: stmt, at } of statements(code)) {
      // The specifier, read from the original text at the same offset (strip blanked it).
      const specOf = (s: string): string | undefined => /from\s+['"]([^'"]+)['"]/.exec(source.slice(at, at + s.length))?.[1];
      let r: RegExpExecArray | null;
      if ((r = /^import\s+(type\s+)?\{([^}]*)\}\s*from/.exec(stmt))) {
        const target = this.specifierPath(file, specOf(stmt) ?? '');
        if (!target) continue;
        for (const part of r[2]!.split(',').map((p) => p.trim().replace(/^type\s+/, '')).filter(Boolean)) {
          const [name, as] = part.split(/\s+as\s+/);
          m.imports.set((as ?? name)!, { from: target, name: name! });
        }
      } else if ((r = /^import\s+(?:type\s+)?\*\s+as\s+(\w+)\s+from/.exec(stmt))) {
        const target = this.specifierPath(file, specOf(stmt) ?? '');
        if (target) m.imports.set(r[1]!, { from: target, name: '*' });
      } else if ((r = /^export\s+(?:type\s+)?\{([^}]*)\}(\s*from)?/.exec(stmt))) {
        const target = r[2] ? this.specifierPath(file, specOf(stmt) ?? '') : file;
        if (!target) continue;
        for (const part of r[1]!.split(',').map((p) => p.trim().replace(/^type\s+/, '')).filter(Boolean)) {
          const [name, as] = part.split(/\s+as\s+/);
          addExport((as ?? name)!, target, name!);
        }
      } else if ((r = /^export\s+\*\s+as\s+(\w+)\s+from/.exec(stmt))) {
        const target = this.specifierPath(file, specOf(stmt) ?? '');
        if (target) addExport(r[1]!, target, '*');
      } else if (/^export\s+\*\s+from/.test(stmt)) {
        const target = this.specifierPath(file, specOf(stmt) ?? '');
        if (target) m.star.push(target);
      } else if ((r = /^(export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:const\s+enum|enum|class|interface|type|function|const|let|var|namespace)\s+([A-Za-z_$][\w$]*)/.exec(stmt))) {
        const name = r[2]!;
        // Overloads and declaration merging: one name, the texts joined.
        m.decls.set(name, (m.decls.get(name) ? `${m.decls.get(name)}\n` : '') + stmt);
        if (r[1]) addExport(name, file, name);
      }
    }
    return m;
  }

  /** What a module exports, `export *` followed: exported name → every declaration that name could mean. */
  exportsOf(file: string, seen = new Set<string>()): Map<string, DeclRef[]> {
    const out = new Map<string, DeclRef[]>();
    if (seen.has(file)) return out;
    seen.add(file);
    const m = this.module(file);
    const add = (as: string, refs: DeclRef[]): void => {
      const list = out.get(as) ?? [];
      for (const r of refs) if (!list.some((x) => key(x) === key(r))) list.push(r);
      out.set(as, list);
    };
    for (const [as, targets] of m.exports) for (const t of targets) add(as, [this.resolve(t.from, t.name)]);
    for (const s of m.star) for (const [as, refs] of this.exportsOf(s, seen)) if (!m.exports.has(as)) add(as, refs);
    return out;
  }

  /** The declaration a name of a module's export list means ('*': the module itself). */
  resolve(file: string, name: string): DeclRef {
    if (name === '*') return { file, name: '*' };
    const m = this.module(file);
    if (m.decls.has(name)) return { file, name };
    const imp = m.imports.get(name);
    if (imp) return this.resolve(imp.from, imp.name);
    const exp = m.exports.get(name)?.[0];
    if (exp && !(exp.from === file && exp.name === name)) return this.resolve(exp.from, exp.name);
    for (const s of m.star) if (this.exportsOf(s).has(name)) return this.exportsOf(s).get(name)![0]!;
    return { file, name };
  }

  /** The text of a declaration, private class members left out. */
  text(ref: DeclRef): string | undefined {
    const t = this.module(ref.file).decls.get(ref.name);
    return t?.replace(/^\s*(private|#private)\b[^;\n]*;?$/gm, '');
  }

  /**
   * The declarations a declaration's text names: identifiers bound at the
   * top level of its module (a declaration or an import), leaving out
   * property and method names (an identifier followed by `:`, `?:` or `(`
   * or after a `.` that does not follow a namespace import).
   */
  references(ref: DeclRef): DeclRef[] {
    const m = this.module(ref.file);
    const text = this.text(ref);
    if (text === undefined) return [];
    const out = new Map<string, DeclRef>();
    // The statement's own head (`export declare class X`) is not a reference to X.
    for (const hit of text.matchAll(/(\.\s*)?\b([A-Za-z_$][\w$]*)(\s*\.\s*([A-Za-z_$][\w$]*))?(\s*\??\s*[:(])?/g)) {
      const [, dot, name, , member, after] = hit;
      if (dot || name === ref.name) continue;
      const imp = m.imports.get(name!);
      if (imp?.name === '*' && member) {
        const r = this.resolve(imp.from, member);
        out.set(key(r), r);
        continue;
      }
      // A property, a parameter or a method name; but `? X :` is a conditional type's branch.
      if (after && !member && !/\?\s*$/.test(text.slice(Math.max(0, hit.index - 8), hit.index))) continue;
      if (!m.decls.has(name!) && !imp) continue;
      const r = m.decls.has(name!) ? { file: ref.file, name: name! } : this.resolve(imp!.from, imp!.name);
      out.set(key(r), r);
    }
    return [...out.values()];
  }

  label(ref: DeclRef): string {
    return `${ref.name} (${relative(this.root, ref.file)})`;
  }
}

