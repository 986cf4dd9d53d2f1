// W5: 100 named namespaces added and deleted, inside the bench's private
// mount namespace (its own /run, so /run/netns starts empty and nothing
// reaches the host). Namespaces have no batch verb: one call each.
import { add, remove } from '../src/netns/named.js';
import { type Row, type Tool, measure } from './harness.js';
import { batchOf, perProcess } from './iproute2.js';

const name = (i: number): string => `nlts-ns${i}`;

export async function namespaces(n: number, repeats: number): Promise<Row[]> {
  const names = Array.from({ length: n }, (_, i) => name(i));
  const tools: Tool[] = [
    { label: 'netlink-ts (one at a time)', run: async (time) => {
      await time('add', () => { for (const x of names) add(x); });
      await time('delete', () => { for (const x of names) remove(x); });
    } },
    { label: 'ip (process per command)', run: async (time) => {
      await time('add', () => perProcess('ip', names.map((x) => `netns add ${x}`)));
      await time('delete', () => perProcess('ip', names.map((x) => `netns del ${x}`)));
    } },
    { label: 'ip -batch', run: async (time) => {
      const a = batchOf('ip', names.map((x) => `netns add ${x}`));
      const d = batchOf('ip', names.map((x) => `netns del ${x}`));
      await time('add', a);
      await time('delete', d);
    } },
  ];
  return measure('W5', n, tools, repeats);
}
