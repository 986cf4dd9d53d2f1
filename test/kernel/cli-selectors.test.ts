// The show selectors of ip address/route/rule, the rule idioms `from all` and
// `to all`, and route add|get tos/ipproto, against iproute2 on the same state:
// our text and -j equal to ip's, byte for byte, and the same exit status.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { waitForLinksSettled, waitForNoTentative } from '../helpers/settle.js';
import { ip, realRootTest, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const ours = (args: readonly string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });
const theirs = (args: readonly string[], tool = 'ip') => spawnSync(tool, args, { encoding: 'utf8' });

/** Our stdout and exit status equal ip's (or tc's), for the words as given and with -j. */
function same(line: string, json = true, tool = 'ip'): void {
  const forms = json ? [line, `-j ${line}`] : [line];
  for (const form of forms) {
    const args = form.split(' ');
    const [m, t] = [ours(args), theirs(args, tool)];
    assert.is(m.stdout, t.stdout, `netlink-ts ${form} (stderr: ${m.stderr})`);
    assert.is(m.status, t.status, `exit status of ${form}: ${m.stderr}`);
  }
}

const SETUP = [
  'link set lo up', 'link add nlts-s0 type veth peer name nlts-s1', 'link add nlts-sbr type bridge',
  'link set nlts-s1 master nlts-sbr', 'link set nlts-s0 up', 'link set nlts-s1 up', 'link set nlts-sbr up',
  'link add nlts-sdown type veth peer name nlts-sdown1', 'address add 198.18.30.1/24 dev nlts-sdown',
  'address add 198.18.20.1/24 dev nlts-s0', 'address add 198.18.20.2/24 dev nlts-s0',
  'address add 198.18.20.3/24 dev nlts-s0 label nlts-s0:x', 'address add 198.18.21.1/24 dev nlts-sbr',
  'address add fd00::20:1/64 dev nlts-s0 nodad', 'address add fd00::20:2/64 dev nlts-s0 nodad',
  'route add 198.19.20.0/22 via 198.18.20.254', 'route add 198.19.21.0/24 via 198.18.20.253 src 198.18.20.1',
  'route add 198.19.22.0/24 tos 0x10 dev nlts-s0', 'route add 198.19.23.0/24 dev nlts-s0 metric 55',
  'route add 198.19.24.0/24 dev nlts-s0 realm 7', 'route add 198.19.25.0/24 dev nlts-s0 table 120',
  '-6 route add fd00:21::/64 from fd00:22::/64 via fd00::20:99 dev nlts-s0',
];

realRootTest('address show selectors: up, flags, label, to, master, type, group, -d', async () => {
  try {
    for (const s of SETUP) ip(...s.split(' '));
    await waitForLinksSettled();
    await waitForNoTentative(['lo', 'nlts-s0', 'nlts-s1', 'nlts-sbr']);
    for (const sel of ['up', 'secondary', 'primary', 'dynamic', 'permanent', '-permanent', 'tentative', 'deprecated', 'dadfailed', 'nodad',
      'label nlts-s0:x', 'label nlts-s0*', 'label lo', 'to 198.18.20.0/24', 'to 198.18.20.2', 'to fd00::20:0/112', 'to 198.18',
      'master nlts-sbr', 'nomaster', 'type veth', 'type bridge', 'type bridge_slave', 'group default', 'dev nlts-s0 primary',
      'dev nlts-s0 secondary', 'scope global up', 'up label nlts-s0*', 'nlts-sdown']) {
      same(`address show ${sel}`);
    }
    for (const line of ['-4 address show to 198.18.20.0/24', '-6 address show nodad', '-br address show up', '-o address show secondary']) same(line);
    // -d adds the link details, as ip -d link show has them (JSON; the text of -d is not ours yet).
    // (Not a bridge port's: its timers run on between the two listings.)
    for (const line of ['-j -d address show dev nlts-s0', '-j -d address show to 198.18.20.0/24', '-j -d address show type bridge']) same(line, false);
    // A link that does not exist: ip's words and status 1.
    const r = ours(['address', 'show', 'master', 'nlts-absent']);
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stderr, 'nlts-absent');
  } finally {
    for (const l of ['nlts-s0', 'nlts-sbr', 'nlts-sdown']) spawnSync('ip', ['link', 'del', l]);
  }
});

realRootTest('route show selectors: root, match, exact, via, src, from, tos, metric, realms; a missing table', async () => {
  try {
    for (const s of SETUP) ip(...s.split(' '));
    await waitForLinksSettled();
    for (const sel of ['root 198.19.20.0/22', 'root 198.19.0.0/16', 'match 198.19.21.5', 'match 198.19.21.0/24', 'exact 198.19.21.0/24',
      '198.19.20.0/22', 'to match 198.19.22.9', 'root 0/0', 'match default', 'via 198.18.20.254', 'via 198.18.20.0/24',
      'via inet 198.18.20.253', 'src 198.18.20.1', 'src 198.18.20.0/24', 'tos 0x10', 'tos 10', 'metric 55', 'realms 7', 'table 120',
      'table all root 198.19.0.0/16', 'default', 'dev nlts-s0 root 198.19.0.0/16', 'table nlts-nonexistent']) {
      same(`route show ${sel}`);
    }
    for (const line of ['-6 route show from fd00:22::/64', '-6 route show from root fd00::/16', '-6 route show from match fd00:22::1',
      '-6 route show root fd00::/8', 'route get 198.19.22.1 tos 0x10', 'route get 198.19.22.1 ipproto tcp',
      'route get 198.19.22.1 ipproto udp sport 53 dport 53']) same(line);
    // route add with tos in hex, as ip reads it.
    const add = ours(['route', 'add', '198.19.26.0/24', 'tos', '0x08', 'dev', 'nlts-s0']);
    assert.is(add.status, 0, add.stderr);
    assert.match(execFileSync('ip', ['route', 'show', '198.19.26.0/24'], { encoding: 'utf8' }), 'tos 0x08');
    // A table that does not exist is the kernel's error, as ip reports it (ip -j also prints a lone "[": not copied).
    for (const args of [['route', 'show', 'table', '4242'], ['-6', 'route', 'show', 'table', '4242'], ['-j', 'route', 'show', 'table', '4242']]) {
      const missing = ours(args);
      assert.match(missing.stderr, 'FIB table does not exist', args.join(' '));
      assert.is(missing.status, theirs(args).status, args.join(' '));
      assert.is(missing.stdout, '', args.join(' '));
    }
  } finally {
    for (const l of ['nlts-s0', 'nlts-sbr', 'nlts-sdown']) spawnSync('ip', ['link', 'del', l]);
  }
});

realRootTest('rule add/del from all and -6 to all; rule show from/to selectors', () => {
  const cases = [['rule', 'add', 'from', 'all', 'table', '200', 'pref', '200'], ['rule', 'add', 'from', 'all', 'lookup', '201', 'pref', '201'],
    ['-6', 'rule', 'add', 'to', 'all', 'table', '202', 'pref', '202'], ['-6', 'rule', 'add', 'from', 'all', 'to', 'fd00::/16', 'table', '203', 'pref', '203'],
    ['rule', 'add', 'from', '198.18.0.0/16', 'table', '204', 'pref', '204'],
    ['rule', 'add', 'uidrange', '100-200', 'ipproto', 'tcp', 'sport', '80', 'dport', '90-100', 'protocol', 'static', 'table', '205', 'pref', '205']];
  try {
    for (const c of cases) {
      const r = ours(c);
      assert.is(r.status, 0, `${c.join(' ')}: ${r.stderr}`);
    }
    for (const line of ['rule show', '-6 rule show', 'rule show from all', 'rule show to all', '-6 rule show to all',
      'rule show from 198.18.0.0/16', 'rule show from 198.18.1.1', '-6 rule show to fd00::/16', '-d rule show']) same(line);
    for (const c of [['rule', 'del', 'from', 'all', 'table', '200', 'pref', '200'], ['-6', 'rule', 'del', 'to', 'all', 'table', '202', 'pref', '202']]) {
      const r = ours(c);
      assert.is(r.status, 0, `${c.join(' ')}: ${r.stderr}`);
    }
    assert.not.match(execFileSync('ip', ['rule'], { encoding: 'utf8' }), 'lookup 200');
    assert.not.match(execFileSync('ip', ['-6', 'rule'], { encoding: 'utf8' }), 'lookup 202');
  } finally {
    for (const p of ['200', '201', '204', '205']) spawnSync('ip', ['rule', 'del', 'pref', p]);
    for (const p of ['202', '203']) spawnSync('ip', ['-6', 'rule', 'del', 'pref', p]);
  }
});

realRootTest('tc: filter get, filter and chain show of a shared block, chain show, hex handles and sizes, u32 match mark', () => {
  ip('link', 'add', 'nlts-s0', 'type', 'veth', 'peer', 'name', 'nlts-s1');
  try {
    const run = (...args: string[]): void => {
      const r = ours(args);
      assert.is(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    };
    const tc = (...args: string[]): string => execFileSync('tc', args, { encoding: 'utf8' });
    // tc reads handles with strtoul(…, 16) and sizes with strtod: 0x is allowed.
    run('qdisc', 'add', 'dev', 'nlts-s1', 'root', 'handle', '0x10:', 'htb', 'default', '0x10');
    run('class', 'add', 'dev', 'nlts-s1', 'parent', '0x10:', 'classid', '0x10:0x10', 'htb', 'rate', '1mbit');
    assert.match(tc('qdisc', 'show', 'dev', 'nlts-s1'), 'qdisc htb 10: root');
    assert.match(tc('class', 'show', 'dev', 'nlts-s1'), 'class htb 10:10 root');
    run('qdisc', 'add', 'dev', 'nlts-s0', 'ingress_block', '22', 'clsact');
    run('filter', 'add', 'dev', 'nlts-s1', 'parent', '10:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'mark', '0x10', '0xff', 'flowid', '10:10');
    run('filter', 'add', 'dev', 'nlts-s1', 'parent', '10:', 'protocol', 'ip', 'prio', '2', 'chain', '3', 'u32', 'match', 'ip', 'dst', '198.18.0.0/16', 'flowid', '10:10');
    tc('filter', 'add', 'block', '22', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', '198.18.0.0/16', 'flowid', '1:1');
    tc('chain', 'add', 'dev', 'nlts-s1', 'parent', '10:', 'chain', '7');
    // The kernel took the u32 filter with its mark (without TCA_U32_SEL it refuses: "Selector not specified").
    assert.match(tc('filter', 'show', 'dev', 'nlts-s1', 'prio', '1'), 'fh 800::800');
    for (const line of ['filter show dev nlts-s1', 'filter show dev nlts-s1 chain 3', 'filter show block 22', 'filter show dev nlts-s0 ingress',
      'filter get dev nlts-s1 parent 10: protocol ip prio 1 handle 800::800 u32', 'filter get dev nlts-s1 parent 10: protocol ip prio 2 chain 3 handle 800::800 u32',
      'chain show dev nlts-s1', 'chain show dev nlts-s1 parent 10:', 'chain show block 22', 'chain show dev nlts-s0 ingress']) same(line, true, 'tc');
    const missing = ours(['filter', 'get', 'dev', 'nlts-s1', 'parent', '10:', 'protocol', 'ip', 'prio', '1', 'handle', '800::999', 'u32']);
    assert.is(missing.status, 2);
    assert.match(missing.stderr, 'Specified filter handle not found');
    const refused = ours(['chain', 'add', 'dev', 'nlts-s1', 'parent', '10:', 'chain', '9']);
    assert.is(refused.status, 255);
    assert.match(refused.stderr, 'not in this version');
  } finally {
    spawnSync('ip', ['link', 'del', 'nlts-s0']);
  }
});

test.run();
