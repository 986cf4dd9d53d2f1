// The link CLI's words and JSON without a kernel: what iproute2 would build
// for a command line, the usage errors it gives, and ip -j's shapes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/cli/args.js';
import { linkToIpJson, linkToText } from '../../src/cli/ip-json/link.js';
import { linkDetailsJson } from '../../src/cli/ip-json/link-details.js';
import { type LinkArgsContext, parseLinkCommand } from '../../src/cli/link-args.js';
import type { Link } from '../../src/rtnl/link.js';

const links: Record<string, number> = { lo: 1, 'nlts-v1': 2, 'nlts-v0': 3, 'nlts-br0': 4 };
const ctx: LinkArgsContext = { index: async (n) => links[n] ?? 0, netnsFd: (n) => (n === 'ns' ? 7 : undefined) };
const parse = (verb: 'add' | 'set' | 'del', line: string) => parseLinkCommand(verb, line.split(' '), ctx);

test('iproute2 defaults and orders: vxlan learning on add, ids after the words, name last', async () => {
  const add = await parse('add', 'nlts-vx0 mtu 1400 type vxlan dstport 4789 id 5 dev nlts-v0');
  assert.equal(JSON.stringify(add), JSON.stringify({ verb: 'add', input: {
    mtu: 1400, name: 'nlts-vx0', linkinfo: { kind: 'vxlan', data: { link: 3, id: 5, learning: true, port: 4789 } },
  } }));
  const set = await parse('set', 'dev nlts-v0 type vxlan ttl 9');
  assert.equal(set, { verb: 'set', index: 3, input: { linkinfo: { kind: 'vxlan', data: { ttl: 9 } } } }, 'no learning on set');
});

test('set: header flags, master by name, nomaster, netns by name and pid, rename', async () => {
  assert.equal(await parse('set', 'nlts-v0 up promisc on arp off'), { verb: 'set', index: 3, input: { flags: 0x1 | 0x100 | 0x80, change: 0x1 | 0x100 | 0x80 } });
  assert.equal(await parse('set', 'dev nlts-v0 down multicast off'), { verb: 'set', index: 3, input: { flags: 0, change: 0x1 | 0x1000 } });
  assert.equal(await parse('set', 'dev nlts-v0 master nlts-br0'), { verb: 'set', index: 3, input: { master: 4 } });
  assert.equal(await parse('set', 'dev nlts-v0 nomaster'), { verb: 'set', index: 3, input: { master: 0 } });
  assert.equal(await parse('set', 'dev nlts-v0 netns ns'), { verb: 'set', index: 3, input: { netnsFd: 7 } });
  assert.equal(await parse('set', 'dev nlts-v0 netns 42'), { verb: 'set', index: 3, input: { netnsPid: 42 } });
  assert.equal(await parse('set', 'dev nlts-v0 name nlts-new'), { verb: 'set', index: 3, input: { name: 'nlts-new' } });
  assert.equal(await parse('set', 'nlts-v0 addrgenmode none'), { verb: 'set', index: 3, input: { afSpec: { inet6: { addrGenMode: 'none' } } } });
  assert.equal(await parse('del', 'dev nlts-v0'), { verb: 'del', index: 3 });
  assert.equal(await parse('del', 'group 5'), { verb: 'del', group: 5 });
});

test('kind words: bridge, bridge_slave, macvlan, vlan, bond', async () => {
  const br = await parse('add', 'nlts-b type bridge no_linklocal_learn 1 priority 9 vlan_protocol 802.1ad fdb_flush');
  assert.equal(br, { verb: 'add', input: { name: 'nlts-b', linkinfo: { kind: 'bridge', data: { priority: 9, vlanProtocol: '802.1ad', fdbFlush: true, multiBoolopt: { optval: 1, optmask: 1 } } } } });
  const port = await parse('set', 'dev nlts-v0 type bridge_slave cost 5 backup_port nlts-v1 flood off');
  assert.equal(port, { verb: 'set', index: 3, input: { linkinfo: { kind: 'bridge_slave', slaveData: { cost: 5, backupPort: 2, unicastFlood: false } } } });
  const mv = await parse('add', 'nlts-m link nlts-v0 type macvlan flag nodst mode vepa');
  assert.equal(mv, { verb: 'add', input: { link: 3, name: 'nlts-m', linkinfo: { kind: 'macvlan', data: { mode: 'vepa', flags: ['nodst'] } } } });
  const vl = await parse('add', 'link nlts-v0 name v type vlan id 7 egress-qos-map 1:2 3:4 mvrp on');
  assert.equal(vl, { verb: 'add', input: { link: 3, name: 'v', linkinfo: { kind: 'vlan', data: { id: 7, egressQos: { mapping: [{ from: 1, to: 2 }, { from: 3, to: 4 }] }, flags: { flags: ['mvrp'], mask: ['mvrp'] } } } } });
  const bo = await parse('add', 'nlts-b type bond mode 4 xmit_hash_policy layer3+4 primary nlts-v1 clear_active_slave');
  assert.equal(bo, { verb: 'add', input: { name: 'nlts-b', linkinfo: { kind: 'bond', data: { mode: '802.3ad', xmitHashPolicy: 'layer3+4', primary: 2, activeSlave: 0 } } } });
});

test('usage errors name the word', async () => {
  const cases: ['add' | 'set' | 'del', string, RegExp][] = [
    ['add', 'nlts-x', /needs "type KIND"/],
    ['add', 'nlts-x type vxlan dstport 4789', /missing virtual network identifier/],
    ['add', 'nlts-x type vxlan id 1 group 239.1.1.1', /"group" requires "dev"/],
    ['add', 'nlts-x type vxlan id 1 remote 239.1.1.1', /invalid remote address/],
    ['add', 'nlts-x type vxlan id 16777216', /a VNI has 24 bits/],
    ['add', 'nlts-x type vxlan id 1 local fd00::1 remote 198.18.0.1', /invalid address "198\.18\.0\.1" \(the other address is IPv6\)/],
    ['add', 'nlts-x type macvlan mode nodst', /invalid mode "nodst"/],
    ['add', 'nlts-x type macvlan nopromisc', /only valid in passthru mode/],
    ['add', 'nlts-x type veth name y', /expected "peer/],
    ['add', 'nlts-x type veth peer name y type veth', /a veth peer cannot have a "type"/],
    ['add', 'nlts-x type ifb extra', /"ifb" takes no options/],
    ['add', 'nlts-x name nlts-y type ifb', /"name" and "dev" cannot both be used/],
    ['add', 'group 3', /"group" cannot be used when creating links/],
    ['add', 'b type ifb', /invalid broadcast "type"/],
    ['add', 'nlts-0123456789abcdef type ifb', /not a valid interface name/],
    ['set', 'nlts-v0 mtu 1400 mtu 1500', /"mtu" given twice/],
    ['set', 'nlts-v0 promisc maybe', /promisc: expected "on" or "off"/],
    ['set', 'nlts-v0 mtu big', /invalid "mtu" value "big"/],
    ['set', 'nlts-v0 master nlts-nothere', /master: cannot find device "nlts-nothere"/],
    ['set', 'nlts-v0 netns nowhere', /no namespace named "nowhere"/],
    ['set', 'nlts-v0 xdp obj x.o', /"xdp" is not supported/],
    ['set', 'nlts-v0 nlts-v1', /"dev" given twice/],
    ['set', 'up', /"dev" is required/],
    ['set', 'group 4 up', /"group" without "dev" is not supported/],
    ['set', 'nlts-v0 type bond mode fast', /invalid mode "fast"/],
    ['set', 'nlts-v0 type bridge bogus 1', /bridge: unknown option "bogus"/],
    ['set', 'nlts-v0 mtu', /"mtu" needs a value/],
    ['del', 'nlts-v0 mtu 1400', /only "dev NAME" or "group N"/],
  ];
  for (const [verb, line, message] of cases) {
    const err = await parse(verb, line).then(() => undefined, (e: unknown) => e);
    assert.instance(err, UsageError, line);
    assert.match((err as Error).message, message, `${line}: ${(err as Error).message}`);
  }
});

const base = { family: 'unspec', index: 5, flags: ['broadcast', 'multicast', 'up'], change: [] } as unknown as Link;

test('ip -j shapes: parent null, unknown parent if<N> with M-DOWN, other-namespace peer, point-to-point, tunnels', () => {
  const linkOf = (i: number): Link | undefined => (i === 2 ? { ...base, index: 2, name: 'p', flags: ['up'] } as Link : undefined);
  assert.equal(linkToIpJson({ ...base, name: 'a', link: 0, type: 'ether' } as Link, { linkOf }).link, null);
  const unknown = linkToIpJson({ ...base, name: 'a', link: 9, master: 8, type: 'ether' } as Link, { linkOf });
  assert.equal([unknown.link, unknown.master, (unknown.flags as string[]).at(-1)], ['if9', 'if8', 'M-DOWN']);
  const known = linkToIpJson({ ...base, name: 'a', link: 2, type: 'ether' } as Link, { linkOf });
  assert.equal([known.link, (known.flags as string[]).includes('M-DOWN')], ['p', false]);
  const far = linkToIpJson({ ...base, name: 'a', link: 2, linkNetnsid: 0, type: 'ether' } as Link, { linkOf });
  assert.equal([far.link, far.link_index, far.link_netnsid], [undefined, 2, 0]);
  const gre = linkToIpJson({ ...base, name: 'g', flags: ['pointopoint', 'noarp', '0x800000'], type: 'gre', address: 'c6:12:00:01', broadcast: 'c6:12:00:02' } as Link);
  assert.equal([gre.flags, gre.address, gre.link_pointtopoint, gre.broadcast], [['POINTOPOINT', 'NOARP', '800000'], '198.18.0.1', true, '198.18.0.2']);
  assert.match(linkToText(gre), /link\/gre 198\.18\.0\.1 peer 198\.18\.0\.2/);
  const t = linkToIpJson({ ...base, name: 't', type: 65534, group: 12, alias: 'x', propList: {} } as Link);
  assert.equal([t.link_type, t.group, t.ifalias, t.altnames], ['[65534]', '12', 'x', []]);
  assert.match(linkToText(t), /^5: t: <NO-CARRIER,BROADCAST,MULTICAST,UP> group 12\n    link\/\[65534\] \n    alias x$/);
});

test('ip -d -j details: order, unknown addrgenmode, a kind without printer prints its kind only', () => {
  const d = linkDetailsJson({ ...base, promiscuity: 0, minMtu: 68, linkinfo: { kind: 'veth' }, afSpec: { inet6: { addrGenMode: 9 } }, numTxQueues: 1, physPortId: Buffer.from([0xab, 1]) } as Link, (i) => `if${i}`);
  assert.equal(JSON.parse(JSON.stringify(d)), { promiscuity: 0, min_mtu: 68, linkinfo: { info_kind: 'veth' }, inet6_addr_gen_mode: '0x09', num_tx_queues: 1, phys_port_id: 'ab01' });
  const b = linkDetailsJson({ ...base, linkinfo: { kind: 'bridge' } } as Link, (i) => `if${i}`);
  assert.equal(b.linkinfo, { info_kind: 'bridge', info_data: {} }, 'a kind with a printer prints info_data even when empty');
  const p = linkDetailsJson({ ...base, linkinfo: { slaveKind: 'bridge', slaveData: { state: 7, groupFwdMask: 0x4005, backupPort: 3 } } } as Link, (i) => `if${i}`);
  assert.equal(JSON.parse(JSON.stringify(p.linkinfo)), { info_slave_kind: 'bridge', info_slave_data: { state_index: 7, group_fwd_mask: '0x4005', group_fwd_mask_str: 'stp,lacp,lldp', backup_port: 'if3' } });
});

test.run();
