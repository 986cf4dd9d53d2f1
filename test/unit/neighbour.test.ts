import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type NeighbourSpec, neighbourInput, neighbourListRequest, neighbourRequest } from '../../src/api/families/neighbour.js';
import { decodeNeighbour } from '../../src/rtnl/neighbour.js';
import { UsageError, parseGlobal } from '../../src/cli/args.js';
import { parseNeighModify, parseNeighShow } from '../../src/cli/commands/neigh.js';
import { DEFAULT_SHOW_STATES, neighShown, neighToIpJson } from '../../src/cli/ip-json/neigh.js';
import { Rtnl } from '../../src/client.js';
import { RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH } from '../../src/generated/linux/rtnetlink.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { type Neighbour, neighbourMessage } from '../../src/rtnl/neighbour.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { hexdump, loadFixture, requestOf } from '../helpers/fixtures.js';
import { encodeError, fixtureTests, ipWords, refusedBeforeSending, wireBytes } from '../helpers/wire.js';

/** The links of the fixtures' namespace (lo, then the veth pair). */
const IFINDEX: Record<string, number> = { 'nlts-v1': 2, 'nlts-v0': 3 };
const VERB = { add: 'add', replace: 'replace', change: 'change', del: 'delete' } as const;

/** What `netlink-ts neigh ...` sends for the words of a fixture's command. */
function ourRequest(command: string): { bytes: Buffer; type: number } {
  const { opts, rest } = parseGlobal(ipWords(command));
  const [object, verb, ...words] = rest;
  assert.is(object, 'neigh');
  if (verb === 'show') {
    const { filter } = parseNeighShow(words, opts);
    const req = neighbourListRequest({ family: filter.family, ifindex: filter.dev === undefined ? undefined : IFINDEX[filter.dev], proxy: filter.proxy });
    return { bytes: wireBytes(req, true), type: RTM_GETNEIGH };
  }
  const v = VERB[verb as keyof typeof VERB];
  const { spec } = parseNeighModify(v, words, opts);
  const req = neighbourRequest(v, { ...spec, dev: spec.dev === undefined ? undefined : IFINDEX[spec.dev] });
  return { bytes: wireBytes(req), type: v === 'delete' ? RTM_DELNEIGH : RTM_NEWNEIGH };
}

fixtureTests('neigh', ourRequest);

const SPECS: [string, NeighbourSpec<number>, 'add' | 'replace' | 'delete'][] = [
  ['neigh/add-permanent-v4.json', { dev: 3, address: '198.18.0.2', lladdr: '02:00:00:00:00:02', state: 'permanent' }, 'add'],
  ['neigh/add-default-state-v4.json', { dev: 3, address: '198.18.0.6', lladdr: '02:00:00:00:00:06' }, 'add'],
  ['neigh/add-permanent-v6.json', { dev: 3, address: 'fd00::2', lladdr: '02:00:00:00:00:04' }, 'add'],
  ['neigh/add-router-stale-v6.json', { dev: 3, address: 'fd00::3', lladdr: '02:00:00:00:00:05', state: 'stale', flags: ['router'] }, 'add'],
  ['neigh/add-noarp-v4.json', { dev: 3, address: '198.18.0.4', state: ['noarp'] }, 'add'],
  ['neigh/add-protocol-v4.json', { dev: 3, protocol: 'static', address: '198.18.0.5', lladdr: '02:00:00:00:00:05' }, 'add'],
  ['neigh/add-managed-v6.json', { dev: 3, address: 'fd00::5', flagsExt: ['managed'] }, 'add'],
  ['neigh/add-proxy-v4.json', { dev: 3, address: '198.18.0.9', flags: ['proxy'] }, 'add'],
  ['neigh/replace-reachable-v4.json', { dev: 3, address: '198.18.0.3', lladdr: '02:00:00:00:00:03', state: 'reachable' }, 'replace'],
  ['neigh/replace-extern-learn-v6.json', { dev: 3, address: 'fd00::4', lladdr: '02:00:00:00:00:07', state: 'stale', flags: ['extern_learn'] }, 'replace'],
  ['neigh/del-v4.json', { dev: 3, address: '198.18.0.2' }, 'delete'],
  ['neigh/del-v6.json', { dev: 3, address: 'fd00::2' }, 'delete'],
  ['neigh/del-proxy-v4.json', { dev: 3, address: '198.18.0.9', flags: ['proxy'] }, 'delete'],
];

for (const [file, spec, verb] of SPECS) {
  test(`fixture ${file}: the typed spec encodes to the same bytes`, () => {
    const f = loadFixture(file);
    const theirs = requestOf(f, verb === 'delete' ? RTM_DELNEIGH : RTM_NEWNEIGH);
    assert.is(hexdump(wireBytes(neighbourRequest(verb, spec))), hexdump(theirs));
  });
}

test('a request decodes back to the typed entry; absent fields are undefined', () => {
  const f = loadFixture('neigh/add-router-stale-v6.json');
  const msg = requestOf(f, RTM_NEWNEIGH);
  const n = decodeNeighbour(msg, 0, msg.length)!;
  assert.is(n.family, 'inet6');
  assert.is(n.ifindex, 3);
  assert.equal(n.state, ['stale']);
  assert.equal(n.flags, ['router']);
  assert.is(n.type, 'unspec');
  assert.is(n.address, 'fd00::3');
  assert.is(n.lladdr, '02:00:00:00:00:05');
  assert.is(n.protocol, undefined);
  assert.is(n.cacheinfo, undefined);
  assert.is(n.probes, undefined);
  assert.is(n.issues, undefined);
  const managed = requestOf(loadFixture('neigh/add-managed-v6.json'), RTM_NEWNEIGH);
  const none = decodeNeighbour(managed, 0, managed.length)!;
  assert.equal(none.state, []);
  assert.equal(none.flagsExt, ['managed']);
});

test('unknown state bits, flags and types decode to numbers, never throw', () => {
  const w = new NetlinkWriter();
  const at = w.beginMessage(RTM_NEWNEIGH, 0);
  neighbourMessage.encodePayload(w, { family: 99, ifindex: 7, state: 0x100, flags: 0x80, type: 200, address: '198.18.0.1' });
  w.attrU32(200, 5);
  w.endMessage(at);
  const b = w.toBuffer();
  const n = decodeNeighbour(b, 0, b.length)!;
  assert.is(n.family, 99);
  assert.equal(n.state, ['0x100']);
  assert.equal(n.flags, ['router']);
  assert.is(n.type, 200);
  assert.is(n.unknown?.[0]?.type, 200);
});

test('bad input: an EncodeError that names the field, thrown before anything is sent', async () => {
  const cases: [NeighbourSpec<number>, RegExp, string][] = [
    [{ dev: 3, address: '198.18.0.300' }, /not a valid IP address/, 'neigh.address'],
    [{ dev: 3, address: 'fd00::/64' }, /not a valid IP address/, 'neigh.address'],
    [{ dev: 3, address: '198.18.0.1', family: 'inet6' }, /IPv4 value in an IPv6 request/, 'neigh.address'],
    [{ dev: 3, address: '198.18.0.1', state: 'perm' as never }, /unknown neighbour state "perm"/, 'neigh.state'],
    [{ dev: 3, address: '198.18.0.1', flags: ['routr' as never] }, /unknown neighbour flag "routr"/, 'neigh.flags'],
    [{ dev: 3, address: '198.18.0.1', lladdr: '02:00:zz' }, /not a hardware address/, 'neigh.lladdr'],
    [{ address: '198.18.0.1' }, /needs a link/, 'neigh.dev'],
    [{ dev: -1, address: '198.18.0.1' }, /not an interface index/, 'neigh.dev'],
    [{ dev: 'bad/name', address: '198.18.0.1' } as never, /contains "\/"/, 'neigh.dev'],
    [{ dev: 3, address: '198.18.0.1', lladr: 'x' } as never, /unknown field/, 'neigh.lladr'],
    [{ dev: 3, address: '198.18.0.1', protocol: 'staticc' as never }, /unknown route protocol "staticc"/, 'neigh.protocol'],
  ];
  for (const [spec, re, path] of cases) await refusedBeforeSending((nl) => nl.neigh.add(spec), re, path, JSON.stringify(spec));
  assert.is(encodeError(() => neighbourRequest('flush' as never, { dev: 3, address: '198.18.0.1' })).path, 'verb');
  assert.is(encodeError(() => neighbourInput(null as never)).path, 'neigh');
});

test('a kernel refusal carries its words; deleting an absent entry says so with ENOENT', async () => {
  const k = new FakeKernel((req, reply) => {
    if (req.type === RTM_DELNEIGH) reply.error(2);
    else reply.error(22, { message: 'Invalid NTF_* flag combination' });
  });
  await using nl = Rtnl.openSync({ transport: k });
  const del = await nl.neigh.delete({ dev: 3, address: '198.18.0.7' }).catch((e: unknown) => e) as NetlinkError;
  assert.instance(del, NetlinkError);
  assert.is(del.code, 'ENOENT');
  assert.is(del.errno, 2);
  assert.match(del.message, /^neigh del 198\.18\.0\.7 dev 3: ENOENT .*there is no such neighbour 198\.18\.0\.7 on 3/);
  const add = await nl.neigh.add({ dev: 3, address: '198.18.0.7', flagsExt: ['managed'], state: 'permanent' }).catch((e: unknown) => e) as NetlinkError;
  assert.is(add.code, 'EINVAL');
  assert.match(add.message, /Invalid NTF_\* flag combination/);
});

test('list decodes a dump; a dev filter is sent to the kernel and applied again', async () => {
  const entry = (ifindex: number, address: string) => (w: NetlinkWriter) =>
    neighbourMessage.encodePayload(w, { family: 'inet', ifindex, state: 'reachable', type: 'unicast', address, lladdr: '02:00:00:00:00:01', cacheinfo: { ndm_used: 300, ndm_confirmed: 200, ndm_updated: 100, ndm_refcnt: 1 }, probes: 0 });
  const k = new FakeKernel((req, reply) => {
    if (req.type === RTM_GETNEIGH) {
      reply.data(RTM_NEWNEIGH, entry(3, '198.18.0.2'), 2).data(RTM_NEWNEIGH, entry(4, '198.18.0.3'), 2).done();
    } else reply.ack();
  });
  await using nl = Rtnl.openSync({ transport: k });
  const all = await nl.neigh.list();
  assert.equal(all.map((n) => n.address), ['198.18.0.2', '198.18.0.3']);
  assert.is(all[0]!.type, 'unicast');
  assert.equal(all[0]!.cacheinfo, { ndm_confirmed: 200, ndm_used: 300, ndm_updated: 100, ndm_refcnt: 1 });
  const one = await nl.neigh.list({ dev: 3 });
  assert.equal(one.map((n) => n.address), ['198.18.0.2']);
  assert.is(k.sent[1]!.readUInt32LE(16 + 12 + 4), 3, 'NDA_IFINDEX in the dump request');
  const j = neighToIpJson(all[0]!, { stats: true, linkOf: (i) => (i === 3 ? { name: 'nlts-v0', type: 'ether' } as never : undefined) });
  assert.is(JSON.stringify(j), '{"dst":"198.18.0.2","dev":"nlts-v0","lladdr":"02:00:00:00:00:01","refcnt":1,"used":3,"confirmed":2,"updated":1,"probes":0,"state":["REACHABLE"]}');
  assert.is(JSON.stringify(neighToIpJson(all[1]!, { oneLink: true })), '{"dst":"198.18.0.3","lladdr":"02:00:00:00:00:01","state":["REACHABLE"]}');
});

test('ip neigh show selection: noarp and none hidden by default, proxy and extern_learn always shown', () => {
  const n = (state: string[], flags: string[] = []) => ({ family: 'inet', ifindex: 3, state, flags, type: 'unicast', address: '198.18.0.1' }) as unknown as Neighbour;
  const view = { states: DEFAULT_SHOW_STATES };
  assert.ok(neighShown(n(['permanent']), view));
  assert.not.ok(neighShown(n(['noarp']), view));
  assert.not.ok(neighShown(n([]), view));
  assert.ok(neighShown(n([], ['proxy']), view));
  assert.ok(neighShown(n(['noarp'], ['extern_learn']), view));
  assert.ok(neighShown(n([]), { states: 0x100 }));
  const { view: v } = parseNeighShow(['nud', 'all', 'to', '198.18.0.0/24'], {});
  assert.ok(neighShown(n(['noarp']), v));
  assert.not.ok(neighShown({ ...n(['noarp']), address: '198.18.1.1' } as Neighbour, v));
});

test('CLI words: errors are usage errors or name the field', () => {
  assert.throws(() => parseNeighModify('add', ['198.18.0.1'], {}), (e: unknown) => e instanceof UsageError && /Device and destination/.test((e as Error).message));
  assert.throws(() => parseNeighModify('add', ['198.18.0.1', 'dev', 'x', 'nud', 'bogus'], {}), (e: unknown) => e instanceof UsageError);
  assert.equal(parseNeighModify('add', ['198.18.0.1', 'dev', 'x', 'nud', 'perm'], {}).spec.state, 'permanent');
  assert.equal(parseNeighModify('add', ['198.18.0.1', 'dev', 'x', 'nud', '0x4'], {}).spec.state, 4);
  assert.is(parseNeighModify('add', ['198.18.0.1', 'dev', 'x', 'lladdr', 'null'], {}).spec.lladdr, undefined);
  const spec = parseNeighModify('add', ['fd00::1', 'dev', 'x'], { family: 'inet' }).spec;
  assert.is(encodeError(() => neighbourInput({ ...spec, dev: 3 })).path, 'neigh.address');
});

test.run();
