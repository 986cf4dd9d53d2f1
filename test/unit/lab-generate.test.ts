// lab generate: every shape at several sizes is a valid description in
// which the lab's own model of routing (reach.ts, the one the connectivity
// matrix is checked against) has every namespace reach every address; the
// routes are summed up (a chain's node needs few); bad sizes are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LabError } from '../../src/lab/errors.js';
import { cover, generateLab } from '../../src/lab/generate/routing.js';
import { expectedMatrix } from '../../src/lab/reach.js';
import { validate } from '../../src/lab/validate.js';

const SIZES: [string, number[]][] = [
  ['linear', [2]], ['linear', [5]], ['linear', [17]],
  ['ring', [3]], ['ring', [6]], ['ring', [11]],
  ['star', [1]], ['star', [4]], ['star', [9]],
  ['tree', [1, 3]], ['tree', [2, 2]], ['tree', [3, 2]], ['tree', [2, 4]],
  ['fat-tree', [2]], ['fat-tree', [4]],
  ['full-mesh', [2]], ['full-mesh', [4]], ['full-mesh', [7]],
];

for (const [shape, args] of SIZES) {
  test(`${shape} ${args.join(' ')}: valid, and every namespace reaches every address`, () => {
    const lab = generateLab(shape, args);
    const v = validate(lab);
    assert.ok(v.ok, JSON.stringify(v.problems.slice(0, 3)));
    const m = expectedMatrix(lab);
    assert.is(m.sources.length, lab.namespaces.length);
    assert.is(m.targets.length, lab.veths!.length * 2);
    const missing = m.cells.flatMap((row, i) => row.flatMap((c, j) => (c.reach ? [] : [`${m.sources[i]} → ${m.targets[j]!.address}: ${c.reason}`])));
    assert.equal(missing.slice(0, 5), []);
  });
}

test('cover: consecutive /30s are summed up in aligned prefixes, nothing more', () => {
  assert.equal(cover([0, 1, 2, 3]), ['198.18.0.0/28']);
  assert.equal(cover([1, 2, 3, 4, 5]), ['198.18.0.4/30', '198.18.0.8/29', '198.18.0.16/29']);
  assert.equal(cover([0, 2]), ['198.18.0.0/30', '198.18.0.8/30']);
});

test('a chain of 1,000 namespaces: a few routes per node, not one per link', () => {
  const lab = generateLab('linear', [1000]);
  const most = Math.max(...lab.namespaces.map((n) => n.routes?.length ?? 0));
  assert.ok(most <= 24, `at most ${most} routes per node`);
  assert.is(lab.namespaces.length, 1000);
});

test('bad sizes are refused with the shape\'s words', () => {
  assert.throws(() => generateLab('ring', [2]), (e: unknown) => e instanceof LabError && /ring: the number of nodes must be a whole number, at least 3/.test(e.message));
  assert.throws(() => generateLab('fat-tree', [3]), /k must be even/);
  assert.throws(() => generateLab('tree', [2]), /tree takes 2 numbers/);
  assert.throws(() => generateLab('hypercube', [3]), /unknown shape "hypercube"/);
  assert.throws(() => generateLab('full-mesh', [300]), /more than 32768/);
});

test.run();
