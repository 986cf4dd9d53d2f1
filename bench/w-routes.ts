// W3: 100,000 IPv4 routes added, dumped and flushed. W4: dumping and
// decoding 100,000 routes, ten times. On one veth link of the bench namespace.
import { Rtnl } from '../src/client.js';
import { type Row, type Tool, measure } from './harness.js';
import { batchOf, ip, perProcess } from './iproute2.js';

const DEV = 'nlts-r0';
const dst = (i: number): string => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;
const lines = (n: number, verb: string, from = 0): string[] => Array.from({ length: n - from }, (_, i) => `route ${verb} ${dst(from + i)} dev ${DEV}`);

function setup(): void {
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-r1');
  ip('link', 'set', DEV, 'up');
}
const teardown = (): void => { ip('link', 'del', DEV); };

/** W3. `sample`: how many routes the process-per-command tool adds itself (the rest by ip -batch, untimed). */
export async function routesAddDumpFlush(nl: Rtnl, n: number, sample: number, repeats: number): Promise<Row[]> {
  setup();
  try {
    const tools: Tool[] = [
      { label: 'netlink-ts (one at a time)', run: async (time) => {
        await time('add', async () => { for (let i = 0; i < n; i++) await nl.route.add({ dst: dst(i), dev: DEV }); });
        await time('dump', () => nl.route.list({ table: 'main' }));
        await time('flush', async () => { for (const r of await nl.route.list({ dev: DEV, table: 'main' })) await nl.route.del(r); });
      } },
      { label: 'netlink-ts (batch)', run: async (time) => {
        await time('add', async () => {
          const b = nl.batch();
          for (let i = 0; i < n; i++) b.route.add({ dst: dst(i), dev: DEV });
          await b.commit();
        });
        await time('dump', () => nl.route.list({ table: 'main' }));
        await time('flush', () => nl.route.flush({ dev: DEV }));
      } },
      { label: 'ip (process per command)', run: async (time) => {
        const k = Math.min(sample, n);
        const timed = lines(k, 'add');
        await time('add', () => perProcess('ip', timed), { scale: n / k });
        batchOf('ip', lines(n, 'add', k))();
        await time('dump', () => ip('-j', 'route', 'show'));
        await time('flush', () => ip('route', 'flush', 'dev', DEV));
      } },
      { label: 'ip -batch', run: async (time) => {
        const add = batchOf('ip', lines(n, 'add'));
        await time('add', add);
        const flush = batchOf('ip', [`route flush dev ${DEV}`]);
        await time('flush', flush);
      } },
    ];
    return (await measure('W3', n, tools, repeats));
  } finally {
    teardown();
  }
}

/** W4: the table made once, then dumped and decoded `repeats` times by each tool in turn. */
export async function routesDump(nl: Rtnl, n: number, repeats: number): Promise<Row[]> {
  setup();
  try {
    const b = nl.batch();
    for (let i = 0; i < n; i++) b.route.add({ dst: dst(i), dev: DEV });
    await b.commit();
    const tools: Tool[] = [
      { label: 'netlink-ts route.list()', run: async (time) => { await time('dump + decode', () => nl.route.list({ table: 'main' })); } },
      { label: 'netlink-ts route.stream()', run: async (time) => {
        await time('dump + decode', async () => { let k = 0; for await (const _ of nl.route.stream({ table: 'main' })) k++; return k; });
      } },
      { label: 'ip -j route show', run: async (time) => { await time('dump + decode', () => JSON.parse(ip('-j', 'route', 'show')) as unknown); } },
    ];
    return await measure('W4', n, tools, repeats);
  } finally {
    teardown();
  }
}
