// Resources come back: 10,000 open/request/close cycles of a client, 1,000
// namespace add/use/delete cycles and 100 lab up/down cycles leave the fd
// count, /run/netns, /etc/netns, the mounts and memory where they were. Each runs in a process of its own
// (test/helpers/leak-probe.ts) with --expose-gc, so memory is compared after
// full collections, past a warm-up. The bounds are generous; the measured
// figures go to the test's output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import type { Probe } from '../helpers/leak-probe.js';
import { requireIsolation } from '../helpers/sh.js';

requireIsolation();
const probe = new URL('../helpers/leak-probe.js', import.meta.url).pathname;
const MB = 1 << 20;

function run(what: 'sockets' | 'netns' | 'lab', cycles: number): Probe {
  const out = execFileSync(process.execPath, ['--expose-gc', probe, what, String(cycles)], { encoding: 'utf8' });
  const p = JSON.parse(out) as Probe;
  const d = (xs: [number, number]): string => `${((xs[1] - xs[0]) / MB).toFixed(2)} MB`;
  console.log(`  ${what}: ${cycles} cycles in ${(p.ms / 1000).toFixed(2)} s; fds ${p.fds.join(' → ')}, rss ${d(p.rss)}, heap ${d(p.heap)}, names ${p.names.join(' → ')}, mounts ${p.mounts.join(' → ')}, /etc/netns ${p.etc.join(' → ')}`);
  return p;
}

/** Everything the cycles could leave behind is where it was; fds and memory within the bounds. */
function flat(p: Probe): void {
  assert.is(p.names[1], p.names[0], 'names under /run/netns');
  assert.is(p.mounts[1], p.mounts[0], 'mounts under /run/netns');
  assert.is(p.etc[1], p.etc[0], 'entries under /etc/netns');
  assert.ok(p.fds[1] <= p.fds[0] + 2, `fds ${p.fds.join(' → ')}`);
  assert.ok(p.rss[1] - p.rss[0] < 24 * MB, `rss grew ${(p.rss[1] - p.rss[0]) / MB} MB`);
  assert.ok(p.heap[1] - p.heap[0] < 4 * MB, `heap grew ${(p.heap[1] - p.heap[0]) / MB} MB`);
}

test('10,000 client open/request/close cycles: fds flat, memory flat', () => {
  flat(run('sockets', 10_000));
});

test('1,000 namespace add/open/delete cycles: /run/netns empty again, no mount left, fds and memory flat', () => {
  flat(run('netns', 1000));
});

test('100 lab up/down cycles (two namespaces, a veth pair, addresses, a route, a sysctl, DNS files): nothing left, fds and memory flat', () => {
  flat(run('lab', 100));
});

test.run();
