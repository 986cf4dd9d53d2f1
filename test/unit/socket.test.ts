import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NLMSG_ERROR, NLM_F_ACK, NLM_F_DUMP_INTR, NLM_F_ECHO, NLM_F_MULTI } from '../../src/generated/linux/netlink.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import { FakeKernel, type FakeHandler } from '../../src/socket/fake-kernel.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';

const GET = 18;
const NEW = 16;

function open(handler?: FakeHandler, extra: ConstructorParameters<typeof NetlinkSocket>[1] = {}): { k: FakeKernel; s: NetlinkSocket } {
  const k = new FakeKernel(handler);
  return { k, s: new NetlinkSocket(k, extra) };
}

/** A dump handler answering `n` objects, each a u32 attribute holding its index. */
const dumpOf = (n: number, flags = NLM_F_MULTI): FakeHandler => (req, reply) => {
  if (!(req.flags & 0x300)) { reply.ack(); return; }
  for (let i = 0; i < n; i++) reply.data(NEW, (w) => { w.reserve(16); w.attrU32(1, i); }, flags);
  reply.done();
};
const indexOf = (buf: Buffer, start: number): number => buf.readUInt32LE(start + 16 + 16 + 4);

test('a request carries REQUEST|ACK, a fresh seq and gets its ACK', async () => {
  const { k, s } = open();
  const r = await s.request({ type: NEW, flags: 0x400, body: (w) => w.attrU32(4, 1500) });
  assert.equal(r, []);
  const sent = k.sent[0]!;
  assert.is(sent.readUInt16LE(4), NEW);
  assert.is(sent.readUInt16LE(6), 0x400 | NLM_F_ACK | 1);
  const seq1 = sent.readUInt32LE(8);
  s.requestSync({ type: NEW });
  assert.is(k.sent[1]!.readUInt32LE(8), seq1 + 1);
});

test('a kernel refusal is a NetlinkError with errno name, extack text, operation and seq', async () => {
  const { s } = open((req, reply) => reply.error(17, { message: 'Address already assigned', offset: 32 }));
  try {
    await s.request({ type: NEW, operation: 'address add 198.18.0.1/24', headerSize: 8, body: (w) => { w.reserve(8); w.attrU32(1, 1); w.attrU32(2, 2); } });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NetlinkError);
    const err = e as NetlinkError;
    assert.is(err.code, 'EEXIST');
    assert.is(err.errno, 17);
    assert.is(err.operation, 'address add 198.18.0.1/24');
    assert.is(err.extack?.message, 'Address already assigned');
    assert.is(err.extack?.offset, 32);
    assert.equal(err.extack?.attributePath, [2]);
    assert.type(err.seq, 'number');
    assert.match(err.message, /address add 198\.18\.0\.1\/24: EEXIST \(file already exists\): Address already assigned/);
  }
});

test('GET replies are returned before the ACK ends the request', () => {
  const { s } = open((req, reply) => { reply.data(NEW, Buffer.alloc(16)); reply.data(NEW, Buffer.alloc(16)); reply.ack(); });
  assert.is(s.requestSync({ type: GET }).length, 2);
});

test('a dump spanning many datagrams is collected whole, in order', async () => {
  const { k, s } = open(dumpOf(3000));
  const got = await s.dump({ type: GET }, (b, st) => indexOf(b, st));
  assert.is(got.length, 3000);
  assert.ok(got.every((v, i) => v === i));
  assert.is(k.sent[0]!.readUInt16LE(6) & 0x300, 0x300);
  assert.is(s.dumpSync({ type: GET }).length, 3000);
});

test('a streamed dump yields as it reads and a break leaves the socket clean', async () => {
  const { k, s } = open(dumpOf(5000));
  let n = 0;
  for await (const v of s.dumpStream({ type: GET }, (b, st) => indexOf(b, st))) {
    assert.is(v, n);
    if (++n === 10) break;
  }
  assert.is(k.queued, 0, 'rest of the dump drained');
  assert.is((await s.dump({ type: GET })).length, 5000);
});

test('messages with a foreign seq or port are set aside, not mistaken for replies', () => {
  const { k, s } = open((req, reply) => reply.ack());
  const w = new NetlinkWriter();
  w.endMessage(w.beginMessage(NEW, 0, 999, 4242));
  w.endMessage(w.beginMessage(NEW, 0, 1, 77));
  k.push(w.toBuffer());
  s.requestSync({ type: NEW });
  assert.is(s.stale, 2);
});

test('a dump error (NLMSG_DONE with an errno) is raised with the partial data gone', async () => {
  const { s } = open((req, reply) => { reply.data(NEW, Buffer.alloc(16), NLM_F_MULTI); reply.done(95); });
  try { await s.dump({ type: GET, operation: 'route show' }); assert.unreachable(); } catch (e) {
    assert.is((e as NetlinkError).code, 'EOPNOTSUPP');
    assert.is((e as NetlinkError).operation, 'route show');
  }
  try { s.dumpSync({ type: GET }); assert.unreachable(); } catch (e) { assert.is((e as NetlinkError).code, 'EOPNOTSUPP'); }
});

test('NLM_F_DUMP_INTR restarts the dump, then fails with the partial data', async () => {
  let calls = 0;
  const { s } = open((req, reply) => { calls++; reply.data(NEW, Buffer.alloc(16), NLM_F_MULTI | (calls < 3 ? NLM_F_DUMP_INTR : 0)); reply.done(); });
  assert.is((await s.dump({ type: GET })).length, 1);
  assert.is(calls, 3);
  const always = open((req, reply) => { reply.data(NEW, Buffer.alloc(16), NLM_F_MULTI | NLM_F_DUMP_INTR); reply.done(); }).s;
  try { await always.dump({ type: GET }, undefined, { retries: 1 }); assert.unreachable(); } catch (e) {
    assert.is((e as NetlinkError).code, 'EINTR');
    assert.is((e as NetlinkError).partial!.length, 1);
  }
  try { always.dumpSync({ type: GET }, undefined, { retries: 0 }); assert.unreachable(); } catch (e) {
    assert.is((e as NetlinkError).code, 'EINTR');
  }
  let streamed = 0;
  try { for await (const _ of always.dumpStream({ type: GET })) streamed++; assert.unreachable(); } catch (e) {
    assert.is((e as NetlinkError).code, 'EINTR');
  }
  assert.is(streamed, 1);
});

test('a batch packs many requests per datagram and asks for ACKs only at datagram ends', async () => {
  const { k, s } = open((req, reply) => { if (req.flags & NLM_F_ACK) reply.ack(); });
  const reqs = Array.from({ length: 2500 }, (_, i) => ({ type: NEW, body: (w: NetlinkWriter) => w.attrU32(1, i) }));
  const r = await s.batch(reqs, { window: 1000 });
  assert.is(r.errors.length, 0);
  assert.is(r.sent, 2500);
  assert.is(k.sent.length, 3);
  let acks = 0;
  for (const d of k.sent) for (let off = 0; off < d.length; off += d.readUInt32LE(off)) if (d.readUInt16LE(off + 6) & NLM_F_ACK) acks++;
  assert.is(acks, 3);
});

test('batch errors are attributed to the request that caused them', () => {
  const { s } = open((req, reply) => {
    const i = req.payload.readUInt32LE(4);
    if (i % 1000 === 999) reply.error(17, { message: `dup ${i}` });
    else if (req.flags & NLM_F_ACK) reply.ack();
  });
  const reqs = Array.from({ length: 5000 }, (_, i) => ({ type: NEW, operation: `add ${i}`, body: (w: NetlinkWriter) => w.attrU32(1, i) }));
  const r = s.batchSync(reqs);
  assert.equal(r.errors.map((e) => e.index), [999, 1999, 2999, 3999, 4999]);
  assert.equal(r.errors.map((e) => e.operation), ['add 999', 'add 1999', 'add 2999', 'add 3999', 'add 4999']);
  assert.is(r.errors[4]!.extack?.message, 'dup 4999');
});

test('stop-at-first-error sends nothing after the failed request', () => {
  const applied: number[] = [];
  const { k, s } = open((req, reply) => {
    const i = req.payload.readUInt32LE(4);
    if (i === 7) { reply.error(22); return; }
    applied.push(i);
    reply.ack();
  });
  const reqs = Array.from({ length: 20 }, (_, i) => ({ type: NEW, body: (w: NetlinkWriter) => w.attrU32(1, i) }));
  const r = s.batchSync(reqs, { onError: 'stop' });
  assert.equal(applied, [0, 1, 2, 3, 4, 5, 6]);
  assert.is(r.sent, 8);
  assert.is(r.errors[0]!.index, 7);
  assert.is(k.sent.length, 8);
});

test('bad input in any request of a batch fails before anything is sent', async () => {
  const { k, s } = open();
  const reqs = [{ type: NEW, body: (w: NetlinkWriter) => w.attrU32(1, 1) }, { type: NEW, operation: 'link set', body: (w: NetlinkWriter) => w.attrU16(1, 70000, 'mtu') }];
  try { await s.batch(reqs); assert.unreachable(); } catch (e) {
    assert.instance(e, EncodeError);
    assert.match((e as Error).message, /link set: mtu: 70000/);
  }
  assert.is(k.sent.length, 0);
  assert.throws(() => s.requestSync({ type: NEW, body: (w) => w.bytes(Buffer.alloc(70000)) }), /larger than the 65536-byte datagram limit/);
  assert.is(k.sent.length, 0);
});

test('ECHO replies come back per request in a batch', async () => {
  const { s } = open((req, reply) => { if (req.flags & NLM_F_ECHO) reply.data(NEW, req.payload); if (req.flags & NLM_F_ACK) reply.ack(); });
  const r = await s.batch([{ type: NEW, flags: NLM_F_ECHO, body: (w) => w.attrU32(1, 5) }, { type: NEW }, { type: NEW, flags: NLM_F_ECHO }]);
  assert.is(r.replies[0]!.length, 1);
  assert.is(r.replies[1], undefined);
  assert.is(r.replies[2]!.length, 1);
});

test('a reply that is not queued yet: the Promise form waits, the sync form says EAGAIN', async () => {
  const { k, s } = open();
  k.deferReplies = true;
  const p = s.request({ type: NEW });
  await new Promise((r) => setImmediate(r));
  k.release();
  assert.equal(await p, []);
  try { s.requestSync({ type: NEW }); assert.unreachable(); } catch (e) {
    assert.is((e as NetlinkError).code, 'EAGAIN');
  }
  k.release(); // the late ACK is now stale
  const d = open(dumpOf(100));
  d.k.deferReplies = true;
  const dp = d.s.dump({ type: GET });
  setImmediate(() => d.k.release());
  assert.is((await dp).length, 100);
});

test('concurrent Promise requests on one socket are serialised', async () => {
  const { s } = open(dumpOf(50));
  const [a, b, c] = await Promise.all([s.dump({ type: GET }), s.request({ type: NEW }), s.dump({ type: GET })]);
  assert.is(a.length, 50);
  assert.equal(b, []);
  assert.is(c.length, 50);
});

test('a socket used after close fails clearly and sends nothing', async () => {
  const { k, s } = open();
  s.close();
  assert.ok(s.closed);
  assert.throws(() => s.requestSync({ type: NEW }), /closed/);
  try { await s.request({ type: NEW }); assert.unreachable(); } catch (e) { assert.match((e as Error).message, /EBADF|closed/); }
  assert.is(k.sent.length, 0);
  { using t = new NetlinkSocket(new FakeKernel()); void t; }
});

test('ENOBUFS on receive surfaces as an error of the operation', () => {
  const { k, s } = open();
  k.failNextReceive(105);
  assert.throws(() => s.requestSync({ type: NEW }), (e: Error) => (e as { code?: string }).code === 'ENOBUFS');
});

test('multicast events arrive through events(), with overruns in line', async () => {
  const { k, s } = open();
  s.subscribe(1, 5);
  assert.ok(k.groups.has(5));
  const ac = new AbortController();
  const got: string[] = [];
  const done = (async () => {
    for await (const ev of s.events(undefined, { signal: ac.signal })) {
      got.push(ev.kind === 'message' ? `msg ${ev.value.type}` : `overrun ${(ev.error as { code?: string }).code}`);
      if (got.length === 3) ac.abort();
    }
  })();
  await new Promise((r) => setImmediate(r));
  const w = new NetlinkWriter();
  w.endMessage(w.beginMessage(NEW, 0, 0, 0));
  k.push(w.toBuffer());
  k.failNextReceive(105);
  const w2 = new NetlinkWriter();
  w2.endMessage(w2.beginMessage(17, 0, 0, 0));
  k.push(w2.toBuffer());
  await done;
  assert.equal(got, ['msg 16', 'overrun ENOBUFS', 'msg 17']);
  s.unsubscribe(5);
  assert.not.ok(k.groups.has(5));
});

test('a request runs while an events() reader is active, and its own notification is an event', async () => {
  // The kernel multicasts the change to subscribers (our port and seq in it), then ACKs.
  const { k, s } = open((req, reply) => { reply.data(NEW, Buffer.alloc(16)); reply.ack(); });
  s.subscribe(1);
  const ac = new AbortController();
  const events: number[] = [];
  const reader = (async () => { for await (const ev of s.events(undefined, { signal: ac.signal })) if (ev.kind === 'message') events.push(ev.value.type); })();
  await new Promise((r) => setImmediate(r));
  const r = await s.request({ type: NEW, expectReply: false });
  assert.equal(r, []);
  await new Promise((r2) => setImmediate(r2));
  ac.abort();
  await reader;
  assert.equal(events, [NEW]);
  void k;
});

test('garbage datagrams are reported, not thrown from the decoder', () => {
  const { k, s } = open((req, reply) => reply.ack());
  k.push(Buffer.from('ffff0000', 'hex'));
  try { s.requestSync({ type: NEW }); } catch (e) { assert.unreachable(String(e)); }
  const t = open((req, reply) => { reply.data(NEW, Buffer.alloc(4), NLM_F_MULTI); reply.done(); }).s;
  assert.is(t.dumpSync({ type: GET }).length, 1);
  void NLMSG_ERROR;
});

test.run();
