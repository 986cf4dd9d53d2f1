import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { binary, enumMap, flag, flagsMap, hwaddr, ip, ipv4, mapped, string, u16, u32, u64, u8 } from '../../src/netlink/codec.js';
import { EncodeError, type DecodeIssue } from '../../src/netlink/errors.js';
import { attr, attrList, attrSet, field, messageSchema, nested } from '../../src/netlink/schema.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { ifinfomsg } from '../../src/generated/linux/rtnetlink.js';

const inner = attrSet('inner', {
  kind: attr(1, string),
  port: attr(2, u16),
});
const outer = attrSet('outer', {
  name: attr(3, string),
  mtu: attr(4, u32),
  mac: attr(5, hwaddr),
  addr: attr(6, ip),
  info: attr(7, nested(inner)),
  tags: attrList(8, u8),
  on: attr(9, flag),
  blob: attr(10, binary),
  bytes: attr(11, u64),
  state: attr(12, mapped(u8, enumMap('state', { up: 6, down: 2 }))),
  flags: attr(13, mapped(u32, flagsMap('flag', { a: 1, b: 2, c: 8 }))),
});

function encode(v: Parameters<typeof outer.encode>[1]): Buffer {
  const w = new NetlinkWriter();
  outer.encode(w, v);
  return w.toBuffer();
}

test('a schema round-trips every codec kind', () => {
  const value = {
    name: 'veth0', mtu: 1500, mac: '02:00:00:00:00:01', addr: '2001:db8::1',
    info: { kind: 'veth', port: 4789 }, tags: [1, 2, 3], on: true as const, blob: Buffer.from([9, 8]),
    bytes: 2 ** 40, state: 'up' as const, flags: ['a', 'c'] as ('a' | 'c')[],
  };
  const b = encode(value);
  const got = outer.decode(b, 0, b.length);
  assert.equal(got, value);
});

test('absent is not zero: undefined keys are not sent, a false flag is absent', () => {
  assert.is(encode({ mtu: undefined, name: undefined }).length, 0);
  assert.is(encode({ on: false }).length, 0);
  assert.is(encode({ mtu: 0 }).length, 8);
});

test('wire order follows the object key order', () => {
  const a = encode({ mtu: 1, name: 'x' });
  const b = encode({ name: 'x', mtu: 1 });
  assert.is(a.readUInt16LE(2), 4);
  assert.is(b.readUInt16LE(2), 3);
});

test('unknown attributes are kept as raw bytes and re-emitted unchanged', () => {
  const w = new NetlinkWriter();
  w.attrU32(4, 9000);
  w.attrBytes(200, Buffer.from([1, 2, 3]));
  const nest = w.beginNest(201, true);
  w.attrU8(1, 5);
  w.endNest(nest);
  const original = w.toBuffer();
  const got = outer.decode(original, 0, original.length);
  assert.is(got.mtu, 9000);
  assert.is(got.unknown!.length, 2);
  assert.is(got.unknown![0]!.type, 200);
  assert.is(got.unknown![1]!.type, 201 | 0x8000);
  assert.equal(encode(got), original);
});

test('unknown enum values and flag bits survive as numbers / hex', () => {
  const b = encode({ state: 77, flags: 0x10 | 2 });
  const got = outer.decode(b, 0, b.length);
  assert.is(got.state, 77);
  assert.equal(got.flags, ['b', '0x10']);
  assert.equal(outer.decode(encode({ flags: got.flags }), 0, 8).flags, ['b', '0x10']);
});

test('encode errors name the field and the problem', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ mtux: 1 }, /outer\.mtux: unknown attribute "mtux" \(known: name, mtu/],
    [{ mtu: -5 }, /outer\.mtu: -5 is out of range for u32/],
    [{ info: { port: 70000 } }, /outer\.info\.port: 70000 is out of range for u16/],
    [{ addr: '300.1.1.1' }, /outer\.addr: "300\.1\.1\.1" is not a valid IP address/],
    [{ mac: 'zz:00' }, /not a hardware address/],
    [{ state: 'sideways' }, /unknown state "sideways" \(one of: up, down\)/],
    [{ flags: ['a', 'q'] }, /unknown flag "q"/],
    [{ tags: 5 }, /outer\.tags: expected an array/],
    [{ tags: [1, 300] }, /outer\.tags\[1\]: 300 is out of range/],
    [{ name: 'a\0' }, /NUL/],
    [{ blob: 'x' }, /expected a Buffer/],
    [{ on: 1 }, /expected true or false/],
  ];
  for (const [v, re] of cases) {
    assert.throws(() => encode(v as never), (e: Error) => e instanceof EncodeError && re.test(e.message), String(re));
  }
});

test('malformed payloads become issues with paths, never exceptions', () => {
  const w = new NetlinkWriter();
  w.attrU8(4, 1); // mtu as a u8: too short for u32
  const n = w.beginNest(7, false);
  w.attrBytes(2, Buffer.from([1])); // port too short
  w.bytes(Buffer.from([0xff, 0xff, 0x01, 0x00])); // garbage attribute header inside the nest
  w.endNest(n);
  w.attrBytes(6, Buffer.from([1, 2, 3])); // 3-byte address
  const b = w.toBuffer();
  const issues: DecodeIssue[] = [];
  const got = outer.decode(b, 0, b.length, issues);
  assert.is(got.mtu, undefined);
  assert.equal(got.info, {});
  assert.is(got.addr, '01:02:03');
  const paths = issues.map((i) => i.path);
  assert.ok(paths.includes('outer.mtu'), paths.join());
  assert.ok(paths.includes('outer.info.port'), paths.join());
  assert.ok(paths.includes('outer.info'), paths.join());
  assert.ok(paths.includes('outer.addr'), paths.join());
});

test('random bytes never make the decoder throw', () => {
  let seed = 12345;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
  for (let i = 0; i < 2000; i++) {
    const b = Buffer.alloc(rnd() % 64);
    for (let j = 0; j < b.length; j++) b[j] = rnd() & 0xff;
    if (b.length >= 2 && i % 2) b.writeUInt16LE(Math.min(b.length, 4 + (rnd() % 8)), 0);
    outer.decode(b, 0, b.length, []);
  }
});

test('a message schema merges header fields and attributes', () => {
  const link = messageSchema('link', ifinfomsg, {
    family: 'ifi_family',
    index: 'ifi_index',
    flags: field('ifi_flags', flagsMap('link flag', { up: 1, broadcast: 2 })),
  }, attrSet('link attrs', { ifname: attr(3, string), mtu: attr(4, u32) }));
  const w = new NetlinkWriter();
  const at = w.beginMessage(16, 0, 1, 0);
  link.encodePayload(w, { index: 7, flags: ['up'], ifname: 'lo', mtu: 65536 });
  w.endMessage(at);
  const b = w.toBuffer();
  assert.is(b.readInt32LE(16 + 4), 7);
  const got = link.decodeMessage(b, 0, b.length);
  assert.equal(got, { ifname: 'lo', mtu: 65536, family: 0, index: 7, flags: ['up'] });
  assert.throws(() => link.encodePayload(new NetlinkWriter(), { index: 2 ** 31 }), /link\.index: 2147483648 is out of range for s32/);
  assert.throws(() => link.encodePayload(new NetlinkWriter(), { bogus: 1 } as never), /unknown attribute "bogus"/);
  // a message shorter than its header is reported, header fields read as zero
  const short = Buffer.from(b.subarray(0, 20));
  short.writeUInt32LE(20, 0);
  const s = link.decodeMessage(short, 0, 20);
  assert.is(s.index, 0);
  assert.is(s.issues!.length, 1);
  assert.throws(() => messageSchema('x', ifinfomsg, { a: 'nope' }, attrSet('y', {})), /no scalar field nope/);
});

test('attribute ids cannot be declared twice', () => {
  assert.throws(() => attrSet('dup', { a: attr(1, u8), b: attr(1, u16) }), /declared twice/);
  assert.throws(() => attrSet('res', { unknown: attr(1, u8) }), /reserved/);
});

test('ipv4 codec refuses IPv6 and decodes exactly 4 bytes', () => {
  const s = attrSet('s', { a: attr(1, ipv4) });
  const w = new NetlinkWriter();
  assert.throws(() => s.encode(w, { a: '::1' }), /not a valid IPv4 address/);
  s.encode(w, { a: '198.18.0.1' });
  const b = w.toBuffer();
  assert.equal(s.decode(b, 0, b.length), { a: '198.18.0.1' });
});

test.run();
