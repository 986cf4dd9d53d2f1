// Macro expansion (C11 6.10.3): object-like and function-like macros,
// `#` stringizing, `##` pasting (with GNU's `, ## __VA_ARGS__`), named
// variadic parameters (`MEMBERS...`, used by the kernel's __struct_group),
// and rescanning. Hide sets on tokens (Prosser's algorithm) stop recursion,
// so self-aliases like glibc's `#define SOCK_RAW SOCK_RAW` end as the
// identifier, which the evaluator then finds among the enum constants.
import { lex, type Token } from './lexer.js';

export interface Macro {
  readonly name: string;
  /** Parameter names; null for an object-like macro. */
  readonly params: readonly string[] | null;
  /** The last parameter collects the variable arguments (`...` or `NAME...`). */
  readonly variadic: boolean;
  readonly body: readonly Token[];
  readonly file: string;
  readonly line: number;
}

export class MacroError extends Error {
  constructor(message: string, readonly file: string, readonly line: number) {
    super(`${file}:${line}: ${message}`);
  }
}

export type MacroTable = ReadonlyMap<string, Macro>;

function withHide(t: Token, hide: ReadonlySet<string>, site: Token, first: boolean): Token {
  const merged = new Set(hide);
  for (const h of t.hide ?? []) merged.add(h);
  return { ...t, file: site.file, line: site.line, bol: first ? site.bol : false, space: first ? site.space : t.space, hide: merged };
}

function stringize(arg: readonly Token[], site: Token): Token {
  let s = '';
  arg.forEach((t, k) => {
    if (k > 0 && t.space) s += ' ';
    s += t.kind === 'string' || t.kind === 'char' ? t.text.replace(/[\\"]/g, (m) => `\\${m}`) : t.text;
  });
  return { kind: 'string', text: `"${s}"`, file: site.file, line: site.line, bol: false, space: false };
}

function paste(a: Token, b: Token): Token[] {
  const joined = lex(a.text + b.text, a.file);
  return joined.map((t, k) => ({ ...t, file: a.file, line: a.line, bol: false, space: k === 0 ? a.space : t.space, hide: a.hide }));
}

/** Splits the tokens between a call's parentheses into arguments. */
function collectArgs(pending: Token[], m: Macro, site: Token): { args: Token[][]; rparen: Token } {
  const args: Token[][] = [[]];
  let depth = 0;
  for (;;) {
    const t = pending.pop();
    if (t === undefined) throw new MacroError(`unterminated call of macro ${m.name}`, site.file, site.line);
    if (t.kind === 'punct') {
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        if (depth === 0) return { args, rparen: t };
        depth--;
      } else if (t.text === ',' && depth === 0) {
        const params = m.params ?? [];
        // The variadic parameter keeps its commas.
        if (!(m.variadic && args.length >= params.length)) {
          args.push([]);
          continue;
        }
      }
    }
    args[args.length - 1]!.push(t);
  }
}

export class Expander {
  constructor(private readonly macros: MacroTable) {}

  /** Fully expands a token list. */
  expand(input: readonly Token[]): Token[] {
    // `pending` is a stack: its top is the next token to read.
    const pending = [...input].reverse();
    const out: Token[] = [];
    while (pending.length > 0) {
      const t = pending.pop()!;
      const m = t.kind === 'ident' ? this.macros.get(t.text) : undefined;
      if (m === undefined || t.hide?.has(t.text)) {
        out.push(t);
        continue;
      }
      if (m.params === null) {
        const hide = new Set(t.hide ?? []).add(m.name);
        pending.push(...this.substitute(m, [], hide, t).reverse());
        continue;
      }
      const next = pending[pending.length - 1];
      if (next === undefined || next.kind !== 'punct' || next.text !== '(') {
        out.push(t);
        continue;
      }
      pending.pop();
      const { args, rparen } = collectArgs(pending, m, t);
      const params = m.params;
      if (params.length === 0 && args.length === 1 && args[0]!.length === 0) args.pop();
      if (m.variadic && args.length === params.length - 1) args.push([]);
      if (args.length !== params.length) {
        throw new MacroError(`macro ${m.name} takes ${params.length} arguments, got ${args.length}`, t.file, t.line);
      }
      // Names hidden at both ends of the call stay hidden (Prosser).
      const hide = new Set<string>([m.name]);
      for (const h of t.hide ?? []) if (rparen.hide?.has(h)) hide.add(h);
      pending.push(...this.substitute(m, args, hide, t).reverse());
    }
    return out;
  }

  private substitute(m: Macro, args: readonly Token[][], hide: ReadonlySet<string>, site: Token): Token[] {
    const params = m.params ?? [];
    const body = m.body;
    const paramIndex = (t: Token | undefined): number => (t?.kind === 'ident' ? params.indexOf(t.text) : -1);
    // Phase 1: parameters become their arguments (raw next to `#`/`##`,
    // fully expanded elsewhere); `##` stays as a marker.
    type Item = { tokens: Token[]; fromVariadic: boolean } | 'paste';
    const items: Item[] = [];
    const expandedArgs = new Map<number, Token[]>();
    for (let i = 0; i < body.length; i++) {
      const b = body[i]!;
      if (m.params !== null && b.kind === 'punct' && b.text === '#' && paramIndex(body[i + 1]) >= 0) {
        items.push({ tokens: [stringize(args[paramIndex(body[i + 1])]!, site)], fromVariadic: false });
        i++;
        continue;
      }
      if (b.kind === 'punct' && b.text === '##' && i > 0 && i < body.length - 1) {
        items.push('paste');
        continue;
      }
      const p = paramIndex(b);
      if (p >= 0) {
        const adjacent = body[i - 1]?.text === '##' || body[i + 1]?.text === '##';
        let tokens: Token[];
        if (adjacent) tokens = args[p]!;
        else {
          if (!expandedArgs.has(p)) expandedArgs.set(p, this.expand(args[p]!));
          tokens = expandedArgs.get(p)!;
        }
        items.push({ tokens: [...tokens], fromVariadic: m.variadic && p === params.length - 1 });
        continue;
      }
      items.push({ tokens: [b], fromVariadic: false });
    }
    // Phase 2: perform the pastes, treating an empty argument as a placemarker.
    const out: Token[] = [];
    let previousEmpty = false;
    for (let k = 0; k < items.length; k++) {
      const item = items[k]!;
      if (item === 'paste') continue;
      if (k > 0 && items[k - 1] === 'paste' && !previousEmpty) {
        const lhs = out[out.length - 1];
        if (item.tokens.length === 0) {
          // GNU: `, ## __VA_ARGS__` with no variable arguments drops the comma.
          if (item.fromVariadic && lhs?.text === ',') out.pop();
        } else if (lhs !== undefined && !(item.fromVariadic && lhs.text === ',')) {
          out.pop();
          out.push(...paste(lhs, item.tokens[0]!), ...item.tokens.slice(1));
        } else {
          out.push(...item.tokens);
        }
      } else {
        out.push(...item.tokens);
      }
      previousEmpty = item.tokens.length === 0;
    }
    return out.map((t, k) => withHide(t, hide, site, k === 0));
  }
}
