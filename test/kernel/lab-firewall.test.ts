// The NAT router lab on the kernel: traffic through a netlink-ts firewall
// between namespaces the lab makes. red reaches blue only masqueraded (blue
// has no route back to red), blue reaches neither the router (input drop) nor
// red; the matrix is as the description predicts and says what was dropped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { formatMatrix } from '../../src/lab/format.js';
import { assertGone, example } from '../helpers/lab-kernel.js';
import { requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

test('07-router-nat.json: allowed and dropped as described, through the firewall netlink-ts applied', async () => {
  const lab = new Lab(example('07-router-nat.json'), new KernelBackend());
  await lab.up();
  try {
    const ruleset = run('ip', ['netns', 'exec', 'natrouter-router', 'nft', 'list', 'ruleset']);
    assert.match(ruleset, /oifname "to-blue" masquerade/);
    assert.match(ruleset, /iifname "to-red" oifname "to-blue" accept/);
    const m = await lab.connectivity({ timeoutMs: 1000 });
    const text = formatMatrix(m);
    assert.ok(m.ok, text);
    const cell = (from: string, to: string) => m.cells[m.sources.indexOf(from)]![m.targets.findIndex((t) => t.address === to)]!;
    assert.ok(cell('red', '10.0.2.2').reached, text);
    assert.ok(cell('red', '10.0.2.2').udp?.ok && cell('red', '10.0.2.2').tcp?.ok, text);
    assert.not.ok(cell('blue', '10.0.2.1').reached, text);
    assert.not.ok(cell('blue', '10.0.1.2').reached, text);
    assert.match(text, /blue → 10\.0\.2\.1: dropped: the firewall of router drops it \(input from to-blue\)/);
    // What let red through is the NAT: blue has no route to red's subnet, so it answered the router's address.
    assert.not.match(run('ip', ['netns', 'exec', 'natrouter-blue', 'ip', 'route']), /10\.0\.1\./);
  } finally {
    await lab.down();
  }
  await assertGone(lab, 'after down');
});

test.run();
