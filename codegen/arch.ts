// The architectures the generated tables are made for, and where each one's
// headers and C compiler are found. Most of what the generator reads is the
// same on every Linux architecture; what is not (the syscall numbers, a few
// O_* flags) is generated once per architecture into src/generated/arch/NAME/
// and chosen at run time by process.arch (see docs/platforms.md).
// Both are LP64 and little-endian, so sizes, alignments and the layout rules
// of layout.ts are the same; the compiler cross-check
// (test/unit/codegen/compile-check.test.ts) proves it for each one whose
// compiler is installed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type ArchName = 'x86_64' | 'aarch64';

export interface HeaderRoot {
  readonly root: string;
  /** Directories searched for `#include <...>`, relative to root: multiarch first, as gcc does. */
  readonly dirs: readonly string[];
}

export interface ArchSpec {
  readonly name: ArchName;
  /** What Node's process.arch says on it. */
  readonly nodeArch: string;
  /** Where its headers may be installed, in the order they are tried. */
  readonly roots: readonly HeaderRoot[];
  /** A uapi header only this architecture has: tells its asm/ folder from another's. */
  readonly marker: string;
  /** gcc's predefined macros that name the architecture (the subset the headers test). */
  readonly predefined: string;
  /** C compilers that target it, tried in order; the host's `cc` only when the host is this architecture. */
  readonly compilers: readonly string[];
  /** The Debian packages that install its headers and compiler on another architecture. */
  readonly debianPackages: readonly string[];
}

export const X86_64: ArchSpec = {
  name: 'x86_64',
  nodeArch: 'x64',
  roots: [
    { root: '/usr/include', dirs: ['x86_64-linux-gnu', ''] },
    { root: '/usr/x86_64-linux-gnu/include', dirs: [''] },
  ],
  marker: 'asm/prctl.h',
  predefined: '#define __x86_64__ 1\n#define __x86_64 1\n#define __amd64__ 1\n#define __amd64 1\n',
  compilers: ['x86_64-linux-gnu-gcc'],
  debianPackages: ['gcc-x86-64-linux-gnu', 'linux-libc-dev-amd64-cross', 'libc6-dev-amd64-cross'],
};

export const AARCH64: ArchSpec = {
  name: 'aarch64',
  nodeArch: 'arm64',
  roots: [
    { root: '/usr/include', dirs: ['aarch64-linux-gnu', ''] },
    { root: '/usr/aarch64-linux-gnu/include', dirs: [''] },
  ],
  marker: 'asm/sve_context.h',
  predefined: '#define __aarch64__ 1\n#define __ARM_64BIT_STATE 1\n#define __CHAR_UNSIGNED__ 1\n',
  compilers: ['aarch64-linux-gnu-gcc'],
  debianPackages: ['gcc-aarch64-linux-gnu', 'linux-libc-dev-arm64-cross', 'libc6-dev-arm64-cross'],
};

/** In this order: the first one whose headers are installed gives the modules every architecture shares. */
export const ARCHES: readonly ArchSpec[] = [X86_64, AARCH64];

export function archByName(name: string): ArchSpec {
  const a = ARCHES.find((x) => x.name === name);
  if (a === undefined) throw new Error(`unknown architecture ${name} (known: ${ARCHES.map((x) => x.name).join(', ')})`);
  return a;
}

/** The architecture of the machine the generator runs on, if it is one of ours. */
export function hostArch(nodeArch: string = process.arch): ArchSpec | undefined {
  return ARCHES.find((a) => a.nodeArch === nodeArch);
}

/** Where this architecture's headers are, given a root to look under (or the usual places). */
export function findHeaders(arch: ArchSpec, root?: string): HeaderRoot | undefined {
  const candidates = root === undefined ? arch.roots : [{ root, dirs: [`${arch.name}-linux-gnu`, ''] }];
  for (const c of candidates) {
    const asm = c.dirs.find((d) => existsSync(join(c.root, d, arch.marker)));
    if (asm === undefined) continue;
    // The asm/ folder found must be the first one searched, or another architecture's would be read.
    const first = c.dirs.find((d) => existsSync(join(c.root, d, 'asm')));
    if (first === asm && existsSync(join(c.root, 'linux', 'netlink.h'))) return c;
  }
  return undefined;
}

/** The module path of a per-architecture module's table for one architecture. */
export function archModule(arch: ArchSpec, module: string): string {
  return `arch/${arch.name}/${module}`;
}
