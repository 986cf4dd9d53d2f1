// Declarative attribute sets and message schemas. One schema per attribute
// set gives, from a single table: the TypeScript type of decoded objects, the
// type encoders accept, the encoder and the decoder.
//
//   const linkInfo = attrSet('linkinfo', {
//     kind: attr(IFLA_INFO_KIND, string),
//     data: attr(IFLA_INFO_DATA, binary),
//   });
//
// Unknown attributes are kept (`unknown`) with their raw bytes and re-emitted
// unchanged; absent is not zero: a key that is undefined is not sent.
import { kernelNumbers } from './kernel-numbers.js';
import type { StructLayout } from '../generated/layout.js';
import { describe } from './describe.js';
import { type Codec, type ValueMap, withNestFlag } from './codec.js';
import { type DecodeIssue, EncodeError } from './errors.js';
import { type IntKind, checkInt, readInt, writeInt } from './ints.js';
import { NLA_TYPE_MASK } from './reader.js';
import { NLMSG_HDRLEN, type NetlinkWriter, align4 } from './writer.js';
import {
  type AttrsDecoder, type CompileEntry, type Encoder, type HeaderDecoder,
  compileAttrsDecoder, compileAttrsEncoder, compileHeaderDecoder, compileMessageEncoder,
} from './schema-compile.js';

/** An attribute this version has no schema entry for: kept byte for byte. */
export interface RawAttr {
  /** The type as sent, NLA_F_* bits included. */
  type: number;
  data: Buffer;
}

/** One attribute of an attribute set: its number, its codec, and whether it may occur many times. */
export interface AttrSpec<Out = unknown, In = Out, Multi extends boolean = boolean> {
  readonly id: number;
  readonly codec: Codec<Out, In>;
  /** A repeated attribute: the value is an array, one entry per occurrence. */
  readonly multi: Multi;
}

/** One attribute of a set. */
export function attr<O, I>(id: number, codec: Codec<O, I>): AttrSpec<O, I, false> {
  return { id, codec, multi: false };
}

/** An attribute that may occur many times; decoded as an array in wire order. */
export function attrList<O, I>(id: number, codec: Codec<O, I>): AttrSpec<O, I, true> {
  return { id, codec, multi: true };
}

/** An attribute spec of any value type. */
export type AnySpec = AttrSpec<any, any, boolean>;
/** An attribute set's specs by attribute name. */
export type SpecMap = Record<string, AnySpec>;

/** The decoded attributes of a set, by name (absent when not sent). */
export type AttrsOut<S extends SpecMap> = {
  -readonly [K in keyof S]?: S[K] extends AttrSpec<infer O, unknown, infer M> ? (M extends true ? O[] : O) : never;
} & { unknown?: RawAttr[] };

/** The attributes of a set as given to an encoder, by name (absent: not sent). */
export type AttrsIn<S extends SpecMap> = {
  -readonly [K in keyof S]?: S[K] extends AttrSpec<unknown, infer I, infer M> ? (M extends true ? readonly I[] : I) : never;
} & { unknown?: readonly RawAttr[] };

/**
 * Whether schemas use their compiled encoders and decoders (schema-compile.ts).
 * Off: the table-driven walks, which give the same results; tests compare the two.
 */
let compiledSchemas = true;
export function useCompiledSchemas(on: boolean): void {
  compiledSchemas = on;
}

/** `path` is the key's path under the set's own name, made once so decoding allocates no strings for it. */
interface Entry { key: string; spec: AnySpec; path: string }

/** A set of attributes by name (one per kernel enum, e.g. IFLA_*): encodes, decodes, and keeps unknown ones as raw bytes. */
export class AttrSet<S extends SpecMap> {
  private readonly byId: (Entry | undefined)[] = [];
  /** The compiled walk (schema-compile.ts), made on first use; null where code cannot be generated. */
  private compiled: AttrsDecoder | null | undefined;
  private encoder: Encoder | null | undefined;

  constructor(readonly name: string, readonly specs: S) {
    for (const [key, spec] of Object.entries(specs)) {
      if (key === 'unknown' || key === 'issues') throw new Error(`${name}: "${key}" is reserved`);
      if (this.byId[spec.id]) throw new Error(`${name}: attribute ${spec.id} declared twice (${this.byId[spec.id]!.key}, ${key})`);
      this.byId[spec.id] = { key, spec, path: `${name}.${key}` };
    }
  }

  /** The schema key for an attribute id, for error messages and tools. */
  keyOf(id: number): string | undefined {
    return this.byId[id]?.key;
  }

  /** The entries as the compilers take them. */
  compileEntries(): CompileEntry[] {
    return this.byId.filter((e): e is Entry => e !== undefined)
      .map((e) => ({ id: e.spec.id, key: e.key, multi: e.spec.multi, path: e.path, codec: e.spec.codec }));
  }

  /** Writes the attributes in the order of the object's keys (so callers control wire order). */
  encode(w: NetlinkWriter, value: AttrsIn<S>, path = this.name): void {
    if (this.encoder === undefined) {
      this.encoder = compileAttrsEncoder(this.name, this.compileEntries(), (w2, k, v, p) => this.encodeEntry(w2, k, v, p)) ?? null;
    }
    if (this.encoder !== null && compiledSchemas) { this.encoder(w, value, path); return; }
    this.encodeGeneric(w, value, path);
  }

  /** The table-driven encoder the compiled one reproduces. */
  encodeGeneric(w: NetlinkWriter, value: AttrsIn<S>, path = this.name): void {
    if (value === null || typeof value !== 'object') throw new EncodeError(path, `expected an object, got ${describe(value)}`);
    for (const key in value) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) this.encodeEntry(w, key, v, path);
    }
  }

  /** Writes one key of an input object (MessageSchema walks its keys once and hands attributes here). */
  encodeEntry(w: NetlinkWriter, key: string, v: unknown, path: string): void {
    if (key === 'unknown') {
      for (const raw of v as readonly RawAttr[]) w.attrBytes(raw.type, raw.data, `${path}.unknown`);
      return;
    }
    const spec = Object.hasOwn(this.specs, key) ? this.specs[key] : undefined;
    if (!spec) throw new EncodeError(`${path}.${key}`, `unknown attribute "${key}" (known: ${Object.keys(this.specs).join(', ')})`);
    if (spec.multi) {
      if (!Array.isArray(v)) throw new EncodeError(`${path}.${key}`, `expected an array, got ${describe(v)}`);
      v.forEach((item, i) => this.writeOne(w, spec, item, `${path}.${key}[${i}]`));
    } else {
      this.writeOne(w, spec, v, `${path}.${key}`);
    }
  }

  private writeOne(w: NetlinkWriter, spec: AnySpec, v: unknown, path: string): void {
    if (v === false && spec.codec.name === 'flag') return; // a cleared flag is an absent attribute
    const at = w.beginAttr(spec.id | (spec.codec.typeFlags ?? 0), path);
    try {
      spec.codec.write(w, v, path);
    } catch (err) {
      w.truncate(at); // leave no half-written attribute behind
      throw err;
    }
    w.endAttr(at, path);
  }

  /** Checks a value fully without keeping the bytes (for validating whole descriptions up front). */
  validate(value: AttrsIn<S>, w: NetlinkWriter, path = this.name): void {
    const mark = w.length;
    try { this.encode(w, value, path); } finally { w.truncate(mark); }
  }

  /** Decodes into `into` when given (a message's header fields, so they come first). */
  decode(buf: Buffer, start: number, end: number, issues?: DecodeIssue[], path = this.name, into?: object): AttrsOut<S> {
    if (this.compiled === undefined) this.compiled = compileAttrsDecoder(this.name, this.compileEntries()) ?? null;
    if (this.compiled !== null && compiledSchemas) return this.compiled(buf, start, end, issues, path, into) as AttrsOut<S>;
    return this.decodeGeneric(buf, start, end, issues, path, into);
  }

  /** The table-driven walk the compiled decoder reproduces. */
  decodeGeneric(buf: Buffer, start: number, end: number, issues?: DecodeIssue[], path = this.name, into?: object): AttrsOut<S> {
    const out = (into ?? {}) as Record<string, unknown>;
    const byId = this.byId;
    let at = start;
    while (end - at >= 4) {
      const len = buf[at]! | (buf[at + 1]! << 8);
      if (len < 4 || len > end - at) {
        issues?.push({ path, problem: `attribute length ${len} does not fit the ${end - at} bytes left`, offset: at });
        break;
      }
      const rawType = buf[at + 2]! | (buf[at + 3]! << 8);
      const entry = byId[rawType & NLA_TYPE_MASK];
      if (entry === undefined) {
        const list = (out.unknown ??= []) as RawAttr[];
        list.push({ type: rawType, data: Buffer.from(buf.subarray(at + 4, at + len)) });
      } else {
        const key = entry.key;
        const v = entry.spec.codec.read(buf, at + 4, at + len, issues, path === this.name ? entry.path : `${path}.${key}`);
        if (v !== undefined) {
          if (entry.spec.multi) ((out[key] ??= []) as unknown[]).push(v);
          else out[key] = v;
        }
      }
      at += (len + 3) & ~3;
    }
    return out as AttrsOut<S>;
  }
}

/** Makes an attribute set from its specs by name. */
export function attrSet<const S extends SpecMap>(name: string, specs: S): AttrSet<S> {
  return new AttrSet(name, specs);
}

/** A nest whose content is another attribute set. */
export function nested<S extends SpecMap>(set: AttrSet<S>, opts: { nestFlag?: boolean } = {}): Codec<AttrsOut<S>, AttrsIn<S>> {
  const c: Codec<AttrsOut<S>, AttrsIn<S>> = {
    name: `nested ${set.name}`,
    write(w, v, path) { set.encode(w, v, path); },
    read(buf, start, end, issues, path) { return set.decode(buf, start, end, issues, path); },
  };
  return opts.nestFlag ? withNestFlag(c) : c;
}

// ── message schemas: fixed family header + attribute set ───────────────

/** A header field of a message schema, read and written through a name map. */
export interface HeaderField<Out = number, In = Out> {
  /** The kernel's field name in the header struct, e.g. 'ifi_index'. */
  readonly field: string;
  readonly map?: ValueMap<Out, In>;
}

/** A header field seen through a name map (operstate, scope, flags...). */
export function field<O, I>(name: string, map: ValueMap<O, I>): HeaderField<O, I> {
  return { field: name, map };
}

/** A message's header fields by name: the struct field's name, or a field with a name map. */
export type HeaderMap = Record<string, string | HeaderField<any, any>>;
/** A decoded header field's type. */
export type HeaderOut<F> = F extends HeaderField<infer O, unknown> ? O : number;
/** A header field's type as given to an encoder. */
export type HeaderIn<F> = F extends HeaderField<unknown, infer I> ? I : number;

/** The kernel's numbers behind a message's named header fields (the fields read through a name map). */
export type KernelNumbers<H extends HeaderMap> = { [K in keyof H as H[K] extends HeaderField<infer O, unknown> ? ([O] extends [number] ? never : K) : never]: number };

/** A decoded message: its header fields and attributes by name, the kernel numbers behind named header fields, and what was malformed in it. */
export type MessageOut<H extends HeaderMap, S extends SpecMap> =
  { -readonly [K in keyof H]: HeaderOut<H[K]> } & AttrsOut<S> & { issues?: DecodeIssue[]; [kernelNumbers]?: KernelNumbers<H> };
/** A message as given to an encoder: header fields and attributes by name. */
export type MessageIn<H extends HeaderMap, S extends SpecMap> =
  { -readonly [K in keyof H]?: HeaderIn<H[K]> } & AttrsIn<S>;

const scratchIssues: DecodeIssue[] = [];

interface HeaderSlot { key: string; offset: number; kind: IntKind; map?: ValueMap<unknown, unknown> }

/** A message schema: a family header (a struct) and an attribute set, encoded and decoded as one. */
export class MessageSchema<H extends HeaderMap, S extends SpecMap> {
  private readonly slots: HeaderSlot[] = [];
  private readonly slotByKey = new Map<string, HeaderSlot>();
  private headerDecoder: HeaderDecoder | null | undefined;
  private encoder: Encoder | null | undefined;

  constructor(readonly name: string, readonly header: StructLayout, fields: H, readonly attrs: AttrSet<S>) {
    for (const [key, f] of Object.entries(fields)) {
      const fieldName = typeof f === 'string' ? f : f.field;
      const layoutField = header.fields.find((x) => x.name === fieldName);
      if (!layoutField || layoutField.count !== undefined || layoutField.type === 'struct' || layoutField.type === 'union' || layoutField.type === 'char') {
        throw new Error(`${name}: ${header.name} has no scalar field ${fieldName}`);
      }
      if (key in attrs.specs) throw new Error(`${name}: "${key}" is both a header field and an attribute`);
      const slot = { key, offset: layoutField.offset, kind: layoutField.type, map: typeof f === 'string' ? undefined : f.map };
      this.slots.push(slot);
      this.slotByKey.set(key, slot);
    }
  }

  /** Bytes of the fixed header after nlmsghdr. */
  get headerSize(): number {
    return align4(this.header.size);
  }

  /** Decodes one message (buf[start, start+length) including its nlmsghdr). */
  decodeMessage(buf: Buffer, start: number, length: number): MessageOut<H, S> {
    // One scratch list for every message (decoding is synchronous): a dump of
    // clean messages allocates none.
    const issues = scratchIssues;
    const out = this.decodePayload(buf, start + NLMSG_HDRLEN, start + length, issues);
    if (issues.length) out.issues = issues.splice(0);
    return out;
  }

  /** Decodes a message's payload (after nlmsghdr): header fields and attributes. */
  decodePayload(buf: Buffer, start: number, end: number, issues?: DecodeIssue[]): MessageOut<H, S> {
    let hdr = buf;
    let hstart = start;
    if (end - start < this.header.size) {
      issues?.push({ path: this.name, problem: `${end - start} bytes, the ${this.header.name} header needs ${this.header.size}`, offset: start });
      hdr = Buffer.alloc(this.header.size);
      buf.copy(hdr, 0, start, Math.max(start, end));
      hstart = 0;
    }
    if (this.headerDecoder === undefined) this.headerDecoder = compileHeaderDecoder(this.slots) ?? null;
    let out: Record<string, unknown>;
    if (this.headerDecoder !== null && compiledSchemas) {
      out = this.headerDecoder(hdr, hstart);
    } else {
      out = {};
      let numbers: Record<string, number> | undefined;
      for (const s of this.slots) {
        const n = readInt(hdr, hstart + s.offset, s.kind);
        out[s.key] = s.map ? s.map.decode(n) : n;
        if (s.map) (numbers ??= {})[s.key] = n;
      }
      if (numbers) Object.assign(out, { [kernelNumbers]: numbers });
    }
    this.attrs.decode(buf, Math.min(end, start + this.headerSize), end, issues, this.name, out);
    return out as MessageOut<H, S>;
  }

  /** Writes the fixed header and the attributes (in key order); a key that is neither is an error. */
  encodePayload(w: NetlinkWriter, value: MessageIn<H, S>, path = this.name): void {
    if (this.encoder === undefined) {
      this.encoder = compileMessageEncoder(this.name, this.headerSize, this.slots, this.attrs.compileEntries(),
        (w2, k, v, p) => this.attrs.encodeEntry(w2, k, v, p)) ?? null;
    }
    if (this.encoder !== null && compiledSchemas) { this.encoder(w, value, path); return; }
    this.encodePayloadGeneric(w, value, path);
  }

  /** The table-driven encoder the compiled one reproduces. */
  encodePayloadGeneric(w: NetlinkWriter, value: MessageIn<H, S>, path = this.name): void {
    if (value === null || typeof value !== 'object') throw new EncodeError(path, `expected an object, got ${describe(value)}`);
    const at = w.reserve(this.headerSize);
    const v = value as Record<string, unknown>;
    // One walk over the keys: header fields go into the struct, the rest are attributes in key order.
    for (const key in v) {
      const x = v[key];
      if (x === undefined) continue;
      const slot = this.slotByKey.get(key);
      if (!slot) { this.attrs.encodeEntry(w, key, x, path); continue; }
      const n = slot.map ? slot.map.encode(x, `${path}.${key}`) : x;
      writeInt(w.buffer, at + slot.offset, slot.kind, checkInt(slot.kind, n, `${path}.${key}`));
    }
  }

  /**
   * The kernel's numbers behind the named header fields of a message: the
   * ones decoding kept, or, for an object made by hand, its words encoded.
   */
  numbersOf(m: MessageOut<H, S>): KernelNumbers<H> {
    const kept = m[kernelNumbers];
    if (kept) return kept;
    const out: Record<string, number> = {};
    for (const s of this.slots) {
      if (!s.map) continue;
      const v: unknown = Object.getOwnPropertyDescriptor(m, s.key)?.value;
      out[s.key] = v === undefined ? 0 : Number(s.map.encode(v, `${this.name}.${s.key}`));
    }
    return out as KernelNumbers<H>;
  }

  /** The schema key of a header field or attribute, for messages and tools. */
  keys(): string[] {
    return [...this.slots.map((s) => s.key), ...Object.keys(this.attrs.specs)];
  }
}

/** Makes a message schema from a header struct, its fields by name, and an attribute set. */
export function messageSchema<const H extends HeaderMap, S extends SpecMap>(
  name: string, header: StructLayout, fields: H, attrs: AttrSet<S>,
): MessageSchema<H, S> {
  return new MessageSchema(name, header, fields, attrs);
}

