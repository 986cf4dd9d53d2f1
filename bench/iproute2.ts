// Running iproute2 for the benchmark: one process per command, or one
// `ip -batch` / `tc -batch` process reading a file of commands.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'nlts-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Runs one command; its output as text. */
export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ip ARGS`, one process. */
export const ip = (...args: string[]): string => run('ip', args);
export const tc = (...args: string[]): string => run('tc', args);

let files = 0;
/** Writes the commands to a file (untimed), and returns the command line that runs them in one process: `ip -batch FILE`. */
export function batchArgv(cmd: 'ip' | 'tc', lines: string[], force = false): string[] {
  const file = join(dir, `batch-${files++}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return [cmd, ...(force ? ['-force'] : []), '-batch', file];
}

/** What runs batchArgv's command line (for the untimed setup steps). */
export function batchOf(cmd: 'ip' | 'tc', lines: string[], force = false): () => void {
  const [c, ...args] = batchArgv(cmd, lines, force);
  return () => { run(c!, args); };
}

/** Each line as its own process: `ip WORDS...`. */
export function perProcess(cmd: 'ip' | 'tc', lines: string[]): void {
  for (const l of lines) run(cmd, l.split(' '));
}
