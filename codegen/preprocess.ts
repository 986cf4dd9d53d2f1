// The preprocessor subset the uapi headers need: #include (through a policy
// that decides which headers to follow), object- and function-like #define,
// #undef, #if/#ifdef/#ifndef/#elif/#else/#endif with defined() and
// __has_include, #error. It returns the expanded token stream of the whole
// translation unit plus every macro definition with the file it came from,
// so the generator can export a header's own macros and not its includes'.
import { lex, spell, type Token } from './lexer.js';
import { Expander, type Macro } from './macros.js';
import { evaluate, EvalError } from './evaluate.js';

/** follow: read this file; skip: leave the include out on purpose; missing: a header that should exist does not. */
export type IncludeDecision = { readonly follow: string } | { readonly skip: string } | { readonly missing: string };

export interface PreprocessHost {
  /** Maps an #include to a file (path relative to the include root) or a reason to skip it. */
  resolveInclude(name: string, quoted: boolean, fromFile: string): IncludeDecision;
  readFile(path: string): string;
}

export interface MacroDefinition {
  readonly macro: Macro;
  /** Index in the output token stream where the definition happened: orders it among declarations. */
  readonly at: number;
}

export interface PreprocessResult {
  readonly tokens: readonly Token[];
  /** The macro table at the end of the translation unit. */
  readonly macros: ReadonlyMap<string, Macro>;
  /** Every #define processed, in order (later ones may redefine earlier ones). */
  readonly definitions: readonly MacroDefinition[];
  /** Include-guard macro of each file that has one. */
  readonly guards: ReadonlyMap<string, string>;
  /** Files read, in the order they were first entered. */
  readonly files: readonly string[];
  /** Includes that the policy skipped: `name (from file): reason`. */
  readonly skippedIncludes: readonly string[];
  readonly warnings: readonly string[];
}

export class PreprocessError extends Error {
  constructor(message: string, readonly file: string, readonly line: number) {
    super(`${file}:${line}: ${message}`);
  }
}

interface Conditional {
  /** This group's text is processed. */
  active: boolean;
  /** Some branch of this #if chain has been taken already. */
  taken: boolean;
  /** The enclosing group is active. */
  readonly parentActive: boolean;
  seenElse: boolean;
  readonly file: string;
  readonly line: number;
}

const MAX_INCLUDE_DEPTH = 64;

export class Preprocessor {
  private readonly macros = new Map<string, Macro>();
  private readonly expander = new Expander(this.macros);
  private readonly out: Token[] = [];
  private readonly definitions: MacroDefinition[] = [];
  private readonly guards = new Map<string, string>();
  private readonly files: string[] = [];
  private readonly entered = new Set<string>();
  private readonly skippedIncludes: string[] = [];
  private readonly warnings: string[] = [];
  private depth = 0;

  constructor(private readonly host: PreprocessHost) {}

  /** Processes C text (e.g. the compiler prelude) as if it were a file named `name`. */
  processText(text: string, name: string): void {
    this.runFile(name, text);
  }

  /** Includes a file from the top level, unless an earlier header already included it. */
  includeTopLevel(name: string): string {
    const decision = this.host.resolveInclude(name, false, '<top level>');
    if (!('follow' in decision)) {
      throw new PreprocessError(`cannot read ${name}: ${'skip' in decision ? decision.skip : decision.missing}`, '<top level>', 0);
    }
    if (!this.entered.has(decision.follow)) this.runFile(decision.follow, this.host.readFile(decision.follow));
    return decision.follow;
  }

  /** Whether a file was read, as itself or through an include. */
  hasEntered(path: string): boolean {
    return this.entered.has(path);
  }

  result(): PreprocessResult {
    return {
      tokens: this.out,
      macros: this.macros,
      definitions: this.definitions,
      guards: this.guards,
      files: this.files,
      skippedIncludes: this.skippedIncludes,
      warnings: this.warnings,
    };
  }

  private runFile(file: string, text: string): void {
    if (this.depth >= MAX_INCLUDE_DEPTH) throw new PreprocessError('#include nested too deeply', file, 1);
    if (!this.entered.has(file)) {
      this.entered.add(file);
      this.files.push(file);
    }
    const tokens = lex(text, file);
    this.detectGuard(file, tokens);
    const stack: Conditional[] = [];
    const active = (): boolean => stack.length === 0 || stack[stack.length - 1]!.active;
    this.depth++;
    let i = 0;
    while (i < tokens.length) {
      const t = tokens[i]!;
      let end = i + 1;
      if (t.bol && t.kind === 'punct' && t.text === '#') {
        while (end < tokens.length && !tokens[end]!.bol) end++;
        this.directive(tokens.slice(i + 1, end), t, stack, active());
        i = end;
        continue;
      }
      // Text up to the next directive: macro calls may span lines but not directives.
      while (end < tokens.length && !(tokens[end]!.bol && tokens[end]!.text === '#' && tokens[end]!.kind === 'punct')) end++;
      if (active()) {
        try {
          this.out.push(...this.expander.expand(tokens.slice(i, end)));
        } catch (e) {
          throw e instanceof Error && !(e instanceof PreprocessError) ? new PreprocessError(e.message, t.file, t.line) : e;
        }
      }
      i = end;
    }
    this.depth--;
    if (stack.length > 0) {
      const open = stack[stack.length - 1]!;
      throw new PreprocessError('#if without #endif', open.file, open.line);
    }
  }

  /** `#ifndef G` then `#define G` as the first two directives: G is an include guard, not a constant. */
  private detectGuard(file: string, tokens: readonly Token[]): void {
    const directives: Token[][] = [];
    for (let i = 0; i < tokens.length && directives.length < 2; i++) {
      const t = tokens[i]!;
      if (!t.bol) continue;
      if (t.kind !== 'punct' || t.text !== '#') return; // code before the guard
      let end = i + 1;
      while (end < tokens.length && !tokens[end]!.bol) end++;
      directives.push(tokens.slice(i + 1, end));
    }
    const [first, second] = directives;
    if (first === undefined || second === undefined) return;
    let name: string | undefined;
    if (first[0]?.text === 'ifndef' && first.length === 2) name = first[1]!.text;
    else if (first[0]?.text === 'if' && first[1]?.text === '!' && first[2]?.text === 'defined') {
      name = first.find((t, k) => k > 2 && t.kind === 'ident')?.text;
    }
    if (name !== undefined && second[0]?.text === 'define' && second[1]?.text === name) this.guards.set(file, name);
  }

  private directive(line: Token[], hash: Token, stack: Conditional[], active: boolean): void {
    const name = line[0];
    if (name === undefined) return; // the null directive
    const rest = line.slice(1);
    const top = stack[stack.length - 1];
    const fail = (message: string): never => {
      throw new PreprocessError(message, hash.file, hash.line);
    };
    switch (name.text) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        let taken = false;
        if (active) {
          if (name.text === 'if') taken = this.condition(rest, hash);
          else {
            if (rest[0]?.kind !== 'ident') fail(`#${name.text} needs a macro name`);
            taken = this.isDefined(rest[0]!.text) === (name.text === 'ifdef');
          }
        }
        stack.push({ active: active && taken, taken, parentActive: active, seenElse: false, file: hash.file, line: hash.line });
        return;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef': {
        if (top === undefined) return fail(`#${name.text} without #if`);
        if (top.seenElse) fail(`#${name.text} after #else`);
        if (!top.parentActive || top.taken) {
          top.active = false;
          return;
        }
        let taken: boolean;
        if (name.text === 'elif') taken = this.condition(rest, hash);
        else taken = this.isDefined(rest[0]?.text ?? '') === (name.text === 'elifdef');
        top.active = taken;
        top.taken = taken;
        return;
      }
      case 'else':
        if (top === undefined) return fail('#else without #if');
        if (top.seenElse) fail('#else after #else');
        top.seenElse = true;
        top.active = top.parentActive && !top.taken;
        top.taken = true;
        return;
      case 'endif':
        if (top === undefined) return fail('#endif without #if');
        stack.pop();
        return;
    }
    if (!active) return;
    switch (name.text) {
      case 'define':
        return this.define(rest, hash);
      case 'undef':
        if (rest[0]?.kind !== 'ident') fail('#undef needs a macro name');
        this.macros.delete(rest[0]!.text);
        return;
      case 'include':
      case 'include_next':
        return this.include(rest, hash);
      case 'error':
        return fail(`#error ${spell(rest)}`);
      case 'warning':
        this.warnings.push(`${hash.file}:${hash.line}: #warning ${spell(rest)}`);
        return;
      case 'pragma':
      case 'line':
      case 'ident':
        return;
      default:
        fail(`unknown directive #${name.text}`);
    }
  }

  private isDefined(name: string): boolean {
    // __has_include is an operator gcc reports as defined.
    return this.macros.has(name) || name === '__has_include' || name === '__has_include_next';
  }

  private headerName(tokens: readonly Token[], at: Token): { name: string; quoted: boolean; next: number } {
    const first = tokens[0];
    if (first?.kind === 'string') return { name: first.text.slice(1, -1), quoted: true, next: 1 };
    if (first?.text === '<') {
      const close = tokens.findIndex((t) => t.text === '>');
      if (close < 0) throw new PreprocessError('unterminated <header> name', at.file, at.line);
      return { name: tokens.slice(1, close).map((t) => t.text).join(''), quoted: false, next: close + 1 };
    }
    throw new PreprocessError(`expected a header name, found '${spell(tokens)}'`, at.file, at.line);
  }

  private condition(tokens: readonly Token[], at: Token): boolean {
    // defined and __has_include are operators on unexpanded names, so they are
    // resolved before macro expansion.
    const resolved: Token[] = [];
    const number = (v: boolean, t: Token): Token => ({ ...t, kind: 'number', text: v ? '1' : '0' });
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === 'ident' && t.text === 'defined') {
        const paren = tokens[i + 1]?.text === '(';
        const id = tokens[i + (paren ? 2 : 1)];
        if (id?.kind !== 'ident') throw new PreprocessError('defined needs a macro name', at.file, at.line);
        if (paren && tokens[i + 3]?.text !== ')') throw new PreprocessError('missing ) after defined(', at.file, at.line);
        resolved.push(number(this.isDefined(id.text), t));
        i += paren ? 3 : 1;
        continue;
      }
      if (t.kind === 'ident' && (t.text === '__has_include' || t.text === '__has_include_next')) {
        if (tokens[i + 1]?.text !== '(') throw new PreprocessError(`${t.text} needs (`, at.file, at.line);
        const inner = tokens.slice(i + 2);
        const { name, quoted, next } = this.headerName(inner, at);
        if (inner[next]?.text !== ')') throw new PreprocessError(`missing ) after ${t.text}(`, at.file, at.line);
        resolved.push(number('follow' in this.host.resolveInclude(name, quoted, at.file), t));
        i += 2 + next;
        continue;
      }
      resolved.push(t);
    }
    try {
      const expanded = this.expander.expand(resolved);
      return evaluate(expanded, { preprocessor: true }).value !== 0n;
    } catch (e) {
      if (e instanceof EvalError) throw new PreprocessError(`#if ${spell(tokens)}: ${e.message}`, at.file, at.line);
      throw e;
    }
  }

  private define(tokens: readonly Token[], at: Token): void {
    const name = tokens[0];
    if (name?.kind !== 'ident') throw new PreprocessError('#define needs a macro name', at.file, at.line);
    let params: string[] | null = null;
    let variadic = false;
    let bodyStart = 1;
    const open = tokens[1];
    // Function-like only when `(` touches the name.
    if (open !== undefined && open.text === '(' && open.kind === 'punct' && !open.space) {
      params = [];
      let i = 2;
      for (;;) {
        const t = tokens[i];
        if (t === undefined) throw new PreprocessError(`unterminated parameter list of ${name.text}`, at.file, at.line);
        if (t.text === ')') break;
        if (t.text === '...') {
          params.push('__VA_ARGS__');
          variadic = true;
        } else if (t.kind === 'ident') {
          params.push(t.text);
          if (tokens[i + 1]?.text === '...') {
            variadic = true; // GNU named variadic parameter
            i++;
          }
        } else if (t.text !== ',') {
          throw new PreprocessError(`bad parameter '${t.text}' in ${name.text}`, at.file, at.line);
        }
        i++;
      }
      bodyStart = i + 1;
    }
    const macro: Macro = { name: name.text, params, variadic, body: tokens.slice(bodyStart), file: at.file, line: at.line };
    this.macros.set(name.text, macro);
    this.definitions.push({ macro, at: this.out.length });
  }

  private include(tokens: readonly Token[], at: Token): void {
    let header: { name: string; quoted: boolean };
    if (tokens[0]?.kind === 'ident') header = this.headerName(this.expander.expand(tokens), at); // computed #include
    else header = this.headerName(tokens, at);
    const decision = this.host.resolveInclude(header.name, header.quoted, at.file);
    if ('missing' in decision) throw new PreprocessError(`#include: ${decision.missing}`, at.file, at.line);
    if ('skip' in decision) {
      this.skippedIncludes.push(`${header.name} (from ${at.file}): ${decision.skip}`);
      return;
    }
    this.runFile(decision.follow, this.host.readFile(decision.follow));
  }
}
