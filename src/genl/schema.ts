// A generic netlink family's attribute sets, made from its spec tables
// (src/genl/spec.ts) with the same machinery as the hand-written rtnetlink
// schemas (src/netlink/schema.ts): one AttrSet per set, made on first use, so
// a family with hundreds of attributes costs nothing until a message needs
// them. Values seen through an enum come out as names, flags as name lists.
import type { StructLayout } from '../generated/layout.js';
import {
  type Codec, be16, be32, be64, binary, cstring, enumMap, flag, flagsMap, lazy, mapped, withNestFlag, s16, s32, s64, s8, struct, u16, u32, u64, u8,
} from '../netlink/codec.js';
import { type AttrSet, type SpecMap, attr, attrList, attrSet, nested } from '../netlink/schema.js';
import { bitfield32, checked, indexedArray, pad, sint, uint } from './codecs.js';
import type { GenlSpec, YnlAttr, YnlEnum, YnlOp } from './spec.js';

const INTS = { u8, u16, u32, u64, s8, s16, s32, s64 } as const;
const BE = { u16: be16, u32: be32, u64: be64 } as const;
const INTEGER = new Set(['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'uint', 'sint']);

/** The schema side of one family: attribute sets by name, and per-operation request sets. */
export class GenlSchema {
  private readonly sets = new Map<string, AttrSet<SpecMap>>();
  private readonly requestSets = new Map<string, AttrSet<SpecMap>>();
  private readonly enumMaps = new Map<string, ReturnType<typeof enumMap>>();
  private readonly flagMaps = new Map<string, ReturnType<typeof flagsMap>>();
  readonly header: StructLayout | undefined;

  constructor(readonly spec: GenlSpec) {
    this.header = spec.header ? this.layout(spec.header) : undefined;
  }

  /** An attribute set of the family, every attribute in it. */
  set(name: string): AttrSet<SpecMap> {
    let s = this.sets.get(name);
    if (!s) {
      const attrs = this.spec.sets[name];
      if (!attrs) throw new Error(`${this.spec.name}: no attribute set "${name}"`);
      s = this.build(`${this.spec.name}.${name}`, attrs);
      this.sets.set(name, s);
    }
    return s;
  }

  /**
   * The attributes an operation's request may carry (do or dump), so that a
   * name the spec does not list for it is refused before anything is sent.
   */
  requestSet(op: YnlOp, mode: 'do' | 'dump'): AttrSet<SpecMap> {
    const key = `${op.name}/${mode}`;
    let s = this.requestSets.get(key);
    if (!s) {
      if (!op.set) throw new Error(`${this.spec.name}: operation ${op.name} has no attribute set`);
      const allowed = new Set(op[mode]?.request?.attrs ?? []);
      const all = this.spec.sets[op.set] ?? [];
      s = this.build(`${this.spec.name}.${op.name}`, all.filter((a) => allowed.has(a.name)));
      this.requestSets.set(key, s);
    }
    return s;
  }

  private build(name: string, attrs: readonly YnlAttr[]): AttrSet<SpecMap> {
    const specs: SpecMap = {};
    for (const a of attrs) {
      const c = this.codec(a);
      specs[a.name] = a.multi ? attrList(a.id, c) : attr(a.id, c);
    }
    return attrSet(name, specs);
  }

  private codec(a: YnlAttr): Codec<any, any> {
    let c: Codec<any, any>;
    switch (a.type) {
      case 'u8': case 'u16': case 'u32': case 'u64': case 's8': case 's16': case 's32': case 's64':
        c = a.be && a.type in BE ? BE[a.type as keyof typeof BE] : INTS[a.type];
        break;
      case 'uint': c = uint; break;
      case 'sint': c = sint; break;
      case 'flag': c = flag; break;
      case 'string': c = cstring(); break;
      case 'bitfield32': c = bitfield32; break;
      case 'pad': c = pad; break;
      case 'nest': c = this.nest(a.nest); break;
      case 'indexed-array':
        c = indexedArray(a.subType === 'nest' ? this.nest(a.nest) : this.codec({ ...a, type: a.subType ?? 'binary', multi: undefined }));
        break;
      case 'binary':
        c = a.struct && this.spec.structs[a.struct] ? struct(this.layout(a.struct)) : binary;
        break;
      default: c = binary; // nest-type-value, sub-message: kept as bytes
    }
    // Names for integers only: a bitfield32 or binary that names an enum keeps its numbers.
    if (a.enum !== undefined && INTEGER.has(a.type)) {
      c = a.asFlags ? mapped(c, this.flagsOf(a.enum)) : mapped(c, this.enumOf(a.enum));
    }
    return a.checks ? checked(c, a.checks) : c;
  }

  private nest(setName: string | undefined): Codec<any, any> {
    if (setName === undefined) return binary;
    // Lazy: sets refer to each other (and to themselves) in any order.
    // NLA_F_NESTED always, as the kernel's own ynl does: strict genetlink policies (ethtool) refuse a nest without it.
    return withNestFlag(lazy(`${this.spec.name}.${setName}`, () => nested(this.set(setName))));
  }

  private enumOf(name: string): ReturnType<typeof enumMap> {
    let m = this.enumMaps.get(name);
    if (!m) this.enumMaps.set(name, m = enumMap(name, { ...this.def(name).entries }));
    return m;
  }

  private flagsOf(name: string): ReturnType<typeof flagsMap> {
    let m = this.flagMaps.get(name);
    if (!m) {
      const bits: Record<string, number> = {};
      for (const [k, v] of Object.entries(this.def(name).entries)) bits[k] = 2 ** v;
      this.flagMaps.set(name, m = flagsMap(name, bits));
    }
    return m;
  }

  private def(name: string): YnlEnum {
    const e = this.spec.enums[name];
    if (!e) throw new Error(`${this.spec.name}: no definition "${name}"`);
    return e;
  }

  /** A spec struct as the struct codec's layout (members back to back, as the spec declares pads). */
  layout(name: string): StructLayout {
    const members = this.spec.structs[name];
    if (!members) throw new Error(`${this.spec.name}: no struct "${name}"`);
    const fields: { name: string; offset: number; type: 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'be16' | 'be32' | 'be64'; count?: number }[] = [];
    let offset = 0;
    const SIZES: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8 };
    for (const m of members) {
      const size = SIZES[m.type];
      if (size !== undefined) {
        const type = (m.be && m.type.startsWith('u') && size > 1 ? `be${size * 8}` : m.type) as (typeof fields)[number]['type'];
        fields.push({ name: m.name, offset, type });
        offset += size;
      } else {
        const len = m.len ?? 0;
        if (m.type !== 'pad') fields.push({ name: m.name, offset, type: 'u8', count: len });
        offset += len;
      }
    }
    return { name, size: offset, align: 1, fields };
  }
}
