// `netlink-ts -V`: the version in the package's own package.json, found by
// walking up from this file (dist/bundle/ in the package, dist/src/cli/ in a
// tsc build), so that it is never a second copy to keep in step.
import { readFileSync } from 'node:fs';

export function version(): string {
  for (let url = new URL('./', import.meta.url); url.pathname !== '/'; url = new URL('../', url)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'netlink-ts' && pkg.version) return pkg.version;
    } catch { /* not here: one folder up */ }
  }
  return 'unknown';
}
