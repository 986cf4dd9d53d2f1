// Taps in a lab: made through /dev/net/tun in a lab namespace (a port of a
// bridge there) and in the root namespace (prefixed, with the lab's alias);
// status sees them as the lab's; down() removes the root one and the
// namespace takes the other with it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabDescription } from '../../src/lab/description.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { validate } from '../../src/lab/validate.js';
import * as tuntap from '../../src/tuntap/index.js';
import { assertGone } from '../helpers/lab-kernel.js';
import { ipLink, linkExists } from '../helpers/links.js';
import { realRootTest, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const TAPS: LabDescription = {
  name: 'nlts-tap',
  namespaces: [{ name: 'h' }],
  bridges: [{ name: 'br0', namespace: 'h', addresses: ['198.18.20.1/24'] }],
  taps: [
    { name: 'vm0', bridge: 'br0', owner: 1000, group: 100, vnetHdr: true, mtu: 1400 },
    { name: 'tp', mac: '02:00:00:00:20:02', multiQueue: true },
  ],
};

test('taps are validated: options, references and names like veth ends', () => {
  assert.ok(validate(TAPS).ok);
  const bad = validate({ ...TAPS, taps: [{ name: 'x', bridge: 'nope', owner: -1, vnetHdr: 'yes', mode: 'tun' }, { name: 'vm0', namespace: 'h' }, { name: 'vm0', namespace: 'h' }] });
  assert.not.ok(bad.ok);
  assert.equal(bad.problems.map((p) => p.path).sort(), ['taps[0].bridge', 'taps[0].mode', 'taps[0].owner', 'taps[0].vnetHdr', 'taps[2].name'].sort(), JSON.stringify(bad.problems));
});

realRootTest('lab up makes the taps (a bridge port in a namespace, one in the root namespace), status is ok, down removes them', async () => {
  const lab = new Lab(TAPS, new KernelBackend());
  try {
    assert.ok((await lab.up()).changed);
    const vm = ipLink('vm0', 'nlts-tap-h');
    assert.equal([vm.linkinfo?.info_kind, vm.linkinfo?.info_data?.type, vm.linkinfo?.info_data?.vnet_hdr, vm.linkinfo?.info_data?.persist, vm.master, vm.mtu],
      ['tun', 'tap', true, true, 'br0', 1400]);
    const [t] = await tuntap.list({ netns: 'nlts-tap-h' });
    assert.equal([t?.name, t?.owner, t?.group], ['vm0', 1000, 100]);
    assert.ok(vm.flags.includes('UP'), 'up by default');
    const tp = ipLink('nlts-tap-tp');
    assert.equal([tp.linkinfo?.info_data?.multi_queue, tp.address, tp.ifalias], [true, '02:00:00:00:20:02', 'netlink-ts lab nlts-tap']);
    const st = await lab.status();
    assert.equal(st.items.filter((i) => i.state !== 'ok'), [], JSON.stringify(st.items));
    // up again changes nothing.
    assert.not.ok((await lab.up()).changed);
    const down = await lab.down();
    assert.ok(down.removed.includes('link nlts-tap-tp'), down.removed.join(', '));
    assert.not.ok(linkExists('nlts-tap-tp'));
    await assertGone(lab);
  } finally {
    await lab.down().catch(() => undefined);
  }
});

test.run();
