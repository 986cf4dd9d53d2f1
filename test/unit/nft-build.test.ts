// The typed expression builder without a kernel: statements built with the
// constructors of src/nft/statements.ts become the kernel's expressions as
// nft writes them (the bytes of a golden capture), and those print back as
// the same statements (rule-json.ts), for every kind of statement modelled.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { EncodeError } from '../../src/netlink/errors.js';
import type { NftValue } from '../../src/nft/datatypes.js';
import { type NftDocument, documentRequests } from '../../src/nft/document.js';
import { decodeNftMessage } from '../../src/nft/messages.js';
import { documentRuleset } from '../../src/nft/plan.js';
import { rulesetJson } from '../../src/nft/ruleset-json.js';
import { type NftStatement, accept, concat, counter, ct, dnat, drop, jump, masquerade, match, meta, payload, prefix, range, rule, set } from '../../src/nft/statements.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import type { Fixture } from '../fixtures/capture.js';

const base = (family: 'inet' | 'ip', rules: NftStatement[][]): NftDocument => ({
  nftables: [
    { table: { family, name: 't' } },
    { chain: { family, table: 't', name: 'c', type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
    { chain: { family, table: 't', name: 'other' } },
    ...rules.map((expr) => rule(family, 't', 'c', expr)),
  ],
});

const printed = (doc: NftDocument): NftValue[][] => rulesetJson(documentRuleset(doc)).nftables
  .flatMap((x) => (x !== null && typeof x === 'object' && 'rule' in x ? [(x as { rule: { expr: NftValue[] } }).rule.expr] : []));

test('every modelled statement prints back as it was built (inet)', () => {
  const rules: NftStatement[][] = [
    [match(ct('state'), ['established', 'related']), accept()],
    [match(ct('state'), 'invalid', 'in'), drop()],
    [match(meta('iifname'), 'veth0'), accept()],
    [match(meta('iifname'), 'eth*'), accept()],
    [match(payload('ip', 'saddr'), prefix('198.18.0.0', 24)), match(payload('tcp', 'dport'), set(22, 80)), counter(), accept()],
    [match(payload('ip', 'saddr'), prefix('198.18.0.0', 20)), drop()],
    [match(payload('ip6', 'saddr'), prefix('fd00::', 64)), accept()],
    [match(concat(payload('ip', 'saddr'), payload('tcp', 'dport')), set({ concat: ['198.18.0.1', 22] })), accept()],
    [match(payload('tcp', 'dport'), range(5000, 5010)), drop()],
    [match(payload('udp', 'sport'), 53, '!='), { counter: { packets: 0, bytes: 0 } }],
    [match(payload('tcp', 'flags'), ['syn', 'ack']), drop()],
    [match(meta('mark'), 42), jump('other')],
    [match({ '&': [ct('mark'), 255] }, 1), { goto: { target: 'other' } }],
    [match(meta('l4proto'), 'icmp'), { limit: { rate: 10, burst: 5, per: 'second' } }, accept()],
    [{ log: { prefix: 'in ', group: 2 } }],
    [{ quota: { val: 10, val_unit: 'mbytes', inv: true } }, drop()],
    [{ reject: { type: 'tcp reset' } }],
    [{ reject: { type: 'icmpx', expr: 'admin-prohibited' } }],
    [{ mangle: { key: meta('mark'), value: 16 } }, accept()],
    [{ vmap: { key: payload('tcp', 'dport'), data: { set: [[22, { accept: null }], [23, { drop: null }]] } } }],
    [{ notrack: null }],
  ];
  const doc = base('inet', rules);
  const got = printed(doc);
  // Canonical forms where nft prints otherwise than one may write: a one-flag list is the flag, counters count.
  const want = rules.map((r) => JSON.parse(JSON.stringify(r)) as NftValue[]);
  (want[1]![0] as { match: { right: NftValue } }).match.right = 'invalid';
  (want[4]![2] as { counter: NftValue }).counter = { packets: 0, bytes: 0 };
  (want[10]![0] as { match: { right: NftValue } }).match.right = ['syn', 'ack'];
  got.forEach((g, i) => assert.equal(g, want[i], `rule ${i}: ${JSON.stringify(rules[i])}`));
});

test('NAT statements print back as built (ip)', () => {
  const rules: NftStatement[][] = [
    [match(meta('oifname'), 'eth1'), match(payload('ip', 'saddr'), prefix('198.18.1.0', 24)), masquerade()],
    [match(payload('tcp', 'dport'), 80), dnat('198.18.0.5', 8080)],
    [{ snat: { addr: { range: ['198.19.0.1', '198.19.0.4'] }, flags: ['random', 'persistent'] } }],
    [match(payload('tcp', 'dport'), 81), { redirect: { port: 8081 } }],
  ];
  assert.equal(printed(base('ip', rules)), JSON.parse(JSON.stringify(rules)));
});

test('the builder writes the bytes nft writes (the filter+nat capture, rule by rule)', () => {
  const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/nft/filter-nat.json', import.meta.url), 'utf8')) as Fixture;
  const nftRules = fx.messages.map((m) => Buffer.from(m.hex, 'hex')).map((b) => decodeNftMessage(b, 0, b.length))
    .filter((m) => m?.kind === 'rule' && m.attrs.table === 'nat').map((m) => JSON.stringify((m as { attrs: { expressions: unknown } }).attrs.expressions));
  const doc: NftDocument = { nftables: [
    { table: { family: 'ip', name: 'nat' } },
    { chain: { family: 'ip', table: 'nat', name: 'post', type: 'nat', hook: 'postrouting', prio: 100 } },
    { chain: { family: 'ip', table: 'nat', name: 'pre', type: 'nat', hook: 'prerouting', prio: -100 } },
    rule('ip', 'nat', 'post', [match(meta('oifname'), 'eth1'), match(payload('ip', 'saddr'), prefix('198.18.1.0', 24)), masquerade()]),
    rule('ip', 'nat', 'post', [match(payload('ip', 'saddr'), prefix('198.18.2.0', 24)), { snat: { addr: '198.19.0.1' } }]),
    rule('ip', 'nat', 'pre', [match(payload('tcp', 'dport'), 80), dnat('198.18.0.5', 8080)]),
    rule('ip', 'nat', 'pre', [match(payload('tcp', 'dport'), 81), { redirect: { port: 8081 } }]),
  ] };
  const w = new NetlinkWriter();
  const ours = documentRequests(doc).flatMap((req) => {
    w.truncate(0);
    const at = w.beginMessage(req.type, req.flags ?? 0);
    req.body?.(w);
    w.endMessage(at);
    const b = Buffer.from(w.view());
    const m = decodeNftMessage(b, 0, b.length);
    return m?.kind === 'rule' ? [JSON.stringify(m.attrs.expressions)] : [];
  });
  assert.equal(ours, nftRules);
});

test('what is not modelled or malformed is an EncodeError naming its place', () => {
  const bad = (expr: unknown[], re: RegExp) => {
    const doc = base('inet', [expr as NftStatement[]]);
    assert.throws(() => documentRequests(doc), (e: unknown) => e instanceof EncodeError && re.test((e as Error).message));
  };
  bad([{ xt: null }], /nftables\[3\]\.rule\.expr\[0\]: statement "xt" is not modelled/);
  bad([match(payload('tcp', 'nosuch'), 1)], /unknown payload field tcp nosuch/);
  bad([match(payload('ip', 'saddr'), 'not-an-address')], /expected an IPv4 address, got "not-an-address"/);
  bad([match(payload('tcp', 'dport'), 70000)], /70000 does not fit 2 bytes/);
  bad([{ jump: {} }], /expected \{ target: "chain" \}/);
  bad([match(meta('mark'), 1, 'in')], /"in" is modelled for flag types/);
});

test.run();
