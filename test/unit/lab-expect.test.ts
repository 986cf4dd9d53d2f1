// A description's expect: read with the rest (every problem with its path),
// turned into numbers, and tolerances compared as check.ts compares them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expected, within } from '../../src/lab/expect.js';
import { validate } from '../../src/lab/validate.js';
import { example } from '../helpers/lab-kernel.js';

const TBF = example('04-tbf.json');

test('the tbf example expects its rate and a short way back', () => {
  const v = validate(TBF);
  assert.ok(v.ok);
  assert.equal(v.lab?.expect?.map(expected), [
    { from: 'red', to: '10.0.0.2', reachable: true, rate: { bitsPerSecond: 1e6, tolerance: { fraction: 0.25 } }, loss: 0 },
    { from: 'blue', to: '10.0.0.1', reachable: true, rtt: { ms: 1, tolerance: { amount: 5 } } },
  ]);
});

test('every problem of an expect, with its path', () => {
  const bad: Record<string, unknown> = { ...TBF };
  bad.expect = [
    { from: 'green', to: '10.0.0.9', rate: 'fast' },
    { from: 'red', to: '10.0.0.2', rateTolerance: '10%', loss: '120%', colour: 1 },
    { from: 'red', to: '10.0.0.2', reachable: false, rtt: '5ms' },
  ];
  const v = validate(bad);
  assert.not.ok(v.ok);
  assert.equal(v.problems.map((p) => p.path), [
    'expect[0].from', 'expect[0].to', 'expect[0].rate',
    'expect[1].colour', 'expect[1].loss', 'expect[1].rateTolerance',
    'expect[2]',
  ]);
  assert.match(v.problems[0]!.message, /unknown namespace "green"/);
});

test('within: a fraction or an amount either side', () => {
  assert.ok(within(1e6, { fraction: 0.2 }, 0.85e6).ok);
  assert.not.ok(within(1e6, { fraction: 0.2 }, 0.75e6).ok);
  assert.ok(within(100, { amount: 30 }, 129).ok);
  assert.not.ok(within(100, { amount: 30 }, 131).ok);
});

test.run();
