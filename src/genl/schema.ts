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
import { lookup } from '../netlink/narrow.js';
import { bitfield32, checked, indexedArray, pad, sint, uint } from './codecs.js';
import type { GenlSpec, YnlAttr, YnlEnum, YnlOp } from './spec.js';

const INTS = { u8, u16, u32, u64, s8, s16, s32, s64 } as const;
const BE = { u16: be16, u32: be32, u64: be64 } as const;

type StructFieldType = 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'be16' | 'be32' | 'be64';
/** A spec struct's integer members: their field type, size and big-endian form (unsigned ones wider than a byte). */
const STRUCT_INTS: Readonly<Record<string, { type: StructFieldType; size: number; be?: StructFieldType }>> = {
  u8: { type: 'u8', size: 1 }, u16: { type: 'u16', size: 2, be: 'be16' }, u32: { type: 'u32', size: 4, be: 'be32' }, u64: { type: 'u64', size: 8, be: 'be64' },
  s8: { type: 's8', size: 1 }, s16: { type: 's16', size: 2 }, s32: { type: 's32', size: 4 }, s64: { type: 's64', size: 8 },
};

/** A variable-size integer as a name map reads it: a number (enum values and flag words fit one). */
function asNumber(c: Codec<number | bigint, number | bigint>): Codec<number, number | bigint> {
  return {
    ...c,
    read(buf, start, end, issues, path) {
      const v = c.read(buf, start, end, issues, path);
      return v === undefined ? undefined : Number(v);
    },
  };
}

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

  /** A spec attribute's codec; the value types are the spec's, known to GenlAttrs at compile time, not here. */
  private codec(a: YnlAttr): Codec<unknown, unknown> {
    const c = this.valueCodec(a);
    return a.checks ? checked(c, a.checks) : c;
  }

  /** Integers, with names where the spec gives them an enum (a bitfield32 or binary that names one keeps its numbers). */
  private intCodec(a: YnlAttr, base: Codec<number, number | bigint>): Codec<unknown, unknown> {
    if (a.enum === undefined) return base;
    return a.asFlags ? mapped(base, this.flagsOf(a.enum)) : mapped(base, this.enumOf(a.enum));
  }

  private valueCodec(a: YnlAttr): Codec<unknown, unknown> {
    let c: Codec<unknown, unknown>;
    switch (a.type) {
      case 'u8': case 'u16': case 'u32': case 'u64': case 's8': case 's16': case 's32': case 's64':
        return this.intCodec(a, (a.be ? lookup(BE, a.type) : undefined) ?? INTS[a.type]);
      case 'uint': return a.enum === undefined ? uint : this.intCodec(a, asNumber(uint));
      case 'sint': return a.enum === undefined ? sint : this.intCodec(a, asNumber(sint));
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
    return c;
  }

  private nest(setName: string | undefined): Codec<unknown, unknown> {
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
    const fields: { name: string; offset: number; type: StructFieldType; count?: number }[] = [];
    let offset = 0;
    for (const m of members) {
      const int = lookup(STRUCT_INTS, m.type);
      if (int !== undefined) {
        const { size } = int;
        const type = m.be && int.be !== undefined ? int.be : int.type;
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
