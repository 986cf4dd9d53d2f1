// The everyday forms against iproute2 on the same state: -br, -o and -c text
// byte for byte, abbreviations, errors that name what was typed with ip's
// exit statuses, and `netns delete -all` limited by --prefix or only listed
// with --dry-run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitForLinksSettled } from '../helpers/settle.js';
import { ip, realRootTest, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const ours = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });
const theirs = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

realRootTest('-br and -o print what ip prints, byte for byte', async () => {
  const setup = [
    'link add nlts-d0 type veth peer name nlts-d1', 'link set nlts-d0 up', 'link set nlts-d1 up', 'link set lo up',
    'address add 198.18.7.1/24 dev nlts-d0', 'address add fd00::7:1/64 dev nlts-d0 nodad',
    'tuntap add dev nlts-dtun mode tun', 'address add 198.18.8.1 peer 198.18.8.2/32 dev nlts-dtun',
    'route add 198.19.7.0/24 via 198.18.7.2', 'neigh add 198.18.7.2 lladdr 02:00:00:00:00:07 dev nlts-d0',
  ];
  try {
    for (const s of setup) ip(...s.split(' '));
    await waitForLinksSettled();
    // IPv6 duplicate address detection ends on its own: compare only once the link-local addresses are settled.
    for (let i = 0; i < 200 && theirs('-6', 'address').includes('tentative'); i++) await new Promise((r) => setTimeout(r, 50));
    for (const args of [['-br', 'link'], ['-br', 'address'], ['-br', '-4', 'address'], ['-brief', 'link', 'show', 'nlts-d0'],
      ['-o', 'link'], ['-oneline', 'address'], ['-o', '-4', 'address', 'show', 'dev', 'nlts-d0'], ['-o', 'route'], ['-o', 'neigh'], ['-br', 'neigh'], ['-br', 'neigh', 'show', 'dev', 'nlts-d0'],
      ['-br', '-o', 'address'], ['a'], ['r'], ['n'], ['ro', 'sh'], ['l', 'sh', 'nlts-d0'],
      // -c alone colours even into a pipe, as ip (ip(8): "If parameter is omitted or always"); auto does not.
      ['-c', 'link'], ['-color', 'address'], ['-c', '-br', 'link'], ['-c', '-br', 'address'], ['-c', '-o', 'address'], ['-c', '-o', 'link'],
      ['-c=always', 'link'], ['-c=auto', 'address'], ['-c=never', 'link']]) {
      const mine = ours(...args);
      assert.is(mine.status, 0, `${args.join(' ')}: ${mine.stderr}`);
      assert.is(mine.stdout, theirs(...args), `netlink-ts ${args.join(' ')}`);
    }
  } finally {
    spawnSync('ip', ['link', 'del', 'nlts-d0']);
    spawnSync('ip', ['link', 'del', 'nlts-dtun']);
  }
});

realRootTest('errors name what was typed, with the kernel text, and exit as ip does', () => {
  ip('link', 'add', 'nlts-e0', 'type', 'veth', 'peer', 'name', 'nlts-e1');
  try {
    const cases: [string[], string, number][] = [
      [['link', 'set', 'dev', 'nlts-absent', 'down'], 'netlink-ts: link set dev nlts-absent down: Cannot find device "nlts-absent"\n', 1],
      [['address', 'add', '198.18.9.1/24', 'dev', 'nlts-absent'], 'netlink-ts: address add 198.18.9.1/24 dev nlts-absent: Cannot find device "nlts-absent"\n', 1],
      [['link', 'set', 'nlts-e0', 'mtu', '99999999'], 'netlink-ts: link set nlts-e0 mtu 99999999: EINVAL (invalid argument): mtu greater than device maximum\n', 2],
      [['link', 'add', 'nlts-e0', 'type', 'veth', 'peer', 'name', 'nlts-e1'], 'netlink-ts: link add nlts-e0 type veth peer name nlts-e1: EEXIST (file already exists)\n', 2],
    ];
    for (const [args, message, status] of cases) {
      const r = ours(...args);
      assert.is(r.stderr, message, args.join(' '));
      assert.is(r.status, status, args.join(' '));
      // ip's status for the same words.
      assert.is(spawnSync('ip', args).status, status, `ip ${args.join(' ')}`);
    }
  } finally {
    spawnSync('ip', ['link', 'del', 'nlts-e0']);
  }
});

realRootTest('netns delete -all: --dry-run lists, --prefix limits, and -all netns delete is ip\'s spelling', () => {
  const names = ['nlts-keep', 'nlts-go-a', 'nlts-go-b'];
  for (const n of names) ip('netns', 'add', n);
  try {
    const dry = ours('netns', 'delete', '-all', '--prefix', 'nlts-go-', '--dry-run');
    assert.is(dry.status, 0, dry.stderr);
    assert.equal(dry.stdout.split('\n').filter(Boolean).sort(), ['nlts-go-a', 'nlts-go-b']);
    assert.ok(names.every((n) => existsSync(`/run/netns/${n}`)), 'a dry run removes nothing');
    const del = ours('netns', 'delete', '-all', '--prefix', 'nlts-go-');
    assert.is(del.status, 0, del.stderr);
    assert.not.ok(existsSync('/run/netns/nlts-go-a') || existsSync('/run/netns/nlts-go-b'));
    assert.ok(existsSync('/run/netns/nlts-keep'), 'a name outside the prefix stays');
    assert.is(ours('netns', 'delete', '-all', '--prefix').status, 255, '--prefix needs a value');
    const all = ours('-all', 'netns', 'delete');
    assert.is(all.status, 0, all.stderr);
    assert.not.ok(existsSync('/run/netns/nlts-keep'));
  } finally {
    for (const n of names) if (existsSync(`/run/netns/${n}`)) spawnSync('ip', ['netns', 'del', n]);
  }
});

test.run();
