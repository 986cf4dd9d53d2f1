import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabDescription } from '../../src/lab/description.js';
import { nsLabel } from '../../src/lab/names.js';
import { type ExpectedMatrix, ReachModel, expectedMatrix } from '../../src/lab/reach.js';
import { assertValid } from '../../src/lab/validate.js';

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

test.run();
