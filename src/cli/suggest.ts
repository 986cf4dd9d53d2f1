// "Did you mean" for a mistyped object or verb: the closest known word within
// a small edit distance, by the same rule the lab's validator uses for its names.
import { closest } from '../lab/shape.js';

/** ` Did you mean "x"?`, or '' when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` Did you mean "${c}"?`;
}
