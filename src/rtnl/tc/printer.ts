// One print call, two outputs, as iproute2's print_* functions work: every
// field goes to the JSON object under its key and/or to the text line in its
// format, so `show` and `show --json` can never disagree on what they list.
import { TcFloat, type TcJsonObject, type TcJsonValue, formatG, obj } from './json.js';

/** Prints tc objects as `tc` does, as text or JSON. */
export class TcPrinter {
  text = '';

  constructor(readonly json: TcJsonObject = obj()) {}

  /** A field in both outputs; `text` is what the line shows (omit to show nothing). */
  any(key: string, value: TcJsonValue | undefined, text?: string): this {
    if (value === undefined) return this;
    this.json.put(key, value);
    if (text !== undefined) this.text += text;
    return this;
  }

  /** A double, printed as "%g" in JSON. */
  float(key: string, value: number, text?: string): this {
    return this.any(key, new TcFloat(value), text);
  }

  /** A value for the JSON output only (absent: nothing). */
  onlyJson(key: string, value: TcJsonValue | undefined): this {
    if (value !== undefined) this.json.put(key, value);
    return this;
  }

  /** Text for the text output only. */
  onlyText(text: string): this {
    this.text += text;
    return this;
  }

  /** A nested JSON object whose text continues on the same line. */
  nest(key: string, fill: (p: TcPrinter) => void): this {
    const child = new TcPrinter();
    fill(child);
    this.json.put(key, child.json);
    this.text += child.text;
    return this;
  }

  /** A JSON array of objects (actions), text appended in order. */
  list(key: string, items: ((p: TcPrinter) => void)[]): this {
    const arr: TcJsonValue[] = [];
    for (const fill of items) {
      const child = new TcPrinter();
      fill(child);
      arr.push(child.json);
      this.text += child.text;
    }
    this.json.put(key, arr);
    return this;
  }
}

// ── units the way tc prints them (lib/json_print_math.c, lib/utils.c) ──

/** print_rate: bits per second with SI prefixes, "%.0f". */
export function sprintRate(bytesPerSec: number): string {
  let rate = bytesPerSec * 8;
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (rate < 1000) break;
    if (rate % 1000 !== 0 && rate < 1000 * 1000) break;
    rate = Math.floor(rate / 1000);
  }
  return `${rate.toFixed(0)}${units[i]}bit`;
}

/** sprint_size: bytes, Kb or Mb when close to a round number. */
export function sprintSize(sz: number): string {
  const kilo = 1024;
  const mega = kilo * kilo;
  if (sz >= mega && Math.abs(mega * Math.round(sz / mega) - sz) < 1024) return `${gFormat(Math.round(sz / mega))}Mb`;
  if (sz >= kilo && Math.abs(kilo * Math.round(sz / kilo) - sz) < 16) return `${gFormat(Math.round(sz / kilo))}Kb`;
  return `${sz}b`;
}

/** sprint_time: microseconds as s, ms or us with "%.3g". */
export function sprintTime(usec: number): string {
  if (usec >= 1000000) return `${g3(usec / 1000000)}s`;
  if (usec >= 1000) return `${g3(usec / 1000)}ms`;
  return `${usec}us`;
}

/** sprint_time64: nanoseconds as s, ms, us or ns with "%.3g". */
export function sprintTime64(nsec: number): string {
  if (nsec >= 1e9) return `${g3(nsec / 1e9)}s`;
  if (nsec >= 1e6) return `${g3(nsec / 1e6)}ms`;
  if (nsec >= 1e3) return `${g3(nsec / 1e3)}us`;
  return `${nsec}ns`;
}

function gFormat(x: number): string {
  return formatG(x);
}

function g3(x: number): string {
  return formatG(x, 3);
}
