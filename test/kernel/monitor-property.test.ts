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

test('what the kernel removes without an event (routes of a link gone down, classes of a deleted qdisc) leaves the tracked state too', async () => {
  using nl = Rtnl.openSync();
  const model = await churnSetup(nl);
  // A buffer no burst here overflows: no resync comes to the rescue.
  const mon = nl.monitor({ groups: CHURN_GROUPS, list: true, resync: true, receiveBufferSize: 8 << 20 });
  const f = new Follower(mon);
  try {
    await f.listed();
    const b = nl.batch();
    b.addr.add({ dev: 'nlts-c1', address: '198.18.9.1/24' });
    b.route.add({ dst: '198.19.9.0/24', gateway: '198.18.9.254', dev: 'nlts-c1' });
    for (let i = 0; i < 5; i++) b.class.add({ dev: 'nlts-c0', parent: '1:', classid: `1:${20 + i}`, kind: 'htb', options: { rate: '1mbit' } });
    assert.is((await b.commit()).errors.length, 0);
    await f.settle(nl, model);
    assert.ok(mon.trackedKeys('route').some((k) => k.includes('198.19.9.0')) && mon.trackedKeys('class').length >= 5, 'the monitor saw them come');
    await nl.link.setDown('nlts-c1');
    await nl.qdisc.delete({ dev: 'nlts-c0', parent: 'root' });
    model.htb = false;
    await f.settle(nl, model);
    const fresh = await freshState(nl);
    assert.ok(![...fresh.get('route')!.keys()].some((k) => k.includes('198.19.9.0')), 'the kernel dropped the route');
    assert.equal([...fresh.get('class')!.keys()], [], 'and the classes');
    const problems = [...compareStates('tracked', fresh, trackedState(mon)), ...compareStates('replayed', fresh, f.replay)];
    assert.equal(problems, [], problems.join('\n'));
    assert.is(mon.stats.overruns, 0);
  } finally {
    await f.close();
    await nl.link.setUp('nlts-c1');
    await churnTeardown(nl, model);
  }
});

test.run();
