// W5: 100 named namespaces added and deleted, inside the bench's private
// mount namespace (its own /run, so /run/netns starts empty and nothing
// reaches the host). Namespaces have no batch verb: one call each.
import { type Row, type Tool, batchedTools, measure } from './harness.js';
import { batchArgv, perProcess } from './iproute2.js';
import { nsName } from './phases.js';

export async function namespaces(n: number, repeats: number): Promise<Row[]> {
  const names = Array.from({ length: n }, (_, i) => nsName(i));
  const tools: Tool[] = [
    ...batchedTools(null!, n, [['add', 'netns-add'], ['delete', 'netns-del']], 'one at a time'),
    { label: 'ip (process per command)', run: async (time) => {
      await time('add', () => perProcess('ip', names.map((x) => `netns add ${x}`)));
      await time('delete', () => perProcess('ip', names.map((x) => `netns del ${x}`)));
    } },
    { label: 'ip -batch', run: async (_time, proc) => {
      proc('add', batchArgv('ip', names.map((x) => `netns add ${x}`)));
      proc('delete', batchArgv('ip', names.map((x) => `netns del ${x}`)));
    } },
  ];
  return measure('W5', n, tools, repeats);
}
