import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabDescription, RouteSpec } from '../../src/lab/description.js';
import { nsLabel } from '../../src/lab/names.js';
import { type ExpectedMatrix, ReachModel, expectedMatrix } from '../../src/lab/reach.js';
import { contains, overlaps, subnetText } from '../../src/lab/subnet.js';
import { assertValid } from '../../src/lab/validate.js';
import { parseIP, parsePrefix } from '../../src/netlink/ip.js';

const example = (file: string): LabDescription => assertValid(JSON.parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8')));

/** The matrix as lines "from → address: yes|no (reason)". */
function lines(m: ExpectedMatrix): string[] {
  return m.sources.flatMap((s, i) => m.targets.map((t, j) => {
    const c = m.cells[i]![j]!;
    return `${nsLabel(s)} → ${t.address}: ${c.reach ? `yes ${c.hops.map(nsLabel).join('>')}` : `no (${c.reason})`}`;
  }));
}

test('two namespaces over a veth pair reach each other and themselves', () => {
  assert.equal(lines(expectedMatrix(example('01-veth-pair.json'))), [
    'red → 10.0.0.1: yes red',
    'red → 10.0.0.2: yes red>blue',
    'blue → 10.0.0.1: yes blue>red',
    'blue → 10.0.0.2: yes blue',
  ]);
});

test('three namespaces on a bridge: everyone reaches everyone; the root has no address and sends nothing', () => {
  const m = expectedMatrix(example('02-bridge.json'));
  assert.equal(m.sources, ['ns1', 'ns2', 'ns3']);
  assert.equal(m.targets.map((t) => `${t.address}@${t.ns}/${t.dev}`), ['192.168.1.3@ns1/eth0', '192.168.1.4@ns2/eth0', '192.168.1.5@ns3/eth0']);
  assert.ok(m.cells.flat().every((c) => c.reach));
});

test('a router between two subnets: through it, and only while it forwards and both sides have routes', () => {
  const lab = example('03-router.json');
  assert.equal(lines(expectedMatrix(lab)), [
    'red → 10.0.1.2: yes red',
    'red → 10.0.1.1: yes red>router',
    'red → 10.0.2.2: yes red>router>blue',
    'red → 10.0.2.1: yes red>router',
    'router → 10.0.1.2: yes router>red',
    'router → 10.0.1.1: yes router',
    'router → 10.0.2.2: yes router>blue',
    'router → 10.0.2.1: yes router',
    'blue → 10.0.1.2: yes blue>router>red',
    'blue → 10.0.1.1: yes blue>router',
    'blue → 10.0.2.2: yes blue',
    'blue → 10.0.2.1: yes blue>router',
  ]);
  const noForward = structuredClone(lab);
  noForward.namespaces[1]!.forwarding = false;
  const m = lines(expectedMatrix(noForward));
  assert.ok(m.includes('red → 10.0.2.2: no (router does not forward IPv4)'));
  assert.ok(m.includes('red → 10.0.2.1: yes red>router'), 'the router still answers for its own addresses');
  const oneWay = structuredClone(lab);
  delete oneWay.namespaces[2]!.routes;
  const w = lines(expectedMatrix(oneWay));
  assert.ok(w.includes('red → 10.0.2.2: no (the answer does not come back: blue has no route to 10.0.1.2)'), w.join('\n'));
  assert.ok(w.includes('blue → 10.0.1.2: no (blue has no route to 10.0.1.2)'));
  assert.ok(w.includes('blue → 10.0.1.1: no (blue has no route to 10.0.1.1)'));
});

test('links that are down, and a namespace whose lo is down', () => {
  const lab = example('01-veth-pair.json');
  lab.veths![0]!.b.up = false;
  lab.namespaces[0]!.loopback = false;
  // An address on a link that was never up keeps its local route.
  assert.equal(lines(expectedMatrix(lab)), [
    'red → 10.0.0.1: no (lo is down in red)',
    'red → 10.0.0.2: no (no one on the wire of veth-red in red answers for 10.0.0.2 (route 10.0.0.0/24))',
    'blue → 10.0.0.1: no (blue has no route to 10.0.0.1)',
    'blue → 10.0.0.2: yes blue',
  ]);
});

test('a gateway no one answers for; ARP answers for any local address, NDP only for the interface\'s', () => {
  const lab = assertValid({
    name: 'n',
    namespaces: [
      { name: 'a', routes: [{ to: '10.0.2.0/24', dev: 'v' }, { to: 'fd00:2::/64', dev: 'v' }, { to: '10.0.9.0/24', via: '10.0.1.9' }] },
      { name: 'b' },
      { name: 'c' },
    ],
    veths: [
      { a: { name: 'v', namespace: 'a', addresses: ['10.0.1.1/24', 'fd00:1::1/64'] }, b: { name: 'v', namespace: 'b', addresses: ['10.0.1.2/24', 'fd00:1::2/64'] } },
      { a: { name: 'w', namespace: 'b', addresses: ['10.0.2.1/24', 'fd00:2::1/64'] }, b: { name: 'w', namespace: 'c', addresses: ['10.0.2.2/24', 'fd00:2::2/64'] } },
    ],
  });
  const m = lines(expectedMatrix(lab));
  assert.ok(m.includes('a → 10.0.2.1: yes a>b'), m.join('\n'));
  assert.ok(m.includes('a → fd00:2::1: no (no one on the wire of v in a answers for fd00:2::1 (route fd00:2::/64))'), m.join('\n'));
  assert.ok(m.includes('a → 10.0.2.2: no (no one on the wire of v in a answers for 10.0.2.2 (route 10.0.2.0/24))'), m.join('\n'));
  const r = new ReachModel(lab).walk('a', Buffer.from([10, 0, 9, 1]));
  assert.equal(r, { reach: false, hops: ['a'], reason: 'no one on the wire of v in a answers for 10.0.1.9' });
});

test('routing loops end', () => {
  const lab = assertValid({
    name: 'loop',
    namespaces: [
      { name: 'a', forwarding: true, routes: [{ to: '10.9.0.0/16', via: '10.0.0.2' }] },
      { name: 'b', forwarding: true, routes: [{ to: '10.9.0.0/16', via: '10.0.0.1' }] },
    ],
    veths: [{ a: { name: 'v', namespace: 'a', addresses: ['10.0.0.1/24'] }, b: { name: 'v', namespace: 'b', addresses: ['10.0.0.2/24'] } }],
  });
  const r = new ReachModel(lab).walk('a', Buffer.from([10, 9, 0, 1]));
  assert.not.ok(r.reach);
  assert.is(r.reason, 'routing loop through a');
});

test('a chain of 50 namespaces: the ends reach each other through 48 routers', () => {
  const n = 50;
  const lab: LabDescription = { name: 'chain', namespaces: [], veths: [] };
  // The ends route everything to their one neighbour; each router sends a subnet left or right.
  for (let i = 0; i < n; i++) {
    const routes: RouteSpec[] = [];
    if (i === 0) routes.push({ to: 'default', via: '10.0.0.2' });
    else if (i === n - 1) routes.push({ to: 'default', via: `10.${n - 2}.0.1` });
    else for (let j = 0; j < n - 1; j++) if (j !== i - 1 && j !== i) routes.push({ to: `10.${j}.0.0/24`, via: j < i - 1 ? `10.${i - 1}.0.1` : `10.${i}.0.2` });
    lab.namespaces.push({ name: `n${i}`, forwarding: i > 0 && i < n - 1, routes });
  }
  for (let i = 0; i < n - 1; i++) lab.veths!.push({ a: { name: `r${i}`, namespace: `n${i}`, addresses: [`10.${i}.0.1/24`] }, b: { name: `l${i + 1}`, namespace: `n${i + 1}`, addresses: [`10.${i}.0.2/24`] } });
  const model = new ReachModel(assertValid(lab));
  for (const from of ['n0', 'n25', `n${n - 1}`]) for (const t of model.targets()) assert.ok(model.expect(from, t).reach, `${from} → ${t.address}`);
  const far = model.expect('n0', model.targets().find((t) => t.address === `10.${n - 2}.0.2`)!);
  assert.is(far.hops.length, n);
  assert.is(far.hops[n - 1], `n${n - 1}`);
});

test('subnet arithmetic', () => {
  const p = (s: string) => parsePrefix(s, '');
  const ip = (s: string) => parseIP(s, '');
  assert.ok(contains(p('10.0.0.0/9'), ip('10.127.255.255')));
  assert.not.ok(contains(p('10.0.0.0/9'), ip('10.128.0.0')));
  assert.ok(contains(p('0.0.0.0/0'), ip('203.0.113.9')));
  assert.not.ok(contains(p('10.0.0.0/8'), ip('fd00::1')));
  assert.ok(contains(p('fd00::/7'), ip('fdff::1')));
  assert.ok(contains(p('10.1.2.3/32'), ip('10.1.2.3')));
  assert.ok(overlaps(p('10.0.0.0/8'), p('10.9.0.0/16')));
  assert.not.ok(overlaps(p('10.0.0.0/16'), p('10.1.0.0/16')));
  assert.is(subnetText(p('192.168.1.77/26')), '192.168.1.64/26');
});

test.run();
