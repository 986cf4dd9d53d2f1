// W2: 10,000 IPv4 addresses on one link, added, dumped and deleted. Each a
// /32, so none is the secondary of another (deleting a primary would take
// its secondaries along).
import { Rtnl } from '../src/client.js';
import { type Row, type Tool, measure } from './harness.js';
import { batchOf, ip, perProcess } from './iproute2.js';

const DEV = 'nlts-a0';
const addr = (i: number): string => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;
const lines = (verb: string, from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `address ${verb} ${addr(from + i)} dev ${DEV}`);

export async function addresses(nl: Rtnl, n: number, sample: number, repeats: number): Promise<Row[]> {
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-a1');
  try {
    const tools: Tool[] = [
      { label: 'netlink-ts (one at a time)', run: async (time) => {
        await time('add', async () => { for (let i = 0; i < n; i++) await nl.addr.add({ dev: DEV, address: addr(i) }); });
        await time('dump', () => nl.addr.list({ dev: DEV }));
        await time('delete', async () => { for (let i = 0; i < n; i++) await nl.addr.del({ dev: DEV, address: addr(i) }); });
      } },
      { label: 'netlink-ts (batch)', run: async (time) => {
        await time('add', async () => {
          const b = nl.batch();
          for (let i = 0; i < n; i++) b.addr.add({ dev: DEV, address: addr(i) });
          await b.commit();
        });
        await time('dump', () => nl.addr.list({ dev: DEV }));
        await time('delete', async () => {
          const b = nl.batch();
          for (let i = 0; i < n; i++) b.addr.del({ dev: DEV, address: addr(i) });
          await b.commit();
        });
      } },
      { label: 'ip (process per command)', run: async (time) => {
        const k = Math.min(sample, n);
        await time('add', () => perProcess('ip', lines('add', 0, k)), { scale: n / k });
        batchOf('ip', lines('add', k, n))();
        await time('dump', () => JSON.parse(ip('-j', 'address', 'show', 'dev', DEV)) as unknown);
        await time('delete', () => perProcess('ip', lines('del', 0, k)), { scale: n / k });
        batchOf('ip', lines('del', k, n))();
      } },
      { label: 'ip -batch', run: async (time) => {
        const add = batchOf('ip', lines('add', 0, n));
        await time('add', add);
        const del = batchOf('ip', lines('del', 0, n));
        await time('delete', del);
      } },
    ];
    return await measure('W2', n, tools, repeats);
  } finally {
    ip('link', 'del', DEV);
  }
}
