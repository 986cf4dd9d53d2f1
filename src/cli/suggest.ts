// "Did you mean": the known words closest to a mistyped one, by edit distance
// (insertions, deletions, substitutions and swaps of neighbours each cost 1).

/** Optimal string alignment distance between a and b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
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

/**
 * The candidates close enough to `word` to be what was meant: at most 1 edit
 * for words of up to 4 letters, 2 beyond (a wider net suggests nonsense), the
 * closest first. Empty when nothing is close.
 */
export function suggest(word: string, candidates: readonly string[]): string[] {
  const limit = word.length <= 4 ? 1 : 2;
  const scored = candidates.map((c) => ({ c, d: editDistance(word.toLowerCase(), c) })).filter((x) => x.d <= limit);
  const best = Math.min(...scored.map((x) => x.d));
  return [...new Set(scored.filter((x) => x.d === best).map((x) => x.c))];
}

/** ` Did you mean "x"?` (or "x" or "y"), or '' when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s.length ? ` Did you mean ${s.map((c) => `"${c}"`).join(' or ')}?` : '';
}
