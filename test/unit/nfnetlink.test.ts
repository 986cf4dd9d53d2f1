// The nfnetlink core against a scripted kernel: the nfgenmsg header, message
// types, and transactions (framing, ACK flags, one datagram, errors mapped
// back to the message that caused them, a refused batch).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as NF from '../../src/generated/linux/netfilter/nfnetlink.js';
import { NLM_F_ACK, NLM_F_REQUEST } from '../../src/generated/linux/netlink.js';
import { Nfnetlink } from '../../src/nfnetlink/client.js';
import { msgOf, nfRequest, nfType, readNfgenmsg, subsysOf } from '../../src/nfnetlink/header.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { forEachMessage } from '../../src/netlink/reader.js';
import { FakeKernel, type FakeRequest } from '../../src/socket/fake-kernel.js';
import { throwsAt } from '../helpers/expect.js';

const SUBSYS = NF.NFNL_SUBSYS_NFTABLES;
const msg = (n: number, op: string) => nfRequest({ subsys: SUBSYS, msg: n, family: 2, operation: op, attrs: (w) => w.attrString(1, op) });

function messagesOf(d: Buffer): { type: number; flags: number; seq: number; payload: Buffer }[] {
  const out: { type: number; flags: number; seq: number; payload: Buffer }[] = [];
  forEachMessage(d, d.length, (s, l) => { out.push({ type: d.readUInt16LE(s + 4), flags: d.readUInt16LE(s + 6), seq: d.readUInt32LE(s + 8), payload: d.subarray(s + 16, s + l) }); });
  return out;
}

test('message type is subsystem << 8 | message; nfgenmsg carries res_id big-endian', async () => {
  assert.is(nfType(NF.NFNL_SUBSYS_CTNETLINK, 1), 0x101);
  assert.is(subsysOf(0x0a03), 10);
  assert.is(msgOf(0x0a03), 3);
  const k = new FakeKernel();
  using nf = Nfnetlink.open({ transport: k });
  await nf.request(nfRequest({ subsys: NF.NFNL_SUBSYS_CTNETLINK, msg: 2, family: 10, resId: 0x1234, operation: 'x' }), () => undefined);
  const [m] = messagesOf(k.sent[0]!);
  assert.is(m!.type, 0x102);
  assert.equal([...m!.payload], [10, 0, 0x12, 0x34]);
  assert.equal(readNfgenmsg(k.sent[0]!, 0, k.sent[0]!.length), { family: 10, version: 0, resId: 0x1234 });
});

test('bad header values are refused before anything is sent', () => {
  throwsAt(() => nfRequest({ subsys: 1, msg: 1, family: 300, operation: 'ct get' }), 'ct get.family');
  throwsAt(() => nfRequest({ subsys: 1, msg: 1, resId: -1, operation: 'ct get' }), 'ct get.resId');
});

test('a transaction is one datagram: BEGIN and END without ACK around messages that each ask for one', async () => {
  const k = new FakeKernel();
  using nf = Nfnetlink.open({ transport: k });
  const r = await nf.transaction(SUBSYS, [msg(0, 'a'), msg(3, 'b'), msg(6, 'c')], () => undefined, { genId: 7 });
  assert.ok(r.ok);
  assert.is(k.sent.length, 1);
  const ms = messagesOf(k.sent[0]!);
  assert.equal(ms.map((m) => m.type), [NF.NFNL_MSG_BATCH_BEGIN, nfType(SUBSYS, 0), nfType(SUBSYS, 3), nfType(SUBSYS, 6), NF.NFNL_MSG_BATCH_END]);
  assert.equal(ms.map((m) => (m.flags & NLM_F_ACK) !== 0), [false, true, true, true, false]);
  assert.ok(ms.every((m) => (m.flags & NLM_F_REQUEST) !== 0));
  // Consecutive sequence numbers; BEGIN's res_id is the subsystem, big-endian, and it carries the generation id.
  assert.equal(ms.map((m) => m.seq - ms[0]!.seq), [0, 1, 2, 3, 4]);
  assert.equal([...ms[0]!.payload.subarray(0, 4)], [0, 0, 0, SUBSYS]);
  assert.equal([...ms[0]!.payload.subarray(4)], [8, 0, NF.NFNL_BATCH_GENID, 0, 0, 0, 0, 7]);
  assert.equal([...ms[4]!.payload], [0, 0, 0, SUBSYS]);
});

test('a failed message is named by its index; the others are still reported as in the batch', async () => {
  const k = new FakeKernel((req: FakeRequest, reply) => {
    if (req.type === nfType(SUBSYS, 3)) reply.error(17, { message: 'exists' });
    else if (req.flags & NLM_F_ACK) reply.ack();
  });
  using nf = Nfnetlink.open({ transport: k });
  const r = await nf.transaction(SUBSYS, [msg(0, 'table add t'), msg(3, 'chain add c'), msg(6, 'rule add')], () => undefined);
  assert.not.ok(r.ok);
  assert.is(r.errors.length, 1);
  assert.is(r.errors[0]!.index, 1);
  assert.is(r.errors[0]!.code, 'EEXIST');
  assert.is(r.errors[0]!.operation, 'chain add c');
  assert.match(r.errors[0]!.message, /exists/);
});

test('the kernel refusing BATCH_BEGIN ends the transaction at once, as an error of the batch (index -1)', async () => {
  const k = new FakeKernel((req, reply) => { if (req.type === NF.NFNL_MSG_BATCH_BEGIN) reply.error(95); });
  using nf = Nfnetlink.open({ transport: k, timeoutMs: 2000 });
  const r = await nf.transaction(NF.NFNL_SUBSYS_CTNETLINK, [msg(0, 'a')], () => undefined);
  assert.not.ok(r.ok);
  assert.equal(r.errors.map((e) => [e.index, e.code]), [[-1, 'EOPNOTSUPP']]);
  assert.match(r.errors[0]!.operation, /nfnetlink batch of 1 message/);
});

test('a transaction with a bad message or none sends nothing', async () => {
  const k = new FakeKernel();
  using nf = Nfnetlink.open({ transport: k });
  const bad = nfRequest({ subsys: SUBSYS, msg: 0, operation: 'table add', attrs: (w) => w.attrInt(1, 'u8', 300, 'table.x') });
  let err: unknown;
  try { await nf.transaction(SUBSYS, [msg(0, 'a'), bad], () => undefined); } catch (e) { err = e; }
  assert.instance(err, EncodeError);
  assert.is((err as EncodeError).path, 'transaction[1].table.x');
  assert.match(String(err), /table add: /);
  try { await nf.transaction(SUBSYS, [], () => undefined); assert.unreachable(); } catch (e) { assert.instance(e, EncodeError); }
  try { await nf.transaction(SUBSYS, [msg(0, 'a')], () => undefined, { genId: -1 }); assert.unreachable(); } catch (e) { assert.instance(e, EncodeError); }
  assert.is(k.sent.length, 0);
});

test.run();
