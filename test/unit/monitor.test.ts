import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Monitor, type MonitorEvent, fingerprint } from '../../src/events/monitor.js';
import { resolveGroups } from '../../src/events/groups.js';
import { NLM_F_MULTI } from '../../src/generated/linux/netlink.js';
import { RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_LINK } from '../../src/generated/linux/rtnetlink.js';
import { type LinkInput, linkMessage } from '../../src/route/link.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';

function linkMsg(type: number, l: LinkInput, flags = 0): Buffer {
  const w = new NetlinkWriter();
  const at = w.beginMessage(type, flags, 0, 0);
  linkMessage.encodePayload(w, l);
  w.endMessage(at);
  return w.toBuffer();
}

/** A fake world: the links a dump lists, and one monitor socket to push events into. */
function world(links: LinkInput[]) {
  let monitorKernel: FakeKernel | undefined;
  const open = (opts: { groups?: readonly number[] }) => {
    if (opts.groups?.length) {
      monitorKernel = new FakeKernel();
      return new NetlinkSocket(monitorKernel);
    }
    return new NetlinkSocket(new FakeKernel((req, reply) => {
      if (req.type === RTM_GETLINK) for (const l of links) reply.data(RTM_NEWLINK, linkMsg(RTM_NEWLINK, l).subarray(16), NLM_F_MULTI);
      reply.done();
    }));
  };
  return { open, links, kernel: () => monitorKernel! };
}

const name = (ev: MonitorEvent): string => (ev.action === 'new' || ev.action === 'del'
  ? `${ev.action} ${(ev.object as { name?: string }).name}${ev.initial ? ' initial' : ''}${ev.resync ? ' resync' : ''}` : ev.action);

async function take(it: AsyncIterator<MonitorEvent>, n: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < n) {
    const s = await it.next();
    if (s.done) break;
    out.push(name(s.value));
  }
  return out;
}

test('group names resolve like ip monitor, unknown ones are refused', () => {
  assert.equal(resolveGroups(['address']), [RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR]);
  assert.ok(resolveGroups([]).includes(RTNLGRP_LINK), 'default: all');
  assert.throws(() => resolveGroups(['bogus']), /unknown group "bogus" \(valid: all, link/);
  // @ts-expect-error: not a group name (the type refuses it; plain JavaScript gets the error)
  assert.throws(() => new Monitor(() => { throw new Error('no socket expected'); }, { groups: ['nope'] }), /unknown group/);
  assert.throws(() => new Monitor(() => { throw new Error('x'); }, { resync: true, noEnobufs: true }), /resync needs overruns/);
});

test('listing first; changes that raced the listing are not reported twice', async () => {
  const w = world([{ index: 1, name: 'lo', mtu: 65536 }, { index: 2, name: 'a', mtu: 1500 }]);
  const mon = new Monitor(w.open, { groups: ['link'], list: true });
  const it = mon[Symbol.asyncIterator]();
  const first = await take(it, 3);
  assert.equal(first, ['new lo initial', 'new a initial', 'synced']);
  const k = w.kernel();
  k.push(linkMsg(RTM_NEWLINK, { index: 2, name: 'a', mtu: 1500 })); // same as listed: a duplicate
  k.push(linkMsg(RTM_DELLINK, { index: 9, name: 'ghost' }));          // never listed: nothing to delete
  k.push(linkMsg(RTM_NEWLINK, { index: 2, name: 'a', mtu: 9000 }));  // a real change
  k.push(linkMsg(RTM_NEWLINK, { index: 3, name: 'b' }));
  k.push(linkMsg(RTM_DELLINK, { index: 2, name: 'a' }));
  k.push(linkMsg(200, {}));                                         // a type without a schema
  assert.equal(await take(it, 4), ['new a', 'new b', 'del a', 'raw']);
  assert.equal(mon.trackedKeys('link'), ['1', '3']);
  mon.close();
  assert.is((await it.next()).done, true);
});

test('an overrun triggers a resync whose result equals a fresh dump', async () => {
  const w = world([{ index: 1, name: 'lo' }, { index: 2, name: 'a' }]);
  const mon = new Monitor(w.open, { groups: ['link'], resync: true });
  const it = mon[Symbol.asyncIterator]();
  const firstStep = it.next();
  await new Promise((r) => setImmediate(r));
  // Nothing tracked yet: the first resync reports everything as new.
  w.links.splice(1, 1, { index: 3, name: 'c' });
  w.kernel().failNextReceive(105);
  const s = await firstStep;
  assert.is(name(s.value as MonitorEvent), 'overrun');
  assert.equal(await take(it, 3), ['new lo resync', 'new c resync', 'synced']);
  w.links.splice(1, 1);
  w.kernel().failNextReceive(105);
  assert.equal(await take(it, 3), ['overrun', 'del c resync', 'synced']);
  assert.equal(mon.trackedKeys('link'), ['1']);
  await it.return?.(undefined);
});

test('the EventEmitter form starts on the first listener and stops on close', async () => {
  const w = world([]);
  const mon = new Monitor(w.open, { groups: ['link'] });
  const seen: string[] = [];
  const closed = new Promise<void>((r) => mon.on('close', () => r()));
  mon.on('event', (ev: MonitorEvent) => { seen.push(name(ev)); if (seen.length === 1) mon.close(); });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  w.kernel().push(linkMsg(RTM_NEWLINK, { index: 4, name: 'd' }));
  await closed;
  assert.equal(seen, ['new d']);
});

test('fingerprints ignore volatile fields and issues', () => {
  assert.is(fingerprint({ a: 1, stats64: { x: 1 }, issues: [] }, ['stats64']), fingerprint({ a: 1, stats64: { x: 2 } }, ['stats64']));
  assert.is.not(fingerprint({ a: 1 }), fingerprint({ a: 2 }));
  assert.is(fingerprint({ b: Buffer.from([1, 2]), n: 5n }), '{"b":"0102","n":"5"}');
  assert.is.not(fingerprint({ b: Buffer.from([1]) }), fingerprint({ b: Buffer.from([2]) }));
});

test.run();
