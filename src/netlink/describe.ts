// How a bad value is named in an error message ("got null", "got Buffer(3)").
// Every layer reports bad input this way, so it lives in the protocol core,
// which imports nothing from the other layers (docs/architecture.md).

/** A short description of a value for an error message: strings quoted and cut, objects by class. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return `Buffer(${v.length})`;
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return String(v);
}
