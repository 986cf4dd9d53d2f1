// Where headers come from: a root directory (default /usr/include) searched
// like gcc does, and the policy of headers.ts deciding which includes are
// followed. Paths are kept relative to the root, so the output does not
// depend on where the headers are installed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { KERNEL_PREFIXES, LIBC_INCLUDES } from './headers.js';
import type { IncludeDecision, PreprocessHost } from './preprocess.js';

export class HeaderHost implements PreprocessHost {
  /** dirs: searched for `#include <...>`, relative to root, multiarch first as gcc does. */
  constructor(readonly root: string, readonly dirs: readonly string[] = ['x86_64-linux-gnu', '']) {}

  private exists(rel: string): boolean {
    const full = join(this.root, rel);
    return existsSync(full) && statSync(full).isFile();
  }

  private search(name: string): string | undefined {
    for (const dir of this.dirs) {
      const rel = posix.normalize(posix.join(dir, name));
      if (this.exists(rel)) return rel;
    }
    return undefined;
  }

  resolveInclude(name: string, quoted: boolean, fromFile: string): IncludeDecision {
    if (quoted && !fromFile.startsWith('<')) {
      const local = posix.normalize(posix.join(posix.dirname(fromFile), name));
      if (this.exists(local)) return { follow: local };
    }
    if (KERNEL_PREFIXES.some((p) => name.startsWith(p))) {
      const found = this.search(name);
      return found === undefined ? { missing: `${name} not found under ${this.root}` } : { follow: found };
    }
    const rule = LIBC_INCLUDES[name];
    if (rule === undefined) return { skip: 'neither a kernel header nor listed in LIBC_INCLUDES (codegen/headers.ts)' };
    if ('skip' in rule) return rule;
    const found = this.search(rule.follow);
    return found === undefined ? { missing: `${rule.follow} not found under ${this.root}` } : { follow: found };
  }

  readFile(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }
}
