// W10: generic netlink. A family lookup (nlctrl CTRL_CMD_GETFAMILY by name,
// what every Genl client does once per family) beside iproute2's `genl ctrl
// get`, and one ethtool request round trip (the channels of a veth) through
// the library, the real `ethtool -l` as a process, and `netlink-ts ethtool
// -l` as a fresh process. The library's figures are per call, averaged over
// many calls in a warm process.
import { execFileSync } from 'node:child_process';
import { Ethtool } from '../src/ethtool/client.js';
import { Genl } from '../src/genl/client.js';
import { type Row, type Tool, cliArgv, measure } from './harness.js';

const DEV = 'nlts-eth0';

export async function genlRoundtrips(repeats: number, calls = 2000): Promise<Row[]> {
  execFileSync('ip', ['link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-eth1']);
  try {
    using g = Genl.open();
    const e = new Ethtool(g);
    await g.lookup('ethtool'); // warm up
    await e.channels(DEV);
    const tools: Tool[] = [
      { label: 'netlink-ts Genl.lookup() (Promise)', run: async (time) => {
        await time('family lookup', async () => { for (let i = 0; i < calls; i++) await g.lookup('ethtool'); }, { per: calls, n: 1 });
      } },
      { label: 'genl ctrl get name ethtool (process)', run: async (time) => {
        await time('family lookup', () => { for (let i = 0; i < 20; i++) execFileSync('genl', ['ctrl', 'get', 'name', 'ethtool']); }, { per: 20, n: 1 });
      } },
      { label: 'netlink-ts Ethtool.channels() (Promise)', run: async (time) => {
        await time('ethtool -l round trip', async () => { for (let i = 0; i < calls; i++) await e.channels(DEV); }, { per: calls, n: 1 });
      } },
      { label: 'ethtool -l (process)', run: async (_time, proc) => { proc('ethtool -l round trip', ['ethtool', '-l', DEV]); } },
      { label: 'netlink-ts ethtool -l (fresh process)', run: async (_time, proc) => { proc('ethtool -l round trip', cliArgv('ethtool', '-l', DEV)); } },
    ];
    return await measure('W10', 1, tools, repeats);
  } finally {
    execFileSync('ip', ['link', 'del', DEV]);
  }
}
