// A lab namespace's firewall: validated (shape, interface names, what the
// ruleset would be refused for), planned as one step after the routes, and
// read by the reach model, so the connectivity matrix expects what the
// firewall lets through and says why the rest is dropped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import type { LabDescription } from '../../src/lab/description.js';
import { firewallDocument } from '../../src/lab/firewall.js';
import { makePlan } from '../../src/lab/plan.js';
import { expectedMatrix } from '../../src/lab/reach.js';
import { assertValid, validate } from '../../src/lab/validate.js';
import { documentRequests } from '../../src/nft/document.js';

const raw = (): LabDescription => JSON.parse(readFileSync(new URL('../../../examples/07-router-nat.json', import.meta.url), 'utf8')) as LabDescription;

test('the NAT router example is valid and plans one firewall step after the routes', () => {
  const lab = assertValid(raw());
  const plan = makePlan(lab);
  const ops = plan.steps.map((s) => s.op.op);
  const fw = ops.indexOf('firewall.apply');
  assert.ok(fw > ops.lastIndexOf('route.add'), ops.join(' '));
  const step = plan.steps[fw]!;
  assert.is(step.source, 'namespaces[1].firewall');
  assert.ok(step.op.op === 'firewall.apply' && step.op.ns === 'natrouter-router');
  // The ruleset it applies is one nftables transaction netlink-ts can build.
  assert.ok(step.op.op === 'firewall.apply' && documentRequests(step.op.doc, { replaceTables: true }).length > 5);
});

test('the reach model expects what the firewall lets through, and says why not', () => {
  const m = expectedMatrix(assertValid(raw()));
  const cell = (from: string, to: string) => m.cells[m.sources.indexOf(from)]![m.targets.findIndex((t) => t.address === to)]!;
  assert.ok(cell('red', '10.0.2.2').reach, 'red reaches blue, masqueraded');
  assert.ok(cell('red', '10.0.2.1').reach, 'red reaches the router');
  assert.not.ok(cell('blue', '10.0.2.1').reach);
  assert.is(cell('blue', '10.0.2.1').reason, 'the firewall of router drops it (input from to-blue)');
  assert.not.ok(cell('blue', '10.0.1.2').reach, 'blue has no route to red');
  // Without masquerade, blue could not answer red: it has no route back.
  const noNat = raw();
  delete noNat.namespaces[1]!.firewall!.masquerade;
  const m2 = expectedMatrix(assertValid(noNat));
  assert.not.ok(m2.cells[m2.sources.indexOf('red')]![m2.targets.findIndex((t) => t.address === '10.0.2.2')]!.reach);
  // A forward chain that lets nothing through blocks red too.
  const closed = raw();
  closed.namespaces[1]!.firewall!.forward = { policy: 'drop' };
  const m3 = expectedMatrix(assertValid(closed));
  assert.is(m3.cells[m3.sources.indexOf('red')]![m3.targets.findIndex((t) => t.address === '10.0.2.2')]!.reason,
    'the firewall of router drops it (forward from to-red to to-blue)');
});

test('bad firewalls are refused with the path and the reason', () => {
  const bad = raw();
  const fw = bad.namespaces[1]!.firewall as Record<string, unknown>;
  fw.input = { policy: 'reject' };
  fw.masquerade = ['eth9'];
  fw.nftables = [{ rule: { family: 'inet', table: 'lab', chain: 'input', expr: [{ xt: null }] } }];
  const v = validate(bad);
  assert.not.ok(v.ok);
  const problems = v.problems.map((p) => `${p.path}: ${p.message}`);
  assert.ok(problems.includes('namespaces[1].firewall.input.policy: expected "accept" or "drop", got "reject"'), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('namespaces[1].firewall: (ruleset item') && p.includes('"xt" is not modelled')), problems.join('\n'));
  const names = raw();
  names.namespaces[1]!.firewall!.masquerade = ['eth9'];
  const v2 = validate(names);
  assert.equal(v2.problems.map((p) => `${p.path}: ${p.message}`), ['namespaces[1].firewall.masquerade[0]: router has no interface "eth9" (it has: lo, to-red, to-blue)']);
});

test('the firewall document: replies first, then what is allowed, then the policy; masquerade in its own table', () => {
  const doc = firewallDocument({ forward: { policy: 'drop', allow: [{ in: 'a', out: 'b' }] }, masquerade: ['b'] });
  assert.equal(doc.nftables.map((x) => Object.keys(x as object)[0]), ['table', 'chain', 'rule', 'rule', 'table', 'chain', 'rule']);
  assert.equal((doc.nftables[3] as { rule: { expr: unknown[] } }).rule.expr, [
    { match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'a' } },
    { match: { op: '==', left: { meta: { key: 'oifname' } }, right: 'b' } }, { accept: null }]);
});

test.run();
