import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync, readdirSync, readlinkSync } from 'node:fs';
import { IFLA_IFNAME, IFLA_INFO_KIND, IFLA_LINKINFO } from '../../src/generated/linux/if_link.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../../src/generated/linux/netlink.js';
import { RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK, RTNLGRP_LINK, ifinfomsg } from '../../src/generated/linux/rtnetlink.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { parseAttrs } from '../../src/netlink/reader.js';
import { type NetlinkWriter, NLMSG_HDRLEN } from '../../src/netlink/writer.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const linkName = (buf: Buffer, start: number, length: number): string | undefined =>
  parseAttrs(buf, start + NLMSG_HDRLEN + ifinfomsg.size, start + length).find((a) => a.type === IFLA_IFNAME)?.string();
const getLinks = { type: RTM_GETLINK, body: (w: NetlinkWriter) => { w.reserve(ifinfomsg.size); }, operation: 'link show' };

test('a fresh namespace dumps exactly lo', async () => {
  using s = NetlinkSocket.open();
  assert.equal(await s.dump(getLinks, linkName), ['lo']);
  assert.equal(s.dumpSync(getLinks, linkName), ['lo']);
});

test('an invalid request returns its errno with the kernel\'s extended-ack text', async () => {
  using s = NetlinkSocket.open();
  try {
    await s.request({
      type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, operation: 'link add nl-bogus0 type bogus', headerSize: ifinfomsg.size,
      body: (w) => {
        w.reserve(ifinfomsg.size);
        w.attrString(IFLA_IFNAME, 'nl-bogus0');
        const n = w.beginNest(IFLA_LINKINFO, false);
        w.attrString(IFLA_INFO_KIND, 'no-such-kind');
        w.endNest(n);
      },
    });
    assert.unreachable('the kernel accepted an unknown link kind');
  } catch (e) {
    assert.instance(e, NetlinkError);
    const err = e as NetlinkError;
    assert.is(err.code, 'EOPNOTSUPP');
    assert.is(err.extack?.message, 'Unknown device type');
    assert.match(err.message, /link add nl-bogus0 type bogus: EOPNOTSUPP .*Unknown device type/);
  }
  // A name that fails the kernel's attribute policy: extack points at the attribute.
  try {
    s.requestSync({
      type: RTM_GETLINK, operation: 'link show', headerSize: ifinfomsg.size,
      body: (w) => { w.reserve(ifinfomsg.size); w.attrBytes(IFLA_IFNAME, Buffer.alloc(40, 0x61)); },
    });
    assert.unreachable();
  } catch (e) {
    const err = e as NetlinkError;
    assert.is(err.code, 'ERANGE');
    assert.ok(err.extack?.message, 'has extack text');
    assert.equal(err.extack?.attributePath, [IFLA_IFNAME]);
  }
});

test('a missing link: ENODEV as a typed error', () => {
  using s = NetlinkSocket.open();
  try {
    s.requestSync({ type: RTM_GETLINK, operation: 'link show nl-none0', body: (w) => { w.reserve(ifinfomsg.size); w.attrString(IFLA_IFNAME, 'nl-none0'); } });
    assert.unreachable();
  } catch (e) {
    assert.is((e as NetlinkError).code, 'ENODEV');
  }
});

test('a socket opened inside another namespace works there, and no thread is left behind', async () => {
  ip('netns', 'add', 'nlts-sock');
  const fd = openSync('/run/netns/nlts-sock', 'r');
  const before = readlinkSync('/proc/thread-self/ns/net');
  try {
    using inner = NetlinkSocket.open({ netnsFd: fd });
    assert.is(readlinkSync('/proc/thread-self/ns/net'), before, 'main thread is home again');
    await inner.request({
      type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, operation: 'link add',
      body: (w) => {
        w.reserve(ifinfomsg.size);
        w.attrString(IFLA_IFNAME, 'nlts-v0');
        const n = w.beginNest(IFLA_LINKINFO, false);
        w.attrString(IFLA_INFO_KIND, 'veth');
        w.endNest(n);
      },
    });
    const names = await inner.dump(getLinks, linkName);
    assert.ok(names.includes('nlts-v0'), names.join());
    const seen = ipJson<{ ifname: string }[]>('-n', 'nlts-sock', 'link', 'show').map((l) => l.ifname);
    assert.ok(seen.includes('nlts-v0'), 'ip sees the link in that namespace');
    using outer = NetlinkSocket.open();
    assert.not.ok((await outer.dump(getLinks, linkName)).includes('nlts-v0'), 'and not here');
    for (const task of readdirSync('/proc/self/task')) {
      assert.is(readlinkSync(`/proc/self/task/${task}/ns/net`), before, `thread ${task} is in the original namespace`);
    }
  } finally {
    closeSync(fd);
    ip('netns', 'del', 'nlts-sock');
  }
});

test('multicast: link changes made by ip arrive as events', async () => {
  using s = NetlinkSocket.open({ groups: [RTNLGRP_LINK] });
  const ac = new AbortController();
  const seen: string[] = [];
  const kind = (t: number): string => (t === RTM_NEWLINK ? 'new' : t === RTM_DELLINK ? 'del' : String(t));
  const reader = (async () => {
    for await (const ev of s.events((b, st, len) => `${kind(b.readUInt16LE(st + 4))} ${linkName(b, st, len)}`, { signal: ac.signal })) {
      if (ev.kind === 'message') seen.push(ev.value);
      if (seen.includes('del nlts-m0')) ac.abort();
    }
  })();
  await new Promise((r) => setImmediate(r));
  ip('link', 'add', 'nlts-m0', 'type', 'veth', 'peer', 'name', 'nlts-m1');
  ip('link', 'del', 'nlts-m0');
  const timer = setTimeout(() => ac.abort(), 5000);
  await reader;
  clearTimeout(timer);
  assert.ok(seen.includes('new nlts-m0'), seen.join());
  assert.ok(seen.includes('del nlts-m0'), seen.join());
});

test.run();
