// One operation at a time on a lab, across processes: up() and down() hold
// <record dir>/<lab>.lock, a file made with O_EXCL that names its owner (pid,
// the process's start time, a random token). Another process waits for it;
// a lock whose owner is gone (no such pid, or a pid reused by a process
// started later — a kill -9 leaves its lock behind) is stale and is broken:
// moved aside under a name of its own, checked to still be the stale one
// (else put back), removed. (Within one process, lab.ts queues operations
// on a lab before they get here.)
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY } from '../../generated/asm/fcntl.js';
import { LabBusyError } from '../errors.js';

interface Owner {
  pid: number;
  /** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
  start: string;
  token: string;
}

export interface HeldLock {
  release(): Promise<void>;
  /** The same, for a process's 'exit' event. */
  releaseSync(): void;
}

/** How long a lab operation waits for another process's operation on the same lab. */
export interface LockOptions {
  /** How long to wait for a live owner before giving up (default 60 s). */
  waitMs?: number;
  /** How often to look again while waiting (default 25 ms). */
  pollMs?: number;
}

const code = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;

/** When process `pid` started, or undefined when there is no such process. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return Number.isInteger(o.pid) && typeof o.start === 'string' && typeof o.token === 'string' ? o as Owner : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote this lock still runs. */
function alive(owner: Owner): boolean {
  return processStart(owner.pid) === owner.start;
}

/** Moves a stale lock aside and removes it, unless someone replaced it meanwhile (then it is put back). */
async function breakStale(file: string, staleText: string): Promise<void> {
  const aside = `${file}.stale.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (err) {
    if (code(err) === 'ENOENT') return; // someone else broke it first
    throw err;
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== staleText) await link(aside, file).catch(() => undefined); // a live lock taken meanwhile: give it back
  await unlink(aside).catch(() => undefined);
}

/**
 * Takes the lock of `lab` in `dir` (which must exist). A LabBusyError when a live owner keeps it
 * longer than waitMs.
 */
export async function lockLab(dir: string, lab: string, options: LockOptions = {}): Promise<HeldLock> {
  const file = `${dir}/${lab}.lock`;
  const start = processStart(process.pid);
  const me: Owner = { pid: process.pid, start: start ?? '', token: randomBytes(8).toString('hex') };
  const mine = JSON.stringify(me);
  const waitMs = options.waitMs ?? 60_000;
  const pollMs = options.pollMs ?? 25;
  const t0 = Date.now();
  for (;;) {
    try {
      const fh = await open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
      try {
        await fh.writeFile(mine);
      } catch (err) {
        await fh.close();
        await unlink(file).catch(() => undefined);
        throw err;
      }
      await fh.close();
      // Only our own lock is removed (a lock broken as stale and taken by another is not ours any more).
      return {
        release: async () => {
          if (await readFile(file, 'utf8').catch(() => undefined) === mine) await unlink(file).catch(() => undefined);
        },
        releaseSync: () => {
          try {
            if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
          } catch { /* gone already */ }
        },
      };
    } catch (err) {
      if (code(err) !== 'EEXIST') throw err;
    }
    const text = await readFile(file, 'utf8').catch((err: unknown) => (code(err) === 'ENOENT' ? undefined : Promise.reject(err)));
    if (text === undefined) continue; // released just now
    const owner = parseOwner(text);
    // A lock without a readable owner is being written this instant, or was cut short by a crash: judge it after a wait.
    if (owner ? !alive(owner) : Date.now() - t0 > 2000) {
      await breakStale(file, text);
      continue;
    }
    if (Date.now() - t0 > waitMs) {
      throw new LabBusyError(`lab "${lab}" is busy: process ${owner?.pid ?? '(unknown)'} is bringing it up or down (it holds ${file}); wait for it to end, then try again`, owner?.pid);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
