// Large generated labs: validation and the expected-connectivity model must
// stay near-linear and near-quadratic (20,000 addresses took 68 s to
// validate and a 1,000-port bridge 267 s to model before they used maps
// instead of pairwise scans). No timing is asserted: these prove that they
// finish, and agree with the slow way where there is one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabDescription } from '../../src/lab/description.js';
import { expectedMatrix } from '../../src/lab/reach.js';
import { earliestOverlaps, overlaps } from '../../src/lab/subnet.js';
import { validate } from '../../src/lab/validate.js';
import { type Prefix, parsePrefix } from '../../src/netlink/ip.js';

const ip4 = (n: number) => `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;

/** N namespaces on one bridge in a switch namespace, one address each on one /15. */
function bridgeLab(ports: number): LabDescription {
  return {
    name: 'big',
    namespaces: [{ name: 'sw' }, ...Array.from({ length: ports }, (_, i) => ({ name: `h${i}` }))],
    bridges: [{ name: 'br', namespace: 'sw' }],
    veths: Array.from({ length: ports }, (_, i) => ({ a: { name: 'e', namespace: `h${i}`, addresses: [`${ip4(i + 1)}/15`] }, b: { name: `p${i}`, bridge: 'br', namespace: 'sw' } })),
  };
}

/** A hub namespace with a veth pair to each of `pairs` namespaces, each pair on a /30 of its own. */
function hubLab(pairs: number): LabDescription {
  return {
    name: 'hub',
    namespaces: [{ name: 'hub' }, ...Array.from({ length: pairs }, (_, i) => ({ name: `l${i}`, routes: [{ to: 'default', via: ip4(4 * i + 1) }] }))],
    veths: Array.from({ length: pairs }, (_, i) => ({
      a: { name: `to${i}`, namespace: 'hub', addresses: [`${ip4(4 * i + 1)}/30`] },
      b: { name: 'e', namespace: `l${i}`, addresses: [`${ip4(4 * i + 2)}/30`] },
    })),
  };
}

test('a 500-port bridge: valid, and its model (250,000 cells) says everyone reaches everyone', () => {
  const lab = bridgeLab(500);
  assert.ok(validate(lab).ok);
  const m = expectedMatrix(lab);
  assert.is(m.sources.length, 500);
  assert.is(m.targets.length, 500);
  let reached = 0;
  for (const row of m.cells) for (const c of row) if (c.reach) reached++;
  assert.is(reached, 500 * 500);
});

test('20,000 addresses (10,000 veth pairs to one hub) validate; a clash among them is still found', () => {
  const lab = hubLab(10_000);
  assert.ok(validate(lab).ok);
  lab.veths![9_999]!.a.addresses = [`${ip4(1)}/29`]; // overlaps the hub's first /30
  const v = validate(lab);
  assert.not.ok(v.ok);
  assert.ok(v.problems.some((p) => p.path === 'veths[9999].a.addresses[0]' && /overlaps 198\.18\.0\.0\/30 of to0/.test(p.message)), JSON.stringify(v.problems.slice(0, 3)));
});

test('the hub\'s model: every leaf reaches every address through the hub, the way back included', () => {
  const lab = hubLab(300);
  (lab.namespaces[0]!).forwarding = true;
  const m = expectedMatrix(lab);
  assert.ok(m.cells.every((row) => row.every((c) => c.reach)), 'all reach');
});

test('earliestOverlaps finds, for each prefix, the earliest earlier one of another group it overlaps — as comparing every pair does', () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 20; round++) {
    const items: { p: Prefix; g: number }[] = [];
    for (let k = 0; k < 150; k++) {
      const v6 = rnd(4) === 0;
      const text = v6 ? `fd00:${rnd(4).toString(16)}::${rnd(50).toString(16)}/${[48, 56, 64, 126][rnd(4)]}` : `198.18.${rnd(4)}.${rnd(256)}/${[22, 24, 26, 30, 32][rnd(5)]}`;
      items.push({ p: parsePrefix(text, ''), g: rnd(5) });
    }
    const fast = earliestOverlaps(items, (i) => i.p, (i) => i.g);
    const slow = items.map((x, k) => {
      for (let y = 0; y < k; y++) if (items[y]!.g !== x.g && overlaps(items[y]!.p, x.p)) return y;
      return undefined;
    });
    assert.equal(fast, slow, `round ${round}`);
  }
});

test.run();
