// Decoding tc messages without a kernel: every captured request decodes
// cleanly with its kind's module (a request is a tcmsg like the kernel's
// replies), netem's options read back as given, unknown kinds keep their
// bytes, malformed input becomes issues, and tc's JSON shapes come out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  RTM_DELQDISC, RTM_DELTCLASS, RTM_DELTFILTER, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER, TCA_KIND, TCA_OPTIONS, TCA_PAD,
} from '../../src/generated/linux/rtnetlink.js';
import { decodeClass } from '../../src/rtnl/tc/class.js';
import { decodeFilter, filterRequest, isFilter } from '../../src/rtnl/tc/filter.js';
import { DEFAULT_CLOCK, setPschedClock } from '../../src/rtnl/tc/psched.js';
import { decodeQdisc, isQdisc, qdiscRequest } from '../../src/rtnl/tc/qdisc.js';
import { filterKinds } from '../../src/rtnl/tc/filters/registry.js';
import { qdiscKinds } from '../../src/rtnl/tc/qdiscs/registry.js';
import { qdiscToTc } from '../../src/cli/tc-json/qdisc.js';
import { filterToTc } from '../../src/cli/tc-json/filter.js';
import { serialize } from '../../src/rtnl/tc/json.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { listFixtures, loadFixture, requestOf } from '../helpers/fixtures.js';
import { requestBytes } from '../helpers/tc.js';

setPschedClock(DEFAULT_CLOCK);
const show = { devName: (i: number) => `if${i}`, oneDev: true, stats: false };

for (const file of listFixtures('tc')) {
  const f = loadFixture(file);
  const object = f.command.split(' ')[1]!;
  test(`decodes ${file}`, () => {
    const types: Record<string, [number, number, (b: Buffer, s: number, l: number) => unknown, Record<string, unknown>]> = {
      qdisc: [RTM_NEWQDISC, RTM_DELQDISC, decodeQdisc, qdiscKinds],
      class: [RTM_NEWTCLASS, RTM_DELTCLASS, decodeClass, qdiscKinds],
      filter: [RTM_NEWTFILTER, RTM_DELTFILTER, decodeFilter, filterKinds],
    };
    const [n, d, decode, kinds] = types[object]!;
    const msg = f.messages.some((m) => m.type === n) ? requestOf(f, n) : requestOf(f, d);
    const o = decode(msg, 0, msg.length) as { kind: string; options?: unknown; issues?: unknown[] };
    // Delete requests may leave the kind out; kernel messages always carry it.
    const issues = (o.issues ?? []).filter((i) => !(/no TCA_KIND/.test((i as { problem: string }).problem) && / del /.test(f.command)));
    assert.equal(issues, [], JSON.stringify(o.issues));
    if (o.options !== undefined && Object.hasOwn(kinds, o.kind)) assert.not.ok(Buffer.isBuffer(o.options), 'typed options');
  });
}

test('netem options read back as given', () => {
  const b = requestBytes(qdiscRequest('add', {
    ifindex: 2, parent: 'root', kind: 'netem',
    options: { delay: '100ms', jitter: '10ms', delayCorrelation: '25%', loss: { gemodel: { p: '1%', r: '10%', oneMinusH: '70%', oneMinusK: '0.1%' } }, rate: '1mbit', packetOverhead: 20, cellSize: 100, cellOverhead: -5, slot: { min: '1ms', max: '2ms', packets: 4 } },
  }));
  const q = decodeQdisc(b, 0, b.length)!;
  assert.ok(isQdisc(q, 'netem'));
  if (!isQdisc(q, 'netem')) return;
  const o = q.options!;
  assert.is(o.limit, 1000);
  assert.is(o.delay, 100000000);
  assert.is(o.jitter, 10000000);
  assert.ok(Math.abs(o.delayCorrelation! - 25) < 1e-6);
  assert.equal(o.rate, { rate: 125000, packetOverhead: 20, cellSize: 100, cellOverhead: -5 });
  assert.equal(o.slot, { minDelay: 1000000, maxDelay: 2000000, distDelay: 0, distJitter: 0, maxPackets: 4, maxBytes: 0 });
  assert.ok(o.lossModel?.model === 'gemodel' && Math.abs(o.lossModel.h - 30) < 1e-6);
  assert.is(serialize(qdiscToTc(q, show).json.get('options')!),
    '{"limit":1000,"delay":{"delay":0.1,"jitter":0.01,"correlation":0.25},"loss-gemodel":{"p":0.01,"r":0.1,"1-h":0.7,"1-k":0.001},' +
    '"rate":{"rate":125000,"packetoverhead":20,"cellsize":100,"celloverhead":-5},"slot":{"min-delay":0.001,"max-delay":0.002,"packets":4,"bytes":0},"ecn":false,"gap":0}');
});

test('TCA_PAD is alignment, not data: one or two of them decode the same (found in User-mode Linux: tc\'s class and ours dumped with different padding)', () => {
  const message = (pads: number): Buffer => {
    const w = new NetlinkWriter();
    const at = w.beginMessage(RTM_NEWQDISC, 0);
    const h = w.reserve(20);
    w.view().writeInt32LE(2, h + 4);
    w.attrString(TCA_KIND, 'pfifo');
    for (let i = 0; i < pads; i++) w.attrBytes(TCA_PAD, Buffer.alloc(0));
    w.endMessage(at);
    return w.toBuffer();
  };
  const [one, two] = [message(1), message(2)].map((b) => decodeQdisc(b, 0, b.length)!);
  assert.is(one.unknown, undefined, JSON.stringify(one.unknown));
  assert.equal(one, two);
});

test('a kind this version does not model keeps its options as bytes, both ways', () => {
  const raw = Buffer.from([8, 0, 1, 0, 42, 0, 0, 0]);
  const b = requestBytes(qdiscRequest('add', { ifindex: 2, parent: 'root', kind: 'sfb', options: raw }));
  const q = decodeQdisc(b, 0, b.length)!;
  assert.is(q.kind, 'sfb');
  assert.equal(q.options, raw);
  const fb = requestBytes(filterRequest('add', { ifindex: 2, parent: '1:', kind: 'cgroup', options: raw }));
  const f = decodeFilter(fb, 0, fb.length)!;
  assert.is(f.kind, 'cgroup');
  assert.equal(f.options, raw);
  assert.is(f.protocol, 'all');
  assert.throws(() => qdiscRequest('add', { ifindex: 2, parent: 'root', kind: 'sfb', options: { bandwidth: 1 } as never }).body!(new NetlinkWriter()), /not modeled.*Buffer/);
});

test('malformed messages decode to issues, never throw', () => {
  const w = new NetlinkWriter();
  const at = w.beginMessage(RTM_NEWQDISC, 0);
  w.reserve(20);
  w.attrString(TCA_KIND, 'htb');
  const opt = w.beginAttr(TCA_OPTIONS);
  w.bytes(Buffer.from([0xff, 0x00, 0x02, 0x00, 1])); // an attribute claiming 255 bytes
  w.endAttr(opt);
  w.endMessage(at);
  const b = w.toBuffer();
  const q = decodeQdisc(b, 0, b.length)!;
  assert.is(q.kind, 'htb');
  assert.ok(q.issues && q.issues.length > 0);
  const short = decodeQdisc(b.subarray(0, 24), 0, 24)!;
  assert.ok(short.issues && short.issues.length > 0);
});

test('u32 filter decodes keys and prints tc -j shape', () => {
  const b = requestBytes(filterRequest('add', {
    ifindex: 3, parent: '1:', protocol: 'ip', priority: 1, handle: '800::800', kind: 'u32',
    options: { match: [{ ip: 'dst', value: '198.18.0.0/16' }, { ip: 'dport', value: 80 }], classid: '1:10' },
  }));
  const f = decodeFilter(b, 0, b.length)!;
  assert.ok(isFilter(f, 'u32'));
  assert.is(serialize(filterToTc(f, { ...show, parent: '1:' }).json),
    '{"protocol":"ip","pref":1,"kind":"u32","options":{"fh":"800::800","order":2048,"flowid":"1:10",' +
    '"match":{"value":"c6120000","mask":"ffff0000","offmask":"","off":16},"match":{"value":"50","mask":"ffff","offmask":"","off":20}}}');
});

test.run();
