import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type NtableChangeInput, ntableChangeRequest } from '../../src/api/ntables.js';
import { ntableCommand } from '../../src/cli/commands/ntable.js';
import { ntableToIpJson, ntableToText } from '../../src/cli/ip-json/ntable.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { type NtableMessage, decodeNtable, ntableMessage } from '../../src/rtnl/ntable.js';
import { type FakeRtnl } from '../helpers/fake-rtnl.js';
import { cliRequestTests, comparableRequest, dumpingFake } from '../helpers/cli-fixtures.js';
import { loadFixture, requestOf } from '../helpers/fixtures.js';
import { refusedBeforeSending, wireBytes } from '../helpers/wire.js';

const PARMS = { refcnt: 1, reachableTime: 25400, baseReachableTime: 30000, retransTime: 1000, gcStaletime: 60000, delayProbeTime: 5000, queueLen: 101, appProbes: 0, ucastProbes: 3, mcastProbes: 3, anycastDelay: 1000, proxyDelay: 800, proxyQlen: 64, locktime: 1000 };
const TABLES: NtableMessage[] = [
  {
    family: 'inet', name: 'arp_cache', thresh1: 128, thresh2: 512, thresh3: 1024, gcInterval: 30000,
    config: { ndtc_key_len: 4, ndtc_entry_size: 336, ndtc_entries: 2, ndtc_last_flush: 5000, ndtc_last_rand: 0, ndtc_hash_rnd: 7, ndtc_hash_mask: 0x1ff, ndtc_hash_chain_gc: 0, ndtc_proxy_qlen: 0 },
    parms: PARMS,
    stats: { ndts_allocs: 10, ndts_destroys: 8, ndts_hash_grows: 1, ndts_res_failed: 0, ndts_lookups: 100, ndts_hits: 90, ndts_rcv_probes_mcast: 0, ndts_rcv_probes_ucast: 2, ndts_periodic_gc_runs: 3, ndts_forced_gc_runs: 0, ndts_table_fulls: 0 },
  },
  { family: 'inet', name: 'arp_cache', parms: { ifindex: 10, ...PARMS } },
  { family: 'inet6', name: 'ndisc_cache', parms: { ifindex: 11, ...PARMS, locktime: 0 } },
];

const tableFake = (): FakeRtnl => dumpingFake(R.RTM_GETNEIGHTBL, R.RTM_NEWNEIGHTBL, TABLES, (w, t) => ntableMessage.encodePayload(w, t));
const comparable = comparableRequest;

cliRequestTests('ntable', ntableCommand, tableFake);

const INPUTS: [string, NtableChangeInput<number>][] = [
  ['change-dev-queue', { name: 'arp_cache', dev: 10, parms: { queueLen: 77 } }],
  ['change-dev-parms', { name: 'arp_cache', dev: 10, parms: { baseReachableTime: 12000, retransTime: 500, gcStaletime: 30000, delayProbeTime: 4000, appProbes: 1, ucastProbes: 2, mcastProbes: 4, anycastDelay: 900, proxyDelay: 700, proxyQlen: 32, locktime: 800 } }],
  ['change-v6-parms-dev-last', { family: 'inet6', name: 'ndisc_cache', parms: { ucastProbes: 5, ifindex: 11 } }],
  ['change-thresh', { name: 'arp_cache', thresh1: 64, thresh2: 256, thresh3: 512, gcInterval: 20000 }],
  ['change-thresh-parms', { name: 'arp_cache', thresh3: 2048, parms: { queueLen: 50, ifindex: 10 } }],
];
for (const [name, input] of INPUTS) {
  test(`fixture ntable/${name}: the typed input encodes to iproute2's bytes`, () => {
    assert.is(comparable(wireBytes(ntableChangeRequest(input))), comparable(requestOf(loadFixture(`ntable/${name}.json`), R.RTM_SETNEIGHTBL)));
  });
}

test('list filters here by name and device (none: the tables themselves), as ip does', async () => {
  const fake = tableFake();
  assert.is((await fake.nl.ntable.list()).length, 3);
  assert.equal((await fake.nl.ntable.list({ name: 'ndisc_cache' })).map((t) => t.parms?.ifindex), [11]);
  assert.equal((await fake.nl.ntable.list({ dev: 'none' })).map((t) => t.thresh1), [128]);
  assert.equal((await fake.nl.ntable.list({ dev: 'nlts-v0' })).map((t) => t.name), ['arp_cache']);
});

test('printers: ip\'s text and JSON, config and statistics only with -s', () => {
  const ifname = (i: number): string => (i === 10 ? 'nlts-v0' : `if${i}`);
  const w = wireBytes({ type: R.RTM_NEWNEIGHTBL, headerSize: 4, body: (x) => ntableMessage.encodePayload(x, TABLES[0]!) });
  const t = decodeNtable(w, 0, w.length)!;
  const plain = ntableToIpJson(t, { ifname });
  assert.is(ntableToText(plain, t, false), 'inet arp_cache \n    thresh1 128 thresh2 512 thresh3 1024 gc_int 30000 \n    refcnt 1 reachable 25400 base_reachable 30000 retrans 1000 \n    gc_stale 60000 delay_probe 5000 queue 101 \n    app_probes 0 ucast_probes 3 mcast_probes 3 \n    anycast_delay 1000 proxy_delay 800 proxy_queue 64 locktime 1000 \n');
  assert.equal(Object.keys(plain).slice(0, 7), ['family', 'name', 'thresh1', 'thresh2', 'thresh3', 'gc_interval', 'refcnt']);
  const s = ntableToIpJson(t, { ifname, stats: true, now: 1_000_000 });
  assert.is(s.hash_mask, '0x1ff');
  assert.is(s.last_rand, '(error)');
  assert.is(s.allocs, 10);
  const text = ntableToText(s, t, true);
  assert.match(text, /\n {4}config key_len 4 entry_size 336 entries 2 \n {8}last_flush \d{4}-\d\d-\d\d \d\d:\d\d:\d\d last_rand \(error\) \n {8}hash_rnd 7 hash_mask 000001ff hash_chain_gc 0 proxy_qlen 0 \n/);
  assert.match(text, /\n {4}stats allocs 10 destroys 8 hash_grows 1 \n {4}res_failed 0 lookups 100 hits 90 \n {4}rcv_probes_mcast 0 rcv_probes_ucast 2 \n {4}periodic_gc_runs 3 forced_gc_runs 0 \n {4}table_fulls 0 \n$/);
});

test('bad input is refused before sending', async () => {
  await refusedBeforeSending((nl) => nl.ntable.change({ name: 'arp_cache' }), /nothing to change/, 'ntable');
  await refusedBeforeSending((nl) => nl.ntable.change({ name: '', thresh1: 1 }), /needs the table's name/, 'ntable.name');
  await refusedBeforeSending((nl) => nl.ntable.change({ name: 'arp_cache', thresh1: -1 }), /./, 'ntable.thresh1');
  await refusedBeforeSending((nl) => nl.ntable.change({ name: 'arp_cache', parms: { queueLen: 2 ** 40 } }), /./, 'ntable.parms.queueLen');
  await refusedBeforeSending((nl) => nl.ntable.change({ name: 'arp_cache', dev: 'a/b', parms: { queueLen: 1 } }), /not allowed/, 'ntable.dev');
  await refusedBeforeSending((nl) => nl.ntable.change({ name: 'arp_cache', queue: 5 } as never), /unknown field/, 'ntable.queue');
});

test.run();
