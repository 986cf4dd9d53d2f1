// Typed batches against the fake kernel: encoding, name resolution, error
// attribution, stop-at-first-error, and flow control by the receive buffer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BatchEncodeError } from '../../src/api/batch.js';
import { routeRequest } from '../../src/api/families/route.js';
import { NLM_F_ACK } from '../../src/generated/linux/netlink.js';
import {
  RTM_GETLINK, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWQDISC, RTM_NEWROUTE, RTM_NEWRULE, RTM_NEWTCLASS, RTM_NEWTFILTER,
  RTM_DELLINK, RTM_DELROUTE, RTM_GETROUTE,
} from '../../src/generated/linux/rtnetlink.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { routeMessage } from '../../src/rtnl/route.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';
import { normalize } from '../helpers/fixtures.js';

const dst = (i: number): string => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;
/** The destination's last two bytes, read back from a route request (RTA_DST follows the 12-byte rtmsg). */
const routeNo = (payload: Buffer): number => {
  const m = routeMessage.decodePayload(payload, 0, payload.length);
  const [, , c, d] = (m.dst ?? '0.0.0.0').split('.').map(Number);
  return (c! << 8) | d!;
};

test('routes by name: one link dump for the whole batch, the same bytes as the single verb', async () => {
  const f = fakeRtnl();
  const b = f.nl.batch();
  for (let i = 0; i < 3000; i++) b.route.add({ dst: dst(i), dev: 'nlts-v0' });
  assert.is(b.length, 3000);
  const r = await b.commit();
  assert.equal({ count: r.count, sent: r.sent, applied: r.applied, errors: r.errors }, { count: 3000, sent: 3000, applied: 3000, errors: [] });
  assert.is(b.length, 0, 'a committed batch is empty again');
  const msgs = f.messages();
  assert.is(msgs.filter((m) => m.readUInt16LE(4) === RTM_GETLINK).length, 1);
  const routes = msgs.filter((m) => m.readUInt16LE(4) === RTM_NEWROUTE);
  assert.is(routes.length, 3000);
  // Byte for byte what routeRequest builds (the single verb's path), ACK bits aside.
  const w = new NetlinkWriter();
  const one = routeRequest('add', { dst: dst(7), dev: 10 });
  const at = w.beginMessage(one.type, 1 | (one.flags ?? 0));
  one.body!(w);
  w.endMessage(at);
  const ours = normalize(Buffer.from(routes[7]!));
  ours.writeUInt16LE(ours.readUInt16LE(6) & ~NLM_F_ACK, 6);
  assert.equal(ours, normalize(w.toBuffer()));
  // Packed: a few datagrams, each asking for one ACK at its end.
  assert.ok(f.k.sent.length < 10, `${f.k.sent.length} datagrams`);
  assert.is(routes.filter((m) => m.readUInt16LE(6) & NLM_F_ACK).length, f.k.sent.length - 1);
});

test('a batch that names no link sends no link dump', async () => {
  const f = fakeRtnl();
  const b = f.nl.batch();
  b.route.add({ dst: dst(1), dev: 10 }).addr.add({ dev: 11, address: '198.18.0.1/24' });
  await b.commit();
  assert.equal(f.messages().map((m) => m.readUInt16LE(4)), [RTM_NEWROUTE, RTM_NEWADDR]);
});

test('bad input in request 7,345 fails the whole batch before sending, naming the request and the field', async () => {
  const f = fakeRtnl();
  const b = f.nl.batch();
  for (let i = 0; i < 10_000; i++) b.route.add({ dst: i === 7345 ? '198.18.300.1/32' : dst(i), dev: 10 });
  try {
    await b.commit();
    assert.unreachable();
  } catch (e) {
    assert.instance(e, BatchEncodeError);
    const err = e as BatchEncodeError;
    assert.is(err.index, 7345);
    assert.is(err.path, 'batch[7345].route.dst');
    assert.equal(err.input, { dst: '198.18.300.1/32', dev: 10 });
    assert.match(err.message, /^batch request 7345 \(route add\): route\.dst: "198\.18\.300\.1" is not a valid/);
  }
  assert.is(f.k.sent.length, 0);
});

test('an unknown interface name is bad input of its request', async () => {
  const f = fakeRtnl();
  const b = f.nl.batch();
  b.route.add({ dst: dst(1), dev: 'nlts-v0' }).route.add({ dst: dst(2), dev: 'nlts-nope' });
  try { await b.commit(); assert.unreachable(); } catch (e) {
    assert.instance(e, BatchEncodeError);
    assert.is((e as BatchEncodeError).index, 1);
    assert.match((e as Error).message, /route\.dev: there is no interface named "nlts-nope"/);
  }
  assert.equal(f.messages().map((m) => m.readUInt16LE(4)), [RTM_GETLINK], 'only the name dump went out');
});

test('kernel refusals come back with their index, input, code and extack', async () => {
  const f = fakeRtnl((req, reply) => {
    if (req.type !== RTM_NEWROUTE) return false;
    const n = routeNo(req.payload);
    if (n % 1000 === 999) reply.error(17, { message: `dup ${n}` });
    else if (req.flags & NLM_F_ACK) reply.ack();
    return true;
  });
  const b = f.nl.batch();
  for (let i = 0; i < 5000; i++) b.route.add({ dst: dst(i), dev: 10 });
  const r = await b.commit();
  assert.equal(r.errors.map((e) => e.index), [999, 1999, 2999, 3999, 4999]);
  assert.is(r.applied, 4995);
  const e = r.errors[2]!;
  assert.equal(e.input, { dst: dst(2999), dev: 10 });
  assert.is(e.operation, 'route add');
  assert.is(e.error.code, 'EEXIST');
  assert.is(e.error.extack?.message, 'dup 2999');
  assert.is(e.error.index, 2999);
});

test("onError 'stop' applies exactly the requests before the failure", async () => {
  const applied: number[] = [];
  const f = fakeRtnl((req, reply) => {
    if (req.type !== RTM_NEWROUTE) return false;
    const n = routeNo(req.payload);
    if (n === 42) { reply.error(22); return true; }
    applied.push(n);
    reply.ack();
    return true;
  });
  const b = f.nl.batch();
  for (let i = 0; i < 100; i++) b.route.add({ dst: dst(i), dev: 10 });
  const r = await b.commit({ onError: 'stop' });
  assert.equal(applied, Array.from({ length: 42 }, (_, i) => i));
  assert.is(r.sent, 43);
  assert.is(r.applied, 42);
  assert.is(r.errors.length, 1);
  assert.is(r.errors[0]!.index, 42);
  assert.is(f.k.sent.length, 43, 'one request per datagram');
});

test('a batch larger than the receive buffer completes: fewer requests per datagram, no ENOBUFS', async () => {
  // Every request fails, the worst case: one error answer each.
  const k = new FakeKernel((req, reply) => { reply.error(17); });
  k.receiveBuffer = 16 * 1024;
  k.canRaiseReceiveBuffer = false;
  const s = new NetlinkSocket(k);
  const reqs = Array.from({ length: 5000 }, (_, i) => routeRequest('add', { dst: dst(i), dev: 10 }));
  const r = await s.batch(reqs);
  assert.is(r.errors.length, 5000);
  assert.equal(r.errors.map((e) => e.index), Array.from({ length: 5000 }, (_, i) => i));
  assert.is(k.dropped, 0);
  assert.ok(k.sent.length >= 5000 / 10, `${k.sent.length} datagrams for 5,000 requests in a 16 KiB buffer`);
  // Without the bound the same batch overflows: the fake kernel drops answers as the kernel does.
  const k2 = new FakeKernel((req, reply) => { reply.error(17); });
  k2.receiveBuffer = 16 * 1024;
  const s2 = new NetlinkSocket(k2, {});
  (k2 as { receiveBufferSize?: unknown }).receiveBufferSize = undefined;
  await s2.batch(reqs.slice(0, 1000)).then(() => assert.unreachable(), (e: Error) => assert.is((e as { code?: string }).code, 'ENOBUFS'));
});

test("the receive buffer is raised for a big window when allowed ('raise', the default), kept with 'keep'", async () => {
  const k = new FakeKernel();
  k.receiveBuffer = 64 * 1024;
  const s = new NetlinkSocket(k);
  const reqs = Array.from({ length: 3000 }, (_, i) => routeRequest('add', { dst: dst(i), dev: 10 }));
  await s.batch(reqs, { receiveBuffer: 'keep' });
  assert.is(k.receiveBuffer, 64 * 1024);
  const kept = k.sent.length;
  k.sent.length = 0;
  await s.batch(reqs);
  assert.ok(k.receiveBuffer > 64 * 1024);
  assert.ok(k.sent.length < kept, `${k.sent.length} datagrams raised, ${kept} kept`);
});

test('every family in one batch, in the order of the calls', async () => {
  const f = fakeRtnl();
  const b = f.nl.batch();
  b.link.add({ name: 'nlts-v9', linkinfo: { kind: 'veth', data: { peer: { name: 'nlts-v8' } } } });
  b.link.setUp('nlts-v9');
  b.addr.add({ dev: 'nlts-v0', address: '198.18.0.1/24' });
  b.route.add({ dst: '198.18.1.0/24', dev: 'nlts-v0' });
  b.neigh.add({ dev: 'nlts-v0', address: '198.18.0.2', lladdr: '02:00:00:00:00:02' });
  b.rule.add({ from: '198.18.0.0/24', table: 100 });
  b.qdisc.add({ dev: 'nlts-v0', parent: 'root', handle: '1:', kind: 'htb', options: { default: 0x10 } });
  b.class.add({ dev: 'nlts-v0', parent: '1:', classid: '1:10', kind: 'htb', options: { rate: '10mbit' } });
  b.filter.add({ dev: 'nlts-v0', parent: '1:', priority: 1, protocol: 'ip', kind: 'matchall', options: { classid: '1:10' } });
  b.link.del('nlts-v9');
  const r = await b.commit();
  assert.equal(r.errors, []);
  assert.equal(f.messages().map((m) => m.readUInt16LE(4)), [
    RTM_GETLINK, RTM_NEWLINK, RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE, RTM_NEWNEIGH, RTM_NEWRULE, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER, RTM_DELLINK,
  ]);
});

test('the input of a link set is reported with its ref', async () => {
  const f = fakeRtnl((req, reply) => {
    if (req.type !== RTM_NEWLINK) return false;
    reply.error(19, { message: 'no such device' });
    return true;
  });
  const b = f.nl.batch();
  b.link.set('nlts-gone', { mtu: 1400 });
  const r = await b.commit();
  assert.equal(r.errors[0]!.input, { ref: 'nlts-gone', spec: { mtu: 1400 } });
  assert.is(r.errors[0]!.error.code, 'ENODEV');
  assert.match(r.errors[0]!.error.message, /link set \(batch request 0\)/);
});

test('route flush sends each dumped route back as a delete, byte for byte, in one batch', async () => {
  const f = fakeRtnl();
  for (let i = 0; i < 3; i++) f.routes.push({ family: 2, dstLen: 32, table: 254, protocol: 3, scope: 253, type: 1, dst: `198.18.0.${i}`, oif: 10 });
  f.routes.push({ family: 2, dstLen: 24, table: 254, protocol: 3, scope: 0, type: 2, dst: '198.18.9.0', oif: 10 });
  assert.is(await f.nl.route.flush({ dev: 'nlts-v0', type: 'unicast' }), 3);
  const dels = f.messages().filter((m) => m.readUInt16LE(4) === RTM_DELROUTE);
  assert.is(dels.length, 3);
  const dumped = new NetlinkWriter();
  const at = dumped.beginMessage(RTM_DELROUTE, 1);
  routeMessage.encodePayload(dumped, f.routes[1]!);
  dumped.endMessage(at);
  const sent = normalize(Buffer.from(dels[1]!));
  sent.writeUInt16LE(sent.readUInt16LE(6) & ~NLM_F_ACK, 6);
  assert.equal(sent, normalize(dumped.toBuffer()));
  // The dump asked for table main and the device, as ip route flush dev X does.
  const dump = routeMessage.decodePayload(f.last(RTM_GETROUTE).subarray(16), 0, f.last(RTM_GETROUTE).length - 16);
  assert.equal([dump.table, dump.oif], ['main', 10]);
});

test.run();
