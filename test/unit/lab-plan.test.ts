import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabDescription } from '../../src/lab/description.js';
import { type LabOp, type Plan, type Step, dnsFiles, makePlan, teardown } from '../../src/lab/plan.js';
import { assertValid } from '../../src/lab/validate.js';

const example = (file: string): LabDescription => assertValid(JSON.parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8')));

/** A step as one short line: "addr.add pair-red veth-red 10.0.0.1/24". */
function line(op: LabOp): string {
  switch (op.op) {
    case 'netns.add': case 'netns.del': case 'dns.remove': return `${op.op} ${op.ns}`;
    case 'link.add': return `link.add ${op.ns ?? 'root'} ${op.link.kind} ${op.link.name}${op.link.kind === 'veth' ? ` peer ${op.link.peer.name}@${op.link.peer.ns ?? 'root'}` : ''}`;
    case 'link.del': return `link.del ${op.ns ?? 'root'} ${op.name}`;
    case 'link.master': return `link.master ${op.ns ?? 'root'} ${op.name} ${op.master}`;
    case 'link.up': return `link.up ${op.ns ?? 'root'} ${op.name}`;
    case 'vlan.add': return `vlan.add ${op.ns ?? 'root'} ${op.dev} ${op.vlan.vid}${op.vlan.pvid ? ' pvid' : ''}${op.vlan.untagged ? ' untagged' : ''}${op.self ? ' self' : ''}`;
    case 'sysctl.set': return `sysctl.set ${op.ns} ${op.key}=${op.value}`;
    case 'addr.add': return `addr.add ${op.ns ?? 'root'} ${op.address.dev} ${op.address.address}${op.address.nodad ? ' nodad' : ''}`;
    case 'route.add': return `route.add ${op.ns ?? 'root'} ${op.route.to}${op.route.via ? ` via ${op.route.via}` : ''}${op.route.dev ? ` dev ${op.route.dev}` : ''}`;
    case 'qdisc.add': return `qdisc.add ${op.ns ?? 'root'} ${op.dev} ${op.qdisc.kind}`;
    case 'dns.write': return `dns.write ${op.ns}`;
    case 'firewall.apply': return `firewall.apply ${op.ns} ${op.doc.nftables.length}`;
    case 'addr.del': return `addr.del ${op.ns ?? 'root'} ${op.address.dev} ${op.address.address}`;
    case 'route.del': return `route.del ${op.ns ?? 'root'} ${op.route.to}${op.route.via ? ` via ${op.route.via}` : ''}`;
    case 'qdisc.del': return `qdisc.del ${op.ns ?? 'root'} ${op.dev}`;
    case 'qdisc.change': return `qdisc.change ${op.ns ?? 'root'} ${op.dev} ${op.qdisc.kind}`;
  }
}

/** Consecutive steps with one batch key, as the Lab sends them. */
function groups(plan: Plan): Step[][] {
  const out: Step[][] = [];
  for (const s of plan.steps) {
    const last = out[out.length - 1];
    if (last && s.batch !== undefined && last[0]!.batch === s.batch) last.push(s);
    else out.push([s]);
  }
  return out;
}

test('two namespaces over a veth pair: the steps in order', () => {
  const plan = makePlan(example('01-veth-pair.json'));
  assert.equal(plan.steps.map((s) => line(s.op)), [
    'netns.add pair-red',
    'netns.add pair-blue',
    'link.add pair-red veth veth-red peer veth-blue@pair-blue',
    'addr.add pair-red veth-red 10.0.0.1/24',
    'addr.add pair-blue veth-blue 10.0.0.2/24',
    'link.up pair-red lo',
    'link.up pair-red veth-red',
    'link.up pair-blue lo',
    'link.up pair-blue veth-blue',
  ]);
  assert.equal(plan.steps.map((s) => s.n), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(plan.owned, { namespaces: ['pair-red', 'pair-blue'], rootLinks: [], dns: [] });
  assert.equal(teardown(plan).map(line), ['netns.del pair-blue', 'netns.del pair-red']);
  assert.is(plan.steps[3]!.source, 'veths[0].a.addresses[0]');
  assert.is(plan.steps[3]!.what, 'add 10.0.0.1/24 to veth-red in pair-red');
});

test('every step is undone, or says what removes it', () => {
  for (const f of ['01-veth-pair.json', '02-bridge.json', '03-router.json', '04-tbf.json', '05-netem.json']) {
    for (const s of makePlan(example(f)).steps) {
      assert.ok((s.undo === null) !== (s.removedWith === undefined), `${f} step ${s.n}: ${s.what}`);
      const needsUndo = s.op.op === 'netns.add' || s.op.op === 'dns.write' || (s.op.op === 'link.add' && (s.op.ns === null || (s.op.link.kind === 'veth' && s.op.link.peer.ns === null)));
      assert.is(s.undo !== null, needsUndo, `${f} step ${s.n}: ${s.what}`);
    }
  }
});

test('a bridge in the root namespace: prefixed names, the alias, one batch per namespace and phase', () => {
  const plan = makePlan(example('../test/fixtures/lab/bridge-root.json'));
  const adds = plan.steps.filter((s) => s.op.op === 'link.add').map((s) => s.op);
  assert.equal(adds.map(line), [
    'link.add root bridge bridge-br0',
    'link.add root veth bridge-ns1-br peer eth0@bridge-ns1',
    'link.add root veth bridge-ns2-br peer eth0@bridge-ns2',
    'link.add root veth bridge-ns3-br peer eth0@bridge-ns3',
  ]);
  for (const op of adds) {
    if (op.op !== 'link.add') continue;
    assert.is(op.link.alias, 'netlink-ts lab bridge');
    if (op.link.kind === 'veth') assert.is(op.link.peer.alias, undefined, 'links in lab namespaces carry no alias');
  }
  assert.equal(plan.owned.rootLinks, ['bridge-br0', 'bridge-ns1-br', 'bridge-ns2-br', 'bridge-ns3-br']);
  assert.equal(teardown(plan).map(line), [
    'link.del root bridge-ns3-br', 'link.del root bridge-ns2-br', 'link.del root bridge-ns1-br', 'link.del root bridge-br0',
    'netns.del bridge-ns3', 'netns.del bridge-ns2', 'netns.del bridge-ns1',
  ]);
  const g = groups(plan);
  assert.equal(g.map((x) => `${x[0]!.op.op}×${x.length}`), [
    'netns.add×1', 'netns.add×1', 'netns.add×1', 'link.add×4', 'link.master×3', 'addr.add×1', 'addr.add×1', 'addr.add×1',
    'link.up×4', 'link.up×2', 'link.up×2', 'link.up×2',
  ]);
  for (const x of g) {
    assert.ok(x.every((s) => s.op.op === x[0]!.op.op && s.op.ns === x[0]!.op.ns), 'a batch is one kind of change in one namespace');
  }
  const master = plan.steps.find((s) => s.op.op === 'link.master')!;
  assert.is(master.removedWith, 'link bridge-ns1-br');
});

test('a router: forwarding, default routes, hosts files', () => {
  const lab = example('03-router.json');
  const plan = makePlan(lab);
  const lines = plan.steps.map((s) => line(s.op));
  assert.ok(lines.includes('sysctl.set router-router net.ipv4.ip_forward=1'));
  assert.not.ok(lines.some((l) => l.includes('ipv6')), 'no IPv6 forwarding without IPv6 addresses');
  assert.ok(lines.includes('route.add router-red 0.0.0.0/0 via 10.0.1.1'));
  assert.ok(lines.includes('route.add router-blue 0.0.0.0/0 via 10.0.2.1'));
  assert.equal(lines.slice(-2), ['dns.write router-red', 'dns.write router-blue']);
  const phase = (op: string) => lines.findIndex((l) => l.startsWith(op));
  assert.ok(phase('netns.add') < phase('link.add') && phase('link.add') < phase('sysctl.set') && phase('sysctl.set') < phase('addr.add') &&
    phase('addr.add') < phase('link.up') && phase('link.up') < phase('route.add') && phase('route.add') < phase('dns.write'));
  assert.equal(plan.owned.dns, ['router-red', 'router-blue']);
  assert.equal(dnsFiles(lab, 'red'), { hosts: '# written by netlink-ts lab router\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.0.1.1\trouter\n10.0.2.2\tblue\n' });
});

test('sysctls: forwarding for both families, explicit values win, booleans as 1/0', () => {
  const plan = makePlan(assertValid({
    name: 's',
    namespaces: [{ name: 'r', forwarding: true, sysctls: { 'net.ipv6.conf.all.forwarding': false, 'net.ipv4.conf.all.rp_filter': 2 } }, { name: 'x' }],
    veths: [{ a: { name: 'v', namespace: 'r', addresses: ['fd00::1/64', '10.1.0.1/24'] }, b: { name: 'v', namespace: 'x', addresses: ['fd00::2/64'] } }],
  }));
  const sys = plan.steps.filter((s) => s.op.op === 'sysctl.set');
  assert.equal(sys.map((s) => line(s.op)), [
    'sysctl.set s-r net.ipv4.ip_forward=1',
    'sysctl.set s-r net.ipv6.conf.all.forwarding=0',
    'sysctl.set s-r net.ipv4.conf.all.rp_filter=2',
  ]);
  assert.equal(sys.map((s) => s.source), ['namespaces[0].forwarding', 'namespaces[0].sysctls["net.ipv6.conf.all.forwarding"]', 'namespaces[0].sysctls["net.ipv4.conf.all.rp_filter"]']);
  const addrs = plan.steps.filter((s) => s.op.op === 'addr.add').map((s) => line(s.op));
  assert.equal(addrs, ['addr.add s-r v fd00::1/64 nodad', 'addr.add s-r v 10.1.0.1/24', 'addr.add s-x v fd00::2/64 nodad']);
});

test('routes: IPv6 default, devices, metrics; qdiscs last before DNS; link options', () => {
  const plan = makePlan(assertValid({
    name: 'q',
    namespaces: [
      { name: 'a', routes: [{ to: 'default', via: 'FD00::2' }, { to: '10.9.0.0/16', dev: 'v', metric: 5 }], dns: { nameservers: ['10.0.0.53'], search: ['lab.test'] } },
      { name: 'b', loopback: false },
    ],
    veths: [{
      a: { name: 'v', namespace: 'a', addresses: ['fd00::1/64', '10.0.0.1/24'], mtu: 1400, mac: '02:00:00:00:00:01', qdisc: { kind: 'tbf', rate: '1mbit', burst: '32kbit', latency: '400ms' } },
      b: { name: 'w', namespace: 'b', addresses: ['fd00::2/64'], up: false, mtu: 1400 },
    }],
  }));
  const lines = plan.steps.map((s) => line(s.op));
  assert.ok(lines.includes('route.add q-a ::/0 via fd00::2'));
  assert.ok(lines.includes('route.add q-a 10.9.0.0/16 dev v'));
  assert.is((plan.steps.find((s) => s.op.op === 'route.add' && s.op.route.metric === 5)!.op as { route: { metric: number } }).route.metric, 5);
  assert.not.ok(lines.includes('link.up q-b lo'), 'loopback: false');
  assert.not.ok(lines.includes('link.up q-b w'), 'up: false');
  assert.equal(lines.slice(-2), ['qdisc.add q-a v tbf', 'dns.write q-a']);
  const add = plan.steps.find((s) => s.op.op === 'link.add')!.op;
  assert.equal(add, { op: 'link.add', ns: 'q-a', link: { kind: 'veth', name: 'v', mtu: 1400, mac: '02:00:00:00:00:01', peer: { name: 'w', mtu: 1400, ns: 'q-b' } } });
  const dns = plan.steps.find((s) => s.op.op === 'dns.write')!;
  assert.is(dns.what, 'write /etc/netns/q-a/resolv.conf');
  assert.equal((dns.op as { files: unknown }).files, { resolvConf: '# written by netlink-ts lab q\nnameserver 10.0.0.53\nsearch lab.test\n' });
});

test('a custom prefix names everything', () => {
  const plan = makePlan(assertValid({ name: 'demo', prefix: 'x', namespaces: [{ name: 'a' }], bridges: [{ name: 'sw' }], veths: [{ a: { name: 'p', bridge: 'sw' }, b: { name: 'e', namespace: 'a' } }] }));
  assert.equal(plan.owned, { namespaces: ['xa'], rootLinks: ['xsw', 'xp'], dns: [] });
  assert.ok(plan.steps.some((s) => line(s.op) === 'link.master root xp xsw'));
});

test.run();
