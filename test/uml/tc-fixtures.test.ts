// Every tc command the host kernel refused (test/fixtures/iproute2/tc: netem in
// all its options, fq_codel, fq, prio, sfq, gact, matchall...), replayed on a
// kernel that has them: tc runs the command on one set of devices, netlink-ts
// runs the same words on another. Then tc -j reads both the same, netlink-ts
// decodes both the same, and `netlink-ts -j` prints what `tc -j` prints.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import type { Filter } from '../../src/route/tc/filter.js';
import type { Qdisc } from '../../src/route/tc/qdisc.js';
import { requireIsolation, run } from '../helpers/sh.js';
import { sameJson } from '../helpers/tc.js';
import { type Replayed, backToCapture, iproute2, namesFor, oursBatch, refusedFixtures, rename } from './replay.js';

requireIsolation();

const replays: Replayed[] = refusedFixtures('tc').map(({ slug, fixture }, i) => ({
  slug, fixture, theirs: namesFor(fixture, `t${i}x`), ours: namesFor(fixture, `o${i}x`),
}));
/** What tc said when it refused a fixture's command here (a change of a qdisc the setup did not make, say). */
const tcRefused = new Map<string, string>();
/** What netlink-ts said on stderr while replaying (shown when a comparison fails). */
let oursStderr = '';

/** The qdiscs' JSON as tc prints it, with this replay's names back to the capture's and kernel-chosen handles blanked. */
function tcQdiscs(names: Map<string, string>): unknown[] {
  return [...names.values()].flatMap((dev) => {
    const out = run('tc', ['-j', 'qdisc', 'show', 'dev', dev]);
    return JSON.parse(backToCapture(out, names)) as Record<string, unknown>[];
  }).map(autoHandle);
}

/** A handle the kernel chose (8001: and up) differs between two replays; one the command gave does not. */
function autoHandle<T extends Record<string, unknown>>(q: T): T {
  const h = q.handle;
  return typeof h === 'string' && /^80[0-9a-f]{2}:$/.test(h) ? { ...q, handle: 'auto' } : q;
}

/** The filters of every qdisc on the devices, as tc prints them. */
function tcFilters(names: Map<string, string>): unknown[] {
  const all: unknown[] = [];
  for (const dev of names.values()) {
    for (const parent of filterParents(dev)) {
      const out = run('tc', ['-j', 'filter', 'show', 'dev', dev, ...parent]).trim();
      if (out) all.push(...(JSON.parse(backToCapture(out, names)) as unknown[]));
    }
  }
  return all;
}

function filterParents(dev: string): string[][] {
  const qs = JSON.parse(run('tc', ['-j', 'qdisc', 'show', 'dev', dev])) as { kind: string; handle: string }[];
  return qs.flatMap((q) => q.kind === 'clsact' ? [['ingress'], ['egress']] : q.kind === 'ingress' ? [['ingress']]
    : q.handle.startsWith('80') || q.handle === '0:' ? [] : [['parent', q.handle]]);
}

/** What netlink-ts decodes, without what differs between two copies of one state (indexes, counters, chosen handles). */
async function decoded(nl: Rtnl, names: Map<string, string>): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const dev of names.values()) {
    for (const q of await nl.qdisc.list({ dev })) {
      const { ifindex, stats, xstats, ...rest } = q as Qdisc & { xstats?: unknown };
      void ifindex; void stats; void xstats;
      out.push(autoHandle(rest as Record<string, unknown>));
    }
    for (const parent of filterParents(dev)) {
      const p = parent[0] === 'parent' ? parent[1]! : parent[0]!;
      for (const f of await nl.filter.list({ dev, parent: p })) {
        const { ifindex, ...rest } = f as Filter;
        void ifindex;
        out.push(JSON.parse(JSON.stringify(rest, (k, v) => /^(stats|tm|install|lastuse|firstuse|expires|refcnt)$/i.test(k) ? undefined : v as unknown)));
      }
    }
  }
  return out;
}

test('every refused capture replays: tc on one copy, netlink-ts -batch (same words) on the other', () => {
  assert.ok(replays.length >= 25, `${replays.length} refused tc captures`);
  for (const r of replays) {
    for (const names of [r.theirs, r.ours]) for (const line of r.fixture.setup ?? []) iproute2(rename(line, names));
    try {
      iproute2(rename(r.fixture.command, r.theirs));
    } catch (e) {
      tcRefused.set(r.slug, String((e as { stderr?: string }).stderr ?? e).trim());
    }
  }
  // -force: a command tc refused here is refused to us as well; the state comparisons below check that.
  oursStderr = oursBatch(replays.map((r) => rename(r.fixture.command, r.ours).replace(/^tc /, '')), true).stderr;
});

for (const r of replays) {
  test(`${r.slug}: ${r.fixture.command}`, async () => {
    const said = `${tcRefused.has(r.slug) ? `tc refused it here: ${tcRefused.get(r.slug)}\n` : ''}netlink-ts said: ${oursStderr}`;
    assert.equal(tcQdiscs(r.ours), tcQdiscs(r.theirs), `tc -j reads our qdiscs as its own\n${said}`);
    assert.equal(tcFilters(r.ours), tcFilters(r.theirs), 'tc -j reads our filters as its own');
    await using nl = await Rtnl.open();
    assert.equal(await decoded(nl, r.ours), await decoded(nl, r.theirs), 'netlink-ts decodes both the same');
    if (!tcRefused.has(r.slug)) assert.ok(tcQdiscs(r.theirs).length > 0, 'the command made something');
  });
}

test('netlink-ts -j qdisc show (and -s, -d) prints what tc -j prints, for every replay at once', () => {
  sameJson('qdisc', 'show');
  sameJson('-d', 'qdisc', 'show');
  sameJson('-s', 'qdisc', 'show');
});

test('netlink-ts -j filter show prints what tc -j prints', () => {
  for (const r of replays.filter((x) => x.slug.startsWith('filter-'))) {
    for (const dev of r.theirs.values()) for (const parent of filterParents(dev)) sameJson('filter', 'show', 'dev', dev, ...parent);
  }
});

test('delete: every replayed root qdisc goes, with tc and with netlink-ts', () => {
  const lines: string[] = [];
  for (const r of replays) {
    const dev = r.theirs.get('nlts-a');
    if (dev && tcQdiscs(r.theirs).some((q) => (q as { root?: boolean }).root)) {
      run('tc', ['qdisc', 'del', 'dev', dev, 'root']);
      lines.push(`qdisc del dev ${r.ours.get('nlts-a')} root`);
    }
  }
  oursBatch(lines);
  for (const r of replays) {
    for (const names of [r.theirs, r.ours]) {
      const dev = names.get('nlts-a');
      if (!dev) continue;
      const left = (JSON.parse(run('tc', ['-j', 'qdisc', 'show', 'dev', dev])) as { root?: boolean; kind: string }[]).filter((q) => q.root && q.kind !== 'noqueue');
      assert.equal(left, [], `${r.slug}: ${dev} has its default qdisc back`);
    }
  }
});

test.run();
