// The CLI against iproute2: `netlink-ts link show --json` equals `ip -j link
// show` (also with -s and -d), and every `link add|set|del` command line
// leaves the kernel in the same state as `ip link` with the same words.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { linkExists } from '../helpers/links.js';
import { waitFor, waitForLinksSettled } from '../helpers/settle.js';
import { ip, ipJson, realRootTest, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

type Obj = Record<string, unknown>;

function removeAll(): void {
  const names = ipJson<{ ifname: string }[]>('link', 'show').map((l) => l.ifname).filter((n) => n.startsWith('nlts-'));
  // One batch; deleting a veth end takes its peer along, so later deletes of it may fail (-force goes on).
  if (names.length) spawnSync('ip', ['-force', '-batch', '-'], { input: names.map((n) => `link del ${n}`).join('\n') });
  if (existsSync('/run/netns/nlts-ns2')) ip('netns', 'del', 'nlts-ns2');
}

/**
 * A deleted namespace is torn down by the kernel later (cleanup_net), and
 * keeps its nsid until then: a namespace made meanwhile would get the next
 * id, and the link_netnsid the two runs show would differ. Wait until no id
 * is left without a name.
 */
async function nsidsReleased(): Promise<void> {
  await waitFor(() => ipJson<{ nsid: number; name?: string }[]>('netns', 'list-id').every((e) => e.name !== undefined), { what: 'the nsid of a deleted namespace to be released' });
}

/** Timers, random MACs and indexes differ from run to run; the rest must not. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value as Obj)) {
    if (['ifindex', 'link_index', 'bridge_id', 'root_id', 'gc_timer', 'hello_timer', 'tcn_timer', 'topology_change_timer'].includes(k)) continue;
    if ((k === 'address' || k === 'permaddr') && typeof v === 'string' && !v.startsWith('02:00:00')) continue;
    out[k] = normalize(v);
  }
  return out;
}

realRootTest('link show --json equals ip -j link show, with -s and -d, on links of every kind', async () => {
  removeAll();
  const setup = [
    'link add nlts-c0 type veth peer name nlts-c1',
    'link add nlts-cbr type bridge',
    'link set nlts-c0 master nlts-cbr',
    'link set dev nlts-c0 type bridge_slave cost 7 flood off group_fwd_mask 0x4001',
    'link add nlts-cmv link nlts-c1 type macvlan mode bridge',
    'link add nlts-cvx type vxlan id 42 remote 198.18.0.2 local 198.18.0.1 dev nlts-c1 dstport 4789 srcport 5000 6000 ttl 9',
    'link add nlts-cvx6 type vxlan id 43 local fd00::1 group ff05::9 dev nlts-c1 dstport 4790',
    'link add nlts-cifb type ifb',
    'tuntap add dev nlts-ctap mode tap',
    'tuntap add dev nlts-ctun mode tun',
    'link set nlts-ctun up',
    'netns add nlts-ns2',
    'link add nlts-c2 type veth peer name nlts-c3 netns nlts-ns2',
    'link property add dev nlts-c1 altname nlts-c1-alternative-name',
    'link set nlts-c1 alias uplink group 5 txqlen 500 promisc on',
  ];
  try {
    for (const s of setup) ip(...s.split(' '));
    // nlts-ctun just came up: its operstate follows when the kernel's linkwatch runs.
    await waitForLinksSettled();
    for (const extra of [[], ['-s'], ['-d']]) {
      const theirs = JSON.parse(execFileSync('ip', [...extra, '-j', 'link', 'show'], { encoding: 'utf8' })) as Obj[];
      const mine = JSON.parse(ours(...extra, 'link', 'show', '--json')) as Obj[];
      // Timers tick between the two reads; nothing else may differ.
      const drop = (rows: Obj[]): string => JSON.stringify(rows.map((r) => dropTimers(r)));
      assert.is(drop(mine), drop(theirs), `netlink-ts ${extra.join(' ')} link show --json`);
    }
    for (const filter of [['dev', 'nlts-c0'], ['nlts-c1'], ['up'], ['master', 'nlts-cbr'], ['type', 'veth'], ['type', 'bridge_slave'], ['group', '5']]) {
      const mine = JSON.parse(ours('link', 'show', ...filter, '--json')) as Obj[];
      assert.is(JSON.stringify(mine.map(dropTimers)), JSON.stringify(ipJson<Obj[]>('link', 'show', ...filter).map(dropTimers)), filter.join(' '));
    }
  } finally {
    removeAll();
  }
});

function dropTimers(r: Obj): Obj {
  const info = r.linkinfo as { info_data?: Obj } | undefined;
  if (info?.info_data && 'gc_timer' in info.info_data) info.info_data = { ...info.info_data, gc_timer: 0 };
  if (r.stats64) r.stats64 = normalizeStats(r.stats64 as Obj);
  return r;
}
/** Links that are up see IPv6 chatter; the counters are compared by the stats test in link-verbs. */
function normalizeStats(s: Obj): Obj {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Object.keys(v as Obj)]));
}

/** [setup words for ip..., the link command under test] */
const COMMANDS: [setup: string[], command: string][] = [
  [[], 'add nlts-e0 type veth peer name nlts-e1'],
  [[], 'add nlts-e0 address 02:00:00:00:0e:01 mtu 1400 txqlen 99 type veth peer name nlts-e1 address 02:00:00:00:0e:02 mtu 1300'],
  [['netns add nlts-ns2'], 'add nlts-e0 type veth peer name nlts-e1 netns nlts-ns2'],
  [[], 'add nlts-ebr type bridge stp_state 1 forward_delay 400 hello_time 300 max_age 2500 ageing_time 10000 priority 100 mcast_snooping 0'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'add nlts-emv link nlts-e0 type macvlan mode private'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'add nlts-emv link nlts-e0 type macvlan mode passthru nopromisc'],
  [[], 'add nlts-evx type vxlan id 42 dstport 4789'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'add nlts-evx type vxlan id 100 remote 198.18.0.2 local 198.18.0.1 dev nlts-e0 dstport 4789 ttl 64 tos 0x10 nolearning srcport 5000 6000'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'add nlts-evx type vxlan id 7 group 239.1.1.1 dev nlts-e0 dstport 4789 ageing 120 l2miss'],
  [[], 'add nlts-evx type vxlan id 8 local fd00::1 remote fd00::2 dstport 4789 ttl inherit'],
  [[], 'add nlts-evx type vxlan external dstport 4790 df set'],
  [[], 'add nlts-eifb mtu 1400 txqlen 100 address 02:00:00:00:0e:09 alias hello group 3 type ifb'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'set dev nlts-e0 up'],
  [['link add nlts-e0 type veth peer name nlts-e1', 'link set nlts-e0 up'], 'set nlts-e0 down'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'set dev nlts-e0 mtu 1280 txqlen 64 alias uplink group 7'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'set dev nlts-e0 name nlts-e9'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'set dev nlts-e0 address 02:00:00:00:0e:0a broadcast ff:ff:ff:ff:ff:fe'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'set dev nlts-e0 promisc on arp off multicast off allmulticast on'],
  [['link add nlts-e0 type veth peer name nlts-e1', 'link add nlts-ebr type bridge'], 'set dev nlts-e0 up mtu 1400 master nlts-ebr'],
  [['link add nlts-e0 type veth peer name nlts-e1', 'link add nlts-ebr type bridge', 'link set nlts-e0 master nlts-ebr'], 'set dev nlts-e0 nomaster'],
  [['link add nlts-e0 type veth peer name nlts-e1', 'link add nlts-ebr type bridge', 'link set nlts-e0 master nlts-ebr'], 'set dev nlts-e0 type bridge_slave cost 10 priority 5 learning off flood off hairpin on'],
  [['link add nlts-ebr type bridge'], 'set dev nlts-ebr type bridge ageing_time 20000 hello_time 150'],
  [['link add nlts-e0 type veth peer name nlts-e1', 'netns add nlts-ns2'], 'set dev nlts-e0 netns nlts-ns2'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'set dev nlts-e0 addrgenmode none'],
  [['link add nlts-e0 type veth peer name nlts-e1'], 'del dev nlts-e0'],
  [['link add nlts-e0 group 9 type ifb', 'link add nlts-e1 group 9 type ifb', 'link add nlts-e2 type ifb'], 'del group 9'],
];

for (const [setup, command] of COMMANDS) {
  test(`netlink-ts link ${command} leaves the kernel as ip link ${command.split(' ')[0]} does`, async () => {
    const states: string[] = [];
    for (const tool of ['ip', 'netlink-ts']) {
      try {
        for (const s of setup) ip(...s.split(' '));
        if (tool === 'ip') ip('link', ...command.split(' '));
        // In this process: the same main() the binary runs, without a Node start per command.
        else assert.is(await main(['link', ...command.split(' ')]), 0);
        // A link set up or down: its operstate (and ip's NO-CARRIER) follows when the kernel's linkwatch runs.
        await waitForLinksSettled();
        const inMain = ipJson('-d', 'link', 'show');
        const other = setup.some((s) => s.includes('netns add')) ? ipJson('-n', 'nlts-ns2', '-d', 'link', 'show') : [];
        states.push(JSON.stringify(normalize({ main: inMain, other })));
      } finally {
        removeAll();
        await nsidsReleased();
      }
    }
    assert.is(states[1], states[0]);
  });
}

test('CLI errors: bad names and unknown words are refused before anything is sent; kernel errors are shown', () => {
  const fails = (args: string[], message: RegExp, code: number): void => {
    try {
      ours(...args);
      assert.unreachable(args.join(' '));
    } catch (err) {
      const e = err as { status: number; stderr: string };
      assert.is(e.status, code, args.join(' '));
      assert.match(e.stderr, message);
    }
  };
  // Statuses: 255 for words we cannot use (ip's exit(-1)), 1 for a missing device, 2 for what the kernel refused.
  fails(['link', 'add', 'nlts-this-is-far-too-long', 'type', 'ifb'], /not a valid interface name/, 255);
  fails(['link', 'add', 'nlts-x', 'type', 'vxlan', 'id', '1', 'dstprt', '4789'], /vxlan: unknown option "dstprt"/, 255);
  fails(['link', 'add', 'nlts-x', 'type', 'gtp'], /unknown link kind "gtp"/, 1);
  fails(['link', 'add', 'nlts-x'], /needs "type KIND"/, 255);
  fails(['link', 'del', 'nlts-absent'], /^netlink-ts: link del nlts-absent: Cannot find device "nlts-absent"\n$/, 1);
  fails(['link', 'add', 'nlts-x', 'type', 'vlan', 'id', '5'], /Unknown device type/, 2);
  assert.not.ok(linkExists('nlts-x'));
});

test.run();
