import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { routeRequest } from '../../src/api/families/route.js';
import { routeCommand } from '../../src/cli/commands/route.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import type { RouteInput } from '../../src/rtnl/route-input.js';
import { decodeRoute } from '../../src/rtnl/route.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';
import { cliRequestTests, comparableRequest } from '../helpers/cli-fixtures.js';
import { loadFixture, requestOf } from '../helpers/fixtures.js';
import { encodeError, wireBytes } from '../helpers/wire.js';

// ip fills RTA_VIA's two pad bytes from a zeroed request: no garbage here, the bytes compare as they are.
const comparable = comparableRequest;

cliRequestTests('route-mpls', routeCommand, () => fakeRtnl());

const TYPED: [string, 'add' | 'del', RouteInput][] = [
  ['add-pop', 'add', { family: 'mpls', dst: 100, gateway: '198.18.0.2', dev: 10 }],
  ['add-swap', 'add', { family: 'mpls', dst: 101, newdst: [200], gateway: '198.18.0.2', dev: 10 }],
  ['add-swap-stack', 'add', { family: 'mpls', dst: 102, newdst: [201, 202], via: { family: 'inet6', host: 'fd00::2' }, dev: 10 }],
  ['add-multipath', 'add', { family: 'mpls', dst: 103, nexthops: [{ newdst: [300], gateway: '198.18.0.2', dev: 10 }, { newdst: [301], gateway: '198.18.0.3', dev: 10 }] }],
  ['del', 'del', { family: 'mpls', dst: 100 }],
];
for (const [name, op, input] of TYPED) {
  test(`fixture route-mpls/${name}: the typed route encodes to iproute2's bytes`, () => {
    const type = op === 'del' ? R.RTM_DELROUTE : R.RTM_NEWROUTE;
    assert.is(comparable(wireBytes(routeRequest(op, input))), comparable(requestOf(loadFixture(`route-mpls/${name}.json`), type)));
  });
}

test('an MPLS route decodes with its label as the destination, the labels it pushes and its gateway of another family', () => {
  const m = requestOf(loadFixture('route-mpls/add-swap-stack.json'), R.RTM_NEWROUTE);
  const r = decodeRoute(m, 0, m.length);
  assert.equal([r.family, r.dst, r.dstLen, r.via, r.gateway], ['mpls', '102', 20, { family: 'inet6', host: 'fd00::2' }, undefined]);
  assert.is(Buffer.from(r.newdst!).toString('hex'), '000c9000000ca100');
});

test('bad MPLS input is an EncodeError naming the field', () => {
  assert.is(encodeError(() => wireBytes(routeRequest('add', { family: 'mpls', dst: 1 << 20, dev: 1 }))).path, 'route.dst');
  assert.is(encodeError(() => wireBytes(routeRequest('add', { family: 'mpls', dst: 5, src: '198.18.0.0/24', dev: 1 }))).path, 'route.src');
  assert.is(encodeError(() => wireBytes(routeRequest('add', { family: 'mpls', dst: 5, newdst: [2 ** 21], dev: 1 }))).path, 'route.newdst[0]');
});

test.run();
