import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import type { Rtnl } from '../../src/client.js';
import type { MonitorEvent } from '../../src/events/monitor.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import type { NexthopObject } from '../../src/rtnl/nexthop.js';
import { cli } from '../helpers/cli-path.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';
import { withVeth } from '../helpers/veth.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

/** A veth pair with an address, and no nexthop left behind (deleting the link takes its nexthops, groups stay). */
const withLinks = (fn: (nl: Rtnl) => Promise<void>): (() => Promise<void>) => withVeth('nlts-n0', 'nlts-n1', fn, {
  setup: () => {
    ip('link', 'set', 'lo', 'up');
    ip('addr', 'add', '198.18.0.1/24', 'dev', 'nlts-n0');
    ip('addr', 'add', 'fd00::1/64', 'dev', 'nlts-n0', 'nodad');
  },
  cleanup: () => { ip('nexthop', 'flush'); },
});

type IpNexthop = Record<string, unknown> & { id: number };
const byId = (list: IpNexthop[], id: number): IpNexthop | undefined => list.find((n) => n.id === id);

test('add with netlink-ts, read back with ip -j: gateways, device, blackhole, fdb, weighted and resilient groups', withLinks(async (nl) => {
  await nl.nexthop.add({ id: 1, via: '198.18.0.2', dev: 'nlts-n0' });
  await nl.nexthop.add({ id: 2, via: '198.18.0.3', dev: 'nlts-n0', protocol: 'static' });
  await nl.nexthop.add({ id: 3, via: 'fd00::3', dev: 'nlts-n0' });
  await nl.nexthop.add({ id: 4, dev: 'nlts-n0' });
  await nl.nexthop.add({ id: 5, blackhole: true });
  await nl.nexthop.add({ id: 6, via: '198.18.9.1', dev: 'nlts-n0', onlink: true });
  await nl.nexthop.add({ id: 7, via: '198.18.0.7', fdb: true });
  await nl.nexthop.add({ id: 10, group: [{ id: 1 }, { id: 2, weight: 5 }] });
  await nl.nexthop.add({ id: 11, group: [{ id: 1 }, { id: 2 }], type: 'resilient', resilient: { buckets: 8, idleTimer: 120, unbalancedTimer: 60 } });
  await nl.nexthop.add({ id: 12, group: [{ id: 7 }], fdb: true });
  await nl.nexthop.replace({ id: 2, via: '198.18.0.4', dev: 'nlts-n0', protocol: 'static' });
  const list = ipJson<IpNexthop[]>('nexthop', 'show');
  assert.equal(byId(list, 1), { id: 1, gateway: '198.18.0.2', dev: 'nlts-n0', scope: 'link', flags: [] });
  assert.equal(byId(list, 2), { id: 2, gateway: '198.18.0.4', dev: 'nlts-n0', scope: 'link', protocol: 'static', flags: [] });
  assert.equal(byId(list, 3), { id: 3, gateway: 'fd00::3', dev: 'nlts-n0', scope: 'link', flags: [] });
  assert.equal(byId(list, 4), { id: 4, dev: 'nlts-n0', scope: 'host', flags: [] });
  assert.equal(byId(list, 5), { id: 5, blackhole: null, flags: [] });
  assert.equal(byId(list, 6), { id: 6, gateway: '198.18.9.1', dev: 'nlts-n0', scope: 'link', flags: ['onlink'] });
  assert.equal(byId(list, 7), { id: 7, gateway: '198.18.0.7', scope: 'link', flags: [], fdb: null });
  assert.equal(byId(list, 10), { id: 10, group: [{ id: 1 }, { id: 2, weight: 5 }], flags: [] });
  assert.equal(byId(list, 11), { id: 11, group: [{ id: 1 }, { id: 2 }], type: 'resilient', resilient_args: { buckets: 8, idle_timer: 120, unbalanced_timer: 60, unbalanced_time: 0 }, flags: [] });
  assert.equal(byId(list, 12), { id: 12, group: [{ id: 7 }], flags: [], fdb: null });
  assert.is(ipJson<unknown[]>('nexthop', 'bucket', 'show', 'id', '11').length, 8);
}));

test('add with ip, read back with netlink-ts: typed, absent fields undefined', withLinks(async (nl) => {
  ip('nexthop', 'add', 'id', '1', 'via', '198.18.0.2', 'dev', 'nlts-n0', 'proto', 'bgp');
  ip('nexthop', 'add', 'id', '2', 'via', 'fd00::2', 'dev', 'nlts-n0');
  ip('nexthop', 'add', 'id', '3', 'blackhole');
  ip('nexthop', 'add', 'id', '20', 'group', '1,3/2', 'type', 'resilient', 'buckets', '4', 'idle_timer', '5', 'unbalanced_timer', '7');
  const list = await nl.nexthop.list();
  const at = (id: number): NexthopObject => list.find((n) => n.id === id)!;
  assert.equal(
    { family: at(1).family, scope: at(1).scope, protocol: at(1).protocol, gateway: at(1).gateway, oif: at(1).oif, flags: at(1).flags, blackhole: at(1).blackhole, group: at(1).group },
    { family: 'inet', scope: 'link', protocol: 'bgp', gateway: '198.18.0.2', oif: (await nl.link.get('nlts-n0')).index, flags: [], blackhole: undefined, group: undefined },
  );
  assert.is(at(2).family, 'inet6');
  assert.is(at(2).gateway, 'fd00::2');
  assert.is(at(3).blackhole, true);
  assert.is(at(3).oif, undefined);
  const g = at(20);
  assert.equal(g.group, [{ id: 1, weight: 3 }, { id: 2, weight: 1 }]);
  assert.is(g.groupType, 'resilient');
  assert.equal({ ...g.resilient, unbalancedTime: undefined }, { buckets: 4, idleTimer: 5, unbalancedTimer: 7, unbalancedTime: undefined });
  assert.is(g.issues, undefined);
  // One by id, and the kernel-side filters.
  assert.is((await nl.nexthop.get(20)).id, 20);
  assert.equal((await nl.nexthop.list({ groups: true })).map((n) => n.id), [20]);
  assert.equal((await nl.nexthop.list({ dev: 'nlts-n0' })).map((n) => n.id), [1, 2]);
  assert.equal((await nl.nexthop.list({ protocol: 'bgp' })).map((n) => n.id), [1]);
  const buckets = await nl.nexthop.buckets({ id: 20 });
  assert.is(buckets.length, 4);
  assert.equal(buckets.map((b) => b.bucket?.index).sort(), [0, 1, 2, 3]);
  assert.ok(buckets.every((b) => b.bucket?.nhid === 1 || b.bucket?.nhid === 2));
  assert.is((await nl.nexthop.buckets({ id: 20, nhid: 1 })).length, 3, 'weight 3 of 4 buckets');
  assert.is((await nl.nexthop.bucket(20, 2)).bucket?.index, 2);
}));

test('netlink-ts nexthop prints what ip nexthop prints, text and -j, with and without -d', withLinks(async () => {
  ip('nexthop', 'add', 'id', '1', 'via', '198.18.0.2', 'dev', 'nlts-n0');
  ip('nexthop', 'add', 'id', '2', 'via', 'fd00::2', 'dev', 'nlts-n0', 'onlink', 'proto', 'static');
  ip('nexthop', 'add', 'id', '3', 'blackhole');
  ip('nexthop', 'add', 'id', '4', 'via', '198.18.0.9', 'fdb');
  ip('nexthop', 'add', 'id', '5', 'dev', 'nlts-n0');
  ip('nexthop', 'add', 'id', '10', 'group', '1/5,7');
  ip('nexthop', 'add', 'id', '11', 'group', '1/5', 'type', 'resilient', 'buckets', '6', 'idle_timer', '30');
  ip('nexthop', 'add', 'id', '12', 'group', '4', 'fdb');
  for (const global of [[], ['-d'], ['-j'], ['-j', '-d']]) {
    for (const sel of [[], ['groups'], ['fdb'], ['dev', 'nlts-n0'], ['id', '11'], ['protocol', '4']]) {
      const args = [...global, 'nexthop', 'show', ...sel];
      assert.is(ours(...args), ip(...args), args.join(' '));
    }
  }
  assert.is(ours('nexthop', 'get', 'id', '10'), ip('nexthop', 'get', 'id', '10'));
  // Bucket idle times grow while we look: compared without them.
  const noTimes = (s: string): string => s.replace(/idle_time[": ]+[0-9.e+-]+,?/g, '');
  for (const args of [['nexthop', 'bucket', 'show'], ['-j', 'nexthop', 'bucket', 'show', 'nhid', '5'], ['nexthop', 'bucket', 'get', 'id', '11', 'index', '2']]) {
    assert.is(noTimes(ours(...args)), noTimes(ip(...args)), args.join(' '));
  }
  ours('nexthop', 'del', 'id', '3');
  ours('nexthop', 'replace', 'id', '1', 'via', '198.18.0.3', 'dev', 'nlts-n0');
  assert.equal(byId(ipJson<IpNexthop[]>('nexthop'), 1)?.gateway, '198.18.0.3');
  assert.is(byId(ipJson<IpNexthop[]>('nexthop'), 3), undefined);
  assert.is(ours('nexthop', 'flush'), 'Flushed 7 nexthops\n');
  assert.equal(ipJson('nexthop'), []);
  assert.is(ours('nexthop', 'flush'), 'Nothing to flush\n');
}));

test('routes refer to nexthops by nhid; deleting the nexthop takes the route', withLinks(async (nl) => {
  await nl.nexthop.add({ id: 1, via: '198.18.0.2', dev: 'nlts-n0' });
  await nl.nexthop.add({ id: 2, via: '198.18.0.3', dev: 'nlts-n0' });
  await nl.nexthop.add({ id: 10, group: [{ id: 1 }, { id: 2, weight: 3 }] });
  await nl.route.add({ dst: '198.18.7.0/24', nhid: 10 });
  const [r] = ipJson<Record<string, unknown>[]>('route', 'show', '198.18.7.0/24');
  assert.is(r?.nhid, 10);
  const mine = (await nl.route.list({ family: 'inet' } as never)).find((x) => x.dst === '198.18.7.0');
  assert.is(mine?.nhid, 10);
  assert.equal(mine?.nexthops?.map((n) => n.gateway), ['198.18.0.2', '198.18.0.3']);
  await nl.nexthop.delete(10);
  assert.equal(ipJson('route', 'show', '198.18.7.0/24'), []);
  const err = await nl.nexthop.delete(10).then(() => undefined, (e: unknown) => e);
  assert.instance(err, NetlinkError);
  assert.is((err as NetlinkError).code, 'ENOENT');
}));

test('a batch adds nexthops and a group in one commit; the kernel\'s refusal names its request', withLinks(async (nl) => {
  const b = nl.batch();
  for (let id = 1; id <= 50; id++) b.nexthop.add({ id, via: `198.18.0.${id + 1}`, dev: 'nlts-n0' });
  b.nexthop.add({ id: 100, group: Array.from({ length: 50 }, (_, i) => ({ id: i + 1 })) });
  b.nexthop.add({ id: 101, group: [{ id: 999 }] });
  b.nexthop.delete(50);
  const r = await b.commit();
  assert.is(r.count, 53);
  assert.is(r.errors.length, 1);
  assert.is(r.errors[0]!.index, 51);
  assert.is(r.errors[0]!.operation, 'nexthop add');
  assert.is(ipJson<IpNexthop[]>('nexthop').length, 50);
  assert.is((byId(ipJson<IpNexthop[]>('nexthop'), 100)?.group as unknown[]).length, 49);
  assert.is(await nl.nexthop.flush({ groups: true }), 1);
  assert.is(await nl.nexthop.flush(), 49);
}));

test('the monitor reports nexthop changes as typed events, and lists them first with list: true', withLinks(async (nl) => {
  ip('nexthop', 'add', 'id', '1', 'via', '198.18.0.2', 'dev', 'nlts-n0');
  const it = nl.monitor({ groups: ['nexthop'], list: true })[Symbol.asyncIterator]();
  const seen: string[] = [];
  const take = async (until: (ev: MonitorEvent) => boolean): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const step = await it.next();
      if (step.done) return;
      const ev = step.value;
      if (ev.kind === 'nexthop') seen.push(`${ev.action}${ev.initial ? ' (initial)' : ''} ${ev.object.id} ${ev.object.gateway ?? (ev.object.group ? 'group' : '')}`);
      if (until(ev)) return;
    }
  };
  try {
    await take((ev) => ev.action === 'synced');
    await nl.nexthop.add({ id: 2, via: '198.18.0.3', dev: 'nlts-n0' });
    await nl.nexthop.add({ id: 10, group: [{ id: 1 }, { id: 2 }] });
    await nl.nexthop.replace({ id: 2, via: '198.18.0.4', dev: 'nlts-n0' });
    await nl.nexthop.delete(10);
    await take((ev) => ev.action === 'del' && ev.kind === 'nexthop');
  } finally {
    await it.return?.(undefined);
  }
  assert.equal(seen, ['new (initial) 1 198.18.0.2', 'new 2 198.18.0.3', 'new 10 group', 'new 2 198.18.0.4', 'del 10 group']);
}));

test.run();
