// Reading an untyped value (parsed JSON, or a TypeScript object that may not
// be what its type says) into typed parts while collecting every problem, each
// with its path in the description. A reader returns undefined for a part it
// could not read and carries on, so one pass reports everything.

/** A problem in a lab description: where (`path`) and what. */
export interface Problem {
  /** Where in the description, e.g. `veths[1].b.namespace`; '' for the whole. */
  path: string;
  message: string;
}

/** A problem as one line: `path: message`. */
export function problemText(p: Problem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** How a JSON value is called in a message. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  if (typeof v === 'number') return `a number (${v})`;
  if (typeof v === 'boolean') return `${v}`;
  return typeof v;
}

/** The closest candidate within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { best = c; bestD = d; }
  }
  const limit = Math.max(1, Math.min(2, Math.floor(word.length / 3)));
  return best !== undefined && bestD <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
}

/** Levenshtein distance, with an adjacent swap counted as one edit. */
function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Collects problems while reading parts of an untyped value. */
export class Reader {
  readonly problems: Problem[] = [];

  report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /**
   * An object with these keys: reports a value that is not an object, every
   * unknown key and every missing required key.
   */
  object(v: unknown, path: string, required: readonly string[], optional: readonly string[]): Record<string, unknown> | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.report(path, `expected an object, got ${kindOf(v)}`);
      return undefined;
    }
    const o = v as Record<string, unknown>;
    const known = [...required, ...optional];
    for (const k of Object.keys(o)) {
      if (!known.includes(k)) this.report(join(path, k), `unknown key${didYouMean(k, known)}; expected one of ${known.join(', ')}`);
    }
    for (const k of required) {
      if (o[k] === undefined) this.report(join(path, k), 'required, missing');
    }
    return o;
  }

  /** A map with keys of the caller's choosing (sysctls, hosts). */
  record(v: unknown, path: string): Record<string, unknown> | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.report(path, `expected an object, got ${kindOf(v)}`);
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  array(v: unknown, path: string): unknown[] | undefined {
    if (!Array.isArray(v)) {
      this.report(path, `expected an array, got ${kindOf(v)}`);
      return undefined;
    }
    return v;
  }

  string(v: unknown, path: string): string | undefined {
    if (typeof v !== 'string') {
      this.report(path, `expected a string, got ${kindOf(v)}`);
      return undefined;
    }
    return v;
  }

  /** A lab name part: letters, digits, '_', '.', '-', starting with a letter or digit. */
  name(v: unknown, path: string, pattern: RegExp): string | undefined {
    const s = this.string(v, path);
    if (s === undefined) return undefined;
    if (!pattern.test(s)) {
      this.report(path, `${JSON.stringify(s)} is not a usable name: use letters, digits, '_', '.' and '-', starting with a letter or digit`);
      return undefined;
    }
    return s;
  }

  boolean(v: unknown, path: string): boolean | undefined {
    if (typeof v !== 'boolean') {
      this.report(path, `expected true or false, got ${kindOf(v)}`);
      return undefined;
    }
    return v;
  }

  integer(v: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.report(path, `expected a whole number, got ${kindOf(v)}`);
      return undefined;
    }
    if (v < min || v > max) {
      this.report(path, `${v} is out of range ${min}..${max}`);
      return undefined;
    }
    return v;
  }

  /** Reads an optional part only when it is present. */
  optional<T>(v: unknown, read: (v: unknown) => T | undefined): T | undefined {
    return v === undefined ? undefined : read(v);
  }
}
