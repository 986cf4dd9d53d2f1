import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import type { Rtnl } from '../../src/client.js';
import { decodeEncap } from '../../src/rtnl/lwtunnel.js';
import { cli } from '../helpers/cli-path.js';
import { ip, requireIsolation } from '../helpers/sh.js';
import { withVeth } from '../helpers/veth.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

const withLinks = (fn: (nl: Rtnl) => Promise<void>): (() => Promise<void>) => withVeth('nlts-e0', 'nlts-e1', fn, {
  setup: () => {
    ip('addr', 'add', '198.18.0.1/24', 'dev', 'nlts-e0');
    ip('addr', 'add', 'fd00::1/64', 'dev', 'nlts-e0', 'nodad');
  },
});

// This kernel has the ip and ip6 encapsulations (collect_md tunnels' metadata); mpls, seg6 and seg6local
// are modules it lacks (docs/routes-encap.md): those rest on the captured bytes.

test('ip and ip6 encap: added by netlink-ts, ip prints them; added by ip, read typed; CLI output equals ip\'s', withLinks(async (nl) => {
  await nl.route.add({ dst: '198.18.2.0/24', encap: { type: 'ip', id: 5n, dst: '198.18.0.9', ttl: 3, tos: 4, flags: ['key', 'csum'] }, dev: 'nlts-e0' });
  await nl.route.add({ dst: 'fd00:2::/64', encap: { type: 'ip6', id: 6, src: 'fd00::1', dst: 'fd00::9', hoplimit: 3, tc: 2, flags: ['seq'] }, dev: 'nlts-e0' });
  ours('route', 'add', '198.18.3.0/24', 'encap', 'ip', 'id', '0x10', 'src', '198.18.0.1', 'dst', '198.18.0.8', 'seq', 'dev', 'nlts-e0');
  ip('route', 'add', '198.18.4.0/24', 'encap', 'ip', 'id', '77', 'dst', '198.18.0.7', 'ttl', '9', 'csum', 'dev', 'nlts-e0');
  assert.match(ip('route', 'show', '198.18.2.0/24'), /^198\.18\.2\.0\/24 {2}encap ip id 5 src 0\.0\.0\.0 dst 198\.18\.0\.9 ttl 3 tos 4 key csum dev nlts-e0/);
  assert.match(ip('-6', 'route', 'show', 'fd00:2::/64'), /encap ip6 id 6 src fd00::1 dst fd00::9 hoplimit 3 tc 2 seq dev nlts-e0/);
  for (const args of [['route', 'show'], ['-6', 'route', 'show'], ['route', 'show', '198.18.3.0/24']]) assert.is(ours(...args), ip(...args), args.join(' '));
  // ip -j repeats "dst" and "src" in one object; what a JSON reader gets of it is what we print.
  for (const args of [['-j', 'route', 'show'], ['-j', '-6', 'route', 'show']]) assert.equal(JSON.parse(ours(...args)), JSON.parse(ip(...args)), args.join(' '));
  const routes = await nl.route.list({ family: 'inet' } as never);
  const r4 = routes.find((r) => r.dst === '198.18.4.0')!;
  assert.is(r4.encapType, 'ip');
  assert.equal(decodeEncap(r4.encapType, r4.encap!), { type: 'ip', id: 77, src: '0.0.0.0', dst: '198.18.0.7', ttl: 9, tos: 0, flags: ['csum'] });
}));

test.run();
