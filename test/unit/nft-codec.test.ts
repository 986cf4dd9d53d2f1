// The nf_tables messages nft 1.0.6 sends (golden captures under
// test/fixtures/nft/, made by test/fixtures/capture.ts from `nft -f FILE`)
// decode without issues into typed objects and encode back to the same bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NFNL_SUBSYS_NFTABLES } from '../../src/generated/linux/netfilter/nfnetlink.js';
import { NLMSG_HDRLEN, NetlinkWriter } from '../../src/netlink/writer.js';
import { type NftMessage, decodeNftMessage, encodeNftPayload } from '../../src/nft/messages.js';
import { ruleJson } from '../../src/nft/rule-json.js';
import type { Fixture } from '../fixtures/capture.js';

const dir = new URL('../../../test/fixtures/nft/', import.meta.url).pathname;
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  .map((f) => ({ file: f, fx: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture }));

function nftMessages(fx: Fixture): { bytes: Buffer; m: NftMessage }[] {
  return fx.messages.map((x) => Buffer.from(x.hex, 'hex'))
    .filter((b) => b.readUInt16LE(4) >> 8 === NFNL_SUBSYS_NFTABLES)
    .map((bytes) => ({ bytes, m: decodeNftMessage(bytes, 0, bytes.length)! }));
}

test('the captures hold nf_tables changes', () => {
  assert.ok(fixtures.length > 0);
  for (const { file, fx } of fixtures) assert.ok(nftMessages(fx).filter((x) => x.m.verb === 'new').length > 5, file);
});

for (const { file, fx } of fixtures) {
  test(`${file}: every message decodes cleanly and encodes to the same bytes`, () => {
    for (const { bytes, m } of nftMessages(fx)) {
      assert.ok(m, `decoded ${bytes.toString('hex').slice(0, 40)}`);
      assert.is(m.issues, undefined, JSON.stringify(m.issues));
      const w = new NetlinkWriter();
      encodeNftPayload(w, m.kind, m.family, m.attrs as never, bytes.readUInt16BE(NLMSG_HDRLEN + 2));
      assert.is(w.view().toString('hex'), bytes.subarray(NLMSG_HDRLEN).toString('hex'), `${m.kind} ${JSON.stringify(m.attrs).slice(0, 200)}`);
    }
  });
}

test('rules decode into nft\'s words without the kernel (no raw expressions)', () => {
  const { fx } = fixtures.find((f) => f.file === 'filter-nat.json')!;
  const msgs = nftMessages(fx).map((x) => x.m);
  const sets = new Map();
  for (const m of msgs) {
    if (m.kind === 'set' && m.verb === 'new') sets.set(m.attrs.name, { set: m.attrs, elems: [] as unknown[] });
    if (m.kind === 'elements' && m.verb === 'new') sets.get(m.attrs.set)?.elems.push(...(m.attrs.elements ?? []));
  }
  const rules = msgs.filter((m): m is Extract<NftMessage, { kind: 'rule' }> => m.kind === 'rule');
  const json = rules.map((r) => ruleJson(r.attrs.expressions ?? [], { family: r.family, sets, ifname: (i) => (i === 1 ? 'lo' : undefined) }));
  assert.not.match(JSON.stringify(json), /netlink-ts/);
  assert.equal(json[0], [{ match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } }, { accept: null }]);
  assert.equal(json[4], [
    { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: '198.18.0.0', len: 24 } } } },
    { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { set: [22, 80] } } },
    { counter: { packets: 0, bytes: 0 } }, { accept: null },
  ]);
  assert.equal(json[6], [{ match: { op: '==', left: { concat: [{ payload: { protocol: 'ip', field: 'saddr' } }, { payload: { protocol: 'tcp', field: 'dport' } }] }, right: '@pairs' } }, { accept: null }]);
});

test('an expression this version does not know is kept raw and written back unchanged', () => {
  const raw = Buffer.from('0800010000000007', 'hex');
  const w = new NetlinkWriter();
  encodeNftPayload(w, 'rule', 'inet', { table: 't', chain: 'c', expressions: [{ expr: 'future', raw }] });
  const msg = Buffer.concat([Buffer.alloc(NLMSG_HDRLEN), w.view()]);
  msg.writeUInt32LE(msg.length, 0);
  msg.writeUInt16LE((NFNL_SUBSYS_NFTABLES << 8) | 6, 4);
  const m = decodeNftMessage(msg, 0, msg.length)!;
  assert.equal(m.kind === 'rule' && m.attrs.expressions, [{ expr: 'future', raw }]);
  assert.equal(ruleJson(m.kind === 'rule' ? m.attrs.expressions! : [], { family: 'inet', sets: new Map() }), [{ 'netlink-ts': { expr: 'future', raw: '0x0800010000000007' } }]);
});

test('a lookup keyed by a zero-length load prints raw instead of looping (fuzz finding)', () => {
  const json = ruleJson([
    { expr: 'payload', dreg: 1, base: 'nh', offset: 0, len: 0 },
    { expr: 'lookup', sreg: 1, set: 's' },
  ], { family: 'ip', sets: new Map([['s', { set: { name: 's', keyLen: 8 }, elems: [] }]]) });
  assert.is(json.length, 1);
  assert.ok('netlink-ts' in (json[0] as object));
});

test('values shorter than their type print as raw bytes (fuzz finding)', () => {
  const json = ruleJson([
    { expr: 'payload', dreg: 1, base: 'll', offset: 6, len: 6 },
    { expr: 'cmp', sreg: 1, op: '==', data: { value: Buffer.from('0203', 'hex') } },
  ], { family: 'bridge', sets: new Map() });
  assert.equal(json, [{ match: { op: '==', left: { payload: { protocol: 'ether', field: 'saddr' } }, right: '0x0203' } }]);
});

test.run();
