// Finds the type assertions (`expr as T`) and `any` types in TypeScript
// source, for the cast budget (test/unit/casts.test.ts). TypeScript 7's tsc
// is a native program with no JavaScript compiler API, so this is a small
// lexer: comments, string contents, template text and regular expressions
// are skipped (template `${...}` code is read), and an `as` counts when it
// follows the end of an expression and is not an import/export rename
// (`import { a as b }`, `import * as m`, `export * as m`) or `as const`.

/** One finding: its 1-based line and what follows `as` (or `any`). */
export interface CastHit {
  line: number;
  /** The first token of the asserted type (`never`, `Foo`...); `any` for an `any` type. */
  target: string;
  kind: 'as' | 'any';
}

interface Token { text: string; line: number; kind: 'word' | 'punct' | 'literal' }

// After these words a `/` starts a regular expression, not a division.
const regexAfterWord = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** The code tokens of a source text: words, punctuation, and one `literal` per string, template or number. */
export function tokens(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  // One entry per open `${`: the brace depth inside it, so its closing `}` returns to template text.
  const templates: number[] = [];
  const push = (text: string, kind: Token['kind']): void => { out.push({ text, line, kind }); };
  const regexAllowed = (): boolean => {
    const prev = out[out.length - 1];
    if (!prev) return true;
    if (prev.kind === 'literal') return false;
    if (prev.kind === 'word') return regexAfterWord.has(prev.text);
    return !(prev.text === ')' || prev.text === ']' || prev.text === '}');
  };
  /** Template text from i (just after a backtick or a `}` closing `${`): to the closing backtick or the next `${`. */
  const templateText = (): void => {
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') { i += 2; continue; }
      if (c === '\n') line++;
      if (c === '`') { i++; push('`', 'literal'); return; }
      if (c === '$' && src[i + 1] === '{') { i += 2; templates.push(0); push('${', 'punct'); return; }
      i++;
    }
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === '\'' || c === '"') {
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
      i++;
      push('str', 'literal');
      continue;
    }
    if (c === '`') { i++; templateText(); continue; }
    if (c === '/' && regexAllowed()) {
      let inClass = false;
      i++;
      while (i < src.length && src[i] !== '\n') {
        const r = src[i];
        if (r === '\\') { i += 2; continue; }
        if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < src.length && /[a-z]/.test(src[i]!)) i++;
      push('regex', 'literal');
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w$]/.test(src[j]!)) j++;
      push(src.slice(i, j), 'word');
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w.]/.test(src[j]!)) j++;
      push('num', 'literal');
      i = j;
      continue;
    }
    if (templates.length > 0) {
      if (c === '{') templates[templates.length - 1]!++;
      else if (c === '}') {
        if (templates[templates.length - 1] === 0) {
          templates.pop();
          i++;
          push('}', 'punct');
          templateText();
          continue;
        }
        templates[templates.length - 1]!--;
      }
    }
    // `?.` and `!.` stay apart from `.` (an `as` after `?.` is a property name either way).
    push(c, 'punct');
    i++;
  }
  return out;
}

/** Every `as` assertion and `any` type in a source text. */
export function scanCasts(src: string): CastHit[] {
  const toks = tokens(src);
  const hits: CastHit[] = [];
  // Brace depths at which an import/export list `{ ... }` is open: `as` there renames.
  let depth = 0;
  let renameDepth = -1;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    const prev = toks[k - 1];
    const next = toks[k + 1];
    if (t.text === '{') {
      if (prev && (prev.text === 'import' || prev.text === 'export' || (prev.text === 'type' && ['import', 'export'].includes(toks[k - 2]?.text ?? '')))) renameDepth = depth;
      depth++;
      continue;
    }
    if (t.text === '}') {
      depth--;
      if (depth === renameDepth) renameDepth = -1;
      continue;
    }
    if (t.kind !== 'word' || prev?.text === '.') continue;
    if (t.text === 'as') {
      if (renameDepth >= 0 || !prev || !next) continue;
      if (prev.text === '*') continue; // import * as m, export * as m
      const endsExpression = prev.kind === 'literal' || (prev.kind === 'word' && !regexAfterWord.has(prev.text)) || [')', ']', '}', '!'].includes(prev.text);
      if (!endsExpression) continue;
      if (next.text === 'const' || next.text === ':' || next.text === '(' || next.text === ',' || next.text === '=') continue;
      hits.push({ line: t.line, target: next.kind === 'literal' ? 'literal' : next.text, kind: 'as' });
    } else if (t.text === 'any') {
      // `p.any(...)` (skipped above), a member named any (`any(`, `any:`, `any?`) is not the type.
      if (next && (next.text === '(' || next.text === ':' || next.text === '?' || next.text === '=')) continue;
      if (prev && (prev.text === '{' || prev.text === ',') && next?.text !== '[') continue; // shorthand property
      hits.push({ line: t.line, target: 'any', kind: 'any' });
    }
  }
  return hits;
}
