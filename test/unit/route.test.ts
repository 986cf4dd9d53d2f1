import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { routeRequest } from '../../src/api/families/route.js';
import { RTM_DELROUTE, RTM_NEWROUTE } from '../../src/generated/linux/rtnetlink.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { routeMessageOf, routeQueryOf } from '../../src/rtnl/route-input.js';
import { type Route, type RouteMessageInput, decodeRoute, routeMessage } from '../../src/rtnl/route.js';
import { rejects, throwsAt } from '../helpers/expect.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';

function roundTrip(msg: RouteMessageInput): Route {
  const w = new NetlinkWriter();
  const at = w.beginMessage(RTM_NEWROUTE, 0);
  routeMessage.encodePayload(w, msg);
  w.endMessage(at);
  const b = w.toBuffer();
  return decodeRoute(b, 0, b.length);
}

test('a route decodes to names, canonical addresses, and undefined for what is absent', () => {
  const r = roundTrip(routeMessageOf('add', {
    dst: '198.18.3.0/24', gateway: '198.18.0.254', table: 1000, dev: 10,
    metrics: { mtu: 1400, advmss: 1300, features: ['ecn'], congctl: 'cubic', lock: ['mtu'] },
  }));
  assert.is(r.family, 'inet');
  assert.is(r.dst, '198.18.3.0');
  assert.is(r.dstLen, 24);
  assert.is(r.gateway, '198.18.0.254');
  assert.is(r.table, 1000);
  assert.is(r.rtmTable, 'unspec');
  assert.is(r.protocol, 'boot');
  assert.is(r.scope, 'global');
  assert.is(r.type, 'unicast');
  assert.is(r.oif, 10);
  assert.equal(r.flags, []);
  assert.equal(r.metrics, { mtu: 1400, advmss: 1300, features: ['ecn'], congctl: 'cubic', lock: ['mtu'] });
  assert.is(r.priority, undefined, 'no metric sent is undefined, not 0');
  assert.is(r.prefsrc, undefined);
  assert.is(r.issues, undefined);
});

test('numbers this version has no name for stay numbers; unknown attributes are kept', () => {
  const r = roundTrip({ family: 'inet6', dstLen: 64, dst: 'fd00:5::', protocol: 77, type: 42, scope: 99, table: 'main', unknown: [{ type: 99, data: Buffer.from([1, 2, 3, 4]) }] });
  assert.is(r.family, 'inet6');
  assert.is(r.dst, 'fd00:5::');
  assert.is(r.protocol, 77);
  assert.is(r.type, 42);
  assert.is(r.scope, 99);
  assert.is(r.table, 'main');
  assert.equal(r.unknown, [{ type: 99, data: Buffer.from([1, 2, 3, 4]) }]);
});

test('multipath nexthops decode with weights and devices; an IPv6 gateway of an IPv4 route is RTA_VIA', () => {
  const r = roundTrip(routeMessageOf('add', {
    dst: '198.18.7.0/24',
    nexthops: [{ gateway: '198.18.0.2', dev: 10, weight: 2 }, { gateway: 'fd00::3', dev: 11, onlink: true }],
  }));
  assert.equal(r.nexthops, [
    { flags: [], weight: 2, oif: 10, gateway: '198.18.0.2' },
    { flags: ['onlink'], weight: 1, oif: 11, via: { family: 'inet6', host: 'fd00::3' } },
  ]);
  const v = roundTrip(routeMessageOf('add', { dst: '198.18.2.0/24', gateway: 'fd00::2', dev: 10 }));
  assert.equal(v.via, { family: 'inet6', host: 'fd00::2' });
  assert.is(v.gateway, undefined);
});

test('a malformed message decodes as far as it can, with issues, and never throws', () => {
  const w = new NetlinkWriter();
  const at = w.beginMessage(RTM_NEWROUTE, 0);
  routeMessage.encodePayload(w, { family: 'inet', dstLen: 24, dst: '198.18.1.0' });
  w.endMessage(at);
  const b = w.toBuffer();
  b.writeUInt16LE(200, 28); // the RTA_DST length now runs past the end
  const r = decodeRoute(b, 0, b.length);
  assert.is(r.family, 'inet');
  assert.is(r.dst, undefined);
  assert.ok(r.issues?.length);
  const short = decodeRoute(b.subarray(0, 20), 0, 20);
  assert.ok(short.issues?.length);
});

test('iproute2 defaults: protocol boot, scope link without a gateway, table main, local table for local routes', () => {
  const plain = routeMessageOf('add', { dst: '198.18.1.0/24', dev: 10 });
  assert.equal([plain.protocol, plain.scope, plain.type, plain.rtmTable], [3, 253, 1, 254]);
  const gw = routeMessageOf('add', { dst: '198.18.1.0/24', gateway: '198.18.0.1' });
  assert.is(gw.scope, 0);
  const local = routeMessageOf('add', { type: 'local', dst: '198.18.12.1', dev: 10 });
  assert.equal([local.rtmTable, local.scope, local.dstLen], [255, 254, 32]);
  const bh = routeMessageOf('add', { type: 'blackhole', dst: '198.18.4.0/24' });
  assert.is(bh.scope, 0);
  const v6 = routeMessageOf('add', { dst: 'fd00:5::/64', dev: 10 });
  assert.equal([v6.family, v6.scope], [10, 0]);
  const del = routeMessageOf('del', { dst: '198.18.1.0/24' });
  assert.equal([del.protocol, del.scope, del.type, del.rtmTable], [undefined, 255, undefined, 254]);
  const big = routeMessageOf('add', { dst: '198.18.1.0/24', gateway: '198.18.0.1', table: 1000 });
  assert.equal([big.rtmTable, big.table], [0, 1000]);
  const small = routeMessageOf('add', { dst: '198.18.1.0/24', gateway: '198.18.0.1', table: 100 });
  assert.equal([small.rtmTable, small.table], [100, undefined]);
  assert.equal(routeMessageOf('add', { dst: 'default', gateway: 'fd00::1' }).family, 10, 'the gateway decides when the destination cannot');
});

test('bad input names the field, before anything is sent', () => {
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.300/24' }), 'route.dst', /not a valid IP address/);
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/33' }), 'route.dst', /0\.\.32/);
  throwsAt(() => routeMessageOf('add', { dst: 'fd00::/129' }), 'route.dst', /0\.\.128/);
  throwsAt(() => routeMessageOf('add', { dst: 'fd00:5::/64', gateway: '198.18.0.1' }), 'route.gateway', /IPv4 gateway cannot serve an IPv6 route/);
  throwsAt(() => routeMessageOf('add', { family: 'inet', dst: 'fd00::/64' }), 'route.dst', /IPv6 prefix in an IPv4 route/);
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/24', prefsrc: 'fd00::1' }), 'route.prefsrc');
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/24', table: 2 ** 32 }), 'route.table', /0\.\.4294967295/);
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/24', table: -1 }), 'route.table');
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/24', table: 'nosuch' as never }), 'route.table', /unknown route table/);
  throwsAt(() => routeRequest('add', { dst: '198.18.1.0/24', nexthops: [{ gateway: '198.18.0.1', weight: 0 }] }), 'route.nexthops[0].weight', /1\.\.256/);
  throwsAt(() => routeRequest('add', { dst: '198.18.1.0/24', tos: 256 }), 'route.tos', /out of range/);
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/24', metrics: { hoplimit: 300 } }), 'route.metrics.hoplimit');
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/24', metrics: { mtuu: 1 } as never }), 'route.metrics.mtuu', /unknown metric/);
  throwsAt(() => routeMessageOf('add', { gateway: '198.18.0.1' }), 'route.dst', /needs a destination/);
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/24', gatway: '198.18.0.1' } as never), 'route.gatway', /unknown route field/);
  throwsAt(() => routeMessageOf('add', { dst: '198.18.1.0/24', dev: 'nlts-v0' }), 'route.dev', /interface name/);
  throwsAt(() => routeQueryOf({ dst: '198.18.1.0/24' }), 'route.dst', /an address, not the prefix/);
  throwsAt(() => routeRequest('add', { dst: '198.18.1.0/24', dev: 'nlts-nope' }, { ifindex: () => undefined }), 'route.dev', /no interface named "nlts-nope"/);
});

test('the client checks everything before it sends anything, even a name lookup', async () => {
  const fake = fakeRtnl();
  await rejects(() => fake.nl.route.add({ dst: '198.18.1.0/33', dev: 'nlts-v0' }), (e) => e instanceof EncodeError && e.path === 'route.dst');
  assert.is(fake.k.sent.length, 0);
  await rejects(() => fake.nl.route.add({ dst: '198.18.1.0/24', dev: 'nlts-nope' }), (e) => e instanceof EncodeError && /route\.dev: there is no interface named "nlts-nope"/.test(e.message));
});

test('a decoded route is a valid input: list, then delete what was listed', () => {
  const listed = roundTrip(routeMessageOf('add', { dst: '198.18.7.0/24', table: 1000, nexthops: [{ gateway: '198.18.0.2', dev: 10, weight: 2 }] }));
  listed.flags = ['linkdown', 'onlink'];
  (listed as { cacheinfo?: unknown }).cacheinfo = { rta_clntref: 0 };
  const del = routeMessageOf('del', listed);
  assert.is(del.flags, 4, 'kernel-state flags are not sent back');
  assert.equal([del.dst, del.dstLen, del.table, del.rtmTable, del.protocol, del.scope, del.type], ['198.18.7.0', 24, 1000, 0, 'boot', 0, 1]);
  assert.equal(del.nexthops, [{ gateway: '198.18.0.2', weight: 2, oif: 10 }]);
  const req = routeRequest('del', listed);
  assert.is(req.type, RTM_DELROUTE);
  assert.match(req.operation!, /route del 198\.18\.7\.0\/24 table 1000/);
});

test('kernel refusals keep the kernel\'s words; deleting an absent route is ESRCH, said in words', async () => {
  const fake = fakeRtnl((req, reply) => {
    if (req.type === RTM_NEWROUTE) { reply.error(17, { message: 'ipv4: Route exists' }); return true; }
    if (req.type === RTM_DELROUTE) { reply.error(3); return true; }
    return false;
  });
  await rejects(() => fake.nl.route.add({ dst: '198.18.1.0/24', gateway: '198.18.0.254' }),
    (e) => e instanceof NetlinkError && e.code === 'EEXIST' && /route add 198\.18\.1\.0\/24: EEXIST .*: ipv4: Route exists/.test(e.message));
  await rejects(() => fake.nl.route.del({ dst: '198.18.9.0/24' }), (e) => e instanceof NetlinkError && e.code === 'ESRCH' && /no such route/.test(e.message));
});

test('list: kernel-side filters in the request, type and scope filtered here, a missing table is empty', async () => {
  const fake = fakeRtnl((req, reply) => {
    if (req.type === 26 && req.payload.length > 12 && req.payload.readUInt32LE(16) === 4242) { reply.error(2, { message: 'ipv4: FIB table does not exist' }); return true; }
    return false;
  });
  fake.routes.push(
    routeMessageOf('add', { dst: '198.18.1.0/24', dev: 10 }),
    routeMessageOf('add', { type: 'blackhole', dst: '198.18.4.0/24' }),
  );
  const all = await fake.nl.route.list({ family: 'inet', table: 'main', protocol: 'boot', dev: 'nlts-v0' });
  assert.is(all.length, 2);
  const sent = routeMessage.decodePayload(fake.last(26), 16, fake.last(26).length);
  assert.equal([sent.family, sent.protocol, sent.table, sent.oif], ['inet', 'boot', 'main', 10]);
  assert.equal((await fake.nl.route.list({ type: 'blackhole' })).map((r) => r.dst), ['198.18.4.0']);
  assert.equal((await fake.nl.route.list({ scope: 'link' })).map((r) => r.dst), ['198.18.1.0']);
  assert.equal(await fake.nl.route.list({ table: 4242 }), []);
});

test('get sends a lookup and returns the route; the pure builder resolves names through a lookup', async () => {
  const fake = fakeRtnl();
  fake.routes.push(routeMessageOf('add', { dst: '198.18.1.5', gateway: '198.18.0.254', dev: 10 }));
  const r = await fake.nl.route.get({ dst: '198.18.1.5', iif: 'nlts-v1', mark: 5 });
  assert.is(r.gateway, '198.18.0.254');
  const q = routeMessage.decodePayload(fake.last(26), 16, fake.last(26).length);
  assert.equal([q.dst, q.dstLen, q.iif, q.mark, q.flags], ['198.18.1.5', 32, 11, 5, ['lookup_table']]);
  const names = new Map([['nlts-v0', 10]]);
  const req = routeRequest('replace', { dst: '198.18.1.0/24', dev: 'nlts-v0' }, { ifindex: (n) => names.get(n) });
  assert.is(req.type, RTM_NEWROUTE);
  assert.is(req.flags, 0x500);
});

test.run();
