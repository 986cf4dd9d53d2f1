// netem's distribution tables, computed as iproute2's generators compute
// them, equal the .dist files tc reads (when iproute2 is installed here).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { DISTRIBUTIONS, distributionTable, erf, rint } from '../../src/rtnl/tc/qdiscs/netem-dist.js';

const dirs = ['/usr/lib/x86_64-linux-gnu/tc', '/usr/lib/tc', '/usr/lib64/tc'];

for (const name of DISTRIBUTIONS) {
  test(`${name}: 4096 values, equal to iproute2's ${name}.dist`, (ctx) => {
    const t = distributionTable(name);
    assert.is(t.length, 4096 * 2);
    const dir = dirs.find((d) => existsSync(`${d}/${name}.dist`));
    if (!dir) { void ctx; return; }
    const file = readFileSync(`${dir}/${name}.dist`, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join(' ').trim().split(/\s+/).map(Number);
    const ours: number[] = [];
    for (let i = 0; i < t.length; i += 2) ours.push(t.readInt16LE(i));
    assert.equal(ours, file);
  });
}

test('erf and rint as C has them', () => {
  assert.is(erf(0), 0);
  assert.ok(Math.abs(erf(1) - 0.8427007929497149) < 1e-16);
  assert.ok(Math.abs(erf(-2.5) + 0.9995930479825550) < 1e-15);
  assert.is(erf(10), 1);
  assert.is(rint(2.5), 2);
  assert.is(rint(3.5), 4);
  assert.is(rint(-2.5), -2);
  assert.is(rint(-2.6), -3);
});

test.run();
