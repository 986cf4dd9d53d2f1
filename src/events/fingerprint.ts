// "Did it change?": a stable text form of a decoded object without the fields
// the kernel changes silently (counters), so that a state equal to what is
// known is recognised as such.

/** Names an attribute kept undecoded (in `unknown`) by its type, in a volatile list. */
export function unknownAttr(type: number): string {
  return `#${type}`;
}

/** A stable text form of an object without its volatile fields (names, or unknownAttr(type)). */
export function fingerprint(obj: unknown, volatile: readonly string[] = []): string {
  return JSON.stringify(obj, (key: string, value: unknown) => {
    if (volatile.includes(key) || key === 'issues') return undefined;
    if (typeof value === 'bigint') return value.toString();
    if (value === null || typeof value !== 'object' || !('type' in value) || !('data' in value)) return value;
    // Buffer#toJSON has run before the replacer sees it: { type: 'Buffer', data: [...] }.
    if (value.type === 'Buffer' && Array.isArray(value.data)) return Buffer.from(value.data).toString('hex');
    // An undecoded attribute ({ type, data }) named volatile by its type.
    if (typeof value.type === 'number' && volatile.includes(unknownAttr(value.type))) return undefined;
    return value;
  });
}

