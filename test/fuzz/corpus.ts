// The regression corpus: every input that ever failed a check, one file per
// input under test/fuzz/corpus/<target>/<hash>.hex (the bytes in hex, one
// line), replayed by the unit test so a fixed decoder stays fixed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckStats, type Failure, check, newStats } from './checks.js';
import { targetNamed } from './targets.js';

export const CORPUS_DIR = new URL('../../../test/fuzz/corpus/', import.meta.url).pathname;

export interface CorpusItem { target: string; hex: string; file: string }

export function loadCorpus(dir = CORPUS_DIR): CorpusItem[] {
  const out: CorpusItem[] = [];
  if (!existsSync(dir)) return out;
  for (const target of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const f of readdirSync(join(dir, target)).filter((x) => x.endsWith('.hex')).sort()) {
      out.push({ target, hex: readFileSync(join(dir, target, f), 'utf8').trim(), file: `${target}/${f}` });
    }
  }
  return out;
}

/** Saves a failing input; returns its file name (relative to the corpus), or undefined if it was there already. */
export function saveToCorpus(f: Failure, dir = CORPUS_DIR): string | undefined {
  const name = `${createHash('sha1').update(f.input).digest('hex').slice(0, 16)}.hex`;
  const d = join(dir, f.target);
  const file = join(d, name);
  if (existsSync(file)) return undefined;
  mkdirSync(d, { recursive: true });
  writeFileSync(file, `${f.input.toString('hex')}\n`);
  return `${f.target}/${name}`;
}

/**
 * Shrinks a failing input while it keeps failing the same way (cuts from the
 * end, then chunks from the middle, halving the chunk size), so a corpus file
 * shows the few bytes that matter. Hangs are kept as they are.
 */
export function minimize(f: Failure, budget = 3000): Failure {
  const t = targetNamed(f.target);
  if (!t || f.kind === 'hang') return f;
  const stats: CheckStats = newStats();
  let best = f;
  const fails = (b: Buffer): Failure | undefined => {
    if (budget-- <= 0) return undefined;
    const g = check(t, b, stats);
    return g && g.kind === f.kind ? g : undefined;
  };
  for (let chunk = best.input.length >> 1; chunk >= 1 && budget > 0; chunk >>= 1) {
    for (let at = best.input.length - chunk; at >= 0 && budget > 0; at -= chunk) {
      const cand = Buffer.concat([best.input.subarray(0, at), best.input.subarray(at + chunk)]);
      if (t.input === 'message' && cand.length >= 4) cand.writeUInt32LE(cand.length, 0);
      const g = fails(cand);
      if (g) best = g;
    }
  }
  return best;
}
