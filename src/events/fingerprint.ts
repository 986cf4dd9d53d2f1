// "Did it change?": a stable text form of a decoded object without the fields
// the kernel changes silently (counters), so that a state equal to what is
// known is recognised as such.

/** Names an attribute kept undecoded (in `unknown`) by its type, in a volatile list. */
export function unknownAttr(type: number): string {
  return `#${type}`;
}

/** A stable text form of an object without its volatile fields (names, or unknownAttr(type)). */
export function fingerprint(obj: unknown, volatile: readonly string[] = []): string {
  return JSON.stringify(obj, (key, value) => {
    if (volatile.includes(key) || key === 'issues') return undefined;
    // Buffer#toJSON has run before the replacer sees it: { type: 'Buffer', data: [...] }.
    const b = value as { type?: unknown; data?: unknown };
    if (b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data)) return Buffer.from(b.data as number[]).toString('hex');
    if (typeof value === 'bigint') return value.toString();
    // An undecoded attribute ({ type, data }) named volatile by its type.
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'number' && 'data' in value && volatile.includes(unknownAttr((value as { type: number }).type))) return undefined;
    return value;
  });
}

