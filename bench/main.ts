// `npm run bench`: workloads inside a throw-away namespace, netlink-ts beside
// iproute2 in one run, medians and ratios. `--quick` for small N.
import { fileURLToPath } from 'node:url';
import { isolate, table } from './harness.js';
import { roundtrip } from './roundtrip.js';
import { codecRates } from './codec.js';
import { labChain } from './lab-chain.js';

const args = process.argv.slice(2);
isolate(fileURLToPath(import.meta.url), args);
const quick = args.includes('--quick');

const rt = await roundtrip(quick ? 3 : 7);
console.log(table('W7 one request round trip (get one link), per call', rt, 'ip link show lo (process)'));
console.log();
for (const line of codecRates(quick ? 20_000 : 200_000)) console.log(line);
console.log();
console.log(await labChain(quick ? 20 : 50, quick ? 2 : 5));
