// The verbs every family shares: stream() sends the request list() sends and
// yields what list() returns; delete() is the verb and del() its alias.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RTM_DELLINK } from '../../src/generated/linux/rtnetlink.js';
import type { Rtnl } from '../../src/client.js';
import { LINKS, fakeRtnl } from '../helpers/fake-rtnl.js';

const noSeq = (m: Buffer): string => { const c = Buffer.from(m); c.fill(0, 8, 16); return c.toString('hex'); };

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const families: [string, (nl: Rtnl) => Promise<unknown[]>, (nl: Rtnl) => AsyncIterable<unknown>][] = [
  ['link', (nl) => nl.link.list({ kind: 'veth' }), (nl) => nl.link.stream({ kind: 'veth' })],
  ['link (all)', (nl) => nl.link.list(), (nl) => nl.link.stream()],
  ['addr', (nl) => nl.addr.list({ dev: 'nlts-v0', family: 'inet6' }), (nl) => nl.addr.stream({ dev: 'nlts-v0', family: 'inet6' })],
  ['route', (nl) => nl.route.list({ table: 'main', dev: 'nlts-v1' }), (nl) => nl.route.stream({ table: 'main', dev: 'nlts-v1' })],
  ['neigh', (nl) => nl.neigh.list({ dev: 'nlts-v0' }), (nl) => nl.neigh.stream({ dev: 'nlts-v0' })],
  ['rule', (nl) => nl.rule.list({ family: 'inet' }), (nl) => nl.rule.stream({ family: 'inet' })],
  ['qdisc', (nl) => nl.qdisc.list({ dev: 'nlts-v0' }), (nl) => nl.qdisc.stream({ dev: 'nlts-v0' })],
  ['class', (nl) => nl.class.list({ dev: 'nlts-v0', parent: '1:' }), (nl) => nl.class.stream({ dev: 'nlts-v0', parent: '1:' })],
  ['filter', (nl) => nl.filter.list({ dev: 'nlts-v0', parent: '1:' }), (nl) => nl.filter.stream({ dev: 'nlts-v0', parent: '1:' })],
];

for (const [name, list, stream] of families) {
  test(`${name}: stream() sends list()'s request and yields what list() returns`, async () => {
    const a = fakeRtnl();
    const listed = await list(a.nl);
    const b = fakeRtnl();
    const streamed = await drain(stream(b.nl));
    assert.equal(streamed, listed);
    assert.equal(b.messages().map(noSeq), a.messages().map(noSeq));
  });
}

test('link stream() yields every link the kernel dumps', async () => {
  const f = fakeRtnl();
  assert.equal((await drain(f.nl.link.stream())).map((l) => l.name), LINKS.map((l) => l.name));
});

test('delete() is the verb and del() its alias, for links, addresses and routes', async () => {
  const a = fakeRtnl();
  const b = fakeRtnl();
  await a.nl.link.delete('nlts-v0');
  await b.nl.link.del('nlts-v0');
  assert.is(noSeq(a.last(RTM_DELLINK)), noSeq(b.last(RTM_DELLINK)));
  await a.nl.route.delete({ dst: '198.18.0.0/24', dev: 10 });
  await b.nl.route.del({ dst: '198.18.0.0/24', dev: 10 });
  await a.nl.addr.delete({ dev: 10, address: '198.18.0.1/24' });
  await b.nl.addr.del({ dev: 10, address: '198.18.0.1/24' });
  assert.equal(a.messages().map(noSeq), b.messages().map(noSeq));
});

test.run();
