// A value for every attribute of a generic netlink family, made from its
// spec: each type gets a representative value (enums by their first name,
// nests filled two levels deep), so tests and fuzz seeds cover every
// attribute of every committed family without a hand-written sample each.
import type { GenlSpec, YnlAttr } from '../../src/genl/spec.js';
import { GenlCodec } from '../../src/genl/message.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';

function sampleOf(spec: GenlSpec, a: YnlAttr, depth: number): unknown {
  const n = a.checks?.min !== undefined && a.checks.min > 1 ? a.checks.min : 1;
  if (a.enum !== undefined && /^[us](8|16|32|64|int)$/.test(a.type)) {
    const first = Object.keys(spec.enums[a.enum]!.entries)[0]!;
    return a.asFlags ? [first] : first;
  }
  switch (a.type) {
    case 'u8': case 'u16': case 'u32': case 's8': case 's16': case 's32': case 'uint': case 'sint': return n;
    case 'u64': case 's64': return 2 ** 40; // beyond 32 bits; decoded back as a number since it is safe
    case 'flag': return true;
    case 'string': return 'x'.repeat(Math.max(1, a.checks?.minLen ?? 1));
    case 'bitfield32': return { value: 1, selector: 3 };
    case 'nest': return depth > 1 || !a.nest ? undefined : sampleSet(spec, a.nest, depth + 1);
    case 'indexed-array': {
      const elem = (): unknown => (a.subType === 'nest' ? (depth > 1 || !a.nest ? undefined : sampleSet(spec, a.nest, depth + 1)) : sampleOf(spec, { ...a, type: a.subType ?? 'binary' }, depth));
      const first = elem();
      return first === undefined ? undefined : [first, elem()];
    }
    case 'binary': {
      if (!a.struct) {
        const len = a.checks?.exactLen ?? Math.max(a.checks?.minLen ?? 4, 1);
        return Buffer.from(Array.from({ length: Math.min(len, a.checks?.maxLen ?? len) }, (_, i) => i + 1));
      }
      const out: Record<string, unknown> = {};
      for (const m of spec.structs[a.struct] ?? []) if (m.type !== 'pad') out[m.name] = m.type === 'binary' ? Array.from({ length: m.len ?? 0 }, () => 7) : 7;
      return out;
    }
    default: return undefined; // pad, nest-type-value, sub-message: nothing to say
  }
}

/** Every attribute of a set with a sample value. */
export function sampleSet(spec: GenlSpec, set: string, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of spec.sets[set] ?? []) {
    const v = sampleOf(spec, a, depth);
    if (v !== undefined) out[a.name] = a.multi ? [v, sampleOf(spec, a, depth)] : v;
  }
  return out;
}

/** One message per operation with an attribute set: the reply command, every attribute of the set filled in. */
export function sampleMessages(spec: GenlSpec, type: number): { op: string; attrs: Record<string, unknown>; bytes: Buffer }[] {
  const codec = new GenlCodec(spec);
  const out: { op: string; attrs: Record<string, unknown>; bytes: Buffer }[] = [];
  // In a directional family (ethtool) a request-only op's number is in the request space: the kernel never sends it.
  const directional = spec.ops.some((o) => o.replyCmd !== undefined);
  for (const op of spec.ops) {
    if (!op.set) continue;
    if (directional && !op.do?.reply && !op.dump?.reply && !op.notify && !op.event) continue;
    const attrs = sampleSet(spec, op.set);
    const w = new NetlinkWriter(1024);
    const at = w.beginMessage(type, 0, 0, 0);
    const h = w.reserve(4);
    w.buffer[h] = op.replyCmd ?? op.cmd;
    w.buffer[h + 1] = 1;
    if (codec.schema.header) w.reserve(codec.headerSize - 4);
    codec.schema.set(op.set).encode(w, attrs);
    w.endMessage(at);
    out.push({ op: op.name, attrs, bytes: w.toBuffer() });
  }
  return out;
}
