// The kernel backend's pure parts, without a kernel: its requests against
// the bytes iproute2 sends, the batch contract over a fake kernel (the index
// of the failed item, a half-done item taken back), lab qdiscs as tc specs
// and their values checked at validation, the privilege check, the CLI's
// lab words' usage errors, and release() after every Lab operation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { labCommand } from '../../src/cli/commands/lab.js';
import { UsageError } from '../../src/cli/args.js';
import { Rtnl } from '../../src/client.js';
import { RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE } from '../../src/generated/linux/rtnetlink.js';
import { formatNamespaces } from '../../src/lab/format.js';
import { BatchItemError, eachItem, sendItems } from '../../src/lab/kernel/batch.js';
import { missingCapabilities } from '../../src/lab/kernel/privilege.js';
import { addressAddRequest, linkAddRequests, routeAddRequest, upRequest } from '../../src/lab/kernel/requests.js';
import { Lab } from '../../src/lab/lab.js';
import { htbClassId, tcPlan, tcProblem } from '../../src/lab/tc.js';
import { validate } from '../../src/lab/validate.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { hexdump, loadFixture, requestOf } from '../helpers/fixtures.js';
import { FakeBackend } from '../helpers/lab-fake.js';
import { wireBytes } from '../helpers/wire.js';
import { quietOutput } from '../helpers/quiet-output.js';

const same = (ours: Buffer, fixture: string, type: number) => {
  const f = loadFixture(fixture);
  assert.is(hexdump(ours), hexdump(requestOf(f, type)), f.command);
};

test('link, address and route requests are the bytes ip sends for the same change', () => {
  same(wireBytes(linkAddRequests({ kind: 'veth', name: 'nlts-v0', peer: { name: 'nlts-v1', ns: null } }, undefined)[0]!), 'link/add-veth.json', RTM_NEWLINK);
  same(wireBytes(linkAddRequests({ kind: 'bridge', name: 'nlts-br0' }, undefined)[0]!), 'link/add-bridge.json', RTM_NEWLINK);
  const index = (n: string) => (n === 'nlts-v0' ? 10 : undefined);
  same(wireBytes(addressAddRequest({ dev: 'nlts-v0', address: 'fd00::1/64', nodad: true }, index)), 'address/add-v6-nodad.json', RTM_NEWADDR);
  same(wireBytes(routeAddRequest({ family: 4, to: '198.18.1.0/24', via: '198.18.0.254' }, index)), 'route/add-gateway.json', RTM_NEWROUTE);
  same(wireBytes(routeAddRequest({ family: 6, to: 'fd00:5::/64', via: 'fd00::2', metric: 10 }, index)), 'route/add-v6-gateway.json', RTM_NEWROUTE);
});

test('a veth end elsewhere goes by namespace fd; root links get their alias in requests of their own', () => {
  const reqs = linkAddRequests({ kind: 'veth', name: 'x', alias: 'netlink-ts lab l', mtu: 1400, peer: { name: 'y', ns: 'l-a', mac: '02:00:5e:00:00:01' } }, 7);
  assert.is(reqs.length, 2, 'the peer lives elsewhere: its alias is not set here');
  const add = wireBytes(reqs[0]!);
  assert.ok(add.includes(Buffer.from([8, 0, 28, 0, 7, 0, 0, 0])), 'IFLA_NET_NS_FD 7 in the peer');
  assert.ok(!add.includes(Buffer.from('netlink-ts lab l')), 'no alias in the creating request (the kernel ignores it there)');
  assert.ok(wireBytes(reqs[1]!).includes(Buffer.from('netlink-ts lab l')));
  const both = linkAddRequests({ kind: 'veth', name: 'x', alias: 'a', peer: { name: 'y', alias: 'a', ns: null } }, undefined);
  assert.is(both.length, 3);
});

test('sendItems: a kernel refusal becomes the index of its item; a half-done item is taken back', async () => {
  let n = 0;
  const k = new FakeKernel((_req, reply) => {
    n++;
    if (n === 5) reply.error(17, { message: 'File exists' }); // the second request of item 2
    else reply.ack();
  });
  await using nl = Rtnl.openSync({ transport: k });
  const undone: number[] = [];
  const err = await sendItems(nl, [[upRequest('a')], [upRequest('b'), upRequest('b')], [upRequest('c'), upRequest('c')], [upRequest('d')]], {
    undoPartial: async (i) => { undone.push(i); },
    explain: (e, i) => new Error(`item ${i}: ${(e as NetlinkError).code}`),
  }).then(() => undefined, (e: unknown) => e);
  assert.instance(err, BatchItemError);
  assert.is((err as BatchItemError).index, 2);
  assert.is((err as BatchItemError).message, 'item 2: EEXIST');
  assert.equal(undone, [2], 'the item\'s first request had taken effect');
  assert.is(k.sent.length, 5, 'stopped at the failure: nothing after it was sent');
  const first = await eachItem(['a', 'b'], (x) => { if (x === 'b') throw Object.assign(new Error('no'), { code: 'ENOENT' }); }).then(() => undefined, (e: BatchItemError) => e);
  assert.is(first?.index, 1);
  assert.is(first?.code, 'ENOENT');
});

test('lab qdiscs as tc specs: htb classes parents first, ids as tc writes them', () => {
  const p = tcPlan({ kind: 'htb', default: 10, classes: [{ id: 10, rate: '1mbit', ceil: '10mbit', parent: 1 }, { id: 1, rate: '10mbit' }] }, 3);
  assert.equal(p.qdisc, { ifindex: 3, parent: 'root', handle: '1:', kind: 'htb', options: { default: 10 } });
  assert.equal(p.classes.map((c) => [c.classid, c.parent]), [['1:1', '1:'], ['1:a', '1:1']]);
  assert.is(htbClassId(255), '1:ff');
  assert.equal(tcPlan({ kind: 'tbf', rate: '1mbit', burst: '32kbit', latency: '400ms' }, 2).qdisc.options, { rate: '1mbit', burst: '32kbit', latency: '400ms' });
  assert.is(tcProblem({ kind: 'netem', delay: '100ms', loss: '1%' }), undefined);
  assert.equal(tcProblem({ kind: 'netem', delay: '100000s' }), { field: 'delay', problem: 'time "100000s" overflows 32 bits of microseconds' });
});

test('validation: a value tc\'s units refuse is a problem with its path, reported with the others', () => {
  const v = validate({
    name: 'q', namespaces: [{ name: 'a' }, { name: 'b' }],
    veths: [{ a: { name: 'x', namespace: 'a', qdisc: { kind: 'tbf', rate: '1mbit', burst: '32kbit', latency: '100000s' } }, b: { name: 'y', namespace: 'c' } }],
  });
  assert.not.ok(v.ok);
  const lines = v.ok ? [] : v.problems.map((p) => `${p.path}: ${p.message}`);
  assert.ok(lines.includes('veths[0].a.qdisc.latency: time "100000s" overflows 32 bits of microseconds'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('veths[0].b.namespace: unknown namespace "c"')), lines.join('\n'));
});

test('privilege: the capabilities a lab needs, read from CapEff', () => {
  assert.equal(missingCapabilities('Name:\tx\nCapEff:\t000001ffffffffff\n'), []);
  assert.equal(missingCapabilities('CapEff:\t0000000000000000\n'), ['CAP_NET_ADMIN', 'CAP_SYS_ADMIN']);
  assert.equal(missingCapabilities('CapEff:\t0000000000001000\n'), ['CAP_SYS_ADMIN']);
});

test('the namespace table: a qdisc column where a link has one; IPv6 link-local left out unless asked', () => {
  const state = {
    links: [
      { name: 'lo', up: true, addresses: ['127.0.0.1/8'], qdisc: 'noqueue' },
      { name: 'v', kind: 'veth', up: true, addresses: ['198.18.0.1/24', 'fe80::1/64'], qdisc: 'tbf' },
    ],
    routes: [{ family: 4 as const, to: '198.18.0.0/24', dev: 'v', protocol: 'kernel' }, { family: 6 as const, to: 'fe80::/64', dev: 'v', protocol: 'kernel' }],
    sysctls: {},
  };
  assert.is(formatNamespaces([{ ns: 'n', state }]), [
    'namespace n',
    '  link  kind  state  master  qdisc    addresses',
    '  lo          UP             noqueue  127.0.0.1/8',
    '  v     veth  UP             tbf      198.18.0.1/24',
    '  route          via  dev  proto',
    '  198.18.0.0/24       v    kernel',
  ].join('\n'));
  assert.match(formatNamespaces([{ ns: 'n', state }], { linkLocal: true }), /198\.18\.0\.1\/24 fe80::1\/64[^]*fe80::\/64/);
});

test('every Lab operation ends with release(), also when up() fails', async () => {
  const fake = new FakeBackend();
  const lab = Lab.from({ name: 'r', namespaces: [{ name: 'a' }] }, fake);
  await lab.up();
  assert.is(fake.released, 1);
  await lab.status();
  await lab.show();
  await lab.down();
  assert.is(fake.released, 4);
  fake.failAt = fake.changes + 1;
  await lab.up().catch(() => undefined);
  assert.is(fake.released, 5);
});

test('lab words: usage errors before anything else', async () => {
  const out = quietOutput;
  const opts = { json: false, stats: false, pretty: false, details: false };
  for (const words of [['up'], ['down', '--force'], ['ping', 'f.json', '--timeout', 'soon'], ['ping', 'f.json', '--protocol', 'sctp'], ['status', 'f.json', '--force'], ['run'], ['fly', 'f.json']]) {
    const err = await labCommand(words, opts, out, () => undefined).then(() => undefined, (e: unknown) => e);
    assert.instance(err, UsageError, words.join(' '));
  }
});

test.run();
