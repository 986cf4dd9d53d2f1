// W7: one request round trip, RTM_GETLINK for lo, through netlink-ts (the
// Promise verb and the synchronous socket) beside `ip link show lo` run as a
// process. The library's figures are per call, averaged over many calls.
import { execFileSync } from 'node:child_process';
import { Rtnl } from '../src/client.js';
import { RTM_GETLINK } from '../src/generated/linux/rtnetlink.js';
import { linkRequest } from '../src/api/families/link.js';
import { type Row, type Tool, measure } from './harness.js';

export async function roundtrip(repeats: number, calls = 2000): Promise<Row[]> {
  using nl = Rtnl.openSync();
  await nl.link.get('lo'); // warm up
  const req = linkRequest(RTM_GETLINK, 0, { family: 0, name: 'lo' }, 'link show lo');
  const tools: Tool[] = [
    { label: 'netlink-ts link.get() (Promise)', run: async (time) => {
      await time('get one link', async () => { for (let i = 0; i < calls; i++) await nl.link.get('lo'); }, { per: calls, n: 1 });
    } },
    { label: 'netlink-ts socket.requestSync()', run: async (time) => {
      await time('get one link', () => { for (let i = 0; i < calls; i++) nl.socket.requestSync(req); }, { per: calls, n: 1 });
    } },
    { label: 'ip link show lo (process)', run: async (time) => {
      await time('get one link', () => { for (let i = 0; i < 20; i++) execFileSync('ip', ['link', 'show', 'lo']); }, { per: 20, n: 1 });
    } },
  ];
  return await measure('W7', 1, tools, repeats);
}
