// Bounds on a request's wait: timeoutMs and AbortSignal on every Promise-form
// request, dump and batch (and the client's verbs through nl.with()), answers
// that cannot be matched, and what the socket is like afterwards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { FakeKernel, type FakeHandler } from '../../src/socket/fake-kernel.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { AbortError } from '../../src/socket/request-options.js';
import { GET, NEW, dumpOf, indexOf, within } from '../helpers/fake-dumps.js';

/** How a promise settled: its value, or the error's code (or name). */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  return p.then((v) => v, (e: Error & { code?: string }) => `error ${e.code ?? e.name}`);
}

/** A kernel that hands the datagrams of the next exchange to `tamper` instead of delivering them. */
function tampering(handler: FakeHandler): { k: FakeKernel; tamper(f: (d: Buffer) => Buffer[]): void } {
  const k = new FakeKernel(handler);
  let f: ((d: Buffer) => Buffer[]) | undefined;
  const push = k.push.bind(k);
  const send = k.send.bind(k);
  let inSend = false;
  k.send = (d: Buffer) => { inSend = true; try { send(d); } finally { inSend = false; f = undefined; } };
  k.push = (d: Buffer) => { if (inSend && f) for (const x of f(d)) push(x); else push(d); };
  return { k, tamper: (g) => { f = g; } };
}

/** A copy of the datagram with a header field of every message in it rewritten. */
function rewrite(d: Buffer, offset: number, value: number): Buffer {
  const c = Buffer.from(d);
  for (let at = 0; at + 16 <= c.length; at += (c.readUInt32LE(at) + 3) & ~3) c.writeUInt32LE(value, at + offset);
  return c;
}
const withSeq = (d: Buffer, seq: number): Buffer => rewrite(d, 8, seq);
const withPid = (d: Buffer, pid: number): Buffer => rewrite(d, 12, pid);

test('an answer that cannot be matched (seq, port id, cut header): ETIMEDOUT, not a hang; the socket answers the next request; the late answer is set aside', async () => {
  const cases: [string, (d: Buffer) => Buffer[]][] = [
    ['another seq', (d) => [withSeq(d, 0xdead)]],
    ['another port id', (d) => [withPid(d, 77)]],
    ['cut inside its header', (d) => [d.subarray(0, 10)]],
    ['lost', () => []],
  ];
  for (const [what, f] of cases) {
    for (const kind of ['request', 'dump', 'batch', 'dumpStream'] as const) {
      const { k, tamper } = tampering(dumpOf(2));
      const s = new NetlinkSocket(k);
      tamper(f);
      const opts = { timeoutMs: 20 };
      const p: Promise<unknown> = kind === 'request' ? s.request({ type: NEW, operation: 'link add x' }, undefined, opts)
        : kind === 'dump' ? s.dump({ type: GET, operation: 'link show' }, indexOf, opts)
        : kind === 'batch' ? s.batch([{ type: NEW }, { type: NEW }], opts)
        : (async () => { const out = []; for await (const v of s.dumpStream({ type: GET }, indexOf, opts)) out.push(v); return out; })();
      const err = await within(p).then(() => undefined, (e: unknown) => e);
      assert.instance(err, NetlinkError, `${what}, ${kind}: ${String(err)}`);
      assert.is((err as NetlinkError).code, 'ETIMEDOUT', `${what}, ${kind}`);
      if (kind === 'request') assert.match((err as Error).message, /^link add x: ETIMEDOUT/);
      if (kind === 'dump') assert.is((err as NetlinkError).operation, 'link show');
      // The answer turns up late: it matches nothing now.
      const seq = k.sent.at(-1)!.readUInt32LE(8);
      const late = new NetlinkWriter();
      const at = late.beginMessage(2 /* NLMSG_ERROR */, 0, seq, k.portId);
      late.reserve(4);
      late.bytes(k.sent.at(-1)!.subarray(0, 16));
      late.endMessage(at);
      k.push(late.toBuffer());
      const stale = s.stale;
      assert.equal(await within(s.dump({ type: GET }, indexOf)), [0, 1], `${what}, ${kind}: the next dump`);
      assert.equal(await within(s.request({ type: NEW })), [], `${what}, ${kind}: the next request`);
      assert.ok(s.stale > stale, `${what}, ${kind}: the late answer was set aside`);
    }
  }
});

test('corrupted answers (a seeded sample of 400): each request settles, none waits forever, the socket works afterwards', async () => {
  let seed = 23;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const seen = new Map<unknown, number>();
  for (let t = 0; t < 400; t++) {
    const { k, tamper } = tampering(dumpOf(3));
    k.datagramLimit = 64;
    const s = new NetlinkSocket(k, { timeoutMs: 15 });
    tamper((d) => {
      const c = Buffer.from(d);
      for (let i = 1 + rnd(3); i > 0; i--) c[rnd(c.length)] = rnd(256);
      return [rnd(4) === 0 ? c.subarray(0, rnd(c.length)) : c];
    });
    const got = await within(outcome(t % 2 ? s.dump({ type: GET }, indexOf) : s.request({ type: NEW })));
    const key = typeof got === 'string' ? got : 'answered';
    seen.set(key, (seen.get(key) ?? 0) + 1);
    assert.equal(await within(s.dump({ type: GET }, indexOf)), [0, 1, 2], `sample ${t}: the socket works afterwards`);
  }
  assert.ok((seen.get('error ETIMEDOUT') ?? 0) > 0, `some answers could not be matched: ${[...seen]}`);
});

test('unmatchable datagrams before the real answer: the request completes with the real answer', async () => {
  const garbage: [string, (d: Buffer) => Buffer][] = [
    ['another seq', (d) => withSeq(d, 0xbeef)],
    ['another port id (a user-space sender)', (d) => withPid(d, 9999)],
    ['cut inside its header', (d) => d.subarray(0, 9)],
    ['random bytes', () => Buffer.from('00ff13a7c0de00112233445566778899', 'hex')],
    ['empty', () => Buffer.alloc(0)],
  ];
  for (const [what, make] of garbage) {
    const k = new FakeKernel(dumpOf(2));
    const s = new NetlinkSocket(k, { timeoutMs: 1000 });
    k.deferReplies = true;
    const p = s.dump({ type: GET }, indexOf);
    await new Promise((r) => setImmediate(r));
    // What the kernel would send, held back; garbage made from it comes first, on a later turn.
    const held = (k as unknown as { deferred: Buffer[] }).deferred.splice(0);
    k.deferReplies = false;
    for (const d of held) k.push(make(d));
    await new Promise((r) => setImmediate(r));
    for (const d of held) k.push(d);
    assert.equal(await within(p), [0, 1], what);
  }
});

test('abort: an aborted signal sends nothing; aborting a wait rejects with AbortError (cause: the reason); the late answer is set aside', async () => {
  const k = new FakeKernel(dumpOf(1));
  const s = new NetlinkSocket(k);
  const reason = new Error('shutting down');
  for (const call of [
    (signal: AbortSignal) => s.request({ type: NEW }, undefined, { signal }),
    (signal: AbortSignal) => s.dump({ type: GET }, undefined, { signal }),
    (signal: AbortSignal) => s.batch([{ type: NEW }], { signal }),
  ]) {
    const err = await call(AbortSignal.abort(reason)).then(() => undefined, (e: unknown) => e);
    assert.instance(err, AbortError);
    assert.is((err as AbortError).name, 'AbortError');
    assert.is((err as AbortError).code, 'ABORT_ERR');
    assert.is((err as Error).cause, reason);
  }
  assert.is(k.sent.length, 0, 'nothing was sent');
  assert.throws(() => s.requestSync({ type: NEW }, undefined, { signal: AbortSignal.abort() }), (e: unknown) => e instanceof AbortError);
  assert.is(k.sent.length, 0);

  // A reply that is not queued yet: the abort ends the wait.
  k.deferReplies = true;
  const ac = new AbortController();
  const p = s.request({ type: NEW }, undefined, { signal: ac.signal });
  await new Promise((r) => setImmediate(r));
  ac.abort(reason);
  const err = await within(p.then(() => undefined, (e: unknown) => e));
  assert.instance(err, AbortError);
  assert.is((err as Error).cause, reason);
  k.deferReplies = false;
  k.release();
  const stale = s.stale;
  assert.equal(await within(s.request({ type: NEW })), []);
  assert.is(s.stale, stale + 1, 'the late ACK was set aside');
});

test('abort while waiting for the socket\'s turn: the request is never sent; the one before it completes', async () => {
  const k = new FakeKernel(dumpOf(1));
  const s = new NetlinkSocket(k);
  k.deferReplies = true;
  const first = s.request({ type: NEW });
  const ac = new AbortController();
  const second = s.request({ type: GET }, undefined, { signal: ac.signal });
  await new Promise((r) => setImmediate(r));
  assert.is(k.sent.length, 1);
  ac.abort();
  assert.instance(await within(second.then(() => undefined, (e: unknown) => e)), AbortError);
  k.deferReplies = false;
  k.release();
  assert.equal(await within(first), []);
  assert.is(k.sent.length, 1, 'the aborted request was not sent');
  assert.equal(await within(s.request({ type: NEW })), [], 'the socket takes the next request');
});

test('the timeout counts only waiting for the kernel: a slow reader of a dumpStream is not timed out', async () => {
  const k = new FakeKernel(dumpOf(4));
  k.datagramLimit = 40; // one entry per datagram
  const s = new NetlinkSocket(k, { timeoutMs: 10 });
  const out: number[] = [];
  for await (const v of s.dumpStream({ type: GET }, indexOf)) {
    out.push(v);
    await new Promise((r) => setTimeout(r, 30));
  }
  assert.equal(out, [0, 1, 2, 3]);
});

test('the socket\'s defaults: timeoutMs for every request, a signal that calls them all off; a request\'s own timeoutMs wins', async () => {
  const k = new FakeKernel(dumpOf(1));
  const ac = new AbortController();
  const s = new NetlinkSocket(k, { timeoutMs: 10, signal: ac.signal });
  k.deferReplies = true;
  assert.is(await within(outcome(s.request({ type: NEW }))), 'error ETIMEDOUT');
  const long = s.request({ type: NEW }, undefined, { timeoutMs: Infinity });
  await new Promise((r) => setTimeout(r, 40));
  k.release();
  assert.equal(await within(long), [], 'its own timeoutMs: no limit');
  const p = s.request({ type: NEW });
  ac.abort();
  assert.is(await within(outcome(p)), 'error ABORT_ERR');
  assert.is(await outcome(s.dump({ type: GET })), 'error ABORT_ERR', 'an aborted default signal refuses every later request');
});

test('nl.with({ signal, timeoutMs }): every verb and the lookups it makes carry them; the view leaves the socket open', async () => {
  const k = new FakeKernel(dumpOf(0));
  using nl = Rtnl.openSync({ transport: k });
  const aborted = nl.with({ signal: AbortSignal.abort() });
  const before = k.sent.length;
  assert.is(await outcome(aborted.link.list()), 'error ABORT_ERR');
  assert.is(await outcome(aborted.route.add({ dst: '198.18.0.0/24', dev: 'nlts-x' })), 'error ABORT_ERR', 'the name lookup too');
  assert.is(await outcome(aborted.batch().link.del('nlts-x').commit()), 'error ABORT_ERR');
  assert.is(k.sent.length, before, 'nothing was sent');
  k.deferReplies = true;
  assert.is(await within(outcome(nl.with({ timeoutMs: 10 }).link.list())), 'error ETIMEDOUT');
  k.deferReplies = false;
  k.release();
  const view = nl.with({ timeoutMs: 1000 });
  view.close();
  assert.equal(await nl.link.list(), [], 'the client still works after the view was closed');
  // A signal of the view and one of commit(): either aborts.
  const ac = new AbortController();
  const b = nl.with({ signal: ac.signal }).batch();
  b.link.del(1);
  ac.abort();
  assert.is(await outcome(b.commit({ timeoutMs: 1000 })), 'error ABORT_ERR');
});

test('bad options are refused before anything is sent, naming the option', async () => {
  const k = new FakeKernel(dumpOf(0));
  const s = new NetlinkSocket(k);
  const bad: [unknown, string][] = [
    [{ timeoutMs: '5' }, 'options.timeoutMs'],
    [{ timeoutMs: -1 }, 'options.timeoutMs'],
    [{ timeoutMs: 0 }, 'options.timeoutMs'],
    [{ timeoutMs: Number.NaN }, 'options.timeoutMs'],
    [{ timeoutMs: 2 ** 31 }, 'options.timeoutMs'],
    [{ signal: {} }, 'options.signal'],
    [{ signal: 'abort' }, 'options.signal'],
    [{ signal: new AbortController() }, 'options.signal'],
  ];
  for (const [opts, path] of bad) {
    for (const call of [
      () => s.request({ type: NEW }, undefined, opts as never),
      () => s.dump({ type: GET }, undefined, opts as never),
      () => s.batch([{ type: NEW }], opts as never),
      () => s.dumpStream({ type: GET }, undefined, opts as never),
    ]) {
      let err: unknown;
      try { await call(); } catch (e) { err = e; }
      assert.instance(err, EncodeError, `${JSON.stringify(opts)}: ${String(err)}`);
      assert.is((err as EncodeError).path, path);
    }
    assert.throws(() => new NetlinkSocket(k, opts as never), (e: unknown) => e instanceof EncodeError && e.path === path);
    assert.throws(() => Rtnl.openSync({ transport: k }).with(opts as never), (e: unknown) => e instanceof EncodeError && e.path === path);
  }
  assert.is((await s.request({ type: NEW }, undefined, 5 as never).catch((e: unknown) => e) as EncodeError).path, 'options');
  assert.match(String(await s.request({ type: NEW }, undefined, { timeoutMs: '5' } as never).catch((e: unknown) => e)), /options\.timeoutMs: expected a positive number of milliseconds up to 2147483647 \(or Infinity for no limit\), got "5"/);
  assert.is(k.sent.length, 0);
});

test.run();
