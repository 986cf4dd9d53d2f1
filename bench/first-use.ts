// First use against warm use of each family in one fresh process: what a
// short-lived program pays the first time it lists or adds something (codec
// set-up, rate tables, the JIT), beside the same call made again in the same
// process. `npm run bench -- --only=first-use`; each sample is a process of
// its own running this file:
//   node dist/bench/first-use.js CASE   → prints "first_seconds again_seconds"
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rtnl } from '../src/client.js';
import { type Row, now } from './harness.js';
import { batchOf, ip } from './iproute2.js';
import { ADDR_DEV, PHASES, ROUTE_DEV, TC_DEV, hostAddr } from './phases.js';

/** Each case: the phase timed twice, `between` (untimed) between the two. */
const CASES: Record<string, { phase: string; n: number; between?: string }> = {
  'link list': { phase: 'links-list', n: 0 },
  'address dump (100)': { phase: 'addrs-dump', n: 100 },
  'route dump (1,000)': { phase: 'routes-dump', n: 1000 },
  'htb root + 1,000 classes add': { phase: 'classes-add', n: 1000, between: 'classes-clear' },
  'htb class dump (1,000)': { phase: 'classes-dump', n: 1000 },
};

const self = fileURLToPath(import.meta.url);

/** The bench side: the state each case reads, then `samples` fresh processes per case. */
export async function firstUse(nl: Rtnl, samples: number): Promise<Row[]> {
  for (const d of [ROUTE_DEV, ADDR_DEV, TC_DEV]) ip('link', 'add', d, 'type', 'veth', 'peer', 'name', `${d}p`);
  for (const d of [ROUTE_DEV, ADDR_DEV]) ip('link', 'set', d, 'up');
  try {
    batchOf('ip', Array.from({ length: 1000 }, (_, i) => `route add ${hostAddr(i)} dev ${ROUTE_DEV}`))();
    batchOf('ip', Array.from({ length: 100 }, (_, i) => `address add ${hostAddr(i)} dev ${ADDR_DEV}`))();
    const rows: Row[] = [];
    for (const [label, c] of Object.entries(CASES)) {
      const first: number[] = [];
      const again: number[] = [];
      for (let i = 0; i < samples; i++) {
        // classes-add starts from no root qdisc; classes-dump reads 1,000 classes (made once).
        if (c.phase === 'classes-add' || (c.phase === 'classes-dump' && i === 0)) await PHASES['classes-clear']!(nl, 0, null!).catch(() => undefined);
        if (c.phase === 'classes-dump' && i === 0) await PHASES['classes-add']!(nl, c.n, null!);
        const r = spawnSync(process.execPath, [self, label], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`first-use ${label}: ${r.stderr}`);
        const [a, b] = r.stdout.trim().split(' ').map(Number) as [number, number];
        first.push(a);
        again.push(b);
      }
      rows.push({ workload: 'first use', phase: label, tool: 'first call (fresh process)', n: c.n, seconds: first },
        { workload: 'first use', phase: label, tool: 'same call again (same process)', n: c.n, seconds: again });
    }
    return rows;
  } finally {
    for (const d of [ROUTE_DEV, ADDR_DEV, TC_DEV]) ip('link', 'del', d);
  }
}

if (process.argv[1] === self) {
  const c = CASES[process.argv[2] ?? ''];
  if (!c) throw new Error(`first-use.js: unknown case ${process.argv[2]}`);
  const lib = await import(join(dirname(self), '..', 'bundle', 'index.js')) as typeof import('../src/index.js');
  const nl = lib.Rtnl.openSync();
  const times: number[] = [];
  for (let k = 0; k < 2; k++) {
    if (k === 1 && c.between) await PHASES[c.between]!(nl, c.n, lib);
    const t0 = now();
    await PHASES[c.phase]!(nl, c.n, lib);
    times.push(now() - t0);
  }
  nl.close();
  console.log(times.join(' '));
}
