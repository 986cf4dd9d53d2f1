import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync, readlinkSync } from 'node:fs';
import { inNetns, inNewNetns } from '../../src/netns/enter.js';
import { add, remove } from '../../src/netns/named.js';
import { requireIsolation } from '../helpers/sh.js';
import { nsId, threadsElsewhere } from '../helpers/netns.js';

requireIsolation();
const here = (): string => readlinkSync('/proc/thread-self/ns/net');
const home = here();

test('nested switches return to where they were entered from, not straight home', () => {
  add('nlts-e1');
  add('nlts-e2');
  const a = openSync('/run/netns/nlts-e1', 'r');
  const b = openSync('/run/netns/nlts-e2', 'r');
  try {
    const seen = inNetns(a, () => {
      const inner = inNetns(b, here);
      const fresh = inNewNetns(() => inNetns(b, here) + ' ' + here());
      return [here(), inner, fresh, here()];
    });
    const [outer, inner, fresh, after] = seen;
    assert.is(outer, nsId('/run/netns/nlts-e1'));
    assert.is(inner, nsId('/run/netns/nlts-e2'));
    const [nestedInFresh, freshOne] = fresh!.split(' ');
    assert.is(nestedInFresh, nsId('/run/netns/nlts-e2'));
    assert.ok(freshOne !== home && freshOne !== outer && freshOne !== inner, 'a new namespace');
    assert.is(after, outer, 'back in the outer one after the nested calls');
    assert.is(here(), home);
  } finally {
    closeSync(a);
    closeSync(b);
    remove('nlts-e1');
    remove('nlts-e2');
  }
});

test('a throwing step still returns home; an async step is refused, after returning home', async () => {
  assert.throws(() => inNewNetns(() => { throw new Error('boom'); }), /boom/);
  assert.is(here(), home);
  assert.throws(() => inNewNetns(async () => 1), /synchronous function/);
  assert.is(here(), home);
  assert.throws(() => inNetns(999999, here), /netns enter: cannot enter the network namespace: EBADF/);
  assert.is(here(), home);
  assert.equal(threadsElsewhere(home), []);
});

test.run();
