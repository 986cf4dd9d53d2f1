// Bridge VLAN filtering, which the host kernel's bridge lacks: VLAN entries,
// ranges and VLAN-to-tunnel maps made by netlink-ts and read by bridge, made
// by bridge and read by netlink-ts, and `netlink-ts -j bridge vlan show`
// equal to `bridge -j vlan show` (one CLI process: they cost seconds here).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { Rtnl } from '../../src/client.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { formatMatrix } from '../../src/lab/format.js';
import { Lab } from '../../src/lab/lab.js';
import { statusText } from '../../src/lab/status.js';
import { assertGone, example } from '../helpers/lab-kernel.js';
import { cli } from '../helpers/cli-path.js';
import { deleteLinks } from '../helpers/links.js';
import { ip, requireIsolation, run } from '../helpers/sh.js';

requireIsolation();
type Obj = Record<string, unknown>;
const bridgeJson = (...args: string[]): Obj[] => JSON.parse(run('bridge', ['-j', ...args]) || '[]') as Obj[];
const vlansOf = (dev: string, sub = 'show'): unknown => bridgeJson('vlan', sub, 'dev', dev)[0]?.[sub === 'show' ? 'vlans' : 'tunnels'];

test('VLAN entries, ranges and tunnel maps, both ways, and -j vlan show', async () => {
  ip('link', 'add', 'nlts-ub0', 'type', 'bridge', 'vlan_filtering', '1');
  ip('link', 'add', 'nlts-uv0', 'type', 'veth', 'peer', 'name', 'nlts-uv1');
  ip('link', 'set', 'nlts-uv0', 'master', 'nlts-ub0');
  ip('link', 'add', 'nlts-ux0', 'type', 'vxlan', 'dstport', '4789', 'external');
  ip('link', 'set', 'nlts-ux0', 'master', 'nlts-ub0');
  await using nl = await Rtnl.open();
  try {
    await nl.bridge.vlan.add({ dev: 'nlts-uv0', vid: 10, pvid: true, untagged: true });
    await nl.bridge.vlan.add({ dev: 'nlts-uv0', vid: 20, vidEnd: 30 });
    await nl.bridge.vlan.add({ dev: 'nlts-ub0', vid: 10, self: true });
    // VLAN 1 (the default, untagged) stays; the uncompressed dump bridge asks for lists a range VLAN by VLAN.
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => ({ vlan: a + i }));
    assert.equal(vlansOf('nlts-uv0'), [{ vlan: 1, flags: ['Egress Untagged'] }, { vlan: 10, flags: ['PVID', 'Egress Untagged'] }, ...range(20, 30)]);
    assert.ok((vlansOf('nlts-ub0') as Obj[]).some((v) => v.vlan === 10), 'the bridge\'s own VLAN 10');
    run('bridge', ['vlan', 'del', 'dev', 'nlts-uv0', 'vid', '25']);
    run('bridge', ['vlan', 'add', 'dev', 'nlts-uv0', 'vid', '40']);
    const port = (await nl.bridge.vlan.list()).find((l) => l.name === 'nlts-uv0')!;
    // Uncompressed (RTEXT_FILTER_BRVLAN): one entry per VLAN; 1 stays the default PVID unless 10 took it.
    assert.equal(port.afSpec?.vlanInfo?.map((v) => v.vid), [1, 10, 20, 21, 22, 23, 24, 26, 27, 28, 29, 30, 40]);
    await nl.bridge.vlan.delete({ dev: 'nlts-uv0', vid: 20, vidEnd: 24 });
    ip('link', 'set', 'nlts-ux0', 'type', 'bridge_slave', 'vlan_tunnel', 'on');
    await nl.bridge.vlan.add({ dev: 'nlts-ux0', vid: 100, vidEnd: 102 });
    await nl.bridge.vlan.add({ dev: 'nlts-ux0', vid: 100, vidEnd: 102, tunnelId: 1000, tunnelIdEnd: 1002 });
    // Tunnel maps come back as ranges (the kernel compresses them whatever the mask).
    assert.equal(vlansOf('nlts-ux0', 'tunnelshow'), [{ vlan: 100, vlanEnd: 102, tunid: 1000, tunidEnd: 1002 }]);
    const [show, tunnels] = ['show', 'tunnelshow'].map((sub) => JSON.parse(execFileSync(process.execPath, [cli, '-j', 'bridge', 'vlan', sub], { encoding: 'utf8' })) as unknown);
    assert.equal(show, bridgeJson('vlan', 'show'));
    assert.equal(tunnels, bridgeJson('vlan', 'tunnelshow'));
  } finally {
    deleteLinks('nlts-ub0', 'nlts-uv0', 'nlts-ux0');
  }
});

test('the VLAN lab (examples/06-vlans.json): up, status clean, the measured matrix is the expected one (each VLAN reaches across the trunk, never into the other), down leaves nothing', async () => {
  const lab = new Lab(example('06-vlans.json'), new KernelBackend());
  await assertGone(lab, 'before up');
  assert.ok((await lab.up()).changed);
  try {
    const st = await lab.status();
    assert.is(st.counts.missing + st.counts.different + st.counts.extra, 0, statusText(st));
    // Only ICMP: the UDP/TCP probe starts a Node process per namespace, seconds each under UML.
    const m = await lab.connectivity({ timeoutMs: 2000, protocols: ['icmp'] });
    assert.ok(m.ok, formatMatrix(m));
    const reached = Object.fromEntries(m.cells.map((row) => [row[0]!.from, row.filter((c) => c.reached).map((c) => c.toNs).join(',')]));
    assert.equal(reached, { a1: 'a1,a2', b1: 'b1,b2', a2: 'a1,a2', b2: 'b1,b2' }, formatMatrix(m));
  } finally {
    await lab.down();
  }
  await assertGone(lab, 'after down');
});

test.run();
