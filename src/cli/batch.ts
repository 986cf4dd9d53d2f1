// `netlink-ts -batch FILE [-force]`: the commands of FILE (or standard input
// for `-`), one per line without the program name, like `ip -batch`: words
// split at blanks, quotes ('...' or "...") keep blanks inside a word, `#`
// starts a comment. The first failed command stops the batch ("Command
// failed FILE:LINE") unless -force, which goes on and still ends with status
// 1. Each line may start with its own options (`-6 route add ...`; ip -batch
// takes none there); the command line's (-n NAME, -j, ...) apply to every
// line. Every line runs as its own command, through one client per
// namespace kept for the whole batch: what a batch saves is starting a
// process per command.
import { readFileSync } from 'node:fs';
import { UsageError } from './args.js';

/** One line's words, as iproute2's makeargs splits them. */
export function batchWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length || line[i] === '#') return words;
    const quote = line[i] === '"' || line[i] === "'" ? line[i] : undefined;
    if (quote) {
      const end = line.indexOf(quote, i + 1);
      if (end < 0) throw new UsageError(`unterminated quoted string: ${line.slice(i)}`);
      words.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      const start = i;
      while (i < line.length && !/\s/.test(line[i]!)) i++;
      words.push(line.slice(start, i));
    }
  }
}

/**
 * Runs each line of the file through `run` (the command line's own entry,
 * given `globals` before the line's words); returns the batch's status.
 */
export async function runBatch(file: string, globals: string[], force: boolean, run: (argv: string[]) => Promise<number>): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the batch file ${file}: ${(err as Error).message}`);
  }
  const label = file === '-' ? '-' : file;
  let status = 0;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [n, line] of lines.entries()) {
    let code: number;
    try {
      const words = batchWords(line);
      if (words.length === 0) continue;
      for (const w of words) {
        if (!w.startsWith('-')) break;
        if (w === '-b' || w === '-batch' || w === '--batch') throw new UsageError('a batch line cannot start another batch');
      }
      code = await run([...globals, ...words]);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`netlink-ts: ${err.message}\n`);
      code = 2;
    }
    if (code !== 0) {
      process.stderr.write(`Command failed ${label}:${n + 1}\n`);
      status = 1;
      if (!force) break;
    }
  }
  return status;
}
