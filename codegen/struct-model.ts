// C records as layout models: each field's FieldType (byte order from the
// __be16/__be32/__be64 typedef names, pointers as u64), array counts
// (multi-dimensional arrays flattened, flexible ones 0), and nested records
// either by reference to their own layout (maybe in another module) or, for
// an untagged type, written in place.
import { strip, typedefNames, type CType } from './ctypes.js';
import type { RecordLayout } from './layout.js';

export class ModelError extends Error {}

/** A struct needs a record from a header the table does not cover: fix the table, never skip. */
export class UncoveredError extends ModelError {}

export type FieldType = 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'be16' | 'be32' | 'be64' | 'char' | 'struct' | 'union';

export interface StructRef {
  readonly module: string;
  readonly name: string;
}

export interface FieldModel {
  readonly name: string;
  readonly offset: number;
  readonly type: FieldType;
  readonly count?: number;
  /** A named top-level layout, or the layout of an untagged struct/union type written in place. */
  readonly struct?: { readonly ref: StructRef } | { readonly inline: LayoutModel };
  readonly bits?: { readonly shift: number; readonly width: number };
  /**
   * C facts the compiler cross-check needs, not emitted: the member
   * designator for offsetof, how many array dimensions it has, and whether
   * the (element) type is a pointer.
   */
  readonly c: { readonly path: string; readonly dims: number; readonly pointer: boolean };
}

export interface LayoutModel {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly FieldModel[];
}

export class LayoutConverter {
  constructor(
    private readonly moduleOfFile: ReadonlyMap<string, string>,
    private readonly skippedNames: ReadonlySet<string>,
  ) {}

  /** The layout model of a record named `name` in `module`; throws ModelError when a field cannot be described. */
  convert(name: string, module: string, layout: RecordLayout, pathPrefix = ''): LayoutModel {
    const fields = layout.fields.map((f) => {
      const model = this.field(f.name, f.offset, f.type, name, module, pathPrefix + f.name);
      return f.bits === undefined ? model : { ...model, bits: f.bits };
    });
    return { name, size: layout.size, align: layout.align, fields };
  }

  private field(name: string, offset: number, type: CType, parent: string, module: string, path: string): FieldModel {
    const s = strip(type);
    if (s.kind === 'array') {
      let count = s.count;
      let elem = s.elem;
      let dims = 1;
      for (let inner = strip(elem); inner.kind === 'array'; inner = strip(elem)) {
        // int x[2][3] is six ints in a row; `__u8 addr[][ETH_ALEN]` is a flexible run of bytes.
        if (inner.count === null) throw new ModelError(`${parent}.${name}: flexible inner array`);
        if (count !== null) count *= inner.count;
        elem = inner.elem;
        dims++;
      }
      const base = this.scalar(elem, parent, name, module, path, `${path}${'[0]'.repeat(dims)}`);
      return { name, offset, ...base, count: count ?? 0, c: { ...base.c, dims } };
    }
    return { name, offset, ...this.scalar(type, parent, name, module, path, path) };
  }

  /** `elemPath` designates one element: where an in-place layout's members are reached from. */
  private scalar(type: CType, parent: string, name: string, module: string, path: string, elemPath: string): Omit<FieldModel, 'name' | 'offset' | 'count'> {
    const be = typedefNames(type).find((n) => /^__be(16|32|64)$/.test(n));
    const s = strip(type);
    const plain = { pointer: false, path, dims: 0 };
    if (be !== undefined) return { type: be.slice(2) as FieldType, c: plain };
    switch (s.kind) {
      case 'int':
        if (s.plainChar) return { type: 'char', c: plain };
        if (s.bool) return { type: 'u8', c: plain };
        return { type: `${s.unsigned ? 'u' : 's'}${s.bits}` as FieldType, c: plain };
      case 'enum':
        return { type: `${s.def.int.unsigned ? 'u' : 's'}${s.def.int.bits}` as FieldType, c: plain };
      case 'pointer':
        // A pointer is a 64-bit address on LP64; the layouts only carry numbers.
        return { type: 'u64', c: { ...plain, pointer: true } };
      case 'record': {
        const rec = s.rec;
        const refName = rec.tag ?? rec.typedefName;
        if (refName === undefined) {
          if (rec.layout === undefined) throw new ModelError(`${parent}.${name}: ${rec.problem ?? 'no layout'}`);
          return { type: rec.kind, struct: { inline: this.convert(`${parent}.${name}`, module, rec.layout, `${elemPath}.`) }, c: plain };
        }
        const owner = this.moduleOfFile.get(rec.file);
        if (owner === undefined) {
          throw new UncoveredError(`${parent}.${name} uses ${rec.kind} ${refName} from ${rec.file}, which no module in codegen/headers.ts covers: add it there`);
        }
        if (this.skippedNames.has(`${owner}:${refName}`) || rec.layout === undefined) {
          throw new ModelError(`${parent}.${name} uses ${rec.kind} ${refName}, which is skipped`);
        }
        return { type: rec.kind, struct: { ref: { module: owner, name: refName } }, c: plain };
      }
      default:
        throw new ModelError(`${parent}.${name}: a ${s.kind} field cannot be described as a StructLayout`);
    }
  }
}

