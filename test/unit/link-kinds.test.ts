// Link kind schemas without a kernel: what is encoded decodes to the same
// typed object; absent stays undefined; unknown kinds and attributes are kept.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IFLA_BR_PAD, IFLA_BR_HELLO_TIMER } from '../../src/generated/linux/if_link.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { type LinkInfoInput, kindData, linkInfo, portData } from '../../src/rtnl/link-info.js';
import { type Link, type LinkInput, linkMessage } from '../../src/rtnl/link.js';
import { bridgeData } from '../../src/rtnl/link-kinds/bridge.js';

function roundTrip(input: LinkInput): Link {
  const w = new NetlinkWriter();
  linkMessage.encodePayload(w, input);
  const issues: { path: string; problem: string }[] = [];
  const out = linkMessage.decodePayload(w.view(), 0, w.length, issues) as Link;
  assert.equal(issues, [], 'no decode issues');
  return out;
}

test('bridge options and bridge port options round-trip, typed', () => {
  const l = roundTrip({ name: 'br0', linkinfo: { kind: 'bridge', data: {
    forwardDelay: 400, stpState: 1, priority: 100, vlanFiltering: true, vlanProtocol: '802.1ad', mcastSnooping: false,
    groupAddr: '01:80:c2:00:00:0e', multiBoolopt: { optval: 1, optmask: 3 }, bridgeId: '8000.02:00:00:00:00:01',
  } } });
  const b = kindData(l.linkinfo, 'bridge')!;
  assert.equal([b.forwardDelay, b.stpState, b.priority, b.vlanFiltering, b.vlanProtocol, b.mcastSnooping, b.groupAddr, b.bridgeId],
    [400, 1, 100, true, '802.1ad', false, '01:80:c2:00:00:0e', '8000.02:00:00:00:00:01']);
  assert.equal(b.multiBoolopt, { optval: 1, optmask: 3 });
  assert.is(b.helloTime, undefined, 'absent is undefined, not 0');
  assert.is(kindData(l.linkinfo, 'vxlan'), undefined, 'kindData checks the kind');

  const p = roundTrip({ index: 3, linkinfo: { kind: 'veth', slaveKind: 'bridge', slaveData: { state: 'forwarding', cost: 10, learning: false, unicastFlood: true } } });
  assert.is(p.linkinfo?.kind, 'veth');
  assert.equal(portData(p.linkinfo, 'bridge'), { state: 'forwarding', cost: 10, learning: false, unicastFlood: true });
  assert.is(portData(p.linkinfo, 'bond'), undefined);
});

test('iproute2\'s bridge_slave kind carries port options as slave data', () => {
  const w = new NetlinkWriter();
  linkInfo.write(w, { kind: 'bridge_slave', slaveData: { cost: 10 } }, 'linkinfo');
  const back = linkInfo.read(w.view(), 0, w.length, [], 'linkinfo')!;
  assert.is(back.kind, 'bridge_slave');
  assert.ok(Buffer.isBuffer(back.slaveData), 'no slave kind on the wire: the reader cannot type it, and keeps the bytes');
  const bad: [LinkInfoInput, RegExp][] = [
    [{ kind: 'veth', slaveData: { cost: 1 } } as never, /port options need a slaveKind/],
    [{ slaveKind: 'veth', slaveData: { cost: 1 } } as never, /"veth" has no port options/],
    [{ kind: 'ifb', data: { x: 1 } } as never, /kind "ifb" takes no options/],
    [{ data: Buffer.alloc(0) } as never, /data needs a kind/],
    [{ kind: 'veth', nope: 1 } as never, /linkinfo\.nope: unknown key/],
  ];
  for (const [input, message] of bad) {
    try {
      linkInfo.write(new NetlinkWriter(), input, 'linkinfo');
      assert.unreachable();
    } catch (err) {
      assert.instance(err, EncodeError);
      assert.match((err as Error).message, message);
    }
  }
});

test('macvlan, vxlan, vlan, bond, tun options round-trip', () => {
  const mv = kindData(roundTrip({ linkinfo: { kind: 'macvlan', data: { mode: 'passthru', flags: ['nopromisc'], macaddrData: { macaddr: ['02:00:00:00:00:01'] } } } }).linkinfo, 'macvlan')!;
  assert.equal([mv.mode, mv.flags, mv.macaddrData], ['passthru', ['nopromisc'], { macaddr: ['02:00:00:00:00:01'] }]);
  const vx = kindData(roundTrip({ linkinfo: { kind: 'vxlan', data: {
    id: 42, group6: 'ff05::1', local6: 'fd00::1', port: 4789, portRange: { low: 1000, high: 2000 }, ttlInherit: true, df: 'inherit', gbp: true, label: 0xabcde,
  } } }).linkinfo, 'vxlan')!;
  assert.equal([vx.id, vx.group6, vx.local6, vx.port, vx.portRange, vx.ttlInherit, vx.df, vx.gbp, vx.label, vx.learning],
    [42, 'ff05::1', 'fd00::1', 4789, { low: 1000, high: 2000 }, true, 'inherit', true, 0xabcde, undefined]);
  const vl = kindData(roundTrip({ linkinfo: { kind: 'vlan', data: {
    id: 10, protocol: '802.1Q', flags: { flags: ['reorder_hdr'], mask: ['reorder_hdr', 'gvrp'] }, egressQos: { mapping: [{ from: 1, to: 2 }] },
  } } }).linkinfo, 'vlan')!;
  assert.equal([vl.id, vl.protocol, vl.flags, vl.egressQos], [10, '802.1Q', { flags: ['reorder_hdr'], mask: ['reorder_hdr', 'gvrp'] }, { mapping: [{ from: 1, to: 2 }] }]);
  const bo = kindData(roundTrip({ linkinfo: { kind: 'bond', data: { mode: '802.3ad', miimon: 100, xmitHashPolicy: 'layer3+4', adActorSystem: '02:00:00:00:00:05' } } }).linkinfo, 'bond')!;
  assert.equal([bo.mode, bo.miimon, bo.xmitHashPolicy, bo.adActorSystem], ['802.3ad', 100, 'layer3+4', '02:00:00:00:00:05']);
  const tu = kindData(roundTrip({ linkinfo: { kind: 'tun', data: { type: 'tap', pi: false, multiQueue: true, numQueues: 4 } } }).linkinfo, 'tun')!;
  assert.equal([tu.type, tu.pi, tu.multiQueue, tu.numQueues, tu.owner], ['tap', false, true, 4, undefined]);
});

test('a veth peer is a whole link; an unknown kind keeps raw data; unknown numbers stay numbers', () => {
  const v = roundTrip({ name: 'a', linkinfo: { kind: 'veth', data: { peer: { name: 'b', mtu: 1400, netnsPid: 1 } } } });
  const peer = kindData(v.linkinfo, 'veth')!.peer!;
  assert.equal([peer.name, peer.mtu, peer.netnsPid, peer.index], ['b', 1400, 1, 0]);
  const raw = roundTrip({ linkinfo: { kind: 'gtp', data: Buffer.from([4, 0, 9, 0]) } });
  assert.is(raw.linkinfo?.kind, 'gtp');
  assert.equal(raw.linkinfo?.data, Buffer.from([4, 0, 9, 0]));
  const odd = kindData(roundTrip({ linkinfo: { kind: 'macvlan', data: { mode: 64 } } }).linkinfo, 'macvlan')!;
  assert.is(odd.mode, 64, 'a mode this version has no name for decodes as its number');
  const t = roundTrip({ operstate: 42, type: 4242, flags: 0x800000 });
  assert.equal([t.operstate, t.type, t.flags], [42, 4242, ['0x800000']]);
});

test('bridge timers come with pad attributes: the pad is dropped, the timer kept', () => {
  const w = new NetlinkWriter();
  w.attrBytes(IFLA_BR_PAD, Buffer.alloc(0));
  w.attrU64(IFLA_BR_HELLO_TIMER, 1234);
  const d = bridgeData.decode(w.view(), 0, w.length, []);
  assert.equal(d, { helloTimer: 1234 });
  try {
    bridgeData.encode(new NetlinkWriter(), { pad: 1 as never });
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /padding attribute is not sent/);
  }
});

test('bool8 and bridge id codecs reject what they cannot send', () => {
  for (const [data, message] of [
    [{ vlanFiltering: 2 }, /vlanFiltering: expected true or false/],
    [{ bridgeId: '8000-02:00:00:00:00:01' }, /bridgeId: expected a bridge id/],
    [{ bridgeId: '8000.02:00:00:00:01' }, /6-byte MAC/],
  ] as const) {
    try {
      bridgeData.encode(new NetlinkWriter(), data as never);
      assert.unreachable();
    } catch (err) {
      assert.instance(err, EncodeError);
      assert.match((err as Error).message, message);
    }
  }
});

test('an alias goes without a NUL and is bounded; absent fields are not sent', () => {
  const w = new NetlinkWriter();
  linkMessage.encodePayload(w, { alias: 'up', mtu: undefined });
  assert.is(w.length, 16 + 8, 'header + one 6-byte attribute padded to 8');
  assert.equal([...w.view(16 + 4, 16 + 6)], [0x75, 0x70]);
  assert.is(w.view().readUInt16LE(16), 6, 'length 4 + 2, no NUL');
  try {
    linkMessage.encodePayload(new NetlinkWriter(), { alias: 'x'.repeat(256) });
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /^link\.alias: .*256 bytes, more than 255/);
  }
});

test.run();
