// Reading a lab description from a file: JSON, or a JavaScript module whose
// default export is the description (what a compiled TypeScript file gives).
// JSON syntax errors become problems like any other, with a line and column.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Problem } from './shape.js';
import { type ValidationResult, validate } from './validate.js';

/** Where a JSON.parse error points, as "line L, column C" when the message has a position. */
function position(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/** The untyped content of a description file, or the problem that stops it being read. */
export async function readLabFile(path: string): Promise<{ value: unknown } | { problem: Problem }> {
  const ext = extname(path);
  if (ext === '.js' || ext === '.mjs') {
    try {
      const mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
      if (mod.default === undefined) return { problem: { path: '', message: `${path} has no default export (export default { name: ..., namespaces: [...] })` } };
      return { value: mod.default };
    } catch (err) {
      return { problem: { path: '', message: `cannot load ${path}: ${err instanceof Error ? err.message : String(err)}` } };
    }
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { problem: { path: '', message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` } };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).replace(/\n/g, '\\n');
    return { problem: { path: '', message: `${path} is not valid JSON${position(text, message)}: ${message}` } };
  }
}

/** Reads and validates a description file. */
export async function loadLabFile(path: string): Promise<ValidationResult> {
  const r = await readLabFile(path);
  if ('problem' in r) return { ok: false, problems: [r.problem] };
  return validate(r.value);
}
