// The compiled schema encoders and decoders against the table-driven walks
// they replace: every message iproute2 sent in the golden fixtures is decoded
// both ways and encoded again both ways, and must come out the same; so must
// malformed input and bad input's errors. Plus the decode caches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NLMSG_HDRLEN, NetlinkWriter } from '../../src/netlink/writer.js';
import { type MessageSchema, useCompiledSchemas } from '../../src/netlink/schema.js';
import { formatIPv4 } from '../../src/netlink/ip.js';
import { addressMessage } from '../../src/rtnl/address.js';
import { linkMessage } from '../../src/rtnl/link.js';
import { neighbourMessage } from '../../src/rtnl/neighbour.js';
import { routeMessage } from '../../src/rtnl/route.js';
import { routeFlags } from '../../src/rtnl/route-names.js';
import { ruleMessage } from '../../src/rtnl/rule.js';
import { tcMessage } from '../../src/rtnl/tc/tcmsg.js';
import { listFixtures, loadFixture } from '../helpers/fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySchema = MessageSchema<any, any>;

/** The schema of a message type, by rtnetlink's families of four. */
function schemaOf(type: number): AnySchema | undefined {
  if (type >= 16 && type <= 19) return linkMessage;
  if (type >= 20 && type <= 23) return addressMessage;
  if (type >= 24 && type <= 27) return routeMessage;
  if (type >= 28 && type <= 31) return neighbourMessage;
  if (type >= 32 && type <= 35) return ruleMessage;
  if (type >= 36 && type <= 47) return tcMessage;
  return undefined;
}

function both<T>(f: () => T): [T, T] {
  useCompiledSchemas(false);
  try {
    const generic = f();
    useCompiledSchemas(true);
    return [f(), generic];
  } finally {
    useCompiledSchemas(true);
  }
}

const decode = (s: AnySchema, m: Buffer): unknown => s.decodePayload(m, NLMSG_HDRLEN, m.length, []);
function encode(s: AnySchema, v: unknown): Buffer {
  const w = new NetlinkWriter(64);
  s.encodePayload(w, v as never);
  return w.toBuffer();
}

const messages: { file: string; type: number; bytes: Buffer }[] = [];
for (const dir of ['link', 'address', 'route', 'neigh', 'rule', 'tc']) {
  for (const file of listFixtures(dir)) {
    for (const m of loadFixture(file).messages) messages.push({ file, type: m.type, bytes: Buffer.from(m.hex, 'hex') });
  }
}

test('every fixture message decodes and encodes the same compiled and table-driven', () => {
  let checked = 0;
  for (const { file, type, bytes } of messages) {
    const s = schemaOf(type);
    if (!s || bytes.length < NLMSG_HDRLEN) continue;
    const [fast, slow] = both(() => decode(s, bytes));
    assert.equal(fast, slow, `${file}: decoded`);
    // Keys in wire order: encoding what was decoded gives the same bytes both ways.
    const { issues: _issues, ...value } = fast as Record<string, unknown>;
    let out: [Buffer | string, Buffer | string];
    try {
      out = both(() => encode(s, value));
    } catch {
      out = both(() => { try { return encode(s, value); } catch (e) { return (e as Error).message; } });
    }
    assert.equal(out[0], out[1], `${file}: encoded`);
    checked++;
  }
  assert.ok(checked > 100, `${checked} messages`);
});

test('malformed attributes: the same object and the same issues both ways', () => {
  const w = new NetlinkWriter();
  const at = w.beginMessage(24, 0);
  routeMessage.encodePayload(w, { family: 2, dstLen: 24, dst: '198.18.1.0', oif: 3, metrics: { mtu: 1400 } });
  w.endMessage(at);
  const good = w.toBuffer();
  const bad = Buffer.concat([good, Buffer.from([9, 0, 1, 0, 1, 2])]);
  bad.writeUInt32LE(bad.length, 0);
  const truncated = Buffer.from(good);
  truncated.writeUInt16LE(200, NLMSG_HDRLEN + 12); // the first attribute claims more than there is
  for (const m of [bad, truncated, good.subarray(0, NLMSG_HDRLEN + 6)]) {
    const [fast, slow] = both(() => routeMessage.decodeMessage(m, 0, m.length));
    assert.equal(fast, slow);
  }
});

test('bad input: the same error, naming the same field, both ways', () => {
  const cases: [AnySchema, unknown][] = [
    [routeMessage, { family: 2, dstLen: 33.5 }],
    [routeMessage, { family: 'nope' }],
    // A number is an MPLS label (route-input.ts): one beyond 20 bits is bad.
    [routeMessage, { dst: 2 ** 21 }],
    [routeMessage, { dst: true }],
    [routeMessage, { nexthops: 'x' }],
    [routeMessage, { metrics: { mtu: -1 } }],
    [routeMessage, { bogus: 1 }],
    [linkMessage, { name: 'x'.repeat(20) }],
    [linkMessage, { linkinfo: { kind: 'veth', data: { peer: { mtu: 2 ** 40 } } } }],
    [addressMessage, 'not an object'],
  ];
  for (const [s, v] of cases) {
    const [fast, slow] = both(() => { try { encode(s, v); return 'no error'; } catch (e) { return `${(e as Error).name}: ${(e as Error).message}`; } });
    assert.is(fast, slow);
    assert.is.not(fast, 'no error', JSON.stringify(v));
  }
});

test('decoded flag lists are copies: changing one changes no other', () => {
  const a = routeFlags.decode(0x14);
  a.push('onlink');
  assert.equal(routeFlags.decode(0x14), routeFlags.decode(0x14));
  assert.is.not(routeFlags.decode(0x14), routeFlags.decode(0x14));
  assert.is(routeFlags.decode(0x14).length, a.length - 1);
});

test('IPv4 text is right across /24 boundaries (the last /24 is cached)', () => {
  const b = Buffer.from([198, 18, 0, 255, 198, 18, 1, 0, 198, 18, 1, 7, 10, 0, 0, 1, 198, 18, 1, 9]);
  assert.equal([0, 4, 8, 12, 16].map((o) => formatIPv4(b, o)), ['198.18.0.255', '198.18.1.0', '198.18.1.7', '10.0.0.1', '198.18.1.9']);
});

test.run();
