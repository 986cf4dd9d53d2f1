import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { neighbourRequest } from '../../src/api/families/neighbour.js';
import { Rtnl } from '../../src/client.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import type { Neighbour } from '../../src/rtnl/neighbour.js';
import { waitFor, waitForLinksSettled } from '../helpers/settle.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

const A = 'nlts-n0';
const B = 'nlts-n1';

type IpNeigh = { dst: string; dev?: string; lladdr?: string; state?: string[]; router?: null; proxy?: null; extern_learn?: null; protocol?: string };
const ipNeigh = (...args: string[]): IpNeigh[] => ipJson<IpNeigh[]>('neigh', 'show', ...args);
const find = (list: IpNeigh[], dst: string): IpNeigh | undefined => list.find((n) => n.dst === dst);

function withLinks(fn: (nl: Rtnl) => Promise<void>): () => Promise<void> {
  return async () => {
    ip('link', 'add', A, 'type', 'veth', 'peer', 'name', B);
    ip('link', 'set', A, 'up');
    ip('link', 'set', B, 'up');
    try {
      await waitForLinksSettled({ pick: (l) => l.ifname === A || l.ifname === B });
      await using nl = await Rtnl.open();
      await fn(nl);
    } finally {
      ip('link', 'del', A);
    }
  };
}

test('add with netlink-ts, read back with ip -j: static ARP and NDP entries, states, flags, protocol', withLinks(async (nl) => {
  await nl.neigh.add({ dev: A, address: '198.18.0.2', lladdr: '02:00:00:00:00:02', state: 'permanent' });
  await nl.neigh.add({ dev: A, address: '198.18.0.3', lladdr: '02:00:00:00:00:03' });
  await nl.neigh.add({ dev: A, address: 'fd00::2', lladdr: '02:00:00:00:00:04', state: 'stale', flags: ['router'] });
  await nl.neigh.add({ dev: A, protocol: 'static', address: '198.18.0.5', lladdr: '02:00:00:00:00:05' });
  await nl.neigh.add({ dev: await nl.ifindex(A), address: 'fd00::6', lladdr: '02:00:00:00:00:06', state: 'reachable', flags: ['extern_learn'] });
  const list = ipNeigh('dev', A);
  assert.equal(find(list, '198.18.0.2'), { dst: '198.18.0.2', lladdr: '02:00:00:00:00:02', state: ['PERMANENT'] });
  assert.equal(find(list, '198.18.0.3')?.state, ['PERMANENT'], 'permanent by default, as ip');
  assert.equal(find(list, 'fd00::2'), { dst: 'fd00::2', lladdr: '02:00:00:00:00:04', router: null, state: ['STALE'] });
  assert.equal(find(list, '198.18.0.5')?.protocol, 'static');
  assert.ok('extern_learn' in find(list, 'fd00::6')!);
  // With a link-layer address: without one the kernel takes a NOARP entry only while this
  // namespace has never had an IPv4 address (it then sees a broadcast address, ff:ff:..);
  // afterwards it is "No link layer address given" — and earlier tests add addresses.
  await nl.neigh.add({ dev: A, address: '198.18.0.4', lladdr: '02:00:00:00:00:0a', state: 'noarp' });
  assert.equal(find(ipNeigh('nud', 'noarp'), '198.18.0.4')?.state, ['NOARP']);
}));

test('add with ip, read back with netlink-ts: typed, absent fields undefined', withLinks(async (nl) => {
  ip('neigh', 'add', '198.18.0.2', 'lladdr', '02:00:00:00:00:02', 'dev', A, 'nud', 'permanent');
  ip('-6', 'neigh', 'add', 'fd00::3', 'lladdr', '02:00:00:00:00:03', 'dev', A, 'nud', 'stale', 'router', 'protocol', 'boot');
  const index = await nl.ifindex(A);
  const list = await nl.neigh.list({ dev: A });
  const v4 = list.find((n) => n.address === '198.18.0.2')!;
  assert.is(v4.family, 'inet');
  assert.is(v4.ifindex, index);
  assert.equal(v4.state, ['permanent']);
  assert.equal(v4.flags, []);
  assert.is(v4.lladdr, '02:00:00:00:00:02');
  assert.is(v4.protocol, undefined);
  assert.type(v4.cacheinfo?.ndm_refcnt, 'number');
  const v6 = list.find((n) => n.address === 'fd00::3')!;
  assert.is(v6.family, 'inet6');
  assert.equal(v6.state, ['stale']);
  assert.equal(v6.flags, ['router']);
  assert.is(v6.protocol, 'boot');
  assert.ok((await nl.neigh.list({ family: 'inet' })).every((n) => n.family === 'inet'));
  const got = await nl.neigh.get({ dev: A, address: 'fd00::3' });
  assert.is(got.lladdr, '02:00:00:00:00:03');
}));

test('replace and change, both ways', withLinks(async (nl) => {
  await nl.neigh.replace({ dev: A, address: '198.18.0.2', lladdr: '02:00:00:00:00:02', state: 'reachable' });
  ip('neigh', 'replace', '198.18.0.2', 'lladdr', '02:00:00:00:00:22', 'dev', A, 'nud', 'permanent');
  let n = (await nl.neigh.list({ dev: A })).find((x) => x.address === '198.18.0.2')!;
  assert.is(n.lladdr, '02:00:00:00:00:22');
  assert.equal(n.state, ['permanent']);
  await nl.neigh.replace({ dev: A, address: '198.18.0.2', lladdr: '02:00:00:00:00:33', state: 'stale' });
  assert.equal(find(ipNeigh('dev', A), '198.18.0.2'), { dst: '198.18.0.2', lladdr: '02:00:00:00:00:33', state: ['STALE'] });
  await nl.neigh.change({ dev: A, address: '198.18.0.2', lladdr: '02:00:00:00:00:44', state: 'permanent' });
  assert.is(find(ipNeigh('dev', A), '198.18.0.2')?.lladdr, '02:00:00:00:00:44');
  const err = await nl.neigh.change({ dev: A, address: '198.18.0.99', lladdr: '02:00:00:00:00:44' }).catch((e: unknown) => e) as NetlinkError;
  assert.is(err.code, 'ENOENT');
  n = (await nl.neigh.list({ dev: A })).find((x) => x.address === '198.18.0.2')!;
  assert.equal(n.state, ['permanent']);
}));

test('delete both ways; deleting an absent entry is a typed ENOENT', withLinks(async (nl) => {
  ip('neigh', 'add', '198.18.0.2', 'lladdr', '02:00:00:00:00:02', 'dev', A);
  await nl.neigh.add({ dev: A, address: 'fd00::2', lladdr: '02:00:00:00:00:04' });
  await nl.neigh.delete({ dev: A, address: '198.18.0.2' });
  ip('neigh', 'del', 'fd00::2', 'dev', A);
  const left = (await nl.neigh.list({ dev: A })).filter((n) => n.state.includes('permanent'));
  assert.equal(left, []);
  assert.equal(ipNeigh('dev', A), []);
  const err = await nl.neigh.delete({ dev: A, address: '198.18.0.2' }).catch((e: unknown) => e);
  assert.instance(err, NetlinkError);
  assert.is((err as NetlinkError).code, 'ENOENT');
  assert.match((err as Error).message, /neigh del 198\.18\.0\.2 dev nlts-n0: ENOENT .*no such neighbour/);
}));

test('proxy entries: add, list, delete, both ways, IPv4 and IPv6', withLinks(async (nl) => {
  await nl.neigh.add({ dev: A, address: '198.18.0.9', flags: ['proxy'] });
  ip('neigh', 'add', 'proxy', 'fd00::9', 'dev', A);
  assert.equal(ipNeigh('proxy'), [{ dst: '198.18.0.9', dev: A, proxy: null }, { dst: 'fd00::9', dev: A, proxy: null }]);
  const proxies = await nl.neigh.list({ proxy: true });
  assert.equal(proxies.map((p) => [p.address, p.flags]), [['198.18.0.9', ['proxy']], ['fd00::9', ['proxy']]]);
  assert.not.ok((await nl.neigh.list()).some((n) => n.flags.includes('proxy')), 'the cache listing has no proxies');
  await nl.neigh.delete({ dev: A, address: 'fd00::9', flags: ['proxy'] });
  ip('neigh', 'del', 'proxy', '198.18.0.9', 'dev', A);
  assert.equal(await nl.neigh.list({ proxy: true }), []);
}));

test('a kernel refusal carries the kernel\'s words; bad input is refused before sending', withLinks(async (nl) => {
  const err = await nl.neigh.add({ dev: A, address: 'fd00::5', flagsExt: ['managed'], state: 'permanent' }).catch((e: unknown) => e);
  assert.instance(err, NetlinkError);
  assert.is((err as NetlinkError).code, 'EINVAL');
  assert.match((err as Error).message, /Invalid NTF_\* flag/);
  await nl.neigh.add({ dev: A, address: '198.18.0.2', lladdr: '02:00:00:00:00:02' });
  const dup = await nl.neigh.add({ dev: A, address: '198.18.0.2', lladdr: '02:00:00:00:00:02' }).catch((e: unknown) => e) as NetlinkError;
  assert.is(dup.code, 'EEXIST');
  const bad = await nl.neigh.add({ dev: A, address: '198.18.0.x' }).catch((e: unknown) => e) as Error;
  assert.match(bad.message, /^neigh add 198\.18\.0\.x dev nlts-n0: neigh\.address: "198\.18\.0\.x" is not a valid IP address$/);
  const nodev = await nl.neigh.add({ dev: 'nlts-absent', address: '198.18.0.7' }).catch((e: unknown) => e) as NetlinkError;
  assert.is(nodev.code, 'ENODEV');
}));

test('the pure request builders batch: 200 entries in one exchange', withLinks(async (nl) => {
  const dev = await nl.ifindex(A);
  const specs = Array.from({ length: 200 }, (_, i) => ({ dev, address: `198.18.${1 + (i >> 8)}.${i & 255}`, lladdr: `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}` }));
  const r = await nl.socket.batch(specs.map((s) => neighbourRequest('add', s)));
  assert.equal(r.errors, []);
  assert.is(ipNeigh('dev', A).length, 200);
  const again = await nl.socket.batch(specs.slice(0, 3).map((s) => neighbourRequest('add', s)));
  assert.equal(again.errors.map((e) => [e.index, e.code]), [[0, 'EEXIST'], [1, 'EEXIST'], [2, 'EEXIST']]);
  const del = await nl.socket.batch(specs.map((s) => neighbourRequest('delete', s)));
  assert.equal(del.errors, []);
  assert.equal(ipNeigh('dev', A), []);
}));

test('neighbour changes arrive as typed monitor events; a listing includes proxies', withLinks(async (nl) => {
  ip('neigh', 'add', 'proxy', '198.18.0.9', 'dev', A);
  const seen: string[] = [];
  const mon = nl.monitor({ groups: ['neigh'], list: true })[Symbol.asyncIterator]();
  for (let step = await mon.next(); !step.done; step = await mon.next()) {
    const ev = step.value;
    if (ev.action === 'synced') {
      seen.push('synced');
      await nl.neigh.add({ dev: A, address: '198.18.0.2', lladdr: '02:00:00:00:00:02' });
      await nl.neigh.delete({ dev: A, address: '198.18.0.2' });
    } else if (ev.action === 'new' || ev.action === 'del') {
      const n = ev.object as Neighbour;
      if (n.address?.startsWith('198.18.')) seen.push(`${ev.action} ${n.address} ${n.state.join(',') || 'none'}${n.flags.includes('proxy') ? ' proxy' : ''}${ev.initial ? ' (initial)' : ''}`);
      if (ev.action === 'del' && n.address === '198.18.0.2') break;
    }
  }
  await mon.return?.(undefined);
  // A proxy entry has no state; a deleted entry is announced failed, then gone.
  assert.equal(seen, ['new 198.18.0.9 none proxy (initial)', 'synced', 'new 198.18.0.2 permanent', 'new 198.18.0.2 failed', 'del 198.18.0.2 failed']);
}));

/**
 * Ours and ip's JSON, each parsed and re-serialised. Links that just came up
 * still add multicast entries and clocks tick, so ip is asked before and
 * after us, and the comparison is made once both agree (the state held still).
 */
async function sameJson(args: string[]): Promise<void> {
  const theirs = (): string => JSON.stringify(JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' }) || '[]'));
  let last = { ours: '', theirs: '' };
  // Ages tick once a second: ours, taken between the two, must equal one of them once ip's two agree or ours equals the later.
  await waitFor(() => {
    const before = theirs();
    const a = JSON.stringify(JSON.parse(ours(...args, '--json')));
    const after = theirs();
    last = { ours: a, theirs: a === after ? after : before };
    return a === after || before === after;
  }, { timeoutMs: 5000, what: `ip -j ${args.join(' ')} to hold still` }).catch(() => undefined);
  assert.is(last.ours, last.theirs, `netlink-ts ${args.join(' ')} --json`);
}

test('netlink-ts neigh show --json equals ip -j neigh show', withLinks(async () => {
  ip('neigh', 'add', '198.18.0.2', 'lladdr', '02:00:00:00:00:02', 'dev', A, 'nud', 'permanent');
  ip('neigh', 'add', '198.18.0.3', 'lladdr', '02:00:00:00:00:03', 'dev', B, 'nud', 'stale', 'router');
  ip('neigh', 'add', '198.18.0.4', 'lladdr', '02:00:00:00:00:0a', 'dev', A, 'nud', 'noarp');
  ip('neigh', 'add', '198.18.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', A, 'protocol', 'static');
  ip('-6', 'neigh', 'add', 'fd00::2', 'lladdr', '02:00:00:00:00:04', 'dev', A, 'nud', 'stale', 'extern_learn');
  ip('neigh', 'add', 'proxy', '198.18.0.9', 'dev', A);
  ip('neigh', 'add', 'proxy', 'fd00::9', 'dev', B);
  for (const args of [
    ['neigh', 'show'], ['neigh', 'show', 'dev', A], ['neigh', 'show', 'proxy'], ['neigh', 'show', 'nud', 'all'],
    ['neigh', 'show', 'nud', 'stale'], ['neigh', 'show', 'to', '198.18.0.0/30'], ['-6', 'neigh', 'show'],
    ['-4', 'neigh', 'show', 'nud', 'all'], ['neigh', 'show', 'protocol', 'static'],
  ]) await sameJson(args);
  await sameJson(['-s', 'neigh', 'show']);
  const text = ours('neigh', 'show', 'dev', A);
  assert.match(text, /^198\.18\.0\.5 lladdr 02:00:00:00:00:05 PERMANENT proto static $/m);
}));

test('netlink-ts neigh add / replace / del, read back with ip', withLinks(async () => {
  ours('neigh', 'add', '198.18.0.2', 'lladdr', '02:00:00:00:00:02', 'dev', A, 'nud', 'reachable');
  ours('-6', 'neigh', 'add', 'fd00::2', 'lladdr', '02:00:00:00:00:03', 'dev', A, 'router');
  ours('neigh', 'add', 'proxy', '198.18.0.9', 'dev', A);
  ours('neigh', 'replace', '198.18.0.2', 'lladdr', '02:00:00:00:00:12', 'dev', A, 'nud', 'permanent');
  assert.equal(find(ipNeigh('dev', A), '198.18.0.2'), { dst: '198.18.0.2', lladdr: '02:00:00:00:00:12', state: ['PERMANENT'] });
  assert.equal(find(ipNeigh('dev', A), 'fd00::2'), { dst: 'fd00::2', lladdr: '02:00:00:00:00:03', router: null, state: ['PERMANENT'] });
  assert.equal(ipNeigh('proxy'), [{ dst: '198.18.0.9', dev: A, proxy: null }]);
  ours('neigh', 'del', '198.18.0.2', 'dev', A);
  ours('neigh', 'del', 'fd00::2', 'dev', A);
  ours('neigh', 'del', 'proxy', '198.18.0.9', 'dev', A);
  assert.equal(ipNeigh('dev', A), []);
  assert.equal(ipNeigh('proxy'), []);
  const r = spawnSync(process.execPath, [cli, 'neigh', 'del', '198.18.0.2', 'dev', A], { encoding: 'utf8' });
  assert.is(r.status, 2, 'what the kernel refused: ip\'s status 2');
  assert.match(r.stderr, /ENOENT.*no such neighbour/);
  const bad = spawnSync(process.execPath, [cli, 'neigh', 'add', '198.18.0.2', 'dev', A, 'nud', 'bogus'], { encoding: 'utf8' });
  assert.is(bad.status, 255, 'a usage error: ip\'s status 255');
  assert.match(bad.stderr, /nud state is bad/);
}));

test('flush like ip neigh flush: permanent and noarp entries stay unless nud says, other links untouched; the API with states and where', withLinks(async (nl) => {
  const build = (): void => {
    ip('neigh', 'add', '198.18.0.2', 'lladdr', '02:00:00:00:00:02', 'dev', A, 'nud', 'permanent');
    ip('neigh', 'add', '198.18.0.3', 'lladdr', '02:00:00:00:00:03', 'dev', A, 'nud', 'stale');
    ip('neigh', 'add', '198.18.0.4', 'lladdr', '02:00:00:00:00:04', 'dev', A, 'nud', 'reachable');
    ip('neigh', 'add', 'fd00::5', 'lladdr', '02:00:00:00:00:05', 'dev', A, 'nud', 'stale');
    ip('neigh', 'add', '198.18.0.6', 'lladdr', '02:00:00:00:00:06', 'dev', A, 'nud', 'noarp');
    ip('neigh', 'add', '198.18.0.7', 'lladdr', '02:00:00:00:00:07', 'dev', B, 'nud', 'stale');
  };
  const ours4test = (n: IpNeigh): boolean => n.dst.startsWith('198.18.') || n.dst.startsWith('fd00:');
  // Every state (NOARP entries too), only the entries made here (not the kernel's multicast ones).
  const on = (dev: string): string[] => ipNeigh('nud', 'all', 'dev', dev).filter(ours4test).map((n) => `${dev} ${n.dst}`);
  const state = (): string[] => [...on(A), ...on(B)].sort();
  const reset = (): void => {
    for (const dev of [A, B]) for (const nud of ['all', 'noarp']) ip('neigh', 'flush', 'dev', dev, 'nud', nud);
  };
  for (const args of [['dev', A], ['dev', A, 'nud', 'all'], ['dev', A, 'nud', 'noarp'], ['dev', A, 'nud', 'permanent'], ['198.18.0.0/30', 'dev', A]]) {
    reset();
    build();
    ip('neigh', 'flush', ...args);
    const theirs = state();
    reset();
    build();
    ours('neigh', 'flush', ...args);
    assert.equal(state(), theirs, `neigh flush ${args.join(' ')}`);
  }
  reset();
  build();
  assert.is(await nl.neigh.flush({ dev: A }), 3, 'stale, reachable, the IPv6 one');
  assert.equal(state(), [`${A} 198.18.0.2`, `${A} 198.18.0.6`, `${B} 198.18.0.7`]);
  assert.is(await nl.neigh.flush({ dev: A, states: ['noarp'] }), 1);
  assert.is(await nl.neigh.flush({ family: 'inet', states: 'all', where: (n) => n.address === '198.18.0.7' }), 1);
  assert.equal(state(), [`${A} 198.18.0.2`]);
  const bad = await nl.neigh.flush({ dev: A, states: ['bogus' as 'stale'] }).then(() => undefined, (e: unknown) => e);
  assert.instance(bad, EncodeError);
  assert.match(String(bad), /neigh\.states: unknown neighbour state "bogus"/);
  assert.equal(state(), [`${A} 198.18.0.2`], 'nothing sent');
  const none = spawnSync(process.execPath, [cli, 'neigh', 'flush'], { encoding: 'utf8' });
  assert.is(none.status, 1, 'as ip neigh flush');
  assert.match(none.stderr, /Flush requires arguments/);
}));

test.run();
