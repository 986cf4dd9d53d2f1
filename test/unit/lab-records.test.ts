// A lab's record and its operations, on the in-memory backend: a record
// belongs to one description (lab name and prefix), is checked before down()
// acts on it, and up()/down() of one lab run one at a time in a process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabRecord } from '../../src/lab/backend.js';
import type { LabDescription } from '../../src/lab/description.js';
import { LabRecordError } from '../../src/lab/errors.js';
import { Lab } from '../../src/lab/lab.js';
import { FakeBackend } from '../helpers/lab-fake.js';

const pair = (prefix?: string): LabDescription => ({
  name: 'same',
  ...(prefix ? { prefix } : {}),
  namespaces: [{ name: 'red' }, { name: 'blue' }],
  veths: [{ a: { name: 'v', namespace: 'red', addresses: ['198.18.0.1/24'] }, b: { name: 'v', namespace: 'blue', addresses: ['198.18.0.2/24'] } }],
});

async function rejects(p: Promise<unknown>, re: RegExp, kind?: LabRecordError['kind']): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, LabRecordError);
    assert.match((err as Error).message, re);
    if (kind) assert.is((err as LabRecordError).kind, kind);
    return;
  }
  assert.unreachable(`expected a LabRecordError matching ${re}`);
}

test('two descriptions with one lab name: the second is refused by name and prefix, and never removes the first one\'s namespaces', async () => {
  const fake = new FakeBackend();
  const x = Lab.from(pair('x-'), fake, { source: 'x.json' });
  const y = Lab.from(pair('y-'), fake, { source: 'y.json' });
  await x.up();
  const before = fake.snapshot();
  const clash = /its record \(lab "same"\) belongs to another description of a lab named "same" \(x\.json, prefix "x-", namespaces x-red, x-blue\), not to this one \(y\.json, prefix "y-"\); nothing was changed\. Take that lab down with its own description first, or give this one another name/;
  await rejects(y.up(), clash, 'foreign');
  await rejects(y.down(), clash, 'foreign');
  await rejects(y.status(), clash, 'foreign');
  assert.is(fake.snapshot(), before, 'x is untouched');
  // --force removes what carries y's names (nothing here) and leaves x's record alone.
  const forced = await y.down({ force: true });
  assert.equal(forced.removed, []);
  assert.match(forced.skipped.join('\n'), /the record \(lab "same"\): it belongs to another description of lab "same"/);
  assert.is(fake.snapshot(), before, 'x is untouched by down --force of y');
  assert.ok((await x.status()).up);
  const down = await x.down();
  assert.equal(down.removed.sort(), ['namespace x-blue', 'namespace x-red']);
});

test('a record that cannot be trusted: up, status and down refuse with what to do; down --force goes by the description and removes the record', async () => {
  const bad: [unknown, RegExp][] = [
    ['garbage', /it is not a JSON object/],
    [{ lab: 'same', prefix: 'same-', created: 'x', namespaces: ['other-ns'], rootLinks: [], dns: [] }, /its namespaces list "other-ns", which does not carry the lab's prefix "same-"/],
    [{ lab: 'same', prefix: 'same-', created: 'x', namespaces: ['same-../../etc'], rootLinks: [], dns: [] }, /not a usable name/],
    [{ lab: 'same', prefix: 'same-', created: 'x', namespaces: ['same-red'], rootLinks: 'same-br', dns: [] }, /its rootLinks are not a list of names/],
    [{ lab: 'other', prefix: 'same-', created: 'x', namespaces: [], rootLinks: [], dns: [] }, /it is the record of lab "other"/],
    [{ lab: 'same', prefix: 'same-', created: 'x', namespaces: [], rootLinks: [], dns: [], extra: 1 }, /unknown keys \(extra\)/],
  ];
  for (const [record, re] of bad) {
    const fake = new FakeBackend();
    const lab = Lab.from(pair(), fake);
    const empty = fake.snapshot();
    await lab.up();
    await fake.createNamespace('other-ns');
    fake.records.set('same', record as LabRecord);
    const withBad = fake.snapshot();
    const why = new RegExp(`its record \\(lab "same"\\) cannot be trusted: .*${re.source}.*nothing was changed\\. Run "lab down FILE --force"`);
    await rejects(lab.up(), why, 'unusable');
    await rejects(lab.status(), why, 'unusable');
    await rejects(lab.down(), why, 'unusable');
    assert.is(fake.snapshot(), withBad, 'nothing changed');
    const r = await lab.down({ force: true });
    assert.equal(r.removed.sort(), ['namespace same-blue', 'namespace same-red', 'the unusable record (lab "same")']);
    assert.ok(!fake.records.has('same'));
    assert.ok(fake.spaces.has('other-ns'), 'a name the record listed but the description does not is left alone');
    await fake.deleteNamespace('other-ns');
    assert.is(fake.snapshot(), empty);
  }
});

test('up() twice at once (two Lab objects, one lab): one builds it, the other finds it up; neither undoes the other', async () => {
  const fake = new FakeBackend();
  const a = Lab.from(pair(), fake);
  const b = Lab.from(pair(), fake);
  const empty = fake.snapshot();
  const rs = await Promise.allSettled([a.up(), b.up(), a.up()]);
  assert.equal(rs.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled'], JSON.stringify(rs.map((r) => (r.status === 'rejected' ? String(r.reason) : ''))));
  assert.equal(rs.map((r) => (r as PromiseFulfilledResult<{ changed: boolean }>).value.changed), [true, false, false]);
  assert.ok((await a.status()).up);
  assert.ok(fake.records.has('same'));
  // down() racing up(): they take turns in the order they were called, so the lab ends up removed and down says so.
  const [down1, up, down2] = await Promise.all([b.down(), a.up(), b.down()]);
  assert.equal(down1.removed.sort(), ['namespace same-blue', 'namespace same-red']);
  assert.ok(up.changed, 'up() after the first down() built the lab again');
  assert.equal(down2.removed.sort(), ['namespace same-blue', 'namespace same-red']);
  assert.is(fake.snapshot(), empty);
});

test.run();
