import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type DecodeIssue, EncodeError } from '../../src/netlink/errors.js';
import { forEachAttr, forEachMessage, parseAttrs } from '../../src/netlink/reader.js';
import { NetlinkWriter, align4 } from '../../src/netlink/writer.js';

const hex = (b: Buffer): string => b.toString('hex');

test('a message header carries length, type, flags, seq and port id', () => {
  const w = new NetlinkWriter(8);
  const at = w.beginMessage(18, 0x301, 7, 99);
  w.endMessage(at);
  assert.is(hex(w.toBuffer()), '10000000' + '1200' + '0103' + '07000000' + '63000000');
});

test('attributes are padded to 4 bytes; length excludes the padding', () => {
  const w = new NetlinkWriter();
  w.attrU8(1, 0xab);
  w.attrU16(2, 0x1234);
  w.attrU32(3, 0xdeadbeef);
  w.attrString(4, 'eth0');
  assert.is(hex(w.toBuffer()),
    '0500' + '0100' + 'ab000000' +
    '0600' + '0200' + '34120000' +
    '0800' + '0300' + 'efbeadde' +
    '0900' + '0400' + '657468300' + '0000000');
  assert.is(w.length % 4, 0);
});

test('u64, signed and big-endian integers', () => {
  const w = new NetlinkWriter();
  w.attrU64(1, 2n ** 64n - 1n);
  w.attrS32(2, -2);
  w.attrInt(3, 'be16', 0x1234);
  w.attrInt(4, 'be32', 0x01020304, '', true);
  const b = w.toBuffer();
  assert.is(hex(b.subarray(0, 12)), '0c000100ffffffffffffffff');
  assert.is(hex(b.subarray(12, 20)), '08000200feffffff');
  assert.is(hex(b.subarray(20, 28)), '0600030012340000');
  assert.is(hex(b.subarray(28, 36)), '0800044001020304'); // NLA_F_NET_BYTEORDER = 0x4000
});

test('a nest covers its padded content and carries NLA_F_NESTED when asked', () => {
  const w = new NetlinkWriter();
  const n = w.beginNest(18, true);
  w.attrString(1, 'veth');
  const inner = w.beginNest(2, false);
  w.attrU8(3, 1);
  w.endNest(inner);
  w.endNest(n);
  const b = w.toBuffer();
  assert.is(b.readUInt16LE(0), b.length);
  assert.is(b.readUInt16LE(2), 18 | 0x8000);
  const outer = parseAttrs(b, 0, b.length);
  assert.is(outer.length, 1);
  assert.ok(outer[0]!.isNested);
  const kids = outer[0]!.nested();
  assert.equal(kids.map((a) => a.type), [1, 2]);
  assert.is(kids[0]!.string(), 'veth');
  assert.is(kids[1]!.nested()[0]!.u8(), 1);
});

test('many messages go into one buffer and split back out', () => {
  const w = new NetlinkWriter(16);
  for (let i = 0; i < 50; i++) {
    const at = w.beginMessage(16 + (i % 3), 1, i, 0);
    w.attrString(3, `if${i}`);
    w.endMessage(at);
  }
  const b = w.toBuffer();
  const seen: number[] = [];
  forEachMessage(b, b.length, (start) => { seen.push(b.readUInt32LE(start + 8)); });
  assert.equal(seen, Array.from({ length: 50 }, (_, i) => i));
});

test('bad input is refused with the field named and nothing written', () => {
  const w = new NetlinkWriter();
  const cases: [() => void, RegExp][] = [
    [() => w.attrU16(1, 70000, 'link.x'), /link\.x: 70000 is out of range for u16/],
    [() => w.attrU32(1, -1, 'mtu'), /mtu: -1 is out of range for u32/],
    [() => w.attrU32(1, 1.5, 'mtu'), /not an integer/],
    [() => w.attrU64(1, 2n ** 64n, 'rate'), /out of range for u64/],
    [() => w.attrU64(1, 2 ** 60, 'rate'), /pass a bigint/],
    [() => w.attrU32(1, '5', 'mtu'), /expected an integer/],
    [() => w.attrString(1, 'a\0b', 'ifname'), /ifname: .*NUL/],
    [() => w.attrString(1, 42, 'ifname'), /expected a string/],
    [() => w.attrBytes(1, Buffer.alloc(70000), 'blob'), /more than the 65535/],
  ];
  for (const [fn, re] of cases) {
    const before = w.length;
    assert.throws(fn, (e: Error) => e instanceof EncodeError && re.test(e.message));
    assert.is(w.length, before, 'nothing half-written is left');
  }
});

test('reset, truncate and align helpers', () => {
  const w = new NetlinkWriter(4);
  w.attrU32(1, 1);
  const mark = w.length;
  w.attrU32(2, 2);
  w.truncate(mark);
  assert.is(w.length, 8);
  assert.throws(() => w.truncate(100));
  w.reset();
  assert.is(w.length, 0);
  assert.equal([0, 1, 4, 5, 8].map(align4), [0, 4, 4, 8, 8]);
});

test('reader walks attributes and reports garbage instead of throwing', () => {
  const issues: DecodeIssue[] = [];
  const b = Buffer.from('0800010001000000' + 'ff00020000', 'hex');
  const types: number[] = [];
  forEachAttr(b, 0, b.length, (t) => types.push(t), issues);
  assert.equal(types, [1]);
  assert.is(issues.length, 1);
  assert.match(issues[0]!.problem, /length 255/);
  // a zero-length attribute header cannot advance: reported, not looped on
  const z = Buffer.from('00000100' + '08000100', 'hex');
  const issues2: DecodeIssue[] = [];
  forEachAttr(z, 0, z.length, () => assert.unreachable(), issues2);
  assert.is(issues2.length, 1);
});

test('message walk stops at an impossible length with an issue', () => {
  const w = new NetlinkWriter();
  w.endMessage(w.beginMessage(16, 0, 1, 0));
  const good = w.toBuffer();
  const bad = Buffer.concat([good, Buffer.from('ffffff00' + '1000' + '0000', 'hex')]);
  const issues: DecodeIssue[] = [];
  let n = 0;
  forEachMessage(bad, bad.length, () => { n++; }, issues);
  assert.is(n, 1);
  assert.is(issues.length, 1);
  const issues2: DecodeIssue[] = [];
  forEachMessage(Buffer.alloc(7), 7, () => { n++; }, issues2);
  assert.match(issues2[0]!.problem, /too short/);
});

test('Attr getters return undefined on short payloads', () => {
  const b = Buffer.from('0500010007000000', 'hex');
  const [a] = parseAttrs(b, 0, b.length);
  assert.is(a!.u8(), 7);
  assert.is(a!.u16(), undefined);
  assert.is(a!.u32(), undefined);
  assert.is(a!.length, 1);
  assert.equal([...a!.bytes()], [7]);
});

test('copyFrom appends a range of another buffer, short or long', () => {
  const src = Buffer.from(Array.from({ length: 2000 }, (_, i) => i & 0xff));
  const w = new NetlinkWriter(16);
  w.copyFrom(src, 3, 10);
  w.copyFrom(src, 100, 1100);
  assert.equal(w.toBuffer(), Buffer.concat([src.subarray(3, 10), src.subarray(100, 1100)]));
});

test.run();
