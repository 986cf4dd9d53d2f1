// W1: 1,000 veth pairs created, set up and deleted. Deleting a veth pair
// waits for the kernel's RCU grace period (~25 ms here) whoever asks, so the
// delete phase measures the kernel.
import { Rtnl } from '../src/client.js';
import { type Row, type Tool, WARM, measure } from './harness.js';
import { batchOf, perProcess } from './iproute2.js';

const name = (i: number): string => `nlts-w${i}`;
const peer = (i: number): string => `nlts-p${i}`;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const veth = (i: number) => ({ name: name(i), linkinfo: { kind: 'veth' as const, data: { peer: { name: peer(i) } } } });

export async function links(nl: Rtnl, n: number, repeats: number): Promise<Row[]> {
  const add = range(n).map((i) => `link add ${name(i)} type veth peer name ${peer(i)}`);
  const up = range(n).map((i) => `link set ${name(i)} up`);
  const del = range(n).map((i) => `link del ${name(i)}`);
  const tools: Tool[] = [
    { label: `netlink-ts (one at a time, ${WARM})`, run: async (time) => {
      await time('create', async () => { for (let i = 0; i < n; i++) await nl.link.add(veth(i)); });
      await time('set up', async () => { for (let i = 0; i < n; i++) await nl.link.setUp(name(i)); });
      await time('delete', async () => { for (let i = 0; i < n; i++) await nl.link.del(name(i)); });
    } },
    { label: `netlink-ts (batch, ${WARM})`, run: async (time) => {
      const each = async (f: (b: ReturnType<Rtnl['batch']>, i: number) => void): Promise<void> => {
        const b = nl.batch();
        for (let i = 0; i < n; i++) f(b, i);
        const r = await b.commit();
        if (r.errors.length) throw r.errors[0]!.error;
      };
      await time('create', () => each((b, i) => b.link.add(veth(i))));
      await time('set up', () => each((b, i) => b.link.setUp(name(i))));
      await time('delete', () => each((b, i) => b.link.del(name(i))));
    } },
    { label: 'ip (process per command)', run: async (time) => {
      await time('create', () => perProcess('ip', add));
      await time('set up', () => perProcess('ip', up));
      await time('delete', () => perProcess('ip', del));
    } },
    { label: 'ip -batch', run: async (time) => {
      const [a, u, d] = [batchOf('ip', add), batchOf('ip', up), batchOf('ip', del)];
      await time('create', a);
      await time('set up', u);
      await time('delete', d);
    } },
  ];
  return measure('W1', n, tools, repeats);
}
