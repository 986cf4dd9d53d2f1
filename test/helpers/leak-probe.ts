// Runs a resource cycle many times in a process of its own (started with
// --expose-gc, so memory is measured after a full collection) and prints what
// it held before and after, as JSON, for test/kernel/leaks.test.ts:
//
//   node --expose-gc dist/test/helpers/leak-probe.js sockets 10000
//   node --expose-gc dist/test/helpers/leak-probe.js netns 1000
//   node --expose-gc dist/test/helpers/leak-probe.js lab 100
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Rtnl } from '../../src/client.js';
import type { LabDescription } from '../../src/lab/description.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { add, list, remove } from '../../src/netns/named.js';

export interface Probe {
  cycles: number;
  ms: number;
  fds: [number, number];
  /** Resident set and V8 heap in use, in bytes, after a full collection. */
  rss: [number, number];
  heap: [number, number];
  /** Names under /run/netns and mounts at or under it, before and after. */
  names: [number, number];
  mounts: [number, number];
  /** Entries under /etc/netns, before and after. */
  etc: [number, number];
}

const fdCount = (): number => readdirSync('/proc/self/fd').length;
const etcEntries = (): number => (existsSync('/etc/netns') ? readdirSync('/etc/netns').length : 0);
const netnsMounts = (): number => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => (l.split(' ')[4] ?? '').startsWith('/run/netns/')).length;

async function settle(): Promise<{ fds: number; rss: number; heap: number; names: number; mounts: number; etc: number }> {
  // Let pending closes and timers run, then collect twice (weak callbacks run between).
  await new Promise((r) => setImmediate(r));
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  const m = process.memoryUsage();
  return { fds: fdCount(), rss: m.rss, heap: m.heapUsed, names: list().length, mounts: netnsMounts(), etc: etcEntries() };
}

/** One socket opened, one request answered by the kernel, the socket closed. */
async function socketCycle(): Promise<void> {
  const nl = Rtnl.openSync();
  try {
    const lo = await nl.link.get('lo');
    if (lo.index !== 1) throw new Error('lo is not index 1');
  } finally {
    nl.close();
  }
}

/** A named namespace made, a socket opened inside it and used, both gone again. */
async function netnsCycle(i: number): Promise<void> {
  const name = `nlts-leak${i % 7}`;
  add(name);
  try {
    const nl = Rtnl.openSync({ netns: name });
    try {
      await nl.link.get('lo');
    } finally {
      nl.close();
    }
  } finally {
    remove(name);
  }
}

/** Two namespaces joined by a veth pair, with addresses, a route, a sysctl and DNS files. */
const LAB: LabDescription = {
  name: 'nlts-leak',
  namespaces: [
    { name: 'a', forwarding: true, dns: { nameservers: ['198.18.20.53'], hosts: { peer: '198.18.20.2' } } },
    { name: 'b', routes: [{ to: '198.18.21.0/24', via: '198.18.20.1' }] },
  ],
  veths: [{ a: { name: 'v', namespace: 'a', addresses: ['198.18.20.1/24'] }, b: { name: 'v', namespace: 'b', addresses: ['198.18.20.2/24'] } }],
};

/** A lab up and down again, as a program using it would (a backend of its own each time). */
async function labCycle(): Promise<void> {
  const lab = new Lab(LAB, new KernelBackend());
  await lab.up();
  await lab.down();
}

async function main(): Promise<void> {
  const [what, n] = [process.argv[2], Number(process.argv[3])];
  const cycle = what === 'sockets' ? socketCycle : what === 'netns' ? netnsCycle : what === 'lab' ? labCycle : undefined;
  if (!cycle || !Number.isSafeInteger(n) || n <= 0) throw new Error('usage: leak-probe sockets|netns|lab N');
  // Warm-up: lazily made things (libuv's pool, ffi's library handle, schema caches, the JIT) settle first.
  for (let i = 0; i < Math.min(what === 'lab' ? 10 : 500, n); i++) await cycle(i);
  const before = await settle();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await cycle(i);
  const ms = performance.now() - t0;
  const after = await settle();
  const probe: Probe = {
    cycles: n, ms,
    fds: [before.fds, after.fds], rss: [before.rss, after.rss], heap: [before.heap, after.heap],
    names: [before.names, after.names], mounts: [before.mounts, after.mounts], etc: [before.etc, after.etc],
  };
  process.stdout.write(`${JSON.stringify(probe)}\n`);
}

await main();
