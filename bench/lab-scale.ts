// A generated lab at scale: up, status (the check that all of it is there),
// down with netlink-ts, beside `ip -batch` doing the same (one batch from the
// root namespace, one per namespace), once each: wall time, CPU time split
// into user and system (system: the kernel's work for the caller), and peak
// memory (the process's maximum RSS; ip's through /usr/bin/time).
//
//   sudo node dist/bench/lab-scale.js [SHAPE N...]      (default: linear 1000)
//
// In a throw-away network and mount namespace with a tmpfs /run of its own.
// The kernel frees a deleted namespace later, whoever deleted it: before each
// build the bench waits until the previous namespaces' veths are gone from
// the kernel's count (/proc/net/dev of a fresh look is not enough; the
// netns count in /proc/self/... is not exposed), so it waits for the names.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateLab } from '../src/lab/generate/routing.js';
import { KernelBackend } from '../src/lab/kernel/backend.js';
import { Lab } from '../src/lab/lab.js';
import { isolate } from './harness.js';
import { PREFIX, ipBatches } from './lab-chain.js';

const args = process.argv.slice(2);
isolate(fileURLToPath(import.meta.url), args);

const shape = args[0] ?? 'linear';
const numbers = args.length > 1 ? args.slice(1).map(Number) : [1000];
const description = { ...generateLab(shape, numbers, { name: 'scale' }), prefix: PREFIX };
const lab = new Lab(description, new KernelBackend());
const batches = ipBatches(description);

/** Children's CPU seconds (user, system) so far, from /proc/self/stat (cutime, cstime). */
function childCpu(): [number, number] {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return [Number(f[13]) / 100, Number(f[14]) / 100];
}

async function timed(what: string, fn: () => unknown): Promise<string> {
  const c0 = process.cpuUsage();
  const k0 = childCpu();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const k = childCpu();
  const user = c.user / 1e6 + (k[0] - k0[0]);
  const sys = c.system / 1e6 + (k[1] - k0[1]);
  return `${what.padEnd(28)} ${wall.toFixed(2).padStart(7)} s wall  ${user.toFixed(2).padStart(6)} s user  ${sys.toFixed(2).padStart(6)} s system`;
}

function sh(script: string): number {
  writeFileSync('/run/scale.sh', script);
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'sh', '/run/scale.sh'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip -batch failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return Number(r.stderr.trim().split('\n').at(-1));
}

async function namesGone(): Promise<void> {
  for (let i = 0; i < 600 && spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.includes(PREFIX); i++) await new Promise((r) => setTimeout(r, 100));
}

execFileSync('mount', ['-t', 'tmpfs', 'nlts-bench-run', '/run']);
try {
  const lines = [`${shape} ${numbers.join(' ')}: ${description.namespaces.length} namespaces, ${description.veths!.length} links, ${description.namespaces.reduce((n, s) => n + (s.routes?.length ?? 0), 0)} routes, ${lab.plan.steps.length} lab steps`];
  lines.push(await timed('netlink-ts up', () => lab.up()));
  let ok = false;
  lines.push(await timed('netlink-ts status (check)', async () => { ok = (await lab.status()).up; }));
  if (!ok) throw new Error('the lab is not up as described');
  lines.push(await timed('netlink-ts down', () => lab.down()));
  lines.push(`netlink-ts peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  await namesGone();
  let rss = 0;
  lines.push(await timed('ip -batch up', () => { rss = Math.max(rss, sh(batches.up)); }));
  lines.push(await timed('ip -batch down', () => { rss = Math.max(rss, sh(batches.down)); }));
  lines.push(`ip -batch peak RSS ${(rss / 1024).toFixed(0)} MiB (the largest single ip process)`);
  console.log(lines.join('\n'));
} finally {
  spawnSync('umount', ['-l', '/run']);
}
