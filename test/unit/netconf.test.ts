import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { netconfGetRequest } from '../../src/api/netconf.js';
import { parseGlobal } from '../../src/cli/args.js';
import { netconfCommand } from '../../src/cli/commands/netconf.js';
import { netconfToIpJson, netconfToText } from '../../src/cli/ip-json/netconf.js';
import type { Output } from '../../src/cli/output.js';
import { NLM_F_ACK, NLM_F_DUMP } from '../../src/generated/linux/netlink.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { type Netconf, type NetconfMessage, decodeNetconf, netconfMessage } from '../../src/rtnl/netconf.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';
import { hexdump, listFixtures, loadFixture, normalize } from '../helpers/fixtures.js';
import { ipWords, refusedBeforeSending } from '../helpers/wire.js';

const ENTRIES: NetconfMessage[] = [
  { family: 'inet', ifindex: 10, forwarding: 1, rpFilter: 2, mcForwarding: 0, proxyNeigh: 0, ignoreRoutesWithLinkdown: 0 },
  { family: 'inet', ifindex: -1, forwarding: 0, rpFilter: 0, mcForwarding: 0, proxyNeigh: 0, ignoreRoutesWithLinkdown: 0 },
  { family: 'inet6', ifindex: -2, forwarding: 0, proxyNeigh: 1, ignoreRoutesWithLinkdown: 0 },
];

/** A kernel that dumps ENTRIES and answers a lookup with its first entry of the family asked. */
function netconfFake(): ReturnType<typeof fakeRtnl> {
  return fakeRtnl((req, reply) => {
    if (req.type !== R.RTM_GETNETCONF) return false;
    const asked = netconfMessage.decodePayload(req.payload, 0, req.payload.length);
    if ((req.flags & NLM_F_DUMP) === NLM_F_DUMP) {
      for (const e of ENTRIES) if (asked.family === 'unspec' || asked.family === e.family) reply.data(R.RTM_NEWNETCONF, (w) => netconfMessage.encodePayload(w, e), 2);
      reply.done();
    } else {
      reply.data(R.RTM_NEWNETCONF, (w) => netconfMessage.encodePayload(w, { ...ENTRIES.find((e) => e.family === asked.family)!, ifindex: asked.ifindex }));
      if (req.flags & NLM_F_ACK) reply.ack();
    }
    return true;
  });
}

const comparable = (m: Buffer): string => {
  const b = normalize(m);
  b.writeUInt16LE(b.readUInt16LE(6) & ~NLM_F_ACK, 6);
  return hexdump(b);
};

/** An Output that keeps what is printed: text lines and JSON values. */
function capture(): Output & { lines: string[]; values: unknown[] } {
  const lines: string[] = [];
  const values: unknown[] = [];
  return { lines, values, line: (s) => { lines.push(s); }, json: (v) => { values.push(v); }, rows: () => ({ add: (r) => { values.push(r); }, end: () => undefined }) };
}

for (const file of listFixtures('netconf')) {
  test(`fixture ${file}: the CLI's words send iproute2's request`, async () => {
    const f = loadFixture(file);
    const { opts, rest } = parseGlobal(ipWords(f.command));
    const fake = netconfFake();
    await netconfCommand(fake.nl, rest.slice(1), opts, capture());
    const ours = fake.messages().filter((m) => m.readUInt16LE(4) === R.RTM_GETNETCONF).map(comparable);
    const theirs = f.messages.filter((m) => m.type === R.RTM_GETNETCONF).map((m) => comparable(Buffer.from(m.hex, 'hex')));
    assert.equal(ours, theirs, f.command);
  });
}

test('list filters by device here; get asks the kernel for one family and device', async () => {
  const fake = netconfFake();
  assert.equal((await fake.nl.netconf.list()).map((n) => [n.family, n.ifindex]), [['inet', 10], ['inet', -1], ['inet6', -2]]);
  assert.equal((await fake.nl.netconf.list({ dev: 'all' })).map((n) => n.ifindex), [-1]);
  assert.equal((await fake.nl.netconf.list({ family: 'inet6' })).map((n) => n.ifindex), [-2]);
  const one = await fake.nl.netconf.get({ family: 'inet', dev: 'nlts-v0' });
  assert.equal({ ...one }, { family: 'inet', ifindex: 10, forwarding: 1, rpFilter: 2, mcForwarding: 0, proxyNeigh: 0, ignoreRoutesWithLinkdown: 0 });
  const theirs = loadFixture('netconf/show-v4-dev.json').messages.find((m) => m.type === R.RTM_GETNETCONF)!;
  assert.is(comparable(fake.last(R.RTM_GETNETCONF)), comparable(Buffer.from(theirs.hex, 'hex')));
});

test('printers: ip\'s text and JSON, all/default and rp_filter names', () => {
  const ifname = (i: number): string => (i === 10 ? 'nlts-v0' : `if${i}`);
  const text = ENTRIES.map((e) => netconfToText(netconfToIpJson(e as Netconf, { ifname })));
  assert.equal(text, [
    'inet nlts-v0 forwarding on rp_filter loose mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off ',
    'inet all forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off ',
    'inet6 default forwarding off proxy_neigh on ignore_routes_with_linkdown off ',
  ]);
  assert.is(JSON.stringify(netconfToIpJson({ family: 'mpls', ifindex: 10, input: 1 }, { ifname })), '{"family":"mpls","interface":"nlts-v0","input":true}');
  assert.is(JSON.stringify(netconfToIpJson({ family: 'inet', rpFilter: 7 }, { ifname })), '{"family":"inet","rp_filter":7}');
});

test('CLI: -j with a family and a device prints text, as ip 6.1 does (its lookup path has no JSON writer)', async () => {
  const fake = netconfFake();
  const out = capture();
  await netconfCommand(fake.nl, ['show', 'dev', 'nlts-v0'], { ...parseGlobal(['-j', '-4']).opts }, out);
  assert.equal(out.lines, ['inet nlts-v0 forwarding on rp_filter loose mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off ']);
  assert.equal(out.values, []);
});

test('a decoded entry: absent attributes undefined; bad input refused before sending', async () => {
  const f = loadFixture('netconf/show-v6-dev.json').messages.find((m) => m.type === R.RTM_GETNETCONF)!;
  const b = Buffer.from(f.hex, 'hex');
  const n = decodeNetconf(b, 0, b.length)!;
  assert.equal({ ...n }, { family: 'inet6', ifindex: 11 });
  await refusedBeforeSending((nl) => nl.netconf.get({ family: 'unspec', dev: 1 }), /needs a family/, 'netconf.family');
  await refusedBeforeSending((nl) => nl.netconf.get({ family: 'inet', dev: 0 }), /not an interface index/, 'netconf.dev');
  await refusedBeforeSending((nl) => nl.netconf.list({ dev: 'a/b' }), /not allowed/, 'netconf.dev');
  assert.throws(() => netconfGetRequest('bogus' as never, 1));
});

test.run();
