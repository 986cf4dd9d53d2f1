// Memory while dumping a large routing table: nl.route.stream() (decoded as
// it is read) beside nl.route.list() (the whole table as an array), on
// 1,000,000 routes by default, in a throw-away network namespace.
//
//   sudo node --expose-gc dist/bench/stream-memory.js [N]
//
// The live heap is sampled after a full collection every N/10 routes; the
// peak above the starting point is what the dump holds. Not part of
// `npm run bench` (adding a million routes takes the kernel a while).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rtnl } from '../src/client.js';
import { isolate, now } from './harness.js';

const args = process.argv.slice(2);
isolate(fileURLToPath(import.meta.url), args);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('stream-memory: run it with node --expose-gc\n');
  process.exit(1);
}
const N = Number(args[0] ?? 1_000_000);
if (!Number.isInteger(N) || N < 10) throw new RangeError(`stream-memory: N must be an integer ≥ 10, not ${args[0]}`);

const DEV = 'nlts-sm0';
execFileSync('ip', ['link', 'add', DEV, 'type', 'veth', 'peer', 'nlts-sm1']);
execFileSync('ip', ['link', 'set', DEV, 'up']);
const nl = await Rtnl.open();
const dev = (await nl.link.get(DEV)).index;
// IPv6 host routes in fd00::/8 (198.18.0.0/15 holds only 131,072 /32s).
const dst = (i: number): string => `fd00::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`;

let t = now();
const b = nl.batch();
for (let i = 0; i < N; i++) b.route.add({ dst: `${dst(i)}/128`, dev });
const r = await b.commit();
if (r.errors.length) throw r.errors[0]!.error;
console.log(`added ${N.toLocaleString('en')} routes in ${(now() - t).toFixed(2)} s`);

const MB = 1e6;
async function measure(label: string, run: (sample: () => void) => Promise<number>): Promise<void> {
  gc!();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const sample = (): void => { gc!(); peak = Math.max(peak, process.memoryUsage().heapUsed - base); };
  t = now();
  const n = await run(sample);
  sample();
  console.log(`${label.padEnd(18)} ${n.toLocaleString('en')} routes in ${(now() - t).toFixed(2)} s; live heap peak +${(peak / MB).toFixed(1)} MB`);
}

await measure('route.stream()', async (sample) => {
  let n = 0;
  for await (const route of nl.route.stream({ family: 'inet6', dev: DEV, table: 'main' })) {
    if (route.oif === dev && ++n % (N / 10) === 0) sample();
  }
  return n;
});
await measure('route.list()', async (sample) => {
  const all = await nl.route.list({ family: 'inet6', dev: DEV, table: 'main' });
  sample();
  return all.filter((route) => route.oif === dev).length;
});

execFileSync('ip', ['link', 'del', DEV]);
nl.close();
