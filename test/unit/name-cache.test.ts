// The client's name → index cache: a loop of changes by device name asks the
// kernel for the name once; a cached index the kernel refuses with ENODEV is
// looked up again and the change retried once; the client's own link delete
// and rename forget the names they touch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RTM_GETLINK, RTM_NEWADDR, RTM_NEWADDRLABEL, RTM_NEWNEIGH, RTM_NEWNEXTHOP, RTM_SETLINK } from '../../src/generated/linux/rtnetlink.js';
import { RTM_NEWROUTE } from '../../src/generated/linux/rtnetlink.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { routeMessage } from '../../src/rtnl/route.js';
import { ENODEV, fakeLinks } from '../helpers/fake-links.js';

const NLMSG_HDRLEN = 16;
const count = (sent: Buffer[], type: number): number => sent.filter((m) => m.readUInt16LE(4) === type).length;
const oifOf = (m: Buffer): number | undefined => {
  const p = m.subarray(NLMSG_HDRLEN);
  return routeMessage.decodePayload(p, 0, p.length).oif;
};

test('a loop of route and address adds by device name looks the name up once', async () => {
  const f = fakeLinks({ eth0: 7 });
  for (let i = 0; i < 20; i++) await f.nl.route.add({ dst: `198.18.${i}.0/24`, dev: 'eth0' });
  await f.nl.addr.add({ dev: 'eth0', address: '198.18.100.1/24' });
  const sent = f.sent();
  assert.is(count(sent, RTM_GETLINK), 1);
  assert.is(count(sent, RTM_NEWROUTE), 20);
  assert.is(count(sent, RTM_NEWADDR), 1);
  assert.ok(sent.filter((m) => m.readUInt16LE(4) === RTM_NEWROUTE).every((m) => oifOf(m) === 7));
});

test('a view made by with() shares its client\'s cache', async () => {
  const f = fakeLinks({ eth0: 7 });
  await f.nl.route.add({ dst: '198.18.0.0/24', dev: 'eth0' });
  await f.nl.with({ timeoutMs: 5000 }).route.add({ dst: '198.18.1.0/24', dev: 'eth0' });
  assert.is(count(f.sent(), RTM_GETLINK), 1);
});

test('a cached index refused with ENODEV is looked up again and the change sent once more', async () => {
  const links: Record<string, number> = { eth0: 7 };
  // The kernel knows only the current index of eth0.
  const f = fakeLinks(links, (type, payload) => type === RTM_NEWROUTE && routeMessage.decodePayload(payload, 0, payload.length).oif !== links.eth0 ? ENODEV : undefined);
  await f.nl.route.add({ dst: '198.18.0.0/24', dev: 'eth0' });
  links.eth0 = 9; // eth0 deleted and created again by someone else
  await f.nl.route.add({ dst: '198.18.1.0/24', dev: 'eth0' });
  const routes = f.sent().filter((m) => m.readUInt16LE(4) === RTM_NEWROUTE).map(oifOf);
  assert.equal(routes, [7, 7, 9]);
  assert.is(count(f.sent(), RTM_GETLINK), 2);
  // And remembered again.
  await f.nl.route.add({ dst: '198.18.2.0/24', dev: 'eth0' });
  assert.is(count(f.sent(), RTM_GETLINK), 2);
});

test('ENODEV for a change by index, or a second ENODEV, is reported, not retried', async () => {
  const f = fakeLinks({ eth0: 7 }, (type) => type === RTM_NEWROUTE ? ENODEV : undefined);
  await f.nl.route.add({ dst: '198.18.0.0/24', dev: 7 }).then(() => assert.unreachable(), (e) => assert.instance(e, NetlinkError));
  assert.is(count(f.sent(), RTM_NEWROUTE), 1);
  // First lookup (not from the cache): no retry.
  await f.nl.route.add({ dst: '198.18.0.0/24', dev: 'eth0' }).then(() => assert.unreachable(), (e) => assert.is((e as NetlinkError).code, 'ENODEV'));
  assert.is(count(f.sent(), RTM_NEWROUTE), 2);
  // From the cache: one retry after a fresh lookup, then the error.
  await f.nl.route.add({ dst: '198.18.0.0/24', dev: 'eth0' }).then(() => assert.unreachable(), (e) => assert.is((e as NetlinkError).code, 'ENODEV'));
  assert.is(count(f.sent(), RTM_NEWROUTE), 4);
  assert.is(count(f.sent(), RTM_GETLINK), 2);
});

test('the client\'s own link delete and rename forget the names', async () => {
  const f = fakeLinks({ eth0: 7, eth1: 8 });
  await f.nl.route.add({ dst: '198.18.0.0/24', dev: 'eth0' });
  await f.nl.route.add({ dst: '198.18.0.0/24', dev: 'eth1' });
  await f.nl.link.del('eth0');
  await f.nl.link.set('eth1', { name: 'eth9' });
  await f.nl.route.add({ dst: '198.18.1.0/24', dev: 'eth0' });
  await f.nl.route.add({ dst: '198.18.1.0/24', dev: 'eth1' });
  // eth0 and eth1 once each (the rename takes eth1's index from the cache), then both again.
  assert.is(count(f.sent(), RTM_GETLINK), 4);
});

test('the families derived later (nexthop, addrlabel, bridge) use the cache too, and report an unknown name as the lookup\'s ENODEV', async () => {
  const f = fakeLinks({ eth0: 7 });
  for (let i = 1; i <= 5; i++) await f.nl.nexthop.add({ id: i, via: '198.18.0.2', dev: 'eth0' });
  await f.nl.addrlabel.add({ prefix: 'fd00::/64', label: 5, dev: 'eth0' });
  await f.nl.bridge.fdb.add({ lladdr: '02:00:00:00:00:01', dev: 'eth0' });
  await f.nl.bridge.link.set('eth0', { learning: false });
  const sent = f.sent();
  assert.is(count(sent, RTM_GETLINK), 1);
  assert.equal([RTM_NEWNEXTHOP, RTM_NEWADDRLABEL, RTM_NEWNEIGH, RTM_SETLINK].map((t) => count(sent, t)), [5, 1, 1, 1]);
  const unknown = [
    () => f.nl.nexthop.add({ id: 9, dev: 'nlts-nope' }),
    () => f.nl.addrlabel.add({ prefix: 'fd00::/64', label: 5, dev: 'nlts-nope' }),
    () => f.nl.ntable.change({ name: 'arp_cache', dev: 'nlts-nope', thresh1: 1 }),
    () => f.nl.bridge.fdb.add({ lladdr: '02:00:00:00:00:01', dev: 'nlts-nope' }),
    () => f.nl.bridge.vlan.add({ dev: 'nlts-nope', vid: 10 }),
    () => f.nl.bridge.mdb.add({ dev: 'eth0', port: 'nlts-nope', grp: '239.1.1.1' }),
    () => f.nl.netconf.get({ family: 'inet', dev: 'nlts-nope' }),
  ];
  for (const call of unknown) await call().then(() => assert.unreachable(), (e) => assert.is((e as NetlinkError).code, 'ENODEV', String(e)));
});

test.run();
