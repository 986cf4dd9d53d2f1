// W6: an htb root qdisc and 1,000 classes under it, added, dumped and
// deleted. tc 6.1 prints htb classes as text even with -j, so its dump is
// `tc class show` as text.
import { Rtnl } from '../src/client.js';
import { type Row, type Tool, WARM, batchedTools, measure } from './harness.js';
import { batchArgv, ip, perProcess } from './iproute2.js';
import { TC_DEV as DEV, classid } from './phases.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export async function classes(nl: Rtnl, n: number, repeats: number): Promise<Row[]> {
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-t1');
  const addLines = [`qdisc add dev ${DEV} root handle 1: htb`, ...range(n).map((i) => `class add dev ${DEV} parent 1: classid ${classid(i)} htb rate 1mbit`)];
  const delLines = [...range(n).map((i) => `class del dev ${DEV} classid ${classid(i)}`), `qdisc del dev ${DEV} root`];
  try {
    const tools: Tool[] = [
      { label: `netlink-ts (one at a time, ${WARM})`, run: async (time) => {
        await time('add', async () => {
          await nl.qdisc.add({ dev: DEV, parent: 'root', handle: '1:', kind: 'htb', options: {} });
          for (let i = 0; i < n; i++) await nl.class.add({ dev: DEV, parent: '1:', classid: classid(i), kind: 'htb', options: { rate: '1mbit' } });
        });
        await time('dump', () => nl.class.list({ dev: DEV }));
        await time('delete', async () => {
          for (let i = 0; i < n; i++) await nl.class.delete({ dev: DEV, classid: classid(i) });
          await nl.qdisc.delete({ dev: DEV, parent: 'root' });
        });
      } },
      ...batchedTools(nl, n, [['add', 'classes-add'], ['dump', 'classes-dump'], ['delete', 'classes-del']]),
      { label: 'tc (process per command)', run: async (time, proc) => {
        await time('add', () => perProcess('tc', addLines));
        proc('dump', ['tc', 'class', 'show', 'dev', DEV]);
        await time('delete', () => perProcess('tc', delLines));
      } },
      { label: 'tc -batch', run: async (_time, proc) => {
        proc('add', batchArgv('tc', addLines));
        proc('delete', batchArgv('tc', delLines));
      } },
    ];
    return await measure('W6', n, tools, repeats);
  } finally {
    ip('link', 'del', DEV);
  }
}
