// W5: 100 named namespaces added and deleted, inside the bench's private
// mount namespace (its own /run, so /run/netns starts empty and nothing
// reaches the host). Namespaces have no batch verb: one call each.
import * as netns from '../src/netns/index.js';
import { FRESH, type Row, type Tool, WARM, freshPhase, measure } from './harness.js';
import { batchArgv, perProcess } from './iproute2.js';
import { PHASES, nsName } from './phases.js';

export async function namespaces(n: number, repeats: number): Promise<Row[]> {
  const names = Array.from({ length: n }, (_, i) => nsName(i));
  const tools: Tool[] = [
    { label: `netlink-ts (one at a time, ${WARM})`, run: async (time) => {
      await time('add', () => PHASES['netns-add']!(null!, n, { netns }));
      await time('delete', () => PHASES['netns-del']!(null!, n, { netns }));
    } },
    { label: `netlink-ts (one at a time, ${FRESH})`, run: async (_time, proc) => {
      proc('add', freshPhase('netns-add', n));
      proc('delete', freshPhase('netns-del', n));
    } },
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
