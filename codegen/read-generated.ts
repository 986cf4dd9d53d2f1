// Reads committed generated modules back: only the subset of TypeScript that
// emit.ts writes (imports, `export const NAME = literal;` and layout object
// literals), so the check needs neither a build nor a TypeScript parser.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CHOOSER_LINE } from './emit.js';

export interface CommittedField {
  readonly name: string;
  readonly offset: number;
  readonly type: string;
  readonly count?: number;
  /** The name of a referenced layout, or an in-place layout. */
  readonly struct?: string | CommittedLayout;
  readonly bits?: { readonly shift: number; readonly width: number };
}

export interface CommittedLayout {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly CommittedField[];
}

export interface CommittedModule {
  /** Path under the generated folder without `.ts`, e.g. `linux/if_link`. */
  readonly module: string;
  /** The header list from the banner. */
  readonly from: string;
  readonly constants: ReadonlyMap<string, bigint>;
  readonly structs: ReadonlyMap<string, CommittedLayout>;
}

export class ReadError extends Error {}

type Tok = { kind: 'ident' | 'number' | 'string' | 'punct'; text: string };
type Value = bigint | string | { ref: string } | Value[] | { [key: string]: Value };

function tokenize(text: string, file: string): Tok[] {
  const toks: Tok[] = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|(-?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)n?)|([A-Za-z_$][A-Za-z0-9_$]*)|'((?:[^'\\]|\\.)*)'|([{}[\]:,;=.<>*()|])/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    m = re.exec(text);
    if (m === null) throw new ReadError(`${file}: cannot read generated code at offset ${at}: ${JSON.stringify(text.slice(at, at + 20))}`);
    if (m[1] !== undefined) toks.push({ kind: 'number', text: m[1] });
    else if (m[2] !== undefined) toks.push({ kind: 'ident', text: m[2] });
    else if (m[3] !== undefined) toks.push({ kind: 'string', text: m[3].replace(/\\(.)/g, '$1') });
    else if (m[4] !== undefined) toks.push({ kind: 'punct', text: m[4] });
  }
  return toks;
}

function parseNumber(text: string): bigint {
  const t = text.endsWith('n') ? text.slice(0, -1) : text;
  return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
}

class Reader {
  private i = 0;
  constructor(private readonly toks: readonly Tok[], private readonly file: string) {}

  private fail(what: string): never {
    throw new ReadError(`${this.file}: ${what} at token ${this.i} ('${this.toks[this.i]?.text ?? 'end'}')`);
  }

  private next(): Tok {
    const t = this.toks[this.i++];
    if (t === undefined) this.fail('unexpected end');
    return t;
  }

  private expect(text: string): void {
    if (this.next().text !== text) {
      this.i--;
      this.fail(`expected '${text}'`);
    }
  }

  private value(): Value {
    const t = this.next();
    if (t.kind === 'number') return parseNumber(t.text);
    if (t.kind === 'string') return t.text;
    if (t.kind === 'ident') return { ref: t.text };
    if (t.text === '[') {
      const items: Value[] = [];
      while (this.toks[this.i]?.text !== ']') {
        items.push(this.value());
        if (this.toks[this.i]?.text === ',') this.i++;
      }
      this.i++;
      return items;
    }
    if (t.text === '{') {
      const obj: { [key: string]: Value } = {};
      while (this.toks[this.i]?.text !== '}') {
        const key = this.next();
        if (key.kind !== 'ident') this.fail('expected a property name');
        this.expect(':');
        obj[key.text] = this.value();
        if (this.toks[this.i]?.text === ',') this.i++;
      }
      this.i++;
      return obj;
    }
    return this.fail('expected a value');
  }

  /** Yields each `export const NAME = value` of the file. */
  *exports(): Generator<{ name: string; value: Value }> {
    while (this.i < this.toks.length) {
      const t = this.next();
      if (t.text === 'import') {
        while (this.next().text !== ';');
        continue;
      }
      if (t.text !== 'export') this.fail('expected import or export');
      this.expect('const');
      const name = this.next();
      if (name.kind !== 'ident') this.fail('expected a name');
      this.expect('=');
      const value = this.value();
      if (this.toks[this.i]?.text === 'as') {
        // `as const satisfies StructLayout`
        this.i++;
        this.expect('const');
        this.expect('satisfies');
        this.next();
      }
      this.expect(';');
      yield { name: name.text, value };
    }
  }
}

function asNumber(v: Value | undefined, what: string): number {
  if (typeof v !== 'bigint') throw new ReadError(`${what} is not a number`);
  return Number(v);
}

function asLayout(v: Value, what: string): CommittedLayout {
  if (typeof v !== 'object' || Array.isArray(v) || 'ref' in v) throw new ReadError(`${what} is not a layout`);
  const o = v as { [key: string]: Value };
  const fields = o.fields;
  if (!Array.isArray(fields)) throw new ReadError(`${what}.fields is not an array`);
  return {
    name: String(o.name),
    size: asNumber(o.size, `${what}.size`),
    align: asNumber(o.align, `${what}.align`),
    fields: fields.map((f, k) => {
      if (typeof f !== 'object' || Array.isArray(f) || 'ref' in f) throw new ReadError(`${what}.fields[${k}] is not an object`);
      const g = f as { [key: string]: Value };
      const s = g.struct;
      const bits = g.bits as { [key: string]: Value } | undefined;
      return {
        name: String(g.name),
        offset: asNumber(g.offset, `${what}.fields[${k}].offset`),
        type: String(g.type),
        ...(g.count !== undefined ? { count: asNumber(g.count, `${what}.fields[${k}].count`) } : {}),
        ...(s === undefined ? {} : { struct: typeof s === 'object' && 'ref' in s && typeof s.ref === 'string' ? s.ref : asLayout(s, `${what}.${String(g.name)}`) }),
        ...(bits !== undefined ? { bits: { shift: asNumber(bits.shift, 'bits.shift'), width: asNumber(bits.width, 'bits.width') } } : {}),
      };
    }),
  };
}

export function readModule(text: string, module: string): CommittedModule {
  const file = `${module}.ts`;
  const first = text.split('\n', 1)[0] ?? '';
  const banner = /^\/\/ Generated by codegen\/ from (.*)\. Do not edit; run npm run codegen\.$/.exec(first);
  if (!banner) throw new ReadError(`${file}: no generated-file banner`);
  const constants = new Map<string, bigint>();
  const structs = new Map<string, CommittedLayout>();
  for (const { name, value } of new Reader(tokenize(text, file), file).exports()) {
    if (typeof value === 'bigint') constants.set(name, value);
    else structs.set(name, asLayout(value, name));
  }
  return { module, from: banner[1]!, constants, structs };
}

/** Every generated table under dir (not layout.ts, arch.ts, the choosers or ynl/, the YNL tables codegen/ynl checks), by module path. */
export function readGeneratedDir(dir: string): Map<string, CommittedModule> {
  const out = new Map<string, CommittedModule>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) { if (d !== dir || entry !== 'ynl') walk(full); }
      else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) {
        const module = relative(dir, full).split(sep).join('/').replace(/\.ts$/, '');
        if (module === 'layout' || module === 'arch') continue;
        const text = readFileSync(full, 'utf8');
        // A chooser holds no numbers of its own; check.ts compares its text.
        if (text.split('\n', 2)[1]?.startsWith(CHOOSER_LINE) === true) continue;
        out.set(module, readModule(text, module));
      }
    }
  };
  walk(dir);
  return out;
}
