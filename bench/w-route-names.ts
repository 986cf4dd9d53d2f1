// W8: the plain loop users write — `for (...) await nl.route.add({ dev: 'eth0', ... })` —
// one request and its ACK at a time, with the device given by name beside the
// same loop by index and beside `ip -batch`, in one run. By name, the client's
// name cache turns the device into an index once (docs/architecture.md, "The
// name cache"), so the two loops should cost the same.
import type { Rtnl } from '../src/client.js';
import { type Row, type Tool, measure } from './harness.js';
import { batchOf, ip } from './iproute2.js';

const DEV = 'nlts-n0';
const dst = (i: number): string => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;

export async function routeAddsByName(nl: Rtnl, n: number, repeats: number): Promise<Row[]> {
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-n1');
  ip('link', 'set', DEV, 'up');
  const index = (await nl.link.get(DEV)).index;
  const flush = (): void => { ip('route', 'flush', 'dev', DEV); };
  try {
    const tools: Tool[] = [
      { label: 'netlink-ts await each, dev by name', run: async (time) => {
        await time('add', async () => { for (let i = 0; i < n; i++) await nl.route.add({ dst: dst(i), dev: DEV }); });
        flush();
      } },
      { label: 'netlink-ts await each, dev by index', run: async (time) => {
        await time('add', async () => { for (let i = 0; i < n; i++) await nl.route.add({ dst: dst(i), dev: index }); });
        flush();
      } },
      { label: 'ip -batch', run: async (time) => {
        const add = batchOf('ip', Array.from({ length: n }, (_, i) => `route add ${dst(i)} dev ${DEV}`));
        await time('add', add);
        flush();
      } },
    ];
    return await measure('W8', n, tools, repeats);
  } finally {
    ip('link', 'del', DEV);
  }
}
