// The bridge verbs against iproute2 6.1's bridge: every captured command's
// words, through our CLI parser and the library's request builders, give
// the bytes bridge sent (test/fixtures/iproute2/bridge, made by
// test/fixtures/capture.ts with the setup each fixture records); typed
// inputs too; bad input fails before anything is sent; decoded dumps print
// as bridge prints them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bridgeLinkListRequest, bridgePortMessage, mdbListRequest, mdbMessage, mdbRequest, bridgePortRequest, bridgeVlanMessage, bridgeVlanRequest, fdbListRequest, fdbMessage, fdbRequest,
} from '../../src/api/bridge.js';
import { parseFdbModify, parseFdbShow, parseLinkSet, parseMdbModify, parseVlanModify } from '../../src/cli/commands/bridge.js';
import { fdbRow } from '../../src/cli/bridge-json/fdb.js';
import { TUNNEL_HEADING, VLAN_HEADING, tunnelRows, vlanRows } from '../../src/cli/bridge-json/link.js';
import { RTM_DELLINK, RTM_DELMDB, RTM_DELNEIGH, RTM_GETLINK, RTM_GETMDB, RTM_GETNEIGH, RTM_NEWMDB, RTM_NEWNEIGH, RTM_SETLINK } from '../../src/generated/linux/rtnetlink.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { bridgeLinkMessage, decodeBridgeLink } from '../../src/rtnl/bridge-link.js';
import { decodeMdb, mdbEntries, mdbMessage as mdbMessage_ } from '../../src/rtnl/bridge-mdb.js';
import { mdbRow } from '../../src/cli/bridge-json/mdb.js';
import { decodeNeighbour, neighbourMessage } from '../../src/rtnl/neighbour.js';
import { throwsAt } from '../helpers/expect.js';
import { hexdump, listFixtures, loadFixture, requestOf } from '../helpers/fixtures.js';
import { refusedBeforeSending, wireBytes } from '../helpers/wire.js';

/** The fixtures' namespace: lo, the bridge, the veth pair (nlts-v0 enslaved), the vxlan device. */
const IFINDEX: Record<string, number> = { lo: 1, 'nlts-br0': 2, 'nlts-v1': 3, 'nlts-v0': 4, 'nlts-vx0': 5 };
const idx = (name: string | number): number => (typeof name === 'number' ? name : IFINDEX[name]!);

/** What `netlink-ts bridge ...` sends for a fixture's words. */
function ours(command: string): { bytes: Buffer; type: number } {
  const [bridge, object, verb, ...words] = command.split(' ');
  assert.is(bridge, 'bridge');
  if (object === 'fdb') {
    if (verb === 'show') {
      const f = parseFdbShow(words);
      return { bytes: wireBytes(fdbListRequest(f.dev === undefined ? undefined : idx(f.dev), f.br === undefined ? undefined : idx(f.br)), true), type: RTM_GETNEIGH };
    }
    const v = ({ add: 'add', append: 'append', replace: 'replace', del: 'delete' } as const)[verb as 'add' | 'del'];
    const input = parseFdbModify(words);
    return { bytes: wireBytes(fdbRequest(v, fdbMessage(input, idx(input.dev), input.via === undefined ? undefined : idx(input.via)))), type: v === 'delete' ? RTM_DELNEIGH : RTM_NEWNEIGH };
  }
  if (object === 'link') {
    if (verb === 'show') return { bytes: wireBytes(bridgeLinkListRequest(false), true), type: RTM_GETLINK };
    const { dev, port } = parseLinkSet(words);
    return { bytes: wireBytes(bridgePortRequest(bridgePortMessage(idx(dev), port), dev)), type: RTM_SETLINK };
  }
  if (object === 'mdb') {
    if (verb === 'show') return { bytes: wireBytes(mdbListRequest(), true), type: RTM_GETMDB };
    const input = parseMdbModify(words);
    const v = verb === 'add' ? 'add' : 'delete';
    return { bytes: wireBytes(mdbRequest(v, mdbMessage(v, input, idx(input.dev), idx(input.port)))), type: v === 'add' ? RTM_NEWMDB : RTM_DELMDB };
  }
  assert.is(object, 'vlan');
  if (verb === 'show') return { bytes: wireBytes(bridgeLinkListRequest(true), true), type: RTM_GETLINK };
  const input = parseVlanModify(words);
  const v = verb === 'add' ? 'add' : 'delete';
  return { bytes: wireBytes(bridgeVlanRequest(v, bridgeVlanMessage(idx(input.dev), input), input.dev)), type: v === 'add' ? RTM_SETLINK : RTM_DELLINK };
}

const files = listFixtures('bridge');
test('fixtures: the bridge commands captured', () => assert.ok(files.length >= 20, `${files.length}`));
for (const file of files) {
  test(`fixture ${file}: the CLI's words build bridge's bytes`, () => {
    const f = loadFixture(file);
    const o = ours(f.command);
    assert.is(hexdump(o.bytes), hexdump(requestOf(f, o.type)), f.command);
  });
}

test('typed inputs encode as bridge does (fdb, port options, vlan range and tunnel map)', () => {
  const f = (file: string, type: number) => hexdump(requestOf(loadFixture(`bridge/${file}.json`), type));
  assert.is(hexdump(wireBytes(fdbRequest('add', fdbMessage({ lladdr: '02:00:00:00:00:03', dev: 'nlts-v0', master: true, state: 'static', sticky: true }, 4)))), f('fdb-add-static-sticky', RTM_NEWNEIGH));
  assert.is(hexdump(wireBytes(fdbRequest('append', fdbMessage({ lladdr: '00:00:00:00:00:00', dev: 5, dst: '198.18.0.2', port: 4790, vni: 100 }, 5)))), f('fdb-append-vxlan', RTM_NEWNEIGH));
  // Keys in any order: the port options are written in bridge's order.
  const port = bridgePortMessage(4, { self: true, learning: true });
  assert.is(hexdump(wireBytes(bridgePortRequest(port, 'nlts-v0'))), f('link-set-master-self', RTM_SETLINK));
  assert.is(hexdump(wireBytes(bridgeVlanRequest('add', bridgeVlanMessage(4, { dev: 4, vid: 20, vidEnd: 30, master: true }), 4))), f('vlan-add-range', RTM_SETLINK));
  assert.is(hexdump(wireBytes(bridgeVlanRequest('add', bridgeVlanMessage(5, { dev: 5, vid: 200, vidEnd: 202, tunnelId: 2000, tunnelIdEnd: 2002 }), 5))), f('vlan-tunnel-range', RTM_SETLINK));
});

test('bad input: an EncodeError naming the field, before anything is sent', async () => {
  throwsAt(() => fdbMessage({ lladdr: 'nope', dev: 4 }, 4), 'fdb.lladdr', /MAC address/);
  throwsAt(() => fdbMessage({ lladdr: '02:00:00:00:00:01', dev: 4, vlan: 4096 }, 4), 'fdb.vlan', /0 to 4095/);
  throwsAt(() => fdbMessage({ lladdr: '02:00:00:00:00:01', dev: 4, state: 'old' as never }, 4), 'fdb.state', /'permanent', 'static' or 'dynamic'/);
  throwsAt(() => fdbMessage({ lladdr: '02:00:00:00:00:01', dev: 4, nhid: 3, dst: '198.18.0.1' }, 4), 'fdb.nhid', /mutually exclusive/);
  throwsAt(() => fdbMessage({ lladdr: '02:00:00:00:00:01', dev: 4, vni: 2 ** 24 }, 4), 'fdb.vni', /0 to 16777215/);
  throwsAt(() => bridgeVlanMessage(4, { dev: 4, vid: 0 }), 'vlan.vid', /1 to 4094/);
  throwsAt(() => bridgeVlanMessage(4, { dev: 4, vid: 30, vidEnd: 20 }), 'vlan.vidEnd', /31 to 4094/);
  throwsAt(() => bridgeVlanMessage(4, { dev: 4, vid: 10, vidEnd: 20, pvid: true }), 'vlan.pvid', /range/);
  throwsAt(() => bridgeVlanMessage(4, { dev: 4, vid: 10, vidEnd: 12, tunnelId: 100, tunnelIdEnd: 101 }), 'vlan.tunnelIdEnd', /as long as/);
  throwsAt(() => bridgePortMessage(4, { learnin: true } as never), 'port.learnin', /unknown port option/);
  throwsAt(() => wireBytes(bridgePortRequest(bridgePortMessage(4, { cost: -1 }), 4)), 'bridge.protinfo.cost', /./);
  await refusedBeforeSending((nl) => nl.bridge.fdb.add({ lladdr: '02:00:00:00:00:01', dev: 'nlts-v0', port: 70000 }), /0 to 65535/, 'fdb.port');
  await refusedBeforeSending((nl) => nl.bridge.vlan.add({ dev: 'nlts-v0', vid: 5000 }), /1 to 4094/, 'vlan.vid');
  await refusedBeforeSending((nl) => nl.bridge.link.set('nlts-v0', { state: 'sleeping' as never }), /./, 'port.protinfo.state');
});

test('CLI words: bridge\'s refusals', () => {
  assert.throws(() => parseFdbModify(['02:00:00:00:00:01']), /Device and address are required/);
  assert.throws(() => parseVlanModify(['dev', 'x']), /Device and VLAN ID are required/);
  assert.throws(() => parseLinkSet(['learning', 'maybe', 'dev', 'x']), /learning: expected "on" or "off"/);
  assert.throws(() => parseLinkSet(['dev', 'x', 'hwmode', 'hub']), /"vepa" or "veb"/);
  assert.throws(() => parseLinkSet(['dev', 'x', 'state', 'sleeping']), /invalid STP port state/);
});

/** A message built with a schema and decoded again, as a dump would hand it over. */
function roundTrip<T>(schema: { encodePayload(w: NetlinkWriter, v: never, p: string): void }, value: unknown, type: number, decode: (b: Buffer, s: number, l: number) => T | undefined): T {
  const w = new NetlinkWriter();
  const start = w.beginMessage(type, 0, 1, 0);
  schema.encodePayload(w, value as never, 'x');
  w.endMessage(start);
  const buf = w.toBuffer();
  return decode(buf, 0, buf.length)!;
}

test('mdb: a dump message decodes into entries (the struct, then its attributes) and prints as bridge prints it', () => {
  const m = roundTrip(mdbMessage_, { family: 'bridge', ifindex: 2, mdb: { entries: [
    { info: [{ port: 4, state: 'permanent', flags: 0, vid: 10, grp: '239.1.1.1' }] },
    { info: [{ port: 4, state: 'temp', flags: 2, vid: 0, grp: 'ff0e::5', timer: 25798 }] },
    { info: [{ port: 3, state: 'permanent', flags: 0, vid: 0, grp: '01:00:5e:01:01:01' }] },
  ] } }, RTM_NEWMDB, decodeMdb);
  const rows = mdbEntries(m).map((e) => mdbRow({ bridge: m.ifindex, ...e }, { name: (i) => ['', 'lo', 'nlts-br0', 'nlts-v1', 'nlts-v0'][i]!, stats: true }));
  assert.equal(rows.map((r) => r.text), [
    'dev nlts-br0 port nlts-v0 grp 239.1.1.1 permanent vid 10',
    'dev nlts-br0 port nlts-v0 grp ff0e::5 temp fast_leave  257.98',
    'dev nlts-br0 port nlts-v1 grp 01:00:5e:01:01:01 permanent',
  ]);
  assert.equal(rows[1]!.json, { index: 2, dev: 'nlts-br0', port: 'nlts-v0', grp: 'ff0e::5', state: 'temp', flags: ['fast_leave'], timer: ' 257.98' });
  throwsAt(() => wireBytes(mdbRequest('add', mdbMessage('add', { dev: 2, port: 4, grp: '239.1.1' }, 2, 4))), 'mdb.entry.grp', /./);
  throwsAt(() => mdbMessage('add', { dev: 2, port: 4, grp: '239.1.1.1', vid: 5000 }, 2, 4), 'mdb.vid', /0 to 4094/);
});

test('printing: an fdb entry, a port\'s VLAN ranges and tunnel maps as bridge prints them', () => {
  const e = roundTrip(neighbourMessage, { family: 'bridge', ifindex: 5, state: ['noarp', 'permanent'], flags: ['self'], lladdr: '00:00:00:00:00:00', address: '198.18.0.2', port: 4790, vni: 100 }, RTM_NEWNEIGH, decodeNeighbour);
  const row = fdbRow(e, { name: (i) => (i === 5 ? 'nlts-vx0' : `if${i}`), oneDev: false, stats: false, hz: 100 });
  assert.is(row.text, '00:00:00:00:00:00 dev nlts-vx0 dst 198.18.0.2 port 4790 vni 100 self permanent');
  assert.equal(row.json, { mac: '00:00:00:00:00:00', ifname: 'nlts-vx0', dst: '198.18.0.2', port: 4790, vni: 100, flags: ['self'], state: 'permanent' });
  const port = roundTrip(bridgeLinkMessage, {
    family: 'bridge', index: 4, afSpec: {
      vlanInfo: [{ flags: 6, vid: 1 }, { flags: 8, vid: 10 }, { flags: 16, vid: 20 }, { flags: 4, vid: 30 }],
      vlanTunnelInfo: [{ id: 1000, vid: 100, flags: 0 }, { id: 2000, vid: 200, flags: ['range_begin'] }, { id: 2002, vid: 202, flags: ['range_end'] }],
    },
  }, 16, decodeBridgeLink);
  const ctx = { name: () => 'nlts-v0' };
  assert.is(`${VLAN_HEADING}\n${vlanRows(port, ctx)!.text}`, [
    'port              vlan-id  ', 'nlts-v0           1 PVID Egress Untagged', '                  10-20', '                  30 Egress Untagged'].join('\n'));
  assert.equal(vlanRows(port, ctx)!.json, { ifname: 'nlts-v0', vlans: [{ vlan: 1, flags: ['PVID', 'Egress Untagged'] }, { vlan: 10, vlanEnd: 20 }, { vlan: 30, flags: ['Egress Untagged'] }] });
  assert.equal(vlanRows(port, ctx, 30)!.json, { ifname: 'nlts-v0', vlans: [{ vlan: 30, flags: ['Egress Untagged'] }] });
  assert.is(`${TUNNEL_HEADING}\n${tunnelRows(port, ctx)!.text}`, [
    'port              vlan-id    tunnel-id', 'nlts-v0           100        1000', '                  200-202    2000-2002'].join('\n'));
});

test.run();
