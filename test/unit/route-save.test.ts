import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROUTE_DUMP_MAGIC, readRouteDump, restoreRoutes, saveRoutes } from '../../src/api/route-save.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../../src/generated/linux/netlink.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { type RouteMessageInput, routeMessage } from '../../src/rtnl/route.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';
import { encodeError } from '../helpers/wire.js';

const BASE = { family: 'inet', dstLen: 24, rtmTable: 'main', protocol: 'static', scope: 'universe', type: 'unicast' } as const;
const ROUTES: RouteMessageInput[] = [
  { ...BASE, dst: '198.18.5.0', gateway: '198.18.0.2', oif: 10 },
  { ...BASE, scope: 'link', dst: '198.18.6.0', prefsrc: '198.18.0.1', oif: 10 },
  { ...BASE, dstLen: 32, scope: 'host', dst: '198.18.0.1', prefsrc: '198.18.0.1', oif: 10 },
  { ...BASE, type: 'blackhole', dst: '198.18.7.0' },
];

function dumpOf(routes: RouteMessageInput[]): Buffer {
  const w = new NetlinkWriter();
  w.buffer.writeUInt32LE(ROUTE_DUMP_MAGIC, w.reserve(4));
  for (const r of routes) {
    const at = w.beginMessage(R.RTM_NEWROUTE, 2, 77, 99);
    routeMessage.encodePayload(w, r);
    w.endMessage(at);
  }
  return w.toBuffer();
}

test('save writes the magic, then the dumped messages as they came (table main by default)', async () => {
  const fake = fakeRtnl();
  fake.routes.push(...ROUTES);
  const d = await saveRoutes(fake.nl.socket, (r) => fake.nl.ifindex(r), { where: (r) => r.type === 'unicast' });
  assert.is(d.readUInt32LE(0), ROUTE_DUMP_MAGIC);
  assert.equal(readRouteDump(d).map((r) => r.dst), ['198.18.5.0', '198.18.6.0', '198.18.0.1']);
  const req = routeMessage.decodeMessage(fake.last(R.RTM_GETROUTE), 0, fake.last(R.RTM_GETROUTE).length);
  assert.is(req.table, 'main');
});

test('restore sends ip\'s three passes: local addresses, local networks, then gateways; CREATE without EXCL; EEXIST is counted, not thrown', async () => {
  const fake = fakeRtnl();
  const r = await restoreRoutes(fake.nl.socket, dumpOf(ROUTES));
  assert.equal(r, { added: 4, existed: 0 });
  const sent = fake.messages().filter((m) => m.readUInt16LE(4) === R.RTM_NEWROUTE).map((m) => routeMessage.decodeMessage(m, 0, m.length));
  assert.equal(sent.map((m) => m.dst), ['198.18.0.1', '198.18.7.0', '198.18.6.0', '198.18.5.0']);
  for (const m of fake.messages().filter((x) => x.readUInt16LE(4) === R.RTM_NEWROUTE)) {
    const flags = m.readUInt16LE(6);
    assert.ok(flags & NLM_F_CREATE && !(flags & NLM_F_EXCL), flags.toString(16));
  }
  const refusing = fakeRtnl((req, reply) => { if (req.type !== R.RTM_NEWROUTE) return false; reply.error(17); return true; });
  assert.equal(await restoreRoutes(refusing.nl.socket, dumpOf(ROUTES)), { added: 0, existed: 4 });
});

test('a stream that is not a route dump is an EncodeError before anything is sent', async () => {
  assert.match(encodeError(() => readRouteDump(Buffer.from('hello world'))).message, /not a saved route dump/);
  const cut = dumpOf(ROUTES).subarray(0, 30);
  assert.match(encodeError(() => readRouteDump(cut)).message, /malformed message|truncated/);
  const fake = fakeRtnl();
  const err = await restoreRoutes(fake.nl.socket, cut).then(() => undefined, (e: unknown) => e);
  assert.instance(err, EncodeError);
  assert.is(fake.messages().length, 0);
});

test.run();
