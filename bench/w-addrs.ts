// W2: 10,000 IPv4 addresses on one link, added, dumped and deleted. Each a
// /32, so none is the secondary of another (deleting a primary would take
// its secondaries along). The link is up, as it is wherever addresses are
// added in earnest: the kernel then also adds each address's local route.
import { Rtnl } from '../src/client.js';
import { type Row, type Tool, WARM, batchedTools, measure } from './harness.js';
import { batchArgv, batchOf, ip, perProcess } from './iproute2.js';
import { ADDR_DEV as DEV, hostAddr as addr } from './phases.js';

const lines = (verb: string, from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `address ${verb} ${addr(from + i)} dev ${DEV}`);

export async function addresses(nl: Rtnl, n: number, sample: number, repeats: number): Promise<Row[]> {
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-a1');
  ip('link', 'set', DEV, 'up');
  try {
    const tools: Tool[] = [
      { label: `netlink-ts (one at a time, ${WARM})`, run: async (time) => {
        await time('add', async () => { for (let i = 0; i < n; i++) await nl.addr.add({ dev: DEV, address: addr(i) }); });
        await time('dump', () => nl.addr.list({ dev: DEV }));
        await time('delete', async () => { for (let i = 0; i < n; i++) await nl.addr.del({ dev: DEV, address: addr(i) }); });
      } },
      ...batchedTools(nl, n, [['add', 'addrs-add'], ['dump', 'addrs-dump'], ['delete', 'addrs-del']]),
      { label: 'ip (process per command)', run: async (time, proc) => {
        const k = Math.min(sample, n);
        await time('add', () => perProcess('ip', lines('add', 0, k)), { scale: n / k });
        batchOf('ip', lines('add', k, n))();
        proc('dump', ['ip', '-j', 'address', 'show', 'dev', DEV]);
        await time('delete', () => perProcess('ip', lines('del', 0, k)), { scale: n / k });
        batchOf('ip', lines('del', k, n))();
      } },
      { label: 'ip -batch', run: async (_time, proc) => {
        proc('add', batchArgv('ip', lines('add', 0, n)));
        proc('delete', batchArgv('ip', lines('del', 0, n)));
      } },
    ];
    return await measure('W2', n, tools, repeats);
  } finally {
    ip('link', 'del', DEV);
  }
}
