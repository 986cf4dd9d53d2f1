import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { cli } from '../helpers/cli-path.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';
import { withVeth } from '../helpers/veth.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

// The counters of a veth pair nobody sends on hold still between two reads (an IPv6 router
// solicitation could move them: the pair has no IPv6 here).
test('RTM_GETSTATS: the link group read typed equals ip -j stats; netlink-ts stats show prints what ip prints', withVeth('nlts-g0', 'nlts-g1', async (nl) => {
  for (const d of ['nlts-g0', 'nlts-g1']) execFileSync('sysctl', ['-qw', `net.ipv6.conf.${d}.disable_ipv6=1`]);
  const index = (await nl.link.get('nlts-g0')).index;
  const [mine] = await nl.stats.list({ dev: 'nlts-g0' });
  const [theirs] = ipJson<{ ifindex: number; stats64: { rx: Record<string, number> } }[]>('stats', 'show', 'dev', 'nlts-g0', 'group', 'link');
  assert.is(mine?.ifindex, index);
  assert.is(Number(mine?.link64?.rx_bytes), theirs?.stats64.rx.bytes);
  assert.ok((await nl.stats.list()).some((s) => s.ifindex === index && s.link64 !== undefined), 'the dump lists the pair');
  const offload = await nl.stats.list({ dev: index, groups: ['offload'] });
  assert.is(offload[0]?.link64, undefined);
  for (const args of [['stats', 'show', 'dev', 'nlts-g0', 'group', 'link'], ['-j', 'stats', 'show', 'dev', 'nlts-g1', 'group', 'link']]) {
    assert.is(ours(...args), ip(...args), args.join(' '));
  }
}));

test.run();
