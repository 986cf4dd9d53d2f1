// The typed tc verbs against a scripted kernel: bad input fails before
// anything is sent, refusals carry the extended-ack text and name what is
// missing, dumps decode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { RTM_GETLINK, RTM_GETQDISC, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER } from '../../src/generated/linux/rtnetlink.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import { DEFAULT_CLOCK, setPschedClock } from '../../src/rtnl/tc/psched.js';
import { qdiscRequest } from '../../src/rtnl/tc/qdisc.js';
import { FakeKernel, type FakeHandler } from '../../src/socket/fake-kernel.js';
import { requestBytes } from '../helpers/tc.js';

setPschedClock(DEFAULT_CLOCK);

function client(handler: FakeHandler): { k: FakeKernel; nl: Rtnl } {
  const k = new FakeKernel(handler);
  return { k, nl: Rtnl.openSync({ transport: k }) };
}

async function rejects(p: Promise<unknown>, cls: Function, re: RegExp): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, cls);
    assert.match((e as Error).message, re);
    return e as Error;
  }
  assert.unreachable(`expected ${cls.name} matching ${re}`);
  throw new Error('unreachable');
}

const bad: [string, Record<string, unknown>, RegExp][] = [
  ['unknown rate unit', { kind: 'htb', parent: '1:', classid: '1:1', options: { rate: '10mbits' } }, /class\.options\.rate: rate "10mbits": unknown unit "mbits"/],
  ['negative rate', { kind: 'htb', parent: '1:', classid: '1:1', options: { rate: '-1mbit' } }, /negative/],
  ['overflowing rate', { kind: 'htb', parent: '1:', classid: '1:1', options: { rate: '1e30gbit' } }, /overflows/],
  ['a size that overflows', { kind: 'htb', parent: '1:', classid: '1:1', options: { rate: '1mbit', burst: '5gb' } }, /class\.options\.burst: .*overflows 32 bits/],
  ['a handle that does not parse', { kind: 'htb', parent: '1:x', classid: '1:1', options: { rate: '1mbit' } }, /class\.parent: .*"1:x"/],
  ['a class id that does not parse', { kind: 'htb', parent: '1:', classid: '1:10000', options: { rate: '1mbit' } }, /class\.classid/],
  ['an unknown option', { kind: 'htb', parent: '1:', classid: '1:1', options: { rate: '1mbit', ceiling: '2mbit' } }, /htb class has no option "ceiling"/],
  ['no rate', { kind: 'htb', parent: '1:', classid: '1:1', options: {} }, /needs a rate/],
];

for (const [what, spec, re] of bad) {
  test(`bad input fails before sending: ${what}`, async () => {
    const { k, nl } = client((req, reply) => { reply.ack(); void req; });
    await rejects(nl.class.add({ dev: 3, ...spec } as never), EncodeError, re);
    assert.is(k.sent.length, 0, 'nothing sent');
    nl.close();
  });
}

test('netem probabilities outside 0–100% and a bad distribution are refused before sending', async () => {
  const { k, nl } = client((_req, reply) => { reply.ack(); });
  await rejects(nl.qdisc.add({ dev: 3, parent: 'root', kind: 'netem', options: { loss: '101%' } }), EncodeError, /qdisc\.options\.loss: probability "101%" is outside 0–100%/);
  await rejects(nl.qdisc.add({ dev: 3, parent: 'root', kind: 'netem', options: { duplicate: -1 } }), EncodeError, /outside 0–100%/);
  await rejects(nl.qdisc.add({ dev: 3, parent: 'root', kind: 'netem', options: { delay: '10ms', jitter: '1ms', distribution: 'gaussian' as never } }), EncodeError, /no distribution "gaussian"/);
  await rejects(nl.qdisc.add({ dev: 3, parent: 'root', kind: 'netem', options: { distribution: 'normal' } }), EncodeError, /needs a delay and a jitter/);
  await rejects(nl.qdisc.add({ dev: 3, parent: 'root', kind: 'netem', options: { reorder: '10%' } }), EncodeError, /reordering needs a delay/);
  await rejects(nl.qdisc.add({ dev: 3, parent: 'root', kind: 'tbf', options: { rate: '1mbit', burst: '10kb' } as never }), EncodeError, /limit or a latency/);
  assert.is(k.sent.length, 0);
  nl.close();
});

test('a missing kind is named, with the kernel\'s extended-ack text', async () => {
  const { nl } = client((req, reply) => {
    if (req.type === RTM_NEWQDISC) reply.error(2, { message: 'Error: Specified qdisc kind is unknown.' });
    else if (req.type === RTM_NEWTFILTER) reply.error(2, { message: 'Error: TC classifier not found.' });
    else reply.ack();
  });
  const e = await rejects(nl.qdisc.add({ dev: 3, parent: 'root', kind: 'netem', options: { delay: '100ms' } }), NetlinkError, /Specified qdisc kind is unknown.*this kernel has no qdisc "netem" \(module sch_netem\)/);
  assert.is((e as NetlinkError).code, 'ENOENT');
  await rejects(nl.filter.add({ dev: 3, parent: 'ingress', kind: 'matchall', options: { classid: '1:1' } }), NetlinkError, /no classifier "matchall"/);
  nl.close();
});

test('a class on a parent that does not exist: ENOENT says which parent', async () => {
  const { nl } = client((req, reply) => { if (req.type === RTM_NEWTCLASS) reply.error(2); else reply.ack(); });
  await rejects(nl.class.add({ dev: 3, parent: '5:', classid: '5:1', kind: 'htb', options: { rate: '1mbit' } }), NetlinkError, /no qdisc or class 5: on this device/);
  nl.close();
});

test('list decodes a dump; device names resolve through the link table', async () => {
  const qdisc = requestBytes(qdiscRequest('add', { ifindex: 3, parent: 'root', handle: '1:', kind: 'htb', options: { r2q: 7 } }));
  const { k, nl } = client((req, reply) => {
    if (req.type === RTM_GETQDISC) {
      reply.data(RTM_NEWQDISC, qdisc.subarray(16));
      reply.done();
    } else if (req.type === RTM_GETLINK) {
      reply.error(19, { message: 'no such device' });
    } else {
      reply.ack();
    }
  });
  const [q] = await nl.qdisc.list({ dev: 3 });
  assert.is(q!.kind, 'htb');
  assert.is(q!.handle, '1:');
  assert.is(q!.parent, 'root');
  assert.equal(q!.options, { r2q: 7, default: 0, directPacketsStat: 0, version: 3, debug: 0 });
  const e = await rejects(nl.qdisc.add({ dev: 'nlts-none', parent: 'root', kind: 'pfifo' }), NetlinkError, /ENODEV/);
  void e;
  assert.ok(k.sent.length >= 2);
  nl.close();
});

test.run();
