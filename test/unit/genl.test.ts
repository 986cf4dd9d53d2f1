import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readSpec } from '../../codegen/ynl/spec.js';
import * as G from '../../src/generated/linux/genetlink.js';
import { spec as nlctrl } from '../../src/generated/ynl/nlctrl.js';
import { spec as netdev } from '../../src/generated/ynl/netdev.js';
import { spec as ethtool } from '../../src/generated/ynl/ethtool.js';
import { ynlSpecs } from '../../src/generated/ynl/index.js';
import { Genl } from '../../src/genl/client.js';
import { GenlCodec } from '../../src/genl/message.js';
import type { GenlSpec } from '../../src/genl/spec.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { type FakeHandler, FakeKernel, type FakeRequest } from '../../src/socket/fake-kernel.js';
import { rejects } from '../helpers/expect.js';
import { sampleMessages } from '../helpers/genl-samples.js';

const SPEC = `
name: demo
protocol: genetlink-legacy
definitions:
  - { name: max-name, type: const, value: 15 }
  - { name: colour, type: enum, value-start: 2, entries: [ red, { name: blue, value: 7 }, green ] }
  - { name: bits, type: flags, entries: [ a, b, c ] }
attribute-sets:
  - name: main
    attributes:
      - { name: id, type: u32, checks: { min: 1, max: u32-max } }
      - { name: name, type: string, checks: { max-len: max-name } }
      - { name: skip, type: unused }
      - { name: colour, type: u8, enum: colour }
      - { name: later, type: u16, value: 10, byte-order: big-endian }
      - { name: nest, type: nest, nested-attributes: inner }
      - { name: many, type: u32, multi-attr: true }
  - name: inner
    attributes:
      - { name: x, type: u32, enum: bits, enum-as-flags: true }
  - name: sub
    subset-of: main
    attributes:
      - { name: later }
      - { name: id }
operations:
  enum-model: directional
  list:
    - name: get
      attribute-set: main
      do:
        request: { value: 3, attributes: [ id ] }
        reply: { value: 5, attributes: [ id, name ] }
    - name: set
      attribute-set: main
      do: { request: { attributes: [ id, name ] } }
    - name: ntf
      notify: get
mcast-groups:
  list: [ { name: events } ]
`;

test('generator: ids, subsets, enums, flags, checks and directional op numbers as nlspec.py counts them', () => {
  const s = readSpec(SPEC, 'demo.yaml');
  assert.equal(s.sets.main!.map((a) => [a.name, a.id]), [['id', 1], ['name', 2], ['colour', 4], ['later', 10], ['nest', 11], ['many', 12]]);
  assert.equal(s.sets.sub!.map((a) => [a.name, a.id, a.be ?? false]), [['later', 10, true], ['id', 1, false]]);
  assert.equal(s.enums.colour, { entries: { red: 2, blue: 7, green: 8 } });
  assert.equal(s.enums.bits, { flags: true, entries: { a: 0, b: 1, c: 2 } });
  assert.equal(s.sets.main![0]!.checks, { min: 1, max: 0xffffffff });
  assert.equal(s.sets.main![1]!.checks, { maxLen: 15 });
  assert.is(s.sets.inner![0]!.asFlags, true);
  assert.is(s.sets.main![4]!.multi, undefined);
  assert.is(s.sets.main![5]!.multi, true);
  // get: request 3, reply 5; set: request 4, no reply; ntf: reply numbering goes on at 6.
  assert.equal(s.ops.map((o) => [o.name, o.cmd, o.replyCmd, o.set]), [['get', 3, 5, 'main'], ['set', 4, undefined, 'main'], ['ntf', 6, undefined, 'main']]);
  assert.equal(s.groups, ['events']);
});

test('committed nlctrl tables agree with the uapi constants of linux/genetlink.h', () => {
  const ctrl = new Map(nlctrl.sets['ctrl-attrs'].map((a) => [a.name, a.id]));
  assert.is(ctrl.get('family-id'), G.CTRL_ATTR_FAMILY_ID);
  assert.is(ctrl.get('family-name'), G.CTRL_ATTR_FAMILY_NAME);
  assert.is(ctrl.get('mcast-groups'), G.CTRL_ATTR_MCAST_GROUPS);
  assert.is(ctrl.get('op'), G.CTRL_ATTR_OP);
  assert.is(nlctrl.ops.find((o) => o.name === 'getfamily')!.cmd, G.CTRL_CMD_GETFAMILY);
  assert.is(nlctrl.ops.find((o) => o.name === 'getpolicy')!.cmd, G.CTRL_CMD_GETPOLICY);
  const grp = new Map(nlctrl.sets['mcast-group-attrs'].map((a) => [a.name, a.id]));
  assert.is(grp.get('id'), G.CTRL_ATTR_MCAST_GRP_ID);
  assert.equal(Object.keys(ynlSpecs).sort(), ['devlink', 'dpll', 'ethtool', 'fou', 'handshake', 'mptcp_pm', 'netdev', 'nfsd', 'nlctrl', 'ovs_datapath', 'ovs_flow', 'ovs_vport', 'tcp_metrics', 'team']);
});

test('every committed family loads and every attribute set builds (specs the kernel here lacks included)', async () => {
  for (const [name, load] of Object.entries(ynlSpecs)) {
    const spec = await load();
    assert.is(spec.name, name);
    const codec = new GenlCodec(spec);
    for (const set of Object.keys(spec.sets)) {
      const s = codec.schema.set(set);
      // Decoding an empty payload exercises the compiled walk of the set.
      assert.equal(s.decode(Buffer.alloc(0), 0, 0), {});
    }
    for (const op of spec.ops) for (const mode of ['do', 'dump'] as const) if (op[mode]?.request) codec.schema.requestSet(op, mode);
  }
});

/** A request as the codec encodes it. */
function message(codec: GenlCodec, opName: string, attrs: Record<string, unknown>, type = 0x20): Buffer {
  const op = codec.op(opName);
  const mode = op.do ? 'do' : 'dump';
  const req = codec.request(op, mode, type, 1, attrs);
  const w = new NetlinkWriter(256);
  const at = w.beginMessage(type, 0, 1, 0);
  req.body!(w);
  w.endMessage(at);
  return w.toBuffer();
}

/** A reply as the kernel would send it: any attribute of the op's set. */
function replyPayload(codec: GenlCodec, opName: string, attrs: Record<string, unknown>): Buffer {
  const op = codec.op(opName);
  const w = new NetlinkWriter(256);
  const at = w.reserve(4);
  w.buffer[at] = op.replyCmd ?? op.cmd;
  w.buffer[at + 1] = 1;
  codec.schema.set(op.set!).encode(w, attrs);
  return w.toBuffer();
}

test('types: requests and replies of the committed families are typed from their tables', () => {
  // Compile-time checks (tsc fails on a wrong one); the function is never called.
  const check = async (g: Genl): Promise<void> => {
    const [m] = await g.do('netdev', 'dev-get', { ifindex: 1 });
    const n: number | undefined = m!.attrs.ifindex;
    const f: ('basic' | 'redirect' | 'ndo-xmit' | 'xsk-zerocopy' | 'hw-offload' | 'rx-sg' | 'ndo-xmit-sg' | `0x${string}`)[] | undefined = m!.attrs['xdp-features'];
    // @ts-expect-error xdp-features is not a request attribute of dev-get
    await g.do('netdev', 'dev-get', { 'xdp-features': 1 });
    // @ts-expect-error dev-add-ntf is a notification, not a request
    await g.do('netdev', 'dev-add-ntf');
    // @ts-expect-error ifindex is a number
    await g.do('netdev', 'dev-get', { ifindex: 'lo' });
    const [e] = await g.do('ethtool', 'linkinfo-get', { header: { 'dev-name': 'x' } });
    const name: string | undefined = e!.attrs.header?.['dev-name'];
    const d = await g.dump('mptcp_pm', 'get-addr');
    const id: number | undefined = d[0]?.attrs.addr?.id;
    // A family without a committed spec stays open (its spec is passed at run time).
    await g.do('vendor_x', 'anything', { any: 1 }, { spec: nlctrl });
    void [n, f, name, id];
  };
  assert.type(check, 'function');
});

test('codec: enums as names, flags as name lists, nests with NLA_F_NESTED, round trip through the spec', () => {
  const codec = new GenlCodec(netdev);
  const buf = message(codec, 'dev-get', { ifindex: 7 });
  const m = codec.decode(buf, 0, buf.length, codec.op('dev-get'));
  assert.equal(m, { family: 'netdev', op: 'dev-get', cmd: 1, version: 1, attrs: { ifindex: 7 } });
  // ethtool's header is a nest: its type carries NLA_F_NESTED (strict policies refuse it without).
  const e = new GenlCodec(ethtool);
  const eb = message(e, 'linkinfo-get', { header: { 'dev-name': 'veth0', flags: ['compact-bitsets'] } });
  assert.is(eb.readUInt16LE(16 + 4 + 2) & 0x8000, 0x8000);
  const back = e.decode(eb, 0, eb.length, e.op('linkinfo-get'));
  assert.equal(back.attrs, { header: { 'dev-name': 'veth0', flags: ['compact-bitsets'] } });
});

test('codec: what the spec refuses is refused with the attribute named', () => {
  const codec = new GenlCodec(netdev);
  const op = codec.op('dev-get');
  assert.throws(() => codec.validate(op, 'do', { ifindex: 0 }), /netdev\.dev-get\.ifindex: 0 is below the minimum 1/);
  assert.throws(() => codec.validate(op, 'do', { 'xdp-features': 1 }), /unknown attribute "xdp-features" \(known: ifindex\)/);
  assert.throws(() => codec.validate(op, 'do', { ifindex: 'one' }), /ifindex/);
  assert.throws(() => codec.op('page-pool-get', 'do') && codec.op('dev-add-ntf', 'do'), /cannot be used as a request/);
  assert.throws(() => codec.op('bogus'), /no operation "bogus"/);
});

test('codec: a truncated or malformed message is decoded with issues, never thrown', () => {
  const codec = new GenlCodec(netdev);
  const buf = message(codec, 'dev-get', { ifindex: 7 });
  const short = codec.decode(buf, 0, 18, undefined);
  assert.ok(short.issues?.length);
  const bad = Buffer.from(buf);
  bad.writeUInt16LE(200, 20); // the attribute claims more bytes than there are
  assert.ok(codec.decode(bad, 0, bad.length, undefined).issues?.length);
});

/** A fake nlctrl that hands out `ids` for netdev in turn, and a netdev that only answers to the current id. */
function fakeGenl(ids: number[]): { handler: FakeHandler; asked: () => number } {
  const ctrl = new GenlCodec(ynlSpecsSync.nlctrl!);
  let lookups = 0;
  let id = ids[0]!;
  const handler: FakeHandler = (req: FakeRequest, reply) => {
    if (req.type === G.GENL_ID_CTRL) {
      id = ids[Math.min(lookups++, ids.length - 1)]!;
      reply.data(G.GENL_ID_CTRL, replyPayload(ctrl, 'getfamily', { 'family-id': id, 'family-name': 'netdev', version: 1, 'mcast-groups': [{ id: 4, name: 'mgmt' }] })).ack();
    } else if (req.type === id) {
      reply.data(id, replyPayload(new GenlCodec(netdev), 'dev-get', { ifindex: 1 })).ack();
    } else {
      reply.error(2); // ENOENT: no family with that id
    }
  };
  return { handler, asked: () => lookups };
}
const ynlSpecsSync: Record<string, GenlSpec> = { nlctrl };

test('family ids are cached per client and asked for again when the family went away (ENOENT), then the request is retried once', async () => {
  const f = fakeGenl([40]);
  const kernel = new FakeKernel(f.handler);
  using g = Genl.open({ transport: kernel });
  assert.equal((await g.do('netdev', 'dev-get', { ifindex: 1 })).map((m) => m.attrs.ifindex), [1]);
  await g.do('netdev', 'dev-get', { ifindex: 1 });
  assert.is(f.asked(), 1); // cached
  // The family is reloaded under a new id: the next request hits ENOENT, is resolved again and retried.
  const moved = fakeGenl([41]);
  kernel.setHandler(moved.handler);
  const r = await g.do('netdev', 'dev-get', { ifindex: 1 });
  assert.equal(r.map((m) => m.attrs.ifindex), [1]);
  assert.is(moved.asked(), 1);
  assert.is((await g.family('netdev')).info.id, 41);
  assert.equal((await g.family('netdev')).info.groups, [{ name: 'mgmt', id: 4 }]);
});

test('ENOENT from the family itself (same id after asking again) is the caller\'s error, not retried forever', async () => {
  const kernel = new FakeKernel(fakeGenl([40]).handler);
  using g = Genl.open({ transport: kernel });
  await g.family('netdev');
  kernel.setHandler((req, reply) => {
    if (req.type === G.GENL_ID_CTRL) {
      reply.data(G.GENL_ID_CTRL, replyPayload(new GenlCodec(nlctrl), 'getfamily', { 'family-id': 40, 'family-name': 'netdev', version: 1 })).ack();
    } else reply.error(2);
  });
  await rejects(() => g.do('netdev', 'dev-get', { ifindex: 1 }), (e) => e instanceof NetlinkError && e.code === 'ENOENT');
});

test('a family that goes away is forgotten (nlctrl DELFAMILY), and one that comes back has its groups joined again (NEWFAMILY)', async () => {
  const ctrl = new GenlCodec(nlctrl);
  let lookups = 0;
  const kernel = new FakeKernel((req, reply) => {
    if (req.type !== G.GENL_ID_CTRL) { reply.error(2); return; }
    lookups++;
    const name = req.payload.includes(Buffer.from('nlctrl\0')) ? 'nlctrl' : 'netdev';
    const attrs = name === 'nlctrl'
      ? { 'family-id': G.GENL_ID_CTRL, 'family-name': 'nlctrl', version: 2, 'mcast-groups': [{ id: 16, name: 'notify' }] }
      : { 'family-id': 40, 'family-name': 'netdev', version: 1, 'mcast-groups': [{ id: 4, name: 'mgmt' }] };
    reply.data(G.GENL_ID_CTRL, replyPayload(ctrl, 'getfamily', attrs)).ack();
  });
  using g = Genl.open({ transport: kernel });
  await g.subscribe('netdev', 'mgmt');
  assert.equal([...kernel.groups].sort((a, b) => a - b), [4, 16]);
  const asked = lookups;
  // What nlctrl multicasts when a family unregisters and registers again (genl_ctrl_event).
  const news = (cmd: number, attrs: Record<string, unknown>): Buffer => {
    const w = new NetlinkWriter(256);
    const at = w.reserve(16);
    const body = w.reserve(4);
    w.buffer[body] = cmd;
    w.buffer[body + 1] = 2;
    ctrl.schema.set('ctrl-attrs').encode(w, attrs);
    const b = w.toBuffer();
    b.writeUInt32LE(b.length, at);
    b.writeUInt16LE(G.GENL_ID_CTRL, at + 4);
    return b;
  };
  const events = g.events();
  const next = async (): Promise<string> => {
    for (;;) {
      const r = await events.next();
      if (r.done) return 'end';
      if (r.value.kind === 'message') return r.value.value.op;
    }
  };
  kernel.push(news(G.CTRL_CMD_DELFAMILY, { 'family-id': 40, 'family-name': 'netdev' }));
  assert.is(await next(), 'delfamily');
  // Forgotten: the next use asks nlctrl again.
  assert.is((await g.family('netdev')).info.id, 40);
  assert.is(lookups, asked + 1);
  kernel.push(news(G.CTRL_CMD_DELFAMILY, { 'family-id': 40, 'family-name': 'netdev' }));
  kernel.push(news(G.CTRL_CMD_NEWFAMILY, { 'family-id': 41, 'family-name': 'netdev', version: 1, 'mcast-groups': [{ id: 5, name: 'mgmt' }] }));
  assert.is(await next(), 'delfamily');
  assert.is(await next(), 'newfamily');
  await events.return?.();
  // The new id and group came with the announcement: no lookup, the group joined under its new number.
  assert.is((await g.family('netdev')).info.id, 41);
  assert.is(lookups, asked + 1);
  assert.ok(kernel.groups.has(5), [...kernel.groups].join(','));
});

test('a family without a spec is refused before anything is sent', async () => {
  const kernel = new FakeKernel((_req, reply) => { reply.error(22); });
  using g = Genl.open({ transport: kernel });
  await rejects(() => g.dump('nope', 'x'), (e) => /no spec for generic netlink family "nope"/.test(e.message));
});

test('every attribute of every committed family encodes and decodes back to the same value', async () => {
  let n = 0;
  for (const load of Object.values(ynlSpecs)) {
    const spec = await load();
    const codec = new GenlCodec(spec);
    for (const m of sampleMessages(spec, 0x30)) {
      const back = codec.decode(m.bytes, 0, m.bytes.length, codec.op(m.op));
      assert.is(back.issues, undefined, `${spec.name} ${m.op}`);
      // Numbers that fit come back as numbers; the samples' 64-bit values are beyond them on purpose.
      assert.equal(back.attrs, m.attrs, `${spec.name} ${m.op}`);
      n++;
    }
  }
  assert.ok(n > 100, `${n} messages`);
});

test.run();
