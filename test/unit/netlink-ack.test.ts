import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK_TLVS, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS } from '../../src/generated/linux/netlink.js';
import { decodeDone, decodeError, locateAttribute } from '../../src/netlink/ack.js';
import type { DecodeIssue } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';

function request(): Buffer {
  const w = new NetlinkWriter();
  const at = w.beginMessage(16, 0x405, 9, 0);
  w.reserve(16);
  w.attrString(3, 'veth0');
  const n = w.beginNest(18, false);
  w.attrString(1, 'vxlan');
  const d = w.beginNest(2, false);
  w.attrU32(1, 42);
  w.attrU16(15, 4789);
  w.endNest(d);
  w.endNest(n);
  w.endMessage(at);
  return w.toBuffer();
}

test('an uncapped error carries the request back, then the extack TLVs', () => {
  const req = request();
  const w = new NetlinkWriter();
  const at = w.beginMessage(NLMSG_ERROR, NLM_F_ACK_TLVS, 9, 1);
  w.reserve(4);
  w.buffer.writeInt32LE(-22, at + 16);
  w.bytes(req);
  w.attrString(NLMSGERR_ATTR_MSG, 'Invalid VNI');
  w.attrU32(NLMSGERR_ATTR_OFFS, 60);
  w.attrBytes(NLMSGERR_ATTR_COOKIE, Buffer.from([1, 2]));
  w.attrU32(NLMSGERR_ATTR_MISS_TYPE, 7);
  w.attrU32(NLMSGERR_ATTR_MISS_NEST, 44);
  w.endMessage(at);
  const b = w.toBuffer();
  const info = decodeError(b, 0, b.length);
  assert.is(info.errno, 22);
  assert.is(info.requestType, 16);
  assert.is(info.requestSeq, 9);
  assert.is(info.extack?.message, 'Invalid VNI');
  assert.is(info.extack?.offset, 60);
  assert.equal([...info.extack!.cookie!], [1, 2]);
  assert.is(info.extack?.missingType, 7);
  assert.is(info.extack?.missingNest, 44);
});

test('an ACK is an error message with errno 0 and no TLVs', () => {
  const w = new NetlinkWriter();
  const at = w.beginMessage(NLMSG_ERROR, 0x100, 3, 1);
  w.reserve(4);
  w.bytes(request().subarray(0, 16));
  w.endMessage(at);
  const b = w.toBuffer();
  assert.equal(decodeError(b, 0, b.length), { errno: 0, requestType: 16, requestSeq: 9 });
});

test('truncated error and done messages are issues, not crashes', () => {
  const issues: DecodeIssue[] = [];
  const w = new NetlinkWriter();
  w.endMessage(w.beginMessage(NLMSG_ERROR, 0, 1, 1));
  const b = w.toBuffer();
  assert.equal(decodeError(b, 0, b.length, issues), { errno: 0 });
  assert.is(issues.length, 1);
  const w2 = new NetlinkWriter();
  const at = w2.beginMessage(NLMSG_ERROR, NLM_F_ACK_TLVS, 1, 1);
  w2.reserve(4);
  w2.bytes(Buffer.from('ff00000010000000', 'hex')); // claims a 255-byte request
  w2.reserve(8);
  w2.endMessage(at);
  const b2 = w2.toBuffer();
  const issues2: DecodeIssue[] = [];
  decodeError(b2, 0, b2.length, issues2);
  assert.match(issues2[0]!.problem, /beyond the message end/);
  assert.equal(decodeDone(b, 0, b.length), { errno: 0 });
});

test('NLMSG_DONE may carry a dump error and extack', () => {
  const w = new NetlinkWriter();
  const at = w.beginMessage(NLMSG_DONE, 2 | NLM_F_ACK_TLVS, 1, 1);
  w.reserve(4);
  w.buffer.writeInt32LE(-95, at + 16);
  w.attrString(NLMSGERR_ATTR_MSG, 'Filter not supported');
  w.endMessage(at);
  const b = w.toBuffer();
  assert.equal(decodeDone(b, 0, b.length), { errno: 95, extack: { message: 'Filter not supported' } });
});

test('an extack offset is traced to the attribute path', () => {
  const req = request();
  // attributes start at 16 + 16; veth0 name is 12 bytes; linkinfo at 44
  assert.equal(locateAttribute(req, 16, 32), [3]);
  assert.equal(locateAttribute(req, 16, 44), [18]);
  assert.equal(locateAttribute(req, 16, 44 + 4 + 12), [18, 2]);
  assert.equal(locateAttribute(req, 16, 44 + 4 + 12 + 4), [18, 2, 1]);
  assert.equal(locateAttribute(req, 16, 44 + 4 + 12 + 4 + 8), [18, 2, 15]);
  assert.is(locateAttribute(req, 16, 4), undefined);
});

test.run();
