// Addresses against the kernel: every verb both ways (netlink-ts writes, ip
// reads; ip writes, netlink-ts reads), the kernel's refusals, and the CLI's
// --json against ip -j.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { Rtnl } from '../../src/client.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';
import { withVeth } from '../helpers/veth.js';
import { waitForNoTentative } from '../helpers/settle.js';
import { rejects } from '../helpers/expect.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const D0 = 'nlts-ad0';
const D1 = 'nlts-ad1';

type IpAddr = Record<string, unknown>;
/** `ip -j address show dev X` → its addr_info. */
const ipAddrs = (dev = D0, ...extra: string[]): IpAddr[] => (ipJson<{ addr_info: IpAddr[] }[]>(...extra, 'address', 'show', 'dev', dev)[0]?.addr_info ?? []);
const ipFind = (local: string, dev = D0): IpAddr | undefined => ipAddrs(dev).find((a) => a.local === local);

const withPair = (fn: (nl: Rtnl) => Promise<void>): (() => Promise<void>) => withVeth(D0, D1, fn);

test('add (IPv4: broadcast +, label, scope, peer, metric), read back with ip -j', withPair(async (nl) => {
  await nl.addr.add({ dev: D0, address: '198.18.0.1/24', broadcast: '+', label: `${D0}:a` });
  await nl.addr.add({ dev: D0, address: '198.18.5.1', peer: '198.18.6.1/32' });
  await nl.addr.add({ dev: D0, address: '198.18.2.1/24', scope: 'link', priority: 50 });
  await nl.addr.add({ dev: D0, address: '198.18.0.2/24' });
  assert.equal(ipFind('198.18.0.1'), {
    family: 'inet', local: '198.18.0.1', prefixlen: 24, broadcast: '198.18.0.255', scope: 'global', label: `${D0}:a`,
    valid_life_time: 4294967295, preferred_life_time: 4294967295,
  });
  const peer = ipFind('198.18.5.1')!;
  assert.equal([peer.address, peer.prefixlen], ['198.18.6.1', 32]);
  const link = ipFind('198.18.2.1')!;
  assert.equal([link.scope, link.metric], ['link', 50]);
  assert.is(ipFind('198.18.0.2')!.secondary, true);
}));

test('add (IPv6: nodad, noprefixroute, home, lifetimes), read back with ip -j', withPair(async (nl) => {
  await nl.addr.add({ dev: D0, address: 'fd00::1/64', flags: ['nodad'] });
  await nl.addr.add({ dev: D0, address: 'fd00:1::1/64', flags: ['nodad', 'noprefixroute', 'home'], validLft: 300, preferredLft: 200 });
  await nl.addr.add({ dev: D0, address: 'fd00:2::1', peer: 'fd00:2::2/128', flags: ['nodad'] });
  const a = ipFind('fd00::1')!;
  assert.equal([a.prefixlen, a.nodad, a.scope], [64, true, 'global']);
  const b = ipFind('fd00:1::1')!;
  assert.equal([b.nodad, b.noprefixroute, b.home, b.dynamic], [true, true, true, true]);
  assert.ok((b.valid_life_time as number) <= 300 && (b.valid_life_time as number) > 290);
  assert.ok((b.preferred_life_time as number) <= 200 && (b.preferred_life_time as number) > 190);
  assert.equal([ipFind('fd00:2::1')!.address, ipFind('fd00:2::1')!.prefixlen], ['fd00:2::2', 128]);
  // noprefixroute: no route for fd00:1::/64.
  assert.not.ok(ipJson('-6', 'route', 'show', 'dev', D0).some((r) => r.dst === 'fd00:1::/64'));
}));

test('ip adds, netlink-ts reads: typed, named, absent is undefined', withPair(async (nl) => {
  ip('address', 'add', '198.18.0.1/24', 'brd', '+', 'dev', D0, 'label', `${D0}:x`);
  ip('address', 'add', '198.18.5.1', 'peer', '198.18.6.1/32', 'dev', D0, 'metric', '20');
  ip('address', 'add', 'fd00::1/64', 'dev', D0, 'nodad', 'valid_lft', '100', 'preferred_lft', '50');
  const mine = await nl.addr.list({ dev: D0 });
  const v4 = mine.find((a) => a.local === '198.18.0.1')!;
  assert.equal([v4.family, v4.prefixlen, v4.broadcast, v4.label, v4.scope, v4.address], ['inet', 24, '198.18.0.255', `${D0}:x`, 'global', '198.18.0.1']);
  assert.equal(v4.flags, ['permanent']);
  assert.is(v4.anycast, undefined);
  assert.is(v4.priority, undefined);
  assert.equal(v4.cacheinfo?.ifa_valid, 0xffffffff);
  const p = mine.find((a) => a.local === '198.18.5.1')!;
  assert.equal([p.address, p.prefixlen, p.priority], ['198.18.6.1', 32, 20]);
  const v6 = mine.find((a) => a.local === 'fd00::1')!;
  assert.equal([v6.family, v6.address, v6.flags], ['inet6', 'fd00::1', ['nodad']]);
  assert.ok(v6.cacheinfo!.ifa_valid <= 100 && v6.cacheinfo!.ifa_prefered <= 50);
}));

test('list is filtered in the kernel by family and interface', withPair(async (nl) => {
  ip('address', 'add', '198.18.0.1/24', 'dev', D0);
  ip('address', 'add', '198.18.1.1/24', 'dev', D1);
  ip('address', 'add', 'fd00::1/64', 'dev', D0, 'nodad');
  const v4 = await nl.addr.list({ family: 'inet', dev: D0 });
  assert.equal(v4.map((a) => a.local), ['198.18.0.1']);
  const v6 = await nl.addr.list({ family: 'inet6', dev: D0 });
  assert.ok(v6.every((a) => a.family === 'inet6' && a.index === v6[0]!.index));
  assert.ok(v6.some((a) => a.local === 'fd00::1'));
  const all = await nl.addr.list();
  assert.ok(all.some((a) => a.local === 'fd00::1') && all.some((a) => a.local === '198.18.1.1'));
}));

test('replace and change update lifetimes; del removes; both ways', withPair(async (nl) => {
  await nl.addr.add({ dev: D0, address: '198.18.0.1/24' });
  await nl.addr.replace({ dev: D0, address: '198.18.0.1/24', validLft: 300, preferredLft: 200 });
  assert.ok((ipFind('198.18.0.1')!.valid_life_time as number) <= 300);
  await nl.addr.change('change', { dev: D0, address: '198.18.0.1/24', validLft: 'forever', preferredLft: 'forever' });
  assert.is(ipFind('198.18.0.1')!.valid_life_time, 4294967295);
  await nl.addr.del({ dev: D0, address: '198.18.0.1/24' });
  assert.is(ipFind('198.18.0.1'), undefined);
  // ip adds, we delete what we listed.
  ip('address', 'add', '198.18.0.7/24', 'dev', D0, 'label', `${D0}:l`);
  ip('address', 'add', 'fd00::7/64', 'dev', D0, 'nodad');
  for (const a of await nl.addr.list({ dev: D0 })) if (a.local === '198.18.0.7' || a.local === 'fd00::7') await nl.addr.del(a);
  assert.is(ipFind('198.18.0.7'), undefined);
  assert.is(ipFind('fd00::7'), undefined);
  // An IPv4 address given without its length deletes it whatever the length (as ip does).
  ip('address', 'add', '198.18.0.8/26', 'dev', D0);
  await nl.addr.del({ dev: D0, address: '198.18.0.8' });
  assert.is(ipFind('198.18.0.8'), undefined);
}));

test('refusals: EEXIST with the kernel\'s words; an absent address is EADDRNOTAVAIL; bad input is named', withPair(async (nl) => {
  await nl.addr.add({ dev: D0, address: '198.18.0.1/24' });
  await rejects(() => nl.addr.add({ dev: D0, address: '198.18.0.1/24' }),
    (e) => e instanceof NetlinkError && e.code === 'EEXIST' && /ipv4: Address already assigned/.test(e.extack?.message ?? ''));
  for (const address of ['198.18.0.99/24', 'fd00::99/64']) {
    await rejects(() => nl.addr.del({ dev: D0, address }), (e) => e instanceof NetlinkError && e.code === 'EADDRNOTAVAIL' && /address not found|Address not found/.test(e.message));
  }
  for (const [input, path] of [
    [{ dev: D0, address: '198.18.0.300/24' }, 'address.address'],
    [{ dev: D0, address: '198.18.0.3/40' }, 'address.address'],
    [{ dev: 'nlts-nope', address: '198.18.0.3/24' }, 'address.dev'],
  ] as const) {
    await rejects(() => nl.addr.add(input), (e) => e instanceof EncodeError && e.path === path);
  }
}));

test('flush by interface removes every address of it, IPv4 secondaries and IPv6 included', withPair(async (nl) => {
  ip('address', 'add', '198.18.0.1/24', 'dev', D0);
  ip('address', 'add', '198.18.0.2/24', 'dev', D0);
  ip('address', 'add', 'fd00::1/64', 'dev', D0, 'nodad');
  ip('address', 'add', '198.18.1.1/24', 'dev', D1);
  assert.ok(await nl.addr.flush(D0) >= 3);
  assert.equal(ipAddrs(D0), []);
  assert.ok(ipFind('198.18.1.1', D1), 'the other interface keeps its address');
  ip('address', 'add', '198.18.0.1/24', 'dev', D0);
  ip('address', 'add', 'fd00::1/64', 'dev', D0, 'nodad');
  await nl.addr.flush(D0, { family: 'inet6' });
  assert.equal(ipAddrs(D0).map((a) => a.family), ['inet']);
}));

// The link-local addresses of links that just came up are tentative until
// duplicate address detection ends: wait for that. With -s the links'
// counters still move between the two readings (IPv6 router solicitations,
// MLD reports): a few tries.
const same = async (args: string[]): Promise<void> => {
  await waitForNoTentative([D0, D1]);
  for (let attempt = 1; ; attempt++) {
    const ours = JSON.stringify(JSON.parse(execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' })));
    const theirs = JSON.stringify(JSON.parse(execFileSync('ip', args, { encoding: 'utf8' })));
    if (ours === theirs || attempt === 5) return assert.is(ours, theirs, `netlink-ts ${args.join(' ')}`);
  }
};

test('netlink-ts address show --json equals ip -j address show', withPair(async () => {
  const run = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  run('address', 'add', '198.18.0.1/24', 'brd', '+', 'dev', D0, 'label', `${D0}:a`);
  run('address', 'add', '198.18.5.1', 'peer', '198.18.6.1/32', 'dev', D0);
  run('address', 'add', '198.18.0.9/24', 'dev', D0, 'metric', '77');
  run('address', 'add', 'fd00::1/64', 'dev', D0, 'nodad');
  run('address', 'add', 'fd00:1::1/64', 'dev', D0, 'nodad', 'noprefixroute', 'valid_lft', 'forever', 'preferred_lft', '0');
  run('address', 'add', '198.18.1.1/24', 'dev', D1, 'scope', 'link');
  for (const extra of [[], ['-4'], ['-6'], ['-s']]) await same(['-j', ...extra, 'address', 'show']);
  await same(['-j', 'address', 'show', 'dev', D0]);
  await same(['-j', 'address', 'show', 'scope', 'global']);
  await same(['-j', '-4', 'address', 'show', 'dev', D1]);
  const text = run('address', 'show', 'dev', D0);
  assert.is(text, execFileSync('ip', ['address', 'show', 'dev', D0], { encoding: 'utf8' }));
  run('address', 'del', '198.18.0.9/24', 'dev', D0);
  run('address', 'flush', 'dev', D1);
  assert.is(ipFind('198.18.0.9'), undefined);
  assert.equal(ipAddrs(D1, '-4'), []);
}));

test('the CLI builds the state ip builds: same command, same ip -j result', withPair(async () => {
  const commands = [
    ['198.18.0.1/24', 'brd', '+', 'dev', D0, 'label', `${D0}:a`],
    ['198.18.5.1', 'peer', '198.18.6.1/32', 'dev', D0, 'scope', 'link'],
    ['fd00::1/64', 'dev', D0, 'nodad', 'home', 'valid_lft', '1000', 'preferred_lft', '500'],
    ['127.0.0.2/8', 'dev', D0],
  ];
  const state = (): IpAddr[] => ipAddrs(D0).filter((a) => a.scope !== 'link' || a.family === 'inet').map((a) => ({ ...a, valid_life_time: 0, preferred_life_time: 0 }));
  for (const c of commands) {
    execFileSync(process.execPath, [cli, 'address', 'add', ...c]);
    const ours = state();
    execFileSync(process.execPath, [cli, 'address', 'del', ...c.slice(0, c.indexOf('dev') + 2)]);
    ip('address', 'add', ...c);
    assert.equal(ours, state(), c.join(' '));
    ip('address', 'del', ...c.slice(0, c.indexOf('dev') + 2));
  }
}));

test.run();
