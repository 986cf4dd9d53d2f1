import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type NexthopObjectInput, nexthopListRequest, nexthopMessageOf, nexthopRequest } from '../../src/api/nexthops.js';
import { parseGlobal } from '../../src/cli/args.js';
import { nexthopCommand } from '../../src/cli/commands/nexthop.js';
import { routeCommand } from '../../src/cli/commands/route.js';
import { bucketToIpJson, bucketToText, nexthopToIpJson, nexthopToText } from '../../src/cli/ip-json/nexthop.js';
import type { Output } from '../../src/cli/output.js';
import { NLM_F_ACK, NLM_F_DUMP } from '../../src/generated/linux/netlink.js';
import { NHA_GROUPS, NHA_ID } from '../../src/generated/linux/nexthop.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { forEachAttr } from '../../src/netlink/reader.js';
import { decodeNexthopObject, nexthopMessage } from '../../src/rtnl/nexthop.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';
import { hexdump, listFixtures, loadFixture, normalize, requestOf } from '../helpers/fixtures.js';
import { quietOutput } from '../helpers/quiet-output.js';
import { encodeError, ipWords, refusedBeforeSending, wireBytes } from '../helpers/wire.js';

const NHMSG = 8;
const DUMP_TYPES = new Set([R.RTM_GETNEXTHOP, R.RTM_GETNEXTHOPBUCKET]);

/** Whether a request (after nlmsghdr and nhmsg) carries attribute `type`. */
function hasAttr(payload: Buffer, type: number): boolean {
  let found = false;
  forEachAttr(payload, NHMSG, payload.length, (t) => { if ((t & 0x3fff) === type) found = true; });
  return found;
}

/**
 * A fake kernel with the two nexthops the fixtures' setup made (ids 1 and 2
 * on nlts-v0): a dump lists them (none for a dump of groups), a get by id
 * answers with one, a bucket dump or get with one bucket of group 23.
 */
function nexthopFake(): ReturnType<typeof fakeRtnl> {
  return fakeRtnl((req, reply) => {
    if (!DUMP_TYPES.has(req.type)) return false;
    const dump = (req.flags & NLM_F_DUMP) === NLM_F_DUMP;
    if (req.type === R.RTM_GETNEXTHOPBUCKET) {
      reply.data(R.RTM_NEWNEXTHOPBUCKET, (w) => nexthopMessage.encodePayload(w, { family: 'inet', id: 23, bucket: { index: 3, idleTime: 1.5, nhid: 1 } }), dump ? 2 : 0);
    } else {
      const groupsOnly = hasAttr(req.payload, NHA_GROUPS);
      const ids = dump ? (groupsOnly ? [] : [1, 2]) : [1];
      for (const id of ids) {
        reply.data(R.RTM_NEWNEXTHOP, (w) => nexthopMessage.encodePayload(w, { family: 'inet', scope: 'link', id, oif: 10, gateway: `198.18.0.${id + 1}` }), dump ? 2 : 0);
      }
    }
    if (dump) reply.done();
    else if (req.flags & NLM_F_ACK) reply.ack();
    return true;
  });
}

/** A request compared as fixtures are: seq and port id zeroed, NLM_F_ACK left out (our socket asks every change for one). */
function comparable(m: Buffer): string {
  const b = normalize(m);
  b.writeUInt16LE(b.readUInt16LE(6) & ~NLM_F_ACK, 6);
  return hexdump(b);
}

/** What our CLI sends for a fixture's command line: every message but link lookups. */
async function cliSends(command: string): Promise<string[]> {
  const { opts, rest } = parseGlobal(ipWords(command));
  const [object, ...words] = rest;
  const fake = nexthopFake();
  if (object === 'route') await routeCommand(fake.nl, words, opts, quietOutput);
  else await nexthopCommand(fake.nl, words, opts, quietOutput);
  return fake.messages().filter((m) => m.readUInt16LE(4) !== R.RTM_GETLINK).map(comparable);
}

const files = listFixtures('nexthop');
test('fixtures: at least 30 ip nexthop commands captured', () => {
  assert.ok(files.length >= 30, `${files.length} fixtures`);
});
for (const file of files) {
  test(`fixture ${file}: the CLI's words send iproute2's requests`, async () => {
    const f = loadFixture(file);
    const theirs = f.messages.filter((m) => m.type !== R.RTM_GETLINK).map((m) => comparable(Buffer.from(m.hex, 'hex')));
    assert.equal(await cliSends(f.command), theirs, f.command);
  });
}

/** The typed input for each add/replace/delete fixture: the library builds the same bytes. */
const INPUTS: [string, 'add' | 'replace' | 'delete', NexthopObjectInput<number> | number][] = [
  ['add-via-dev', 'add', { id: 1, via: '198.18.0.2', dev: 10 }],
  ['add-dev', 'add', { id: 3, dev: 10 }],
  ['add-v6', 'add', { id: 4, via: 'fd00::2', dev: 10 }],
  ['add-blackhole', 'add', { id: 5, blackhole: true }],
  ['add-blackhole-v6', 'add', { family: 'inet6', id: 6, blackhole: true }],
  ['add-onlink', 'add', { id: 7, via: '198.18.1.1', dev: 10, onlink: true }],
  ['add-protocol', 'add', { id: 8, via: '198.18.0.2', dev: 10, protocol: 'static' }],
  ['add-fdb', 'add', { id: 9, via: '198.18.0.4', fdb: true }],
  ['add-fdb-v6', 'add', { id: 10, via: 'fd00::4', fdb: true }],
  ['add-v6-proto-onlink', 'add', { family: 'inet6', id: 11, via: 'fd00:1::9', dev: 10, onlink: true, protocol: 99 }],
  ['replace', 'replace', { id: 1, via: '198.18.0.5', dev: 10 }],
  ['add-group', 'add', { id: 20, group: [{ id: 1 }, { id: 2 }] }],
  ['add-group-weights', 'add', { id: 21, group: [{ id: 1, weight: 3 }, { id: 2, weight: 5 }] }],
  ['add-group-mpath', 'add', { id: 22, group: [{ id: 1 }, { id: 2 }], type: 'mpath' }],
  ['add-group-resilient', 'add', { id: 23, group: [{ id: 1 }, { id: 2 }], type: 'resilient', resilient: { buckets: 8, idleTimer: 120, unbalancedTimer: 60 } }],
  ['add-group-resilient-weights', 'add', { id: 24, group: [{ id: 1, weight: 2 }, { id: 2 }], resilient: { buckets: 16 } }],
  ['add-group-proto', 'add', { id: 25, group: [{ id: 1 }, { id: 2 }], protocol: 'bgp' }],
  ['add-group-fdb', 'add', { id: 26, group: [{ id: 1 }, { id: 2 }], fdb: true }],
  ['del', 'delete', 2],
  ['del-id', 'delete', 7],
];

for (const [name, verb, input] of INPUTS) {
  test(`fixture nexthop/${name}: the typed input encodes to iproute2's bytes`, () => {
    const type = verb === 'delete' ? R.RTM_DELNEXTHOP : R.RTM_NEWNEXTHOP;
    const theirs = requestOf(loadFixture(`nexthop/${name}.json`), type);
    const req = verb === 'delete' ? nexthopRequest('delete', input as number) : nexthopRequest(verb, input as NexthopObjectInput<number>);
    assert.is(comparable(wireBytes(req)), comparable(theirs));
  });
}

test('the library verbs resolve a device name and send the same bytes', async () => {
  const fake = nexthopFake();
  await fake.nl.nexthop.add({ id: 1, via: '198.18.0.2', dev: 'nlts-v0' });
  assert.is(comparable(fake.last(R.RTM_NEWNEXTHOP)), comparable(requestOf(loadFixture('nexthop/add-via-dev.json'), R.RTM_NEWNEXTHOP)));
  await fake.nl.nexthop.delete({ id: 2 });
  assert.is(comparable(fake.last(R.RTM_DELNEXTHOP)), comparable(requestOf(loadFixture('nexthop/del.json'), R.RTM_DELNEXTHOP)));
  const b = fake.nl.batch();
  b.nexthop.add({ id: 23, group: [{ id: 1 }, { id: 2 }], type: 'resilient', resilient: { buckets: 8, idleTimer: 120, unbalancedTimer: 60 } });
  b.nexthop.replace({ id: 1, via: '198.18.0.5', dev: 'nlts-v0' });
  b.nexthop.delete(2);
  const r = await b.commit();
  assert.equal(r.errors, []);
  const sent = fake.messages().slice(-3);
  assert.is(comparable(sent[0]!), comparable(requestOf(loadFixture('nexthop/add-group-resilient.json'), R.RTM_NEWNEXTHOP)));
  assert.is(comparable(sent[1]!), comparable(requestOf(loadFixture('nexthop/replace.json'), R.RTM_NEWNEXTHOP)));
  assert.is(comparable(sent[2]!), comparable(requestOf(loadFixture('nexthop/del.json'), R.RTM_DELNEXTHOP)));
});

test('list filters: dev, groups, master and fdb go to the kernel in ip\'s order; protocol is filtered here', async () => {
  const fake = nexthopFake();
  await fake.nl.nexthop.list({ dev: 'nlts-v0' });
  assert.is(comparable(fake.last(R.RTM_GETNEXTHOP)), comparable(requestOf(loadFixture('nexthop/show-dev.json'), R.RTM_GETNEXTHOP)));
  assert.is(comparable(wireBytes(nexthopListRequest({ fdb: true }), true)), comparable(requestOf(loadFixture('nexthop/show-fdb.json'), R.RTM_GETNEXTHOP)));
  assert.equal((await fake.nl.nexthop.list()).map((n) => n.id), [1, 2]);
  assert.equal(await fake.nl.nexthop.list({ protocol: 'static' }), []);
  assert.equal((await fake.nl.nexthop.list({ protocol: 0 })).map((n) => n.id), [1, 2]);
});

test('flush: groups first, then the rest, each deleted by id; returns how many', async () => {
  const fake = nexthopFake();
  assert.is(await fake.nl.nexthop.flush(), 2);
  const f = loadFixture('nexthop/flush.json');
  const theirs = f.messages.map((m) => comparable(Buffer.from(m.hex, 'hex')));
  assert.equal(fake.messages().map(comparable), theirs);
});

test('a request decodes back to the typed nexthop; absent fields are undefined', () => {
  const msg = requestOf(loadFixture('nexthop/add-group-resilient.json'), R.RTM_NEWNEXTHOP);
  const nh = decodeNexthopObject(msg, 0, msg.length)!;
  assert.is(nh.id, 23);
  assert.equal(nh.group, [{ id: 1, weight: 1 }, { id: 2, weight: 1 }]);
  assert.is(nh.groupType, 'resilient');
  assert.equal(nh.resilient, { buckets: 8, idleTimer: 120, unbalancedTimer: 60 });
  assert.is(nh.family, 'unspec');
  assert.is(nh.gateway, undefined);
  assert.is(nh.oif, undefined);
  assert.is(nh.blackhole, undefined);
  assert.is(nh.issues, undefined);
  const v6 = requestOf(loadFixture('nexthop/add-v6-proto-onlink.json'), R.RTM_NEWNEXTHOP);
  const o = decodeNexthopObject(v6, 0, v6.length)!;
  assert.equal({ family: o.family, id: o.id, gateway: o.gateway, oif: o.oif, flags: o.flags, protocol: o.protocol }, { family: 'inet6', id: 11, gateway: 'fd00:1::9', oif: 10, flags: ['onlink'], protocol: 'openr' });
});

test('a group whose length is not whole members is an issue, not a throw; unknown attributes are kept', () => {
  const w = Buffer.from(wireBytes(nexthopRequest('add', { id: 1, group: [{ id: 2 }] })));
  // Shorten NHA_GROUP's payload by 1 byte, and append an unknown attribute 99.
  const at = 16 + NHMSG + 8; // after nlmsghdr, nhmsg, NHA_ID
  w.writeUInt16LE(w.readUInt16LE(at) - 1, at);
  const extra = Buffer.from([8, 0, 99, 0, 1, 2, 3, 4]);
  const msg = Buffer.concat([w, extra]);
  msg.writeUInt32LE(msg.length, 0);
  const nh = decodeNexthopObject(msg, 0, msg.length)!;
  assert.ok(nh.issues?.some((i) => /whole number/.test(i.problem)), JSON.stringify(nh.issues));
  assert.equal(nh.unknown, [{ type: 99, data: Buffer.from([1, 2, 3, 4]) }]);
});

test('bad input is an EncodeError naming the field, and nothing is sent', async () => {
  const cases: [(nl: ReturnType<typeof fakeRtnl>['nl']) => Promise<unknown>, RegExp, string][] = [
    [(nl) => nl.nexthop.add({ id: 0, blackhole: true }), /not a nexthop id/, 'nexthop.id'],
    [(nl) => nl.nexthop.add({ id: 1, via: 'nope' }), /./, 'nexthop.via'],
    [(nl) => nl.nexthop.add({ id: 1, via: '198.18.0.1', family: 'inet6' }), /IPv6/, 'nexthop.via'],
    [(nl) => nl.nexthop.add({ id: 1, group: [{ id: 2, weight: 0 }] }), /weight 0 is not 1..256/, 'nexthop.group[0].weight'],
    [(nl) => nl.nexthop.add({ id: 1, group: [] }), /non-empty list/, 'nexthop.group'],
    [(nl) => nl.nexthop.add({ id: 1, group: [{ id: 2 }], blackhole: true }), /members only/, 'nexthop.group'],
    [(nl) => nl.nexthop.add({ id: 1, type: 'resilient' }), /for groups/, 'nexthop.type'],
    [(nl) => nl.nexthop.add({ id: 1, group: [{ id: 2 }], type: 'fancy' as 'mpath' }), /'mpath' or 'resilient'/, 'nexthop.type'],
    [(nl) => nl.nexthop.add({ id: 1, group: [{ id: 2 }], resilient: { idleTimer: 0.001 } }), /steps of 0.01/, 'nexthop.resilient.idleTimer'],
    [(nl) => nl.nexthop.add({ id: 1, gateway: '198.18.0.1' } as never), /unknown field/, 'nexthop.gateway'],
    [(nl) => nl.nexthop.add({ id: 1, dev: 'bad/name' }), /not allowed/, 'nexthop.dev'],
    [(nl) => nl.nexthop.delete(-1), /not a nexthop id/, 'nexthop.id'],
    [(nl) => nl.nexthop.get(2 ** 33), /not a nexthop id/, 'nexthop.id'],
    [(nl) => nl.nexthop.bucket(1, 70000), /bucket index/, 'nexthop.bucket.index'],
    [(nl) => nl.nexthop.list({ groups: 1 as unknown as boolean }), /true or false/, 'nexthop.groups'],
  ];
  for (const [call, message, path] of cases) await refusedBeforeSending(call as never, message, path);
  assert.instance(encodeError(() => nexthopMessageOf(null as never)), EncodeError);
});

/** ip's output for the same objects (iproute2 6.1, `ip nexthop show` / `ip -j nexthop show`). */
test('printers: ip\'s text and JSON for plain, blackhole, fdb, weighted and resilient nexthops', () => {
  const ifname = (i: number): string => (i === 10 ? 'nlts-v0' : `if${i}`);
  const dec = (m: Parameters<typeof nexthopMessage.encodePayload>[1]): ReturnType<typeof decodeNexthopObject> => {
    const w = wireBytes({ type: R.RTM_NEWNEXTHOP, headerSize: 8, body: (x) => nexthopMessage.encodePayload(x, m) });
    return decodeNexthopObject(w, 0, w.length);
  };
  const cases: [Parameters<typeof nexthopMessage.encodePayload>[1], string, string][] = [
    [{ family: 'inet', scope: 'link', id: 1, gateway: '198.18.0.2', oif: 10 }, 'id 1 via 198.18.0.2 dev nlts-v0 scope link ', '{"id":1,"gateway":"198.18.0.2","dev":"nlts-v0","scope":"link","flags":[]}'],
    [{ family: 'inet', id: 2, blackhole: true, oif: 1 }, 'id 2 dev if1 blackhole ', '{"id":2,"dev":"if1","blackhole":null,"flags":[]}'],
    [{ family: 'inet', scope: 'link', id: 12, gateway: '198.18.0.4', fdb: true }, 'id 12 via 198.18.0.4 scope link fdb', '{"id":12,"gateway":"198.18.0.4","scope":"link","flags":[],"fdb":null}'],
    [{ family: 'unspec', id: 10, group: [{ id: 1 }, { id: 2, weight: 5 }], protocol: 'static', flags: ['onlink'] }, 'id 10 group 1/2,5 proto static onlink ', '{"id":10,"group":[{"id":1},{"id":2,"weight":5}],"protocol":"static","flags":["onlink"]}'],
    [{ family: 'unspec', id: 23, group: [{ id: 1 }, { id: 2 }], groupType: 'resilient', resilient: { buckets: 8, idleTimer: 120, unbalancedTimer: 60, unbalancedTime: 0 } },
      'id 23 group 1/2 type resilient buckets 8 idle_timer 120 unbalanced_timer 60 unbalanced_time 0 ',
      '{"id":23,"group":[{"id":1},{"id":2}],"type":"resilient","resilient_args":{"buckets":8,"idle_timer":120,"unbalanced_timer":60,"unbalanced_time":0},"flags":[]}'],
  ];
  for (const [m, text, json] of cases) {
    const j = nexthopToIpJson(dec(m)!, { ifname });
    assert.is(JSON.stringify(j), json);
    assert.is(nexthopToText(j), text);
  }
  const b = dec({ family: 'inet', id: 23, bucket: { index: 0, idleTime: 0.01, nhid: 2 } })!;
  assert.is(JSON.stringify(bucketToIpJson(b)), '{"id":23,"bucket":{"index":0,"idle_time":0.01,"nhid":2},"flags":[]}');
  assert.is(bucketToText(bucketToIpJson(b)), 'id 23 index 0 idle_time 0.01 nhid 2 ');
});

test('CLI: wrong words are usage errors before anything is sent', async () => {
  const bad = [['add', 'id', 'x'], ['add', 'id', '1', 'group', '1,0'], ['add', 'id', '1', 'type', 'fancy'], ['add', 'id', '1', 'bogus'], ['get'], ['show', 'bogus'], ['bucket', 'get', 'id', '1'], ['frobnicate']];
  for (const words of bad) {
    const fake = nexthopFake();
    const out: Output = quietOutput;
    const err = await nexthopCommand(fake.nl, words, parseGlobal([]).opts, out).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error && err.name === 'UsageError', `${words.join(' ')}: ${String(err)}`);
    assert.is(fake.messages().length, 0, words.join(' '));
  }
});

test.run();
