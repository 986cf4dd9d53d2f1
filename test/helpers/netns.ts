// Looking at namespaces from kernel tests: which namespace each of our
// threads is in, how many fds we hold, what is mounted where.
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/** thread id → its network namespace (`net:[INODE]`), for every thread of this process. */
export function threadNamespaces(): Map<string, string> {
  const out = new Map<string, string>();
  for (const tid of readdirSync('/proc/self/task')) {
    try { out.set(tid, readlinkSync(`/proc/self/task/${tid}/ns/net`)); } catch { /* the thread just ended */ }
  }
  return out;
}

/** The threads not in the namespace `expected` (`net:[INODE]`); empty when all are. */
export function threadsElsewhere(expected: string): string[] {
  return [...threadNamespaces()].filter(([, ns]) => ns !== expected).map(([tid, ns]) => `${tid}:${ns}`);
}

export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** The mountinfo lines whose mount point is `path`. */
export function mountsAt(path: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === path);
}

/** `net:[INODE]` of a namespace file, as readlink on /proc/PID/ns/net shows it. */
export function nsId(path: string): string {
  return `net:[${statSync(path).ino}]`;
}
