import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatHw, formatIP, formatIPv6, ipFamilyOf, networkOf, parseHw, parseIP, parseIPv4, parseIPv6, parsePrefix } from '../../src/netlink/ip.js';

test('IPv6 text is canonical (RFC 5952)', () => {
  const cases: [string, string][] = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['FD00:0:0:0:0:0:0:A', 'fd00::a'],
    ['::ffff:198.18.0.1', '::ffff:198.18.0.1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
  ];
  for (const [input, want] of cases) assert.is(formatIPv6(parseIPv6(input)!), want, input);
});

test('invalid addresses are refused', () => {
  for (const s of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.a', ' 1.2.3.4']) assert.is(parseIPv4(s), undefined, s);
  for (const s of [':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', 'fe80::1%eth0', '1:2:3:4:5:6:7']) assert.is(parseIPv6(s), undefined, s);
  assert.throws(() => parseIP('nope', 'route.gateway'), /route\.gateway: "nope" is not a valid IP address/);
  assert.throws(() => parseIP(5, 'x'), /expected an IP address string/);
  assert.throws(() => parseIP('::1', 'x', 4), /valid IPv4/);
});

test('prefixes check their length against the family', () => {
  assert.equal(parsePrefix('198.18.0.0/15', 'dst').length, 15);
  assert.is(parsePrefix('fd00::1', 'dst').length, 128);
  assert.is(parsePrefix('198.18.0.1', 'dst').length, 32);
  assert.throws(() => parsePrefix('198.18.0.0/33', 'dst'), /dst: prefix length "33" is not 0\.\.32 for an IPv4 address/);
  assert.throws(() => parsePrefix('fd00::/129', 'dst'), /0\.\.128/);
  assert.throws(() => parsePrefix('fd00::/-1', 'dst'), /prefix length/);
  assert.throws(() => parsePrefix('fd00::/', 'dst'), /prefix length/);
});

test('hardware addresses', () => {
  assert.is(formatHw(parseHw('AA:bb:0c:d:ee:ff', 'mac')), 'aa:bb:0c:0d:ee:ff');
  assert.throws(() => parseHw('aa:bb', 'mac', 6), /has 2 bytes, expected 6/);
  assert.throws(() => parseHw('xx', 'mac'), /not a hardware address/);
  assert.is(formatIP(Buffer.from([1, 2, 3])), '01:02:03');
});

test('families and networks', () => {
  assert.is(ipFamilyOf('198.18.0.1'), 4);
  assert.is(ipFamilyOf('fd00::1'), 6);
  assert.is(ipFamilyOf('x'), undefined);
  assert.is(formatIP(networkOf(parseIPv4('198.18.77.200')!, 20)), '198.18.64.0');
  assert.is(formatIP(networkOf(parseIPv6('fd00::ffff')!, 120)), 'fd00::ff00');
});

test.run();
