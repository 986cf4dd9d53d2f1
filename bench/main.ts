// `npm run bench`: the workloads of the project's benchmark, inside a
// throw-away network + mount namespace, netlink-ts beside iproute2 in one
// run (tools alternating within each repeat), min/median/max of wall time
// and CPU time, ratios of medians, then
// bench/results/latest.{json,svg}. `--quick`: small N, a few seconds, written
// to bench/results/quick.{json,svg}. `--only=W3,W4`: some workloads (`lab`:
// the lab chain, `codec`: the codec rates, `startup`: fresh processes, `first-use`: each
// family's first call beside the same call again).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rtnl } from '../src/client.js';
import { type Row, isolate, median } from './harness.js';
import { codecRates } from './codec.js';
import { chart, machine, markdownTable, printTable, printTargets, targets } from './report.js';
import { roundtrip } from './roundtrip.js';
import { addresses } from './w-addrs.js';
import { links } from './w-links.js';
import { namespaces } from './w-netns.js';
import { routesAddDumpFlush, routesDump } from './w-routes.js';
import { routeAddsByName } from './w-route-names.js';
import { classes } from './w-tc.js';
import { labChain } from './lab-chain.js';
import { startup } from './startup.js';
import { firstUse } from './first-use.js';
import { sockets } from './w-sockets.js';
import { nftRuleset } from './w-nft.js';
import { genlRoundtrips } from './w-genl.js';
import { conntrackWorkload } from './w-conntrack.js';

const args = process.argv.slice(2);
isolate(fileURLToPath(import.meta.url), args);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// A private /run: named namespaces (W5) live under /run/netns of this mount namespace only.
execFileSync('mount', ['-t', 'tmpfs', 'nlts-bench-run', '/run']);
execFileSync('ip', ['link', 'set', 'lo', 'up']);

const N = quick
  ? { w1: 20, w2: 500, w2sample: 20, w3: 5000, w3sample: 20, w4: 5000, w5: 10, w6: 100, w9: 1000, w12: 1000, w11: 5000, repeats: 3, w4repeats: 5 }
  : { w1: 1000, w2: 10_000, w2sample: 1000, w3: 100_000, w3sample: 1000, w4: 100_000, w5: 100, w6: 1000, w9: 10_000, w12: 10_000, w11: 100_000, repeats: 3, w4repeats: 10 };

const titles: Record<string, string> = {
  W1: `${N.w1.toLocaleString('en')} veth pairs`,
  W2: `${N.w2.toLocaleString('en')} IPv4 addresses on one link`,
  W3: `${N.w3.toLocaleString('en')} IPv4 routes`,
  W4: `dump and decode ${N.w4.toLocaleString('en')} routes`,
  W5: `${N.w5} named namespaces`,
  W6: `htb root and ${N.w6.toLocaleString('en')} classes`,
  W7: 'one request round trip (warm process)',
  W10: 'generic netlink: a family lookup, one ethtool request round trip',
  W8: `${N.w3.toLocaleString('en')} route adds, awaited one by one, device by name / by index (warm process)`,
  W9: `list ${N.w9.toLocaleString('en')} TCP sockets (ss -tan)`,
  W12: `load and list a ${N.w12.toLocaleString('en')}-rule nftables ruleset (nft -f, nft -j list ruleset)`,
  W11: `list ${N.w11.toLocaleString('en')} conntrack entries`,
  startup: 'start-up, a fresh process per sample',
  'first use': 'each family\'s first call in a fresh process, then the same call again',
};

const nl = Rtnl.openSync();
const before = machine();
const workloads: [string, () => Promise<Row[]>][] = [
  ['W7', () => roundtrip(quick ? 3 : 7)],
  ['W10', () => genlRoundtrips(quick ? 3 : 7)],
  ['W4', () => routesDump(nl, N.w4, N.w4repeats)],
  ['W3', () => routesAddDumpFlush(nl, N.w3, N.w3sample, N.repeats)],
  ['W2', () => addresses(nl, N.w2, N.w2sample, N.repeats)],
  ['W6', () => classes(nl, N.w6, N.repeats)],
  ['W5', () => namespaces(N.w5, N.repeats)],
  ['W1', () => links(nl, N.w1, N.repeats)],
  ['W8', () => routeAddsByName(nl, N.w3, N.repeats)],
  ['W9', () => sockets(N.w9, quick ? N.repeats : 7)],
  ['W12', () => nftRuleset(N.w12, quick ? N.repeats : 5)],
  ['W11', () => conntrackWorkload(N.w11, N.repeats)],
  ['startup', async () => startup(quick ? 10 : 30)],
  ['first-use', () => firstUse(nl, quick ? 3 : 10)],
];
const rows: Row[] = [];
for (const [name, run] of workloads) {
  if (only && !only.includes(name)) continue;
  process.stderr.write(`${name} ${titles[name] ?? titles[name.replace('-', ' ')]} `);
  const t0 = Date.now();
  rows.push(...await run());
  process.stderr.write(` ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}
nl.close();

const host = { ...machine(), loadAverageBefore: before.loadAverage };
const mode = quick ? 'quick' : 'full';
const ts = targets(rows);
console.log();
console.log(printTable(titles, rows));
console.log(printTargets(ts));
console.log(`\nmachine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, Linux ${host.kernel}, Node ${host.node}, ${host.iproute2}; load average ${before.loadAverage} before, ${host.loadAverage} after`);
console.log();
if (!only || only.includes('codec')) for (const line of codecRates(quick ? 20_000 : 200_000)) console.log(line);
if (!only || only.includes('lab')) {
  console.log();
  console.log(await labChain(quick ? 20 : 50, quick ? 2 : 5));
}

const out = join(root, 'bench', 'results');
mkdirSync(out, { recursive: true });
const base = quick ? 'quick' : only ? 'partial' : 'latest';
const stats = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
const sorted = rows.map((r) => ({ ...r, wall: stats(r.seconds), ...(r.cpu?.length ? { cpuTime: stats(r.cpu) } : {}) }));
writeFileSync(join(out, `${base}.json`), `${JSON.stringify({ date: new Date().toISOString(), mode, machine: host, titles, targets: ts, rows: sorted }, null, 2)}\n`);
const subtitle = `${mode} mode, ${new Date().toISOString().slice(0, 10)} · ${host.cpu} (${host.cores} cores) · Linux ${host.kernel} · Node ${host.node} · ${host.iproute2} · load ${before.loadAverage.join(' ')}`;
writeFileSync(join(out, `${base}.svg`), chart('netlink-ts beside iproute2', subtitle, rows));
writeFileSync(join(out, `${base}.md`), `${markdownTable(titles, rows)}\n\n${subtitle}\n`);
console.log(`\nwrote bench/results/${base}.json, ${base}.svg and ${base}.md`);
