// `rootNamespace`: a lab namespace standing for the root one. What the
// description leaves without a namespace goes there, so the plan has no step
// in the root namespace and the host is left alone (docs/lab.md).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makePlan } from '../../src/lab/plan.js';
import { problemText } from '../../src/lab/shape.js';
import { validate } from '../../src/lab/validate.js';

const bridgeLab = (extra: Record<string, unknown> = {}) => ({
  name: 'stand',
  namespaces: [{ name: 'a' }, { name: 'b' }, { name: 'host' }],
  bridges: [{ name: 'br0', addresses: ['198.18.20.1/24'] }],
  veths: [
    { a: { name: 'eth0', namespace: 'a', addresses: ['198.18.20.2/24'] }, b: { name: 'a-br', bridge: 'br0' } },
    { a: { name: 'eth0', namespace: 'b', addresses: ['198.18.21.2/24'] }, b: { name: 'up', addresses: ['198.18.21.1/24'] } },
  ],
  taps: [{ name: 'tap0' }],
  ...extra,
});

/** Every step that would touch the namespace the process runs in. */
function rootSteps(lab: Parameters<typeof makePlan>[0]): string[] {
  return makePlan(lab).steps.filter((s) => 'ns' in s.op && s.op.ns === null).map((s) => s.op.op);
}

test('rootNamespace places bridges, loose veth ends and taps in the stand-in; bridge ports follow their bridge', () => {
  const v = validate(bridgeLab({ rootNamespace: 'host' }));
  if (!v.ok) throw new Error(v.problems.map(problemText).join('\n'));
  assert.is(v.lab.rootNamespace, 'host');
  assert.is(v.lab.bridges![0]!.namespace, 'host');
  assert.is(v.lab.veths![0]!.b.namespace, undefined, 'a port goes where its bridge goes');
  assert.is(v.lab.veths![1]!.b.namespace, 'host');
  assert.is(v.lab.taps![0]!.namespace, 'host');
  assert.equal(rootSteps(v.lab), []);
  assert.equal(makePlan(v.lab).owned.rootLinks, []);
  assert.ok(makePlan(v.lab).owned.namespaces.includes('stand-host'));
});

test('without rootNamespace the same description builds in the root namespace (what the host check catches)', () => {
  const v = validate(bridgeLab());
  if (!v.ok) throw new Error(v.problems.map(problemText).join('\n'));
  assert.ok(rootSteps(v.lab).length > 0);
  assert.equal(makePlan(v.lab).owned.rootLinks, ['stand-br0', 'stand-a-br', 'stand-up', 'stand-tap0']);
});

test('rootNamespace must name one of the lab\'s namespaces', () => {
  assert.equal(validate(bridgeLab({ rootNamespace: 'hots' })).problems.map(problemText),
    ['rootNamespace: unknown namespace "hots" (did you mean "host"?): it must be one of the lab\'s namespaces, the one that stands for the root namespace']);
  assert.match(validate(bridgeLab({ rootNamespace: 7 })).problems.map(problemText).join('\n'), /^rootNamespace: expected a string/);
});

test('examples/02-bridge.json: the tutorial\'s bridge lab, its bridge in a namespace standing for the root one', () => {
  const v = validate(JSON.parse(readFileSync(new URL('../../../examples/02-bridge.json', import.meta.url), 'utf8')));
  if (!v.ok) throw new Error(v.problems.map(problemText).join('\n'));
  assert.is(v.lab.rootNamespace, 'host');
  assert.equal(rootSteps(v.lab), []);
  for (const f of ['01-veth-pair', '03-router', '04-tbf', '05-netem', '06-vlans', '07-router-nat']) {
    const e = validate(JSON.parse(readFileSync(new URL(`../../../examples/${f}.json`, import.meta.url), 'utf8')));
    assert.ok(e.ok && rootSteps(e.lab).length === 0, `${f} makes nothing in the root namespace`);
  }
});

test.run();
