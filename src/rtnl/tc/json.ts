// JSON written the way iproute2's json_writer writes it for tc: compact, keys
// in print order, a key may repeat (u32 prints one "match" per key), and
// doubles printed with "%g". JSON.stringify can do neither of the last two,
// so tc output is built as ordered entries and serialized here.

/** A value of tc's JSON output. */
export type TcJsonValue = null | boolean | number | string | TcJsonObject | TcJsonValue[] | TcFloat;

/** A double printed as C's "%g". */
export class TcFloat {
  constructor(readonly value: number) {}
}

/** An object whose entries keep their order and may repeat a key. */
export class TcJsonObject {
  readonly entries: [string, TcJsonValue][] = [];

  /** Adds an entry unless the value is undefined. */
  put(key: string, value: TcJsonValue | undefined): this {
    if (value !== undefined) this.entries.push([key, value]);
    return this;
  }

  /** A member's value. */
  get(key: string): TcJsonValue | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]![0] === key) return this.entries[i]![1];
    return undefined;
  }

  get size(): number {
    return this.entries.length;
  }
}

export const obj = (): TcJsonObject => new TcJsonObject();

/** C's printf("%.<precision>g", x); "%g" is precision 6. */
export function formatG(x: number, precision = 6): string {
  if (Number.isNaN(x)) return x < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Number(x.toExponential(precision - 1).split('e')[1]);
  if (exp < -4 || exp >= precision) {
    // toExponential always writes an "e": both parts are there.
    const [m = '', e = ''] = x.toExponential(precision - 1).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, precision - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

export function serialize(v: TcJsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof TcFloat) return formatG(v.value);
  if (Array.isArray(v)) return `[${v.map(serialize).join(',')}]`;
  return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${serialize(x)}`).join(',')}}`;
}

/** For callers that want plain data: duplicate keys keep their last value, as JSON.parse would. */
export function toPlain(v: TcJsonValue): unknown {
  return JSON.parse(serialize(v));
}
