// `npm run soak:monitor`: the monitor's promise at 1,000,000 changes
// (docs/events.md). A `list` + `resync` monitor follows random churn of every
// family it serves, mostly routes in bursts of tens of thousands, inside a
// throw-away network namespace; after every burst cycle it must hold what a
// fresh listing holds, and the replay of what it yielded must too. Prints the
// overruns, resyncs, events known lost and the time taken.
//   --events=N        changes to make (default 1,000,000)
//   --rcvbuf=BYTES    the monitor's first receive buffer (default 256 KiB)
//   --max-rcvbuf=B    the most it may grow to (default 64 MiB; = rcvbuf keeps it fixed)
//   --seed=N          the churn's seed (default: the time)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rtnl } from '../src/client.js';
import { CHURN_GROUPS, Follower, churnBurst, churnSetup, churnTeardown, compareStates, freshState, rng, trackedState } from '../test/helpers/monitor-churn.js';
import { isolate } from './harness.js';

const args = process.argv.slice(2);
isolate(fileURLToPath(import.meta.url), args);
const opt = (name: string, dflt: number): number => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  const v = a ? Number(a.slice(name.length + 3)) : dflt;
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name} must be a whole number`);
  return v;
};
const target = opt('events', 1_000_000);
const rcvbuf = opt('rcvbuf', 256 << 10);
const maxRcvbuf = opt('max-rcvbuf', 64 << 20);
const seed = opt('seed', Date.now() % 1_000_000);

execFileSync('ip', ['link', 'set', 'lo', 'up']);
const nl = Rtnl.openSync();
const model = await churnSetup(nl);
const r = rng(seed);
const mon = nl.monitor({ groups: CHURN_GROUPS, list: true, resync: true, receiveBufferSize: rcvbuf, maxReceiveBufferSize: maxRcvbuf });
const f = new Follower(mon);
const t0 = performance.now();
await f.listed();
let changes = 0;
let checks = 0;
let failures = 0;
let checking = 0;
while (changes < target) {
  // A cycle: bursts of up to 50,000 route changes (over 131,072 slots) and a few hundred of every other family.
  for (let b = 0; b < 4 && changes < target; b++) {
    changes += await churnBurst(nl, model, r, { routes: Math.min(target - changes, 10_000 + Math.floor(r() * 40_000)), others: Math.floor(r() * 400), routeSpace: 65_536 });
  }
  await f.settle(nl, model);
  const c0 = performance.now();
  const fresh = await freshState(nl);
  const problems = [...compareStates('tracked', fresh, trackedState(mon)), ...compareStates('replayed', fresh, f.replay)];
  checking += performance.now() - c0;
  checks++;
  if (problems.length) { failures++; console.log(`after ${changes} changes:\n  ${problems.join('\n  ')}`); }
  const s = mon.stats;
  process.stderr.write(`${changes.toLocaleString('en')} changes, ${s.overruns} overruns, ${s.syncs - 1} resyncs, ${s.restarts} restarts, ${s.lost.toLocaleString('en')} lost, buffer ${(s.receiveBufferSize / 2 / 1024).toFixed(0)} KiB${problems.length ? ', MISMATCH' : ''}\n`);
}
const seconds = (performance.now() - t0 - checking) / 1000;
await f.close();
await churnTeardown(nl, model);
nl.close();
const s = mon.stats;
console.log(`monitor soak (seed ${seed}): ${changes.toLocaleString('en')} changes in ${seconds.toFixed(1)} s (checks excluded), ${f.events.toLocaleString('en')} events yielded`);
console.log(`  overruns ${s.overruns}, resyncs ${s.syncs - 1}, restarted rounds ${s.restarts}, interrupted dumps ${s.interruptedDumps}, events known lost ${s.lost.toLocaleString('en')}`);
console.log(`  receive buffer ${rcvbuf / 1024} KiB at first, ${s.receiveBufferSize / 2 / 1024} KiB at the end (bound ${maxRcvbuf / 1024} KiB)`);
console.log(`  invariant checked ${checks} times: ${failures ? `${failures} MISMATCHES` : 'state and replay equal a fresh listing every time'}`);
process.exit(failures ? 1 : 0);
