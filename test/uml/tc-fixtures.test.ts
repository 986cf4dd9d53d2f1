// Every tc command the host kernel refused (test/fixtures/iproute2/tc: netem in
// all its options, fq_codel, fq, prio, sfq, gact, matchall...), replayed on a
// kernel that has them: tc runs the command on one set of devices, netlink-ts
// runs the same words on another. Then tc -j reads both the same, netlink-ts
// decodes both the same, and `netlink-ts -j` prints what `tc -j` prints.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import type { Filter } from '../../src/rtnl/tc/filter.js';
import type { Qdisc } from '../../src/rtnl/tc/qdisc.js';
import { requireIsolation, run } from '../helpers/sh.js';
import { type Replayed, backToCapture, iproute2, namesFor, oursBatch, refusedFixtures, rename, sameBatchJson } from './replay.js';

requireIsolation();

// multiq, hfsc's default class and fw filters: tc 6.1 prints them with fprintf inside -j output, which then is not
// JSON; fq_pie and ets: the UML kernel has no module for them. Bytes only (docs/tc.md).
const BYTES_ONLY = new Set(['qdisc-multiq', 'qdisc-hfsc-default', 'qdisc-fq-pie', 'filter-fw-classid', 'filter-fw-action']);
const replays: Replayed[] = refusedFixtures('tc').filter(({ slug }) => !BYTES_ONLY.has(slug) && !slug.startsWith('qdisc-ets')).map(({ slug, fixture }, i) => ({
  slug, fixture, theirs: namesFor(fixture, `t${i}x`), ours: namesFor(fixture, `o${i}x`),
}));
/** What tc said when it refused a fixture's command here (a change of a qdisc the setup did not make, say). */
const tcRefused = new Map<string, string>();
/** What netlink-ts said on stderr while replaying (shown when a comparison fails). */
let oursStderr = '';

interface TcQdiscJson { kind: string; handle: string; dev: string; root?: boolean }

/** Everything read once after the replays (starting a program costs ~0.15 s under UML, Node ~2 s). */
const state = { tcQdiscs: [] as TcQdiscJson[], tcFilters: new Map<string, unknown[]>(), ours: [] as Qdisc[], ourFilters: new Map<string, Filter[]>() };

/** A handle the kernel chose (8001: and up) differs between two replays; one the command gave does not. */
function autoHandle<T extends { handle?: unknown }>(q: T): T {
  const h = q.handle;
  return typeof h === 'string' && /^80[0-9a-f]{2}:$/.test(h) ? { ...q, handle: 'auto' } : q;
}

/** The parents whose filters `tc filter show` lists on this device (its qdiscs with filters, by the words tc takes). */
function filterParents(dev: string): string[][] {
  return state.tcQdiscs.filter((q) => q.dev === dev).flatMap((q) => q.kind === 'clsact' ? [['ingress'], ['egress']]
    : q.kind === 'ingress' ? [['ingress']] : /^80|^0:$/.test(q.handle) ? [] : [['parent', q.handle]]);
}

/** This replay's qdiscs and filters as tc prints them, its names put back to the capture's. */
function tcView(names: Map<string, string>, command: string): unknown {
  const devs = [...names.values()];
  const back = <T>(x: T): T => JSON.parse(backToCapture(JSON.stringify(x), names)) as T;
  return {
    qdiscs: back(state.tcQdiscs.filter((q) => devs.includes(q.dev))).map(autoHandle),
    filters: back(devs.flatMap((d) => state.tcFilters.get(d) ?? [])).map((f) => chosenIndex(f, command)),
  };
}

/** What netlink-ts decoded, without what differs between two copies of one state (indexes, counters, chosen handles). */
function ourView(names: Map<string, string>, command: string): unknown {
  const devs = [...names.values()];
  const qdiscs = state.ours.filter((q) => devs.includes(ifindexes.get(q.ifindex) ?? '')).map((q) => {
    const { ifindex, stats, xstats, ...rest } = q as Qdisc & { xstats?: unknown };
    void ifindex; void stats; void xstats;
    return autoHandle(rest);
  });
  const filters = devs.flatMap((d) => state.ourFilters.get(d) ?? []).map((f) => {
    const { ifindex, ...rest } = f;
    void ifindex;
    // Action counters and times move; what was configured does not.
    // A device an action names (mirred's) is compared by its name in the capture.
    const plain = JSON.stringify(rest, (k, v: unknown) => /^(stats|tm|install|lastuse|firstuse|expires)$/i.test(k) ? undefined
      : k === 'ifindex' && typeof v === 'number' ? ifindexes.get(v) ?? v : v);
    return chosenIndex(JSON.parse(backToCapture(plain, names)) as unknown, command);
  });
  return { qdiscs, filters };
}

const ifindexes = new Map<number, string>();

/** An action's index is the kernel's choice (a counter shared by all) unless the command gave one. */
function chosenIndex<T>(filter: T, command: string): T {
  if (/ index \d/.test(command)) return filter;
  return JSON.parse(JSON.stringify(filter), (k, v: unknown) => k === 'index' ? 'auto' : v) as T;
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

// A refused command compares two empty states: only a change of something the
// capture's setup did not make may be refused here; every kind must be made.
test('tc made every kind here: only changes and deletes may be refused', () => {
  const refused = [...tcRefused].filter(([slug]) => !/ (change|replace|del|delete) /.test(replays.find((r) => r.slug === slug)!.fixture.command));
  assert.equal(refused, [], 'tc refused these on the UML kernel');
});

test('read back: tc -j and netlink-ts dump everything once', async () => {
  state.tcQdiscs = JSON.parse(run('tc', ['-j', 'qdisc', 'show'])) as TcQdiscJson[];
  await using nl = await Rtnl.open();
  for (const l of await nl.link.list()) ifindexes.set(l.index, l.name!);
  state.ours = await nl.qdisc.list();
  for (const r of replays.filter((x) => x.slug.startsWith('filter-'))) {
    for (const dev of [...r.theirs.values(), ...r.ours.values()]) {
      for (const parent of filterParents(dev)) {
        const out = run('tc', ['-j', 'filter', 'show', 'dev', dev, ...parent]).trim();
        state.tcFilters.set(dev, [...state.tcFilters.get(dev) ?? [], ...(out ? JSON.parse(out) as unknown[] : [])]);
        const p = parent[0] === 'parent' ? parent[1]! : parent[0]!;
        state.ourFilters.set(dev, [...state.ourFilters.get(dev) ?? [], ...await nl.filter.list({ dev, parent: p })]);
      }
    }
  }
});

for (const r of replays) {
  test(`${r.slug}: ${r.fixture.command}`, () => {
    const said = `${tcRefused.has(r.slug) ? `tc refused it here: ${tcRefused.get(r.slug)}\n` : ''}netlink-ts said: ${oursStderr}`;
    const theirs = tcView(r.theirs, r.fixture.command) as { qdiscs: unknown[] };
    assert.equal(tcView(r.ours, r.fixture.command), theirs, `tc -j reads what netlink-ts made as what tc made\n${said}`);
    assert.equal(ourView(r.ours, r.fixture.command), ourView(r.theirs, r.fixture.command), 'netlink-ts decodes both the same');
    if (!tcRefused.has(r.slug)) assert.ok(theirs.qdiscs.length > 0, 'the command made something');
  });
}

test('netlink-ts -j qdisc show and filter show (and -s, -d) print what tc -j prints, for every replay', () => {
  const filterLines = replays.filter((x) => x.slug.startsWith('filter-'))
    .flatMap((r) => [...r.theirs.values(), ...r.ours.values()].flatMap((dev) => filterParents(dev).map((p) => `filter show dev ${dev} ${p.join(' ')}`)));
  assert.ok(filterLines.length >= 8, filterLines.join('\n'));
  sameBatchJson('tc', ['-j'], ['qdisc show', ...filterLines]);
  sameBatchJson('tc', ['-j', '-d'], ['qdisc show']);
  sameBatchJson('tc', ['-j', '-s'], ['qdisc show']);
});

test('change: netlink-ts changes what tc made and tc what netlink-ts made, with the same words; both copies read the same', async () => {
  const changes: [slug: string, words: string, shows: RegExp][] = [
    ['qdisc-fq-codel', 'fq_codel target 10ms interval 200ms', /"target":9999,.*"interval":199999/],
    ['qdisc-fq', 'fq flow_limit 200 quantum 6000', /"flow_limit":200,.*"quantum":6000/],
    // (sfq has no change operation in 6.1: the kernel refuses it, to tc as well.)
    ['qdisc-prio', 'prio bands 4 priomap 3 3 2 2 1 1 0 0', /"bands":4,"priomap":\[3,3,2,2,1,1,0,0,/],
    ['netem-delay', 'netem delay 50ms 5ms loss 3%', /"delay":0.05,"jitter":0.005.*"loss":0.03/],
  ];
  const picked = changes.map(([slug, words, shows]) => ({ r: replays.find((x) => x.slug === slug)!, words, shows }));
  assert.ok(picked.every((p) => p.r), 'the captures to change exist');
  oursBatch(picked.map(({ r, words }) => `qdisc change dev ${r.theirs.get('nlts-a')} root ${words}`));
  for (const { r, words } of picked) run('tc', ['qdisc', 'change', 'dev', r.ours.get('nlts-a')!, 'root', ...words.split(' ')]);
  state.tcQdiscs = JSON.parse(run('tc', ['-j', 'qdisc', 'show'])) as TcQdiscJson[];
  await using nl = await Rtnl.open();
  state.ours = await nl.qdisc.list();
  for (const { r, words, shows } of picked) {
    const theirs = tcView(r.theirs, r.fixture.command);
    assert.match(JSON.stringify(theirs), shows, `tc reads netlink-ts's change: ${words}`);
    assert.equal(tcView(r.ours, r.fixture.command), theirs, `${r.slug}: tc -j reads both changes the same`);
    assert.equal(ourView(r.ours, r.fixture.command), ourView(r.theirs, r.fixture.command), `${r.slug}: netlink-ts decodes both changes the same`);
  }
});

test('delete: every replayed root qdisc goes, with tc and with netlink-ts', () => {
  const lines: string[] = [];
  for (const r of replays) {
    const dev = r.theirs.get('nlts-a');
    if (dev && state.tcQdiscs.some((q) => q.dev === dev && q.root)) {
      run('tc', ['qdisc', 'del', 'dev', dev, 'root']);
      lines.push(`qdisc del dev ${r.ours.get('nlts-a')} root`);
    }
  }
  oursBatch(lines);
  const after = JSON.parse(run('tc', ['-j', 'qdisc', 'show'])) as TcQdiscJson[];
  for (const r of replays) {
    for (const names of [r.theirs, r.ours]) {
      const dev = names.get('nlts-a');
      if (!dev) continue;
      const left = after.filter((q) => q.dev === dev && q.root && q.kind !== 'noqueue');
      assert.equal(left, [], `${r.slug}: ${dev} has its default qdisc back`);
    }
  }
});

test.run();
