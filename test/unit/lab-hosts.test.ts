// Multi-host descriptions (src/lab/hosts.ts): validation of hosts, placement
// and crossing pairs; what one host builds (its part, its VXLAN tunnels, the
// routes that wait for them); the VNI and MTU both hosts agree on.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostPart, tunnels } from '../../src/lab/hosts.js';
import { makePlan } from '../../src/lab/plan.js';
import { problemText } from '../../src/lab/shape.js';
import { assertValid, validate } from '../../src/lab/validate.js';

const example = () => JSON.parse(readFileSync(new URL('../../../examples/hosts/08-two-hosts.json', import.meta.url), 'utf8'));
const problems = (input: unknown) => validate(input).problems.map(problemText);

test('the two-host example: valid, one crossing pair, VNI 1001 and MTU 1450 on both sides', () => {
  const lab = assertValid(example());
  const [t] = tunnels(lab);
  assert.equal([t!.a.vni, t!.b.vni, t!.a.mtu, t!.a.remote, t!.b.remote, t!.a.port], [1001, 1001, 1450, '198.18.50.2', '198.18.50.1', 4789]);
  assert.is(tunnels(lab).length, 1);
});

test('host a\'s part: its namespaces and local pair; the tunnel; on host b, blue\'s default route waits for the tunnel', () => {
  const lab = assertValid(example());
  const a = hostPart(lab, 'a');
  assert.is(a.part.name, 'twohosts.a');
  assert.is(a.part.prefix, 'twohosts-');
  assert.equal(a.part.namespaces.map((n) => n.name), ['red', 'router']);
  assert.is(a.part.veths!.length, 1);
  assert.equal(a.tunnels.map((t) => `${t.namespace} ${t.end.name}`), ['router to-blue']);
  assert.equal(a.routes, []);
  // The part is an ordinary lab: valid on its own, its plan in twohosts-* namespaces only.
  assert.ok(validate(a.part).ok, problems(a.part).join('\n'));
  assert.equal(makePlan(a.part).owned.namespaces, ['twohosts-red', 'twohosts-router']);
  const b = hostPart(lab, 'b');
  assert.equal(b.part.namespaces.map((n) => [n.name, n.routes]), [['blue', []]]);
  assert.equal(b.routes, [{ namespace: 'blue', route: { to: 'default', via: '198.18.61.1' } }]);
  assert.ok(validate(b.part).ok, problems(b.part).join('\n'));
});

test('the problems a multi-host description can have, each with its path', () => {
  const bad = example();
  bad.hosts[1].name = 'a';
  bad.namespaces[0].host = 'c';
  delete bad.namespaces[2].host;
  bad.veths[0].a.mtu = 1500;
  const list = problems(bad);
  assert.ok(list.includes('hosts[1].name: duplicate host "a"'), list.join('\n'));
  assert.ok(list.includes('namespaces[0].host: unknown host "c" (did you mean "a"?)'), list.join('\n'));
  assert.ok(list.includes('namespaces[2]: the lab has hosts: say which one this namespace is on ("host": "a" or "a")'), list.join('\n'));

  const mtu = example();
  mtu.veths[1].b.mtu = 1480;
  assert.equal(problems(mtu), ['veths[1].b.mtu: 1480 does not fit in VXLAN over this host\'s underlay: at most 1450 (1500 less 50 bytes of headers)']);
  const v6 = example();
  v6.hosts[1].underlay.address = 'fd00::2';
  assert.equal(problems(v6), ['veths[1]: the underlays of its two hosts differ in family (198.18.50.1, fd00::2)']);
  const vni = example();
  vni.vxlan.vniBase = 0xfffffe; // the one crossing pair gets 2^24 - 1, the last VNI
  assert.equal(problems(vni), []);
  vni.veths.push({ a: { name: 'b2', namespace: 'router', addresses: ['198.18.62.1/24'] }, b: { name: 'b2', namespace: 'blue', addresses: ['198.18.62.2/24'] } });
  assert.equal(problems(vni), ['veths[2]: its VNI 16777216 is beyond 24 bits: lower vxlan.vniBase']);
  assert.equal(problems({ name: 'x', namespaces: [{ name: 'a' }], vxlan: {} }), ['vxlan: VXLAN links join hosts: the lab has no hosts']);
  const root = example();
  root.veths[0].a = { name: 'eth0' };
  assert.ok(problems(root).includes('veths[0].a: the lab has hosts: every link must be in one of its namespaces'), problems(root).join('\n'));
});

test.run();
