// Which C library this process runs on, and the name to dlopen it by. Node
// on Linux is built against glibc or musl (Alpine); ffi-rs ships a binary for
// each, and the libc calls in libc.ts must go to the one the process has.
// Reading /proc/self/maps costs microseconds; process.report's
// glibcVersionRuntime costs ~13 ms, too much for start-up.
import { readFileSync } from 'node:fs';

export interface CLibrary {
  readonly family: 'glibc' | 'musl';
  /** What dlopen is given. */
  readonly soname: string;
}

/** Files mapped into this process (/proc/self/maps); empty when /proc cannot be read. */
export function mappedFiles(maps?: string): Set<string> {
  const out = new Set<string>();
  let text = maps ?? '';
  if (maps === undefined) {
    try { text = readFileSync('/proc/self/maps', 'utf8'); } catch { /* no /proc: nothing known to be mapped */ }
  }
  for (const line of text.split('\n')) {
    const slash = line.indexOf('/');
    if (slash >= 0) out.add(line.slice(slash));
  }
  return out;
}

/** musl's name for an architecture, as in ld-musl-NAME.so.1. */
const MUSL_ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armhf', ia32: 'i386', riscv64: 'riscv64', s390x: 's390x', ppc64: 'powerpc64le' };

/**
 * The C library of a process with these files mapped. A glibc process has
 * libc.so.6 mapped; musl's libc is its dynamic loader, ld-musl-ARCH.so.1.
 * Nothing known to be mapped (no /proc): glibc, as ffi-rs itself assumes.
 * musl's name is the one its programs are linked against
 * (libc.musl-ARCH.so.1): its dlopen answers any "libc." name with the
 * running libc itself, never a second copy from disk.
 */
export function detectCLibrary(mapped: ReadonlySet<string>, arch: string = process.arch): CLibrary {
  const files = [...mapped];
  if (files.length === 0 || files.some((f) => /\/libc\.so\.6$/.test(f))) return { family: 'glibc', soname: 'libc.so.6' };
  const musl = files.map((f) => /\/(?:ld-musl|libc\.musl)-([^/]+)\.so\.1$/.exec(f)?.[1]).find((a) => a !== undefined);
  return { family: 'musl', soname: `libc.musl-${musl ?? MUSL_ARCH[arch] ?? arch}.so.1` };
}
