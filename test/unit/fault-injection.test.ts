// Fault injection through the transport seam, the faults socket.test.ts and
// socket-faults.test.ts leave out. Each test is one row of docs/errors.md
// ("Faults and what the socket does"): the fault, then the documented outcome.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OsError } from '../../src/ffi/os-error.js';
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_MULTI } from '../../src/generated/linux/netlink.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { FakeKernel, type FakeHandler } from '../../src/socket/fake-kernel.js';
import type { Request } from '../../src/netlink/request.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { GET, NEW, dumpOf, indexOf, within } from '../helpers/fake-dumps.js';

const requests = (n: number): Request[] => Array.from({ length: n }, (_, i) => ({ type: NEW, operation: `add #${i}`, body: (w: NetlinkWriter) => w.attrU32(1, i) }));

/** The error a promise rejects with, or a sync call throws; fails the test if there is none. */
async function failure(fn: () => unknown): Promise<Error & { code?: string }> {
  try { await fn(); } catch (e) { return e as Error & { code?: string }; }
  throw new Error('expected a failure');
}

/** Makes the n-th call of the kernel's send or receive throw errno; returns what puts it back. */
function failNth(k: FakeKernel, method: 'send' | 'receive', n: number, errno: number): () => void {
  const orig = k[method];
  let calls = 0;
  k[method] = function (this: FakeKernel, b: Buffer) {
    if (++calls === n) throw new OsError(method, errno);
    return orig.call(this, b);
  } as never;
  return () => { k[method] = orig as never; };
}

/** A kernel whose datagrams for this exchange are cut `cut` bytes short. */
function cutting(handler: FakeHandler, cut: number): FakeKernel {
  const k = new FakeKernel(handler);
  const push = k.push.bind(k);
  k.push = (d: Buffer) => push(d.subarray(0, d.length - cut));
  return k;
}

// ── short reads and truncated datagrams ────────────────────────────────

test('a dump whose last reply is cut short (length past the datagram): EPROTO, sync and async, no hang', async () => {
  for (const mode of ['sync', 'async'] as const) {
    const s = new NetlinkSocket(cutting(dumpOf(3), 2));
    const issues: string[] = [];
    s.onIssue = (i) => issues.push(i.problem);
    const e = await failure(() => (mode === 'sync' ? s.dumpSync({ type: GET, operation: 'link show' }) : within(s.dump({ type: GET, operation: 'link show' }))));
    assert.instance(e, NetlinkError, mode);
    assert.is(e.code, 'EPROTO', mode);
    assert.match(e.message, /^link show: EPROTO \(protocol error\) \(a reply was cut short at byte \d+ of its \d+-byte datagram/);
    assert.ok(issues.some((p) => /message length 20 does not fit the 18 bytes left/.test(p)), `${mode}: reported as an issue too: ${issues.join()}`);
  }
});

test("an ACK cut inside its own header after the dump's data: EPROTO, the data before it is not mistaken for a whole answer", async () => {
  const s = new NetlinkSocket(cutting(dumpOf(2), 10));
  const e = await failure(() => within(s.dump({ type: GET }, indexOf)));
  assert.is(e.code, 'EPROTO');
});

test('a request whose ACK is cut short: EPROTO; the socket works afterwards', async () => {
  const k = cutting((req, reply) => reply.ack(), 4);
  const s = new NetlinkSocket(k);
  assert.is((await failure(() => within(s.request({ type: NEW })))).code, 'EPROTO');
  k.push = FakeKernel.prototype.push.bind(k);
  assert.equal(await s.request({ type: NEW }), []);
});

test('a cut datagram that is not ours (another seq) is reported and skipped; our request completes', () => {
  const k = new FakeKernel((req, reply) => reply.ack());
  const s = new NetlinkSocket(k);
  const w = new NetlinkWriter();
  const at = w.beginMessage(NEW, 0, 999_999, k.portId);
  w.reserve(32);
  w.endMessage(at);
  k.push(w.toBuffer().subarray(0, 30));
  assert.equal(s.requestSync({ type: NEW }), []);
  assert.ok(s.issues.some((i) => /does not fit/.test(i.problem)));
});

// ── wrong sequence number or port id ───────────────────────────────────

test("an error with our seq but another socket's port id is not ours: the request gets its own ACK", () => {
  const k = new FakeKernel((req, reply) => {
    const w = new NetlinkWriter();
    const at = w.beginMessage(NLMSG_ERROR, 0, req.seq, k.portId + 1);
    w.buffer.writeInt32LE(-17, w.reserve(4));
    w.bytes(req.message.subarray(0, 16));
    w.endMessage(at);
    k.push(w.toBuffer());
    reply.ack();
  });
  const s = new NetlinkSocket(k);
  assert.equal(s.requestSync({ type: NEW }), []);
  assert.is(s.stale, 1);
});

test("a NLMSG_DONE with another port id in the middle of a dump does not end it", () => {
  const k = new FakeKernel((req, reply) => {
    reply.data(NEW, (w) => { w.reserve(16); w.attrU32(1, 0); }, NLM_F_MULTI);
    const w = new NetlinkWriter();
    const at = w.beginMessage(NLMSG_DONE, NLM_F_MULTI, req.seq, k.portId + 7);
    w.reserve(4);
    w.endMessage(at);
    k.push(w.toBuffer());
    reply.data(NEW, (x) => { x.reserve(16); x.attrU32(1, 1); }, NLM_F_MULTI);
    reply.done();
  });
  const s = new NetlinkSocket(k);
  assert.equal(s.dumpSync({ type: GET }, indexOf), [0, 1]);
  assert.is(s.stale, 1);
});

// ── EINTR and EAGAIN ────────────────────────────────────────────────────

test('EINTR on every read: retried 8 times, then the operation fails with EINTR; the socket stays usable', async () => {
  const k = new FakeKernel();
  const s = new NetlinkSocket(k);
  for (let i = 0; i < 9; i++) k.failNextReceive(4);
  const e = await failure(() => s.requestSync({ type: NEW }));
  assert.instance(e, OsError);
  assert.is(e.code, 'EINTR');
  assert.equal(s.requestSync({ type: NEW }), [], 'the late ACK of the failed request is set aside');
});

test('EINTR or EAGAIN from a send: the operation fails with that code, nothing was sent, the socket stays usable', async () => {
  for (const errno of [4, 11]) {
    const k = new FakeKernel();
    const s = new NetlinkSocket(k);
    const restore = failNth(k, 'send', 1, errno);
    const e = await failure(() => s.request({ type: NEW }));
    assert.is(e.code, errno === 4 ? 'EINTR' : 'EAGAIN');
    assert.is(k.sent.length, 0);
    restore();
    assert.equal(await s.request({ type: NEW }), []);
  }
});

/** A batch of 3,000 requests in datagrams of 1,000 whose n-th send or receive fails; the socket is checked to work afterwards. */
async function batchFault(method: 'send' | 'receive', n: number, errno: number): Promise<{ code?: string; datagrams: number }> {
  const k = new FakeKernel();
  const s = new NetlinkSocket(k);
  const restore = failNth(k, method, n, errno);
  const e = await failure(() => s.batch(requests(3000), { window: 1000 }));
  const datagrams = k.sent.length;
  restore();
  assert.equal(await s.request({ type: NEW }), [], 'the socket works afterwards');
  return { code: e.code, datagrams };
}

test('EAGAIN from the send of a batch\'s second datagram: the batch fails with EAGAIN after the first datagram was handled', async () => {
  const r = await batchFault('send', 2, 11);
  assert.is(r.code, 'EAGAIN');
  assert.is(r.datagrams, 1, 'requests 0..999 went out and were answered; none after');
});

// ── ENOBUFS ─────────────────────────────────────────────────────────────

test('ENOBUFS while a batch reads its answers: the batch fails with ENOBUFS; late answers are set aside; the socket works', async () => {
  assert.is((await batchFault('receive', 2, 105)).code, 'ENOBUFS');
});

test('ENOBUFS in the middle of an async dump: the dump fails with ENOBUFS', async () => {
  const k = new FakeKernel(dumpOf(2000));
  k.datagramLimit = 2048;
  const s = new NetlinkSocket(k);
  failNth(k, 'receive', 3, 105);
  assert.is((await failure(() => within(s.dump({ type: GET })))).code, 'ENOBUFS');
});

// ── the socket closed in the middle ─────────────────────────────────────

test('the socket closed by another part of the program in the middle of a sync batch: EBADF, no hang', async () => {
  let acks = 0;
  let s!: NetlinkSocket;
  const k = new FakeKernel((req, reply) => { if (req.flags & NLM_F_ACK) { reply.ack(); if (++acks === 2) s.close(); } });
  s = new NetlinkSocket(k);
  const e = await failure(() => s.batchSync(requests(3000), { window: 1000 }));
  assert.is(e.code, 'EBADF');
  assert.is(k.sent.length, 2);
});

test('the socket closed from inside a decoder in the middle of a sync dump: EBADF', async () => {
  const k = new FakeKernel(dumpOf(3000));
  k.datagramLimit = 1024;
  const s = new NetlinkSocket(k);
  let n = 0;
  const e = await failure(() => s.dumpSync({ type: GET }, (b, st) => { if (++n === 10) s.close(); return indexOf(b, st); }));
  assert.is(e.code, 'EBADF');
});

test('the socket closed while an async dump waits for its next part: EBADF, no hang', async () => {
  const k = new FakeKernel(dumpOf(10));
  k.deferReplies = true;
  const s = new NetlinkSocket(k);
  const p = s.dump({ type: GET });
  await new Promise((r) => setImmediate(r));
  s.close();
  assert.is((await failure(() => within(p))).code, 'EBADF');
});

// ── an error for the 5,000th request ────────────────────────────────────

const refuses5000: FakeHandler = (req, reply) => {
  if (req.payload.readUInt32LE(4) === 4999) reply.error(17, { message: 'File exists' });
  else if (req.flags & NLM_F_ACK) reply.ack();
};

test("the kernel's error for the 5,000th request: 'continue' sends all and names request 4999; 'stop' sends nothing after it", () => {
  const a = new NetlinkSocket(new FakeKernel(refuses5000)).batchSync(requests(6000));
  assert.is(a.sent, 6000);
  assert.equal(a.errors.map((e) => [e.index, e.code, e.operation, e.extack?.message]), [[4999, 'EEXIST', 'add #4999', 'File exists']]);
  const k = new FakeKernel(refuses5000);
  const b = new NetlinkSocket(k).batchSync(requests(6000), { onError: 'stop' });
  assert.is(b.sent, 5000);
  assert.is(b.errors[0]!.index, 4999);
  assert.is(k.sent.length, 5000, 'one request per datagram in stop mode, none after the failed one');
});

test.run();
