// W6: an htb root qdisc and 1,000 classes under it, added, dumped and
// deleted. tc 6.1 prints htb classes as text even with -j, so its dump is
// `tc class show` as text.
import { Rtnl } from '../src/client.js';
import { type Row, type Tool, measure } from './harness.js';
import { batchOf, ip, perProcess, tc } from './iproute2.js';

const DEV = 'nlts-t0';
const classid = (i: number): string => `1:${(i + 1).toString(16)}`;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export async function classes(nl: Rtnl, n: number, repeats: number): Promise<Row[]> {
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-t1');
  const root = { dev: DEV, parent: 'root', handle: '1:', kind: 'htb' as const, options: {} };
  const cls = (i: number) => ({ dev: DEV, parent: '1:', classid: classid(i), kind: 'htb' as const, options: { rate: '1mbit' } });
  const addLines = [`qdisc add dev ${DEV} root handle 1: htb`, ...range(n).map((i) => `class add dev ${DEV} parent 1: classid ${classid(i)} htb rate 1mbit`)];
  const delLines = [...range(n).map((i) => `class del dev ${DEV} classid ${classid(i)}`), `qdisc del dev ${DEV} root`];
  try {
    const tools: Tool[] = [
      { label: 'netlink-ts (one at a time)', run: async (time) => {
        await time('add', async () => { await nl.qdisc.add(root); for (let i = 0; i < n; i++) await nl.class.add(cls(i)); });
        await time('dump', () => nl.class.list({ dev: DEV }));
        await time('delete', async () => {
          for (let i = 0; i < n; i++) await nl.class.delete({ dev: DEV, classid: classid(i) });
          await nl.qdisc.delete({ dev: DEV, parent: 'root' });
        });
      } },
      { label: 'netlink-ts (batch)', run: async (time) => {
        await time('add', async () => {
          const b = nl.batch();
          b.qdisc.add(root);
          for (let i = 0; i < n; i++) b.class.add(cls(i));
          const r = await b.commit();
          if (r.errors.length) throw r.errors[0]!.error;
        });
        await time('dump', () => nl.class.list({ dev: DEV }));
        await time('delete', async () => {
          const b = nl.batch();
          for (let i = 0; i < n; i++) b.class.delete({ dev: DEV, classid: classid(i) });
          b.qdisc.delete({ dev: DEV, parent: 'root' });
          const r = await b.commit();
          if (r.errors.length) throw r.errors[0]!.error;
        });
      } },
      { label: 'tc (process per command)', run: async (time) => {
        await time('add', () => perProcess('tc', addLines));
        await time('dump', () => tc('class', 'show', 'dev', DEV));
        await time('delete', () => perProcess('tc', delLines));
      } },
      { label: 'tc -batch', run: async (time) => {
        const [a, d] = [batchOf('tc', addLines), batchOf('tc', delLines)];
        await time('add', a);
        await time('delete', d);
      } },
    ];
    return await measure('W6', n, tools, repeats);
  } finally {
    ip('link', 'del', DEV);
  }
}
