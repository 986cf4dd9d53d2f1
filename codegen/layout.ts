// Struct and union layout as gcc does it on x86_64 and aarch64 (LP64): each member at the next
// multiple of its alignment, the record's alignment the largest of its
// members' (or what aligned(N) asks), its size rounded up to that; packed
// drops member alignment to 1 unless a member asks for more. Members of an
// anonymous struct or union are flattened into the parent at their absolute
// offsets, as C lets code name them. A bitfield goes at the next free bit
// unless it would cross a boundary of its declared type's storage unit, then
// at the start of the next unit; a width of 0 closes the unit (the SysV ABI
// rule gcc follows on both). Its position is the unit's byte offset and the
// bit shift within it (little-endian, counted from the least significant bit).
import { alignOf, sizeOf, strip, type CType, type Member, type RecordDef } from './ctypes.js';

export interface LaidField {
  readonly name: string;
  readonly offset: number;
  readonly type: CType;
  readonly bits?: { readonly shift: number; readonly width: number };
}

export interface RecordLayout {
  readonly size: number;
  readonly align: number;
  readonly fields: readonly LaidField[];
}

export class LayoutError extends Error {}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function memberAlign(m: Member, recordPacked: boolean): number {
  const natural = alignOf(m.type);
  if (m.attrs.packed || recordPacked) return m.attrs.aligned ?? 1;
  return Math.max(natural, m.attrs.aligned ?? 1);
}

/** Lays out a complete record. Throws LayoutError for what it cannot represent. */
export function layOut(rec: RecordDef): RecordLayout {
  const members = rec.members;
  if (members === undefined) throw new LayoutError('incomplete type');
  const fields: LaidField[] = [];
  let bit = 0;
  let size = 0;
  let align = 1;
  members.forEach((m, k) => {
    const t = strip(m.type);
    if (m.bitWidth !== undefined) {
      if (rec.kind === 'union' || rec.attrs.packed || m.attrs.packed) throw new LayoutError(`bitfield ${m.name ?? '(unnamed)'}: only in a plain struct`);
      if (t.kind !== 'int' && t.kind !== 'enum') throw new LayoutError(`bitfield ${m.name ?? '(unnamed)'}: not of an integer type`);
      const unit = sizeOf(m.type) * 8;
      if (m.bitWidth === 0) { bit = alignUp(bit, unit); return; }
      if (Math.floor(bit / unit) !== Math.floor((bit + m.bitWidth - 1) / unit)) bit = alignUp(bit, unit);
      const start = Math.floor(bit / unit) * unit;
      if (m.name !== undefined) {
        fields.push({ name: m.name, offset: start / 8, type: m.type, bits: { shift: bit - start, width: m.bitWidth } });
        align = Math.max(align, memberAlign(m, false));
      }
      bit += m.bitWidth;
      return;
    }
    const flexible = t.kind === 'array' && t.count === null;
    if (flexible && rec.kind === 'struct' && k !== members.length - 1) throw new LayoutError(`flexible array ${m.name ?? ''} is not the last member`);
    const a = memberAlign(m, rec.attrs.packed);
    const s = flexible ? 0 : sizeOf(m.type);
    const at = rec.kind === 'union' ? 0 : alignUp(Math.ceil(bit / 8), a);
    if (m.name !== undefined) {
      fields.push({ name: m.name, offset: at, type: m.type });
    } else if (t.kind === 'record') {
      const inner = t.rec.layout;
      if (inner === undefined) throw new LayoutError(`anonymous member has no layout: ${t.rec.problem ?? 'incomplete'}`);
      for (const f of inner.fields) fields.push({ ...f, offset: at + f.offset });
    }
    if (rec.kind === 'union') size = Math.max(size, s);
    else bit = (at + s) * 8;
    align = Math.max(align, a);
  });
  if (rec.attrs.aligned !== undefined) align = Math.max(align, rec.attrs.aligned);
  const end = rec.kind === 'union' ? size : Math.ceil(bit / 8);
  return { size: alignUp(end, align), align, fields };
}
