import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statsRequest } from '../../src/api/stats.js';
import { statsCommand } from '../../src/cli/commands/stats.js';
import { statsLinkToIpJson, statsLinkToText } from '../../src/cli/ip-json/stats.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { type LinkStatsMessage, decodeLinkStats, statsMessage } from '../../src/rtnl/stats.js';
import { cliRequestTests, comparableRequest, dumpingFake } from '../helpers/cli-fixtures.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';
import { loadFixture, requestOf } from '../helpers/fixtures.js';
import { refusedBeforeSending, wireBytes } from '../helpers/wire.js';

const ZERO = Object.fromEntries(['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_errors', 'tx_errors', 'rx_dropped', 'tx_dropped', 'multicast', 'collisions',
  'rx_length_errors', 'rx_over_errors', 'rx_crc_errors', 'rx_frame_errors', 'rx_fifo_errors', 'rx_missed_errors', 'tx_aborted_errors', 'tx_carrier_errors',
  'tx_fifo_errors', 'tx_heartbeat_errors', 'tx_window_errors', 'rx_compressed', 'tx_compressed', 'rx_nohandler', 'rx_otherhost_dropped'].map((k) => [k, 0])) as never;

const STATS: LinkStatsMessage[] = [
  { family: 'unspec', ifindex: 10, groups: ['link64'], link64: { ...(ZERO as object), rx_bytes: 12345678901, rx_packets: 42, tx_bytes: 9, tx_packets: 1, multicast: 3 } as never },
  { family: 'unspec', ifindex: 11, groups: ['link64'], link64: ZERO },
];

const fake = (): ReturnType<typeof fakeRtnl> => dumpingFake(R.RTM_GETSTATS, R.RTM_NEWSTATS, STATS, (w, s) => statsMessage.encodePayload(w, s));

// The lookup of one device is not a dump: that fixture is checked below with a fake that answers it.
cliRequestTests('stats', statsCommand, () => fakeRtnl((req, reply) => {
  if (req.type !== R.RTM_GETSTATS) return false;
  const asked = statsMessage.decodePayload(req.payload, 0, req.payload.length);
  for (const s of STATS.filter((x) => !asked.ifindex || x.ifindex === asked.ifindex)) reply.data(R.RTM_NEWSTATS, (w) => statsMessage.encodePayload(w, s), asked.ifindex ? 0 : 2);
  if (asked.ifindex) reply.ack(); else reply.done();
  return true;
}), 'first');

test('the typed request is ip\'s: a dump of every device, or a lookup of one, asking for the link group', () => {
  assert.is(comparableRequest(wireBytes(statsRequest(0), true)), comparableRequest(requestOf(loadFixture('stats/show-link.json'), R.RTM_GETSTATS)));
  assert.is(comparableRequest(wireBytes(statsRequest(10))), comparableRequest(requestOf(loadFixture('stats/show-dev-link.json'), R.RTM_GETSTATS)));
});

test('printers: ip stats show group link, JSON and its columns (as wide as the widest number)', async () => {
  const list = await fake().nl.stats.list();
  const ifname = (i: number): string => `nlts-v${i - 10}`;
  assert.equal(statsLinkToIpJson(list[0]!, ifname), {
    ifindex: 10, ifname: 'nlts-v0', group: 'link',
    stats64: { rx: { bytes: 12345678901, packets: 42, errors: 0, dropped: 0, over_errors: 0, multicast: 3 }, tx: { bytes: 9, packets: 1, errors: 0, dropped: 0, carrier_errors: 0, collisions: 0 } },
  });
  assert.is(statsLinkToText(list[0]!, ifname), [
    '10: nlts-v0: group link',
    '    RX:   bytes packets errors dropped  missed   mcast           ',
    '    12345678901      42      0       0       0       3 ',
    '    TX:   bytes packets errors dropped carrier collsns           ',
    '              9       1      0       0       0       0 ',
  ].join('\n'));
  const d = decodeLinkStats(wireBytes(statsRequest(3, ['link64', 'offload'])), 0, 28);
  assert.equal(d?.groups, ['link64', 'offload']);
});

test('bad input is refused before sending', async () => {
  await refusedBeforeSending((nl) => nl.stats.list({ groups: [] }), /non-empty list/, 'stats.groups');
  await refusedBeforeSending((nl) => nl.stats.list({ groups: ['bogus' as 'link64'] }), /./, 'stats.groups');
  await refusedBeforeSending((nl) => nl.stats.list({ dev: 'a/b' }), /not allowed/, 'stats.dev');
});

test.run();
