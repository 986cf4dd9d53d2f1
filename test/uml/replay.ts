// Replaying captured iproute2 commands (test/fixtures/iproute2) on the guest's
// kernel: each fixture gets device names of its own, once for iproute2 and
// once for netlink-ts, so one dump holds every fixture's state twice.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import type { Fixture } from '../fixtures/capture.js';
import { cli } from '../helpers/cli-path.js';
import { listFixtures, loadFixture } from '../helpers/fixtures.js';
import { run } from '../helpers/sh.js';


/** The device names the captures used, longest first (nlts-v0.10 before nlts-v0). */
const CAPTURE_NAMES = /nlts-[a-z0-9.]+/g;

export interface Replayed {
  slug: string;
  fixture: Fixture;
  /** Capture name → this replay's name, for iproute2's copy and ours. */
  theirs: Map<string, string>;
  ours: Map<string, string>;
}

/** Fixtures of `dir` the host kernel refused (what only a second kernel can check), or all of them. */
export function refusedFixtures(dir: string): { slug: string; fixture: Fixture }[] {
  return listFixtures(dir).map((file) => ({ slug: file.slice(dir.length + 1, -'.json'.length), fixture: loadFixture(file) }))
    .filter((f) => f.fixture.status !== 0);
}

/** Gives every capture name of the fixture a short name of its own (IFNAMSIZ is 16). */
export function namesFor(f: Fixture, prefix: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const text of [...(f.setup ?? []), f.command]) {
    for (const m of text.matchAll(CAPTURE_NAMES)) {
      const name = m[0].replace(/\.$/, '');
      if (!names.has(name)) names.set(name, `${prefix}${names.size}`);
    }
  }
  return names;
}

export function rename(text: string, names: Map<string, string>): string {
  return text.replace(CAPTURE_NAMES, (m) => {
    const trail = m.endsWith('.') ? '.' : '';
    const name = trail ? m.slice(0, -1) : m;
    return (names.get(name) ?? name) + trail;
  });
}

/** Runs an iproute2 command line (`ip ...` / `tc ...`), split at spaces as the captures were written. */
export function iproute2(line: string): string {
  const [tool, ...args] = line.split(' ');
  return run(tool!, args);
}

/**
 * Runs the lines through `netlink-ts -batch -` (one Node process for all: starting one costs ~1 s under
 * UML); with `force`, on past a failed line, and what it said on stderr is returned rather than thrown.
 */
export function oursBatch(lines: string[], force = false): { stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, '-batch', '-', ...(force ? ['-force'] : [])], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
  if (r.status !== 0 && !force) throw new Error(`netlink-ts -batch failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Replaces every name of `names` by its capture name, so two replays' JSON compare. */
export function backToCapture(text: string, names: Map<string, string>): string {
  let out = text;
  for (const [capture, mine] of names) out = out.replace(new RegExp(`\\b${mine.replace(/[.]/g, '\\.')}\\b`, 'g'), capture);
  return out;
}

/**
 * `netlink-ts FLAGS -batch` prints, line for line, what `TOOL FLAGS -batch` prints for the same
 * commands (one process each, whatever the number of lines). Counters may move between the two
 * reads: a difference is read again (3 times) before it counts.
 */
export function sameBatchJson(tool: 'ip' | 'tc', flags: string[], lines: string[]): void {
  let ours: string[] = [];
  let theirs: string[] = [];
  for (let i = 0; i < 3; i++) {
    ours = oursBatch(lines.map((l) => `${flags.join(' ')} ${l}`)).stdout.trim().split('\n');
    theirs = run(tool, [...flags, '-batch', '-'], `${lines.join('\n')}\n`).trim().split('\n');
    if (ours.join('\n') === theirs.join('\n')) return;
  }
  for (const [i, line] of lines.entries()) assert.is(ours[i], theirs[i], `netlink-ts ${flags.join(' ')} ${line} = ${tool} ${flags.join(' ')} ${line}`);
  assert.is(ours.length, theirs.length, 'as many lines');
}
