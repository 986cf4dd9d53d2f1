// The host is left alone: while every example goes up and down, a monitor in
// the namespace the lab is run from (the "host" here) sees no link, address,
// route or qdisc change of it, not even a passing one; and the snapshot that
// `lab run` compares catches a change when there is one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { hostChanges, hostSnapshot } from '../../src/lab/kernel/host-check.js';
import { Lab } from '../../src/lab/lab.js';
import { assertGone, example } from '../helpers/lab-kernel.js';
import { ip, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const MARK = '198.18.30.1/32';

test('every example up and down: not one link, address, route or qdisc event in the host namespace', async () => {
  using nl = Rtnl.openSync();
  const it = nl.monitor({ groups: ['link', 'address', 'route', 'tc'], list: true })[Symbol.asyncIterator]();
  // Subscribed once the listing is over.
  for (let s = await it.next(); !s.done && s.value.action !== 'synced'; s = await it.next());
  for (const f of ['01-veth-pair.json', '02-bridge.json', '03-router.json', '04-tbf.json', '07-router-nat.json']) {
    const lab = new Lab(example(f), new KernelBackend());
    await lab.up();
    await lab.down();
    await assertGone(lab);
  }
  // A change of our own marks the end: every event before it came from the labs.
  ip('address', 'add', MARK, 'dev', 'lo');
  const seen: string[] = [];
  try {
    for (let s = await it.next(); !s.done; s = await it.next()) {
      const ev = s.value;
      if (ev.kind === 'address' && ev.object.local === '198.18.30.1') break;
      seen.push(`${ev.action} ${ev.kind ?? ''} ${JSON.stringify('object' in ev ? ev.object : ev).slice(0, 120)}`);
    }
  } finally {
    await it.return?.(undefined);
    ip('address', 'del', MARK, 'dev', 'lo');
  }
  assert.equal(seen, []);
});

test('the host snapshot lab run compares names what changed', async () => {
  const before = await hostSnapshot();
  assert.ok(before.links.some((l) => / lo /.test(l)), before.links.join('\n'));
  ip('link', 'add', 'nlts-host0', 'type', 'veth', 'peer', 'name', 'nlts-host1');
  ip('address', 'add', '198.18.31.1/24', 'dev', 'nlts-host0');
  let changes: string[];
  try {
    changes = hostChanges(before, await hostSnapshot());
  } finally {
    ip('link', 'del', 'nlts-host0');
  }
  assert.ok(changes.some((c) => /^added: link \d+ nlts-host0 veth /.test(c)), changes.join('\n'));
  assert.ok(changes.includes('added: address 198.18.31.1/24 dev nlts-host0'), changes.join('\n'));
  assert.ok(changes.some((c) => /^added: route inet table local local 198\.18\.31\.1\/32 /.test(c)), changes.join('\n'));
  assert.equal(hostChanges(before, await hostSnapshot()), []);
});

test.run();
