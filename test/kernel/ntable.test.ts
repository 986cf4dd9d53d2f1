import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import type { Rtnl } from '../../src/client.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { cli } from '../helpers/cli-path.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';
import { withVeth } from '../helpers/veth.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const withLinks = (fn: (nl: Rtnl) => Promise<void>): (() => Promise<void>) => withVeth('nlts-t0', 'nlts-t1', fn);

/**
 * What changes on its own between two reads: the randomised reachable time,
 * and with -s the kernel's counters and the "ago" times (printed to the second).
 */
const steady = (s: string, stats: boolean): string => (stats ? s.replace(/\d+/g, 'N') : s.replace(/\breachable("?[: ]+)\d+/g, 'reachable$1N'));

test('netlink-ts ntable show prints what ip ntable show prints, text and -j, with its filters', withLinks(async () => {
  for (const global of [[], ['-j'], ['-4'], ['-6'], ['-s', '-6']]) {
    for (const sel of [[], ['dev', 'nlts-t0'], ['dev', 'none'], ['name', 'arp_cache'], ['dev', 'lo', 'name', 'ndisc_cache']]) {
      const args = [...global, 'ntable', 'show', ...sel];
      assert.is(steady(ours(...args), global.includes('-s')), steady(ip(...args), global.includes('-s')), args.join(' '));
    }
  }
}));

test('change a device\'s parameters with netlink-ts and read them with ip, and the reverse', withLinks(async (nl) => {
  await nl.ntable.change({ name: 'arp_cache', dev: 'nlts-t0', parms: { queueLen: 77, baseReachableTime: 12000, ucastProbes: 5, locktime: 800 } });
  const [theirs] = ipJson<Record<string, unknown>[]>('ntable', 'show', 'dev', 'nlts-t0', 'name', 'arp_cache');
  assert.equal([theirs?.queue, theirs?.base_reachable, theirs?.ucast_probes, theirs?.locktime], [77, 12000, 5, 800]);
  ip('-6', 'ntable', 'change', 'name', 'ndisc_cache', 'dev', 'nlts-t1', 'mcast_probes', '7', 'retrans', '700');
  const index = (await nl.link.get('nlts-t1')).index;
  const [mine] = await nl.ntable.list({ family: 'inet6', dev: 'nlts-t1' });
  assert.equal([mine?.name, mine?.parms?.ifindex, mine?.parms?.mcastProbes, mine?.parms?.retransTime], ['ndisc_cache', index, 7, 700]);
  const tables = await nl.ntable.list({ dev: 'none' });
  assert.equal(tables.map((t) => t.name).sort(), ['arp_cache', 'ndisc_cache']);
  assert.ok(tables.every((t) => t.thresh3 !== undefined && t.config !== undefined && t.stats !== undefined));
  ours('ntable', 'change', 'name', 'arp_cache', 'dev', 'nlts-t0', 'queue', '55');
  assert.is(ipJson<Record<string, unknown>[]>('ntable', 'show', 'dev', 'nlts-t0', 'name', 'arp_cache')[0]?.queue, 55);
  // Thresholds belong to the initial namespace only: elsewhere the kernel answers ENOENT.
  const err = await nl.ntable.change({ name: 'arp_cache', thresh1: 64 }).then(() => undefined, (e: unknown) => e);
  assert.instance(err, NetlinkError);
  assert.is((err as NetlinkError).code, 'ENOENT');
}));

test.run();
