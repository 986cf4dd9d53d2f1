// Declarations, read from the preprocessed token stream: typedefs, struct and
// union definitions (laid out as soon as they are complete, because a later
// sizeof or array bound may need them), and enums with their values.
// Everything else a header may hold — function prototypes, inline function
// bodies, variables — is parsed just enough to be skipped.
import { singleLiteral, type Token } from './lexer.js';
import { evaluate, EvalError, fits, INT, LONG, UINT, ULONG, type CValue, type EvalEnv } from './evaluate.js';
import {
  CHAR, typeInfo, TypeError as CTypeError,
  type Attributes, type CType, type EnumDef, type EnumMember, type Member, type RecordDef,
} from './ctypes.js';
import { layOut, LayoutError } from './layout.js';

export class ParseError extends Error {
  constructor(message: string, readonly file: string, readonly line: number) {
    super(`${file}:${line}: ${message}`);
  }
}

/** File-scope names: C gives struct tags, typedefs and enum constants one scope each. */
export class Scope {
  readonly tags = new Map<string, RecordDef | EnumDef>();
  readonly typedefs = new Map<string, CType>();
  readonly constants = new Map<string, EnumMember>();
  /** Complete records in the order their definitions closed. */
  readonly records: RecordDef[] = [];
  readonly enumMembers: EnumMember[] = [];
  /** Declarations that could not be parsed and were skipped. */
  readonly skipped: { file: string; line: number; reason: string }[] = [];
}

const STORAGE = new Set(['typedef', 'extern', 'static', 'auto', 'register', '_Thread_local', '__thread']);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__', '__const', '__const__',
  '__volatile', '__volatile__', '_Atomic', 'inline', '__inline', '__inline__', '_Noreturn', '__extension__']);
const BASIC = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool',
  '__signed__', '__signed', '__int128', '_Complex', '__unsigned__']);

interface Specifiers {
  type: CType;
  storage?: string;
  attrs: Attributes;
}

function basicType(words: string[], at: Token): CType {
  const count = (w: string): number => words.filter((x) => x === w).length;
  const signed = count('signed') + count('__signed__') + count('__signed') > 0;
  const unsigned = count('unsigned') + count('__unsigned__') > 0;
  const longs = count('long');
  const fail = (): never => {
    throw new ParseError(`unsupported type '${words.join(' ')}'`, at.file, at.line);
  };
  if (signed && unsigned) fail();
  if (count('_Complex') > 0) fail();
  if (count('void') > 0) return words.length === 1 ? { kind: 'void' } : fail();
  if (count('_Bool') > 0) return { kind: 'int', bits: 8, unsigned: true, bool: true };
  if (count('float') > 0) return { kind: 'float', size: 4 };
  if (count('double') > 0) return { kind: 'float', size: longs > 0 ? 16 : 8 };
  if (count('__int128') > 0) return { kind: 'int128', unsigned };
  if (count('char') > 0) {
    if (signed) return { kind: 'int', bits: 8, unsigned: false };
    if (unsigned) return { kind: 'int', bits: 8, unsigned: true };
    return CHAR; // plain char: signed on x86_64, but its own type
  }
  if (count('short') > 0) return { kind: 'int', bits: 16, unsigned };
  if (longs > 0) return { kind: 'int', bits: 64, unsigned };
  return { kind: 'int', bits: 32, unsigned };
}

function attrName(t: Token): string {
  return t.text.replace(/^__(.*)__$/, '$1');
}

export class DeclParser {
  private i: number;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly scope: Scope,
    start = 0,
    /** Only the parser of the whole translation unit records positions. */
    private readonly global = true,
  ) {
    this.i = start;
  }

  get index(): number {
    return this.i;
  }

  /** Parses the whole token stream as a translation unit. */
  parseTranslationUnit(): void {
    while (this.i < this.tokens.length) {
      const start = this.i;
      try {
        this.externalDeclaration();
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.scope.skipped.push({ file: e.file, line: e.line, reason: e.message });
        this.i = start;
        this.skipDeclaration();
      }
    }
  }

  /** Parses a type name (for casts and sizeof) starting at the current index; undefined if none starts here. */
  typeName(): CType | undefined {
    if (!this.startsType()) return undefined;
    const spec = this.specifiers();
    const d = this.declarator(spec.type, true);
    return d.type;
  }

  // ---- token helpers

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.text === text && (t.kind === 'punct' || t.kind === 'ident');
  }

  private here(): Token {
    return this.peek() ?? this.tokens[this.tokens.length - 1] ?? { kind: 'punct', text: '', file: '<end>', line: 0, bol: false, space: false };
  }

  private error(message: string): never {
    const t = this.here();
    throw new ParseError(message, t.file, t.line);
  }

  private expect(text: string): Token {
    if (!this.is(text)) this.error(`expected '${text}' but found '${this.peek()?.text ?? 'end of input'}'`);
    return this.tokens[this.i++]!;
  }

  /** Index just past the bracket that closes the one at the current index. */
  private matching(): number {
    const open = this.peek()!.text;
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    let depth = 0;
    for (let j = this.i; j < this.tokens.length; j++) {
      const t = this.tokens[j]!;
      if (t.kind !== 'punct') continue;
      if (t.text === open) depth++;
      else if (t.text === close && --depth === 0) return j + 1;
    }
    return this.error(`unbalanced '${open}'`);
  }

  private skipBalanced(): void {
    this.i = this.matching();
  }

  /** Recovery: skip to the end of the declaration (a `;` or a brace body at depth 0). */
  private skipDeclaration(): void {
    while (this.i < this.tokens.length) {
      const t = this.peek()!;
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) this.skipBalanced();
      else if (t.kind === 'punct' && t.text === '{') {
        this.skipBalanced();
        if (this.is(';')) this.i++;
        return;
      } else {
        this.i++;
        if (t.kind === 'punct' && t.text === ';') return;
      }
    }
  }

  private evalEnv(): EvalEnv {
    return constantEnv(this.scope);
  }

  /** Evaluates tokens [from, to) as an integer constant expression. */
  private constant(from: number, to: number): CValue {
    const expr = this.tokens.slice(from, to);
    try {
      const v = evaluate(expr, this.evalEnv());
      if (v.pointer) throw new EvalError('not an integer');
      return v;
    } catch (e) {
      if (e instanceof EvalError) {
        const t = this.tokens[from] ?? this.here();
        throw new ParseError(`constant expression '${expr.map((x) => x.text).join(' ')}': ${e.message}`, t.file, t.line);
      }
      throw e;
    }
  }

  /** Index of the first token at depth 0 (from the current one) whose text is in `stops`. */
  private findAtDepth0(stops: readonly string[]): number {
    let depth = 0;
    for (let j = this.i; j < this.tokens.length; j++) {
      const t = this.tokens[j]!;
      if (t.kind !== 'punct') continue;
      if (depth === 0 && stops.includes(t.text)) return j;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    }
    return this.error(`expected one of ${stops.join(' ')}`);
  }

  // ---- attributes

  private attributes(into: Attributes): void {
    for (;;) {
      const t = this.peek();
      if (t?.kind !== 'ident') return;
      if (t.text === '__asm__' || t.text === '__asm' || t.text === 'asm') {
        this.i++;
        if (this.is('(')) this.skipBalanced();
        continue;
      }
      if (t.text !== '__attribute__' && t.text !== '__attribute') return;
      this.i++;
      this.expect('(');
      this.expect('(');
      while (!this.is(')')) {
        const a = this.peek();
        if (a === undefined) this.error('unterminated __attribute__');
        if (a.text === ',') {
          this.i++;
          continue;
        }
        this.i++;
        const name = attrName(a);
        let argsFrom = -1;
        let argsTo = -1;
        if (this.is('(')) {
          argsFrom = this.i + 1;
          this.skipBalanced();
          argsTo = this.i - 1;
        }
        if (name === 'packed') into.packed = true;
        else if (name === 'aligned') into.aligned = argsFrom < 0 ? 16 : Number(this.constant(argsFrom, argsTo).value);
        else if (name === 'mode' || name === 'vector_size') this.error(`__attribute__((${name})) is not supported`);
        // Others (bitwise, deprecated, const, ...) do not change the layout.
      }
      this.expect(')');
      this.expect(')');
    }
  }

  // ---- specifiers

  private startsType(): boolean {
    const t = this.peek();
    if (t?.kind !== 'ident') return false;
    return BASIC.has(t.text) || QUALIFIERS.has(t.text) || t.text === 'struct' || t.text === 'union' || t.text === 'enum'
      || t.text === '__attribute__' || this.scope.typedefs.has(t.text);
  }

  private specifiers(): Specifiers {
    const attrs: Attributes = { packed: false };
    const words: string[] = [];
    let type: CType | undefined;
    let storage: string | undefined;
    const first = this.here();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.kind !== 'ident') break;
      if (STORAGE.has(t.text)) {
        storage = t.text;
        this.i++;
      } else if (QUALIFIERS.has(t.text)) {
        this.i++;
        if (t.text === '_Atomic' && this.is('(')) this.error('_Atomic(type) is not supported');
      } else if (t.text === '__attribute__' || t.text === '__attribute') {
        this.attributes(attrs);
      } else if (BASIC.has(t.text)) {
        if (type !== undefined) this.error(`'${t.text}' after a complete type`);
        words.push(t.text);
        this.i++;
      } else if (t.text === 'struct' || t.text === 'union') {
        if (type !== undefined || words.length > 0) this.error(`'${t.text}' after a type`);
        type = this.recordSpecifier();
      } else if (t.text === 'enum') {
        if (type !== undefined || words.length > 0) this.error("'enum' after a type");
        type = this.enumSpecifier();
      } else if (t.text === 'typeof' || t.text === '__typeof__' || t.text === '__typeof') {
        this.error(`${t.text} is not supported`);
      } else if (type === undefined && words.length === 0 && this.scope.typedefs.has(t.text)) {
        type = this.scope.typedefs.get(t.text)!;
        this.i++;
      } else {
        break; // the declarator's name
      }
    }
    if (type === undefined) {
      if (words.length === 0) {
        const t = this.peek();
        throw new ParseError(`expected a type, found '${t?.text ?? 'end of input'}'`, (t ?? first).file, (t ?? first).line);
      }
      type = basicType(words, first);
    }
    return { type, storage, attrs };
  }

  private recordSpecifier(): CType {
    const keyword = this.tokens[this.i++]!;
    const kind = keyword.text as 'struct' | 'union';
    const attrs: Attributes = { packed: false };
    this.attributes(attrs);
    let tag: string | undefined;
    if (this.peek()?.kind === 'ident') tag = this.tokens[this.i++]!.text;
    this.attributes(attrs);
    if (!this.is('{')) {
      if (tag === undefined) this.error(`${kind} without a tag or a body`);
      const known = this.scope.tags.get(tag);
      if (known !== undefined) {
        if (!('kind' in known) || known.kind !== kind) this.error(`'${tag}' is not a ${kind}`);
        return { kind: 'record', rec: known };
      }
      // A forward declaration, completed later (or never: then only pointers to it work).
      const rec: RecordDef = { kind, tag, file: keyword.file, line: keyword.line, attrs };
      this.scope.tags.set(tag, rec);
      return { kind: 'record', rec };
    }
    let rec: RecordDef;
    const known = tag === undefined ? undefined : this.scope.tags.get(tag);
    if (known !== undefined) {
      if (!('kind' in known) || known.kind !== kind) this.error(`'${tag}' is not a ${kind}`);
      if (known.members !== undefined) this.error(`redefinition of ${kind} ${tag}`);
      rec = known;
      rec.file = keyword.file;
      rec.line = keyword.line;
      rec.attrs = attrs;
    } else {
      rec = { kind, tag, file: keyword.file, line: keyword.line, attrs };
      if (tag !== undefined) this.scope.tags.set(tag, rec);
    }
    this.expect('{');
    const members: Member[] = [];
    while (!this.is('}')) {
      if (this.peek() === undefined) this.error(`unterminated ${kind}`);
      this.memberDeclaration(members);
    }
    const close = this.i;
    this.i++;
    this.attributes(rec.attrs);
    rec.members = members;
    try {
      rec.layout = layOut(rec);
    } catch (e) {
      if (!(e instanceof LayoutError || e instanceof CTypeError)) throw e;
      rec.problem = e.message;
    }
    if (this.global) rec.doneAt = close;
    this.scope.records.push(rec);
    return { kind: 'record', rec };
  }

  private memberDeclaration(members: Member[]): void {
    if (this.is(';')) {
      this.i++;
      return;
    }
    if (this.is('_Static_assert') || this.is('static_assert')) {
      this.i = this.findAtDepth0([';']) + 1;
      return;
    }
    const first = this.here();
    const spec = this.specifiers();
    if (this.is(';')) {
      this.i++;
      const t = spec.type;
      // An untagged struct/union with no name: its members belong to the parent.
      if (t.kind === 'record' && t.rec.tag === undefined) {
        members.push({ type: spec.type, attrs: spec.attrs, file: first.file, line: first.line });
      }
      return;
    }
    for (;;) {
      const at = this.here();
      const attrs: Attributes = { ...spec.attrs };
      let name: string | undefined;
      let type = spec.type;
      if (!this.is(':')) {
        const d = this.declarator(spec.type, false);
        name = d.name;
        type = d.type;
        Object.assign(attrs, mergeAttrs(attrs, d.attrs));
      }
      let bitWidth: number | undefined;
      if (this.is(':')) {
        this.i++;
        const end = this.findAtDepth0([',', ';']);
        bitWidth = Number(this.constant(this.i, end).value);
        this.i = end;
        this.attributes(attrs);
      }
      // An unnamed bitfield is padding the layout must see.
      members.push({ name, type, bitWidth, attrs, file: at.file, line: at.line });
      if (this.is(',')) {
        this.i++;
        continue;
      }
      this.expect(';');
      return;
    }
  }

  private enumSpecifier(): CType {
    const keyword = this.tokens[this.i++]!;
    const attrs: Attributes = { packed: false };
    this.attributes(attrs);
    let tag: string | undefined;
    if (this.peek()?.kind === 'ident') tag = this.tokens[this.i++]!.text;
    this.attributes(attrs);
    const known = tag === undefined ? undefined : this.scope.tags.get(tag);
    if (known !== undefined && 'kind' in known) this.error(`'${tag}' is not an enum`);
    let def = known as EnumDef | undefined;
    if (def === undefined) {
      def = { tag, int: UINT };
      if (tag !== undefined) this.scope.tags.set(tag, def);
    }
    if (!this.is('{')) return { kind: 'enum', def };
    if (def.members !== undefined) this.error(`redefinition of enum ${tag}`);
    this.i++;
    const members: EnumMember[] = [];
    let previous: CValue | undefined;
    while (!this.is('}')) {
      const nameToken = this.peek();
      if (nameToken?.kind !== 'ident') this.error(`expected an enumerator name, found '${nameToken?.text ?? 'end of input'}'`);
      const at = this.i;
      this.i++;
      this.attributes({ packed: false });
      let value: CValue;
      let init: string | undefined;
      let literal: string | undefined;
      if (this.is('=')) {
        this.i++;
        const end = this.findAtDepth0([',', '}']);
        value = this.constant(this.i, end);
        const expr = this.tokens.slice(this.i, end);
        init = expr.map((x, k) => (k > 0 && x.space ? ' ' : '') + x.text).join('');
        literal = singleLiteral(expr);
        this.i = end;
      } else if (previous === undefined) {
        value = { value: 0n, type: INT };
      } else {
        const next = previous.value + 1n;
        value = { value: next, type: fits(next, INT) ? INT : fits(next, previous.type) ? previous.type : LONG };
      }
      // An enumeration constant has type int when its value fits (C11 6.7.2.2p3; wider is a gcc extension).
      if (fits(value.value, INT)) value = { value: value.value, type: INT };
      const member: EnumMember = { name: nameToken.text, value, file: nameToken.file, line: nameToken.line, at: this.global ? at : -1, init, literal };
      const clash = this.scope.constants.get(member.name);
      if (clash !== undefined) this.error(`enumerator ${member.name} redefined (first at ${clash.file}:${clash.line})`);
      this.scope.constants.set(member.name, member);
      this.scope.enumMembers.push(member);
      members.push(member);
      previous = value;
      if (this.is(',')) this.i++;
      else if (!this.is('}')) this.error(`expected ',' or '}' in enum, found '${this.peek()?.text ?? 'end of input'}'`);
    }
    this.i++;
    this.attributes(attrs);
    if (attrs.packed) {
      throw new ParseError('packed enums are not supported', keyword.file, keyword.line);
    }
    def.members = members;
    // gcc: unsigned int if no value is negative, int if all fit; wider otherwise.
    const values = members.map((m) => m.value.value);
    const negative = values.some((v) => v < 0n);
    const candidates = negative ? [INT, LONG] : [UINT, ULONG];
    def.int = candidates.find((t) => values.every((v) => fits(v, t))) ?? (negative ? LONG : ULONG);
    return { kind: 'enum', def };
  }

  // ---- declarators

  private declarator(base: CType, abstract: boolean): { name?: string; type: CType; attrs: Attributes } {
    const attrs: Attributes = { packed: false };
    const d = this.declaratorParts(attrs, abstract);
    if (d.name === undefined && !abstract) this.error('declaration without a name');
    this.attributes(attrs);
    return { name: d.name, type: d.wrap(base), attrs };
  }

  private declaratorParts(attrs: Attributes, abstract: boolean): { name?: string; wrap: (t: CType) => CType } {
    let pointers = 0;
    for (;;) {
      if (this.is('*')) {
        pointers++;
        this.i++;
      } else if (this.peek()?.kind === 'ident' && QUALIFIERS.has(this.peek()!.text)) {
        this.i++;
      } else if (this.is('__attribute__') || this.is('__attribute')) {
        this.attributes(attrs);
      } else break;
    }
    let name: string | undefined;
    let inner: ((t: CType) => CType) | undefined;
    const t = this.peek();
    if (t?.kind === 'ident' && !(abstract && this.scope.typedefs.has(t.text))) {
      name = t.text;
      this.i++;
    } else if (this.is('(') && (this.is('*', 1) || this.is('(', 1) || this.is('__attribute__', 1) || this.is('^', 1)
      || (!abstract && this.peek(1)?.kind === 'ident'))) {
      this.i++;
      const nested = this.declaratorParts(attrs, abstract);
      this.expect(')');
      name = nested.name;
      inner = nested.wrap;
    }
    const suffixes: ({ array: number | null } | 'function')[] = [];
    for (;;) {
      if (this.is('[')) {
        const end = this.matching();
        const from = this.i + 1;
        const to = end - 1;
        // `[static N]` and qualifiers only occur in parameters, which are skipped.
        suffixes.push({ array: from === to ? null : Number(this.constant(from, to).value) });
        this.i = end;
      } else if (this.is('(')) {
        this.skipBalanced(); // parameters: not needed for layouts
        suffixes.push('function');
      } else break;
    }
    const wrap = (base: CType): CType => {
      let type = base;
      for (let p = 0; p < pointers; p++) type = { kind: 'pointer', to: type };
      for (let s = suffixes.length - 1; s >= 0; s--) {
        const suffix = suffixes[s]!;
        type = suffix === 'function' ? { kind: 'function' } : { kind: 'array', elem: type, count: suffix.array };
      }
      return inner === undefined ? type : inner(type);
    };
    return { name, wrap };
  }

  // ---- file scope

  private externalDeclaration(): void {
    if (this.is(';')) {
      this.i++;
      return;
    }
    if (this.is('_Static_assert') || this.is('static_assert')) {
      this.i = this.findAtDepth0([';']) + 1;
      return;
    }
    if (this.is('__asm__') || this.is('asm')) {
      this.i++;
      if (this.is('(')) this.skipBalanced();
      this.expect(';');
      return;
    }
    const spec = this.specifiers();
    if (this.is(';')) {
      this.i++;
      return;
    }
    for (;;) {
      const d = this.declarator(spec.type, false);
      if (this.is('{')) {
        this.skipBalanced(); // a function definition (static inline helpers)
        return;
      }
      if (this.is('=')) {
        this.i++;
        this.i = this.findAtDepth0([',', ';']);
      }
      if (spec.storage === 'typedef' && d.name !== undefined) this.defineTypedef(d.name, d.type, mergeAttrs(spec.attrs, d.attrs));
      if (this.is(',')) {
        this.i++;
        continue;
      }
      this.expect(';');
      return;
    }
  }

  private defineTypedef(name: string, type: CType, attrs: Attributes): void {
    const s = type.kind === 'record' ? type.rec : undefined;
    if (s !== undefined && s.tag === undefined && s.typedefName === undefined) s.typedefName = name;
    if (attrs.packed) this.error(`packed typedef ${name} is not supported`);
    this.scope.typedefs.set(name, { kind: 'typedef', name, target: type, align: attrs.aligned });
  }
}

function mergeAttrs(a: Attributes, b: Attributes): Attributes {
  const aligned = a.aligned === undefined ? b.aligned : b.aligned === undefined ? a.aligned : Math.max(a.aligned, b.aligned);
  return { packed: a.packed || b.packed, aligned };
}

/**
 * How identifiers and type names read in a constant expression: enum
 * constants by value, typedefs and tags through a type-name parser, so that
 * `sizeof(struct nlmsghdr)` and `(__u32)~0` work.
 */
export function constantEnv(scope: Scope): EvalEnv {
  return {
    preprocessor: false,
    identifier: (name) => scope.constants.get(name)?.value,
    typeName: (tokens, i) => {
      const p = new DeclParser(tokens, scope, i, false);
      try {
        const t = p.typeName();
        if (t === undefined) return undefined;
        return { type: typeInfo(t), next: p.index };
      } catch (e) {
        if (e instanceof CTypeError || e instanceof ParseError) throw new EvalError(e.message);
        throw e;
      }
    },
  };
}

/** Parses a preprocessed translation unit. */
export function parseDeclarations(tokens: readonly Token[], scope = new Scope()): Scope {
  new DeclParser(tokens, scope).parseTranslationUnit();
  return scope;
}
