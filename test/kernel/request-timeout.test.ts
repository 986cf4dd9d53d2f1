// Timeouts and aborts against the real kernel: its answers are corrupted,
// held back or preceded by garbage on their way from the kernel socket to the
// NetlinkSocket (a transport wrapped around the kernel's), so the socket has
// to wait for real, through its epoll watch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { Rtnl } from '../../src/client.js';
import { RTM_GETLINK, ifinfomsg } from '../../src/generated/linux/rtnetlink.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import type { NetlinkWriter } from '../../src/netlink/writer.js';
import { KernelTransport } from '../../src/socket/kernel-transport.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { AbortError } from '../../src/socket/request-options.js';
import type { Transport, Watch } from '../../src/socket/transport.js';
import { requireIsolation } from '../helpers/sh.js';

requireIsolation();

const getLinks = { type: RTM_GETLINK, body: (w: NetlinkWriter) => { w.reserve(ifinfomsg.size); }, operation: 'link show' };
const getLo = { type: RTM_GETLINK, body: (w: NetlinkWriter) => { w.buffer.writeInt32LE(1, w.reserve(ifinfomsg.size) + 4); }, operation: 'link show lo' };
const count = (): number => 1;

/** The kernel's socket, with what it delivers passed through `tamper` while one is set. */
class Tampering implements Transport {
  tamper: ((d: Buffer) => Buffer[]) | undefined;
  private queue: Buffer[] = [];
  constructor(readonly inner: KernelTransport) {}
  get portId(): number { return this.inner.portId; }
  get closed(): boolean { return this.inner.closed; }
  send(d: Buffer): void { this.inner.send(d); }
  receive(buf: Buffer): number {
    for (;;) {
      const q = this.queue.shift();
      if (q) return q.copy(buf);
      const n = this.inner.receive(buf);
      if (n < 0 || !this.tamper) return n;
      this.queue.push(...this.tamper(Buffer.from(buf.subarray(0, n))));
    }
  }
  watch(onData: (d: Buffer) => void, onError: (e: Error) => void): Watch {
    for (const q of this.queue.splice(0)) setImmediate(() => onData(q));
    return this.inner.watch((d) => { for (const x of this.tamper ? this.tamper(d) : [d]) onData(x); }, onError);
  }
  addMembership(g: number): void { this.inner.addMembership(g); }
  dropMembership(g: number): void { this.inner.dropMembership(g); }
  close(): void { this.inner.close(); }
}

/** A copy of the datagram with the sequence number of every message in it changed. */
function reSeq(d: Buffer, seq: number): Buffer {
  const c = Buffer.from(d);
  for (let at = 0; at + 16 <= c.length; at += (c.readUInt32LE(at) + 3) & ~3) c.writeUInt32LE(seq, at + 8);
  return c;
}

function open(opts: { timeoutMs?: number } = {}): { s: NetlinkSocket; t: Tampering } {
  const t = new Tampering(KernelTransport.open());
  return { s: new NetlinkSocket(t, opts), t };
}

test('the kernel\'s answer corrupted on the way (another seq): ETIMEDOUT for a request and a dump; the socket answers the next ones', async () => {
  const { s, t } = open();
  try {
    t.tamper = (d) => [reSeq(d, 0xdead0000)];
    const req = await s.request(getLo, count, { timeoutMs: 100 }).then(() => undefined, (e: unknown) => e);
    assert.instance(req, NetlinkError);
    assert.is((req as NetlinkError).code, 'ETIMEDOUT');
    assert.match((req as Error).message, /^link show lo: ETIMEDOUT/);
    const dump = await s.dump(getLinks, count, { timeoutMs: 100 }).then(() => undefined, (e: unknown) => e);
    assert.is((dump as NetlinkError).code, 'ETIMEDOUT');
    assert.ok(s.stale >= 2, 'the corrupted answers were set aside');
    t.tamper = undefined;
    assert.equal(await s.dump(getLinks, count), [1], 'the next dump');
    assert.equal(await s.request(getLo, count), [1], 'the next request');
  } finally {
    s.close();
  }
});

test('garbage before the kernel\'s real answer: the request and the dump complete', async () => {
  const { s, t } = open({ timeoutMs: 2000 });
  try {
    t.tamper = (d) => [reSeq(d, 0xbeef0000), d.subarray(0, 7), Buffer.from('not netlink at all'), d];
    assert.equal(await s.request(getLo, count), [1]);
    assert.equal(await s.dump(getLinks, count), [1]);
    assert.ok(s.stale >= 2);
  } finally {
    s.close();
  }
});

test('an answer that never comes: the signal ends the wait with AbortError; the socket answers the next request', async () => {
  const { s, t } = open({ timeoutMs: Infinity });
  try {
    t.tamper = () => [];
    const ac = new AbortController();
    const p = s.request(getLo, count, { signal: ac.signal }).then(() => undefined, (e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    ac.abort('enough');
    const err = await p;
    assert.instance(err, AbortError);
    assert.is((err as AbortError).cause, 'enough');
    t.tamper = undefined;
    assert.equal(await s.request(getLo, count), [1]);
  } finally {
    s.close();
  }
});

test('bad default options of a client are refused before its kernel socket is opened (no fd left behind)', () => {
  const fds = (): number => readdirSync('/proc/self/fd').length;
  const before = fds();
  for (const opts of [{ timeoutMs: '5' }, { timeoutMs: -1 }, { signal: 'stop' }]) {
    assert.throws(() => Rtnl.openSync(opts as never), (e: unknown) => e instanceof EncodeError && /^options\.(timeoutMs|signal)/.test(e.path));
    assert.throws(() => NetlinkSocket.open(opts as never), (e: unknown) => e instanceof EncodeError);
  }
  assert.is(fds(), before);
});

test.run();
