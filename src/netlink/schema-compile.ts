// Schema decoders compiled to straight-line JavaScript, once per schema.
//
// Dumps decode hundreds of thousands of messages; the table-driven walk in
// schema.ts stores every key through a computed name (`out[key] = v`), which
// V8 handles in its slowest, megamorphic way, and calls every codec from one
// call site. The code made here names each key literally and calls each
// codec from a site of its own, so stores and calls are monomorphic, and the
// header fields go into one object literal (one hidden class per schema).
// The behaviour is exactly the generic walk's; where code cannot be made from
// strings (node --disallow-code-generation-from-strings) the generic walk is used.
import { kernelNumbers } from './kernel-numbers.js';
import { describe } from './describe.js';
import type { Codec, ValueMap } from './codec.js';
import { type DecodeIssue, EncodeError } from './errors.js';
import { type IntKind, checkInt, intRange, readInt, writeInt } from './ints.js';
import type { NetlinkWriter } from './writer.js';
import { NLA_TYPE_MASK } from './reader.js';

/** What the compiler needs of an attribute set's entries. */
export interface CompileEntry { id: number; key: string; multi: boolean; path: string; codec: Codec<unknown, unknown> }

export type AttrsDecoder = (buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string, into?: object) => Record<string, unknown>;

/** What the compiler needs of a header field. */
export interface CompileSlot { key: string; offset: number; kind: IntKind; map?: ValueMap<unknown, unknown> }

export type HeaderDecoder = (buf: Buffer, start: number) => Record<string, unknown>;

const lit = (s: string): string => JSON.stringify(s);

function compile<F>(params: string[], args: unknown[], body: string): F | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function(...params, body)(...args) as F;
  } catch {
    return undefined;
  }
}

/** The attribute walk of one set, or undefined when code cannot be generated here. */
export function compileAttrsDecoder(name: string, entries: readonly CompileEntry[]): AttrsDecoder | undefined {
  const codecs = entries.map((e) => e.codec);
  const cases = entries.map((e, i) => {
    const key = lit(e.key);
    const path = `named ? ${lit(e.path)} : path + ${lit(`.${e.key}`)}`;
    const store = e.multi ? `(out[${key}] ??= []).push(v)` : `out[${key}] = v`;
    return `case ${e.id}: { const v = c${i}.read(buf, at + 4, at + len, issues, ${path}); if (v !== undefined) ${store}; break; }`;
  });
  const body = `return function decode(buf, start, end, issues, path, into) {
    const out = into === undefined ? {} : into;
    const named = path === ${lit(name)};
    let at = start;
    while (end - at >= 4) {
      const len = buf[at] | (buf[at + 1] << 8);
      if (len < 4 || len > end - at) {
        if (issues !== undefined) issues.push({ path, problem: 'attribute length ' + len + ' does not fit the ' + (end - at) + ' bytes left', offset: at });
        break;
      }
      const rawType = buf[at + 2] | (buf[at + 3] << 8);
      switch (rawType & MASK) {
        ${cases.join('\n        ')}
        default: (out.unknown ??= []).push({ type: rawType, data: Buffer.from(buf.subarray(at + 4, at + len)) });
      }
      at += (len + 3) & ~3;
    }
    return out;
  };`;
  return compile<AttrsDecoder>(['MASK', 'Buffer', ...codecs.map((_, i) => `c${i}`)], [NLA_TYPE_MASK, Buffer, ...codecs], body);
}

/** Reading one header field inline; the kinds that are rare in headers go through readInt. */
function readExpr(kind: IntKind, at: string, i: number): string {
  switch (kind) {
    case 'u8': return `buf[${at}]`;
    case 's8': return `(buf[${at}] << 24 >> 24)`;
    case 'u16': return `(buf[${at}] | (buf[${at} + 1] << 8))`;
    case 'u32': return `((buf[${at}] | (buf[${at} + 1] << 8) | (buf[${at} + 2] << 16)) + buf[${at} + 3] * 16777216)`;
    case 's32': return `(buf[${at}] | (buf[${at} + 1] << 8) | (buf[${at} + 2] << 16) | (buf[${at} + 3] << 24))`;
    default: return `readInt(buf, ${at}, k${i})`;
  }
}

/** The header fields of a message schema as one object literal (the attributes are added to it). */
export function compileHeaderDecoder(slots: readonly CompileSlot[]): HeaderDecoder | undefined {
  const fields = slots.map((s, i) => {
    const read = readExpr(s.kind, `start + ${s.offset}`, i);
    return s.map ? `const n${i} = ${read}; this[${lit(s.key)}] = m${i}.decode(n${i});` : `this[${lit(s.key)}] = ${read};`;
  });
  // The numbers behind the named fields, under the kernelNumbers symbol.
  const named = slots.flatMap((s, i) => (s.map ? [`${lit(s.key)}: n${i}`] : []));
  if (named.length) fields.push(`this[KN] = { ${named.join(', ')} };`);
  // A constructor rather than a literal: V8 then leaves room in the object
  // for the attributes added after the header (in-object slack tracking),
  // instead of a separate property store per message. Its prototype is
  // Object.prototype, so what it makes is a plain object in every respect.
  const body = `function Message(buf, start) { ${fields.join(' ')} }
    Message.prototype = Object.prototype;
    return function header(buf, start) { return new Message(buf, start); };`;
  const params = ['readInt', 'KN', ...slots.flatMap((_, i) => [`m${i}`, `k${i}`])];
  const args = [readInt, kernelNumbers, ...slots.flatMap((s) => [s.map, s.kind])];
  return compile<HeaderDecoder>(params, args, body);
}

// ── encoders ─────────────────────────────────────────────────────────────

/**
 * Writes a message's payload or a set's attributes in the order of the
 * input's keys. `rest` handles a key no case names ('unknown', or an error
 * naming the key), exactly as the table-driven encoder does.
 */
export type Encoder = (w: NetlinkWriter, value: object, path: string) => void;

type Rest = (w: NetlinkWriter, key: string, v: unknown, path: string) => void;

/** The case of one attribute key: header, payload through its codec, length, all with the key's path made once. */
function attrCase(e: CompileEntry, i: number): string {
  const p = `named ? ${lit(e.path)} : path + ${lit(`.${e.key}`)}`;
  const typeBits = e.id | (e.codec.typeFlags ?? 0);
  // A cleared flag is an absent attribute: `skip` leaves the case or the loop.
  const one = (value: string, pathExpr: string, skip: string): string => `{
        const p = ${pathExpr};
        ${e.codec.name === 'flag' ? `if (${value} === false) ${skip};` : ''}
        const a = w.beginAttr(${typeBits}, p);
        try { c${i}.write(w, ${value}, p); } catch (err) { w.truncate(a); throw err; }
        w.endAttr(a, p);
      }`;
  if (!e.multi) return `case ${lit(e.key)}: ${one('x', p, 'break')} break;`;
  return `case ${lit(e.key)}: {
      const base = ${p};
      if (!Array.isArray(x)) throw new EncodeError(base, 'expected an array, got ' + describe(x));
      for (let j = 0; j < x.length; j++) ${one('x[j]', "base + '[' + j + ']'", 'continue')}
      break;
    }`;
}

function headerCase(s: CompileSlot, i: number, name: string): string {
  const p = `named ? ${lit(`${name}.${s.key}`)} : path + ${lit(`.${s.key}`)}`;
  const n = s.map ? `m${i}.encode(x, p)` : 'x';
  const off = `at + ${s.offset}`;
  let write: string;
  switch (s.kind) {
    case 'u8': write = `w.buffer[${off}] = v;`; break;
    case 'u16': write = `w.buffer.writeUInt16LE(v, ${off});`; break;
    case 'u32': write = `w.buffer.writeUInt32LE(v, ${off});`; break;
    default: write = `writeInt(w.buffer, ${off}, k${i}, v);`;
  }
  const [lo, hi] = intRange(s.kind);
  return `case ${lit(s.key)}: {
      const p = ${p}; const n = ${n};
      const v = typeof n === 'number' && n >= ${lo} && n <= ${hi} && Number.isInteger(n) ? n : checkInt(k${i}, n, p);
      ${write} break; }`;
}

function compileEncoderOf(
  name: string, headerSize: number | undefined, slots: readonly CompileSlot[], entries: readonly CompileEntry[], rest: Rest,
): Encoder | undefined {
  const cases = [
    ...slots.map((s, i) => headerCase(s, i, name)),
    ...entries.map((e, i) => attrCase(e, i)),
  ];
  const body = `return function encode(w, value, path) {
    if (value === null || typeof value !== 'object') throw new EncodeError(path, 'expected an object, got ' + describe(value));
    ${headerSize === undefined ? '' : `const at = w.reserve(${headerSize});`}
    const named = path === ${lit(name)};
    for (const key in value) {
      const x = value[key];
      if (x === undefined) continue;
      switch (key) {
        ${cases.join('\n        ')}
        default: rest(w, key, x, path);
      }
    }
  };`;
  const params = ['EncodeError', 'describe', 'checkInt', 'writeInt', 'rest',
    ...slots.flatMap((_, i) => [`m${i}`, `k${i}`]), ...entries.map((_, i) => `c${i}`)];
  const args = [EncodeError, describe, checkInt, writeInt, rest,
    ...slots.flatMap((s) => [s.map, s.kind]), ...entries.map((e) => e.codec)];
  return compile<Encoder>(params, args, body);
}

/** An attribute set's encoder (AttrSet.encode). */
export function compileAttrsEncoder(name: string, entries: readonly CompileEntry[], rest: Rest): Encoder | undefined {
  return compileEncoderOf(name, undefined, [], entries, rest);
}

/** A message schema's payload encoder: the fixed header reserved, then header fields and attributes in key order. */
export function compileMessageEncoder(
  name: string, headerSize: number, slots: readonly CompileSlot[], entries: readonly CompileEntry[], rest: Rest,
): Encoder | undefined {
  return compileEncoderOf(name, headerSize, slots, entries, rest);
}
