// Fault injection through the transport seam: each fault, and what the
// socket does about it (the documented outcome).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NLM_F_ACK, NLM_F_MULTI } from '../../src/generated/linux/netlink.js';
import type { NetlinkError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { FakeKernel, type FakeHandler } from '../../src/socket/fake-kernel.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';

const NEW = 16;
const GET = 18;
const dumpOf = (n: number): FakeHandler => (req, reply) => {
  if (!(req.flags & 0x300)) { if (req.flags & NLM_F_ACK) reply.ack(); return; }
  for (let i = 0; i < n; i++) reply.data(NEW, (w) => { w.reserve(16); w.attrU32(1, i); }, NLM_F_MULTI);
  reply.done();
};
const idx = (b: Buffer, st: number): number => b.readUInt32LE(st + 36);

function event(type: number): Buffer {
  const w = new NetlinkWriter();
  const at = w.beginMessage(type, 0, 0, 0);
  w.reserve(16);
  w.endMessage(at);
  return w.toBuffer();
}

test('EINTR on a read is retried: the request completes', () => {
  const k = new FakeKernel();
  const s = new NetlinkSocket(k);
  k.failNextReceive(4);
  k.failNextReceive(4);
  assert.equal(s.requestSync({ type: NEW }), []);
});

test('a datagram larger than the read buffer is reported as an issue, not silently used', () => {
  const k = new FakeKernel(dumpOf(50));
  const seen: string[] = [];
  const s = new NetlinkSocket(k, { readBufferSize: 256 });
  s.onIssue = (i) => seen.push(i.problem);
  k.datagramLimit = 1024;
  assert.throws(() => s.dumpSync({ type: GET }, idx), (e: Error) => (e as NetlinkError).code === 'EMSGSIZE' && /raise readBufferSize/.test(e.message));
  assert.ok(seen.some((p) => /filled the whole 256-byte read buffer/.test(p)), seen.join());
  assert.ok(s.issues.length > 0);
});

test('stale replies with other sequence numbers inside a dump are set aside', () => {
  const k = new FakeKernel((req, reply) => {
    const stale = new NetlinkWriter();
    stale.endMessage(stale.beginMessage(NEW, NLM_F_MULTI, req.seq + 1000, k.portId));
    k.push(stale.toBuffer());
    dumpOf(10)(req, reply);
  });
  const s = new NetlinkSocket(k);
  assert.equal(s.dumpSync({ type: GET }, idx), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.is(s.stale, 1);
});

test('multicast messages interleaved with a dump go to the event reader; the dump is intact', async () => {
  const k = new FakeKernel((req, reply) => {
    k.push(event(17));
    dumpOf(3000)(req, reply);
    k.push(event(17));
  });
  k.datagramLimit = 4096;
  const s = new NetlinkSocket(k);
  s.subscribe(1);
  const ac = new AbortController();
  const events: number[] = [];
  const reader = (async () => { for await (const ev of s.events(undefined, { signal: ac.signal })) if (ev.kind === 'message') events.push(ev.value.type); })();
  await new Promise((r) => setImmediate(r));
  const got = await s.dump({ type: GET }, idx);
  assert.is(got.length, 3000);
  assert.ok(got.every((v, i) => v === i));
  await new Promise((r) => setImmediate(r));
  ac.abort();
  await reader;
  assert.equal(events, [17, 17]);
});

test('the socket closed in the middle of a dump: the loop ends with EBADF', async () => {
  const k = new FakeKernel(dumpOf(5000));
  k.datagramLimit = 2048;
  const s = new NetlinkSocket(k);
  let n = 0;
  try {
    for await (const _ of s.dumpStream({ type: GET })) if (++n === 5) s.close();
    assert.unreachable('the dump went on after close');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'EBADF');
  }
  assert.ok(n >= 5);
});

test('the socket closed while a batch waits for its reply: the batch fails with EBADF, no hang', async () => {
  const k = new FakeKernel();
  k.deferReplies = true;
  const s = new NetlinkSocket(k);
  const p = s.batch([{ type: NEW }, { type: NEW }]);
  await new Promise((r) => setImmediate(r));
  s.close();
  try { await p; assert.unreachable(); } catch (e) { assert.is((e as NetlinkError).code, 'EBADF'); }
});

test('an error for the 5,000th request of a batch names that request', async () => {
  const k = new FakeKernel((req, reply) => {
    if (req.payload.readUInt32LE(4) === 4999) reply.error(22, { message: 'Invalid argument at 4999' });
    else if (req.flags & NLM_F_ACK) reply.ack();
  });
  const s = new NetlinkSocket(k);
  const reqs = Array.from({ length: 6000 }, (_, i) => ({ type: NEW, operation: `route add #${i}`, body: (w: NetlinkWriter) => w.attrU32(1, i) }));
  const r = await s.batch(reqs);
  assert.is(r.errors.length, 1);
  assert.is(r.errors[0]!.index, 4999);
  assert.is(r.errors[0]!.operation, 'route add #4999');
  assert.is(r.sent, 6000);
});

test('ENOBUFS in the middle of a dump fails the dump with ENOBUFS', () => {
  let calls = 0;
  const k = new FakeKernel(dumpOf(2000));
  k.datagramLimit = 2048;
  const s = new NetlinkSocket(k);
  const orig = k.receive.bind(k);
  k.receive = (buf: Buffer) => { if (++calls === 3) k.failNextReceive(105); return orig(buf); };
  assert.throws(() => s.dumpSync({ type: GET }), (e: Error) => (e as { code?: string }).code === 'ENOBUFS');
  // The socket is still usable afterwards.
  k.receive = orig;
  k.setHandler(dumpOf(3));
  assert.is(s.dumpSync({ type: GET }).length, 3);
});

test.run();
