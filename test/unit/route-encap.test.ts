import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { routeRequest } from '../../src/api/families/route.js';
import { parseGlobal } from '../../src/cli/args.js';
import { routeCommand } from '../../src/cli/commands/route.js';
import { routeToIpJson, routeToText } from '../../src/cli/ip-json/route.js';
import { NLM_F_ACK } from '../../src/generated/linux/netlink.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { type RouteEncapInput, decodeEncap, encodeEncap } from '../../src/rtnl/lwtunnel.js';
import type { RouteInput } from '../../src/rtnl/route-input.js';
import { decodeRoute } from '../../src/rtnl/route.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';
import { hexdump, listFixtures, loadFixture, normalize, requestOf } from '../helpers/fixtures.js';
import { quietOutput } from '../helpers/quiet-output.js';
import { encodeError, ipWords, wireBytes } from '../helpers/wire.js';

/**
 * ip builds an encapsulation in an uninitialised stack buffer, so the pad
 * bytes after a u8 or u16 attribute in it hold whatever was there (the
 * captures show 03f00100 for a ttl of 3). The kernel never reads them: they
 * are zeroed on both sides before comparing. Nests are followed where
 * NLA_F_NESTED says so, and into RTA_MULTIPATH's rtnexthop records.
 */
function zeroPadding(b: Buffer, start: number, end: number, multipathAt = -1): void {
  for (let at = start; at + 4 <= end;) {
    const len = b.readUInt16LE(at);
    const type = b.readUInt16LE(at + 2);
    if (len < 4 || at + len > end) return;
    b.fill(0, at + len, Math.min(end, at + ((len + 3) & ~3)));
    if (type & 0x8000) zeroPadding(b, at + 4, at + len);
    else if ((type & 0x3fff) === multipathAt) {
      for (let h = at + 4; h + 8 <= at + len;) {
        const hl = b.readUInt16LE(h);
        if (hl < 8) break;
        zeroPadding(b, h + 8, h + hl);
        h += (hl + 3) & ~3;
      }
    }
    at += (len + 3) & ~3;
  }
}

const comparable = (m: Buffer): string => {
  const b = normalize(m);
  b.writeUInt16LE(b.readUInt16LE(6) & ~NLM_F_ACK, 6);
  zeroPadding(b, 16 + 12, b.length, R.RTA_MULTIPATH);
  return hexdump(b);
};

const files = listFixtures('route-encap');
test('fixtures: every encap type ip 6.1 has words for here, captured', () => {
  assert.ok(files.length >= 15, `${files.length}`);
});
for (const file of files) {
  test(`fixture ${file}: the CLI's words build iproute2's bytes`, async () => {
    const f = loadFixture(file);
    const { opts, rest } = parseGlobal(ipWords(f.command));
    const fake = fakeRtnl();
    await routeCommand(fake.nl, rest.slice(1), opts, quietOutput);
    assert.is(comparable(fake.last(R.RTM_NEWROUTE)), comparable(requestOf(f, R.RTM_NEWROUTE)), f.command);
  });
}

/** The typed input of each fixture: the library builds the same bytes. */
const TYPED: [string, RouteInput][] = [
  ['mpls', { dst: '198.18.1.0/24', encap: { type: 'mpls', labels: [100, 200], ttl: 10 }, gateway: '198.18.0.2', dev: 10 }],
  ['mpls-one', { dst: '198.18.4.0/24', encap: { type: 'mpls', labels: [16] }, dev: 10 }],
  ['ip', { dst: '198.18.2.0/24', encap: { type: 'ip', id: 5n, dst: '198.18.0.9', ttl: 3, tos: 4, flags: ['key', 'csum'] }, dev: 10 }],
  ['ip6', { dst: 'fd00:2::/64', encap: { type: 'ip6', id: 6, dst: 'fd00::9', hoplimit: 3, tc: 2, flags: ['seq'] }, dev: 10 }],
  ['seg6-encap', { dst: 'fd00:3::/64', encap: { type: 'seg6', tunnel: { mode: 'encap', segs: ['fd00::a', 'fd00::b'] } }, dev: 10 }],
  ['seg6-inline-hmac', { dst: 'fd00:4::/64', encap: { type: 'seg6', tunnel: { mode: 'inline', segs: ['fd00::c', '::'], hmac: 5 } }, dev: 10 }],
  ['seg6local-dx6', { dst: 'fd00:5::/64', encap: { type: 'seg6local', action: 'End.DX6', nh6: 'fd00::2' }, dev: 10 }],
  ['seg6local-t-count', { dst: 'fd00:6::/64', encap: { type: 'seg6local', action: 'End.T', table: 100, counters: { packets: 0, bytes: 0, errors: 0 } }, dev: 10 }],
  ['seg6local-b6', { dst: 'fd00:a::/64', encap: { type: 'seg6local', action: 'End.B6', srh: { segs: ['fd00::e', 'fd00::f', '::'], hmac: 7 } }, dev: 10 }],
];
for (const [name, input] of TYPED) {
  test(`fixture route-encap/${name}: the typed encap encodes to iproute2's bytes`, () => {
    const theirs = requestOf(loadFixture(`route-encap/${name}.json`), R.RTM_NEWROUTE);
    assert.is(comparable(wireBytes(routeRequest('add', input))), comparable(theirs));
  });
}

test('every captured encap decodes, and encodes back to the same bytes', () => {
  for (const file of files) {
    const m = requestOf(loadFixture(file), R.RTM_NEWROUTE);
    const r = decodeRoute(m, 0, m.length)!;
    const hops = r.nexthops ?? [r];
    for (const h of hops) {
      const e = decodeEncap(h.encapType, h.encap!);
      assert.ok(e, `${file}: ${String(h.encapType)}`);
      const theirs = Buffer.from(h.encap!);
      zeroPadding(theirs, 0, theirs.length);
      assert.is(encodeEncap(e as RouteEncapInput).encap.toString('hex'), theirs.toString('hex'), file);
    }
  }
});

function printed(file: string): { text: string; json: Record<string, unknown> } {
  const m = requestOf(loadFixture(`route-encap/${file}.json`), R.RTM_NEWROUTE);
  const r = decodeRoute(m, 0, m.length)!;
  const j = routeToIpJson(r, { ifname: (i) => (i === 10 ? 'nlts-v0' : `if${i}`) });
  return { text: routeToText(j), json: JSON.parse(JSON.stringify(j)) as Record<string, unknown> };
}

test('printed as ip prints them (lwt_print_encap): text after the destination, JSON keys among the route\'s', () => {
  // ip 6.1 on this kernel, for the ip encap (the others are from lwt_print_encap's formats).
  assert.is(printed('ip').text, '198.18.2.0/24  encap ip id 5 dst 198.18.0.9 ttl 3 tos 4 key csum dev nlts-v0 scope link ');
  assert.equal(printed('ip').json, { dst: '198.18.0.9', encap: 'ip', id: 5, ttl: 3, tos: 4, key: true, csum: true, dev: 'nlts-v0', scope: 'link', flags: [] });
  assert.is(printed('mpls').text, '198.18.1.0/24  encap mpls  100/200 ttl 10 via 198.18.0.2 dev nlts-v0 ');
  assert.equal(printed('mpls').json, { dst: '100/200', encap: 'mpls', ttl: 10, gateway: '198.18.0.2', dev: 'nlts-v0', flags: [] });
  assert.match(printed('seg6-inline-hmac').text, /^fd00:4::\/64  encap seg6 mode inline segs 2 \[ fd00::c :: \] hmac 5 dev nlts-v0/);
  assert.equal(printed('seg6-encap').json.segs, ['fd00::a', 'fd00::b']);
  assert.match(printed('seg6local-b6').text, /encap seg6local action End\.B6 segs 3 \[ fd00::e fd00::f :: \] hmac 7 dev/);
  assert.equal(printed('seg6local-b6').json.srh, { segs: ['fd00::e', 'fd00::f', '::'], hmac: '0x7' });
  assert.match(printed('seg6local-t-count').text, /encap seg6local action End\.T table 100 dev/);
  assert.match(printed('seg6local-dt46').text, /encap seg6local action End\.DT46 vrftable 100 dev/);
});

test('bad encap input is an EncodeError naming the field, before anything is sent', () => {
  const cases: [RouteEncapInput, RegExp, string][] = [
    [{ type: 'mpls', labels: [1 << 20] }, /not an MPLS label/, 'route.encap.labels[0]'],
    [{ type: 'mpls', labels: [] }, /list of labels/, 'route.encap.labels'],
    [{ type: 'ip', dst: 'fd00::1' }, /./, 'route.encap.dst'],
    [{ type: 'seg6', tunnel: { mode: 'sideways' as 'encap', segs: ['fd00::1'] } }, /seg6 mode/, 'route.encap.tunnel.mode'],
    [{ type: 'seg6', tunnel: { mode: 'encap', segs: ['198.18.0.1'] } }, /./, 'route.encap.tunnel.segs[0]'],
    [{ type: 'seg6local', action: 'End.Q' as 'End' }, /seg6local action/, 'route.encap.action'],
    [{ type: 'bogus' } as unknown as RouteEncapInput, /expected an encap type/, 'route.encap.type'],
  ];
  for (const [encap, message, path] of cases) {
    const err = encodeError(() => wireBytes(routeRequest('add', { dst: 'fd00:9::/64', dev: 1, encap })));
    assert.instance(err, EncodeError);
    assert.match(err.message, message, path);
    assert.is(err.path, path);
  }
});

test.run();
