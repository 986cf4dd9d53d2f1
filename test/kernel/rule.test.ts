import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { ruleRequest } from '../../src/api/families/rule.js';
import { Rtnl } from '../../src/client.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import type { Rule } from '../../src/rtnl/rule.js';
import { ip, ipJson, realRootTest, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

type IpRule = Record<string, unknown> & { priority: number };
const ipRules = (family: '-4' | '-6' = '-4'): IpRule[] => ipJson<IpRule[]>(family, 'rule', 'show');
const at = (list: IpRule[], prio: number): IpRule | undefined => list.find((r) => r.priority === prio);

/** Each test uses priorities 1000..1999 and leaves none behind. */
function cleanRules(): void {
  for (const fam of ['-4', '-6'] as const) {
    for (const r of ipRules(fam)) if (r.priority >= 1000 && r.priority < 2000) ip(fam, 'rule', 'del', 'prio', String(r.priority));
  }
}

function withRules(fn: (nl: Rtnl) => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await using nl = await Rtnl.open();
      await fn(nl);
    } finally {
      cleanRules();
    }
  };
}

test('add with netlink-ts, read back with ip -j: selectors and actions, IPv4 and IPv6', withRules(async (nl) => {
  await nl.rule.add({ from: '198.18.0.0/24', table: 100, priority: 1000 });
  await nl.rule.add({ to: '198.18.1.0/24', fwmark: 0x10, fwmask: 0xff, iif: 'nlts-r0', oif: 'nlts-r1', table: 1001, priority: 1001, flags: ['invert'] });
  await nl.rule.add({ priority: 1002, goto: 1500 });
  await nl.rule.add({ from: '198.18.2.0/24', action: 'blackhole', priority: 1003 });
  await nl.rule.add({ to: '198.18.3.0/24', action: 'unreachable', priority: 1004 });
  await nl.rule.add({ iif: 'nlts-r0', action: 'prohibit', priority: 1005 });
  await nl.rule.add({ table: 'main', suppressPrefixlength: 0, priority: 1006 });
  await nl.rule.add({ from: '198.18.4.0/24', priority: 1007, protocol: 'static' });
  await nl.rule.add({ from: 'fd00::/64', to: 'fd00:1::/48', table: 100, priority: 1008 });
  const v4 = ipRules();
  assert.equal(at(v4, 1000), { priority: 1000, src: '198.18.0.0', srclen: 24, table: '100' });
  assert.equal(at(v4, 1001), { priority: 1001, not: null, src: 'all', dst: '198.18.1.0', dstlen: 24, fwmark: '0x10', fwmask: '0xff', iif: 'nlts-r0', iif_detached: null, oif: 'nlts-r1', oif_detached: null, table: '1001' });
  assert.equal(at(v4, 1002), { priority: 1002, src: 'all', goto: 1500, unresolved: null });
  assert.equal(at(v4, 1003), { priority: 1003, src: '198.18.2.0', srclen: 24, action: 'blackhole' });
  assert.equal(at(v4, 1004), { priority: 1004, src: 'all', dst: '198.18.3.0', dstlen: 24, action: 'unreachable' });
  assert.equal(at(v4, 1005), { priority: 1005, src: 'all', iif: 'nlts-r0', iif_detached: null, action: 'prohibit' });
  assert.equal(at(v4, 1006), { priority: 1006, src: 'all', table: 'main', suppress_prefixlen: 0 });
  assert.equal(at(v4, 1007), { priority: 1007, src: '198.18.4.0', srclen: 24, table: 'main', protocol: 'static' });
  assert.equal(at(ipRules('-6'), 1008), { priority: 1008, src: 'fd00::', srclen: 64, dst: 'fd00:1::', dstlen: 48, table: '100' });
}));

test('add with ip, read back with netlink-ts: typed, absent fields undefined', withRules(async (nl) => {
  ip('rule', 'add', 'from', '198.18.0.0/24', 'table', '100', 'prio', '1000');
  ip('rule', 'add', 'not', 'to', '198.18.1.0/24', 'fwmark', '0x10/0xff', 'iif', 'lo', 'lookup', '5000', 'prio', '1001');
  ip('rule', 'add', 'prio', '1002', 'goto', '1003');
  ip('rule', 'add', 'prio', '1003', 'unreachable');
  ip('-6', 'rule', 'add', 'from', 'fd00::/64', 'table', 'main', 'suppress_prefixlength', '0', 'prio', '1004');
  const rules = await nl.rule.list();
  const by = (p: number, fam = 'inet'): Rule => rules.find((r) => r.priority === p && r.family === fam)!;
  const r0 = by(1000);
  assert.is(r0.src, '198.18.0.0');
  assert.is(r0.srcLen, 24);
  assert.is(r0.dst, undefined);
  assert.is(r0.dstLen, 0);
  assert.is(r0.table, 100);
  assert.is(r0.action, 'to_tbl');
  assert.is(r0.fwmark, undefined);
  assert.is(r0.iif, undefined);
  assert.is(r0.suppressPrefixlength, undefined);
  const r1 = by(1001);
  assert.ok(r1.flags.includes('invert'));
  assert.is(r1.dst, '198.18.1.0');
  assert.is(r1.fwmark, 0x10);
  assert.is(r1.fwmask, 0xff);
  assert.is(r1.iif, 'lo');
  assert.is(r1.table, 5000);
  assert.is(r1.headerTable, 252, 'the header says RT_TABLE_COMPAT beyond 255');
  assert.is(by(1002).action, 'goto');
  assert.is(by(1002).goto, 1003);
  assert.not.ok(by(1002).flags.includes('unresolved'), 'its target exists');
  assert.is(by(1003).action, 'unreachable');
  const r6 = by(1004, 'inet6');
  assert.is(r6.src, 'fd00::');
  assert.is(r6.table, 'main');
  assert.is(r6.suppressPrefixlength, 0);
  const main = rules.find((r) => r.family === 'inet' && r.priority === 32766)!;
  assert.is(main.table, 'main');
  assert.is(main.protocol, 'kernel');
  assert.ok((await nl.rule.list({ family: 'inet6' })).every((r) => r.family === 'inet6'));
}));

test('delete both ways; deleting an absent rule is a typed ENOENT', withRules(async (nl) => {
  ip('rule', 'add', 'from', '198.18.0.0/24', 'table', '100', 'prio', '1000');
  await nl.rule.add({ from: 'fd00::/64', table: 100, priority: 1001 });
  await nl.rule.add({ fwmark: 7, table: 101, priority: 1002 });
  await nl.rule.delete({ from: '198.18.0.0/24', table: 100 });
  ip('-6', 'rule', 'del', 'from', 'fd00::/64', 'table', '100', 'prio', '1001');
  await nl.rule.delete({ priority: 1002 });
  assert.is(at(ipRules(), 1000), undefined);
  assert.is(at(ipRules('-6'), 1001), undefined);
  assert.is(at(ipRules(), 1002), undefined);
  const err = await nl.rule.delete({ priority: 1000 }).catch((e: unknown) => e);
  assert.instance(err, NetlinkError);
  assert.is((err as NetlinkError).code, 'ENOENT');
  assert.match((err as Error).message, /^rule del priority 1000: ENOENT .*there is no such rule/);
}));

test('a kernel refusal carries the kernel\'s words; bad input is refused before sending', withRules(async (nl) => {
  const back = await nl.rule.add({ priority: 1500, goto: 1000 }).catch((e: unknown) => e);
  assert.instance(back, NetlinkError);
  assert.is((back as NetlinkError).code, 'EINVAL');
  assert.match((back as Error).message, /Backward goto not supported/);
  await nl.rule.add({ from: '198.18.0.0/24', table: 100, priority: 1000 });
  const dup = await nl.rule.add({ from: '198.18.0.0/24', table: 100, priority: 1000 }).catch((e: unknown) => e) as NetlinkError;
  assert.is(dup.code, 'EEXIST');
  const bad = await nl.rule.add({ from: '198.18.0.0/33' }).catch((e: unknown) => e) as Error;
  assert.match(bad.message, /^rule add from 198\.18\.0\.0\/33: rule\.from: prefix length "33"/);
  const table = await nl.rule.add({ table: 2 ** 32 }).catch((e: unknown) => e) as Error;
  assert.match(table.message, /^rule add table 4294967296: rule\.table: 4294967296 is out of range/);
}));

test('the pure request builders batch: 500 rules in one exchange', withRules(async (nl) => {
  const specs = Array.from({ length: 500 }, (_, i) => ({ from: `198.18.${i >> 8}.${i & 255}`, table: 100 + i, priority: 1000 + i }));
  const r = await nl.socket.batch(specs.map((s) => ruleRequest('add', s)));
  assert.equal(r.errors, []);
  const v4 = ipRules();
  assert.is(v4.filter((x) => x.priority >= 1000 && x.priority < 1500).length, 500);
  assert.equal(at(v4, 1499), { priority: 1499, src: '198.18.1.243', table: '599' });
  const del = await nl.socket.batch(specs.map((s) => ruleRequest('delete', { priority: s.priority })));
  assert.equal(del.errors, []);
  assert.is(ipRules().filter((x) => x.priority >= 1000 && x.priority < 1500).length, 0);
}));

test('rule changes arrive as typed monitor events, IPv4 and IPv6', withRules(async (nl) => {
  const seen: string[] = [];
  const mon = nl.monitor({ groups: ['rule'] })[Symbol.asyncIterator]();
  const first = mon.next();
  await new Promise((r) => setTimeout(r, 20));
  await nl.rule.add({ from: '198.18.0.0/24', table: 100, priority: 1000 });
  ip('-6', 'rule', 'add', 'from', 'fd00::/64', 'table', '100', 'prio', '1001');
  await nl.rule.delete({ priority: 1000 });
  for (let step = await first; !step.done; step = await mon.next()) {
    const ev = step.value;
    if (ev.action !== 'new' && ev.action !== 'del') continue;
    const r = ev.object as Rule;
    seen.push(`${ev.action} ${r.family} ${r.priority} ${r.src}/${r.srcLen} ${r.table}`);
    if (seen.length === 3) break;
  }
  await mon.return?.(undefined);
  assert.equal(seen, ['new inet 1000 198.18.0.0/24 100', 'new inet6 1001 fd00::/64 100', 'del inet 1000 198.18.0.0/24 100']);
}));

realRootTest('netlink-ts rule show --json equals ip -j rule show', withRules(async () => {
  ip('rule', 'add', 'from', '198.18.0.0/24', 'table', '100', 'prio', '1000');
  ip('rule', 'add', 'not', 'to', '198.18.1.0/24', 'fwmark', '0x10/0xff', 'iif', 'lo', 'oif', 'nlts-r1', 'lookup', '5000', 'prio', '1001');
  ip('rule', 'add', 'prio', '1002', 'goto', '1500');
  ip('rule', 'add', 'from', '198.18.2.0/24', 'prio', '1003', 'blackhole');
  ip('rule', 'add', 'prio', '1004', 'prohibit', 'protocol', 'static');
  ip('rule', 'add', 'prio', '1005', 'table', 'main', 'suppress_prefixlength', '0');
  ip('rule', 'add', 'prio', '1006', 'nop');
  ip('rule', 'add', 'prio', '1007', 'ipproto', 'tcp', 'sport', '80', 'dport', '1000-2000', 'uidrange', '10-20', 'tos', '0x10', 'realms', '3/4', 'table', '5');
  ip('rule', 'add', 'prio', '1008', 'fwmark', '7', 'table', 'default');
  ip('rule', 'add', 'prio', '1009', 'from', '198.18.9.9', 'table', '7', 'suppress_ifgroup', 'default');
  ip('-6', 'rule', 'add', 'from', 'fd00::/64', 'to', 'fd00:1::/48', 'table', '100', 'prio', '1000');
  ip('-6', 'rule', 'add', 'from', 'fd00:2::/64', 'prio', '1001', 'unreachable');
  for (const args of [
    ['rule', 'show'], ['-6', 'rule', 'show'], ['rule', 'show', 'pref', '1001'], ['rule', 'show', 'table', 'main'],
    ['rule', 'show', 'from', '198.18.0.0/16'], ['rule', 'show', 'not'], ['rule', 'list', 'iif', 'lo'], ['-6', 'rule', 'show', 'to', 'fd00:1::/48'],
  ]) {
    const theirs = JSON.stringify(JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' })));
    assert.is(JSON.stringify(JSON.parse(ours(...args, '--json'))), theirs, args.join(' '));
  }
  assert.is(ours('rule', 'show'), execFileSync('ip', ['rule', 'show'], { encoding: 'utf8' }), 'the text form too');
}));

test('netlink-ts rule add / del, read back with ip', withRules(async () => {
  ours('rule', 'add', 'from', '198.18.0.0/24', 'table', '100', 'prio', '1000');
  ours('rule', 'add', 'not', 'to', '198.18.1.0/24', 'fwmark', '0x10/0xff', 'iif', 'nlts-r0', 'lookup', '5000', 'pref', '1001');
  ours('rule', 'add', 'prio', '1002', 'goto', '1500');
  ours('rule', 'add', 'prio', '1003', 'blackhole');
  ours('-6', 'rule', 'add', 'from', 'fd00::/64', 'table', 'main', 'suppress_prefixlength', '0', 'prio', '1004');
  ours('rule', 'add', 'from', 'fd00:1::/64', 'prio', '1005', 'prohibit');
  const v4 = ipRules();
  assert.equal(at(v4, 1000), { priority: 1000, src: '198.18.0.0', srclen: 24, table: '100' });
  assert.equal(at(v4, 1001), { priority: 1001, not: null, src: 'all', dst: '198.18.1.0', dstlen: 24, fwmark: '0x10', fwmask: '0xff', iif: 'nlts-r0', iif_detached: null, table: '5000' });
  assert.equal(at(v4, 1002), { priority: 1002, src: 'all', goto: 1500, unresolved: null });
  assert.equal(at(v4, 1003), { priority: 1003, src: 'all', action: 'blackhole' });
  const v6 = ipRules('-6');
  assert.equal(at(v6, 1004), { priority: 1004, src: 'fd00::', srclen: 64, table: 'main', suppress_prefixlen: 0 });
  assert.equal(at(v6, 1005), { priority: 1005, src: 'fd00:1::', srclen: 64, action: 'prohibit' }, 'the family follows the address');
  ours('rule', 'del', 'prio', '1000');
  ours('rule', 'del', 'not', 'to', '198.18.1.0/24', 'fwmark', '0x10/0xff', 'iif', 'nlts-r0', 'lookup', '5000');
  ours('-6', 'rule', 'del', 'from', 'fd00::/64', 'prio', '1004');
  assert.is(at(ipRules(), 1000), undefined);
  assert.is(at(ipRules(), 1001), undefined);
  assert.is(at(ipRules('-6'), 1004), undefined);
  const r = spawnSync(process.execPath, [cli, 'rule', 'del', 'prio', '1000'], { encoding: 'utf8' });
  assert.is(r.status, 2, 'what the kernel refused: ip\'s status 2');
  assert.match(r.stderr, /ENOENT.*no such rule/);
  const bad = spawnSync(process.execPath, [cli, 'rule', 'add', 'from', '198.18.0.0/33'], { encoding: 'utf8' });
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /rule\.from: prefix length "33" is not 0\.\.32/);
}));

/** The rules every namespace starts with; a flush takes main and default, which are put back after. */
function restoreDefaults(): void {
  for (const fam of ['-4', '-6'] as const) {
    const have = ipRules(fam).map((r) => r.priority);
    if (!have.includes(32766)) ip(fam, 'rule', 'add', 'pref', '32766', 'table', 'main');
    if (!have.includes(32767) && fam === '-4') ip(fam, 'rule', 'add', 'pref', '32767', 'table', 'default');
  }
}

test('flush like ip rule flush: the same rules are left (local only), with a selector, and from the API per family', withRules(async (nl) => {
  const build = (): void => {
    ip('rule', 'add', 'from', '198.18.0.0/24', 'table', '100', 'prio', '1000');
    ip('rule', 'add', 'to', '198.18.1.0/24', 'table', '101', 'prio', '1001');
    ip('rule', 'add', 'fwmark', '7', 'table', '100', 'prio', '1002');
    ip('-6', 'rule', 'add', 'from', 'fd00::/64', 'table', '100', 'prio', '1003');
  };
  const state = (): [IpRule[], IpRule[]] => [ipRules(), ipRules('-6')];
  try {
    build();
    ip('rule', 'flush');
    const theirs = state();
    restoreDefaults();
    cleanRules();
    assert.equal(theirs[0].map((r) => r.priority), [0], 'ip leaves only the local rule of IPv4');
    build();
    ours('rule', 'flush');
    assert.equal(state(), theirs, 'netlink-ts rule flush leaves what ip leaves');
    restoreDefaults();
    cleanRules();

    build();
    ip('rule', 'flush', 'table', '100');
    const theirsSelected = state();
    cleanRules();
    build();
    ours('rule', 'flush', 'table', '100');
    assert.equal(state(), theirsSelected, 'with a selector');
    assert.ok(at(theirsSelected[0], 1001) && !at(theirsSelected[0], 1000));
    cleanRules();

    build();
    assert.is(await nl.rule.flush({ family: 'inet6', where: (r) => r.priority === 1003 }), 1);
    assert.is(at(ipRules('-6'), 1003), undefined);
    assert.ok(at(ipRules(), 1000), 'IPv4 untouched');
    assert.is(await nl.rule.flush({ family: 'inet', where: (r) => (r.priority ?? 0) < 2000 }), 3);
    assert.equal(ipRules().map((r) => r.priority), [0, 32766, 32767]);
  } finally {
    restoreDefaults();
  }
}));

test.run();
