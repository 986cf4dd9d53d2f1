// The monitor's promise, checked against the kernel with random churn
// (docs/events.md): a `list` + `resync` monitor on a small receive buffer,
// bursts that overflow it, and at each quiet point its state equals a fresh
// dump, as does the replay of every event it yielded onto its listing. The
// same churn at 1,000,000 events is bench/monitor-soak.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { CHURN_GROUPS, Follower, churnBurst, churnSetup, churnTeardown, compareStates, freshState, rng, trackedState } from '../helpers/monitor-churn.js';
import { requireIsolation } from '../helpers/sh.js';

requireIsolation();

const seed = Number(process.env.NLTS_MONITOR_SEED ?? Date.now() % 1_000_000);

test(`random churn with overruns: at quiet points the monitor holds what a fresh dump holds (seed ${seed})`, async () => {
  using nl = Rtnl.openSync();
  const model = await churnSetup(nl);
  const r = rng(seed);
  // 256 KiB, kept there: the bursts below overflow it again and again.
  const mon = nl.monitor({ groups: CHURN_GROUPS, list: true, resync: true, receiveBufferSize: 256 << 10, maxReceiveBufferSize: 256 << 10 });
  const f = new Follower(mon);
  try {
    await f.listed();
    let changes = 0;
    for (let round = 0; round < 4; round++) {
      for (let b = 0; b < 3; b++) {
        changes += await churnBurst(nl, model, r, { routes: Math.floor(r() * 1500), others: Math.floor(r() * 150), links: round === 1 });
      }
      await f.settle(nl, model);
      const fresh = await freshState(nl);
      const problems = [...compareStates('tracked', fresh, trackedState(mon)), ...compareStates('replayed', fresh, f.replay)];
      assert.equal(problems, [], `round ${round}, seed ${seed}, ${changes} changes, ${f.overruns} overruns, stats ${JSON.stringify(mon.stats)}:\n${problems.join('\n')}`);
    }
    assert.ok(f.overruns > 0, `the bursts overflowed the buffer at least once (else this proves nothing): ${JSON.stringify(mon.stats)}`);
    assert.ok(mon.stats.lost > 0, 'the drop counter saw the loss');
  } finally {
    await f.close();
    await churnTeardown(nl, model);
  }
});

test.run();
