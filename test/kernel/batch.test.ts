// Typed batches against the kernel: errors at the right index, stop at the
// first error, a batch far larger than the receive buffer, and a streamed
// dump of a large table in bounded memory. Not timed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { ip, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const DEV = 'nlts-bt0';
const dst = (i: number): string => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;
let nl: Rtnl;
let dev = 0;

/** The destinations of the routes on DEV, as '198.18.x.y/32'. */
async function routesOnDev(): Promise<Set<string>> {
  const out = new Set<string>();
  for (const r of await nl.route.list({ dev: DEV, table: 'main' })) out.add(`${r.dst}/${r.dstLen}`);
  return out;
}

async function flush(): Promise<void> {
  ip('route', 'flush', 'dev', DEV);
}

test.before(async () => {
  nl = await Rtnl.open();
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-bt1');
  ip('link', 'set', DEV, 'up');
  dev = (await nl.link.get(DEV)).index;
});

test.after(() => {
  ip('link', 'del', DEV);
  nl.close();
});

test('5,000 routes with duplicates: each EEXIST at the index of its request, the rest applied', async () => {
  const dups = [17, 2500, 4999];
  for (const i of dups) ip('route', 'add', dst(i), 'dev', DEV);
  const b = nl.batch();
  for (let i = 0; i < 5000; i++) b.route.add({ dst: dst(i), dev: DEV });
  const r = await b.commit();
  assert.equal(r.errors.map((e) => e.index), dups);
  assert.ok(r.errors.every((e) => e.error.code === 'EEXIST'));
  assert.equal(r.errors[1]!.input, { dst: dst(2500), dev: DEV });
  assert.is(r.applied, 4997);
  assert.is((await routesOnDev()).size, 5000);
  await flush();
});

test("onError 'stop' leaves exactly the requests before the failure applied", async () => {
  ip('route', 'add', dst(120), 'dev', DEV);
  const b = nl.batch();
  for (let i = 0; i < 300; i++) b.route.add({ dst: dst(i), dev });
  const r = await b.commit({ onError: 'stop' });
  assert.is(r.sent, 121);
  assert.is(r.applied, 120);
  assert.is(r.errors[0]!.index, 120);
  assert.is(r.errors[0]!.error.code, 'EEXIST');
  const want = new Set(Array.from({ length: 121 }, (_, i) => dst(i)));
  assert.equal([...await routesOnDev()].sort(), [...want].sort());
  await flush();
});

test('a batch far larger than a small receive buffer completes without ENOBUFS', async () => {
  // 4 KiB asked, 8 KiB in force: room for about ten answers.
  using small = Rtnl.openSync({ receiveBufferSize: 4096 });
  const b = small.batch();
  for (let i = 0; i < 20_000; i++) b.route.add({ dst: dst(i), dev });
  const ok = await b.commit({ receiveBuffer: 'keep' });
  assert.equal(ok.errors, []);
  assert.is(ok.applied, 20_000);
  // The worst case: every request answered with an error, 20,000 answers for an 8 KiB buffer.
  const again = small.batch();
  for (let i = 0; i < 20_000; i++) again.route.add({ dst: dst(i), dev });
  const r = await again.commit({ receiveBuffer: 'keep' });
  assert.is(r.errors.length, 20_000);
  assert.ok(r.errors.every((e, i) => e.index === i && e.error.code === 'EEXIST'));
  // The socket is in step afterwards.
  assert.is((await small.link.get(DEV)).index, dev);
  await flush();
});

test('route flush deletes the routes of one device and only those', async () => {
  ip('link', 'add', 'nlts-bt2', 'type', 'veth', 'peer', 'name', 'nlts-bt3');
  ip('link', 'set', 'nlts-bt2', 'up');
  ip('route', 'add', '198.19.200.0/24', 'dev', 'nlts-bt2');
  const b = nl.batch();
  for (let i = 0; i < 10_000; i++) b.route.add({ dst: dst(i), dev });
  await b.commit();
  assert.is(await nl.route.flush({ dev: DEV }), 10_000);
  assert.is((await routesOnDev()).size, 0);
  assert.equal((await nl.route.list({ dev: 'nlts-bt2', table: 'main' })).map((r) => r.dst), ['198.19.200.0']);
  ip('link', 'del', 'nlts-bt2');
});

test('streaming a 200,000-route dump keeps the live heap flat', async () => {
  const N = 200_000;
  const b = nl.batch();
  for (let i = 0; i < N; i++) b.route.add({ dst: dst(i), dev });
  assert.equal((await b.commit()).errors, []);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const base = process.memoryUsage().heapUsed;
  let n = 0;
  let peak = 0;
  for await (const r of nl.route.stream({ dev: DEV, table: 'main' })) {
    if (r.oif === dev) n++;
    if (n % 20_000 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
  }
  assert.is(n, N);
  // Holding the routes would take about 200 bytes each (40 MB); streaming holds one datagram's worth.
  assert.ok(peak < 8 << 20, `live heap grew by ${(peak / 1e6).toFixed(1)} MB while streaming`);
  ip('route', 'flush', 'dev', DEV);
});

test.run();
