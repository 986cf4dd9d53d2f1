// Decoded values keep the kernel's numbers behind the words of their header
// fields (docs/architecture.md, "Decoded values keep the kernel's numbers"),
// and the printers read them rather than turning words back into numbers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { routeToIpJson } from '../../src/cli/ip-json/route.js';
import { kernelNumbers } from '../../src/netlink/kernel-numbers.js';
import { useCompiledSchemas } from '../../src/netlink/schema.js';
import { type Route, decodeRoute, routeMessage } from '../../src/rtnl/route.js';
import { wireBytes } from '../helpers/wire.js';

function route(): Route {
  const buf = wireBytes({
    type: R.RTM_NEWROUTE, headerSize: routeMessage.headerSize,
    body: (w) => routeMessage.encodePayload(w, { family: 'inet', dstLen: 24, rtmTable: 'main', protocol: 'static', scope: 'link', type: 'unicast', dst: '198.18.1.0', table: 'main', oif: 2 }),
  });
  return decodeRoute(buf, 0, buf.length);
}

const expected = { family: 2, rtmTable: R.RT_TABLE_MAIN, protocol: R.RTPROT_STATIC, scope: R.RT_SCOPE_LINK, type: R.RTN_UNICAST, flags: 0 };

test('a decoded route keeps its header numbers under a symbol that JSON and keys do not see', () => {
  for (const compiled of [true, false]) {
    useCompiledSchemas(compiled);
    try {
      const r = route();
      assert.equal(r[kernelNumbers], expected, compiled ? 'compiled' : 'table-driven');
      assert.is(r.protocol, 'static');
      assert.not.ok(Object.keys(r).some((k) => k.includes('kernel')));
      assert.not.match(JSON.stringify(r), /kernel/);
      // Spread copies it; the encoder ignores it.
      assert.equal({ ...r }[kernelNumbers], expected);
    } finally {
      useCompiledSchemas(true);
    }
  }
});

test('numbersOf: the kept numbers, or a hand-made object\'s words encoded', () => {
  assert.equal(routeMessage.numbersOf(route()), expected);
  const { [kernelNumbers]: _kept, ...byHand } = route();
  assert.equal(routeMessage.numbersOf(byHand), expected);
});

test('the route printer reads the kept numbers, not the words', () => {
  const r = route();
  const ifname = (i: number): string => `if${i}`;
  assert.equal(routeToIpJson(r, { ifname }), { dst: '198.18.1.0/24', dev: 'if2', protocol: 'static', scope: 'link', flags: [] });
  // A word changed after decoding does not reach the printer: it prints what the kernel sent.
  r.protocol = 'kernel';
  r.scope = 'universe';
  assert.equal(routeToIpJson(r, { ifname }), { dst: '198.18.1.0/24', dev: 'if2', protocol: 'static', scope: 'link', flags: [] });
});

test.run();
