// The selector readers of address/route/rule show: ip's prefix syntax
// (short IPv4, default/all/any), fnmatch labels, flag words with '-', and
// filter_nlmsg's root/match/exact tests; tc's hex handles and sizes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressSelected, fnmatch, parseAddrShow } from '../../src/cli/addr-show.js';
import { addressInPrefix, prefixSelector } from '../../src/cli/prefix-match.js';
import { parseRouteShow } from '../../src/cli/commands/route.js';
import { type SelectedRoute, routeSelected } from '../../src/cli/route-select.js';
import { parseClassid, parseQdiscHandle } from '../../src/rtnl/tc/handles.js';
import { parseSize } from '../../src/rtnl/tc/units.js';
import type { Address } from '../../src/rtnl/address.js';

test('fnmatch: *, ?, classes, escapes', () => {
  assert.ok(fnmatch('eth0*', 'eth0:x'));
  assert.ok(fnmatch('e?h0', 'eth0'));
  assert.ok(fnmatch('eth[0-2]', 'eth1'));
  assert.not.ok(fnmatch('eth[!0-2]', 'eth1'));
  assert.ok(fnmatch('a\\*', 'a*'));
  assert.not.ok(fnmatch('a.b', 'axb'), 'a dot is a dot');
  assert.not.ok(fnmatch('eth0', 'eth0:x'));
});

test('prefixes as get_prefix reads them', () => {
  assert.equal(prefixSelector('0/0', 'to'), { family: 4, bytes: Buffer.from([0, 0, 0, 0]), length: 0 });
  assert.equal(prefixSelector('198.18', 'to'), { family: 4, bytes: Buffer.from([198, 18, 0, 0]), length: 32 });
  assert.is(prefixSelector('default', 'to').family, undefined, 'default without a family matches every family');
  assert.is(prefixSelector('all', 'to', 'inet6').bytes.length, 16);
  assert.throws(() => prefixSelector('nope', 'to'), /argument "nope" is wrong: invalid "to"/);
  const p = prefixSelector('198.18.0.0/15', 'to');
  assert.ok(addressInPrefix('198.19.255.1', p));
  assert.not.ok(addressInPrefix('198.20.0.1', p));
  assert.not.ok(addressInPrefix('fd00::1', p), 'another family never matches');
});

test('address show words: flags with -, dynamic and primary, label, to, master, type', () => {
  const a = parseAddrShow(['primary', '-tentative', 'dynamic', 'label', 'e*', 'to', '198.18.0.0/16', 'master', 'br0', 'type', 'bridge_slave', 'up']);
  assert.equal(a.flags, 0);
  assert.is(a.flagMask, 0x1 | 0x40 | 0x80);
  assert.is(a.label, 'e*');
  assert.is(a.master, 'br0');
  assert.is(a.slaveKind, 'bridge');
  assert.ok(a.up);
  assert.equal(parseAddrShow(['nomaster', 'eth0']), { master: null, dev: 'eth0' });
  assert.throws(() => parseAddrShow(['eth0', 'eth1']), /duplicate "dev"/);
  const addr = (local: string, flags: NonNullable<Address['flags']>, label?: string) => ({ scope: 'universe' as const, local, flags, ifaFlags: flags, label });
  const sec = parseAddrShow(['secondary']);
  assert.ok(addressSelected(sec, addr('198.18.0.2', ['secondary', 'permanent']), 'eth0'));
  assert.not.ok(addressSelected(sec, addr('198.18.0.1', ['permanent']), 'eth0'));
  assert.ok(addressSelected(parseAddrShow(['label', 'eth0']), addr('198.18.0.1', []), 'eth0'), 'no label: the link name');
  assert.not.ok(addressSelected(parseAddrShow(['to', '198.19.0.0/16']), addr('198.18.0.1', []), 'eth0'));
});

test('route show: root, match, exact, via, src, from', () => {
  const r = (over: Partial<SelectedRoute>): SelectedRoute => ({ family: 'inet', dstLen: 24, srcLen: 0, tos: 0, ...over });
  const route = r({ dst: '198.19.1.0', gateway: '198.18.0.254', prefsrc: '198.18.0.1' });
  const sel = (...words: string[]) => parseRouteShow(words).select;
  assert.ok(routeSelected(sel('root', '198.19.0.0/16'), route));
  assert.not.ok(routeSelected(sel('root', '198.19.1.0/25'), route), 'root: the route is inside the prefix');
  assert.ok(routeSelected(sel('match', '198.19.1.77'), route));
  assert.not.ok(routeSelected(sel('match', '198.19.2.1'), route));
  assert.ok(routeSelected(sel('198.19.1.0/24'), route));
  assert.not.ok(routeSelected(sel('exact', '198.19.0.0/16'), route));
  assert.ok(routeSelected(sel('via', '198.18.0.254'), route));
  assert.not.ok(routeSelected(sel('via', '198.18.0.253'), route));
  assert.ok(routeSelected(sel('src', '198.18.0.0/24'), route));
  assert.ok(routeSelected(sel('tos', '0'), route));
  assert.not.ok(routeSelected(sel('tos', '0x10'), route));
  const v6 = r({ family: 'inet6', dst: 'fd00:1::', dstLen: 64, src: 'fd00:2::', srcLen: 64 });
  assert.ok(routeSelected(parseRouteShow(['from', 'fd00:2::/64'], 'inet6').select, v6));
  assert.not.ok(routeSelected(parseRouteShow(['from', 'fd00:3::/64'], 'inet6').select, v6));
  assert.throws(() => parseRouteShow(['table', 'nlts-none']), /argument "nlts-none" is wrong: table id value is invalid/);
});

test('tc reads handles and sizes in hex too (strtoul base 16, strtod)', () => {
  assert.is(parseQdiscHandle('0x10:', 'h'), 0x100000);
  assert.is(parseQdiscHandle('10:', 'h'), 0x100000);
  assert.is(parseClassid('0x10:0x10', 'h'), 0x100010);
  assert.is(parseSize('0x10', 'limit'), 16);
  assert.is(parseSize('0x10kb', 'limit'), 16 * 1024);
});

test.run();
