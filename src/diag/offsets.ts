// Field offsets from the generated layouts, read once at load: the decoders
// read fixed headers field by field (no object per struct) without typing an
// offset by hand.
import type { StructLayout } from '../generated/layout.js';

export function offsetOf(l: StructLayout, name: string): number {
  const f = l.fields.find((x) => x.name === name);
  if (!f) throw new Error(`${l.name} has no field ${name}`);
  return f.offset;
}
