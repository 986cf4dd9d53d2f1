import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type RuleSpec, ruleInput, ruleListRequest, ruleRequest } from '../../src/api/families/rule.js';
import { decodeRule } from '../../src/rtnl/rule.js';
import { UsageError, parseGlobal } from '../../src/cli/args.js';
import { parseRuleModify, parseRuleShow } from '../../src/cli/commands/rule.js';
import { ruleShown, ruleToIpJson, ruleToText } from '../../src/cli/ip-json/rule.js';
import { Rtnl } from '../../src/client.js';
import { RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE } from '../../src/generated/linux/rtnetlink.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { type RuleInput, ruleMessage } from '../../src/rtnl/rule.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { hexdump, loadFixture, requestOf } from '../helpers/fixtures.js';
import { encodeError, fixtureTests, ipWords, refusedBeforeSending, wireBytes } from '../helpers/wire.js';

/** What `netlink-ts rule ...` sends for the words of a fixture's command. */
function ourRequest(command: string): { bytes: Buffer; type: number } {
  const { opts, rest } = parseGlobal(ipWords(command));
  const [object, verb, ...words] = rest;
  assert.is(object, 'rule');
  if (verb === 'show') {
    parseRuleShow(words, opts);
    return { bytes: wireBytes(ruleListRequest(opts.family ?? 'inet'), true), type: RTM_GETRULE };
  }
  const v = verb === 'add' ? 'add' : 'delete';
  return { bytes: wireBytes(ruleRequest(v, parseRuleModify(v, words, opts))), type: v === 'add' ? RTM_NEWRULE : RTM_DELRULE };
}

fixtureTests('rule', ourRequest);

const SPECS: [string, RuleSpec, 'add' | 'delete'][] = [
  ['rule/add-from-table-prio.json', { from: '198.18.0.0/24', table: 100, priority: 1000 }, 'add'],
  ['rule/add-to-lookup.json', { to: '198.18.1.0/24', table: 101 }, 'add'],
  ['rule/add-fwmark-mask.json', { fwmark: 0x10, fwmask: 0xff, table: 102, priority: 1010 }, 'add'],
  ['rule/add-iif-oif.json', { iif: 'nlts-v0', oif: 'nlts-v1', table: 104, priority: 1020 }, 'add'],
  ['rule/add-table-large.json', { from: '198.18.2.0/24', table: 1000 }, 'add'],
  ['rule/add-default-table.json', { from: '198.18.3.0/24' }, 'add'],
  ['rule/add-goto.json', { priority: 1030, goto: 2000 }, 'add'],
  ['rule/add-blackhole.json', { from: '198.18.4.0/24', action: 'blackhole', priority: 1040 }, 'add'],
  ['rule/add-unreachable.json', { to: '198.18.5.0/24', action: 'unreachable' }, 'add'],
  ['rule/add-prohibit.json', { iif: 'nlts-v0', action: 'prohibit' }, 'add'],
  ['rule/add-suppress-prefixlength.json', { table: 'main', suppressPrefixlength: 0, priority: 1050 }, 'add'],
  ['rule/add-not.json', { flags: ['invert'], from: '198.18.6.0/24', table: 105 }, 'add'],
  ['rule/add-protocol.json', { from: '198.18.7.0/24', table: 106, protocol: 'static' }, 'add'],
  ['rule/add-nop.json', { priority: 1060, action: 'nop' }, 'add'],
  ['rule/add-selectors.json', { ipProto: 6, sportRange: { start: 80, end: 80 }, dportRange: { start: 1000, end: 2000 }, uidRange: { start: 10, end: 20 }, tos: 0x10, flow: (3 << 16) | 4, table: 5 }, 'add'],
  ['rule/add-v6.json', { from: 'fd00::/64', to: 'fd00:1::/48', table: 100, priority: 500 }, 'add'],
  ['rule/add-blackhole-v6.json', { family: 'inet6', from: 'fd00:2::/64', action: 'blackhole' }, 'add'],
  ['rule/del-prio.json', { priority: 1000 }, 'delete'],
  ['rule/del-from-table.json', { from: '198.18.0.0/24', table: 100 }, 'delete'],
  ['rule/del-v6.json', { from: 'fd00::/64', table: 100, priority: 500 }, 'delete'],
];

for (const [file, spec, verb] of SPECS) {
  test(`fixture ${file}: the typed spec encodes to the same bytes`, () => {
    const theirs = requestOf(loadFixture(file), verb === 'add' ? RTM_NEWRULE : RTM_DELRULE);
    assert.is(hexdump(wireBytes(ruleRequest(verb, spec))), hexdump(theirs));
  });
}

test('a request decodes back to the typed rule; absent fields are undefined', () => {
  const msg = requestOf(loadFixture('rule/add-v6.json'), RTM_NEWRULE);
  const r = decodeRule(msg, 0, msg.length)!;
  assert.is(r.family, 'inet6');
  assert.is(r.src, 'fd00::');
  assert.is(r.srcLen, 64);
  assert.is(r.dst, 'fd00:1::');
  assert.is(r.dstLen, 48);
  assert.is(r.headerTable, 100);
  assert.is(r.action, 'to_tbl');
  assert.equal(r.flags, []);
  assert.is(r.priority, 500);
  assert.is(r.table, undefined);
  assert.is(r.fwmark, undefined);
  assert.is(r.protocol, undefined);
  assert.is(r.issues, undefined);
});

test('decoding keeps unknown actions, flags and attributes', () => {
  const w = new NetlinkWriter();
  const at = w.beginMessage(RTM_NEWRULE, 0);
  ruleMessage.encodePayload(w, { family: 'inet', action: 42, flags: 0x40000, headerTable: 252, table: 5000, suppressPrefixlength: -1 } as RuleInput);
  w.attrU32(99, 1);
  w.endMessage(at);
  const b = w.toBuffer();
  const r = decodeRule(b, 0, b.length)!;
  assert.is(r.action, 42);
  assert.equal(r.flags, ['0x40000']);
  assert.is(r.headerTable, 252);
  assert.is(r.table, 5000);
  assert.is(r.unknown?.[0]?.type, 99);
  assert.is(r.suppressPrefixlength, undefined, "the kernel's -1 is \"not set\"");
});

test('bad input: an EncodeError that names the field, thrown before anything is sent', async () => {
  const cases: [RuleSpec, RegExp, string][] = [
    [{ from: '198.18.0.256/24' }, /not a valid IP address/, 'rule.from'],
    [{ to: 'fd00::/129' }, /prefix length "129" is not 0\.\.128/, 'rule.to'],
    [{ from: '198.18.0.0/33' }, /prefix length "33" is not 0\.\.32/, 'rule.from'],
    [{ from: '198.18.0.0/24', to: 'fd00::/64' }, /not a valid IPv4 address/, 'rule.to'],
    [{ family: 'inet6', from: '198.18.0.0/24' }, /not a valid IPv6 address/, 'rule.from'],
    [{ table: -1 }, /out of range for u32/, 'rule.table'],
    [{ table: 2 ** 32 }, /out of range for u32/, 'rule.table'],
    [{ table: 'mian' as never }, /unknown route table "mian"/, 'rule.table'],
    [{ action: 'drop' as never }, /unknown rule action "drop"/, 'rule.action'],
    [{ flags: ['nott' as never] }, /unknown rule flag "nott"/, 'rule.flags'],
    [{ priority: 1.5 }, /not an integer/, 'rule.priority'],
    [{ suppressPrefixlength: 33 }, /not a prefix length of IPv4/, 'rule.suppressPrefixlength'],
    [{ iif: 'way-too-long-a-name' }, /the limit is 15/, 'rule.iif'],
    [{ prio: 5 } as never, /unknown field/, 'rule.prio'],
    [{ family: 'inet4' as never }, /expected 'inet' or 'inet6'/, 'rule.family'],
  ];
  for (const [spec, re, path] of cases) await refusedBeforeSending((nl) => nl.rule.add(spec), re, path, JSON.stringify(spec));
  assert.is(encodeError(() => ruleRequest('change' as never, {})).path, 'verb');
  assert.is(encodeError(() => ruleInput('add', null as never)).path, 'rule');
});

test('a kernel refusal carries its words; deleting an absent rule says so with ENOENT', async () => {
  const k = new FakeKernel((req, reply) => {
    if (req.type === RTM_DELRULE) reply.error(2);
    else reply.error(22, { message: 'Invalid source address' });
  });
  await using nl = Rtnl.openSync({ transport: k });
  const del = await nl.rule.delete({ priority: 4242 }).catch((e: unknown) => e) as NetlinkError;
  assert.instance(del, NetlinkError);
  assert.is(del.code, 'ENOENT');
  assert.match(del.message, /^rule del priority 4242: ENOENT .*there is no such rule/);
  const add = await nl.rule.add({ from: '198.18.0.1/24' }).catch((e: unknown) => e) as NetlinkError;
  assert.is(add.code, 'EINVAL');
  assert.match(add.message, /Invalid source address/);
});

test('list decodes a dump; ip -j shapes and selection', async () => {
  const rules: RuleInput[] = [
    { family: 'inet', headerTable: 'local', action: 'to_tbl', priority: undefined, table: 'local', protocol: 'kernel' },
    { family: 'inet', srcLen: 24, headerTable: 100, action: 'to_tbl', src: '198.18.0.0', priority: 1000, table: 100, protocol: 'unspec' },
    { family: 'inet', dstLen: 24, headerTable: 0, action: 'to_tbl', flags: ['invert'], dst: '198.18.1.0', fwmark: 0x10, fwmask: 0xff, iif: 'nlts-v0', oif: 'nlts-v1', priority: 1001, table: 300 },
    { family: 'inet', action: 'goto', flags: ['unresolved'], priority: 1002, goto: 2000, table: 0 },
    { family: 'inet', action: 'blackhole', priority: 1003, table: 0 },
    { family: 'inet', headerTable: 'main', action: 'to_tbl', priority: 1004, table: 'main', suppressPrefixlength: 0 },
    { family: 'inet', action: 'unreachable', priority: 1005, table: 0, protocol: 'static' },
    { family: 'inet', action: 'nop', priority: 1006, table: 0 },
    { family: 'inet', tos: 0x10, headerTable: 5, action: 'to_tbl', priority: 1007, uidRange: { start: 10, end: 20 }, ipProto: 6, sportRange: { start: 80, end: 80 }, dportRange: { start: 1000, end: 2000 }, table: 5, flow: (3 << 16) | 4 },
  ];
  const k = new FakeKernel((req, reply) => {
    if (req.type !== RTM_GETRULE) { reply.ack(); return; }
    for (const r of rules) reply.data(RTM_NEWRULE, (w) => ruleMessage.encodePayload(w, r), 2);
    reply.done();
  });
  await using nl = Rtnl.openSync({ transport: k });
  const got = await nl.rule.list({ family: 'inet' });
  assert.is(k.sent[0]!.readUInt8(16), 2, 'family inet in the dump request');
  assert.is(got.length, rules.length);
  assert.is(got[0]!.priority, undefined);
  // What `ip -j rule show` printed for the same rules (see the kernel tests for the live comparison).
  const expected = '[{"priority":0,"src":"all","table":"local"},{"priority":1000,"src":"198.18.0.0","srclen":24,"table":"100"},{"priority":1001,"not":null,"src":"all","dst":"198.18.1.0","dstlen":24,"fwmark":"0x10","fwmask":"0xff","iif":"nlts-v0","oif":"nlts-v1","table":"300"},{"priority":1002,"src":"all","goto":2000,"unresolved":null},{"priority":1003,"src":"all","action":"blackhole"},{"priority":1004,"src":"all","table":"main","suppress_prefixlen":0},{"priority":1005,"src":"all","action":"unreachable","protocol":"static"},{"priority":1006,"src":"all","nop":null},{"priority":1007,"src":"all","tos":"0x10","uid_start":10,"uid_end":20,"ipproto":"tcp","sport":80,"dport_start":1000,"dport_end":2000,"table":"5","flow_from":"3","flow_to":"4"}]';
  assert.is(JSON.stringify(got.map((r) => ruleToIpJson(r))), expected);
  assert.is(ruleToText(ruleToIpJson(got[2]!)), '1001:\tnot from all to 198.18.1.0/24 fwmark 0x10/0xff iif nlts-v0 oif nlts-v1 lookup 300');
  assert.is(ruleToText(ruleToIpJson(got[3]!)), '1002:\tfrom all goto 2000 [unresolved]');
  const sel = (words: string[]) => got.filter((r) => ruleShown(r, parseRuleShow(words, {}))).map((r) => r.priority ?? 0);
  assert.equal(sel(['pref', '1000']), [1000]);
  assert.equal(sel(['table', 'main']), [1004]);
  assert.equal(sel(['from', '198.18.0.0/16']), [1000]);
  assert.equal(sel(['to', '198.18.1.0/24']), [1001]);
  assert.equal(sel(['not']), [1001]);
  assert.equal(sel(['iif', 'nlts-v0']), [1001]);
  assert.equal(sel(['fwmark', '0x10/0xff']), [1001]);
  assert.equal(sel(['tos', '10']), [1007]);
});

test('CLI words: errors are usage errors or name the field', () => {
  assert.throws(() => parseRuleModify('add', [], {}), (e: unknown) => e instanceof UsageError);
  assert.throws(() => parseRuleModify('add', ['bogus'], {}), (e: unknown) => e instanceof UsageError && /bogus/.test((e as Error).message));
  assert.throws(() => parseRuleModify('add', ['prio', 'x'], {}), (e: unknown) => e instanceof UsageError && /preference/.test((e as Error).message));
  assert.throws(() => parseRuleModify('add', ['from'], {}), (e: unknown) => e instanceof UsageError);
  assert.is(encodeError(() => ruleInput('add', parseRuleModify('add', ['table', 'nosuch'], {}))).path, 'rule.table');
  assert.is(encodeError(() => ruleInput('add', parseRuleModify('add', ['table', '4294967296'], {}))).path, 'rule.table');
  assert.is(encodeError(() => ruleInput('add', parseRuleModify('add', ['from', '198.18.0.0/40'], {}))).path, 'rule.from');
  assert.equal(ruleInput('add', parseRuleModify('add', ['from', 'fd00::/64'], {})).family, 'inet6', 'the family follows the address');
  assert.equal(parseRuleModify('add', ['tun_id', '0x10'], {}).tunId, 16n);
  assert.equal(parseRuleModify('add', ['realms', '4'], {}).flow, 4);
});

test.run();
