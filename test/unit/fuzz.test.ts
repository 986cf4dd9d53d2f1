// The fuzzer inside `npm test`: every seed as it is (canonical ones round-trip
// byte for byte), the regression corpus, and a fixed-seed run, all under the
// watchdog. The long run is `npm run fuzz -- --inputs 1000000` (test/fuzz/main.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Failure } from '../fuzz/checks.js';
import { loadCorpus } from '../fuzz/corpus.js';
import { poolOf } from '../fuzz/engine.js';
import { supervise } from '../fuzz/supervise.js';
import { TARGETS } from '../fuzz/targets.js';
import { linkKinds } from '../../src/rtnl/link-kinds/registry.js';
import { qdiscKinds } from '../../src/rtnl/tc/qdiscs/registry.js';
import { filterKinds } from '../../src/rtnl/tc/filters/registry.js';
import { actionKinds } from '../../src/rtnl/tc/actions/registry.js';

/** The fixed seed and size of the run inside npm test (a few seconds). */
const SEED = 20251129;
const INPUTS = 10_000;

function explain(fs: Failure[]): string {
  return fs.slice(0, 5).map((f) => `${f.target} ${f.kind}: ${f.detail.slice(0, 600)}\n  input ${f.input.toString('hex').slice(0, 300)}`).join('\n');
}

test('every decoder of every kind in the registries is a target, and every message target has seeds', () => {
  const names = new Set(TARGETS.map((t) => t.name));
  for (const name of ['link', 'address', 'route', 'neighbour', 'rule', 'nsid', 'qdisc', 'class', 'filter', 'ack', 'monitor', 'datagram', 'tc.actions', 'tc.stats2', 'route.multipath', 'link.afSpec', 'conntrack', 'conntrack.stats', 'conntrack.expect']) {
    assert.ok(names.has(name), name);
  }
  for (const [k, v] of Object.entries(linkKinds)) {
    if (v.data) assert.ok(names.has(`link.data.${k}`), k);
    if ('slaveData' in v) assert.ok(names.has(`link.slaveData.${k}`), k);
  }
  for (const [k, v] of Object.entries(qdiscKinds)) {
    if ('qdisc' in v && v.qdisc) assert.ok(names.has(`qdisc.options.${k}`), k);
    if ('class' in v) assert.ok(names.has(`class.options.${k}`), k);
    if ('xstats' in v) assert.ok(names.has(`qdisc.xstats.${k}`), k);
  }
  for (const k of Object.keys(filterKinds)) assert.ok(names.has(`filter.options.${k}`), k);
  for (const k of Object.keys(actionKinds)) assert.ok(names.has(`action.options.${k}`), k);
  for (const t of TARGETS) assert.ok(poolOf(t).seeds.length > 0, `${t.name} has no seeds`);
});

test('every seed decodes cleanly where it should, and the canonical ones re-encode to their own bytes', async () => {
  const r = await supervise({ mode: 'seeds' });
  assert.equal(r.failures.length, 0, explain(r.failures));
  assert.ok(r.inputs > 1500, `${r.inputs} seeds`);
  assert.ok(r.stats.reencoded > 400, `${r.stats.reencoded} round trips`);
});

test('the regression corpus replays without a failure', async () => {
  const items = loadCorpus();
  assert.ok(items.length > 0, 'the corpus is empty');
  const r = await supervise({ mode: 'list', items });
  assert.equal(r.failures.length, 0, explain(r.failures));
  assert.is(r.inputs, items.length);
});

test(`a fixed-seed run of ${INPUTS} inputs finds nothing`, async () => {
  const r = await supervise({ mode: 'range', seed: SEED, inputs: INPUTS });
  assert.equal(r.failures.length, 0, explain(r.failures));
  assert.is(r.inputs, INPUTS);
  // Every target got its share.
  for (const t of TARGETS) assert.ok((r.perTarget[t.name] ?? 0) >= Math.floor(INPUTS / TARGETS.length), t.name);
});

test('the watchdog stops an input that never returns, keeps it, and carries on after it', async () => {
  const r = await supervise({ mode: 'range', seed: 7, inputs: 60, spinAt: 20, timeoutMs: 400 });
  const hangs = r.failures.filter((f) => f.kind === 'hang');
  assert.is(hangs.length, 1);
  assert.match(hangs[0]!.detail, /input 20 of seed 7 did not return within 400 ms/);
  assert.is(hangs[0]!.target, TARGETS[20 % TARGETS.length]!.name);
  assert.ok(hangs[0]!.input.length > 0);
  assert.is(r.inputs, 60, 'the 39 inputs after it ran too');
});

test.run();
