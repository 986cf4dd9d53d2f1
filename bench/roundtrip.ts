// One request round trip: RTM_GETLINK for lo through netlink-ts (sync and
// Promise forms) beside `ip link show lo` run as a process.
import { execFileSync } from 'node:child_process';
import { Rtnl } from '../src/client.js';
import { type Sample, alternate, now } from './harness.js';

export async function roundtrip(repeats: number): Promise<Sample[]> {
  using nl = Rtnl.openSync();
  await nl.link.get('lo'); // warm up
  const perCall = async (n: number, fn: () => unknown): Promise<number> => {
    const t0 = now();
    for (let i = 0; i < n; i++) await fn();
    return (now() - t0) / n;
  };
  const batches = { lib: [] as number[], libAsync: [] as number[] };
  const samples = await alternate([
    { label: 'netlink-ts get link (Promise)', run: async () => { batches.libAsync.push(await perCall(2000, () => nl.link.get('lo'))); } },
    { label: 'netlink-ts get link (sync socket)', run: async () => {
      const req = { type: 18, body: (w: import('../src/netlink/writer.js').NetlinkWriter) => { w.reserve(16); w.attrString(3, 'lo'); } };
      batches.lib.push(await perCall(2000, () => nl.socket.requestSync(req)));
    } },
    { label: 'ip link show lo (process)', run: () => { execFileSync('ip', ['link', 'show', 'lo']); } },
  ], repeats);
  // The library rows were timed per call inside their run; use those figures.
  samples[0]!.seconds = batches.libAsync;
  samples[1]!.seconds = batches.lib;
  return samples;
}
