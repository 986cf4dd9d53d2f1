import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/cli/args.js';
import { parseAddrChange, parseAddrShow } from '../../src/cli/commands/addr.js';
import { parseRouteChange, parseRouteGet, parseRouteShow, routeTypeWord } from '../../src/cli/commands/route.js';
import { addressToIpJson } from '../../src/cli/ip-json/addr.js';
import { routeToIpJson, routeToText } from '../../src/cli/ip-json/route.js';
import { routeMessageOf } from '../../src/rtnl/route-input.js';
import type { Route } from '../../src/rtnl/route.js';

const ifname = (i: number): string => ({ 10: 'nlts-v0', 11: 'nlts-v1' } as Record<number, string>)[i] ?? `if${i}`;

test('route words become an input whose keys follow the words', () => {
  const r = parseRouteChange('198.18.3.0/24 via inet6 fd00::2 dev nlts-v0 table 1000 proto static metric 5 src 198.18.0.1 mtu lock 1400 rtt 1s rttvar 100 rto_min 200ms features ecn quickack 1 congctl cubic onlink'.split(' '));
  assert.equal(Object.keys(r), ['dst', 'gateway', 'dev', 'table', 'protocol', 'priority', 'prefsrc', 'onlink', 'metrics']);
  assert.equal(r.metrics, { mtu: 1400, rtt: 8000, rttvar: 100, rtoMin: 200, features: ['ecn'], quickack: 1, congctl: 'cubic', lock: ['mtu', 'rtoMin'] });
  assert.equal([r.table, r.protocol], [1000, 4]);
  assert.equal(parseRouteChange(['blackhole', '198.18.4.0/24']), { type: 'blackhole', dst: '198.18.4.0/24' });
  assert.equal(parseRouteChange(['unr', '198.18.4.0/24']).type, 'unreachable', 'type words may be cut short, as ip allows');
  assert.equal(parseRouteChange(['default', 'via', 'fd00::1'], 'inet6').dst, '::/0', 'with -6, "default" is an all-zero address');
  assert.equal(parseRouteChange(['default', 'via', '198.18.0.1']).dst, 'default');
  const mp = parseRouteChange('198.18.7.0/24 nexthop via 198.18.0.2 weight 2 nexthop via 198.18.0.3 dev nlts-v0 onlink'.split(' '));
  assert.equal(mp.nexthops, [{ gateway: '198.18.0.2', weight: 2 }, { gateway: '198.18.0.3', dev: 'nlts-v0', onlink: true }]);
  assert.is(routeTypeWord('198.18.0.0/24'), undefined);
  assert.is(routeTypeWord('fd00::/64'), undefined);
  for (const bad of [['via', '198.18.0.1'], ['198.18.1.0/24', 'weight'], ['198.18.1.0/24', 'nexthop'], ['198.18.1.0/24', 'hoplimit', '300'], ['198.18.1.0/24', 'encap', 'mpls', '100']]) {
    assert.throws(() => parseRouteChange(bad), (e: unknown) => e instanceof UsageError, bad.join(' '));
  }
});

test('route get and route show words', () => {
  assert.equal(parseRouteGet('198.18.1.5 from 198.18.0.1 iif nlts-v0 mark 0x10 fibmatch'.split(' ')), { dst: '198.18.1.5', from: '198.18.0.1', iif: 'nlts-v0', mark: 16, fibMatch: true });
  const show = parseRouteShow(['table', 'all', 'dev', 'nlts-v0', 'proto', 'kernel']);
  assert.equal(show.filter, { dev: 'nlts-v0', protocol: 2, family: undefined });
  assert.equal([show.showTable, show.devFiltered, show.protocolFiltered], [true, true, true]);
  assert.equal(parseRouteShow([]).filter, { table: 254, family: 'inet' }, 'ip route show: table main, IPv4');
  assert.equal(parseRouteShow([], 'inet6').filter, { table: 254, family: 'inet6' });
});

test('address words: flags iproute2 refuses are warnings, as ip prints them', () => {
  const { input, warnings } = parseAddrChange('198.18.0.1/24 brd + dev nlts-v0 label nlts-v0:a nodad permanent valid_lft forever'.split(' '));
  assert.equal(input, { address: '198.18.0.1/24', broadcast: '+', dev: 'nlts-v0', label: 'nlts-v0:a', validLft: 'forever' });
  assert.equal(warnings, ['Warning: nodad option can be set only for IPv6 addresses', 'Warning: permanent option is not mutable from userspace']);
  assert.equal(parseAddrChange('fd00::1/64 dev nlts-v0 nodad home scope link'.split(' ')).input, { address: 'fd00::1/64', dev: 'nlts-v0', flags: ['nodad', 'home'], scope: 253 });
  assert.throws(() => parseAddrChange(['198.18.0.1/24']), /"dev" argument is required/);
  assert.equal(parseAddrShow(['dev', 'nlts-v0', 'scope', 'global']), { dev: 'nlts-v0', scope: 0 });
});

test('ip -j route: what ip leaves out by default, cache flags, metrics in ip units', () => {
  const r = {
    ...routeMessageOf('add', { dst: '198.18.3.0/24', gateway: '198.18.0.254', dev: 10, table: 1000, metrics: { mtu: 1400, rtt: 800, features: ['ecn'], congctl: 'cubic' } }),
    family: 'inet', protocol: 'boot', scope: 'global', type: 'unicast', flags: [], table: 1000,
    metrics: { mtu: 1400, rtt: 800, features: ['ecn'], congctl: 'cubic' },
  } as unknown as Route;
  assert.equal(routeToIpJson(r, { ifname }), { dst: '198.18.3.0/24', gateway: '198.18.0.254', dev: 'nlts-v0', flags: [], metrics: [{ mtu: 1400, rtt: 100, ecn: null, congestion: 'cubic' }] });
  assert.equal(routeToIpJson(r, { ifname, showTable: true, devFiltered: true }).table, '1000');
  assert.is(routeToIpJson(r, { ifname, devFiltered: true }).dev, undefined);
  const cached = { family: 'inet', dstLen: 32, srcLen: 0, tos: 0, dst: '198.18.0.1', oif: 1, table: 'local', protocol: 'unspec', scope: 'host', type: 'local', flags: ['cloned', '0x80000000'], uid: 0 } as unknown as Route;
  assert.equal(routeToIpJson(cached, { ifname, showTable: true }), { type: 'local', dst: '198.18.0.1', dev: 'if1', table: 'local', flags: [], uid: 0, cache: ['local'] });
  assert.match(routeToText(routeToIpJson(r, { ifname })), /^198\.18\.3\.0\/24 via 198\.18\.0\.254 dev nlts-v0 mtu 1400 rtt 100 ecn congestion cubic $/);
});

test('ip -j address: flags in ip\'s order and words, secondary called temporary for IPv6', () => {
  const a = { family: 'inet6', prefixlen: 64, scope: 'global', index: 10, address: 'fd00::1', local: 'fd00::1', flags: ['secondary', 'tentative', 'noprefixroute', '0x10000'], cacheinfo: { ifa_valid: 100, ifa_prefered: 50, cstamp: 0, tstamp: 0 } } as never;
  assert.equal(addressToIpJson(a), { family: 'inet6', local: 'fd00::1', prefixlen: 64, scope: 'global', temporary: true, tentative: true, dynamic: true, noprefixroute: true, ifa_flags: '10000', valid_life_time: 100, preferred_life_time: 50 });
  assert.equal(addressToIpJson(a, { scope: 253 }), {}, 'another scope prints as an empty object, as ip does');
});

test.run();
