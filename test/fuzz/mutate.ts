// Mutators: byte-level (bit flips, byte sets, interesting integers,
// truncation, extension, length-field corruption) and structure-aware
// (attributes duplicated, deleted, swapped, retyped, spliced in from another
// seed, wrapped in nests, nested into themselves), stacked a few at a time.
import type { Rng } from './rng.js';
import { type AttrNode, allNodes, attrHeaderOffsets, cloneNode, lists, parseTree, serialize } from './tree.js';

export interface MutationContext {
  rng: Rng;
  /** The input is a message (nlmsghdr first) rather than a bare attribute payload. */
  message: boolean;
  /** Other seeds to splice attributes from. */
  donors: readonly Buffer[];
  /** Message types to put in a header (the target's own, mostly). */
  types: readonly number[];
}

const INTERESTING8 = [0, 1, 2, 3, 4, 7, 8, 15, 16, 0x7f, 0x80, 0xfe, 0xff];
const INTERESTING16 = [0, 1, 3, 4, 5, 8, 16, 0x7fff, 0x8000, 0xfffb, 0xfffc, 0xfffe, 0xffff];
const INTERESTING32 = [0, 1, 4, 16, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x10000, 0xffff];

type Mutator = (b: Buffer, c: MutationContext) => Buffer | undefined;

const bitFlips: Mutator = (b, { rng }) => {
  if (!b.length) return undefined;
  const out = Buffer.from(b);
  for (let n = 1 + rng.below(8); n > 0; n--) {
    const i = rng.below(out.length);
    out[i]! ^= 1 << rng.below(8);
  }
  return out;
};

const byteSets: Mutator = (b, { rng }) => {
  if (!b.length) return undefined;
  const out = Buffer.from(b);
  for (let n = 1 + rng.below(4); n > 0; n--) out[rng.below(out.length)] = rng.chance(0.5) ? rng.pick(INTERESTING8) : rng.u32() & 0xff;
  return out;
};

const intSet: Mutator = (b, { rng }) => {
  if (b.length < 4) return undefined;
  const out = Buffer.from(b);
  const at = rng.chance(0.7) ? rng.below(out.length >> 2) << 2 : rng.below(out.length - 3);
  if (rng.chance(0.5)) out.writeUInt16LE(rng.pick(INTERESTING16), at);
  else out.writeUInt32LE(rng.pick(INTERESTING32), at);
  return out;
};

/** Cuts the input short, fixing nlmsg_len to match half of the time. */
const truncate: Mutator = (b, { rng, message }) => {
  if (b.length < 2) return undefined;
  const out = Buffer.from(b.subarray(0, rng.below(b.length)));
  if (message && out.length >= 4 && rng.chance(0.5)) out.writeUInt32LE(out.length, 0);
  return out;
};

const extend: Mutator = (b, { rng, message }) => {
  const more = rng.chance(0.5) ? Buffer.alloc(1 + rng.below(16)) : rng.bytes(1 + rng.below(64));
  const out = Buffer.concat([b, more]);
  if (message && out.length >= 4 && rng.chance(0.5)) out.writeUInt32LE(out.length, 0);
  return out;
};

/** Sets an attribute's nla_len (or the message's nlmsg_len) to an edge value. */
const lengthField: Mutator = (b, { rng, message }) => {
  const offs = attrHeaderOffsets(b, message);
  const out = Buffer.from(b);
  if (message && out.length >= 4 && (offs.length === 0 || rng.chance(0.15))) {
    const cur = out.readUInt32LE(0);
    out.writeUInt32LE(rng.pick([0, 1, 15, 16, 17, cur - 1, cur + 1, cur + 4, out.length + 1, 0xffffffff, rng.u32()]) >>> 0, 0);
    return out;
  }
  if (!offs.length) return undefined;
  const at = rng.pick(offs);
  const cur = out.readUInt16LE(at);
  const left = out.length - at;
  const v = rng.pick([0, 1, 2, 3, 4, 5, cur - 1, cur + 1, cur + 3, cur + 4, left, left + 1, 0xffff, rng.u32() & 0xffff]);
  out.writeUInt16LE(v & 0xffff, at);
  return out;
};

/** Copies a run of bytes from a donor over part of the input. */
const overwrite: Mutator = (b, { rng, donors }) => {
  if (!donors.length || !b.length) return undefined;
  const d = rng.pick(donors);
  if (!d.length) return undefined;
  const len = 1 + rng.below(Math.min(32, d.length));
  const from = rng.below(d.length - len + 1);
  const to = rng.below(Math.max(1, b.length - len + 1));
  const out = Buffer.from(b);
  d.copy(out, to, from, from + Math.min(len, out.length - to));
  return out;
};

const retype: Mutator = (b, { rng, types, message }) => {
  if (!message || b.length < 6 || !types.length) return undefined;
  const out = Buffer.from(b);
  out.writeUInt16LE(rng.chance(0.8) ? rng.pick(types) : rng.u32() & 0xffff, 4);
  return out;
};

// ── structure-aware ─────────────────────────────────────────────────────

function structural(edit: (t: ReturnType<typeof parseTree>, c: MutationContext) => boolean): Mutator {
  return (b, c) => {
    const t = parseTree(b, c.message);
    if (!edit(t, c)) return undefined;
    return serialize(t);
  };
}

const duplicate = structural((t, { rng }) => {
  const ls = lists(t).filter((l) => l.length);
  if (!ls.length) return false;
  const l = rng.pick(ls);
  const i = rng.below(l.length);
  for (let n = rng.chance(0.2) ? 2 + rng.below(30) : 1; n > 0; n--) l.splice(i + 1, 0, cloneNode(l[i]!));
  return true;
});

const remove = structural((t, { rng }) => {
  const ls = lists(t).filter((l) => l.length);
  if (!ls.length) return false;
  const l = rng.pick(ls);
  l.splice(rng.below(l.length), 1);
  return true;
});

const swap = structural((t, { rng }) => {
  const ls = lists(t).filter((l) => l.length >= 2);
  if (!ls.length) return false;
  const l = rng.pick(ls);
  const i = rng.below(l.length);
  const j = rng.below(l.length);
  [l[i], l[j]] = [l[j]!, l[i]!];
  return true;
});

const retypeAttr = structural((t, { rng }) => {
  const ns = allNodes(t);
  if (!ns.length) return false;
  const n = rng.pick(ns);
  const r = rng.below(4);
  n.type = r === 0 ? n.type ^ 0x8000 : r === 1 ? (n.type + (rng.chance(0.5) ? 1 : -1)) & 0xffff : r === 2 ? rng.below(64) : rng.u32() & 0xffff;
  return true;
});

/** A payload replaced by one of another length (a u32 where a u8 goes, an address of 5 bytes...). */
const resize = structural((t, { rng }) => {
  const leaves = allNodes(t).filter((n) => n.payload);
  if (!leaves.length) return false;
  const n = rng.pick(leaves);
  const len = rng.chance(0.5) ? Math.max(0, n.payload!.length + rng.pick([-4, -2, -1, 1, 2, 4])) : rng.pick([0, 1, 2, 3, 4, 5, 6, 8, 12, 16, 17, 20, 32]);
  const p = rng.chance(0.5) ? Buffer.alloc(len) : rng.bytes(len);
  n.payload!.copy(p, 0, 0, Math.min(len, n.payload!.length));
  n.payload = p;
  return true;
});

const splice = structural((t, { rng, donors, message }) => {
  if (!donors.length) return false;
  const d = parseTree(rng.pick(donors), message);
  const ns = allNodes(d);
  if (!ns.length) return false;
  const l = rng.pick(lists(t));
  l.splice(rng.below(l.length + 1), 0, cloneNode(rng.pick(ns)));
  return true;
});

/** A nest placed inside a copy of itself, or a node wrapped in a new nest: deeper trees. */
const deepen = structural((t, { rng }) => {
  const nests = allNodes(t).filter((n) => n.kids);
  if (nests.length && rng.chance(0.7)) {
    const n = rng.pick(nests);
    for (let k = 1 + rng.below(6); k > 0; k--) n.kids!.push(cloneNode(n));
    return true;
  }
  const l = rng.pick(lists(t));
  if (!l.length) return false;
  const i = rng.below(l.length);
  l[i] = { type: rng.below(32) | (rng.chance(0.5) ? 0x8000 : 0), kids: [l[i]!] };
  return true;
});

const MUTATORS: readonly [Mutator, number][] = [
  [bitFlips, 4], [byteSets, 3], [intSet, 3], [truncate, 2], [extend, 1], [lengthField, 4], [overwrite, 2], [retype, 1],
  [duplicate, 3], [remove, 2], [swap, 2], [retypeAttr, 2], [resize, 3], [splice, 3], [deepen, 1],
];
const TOTAL = MUTATORS.reduce((s, [, w]) => s + w, 0);

function pickMutator(rng: Rng): Mutator {
  let r = rng.below(TOTAL);
  for (const [m, w] of MUTATORS) { if (r < w) return m; r -= w; }
  return bitFlips;
}

/** 1 to 5 mutations in a row; whatever a mutator cannot apply to is skipped. */
export function mutate(seed: Buffer, c: MutationContext): Buffer {
  let b = seed;
  for (let n = 1 + c.rng.below(5); n > 0; n--) {
    const next = pickMutator(c.rng)(b, c);
    if (next && next.length <= 0xffff * 2) b = next;
  }
  return b;
}

/** Random bytes, or a random message of one of the types (a valid header, garbage after it). */
export function randomInput(c: MutationContext): Buffer {
  const { rng } = c;
  const b = rng.bytes(rng.below(rng.chance(0.8) ? 128 : 2048));
  if (c.message && b.length >= 16 && rng.chance(0.7)) {
    b.writeUInt32LE(b.length, 0);
    if (c.types.length) b.writeUInt16LE(rng.pick(c.types), 4);
  }
  return b;
}
