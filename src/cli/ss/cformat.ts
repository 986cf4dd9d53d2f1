// The few printf conversions ss's text uses that JavaScript lacks: %g
// (six significant digits, trailing zeros dropped, exponent outside
// 1e-4..1e6) and %.0f.

export function fmtG(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  // The exponent after rounding to six digits decides the style, as C says.
  const e = x.toExponential(5);
  const X = Number(e.slice(e.indexOf('e') + 1));
  if (X < -4 || X >= 6) {
    const m = strip(e.slice(0, e.indexOf('e')));
    return `${m}e${X < 0 ? '-' : '+'}${String(Math.abs(X)).padStart(2, '0')}`;
  }
  return strip(x.toFixed(5 - X));
}

function strip(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** %.0f: JavaScript's toFixed rounds half away from zero on the decimal text, printf on the binary value; they agree on integers and on anything not exactly .5. */
export function fmt0(x: number): string {
  return x.toFixed(0);
}

/** %-6d: left-justified in at least six columns. */
export function left6(n: number): string {
  return String(n).padEnd(6);
}
