// The verb engine (src/api/engine.ts): a change is resolved, then built once,
// then encoded once; names an options encoder asks for while it writes (tc
// mirred's device) are resolved before anything is sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RTM_GETLINK, RTM_NEWTFILTER } from '../../src/generated/linux/rtnetlink.js';
import { routeMessage } from '../../src/rtnl/route.js';
import { decodeFilter } from '../../src/rtnl/tc/filter.js';
import { isFilter } from '../../src/rtnl/tc/filter.js';
import { fakeLinks } from '../helpers/fake-links.js';

const count = (sent: Buffer[], type: number): number => sent.filter((m) => m.readUInt16LE(4) === type).length;

test('a route add whose device name is cached is encoded once; one that is not, twice (checked before the lookup)', async () => {
  const f = fakeLinks({ eth0: 7 });
  const encode = routeMessage.encodePayload;
  let encodes = 0;
  routeMessage.encodePayload = function (...args) { encodes++; return encode.apply(this, args); };
  try {
    await f.nl.route.add({ dst: '198.18.0.0/24', dev: 'eth0' });
    assert.is(encodes, 2, 'a name not cached: checked, then sent');
    encodes = 0;
    await f.nl.route.add({ dst: '198.18.1.0/24', dev: 'eth0' });
    assert.is(encodes, 1, 'a cached name: encoded once, by the socket');
    encodes = 0;
    await f.nl.route.add({ dst: '198.18.2.0/24', dev: 7 });
    assert.is(encodes, 1, 'an index: encoded once');
  } finally {
    routeMessage.encodePayload = encode;
  }
  assert.is(count(f.sent(), RTM_GETLINK), 1);
});

test("a filter's mirred device given by name is looked up before the filter is sent", async () => {
  const f = fakeLinks({ eth0: 7, ifb0: 12 });
  await f.nl.filter.add({
    dev: 'eth0', parent: 'ffff:', protocol: 'all', priority: 1, kind: 'u32',
    options: { match: [{ u32: 0, mask: 0 }], actions: [{ kind: 'mirred', options: { action: 'redirect', direction: 'egress', dev: 'ifb0' } }] },
  });
  const m = f.last(RTM_NEWTFILTER);
  const filter = decodeFilter(m, 0, m.length);
  assert.ok(filter && isFilter(filter, 'u32'));
  const action = filter && isFilter(filter, 'u32') ? filter.options?.actions?.[0] : undefined;
  assert.is(action?.kind, 'mirred');
  assert.is(action?.kind === 'mirred' && action.options && !Buffer.isBuffer(action.options) ? action.options.ifindex : undefined, 12);
  assert.is(filter?.ifindex, 7);
});

test('an unknown mirred device fails with the kernel\'s ENODEV before the filter is sent', async () => {
  const f = fakeLinks({ eth0: 7 });
  const err = await f.nl.filter.add({
    dev: 'eth0', parent: 'ffff:', protocol: 'all', priority: 1, kind: 'u32',
    options: { match: [{ u32: 0, mask: 0 }], actions: [{ kind: 'mirred', options: { action: 'redirect', direction: 'egress', dev: 'nope0' } }] },
  }).then(() => undefined, (e: unknown) => e);
  assert.is((err as { code?: string } | undefined)?.code, 'ENODEV');
  assert.is(count(f.sent(), RTM_NEWTFILTER), 0);
});

test.run();
