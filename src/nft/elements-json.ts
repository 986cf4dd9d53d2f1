// Set elements as nft prints them: a value, a prefix or a range (interval
// sets keep each interval as a start element and an end element flagged
// NFT_SET_ELEM_INTERVAL_END, one past the last value), a concatenation, and
// for maps [key, data] pairs.
import { NFT_SET_ELEM_INTERVAL_END } from '../generated/linux/netfilter/nf_tables.js';
import type { Datatype, NftValue } from './datatypes.js';
import type { NftData } from './data.js';
import type { Elem } from './objects.js';

/** Bytes of each member of a concatenation as it sits in the registers: rounded up to 4. */
export function concatLens(types: readonly Datatype[], total: number, fieldLens?: readonly number[]): number[] {
  if (fieldLens && fieldLens.length === types.length) return fieldLens.map((l) => (l + 3) & ~3);
  if (types.length === 1) return [total];
  return types.map((t) => ((t.size || 4) + 3) & ~3);
}

/** Formats a key of `types` (a concatenation when more than one). */
export function keyValue(b: Buffer, types: readonly (Datatype | undefined)[], lens: readonly number[], fallback: Datatype): NftValue {
  if (types.length === 1) return (types[0] ?? fallback).format(b);
  const parts: NftValue[] = [];
  let at = 0;
  types.forEach((t, i) => {
    const ty = t ?? fallback;
    const len = ty.size || lens[i]!;
    parts.push(ty.format(b.subarray(at, at + len)));
    at += lens[i]!;
  });
  return { concat: parts };
}

export function verdictJson(v: NonNullable<NftData['verdict']>): NftValue {
  const code = v.code;
  if (code === 'jump' || code === 'goto') return { [code]: { target: v.chain ?? '' } };
  return { [typeof code === 'number' ? `verdict ${code}` : code ?? 'continue']: null };
}

function dataJson(d: NftData | undefined, dataType: Datatype | 'verdict' | undefined): NftValue | undefined {
  if (d === undefined) return undefined;
  if (d.verdict) return verdictJson(d.verdict);
  if (d.value && dataType && dataType !== 'verdict') return dataType.format(d.value);
  return d.value ? `0x${d.value.toString('hex')}` : undefined;
}

/** b + 1 as a big-endian number, or undefined when b is all ones (an interval that runs to the end). */
export function plusOne(b: Buffer): Buffer | undefined {
  const out = Buffer.from(b);
  for (let i = out.length - 1; i >= 0; i--) { if (out[i] === 0xff) out[i] = 0; else { out[i]!++; return out; } }
  return undefined;
}
function minusOne(b: Buffer): Buffer {
  const out = Buffer.from(b);
  for (let i = out.length - 1; i >= 0; i--) { if (out[i] === 0) out[i] = 0xff; else { out[i]!--; break; } }
  return out;
}

/** The prefix length when [lo, hi] is exactly one aligned prefix, else undefined. */
export function prefixOf(lo: Buffer, hi: Buffer): number | undefined {
  const bits = lo.length * 8;
  let len = 0;
  while (len < bits) {
    const byte = len >> 3;
    const bit = 0x80 >> (len & 7);
    if ((lo[byte]! & bit) !== (hi[byte]! & bit)) break;
    len++;
  }
  for (let i = len; i < bits; i++) {
    const byte = i >> 3;
    const bit = 0x80 >> (i & 7);
    if ((lo[byte]! & bit) !== 0 || (hi[byte]! & bit) === 0) return undefined;
  }
  return len;
}

/** One interval as nft prints it: a value, a prefix (address types) or a range. */
export function intervalJson(lo: Buffer, hi: Buffer, type: Datatype): NftValue {
  if (lo.equals(hi)) return type.format(lo);
  const p = prefixOf(lo, hi);
  if (p !== undefined && (type.name === 'ipv4_addr' || type.name === 'ipv6_addr')) return { prefix: { addr: type.format(lo), len: p } };
  return { range: [type.format(lo), type.format(hi)] };
}

export interface ElementsView {
  types: readonly (Datatype | undefined)[];
  lens: readonly number[];
  fallback: Datatype;
  interval: boolean;
  dataType?: Datatype | 'verdict';
}

/** The elements of a set as nft lists them, sorted as the kernel keeps them (nft sorts by value). */
export function elementsJson(elems: readonly Elem[], view: ElementsView): NftValue[] {
  const out: NftValue[] = [];
  const withKey = elems.filter((e) => e.key?.value !== undefined);
  if (view.interval && view.types.length === 1) {
    const sorted = [...withKey].sort((a, b) => Buffer.compare(a.key!.value!, b.key!.value!));
    const type = view.types[0] ?? view.fallback;
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i]!;
      if ((e.flags ?? 0) & NFT_SET_ELEM_INTERVAL_END) continue;
      const lo = e.key!.value!;
      const next = sorted[i + 1];
      const hi = next && ((next.flags ?? 0) & NFT_SET_ELEM_INTERVAL_END) ? minusOne(next.key!.value!) : Buffer.alloc(lo.length, 0xff);
      out.push(decorate(intervalJson(lo, hi, type), e, view));
    }
    return out;
  }
  const sorted = [...withKey].sort((a, b) => Buffer.compare(a.key!.value!, b.key!.value!));
  for (const e of sorted) {
    let key: NftValue;
    if (e.keyEnd?.value && view.types.length > 1) {
      // A concatenation of ranges: each member from key to keyEnd.
      const parts: NftValue[] = [];
      let at = 0;
      view.types.forEach((t, i) => {
        const ty = t ?? view.fallback;
        const len = ty.size || view.lens[i]!;
        parts.push(intervalJson(e.key!.value!.subarray(at, at + len), e.keyEnd!.value!.subarray(at, at + len), ty));
        at += view.lens[i]!;
      });
      key = { concat: parts };
    } else {
      key = keyValue(e.key!.value!, view.types, view.lens, view.fallback);
    }
    out.push(decorate(key, e, view));
  }
  return out;
}

function decorate(key: NftValue, e: Elem, view: ElementsView): NftValue {
  let k = key;
  if (e.timeout !== undefined || e.expiration !== undefined) {
    const o: Record<string, NftValue> = { val: key };
    if (e.timeout !== undefined) o.timeout = Math.floor(Number(e.timeout) / 1000);
    if (e.expiration !== undefined) o.expires = Math.floor(Number(e.expiration) / 1000);
    k = { elem: o };
  }
  const d = dataJson(e.data, view.dataType);
  return d === undefined ? k : [k, d];
}

