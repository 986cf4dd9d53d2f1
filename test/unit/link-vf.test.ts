// SR-IOV virtual functions: `link set ... vf N ...` words → IFLA_VFINFO_LIST
// (the bytes against ip's captures are in link-cli-fixtures.test.ts), and a
// link the kernel reports with VFs → the `vfinfo_list` iproute2 6.1's
// print_vfinfo prints. No SR-IOV hardware here: the kernel's side of this
// rests on these bytes (docs/links.md).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { linkToIpJson } from '../../src/cli/ip-json/link.js';
import { parseLinkCommand } from '../../src/cli/link-args.js';
import { RTM_NEWLINK } from '../../src/generated/linux/rtnetlink.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { type LinkInput, decodeLink, linkMessage } from '../../src/rtnl/link.js';
import { UsageError } from '../../src/rtnl/words.js';

const ctx = { index: async () => 3, netnsFd: () => undefined };

function roundTrip(input: LinkInput) {
  const w = new NetlinkWriter();
  const at = w.beginMessage(RTM_NEWLINK, 0, 0, 0);
  linkMessage.encodePayload(w, input);
  w.endMessage(at);
  const buf = w.toBuffer();
  return decodeLink(buf, 0, buf.length)!;
}

test('vf words → the kernel\'s report of the same VF → vfinfo_list as ip prints it', async () => {
  const set = await parseLinkCommand('set', ['dev', 'eth0', 'vf', '1', 'mac', '02:00:00:00:00:11', 'vlan', '100', 'qos', '3', 'spoofchk', 'off', 'trust', 'on', 'state', 'enable', 'query_rss', 'on', 'max_tx_rate', '500', 'min_tx_rate', '100'], ctx);
  if (set.verb !== 'set') throw new Error(set.verb);
  const vf = set.input.vfinfoList!.info![0]!;
  assert.equal(Object.keys(vf), ['mac', 'vlan', 'spoofchk', 'trust', 'linkState', 'rssQueryEn', 'rate'], 'in the order ip adds them');
  // What the kernel sends back for it: every struct, the legacy rate too, broadcast, and IFLA_NUM_VF.
  const l = roundTrip({
    family: 'unspec', index: 3, name: 'eth0', type: 'ether', flags: ['broadcast'], numVf: 1,
    vfinfoList: { info: [{ ...vf, txRate: { vf: 1, rate: 0 }, broadcast: { broadcast: [255, 255, 255, 255, 255, 255] } }] },
  });
  assert.equal(linkToIpJson(l, {}).vfinfo_list, [{
    vf: 1, link_type: 'ether', address: '02:00:00:00:00:11', broadcast: 'ff:ff:ff:ff:ff:ff', vlan: 100, qos: 3,
    rate: { max_tx: 500, min_tx: 100 }, spoofchk: false, link_state: 'enable', trust: true, query_rss_en: true,
  }]);
});

test('vlan lists with 802.1ad, GUIDs, unsupported settings; no list without IFLA_NUM_VF', async () => {
  const set = await parseLinkCommand('set', ['dev', 'ib0', 'vf', '0', 'vlan', '10', 'proto', '802.1ad', 'vlan', '20', 'node_guid', '00:11:22:33:44:55:66:77'], ctx);
  if (set.verb !== 'set') throw new Error(set.verb);
  const vf = set.input.vfinfoList!.info![0]!;
  const l = roundTrip({
    family: 'unspec', index: 3, name: 'eth0', type: 'ether', flags: [], numVf: 1,
    vfinfoList: { info: [{ mac: { vf: 0, mac: [2, 0, 0, 0, 0, 1] }, ...vf, txRate: { vf: 0, rate: 10 }, spoofchk: { vf: 0, setting: 0xffffffff } }] },
  });
  assert.equal(linkToIpJson(l, {}).vfinfo_list, [{
    vf: 0, link_type: 'ether', address: '02:00:00:00:00:01', vlan_list: [{ vlan: 10, protocol: '802.1ad' }, { vlan: 20 }], tx_rate: 10, 'node guid': '00:11:22:33:44:55:66:77',
  }]);
  const { numVf: _, ...without } = l;
  assert.is(linkToIpJson(without, {}).vfinfo_list, undefined);
});

test('bad vf words are refused in ip\'s words before anything is sent', async () => {
  const bad: string[][] = [
    ['vf', 'x', 'mac', '02:00:00:00:00:01'], ['vf', '0'], ['vf', '0', 'vlan', '4096'], ['vf', '0', 'vlan', '5', 'proto', 'ipx'],
    ['vf', '0', 'state', 'maybe'], ['vf', '0', 'node_guid', '00:11'], ['vf', '0', 'max_tx_rate', '10'], ['vf', '0', 'max_tx_rate', '10', 'min_tx_rate', '20'],
    ['vf', '0', 'mac', 'zz'],
  ];
  for (const words of bad) {
    await parseLinkCommand('set', ['dev', 'eth0', ...words], ctx).then(() => assert.unreachable(words.join(' ')), (err: Error) => assert.instance(err, UsageError, words.join(' ')));
  }
});

test.run();
