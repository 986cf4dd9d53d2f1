// What the fuzzer found, one test per fix, written out by hand so the reason
// is readable here (the raw inputs are in test/fuzz/corpus as well).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeLink } from '../../src/rtnl/link.js';
import { addressToMonitorText } from '../../src/cli/ip-json/addr.js';
import { linkToIpJson, linkToText } from '../../src/cli/ip-json/link.js';
import { kindOfType } from '../../src/events/kinds.js';
import { IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINKINFO } from '../../src/generated/linux/if_link.js';
import { NLMSG_ERROR, NLM_F_ACK_TLVS, NLMSGERR_ATTR_MSG } from '../../src/generated/linux/netlink.js';
import { RTM_NEWLINK, RTM_NEWRULE } from '../../src/generated/linux/rtnetlink.js';
import { VETH_INFO_PEER } from '../../src/generated/linux/veth.js';
import { decodeError } from '../../src/netlink/ack.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { decodeAddress } from '../../src/rtnl/address.js';
import { type LinkInput, linkMessage } from '../../src/rtnl/link.js';
import { vxlanData } from '../../src/rtnl/link-kinds/vxlan.js';
import { ruleMessage } from '../../src/rtnl/rule.js';

function message(type: number, body: (w: NetlinkWriter) => void, flags = 0): Buffer {
  const w = new NetlinkWriter();
  const at = w.beginMessage(type, flags);
  body(w);
  w.endMessage(at);
  return w.toBuffer();
}

/** A link message whose veth peers nest `depth` deep, as far as 64 KiB of attributes allow. */
function nestedPeers(depth: number): Buffer {
  const attr = (type: number, payload: Buffer): Buffer => {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(4 + payload.length, 0);
    h.writeUInt16LE(type, 2);
    return Buffer.concat([h, payload, Buffer.alloc((4 - (payload.length % 4)) % 4)]);
  };
  let inner: Buffer = Buffer.alloc(0);
  for (let i = 0; i < depth; i++) {
    const peer = attr(VETH_INFO_PEER, Buffer.concat([Buffer.alloc(16), inner]));
    inner = attr(IFLA_LINKINFO, Buffer.concat([attr(IFLA_INFO_KIND, Buffer.from('veth')), attr(IFLA_INFO_DATA, peer)]));
  }
  return message(RTM_NEWLINK, (w) => { w.reserve(16); w.bytes(inner); });
}

test('veth peers nested thousands deep: an issue, not a stack overflow', () => {
  const m = nestedPeers(1800);
  const l = decodeLink(m, 0, m.length)!;
  assert.ok(l.issues?.some((i) => /nested more than 16 levels deep/.test(i.problem)), JSON.stringify(l.issues));
  // A value that contains itself is refused by the encoder, not a RangeError from the stack.
  const self: LinkInput = { name: 'nlts-v0' };
  self.linkinfo = { kind: 'veth', data: { peer: self } };
  assert.throws(() => linkMessage.encodePayload(new NetlinkWriter(), self), (e: Error) => e instanceof EncodeError && /nested more than 16 levels/.test(e.message));
});

test('an NLMSG_ERROR whose echoed request claims 4 GB: an issue, no RangeError', () => {
  const m = message(NLMSG_ERROR, (w) => {
    w.buffer.writeInt32LE(-22, w.reserve(4));
    const echo = w.reserve(16);
    w.buffer.writeUInt32LE(0xffffffea, echo);
    w.attrString(NLMSGERR_ATTR_MSG, 'Invalid values in header');
  }, NLM_F_ACK_TLVS);
  const issues: { problem: string }[] = [];
  const info = decodeError(m, 0, m.length, issues as never);
  assert.is(info.errno, 22);
  assert.is(info.extack, undefined);
  assert.match(issues[0]!.problem, /beyond the message end: the echoed request claims 4294967274 bytes/);
});

test('link kind data given as bytes of odd length is sent with its own length, not padded inside', () => {
  const w = new NetlinkWriter();
  linkMessage.encodePayload(w, { index: 3, linkinfo: { kind: 'nlts-other', data: Buffer.from([1, 2, 3, 4, 5, 6]) } });
  const l = linkMessage.decodePayload(w.toBuffer(), 0, w.length);
  assert.equal(l.linkinfo?.data, Buffer.from([1, 2, 3, 4, 5, 6]));
});

test('vxlan ttlInherit: false is no attribute (an empty one would switch inheritance on)', () => {
  const w = new NetlinkWriter();
  vxlanData.encode(w, { id: 1, ttlInherit: false });
  assert.equal(vxlanData.decode(w.toBuffer(), 0, w.length), { id: 1 });
  const on = new NetlinkWriter();
  vxlanData.encode(on, { ttlInherit: true });
  assert.equal(vxlanData.decode(on.toBuffer(), 0, on.length), { ttlInherit: true });
});

test("a rule's monitor identity does not depend on where its message lay in a datagram", () => {
  const rule = kindOfType(RTM_NEWRULE)!.entry;
  const m = message(RTM_NEWRULE, (w) => { ruleMessage.encodePayload(w, { family: 'inet', action: 'to_tbl', priority: 5 }); w.bytes(Buffer.from([9, 0, 1])); });
  const shifted = Buffer.concat([Buffer.alloc(64), m]);
  const a = rule.decode(m, 0, m.length);
  const b = rule.decode(shifted, 64, m.length);
  assert.ok((a as { issues?: unknown[] }).issues?.length, 'the trailing bytes are an issue');
  assert.is(rule.key(b), rule.key(a));
});

test('ip printers: a link without a name is if<index>, an address without one prints no "undefined"', () => {
  const l = decodeLink(...(() => { const m = message(RTM_NEWLINK, (w) => linkMessage.encodePayload(w, { index: 7, mtu: 1500 })); return [m, 0, m.length] as const; })())!;
  assert.match(linkToText(linkToIpJson(l), true), /^7: if7: </);
  const a = decodeAddress(...(() => { const m = message(21, (w) => { w.reserve(8); w.buffer[w.length - 8] = 2; w.buffer.writeUInt32LE(3, w.length - 4); }); return [m, 0, m.length] as const; })());
  const text = addressToMonitorText(a);
  assert.not.match(text, /undefined|NaN/);
  assert.match(text, /^3: if3 {4}inet scope/);
});

test.run();
