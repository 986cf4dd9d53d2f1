// A lab over two hosts, simulated: two namespaces stand for the machines,
// joined by an underlay veth (198.18.50.0/24). Each builds its part of the
// same file (`lab up FILE --host a|b`, run in its namespace with nsenter, so
// the lab's /run/netns is shared as on... one machine); the link between the
// hosts becomes VXLAN over the underlay; the connectivity matrix of the whole
// lab, measured across both, is as the description says; down leaves nothing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { cli } from '../helpers/cli-path.js';
import { assertGone } from '../helpers/lab-kernel.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const FILE = fileURLToPath(new URL('../../../examples/hosts/08-two-hosts.json', import.meta.url));

function onHost(host: string | undefined, ...args: string[]): { code: number | null; out: string } {
  const argv = [process.execPath, cli, ...args];
  const r = host === undefined ? spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' })
    : spawnSync('nsenter', [`--net=/run/netns/nlts-host-${host}`, '--', ...argv], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('two hosts from one file: each builds its part, the crossing link is VXLAN, the matrix spans both, nothing left', async () => {
  ip('netns', 'add', 'nlts-host-a');
  ip('netns', 'add', 'nlts-host-b');
  try {
    ip('-n', 'nlts-host-a', 'link', 'add', 'underlay', 'type', 'veth', 'peer', 'name', 'underlay', 'netns', 'nlts-host-b');
    for (const [h, a] of [['a', '198.18.50.1/24'], ['b', '198.18.50.2/24']] as const) {
      ip('-n', `nlts-host-${h}`, 'address', 'add', a, 'dev', 'underlay');
      ip('-n', `nlts-host-${h}`, 'link', 'set', 'underlay', 'up');
      ip('-n', `nlts-host-${h}`, 'link', 'set', 'lo', 'up');
    }
    let r = onHost('a', 'lab', 'up', FILE, '--host', 'a');
    assert.is(r.code, 0, r.out);
    assert.match(r.out, /^host a: to-blue in twohosts-router is VXLAN 1001 to 198\.18\.50\.2:4789, mtu 1450$/m);
    assert.match(r.out, /^lab twohosts\.a is up: 2 namespaces \(twohosts-red, twohosts-router\)/m);
    r = onHost('b', 'lab', 'up', FILE, '--host', 'b');
    assert.is(r.code, 0, r.out);
    assert.match(r.out, /^host b: eth0 in twohosts-blue is VXLAN 1001 to 198\.18\.50\.1:4789, mtu 1450$/m);

    const [blue] = ipJson<{ mtu: number; linkinfo: { info_kind: string; info_data: { id: number; remote: string; local: string; port: number } } }[]>('-n', 'twohosts-blue', '-d', 'link', 'show', 'eth0');
    assert.equal([blue!.mtu, blue!.linkinfo.info_kind, blue!.linkinfo.info_data.id, blue!.linkinfo.info_data.remote, blue!.linkinfo.info_data.local, blue!.linkinfo.info_data.port],
      [1450, 'vxlan', 1001, '198.18.50.1', '198.18.50.2', 4789]);
    // Its UDP socket is the underlay's: the host namespace, not the lab's.
    assert.match(ip('-n', 'twohosts-blue', 'route', 'show', 'default'), /^default via 198\.18\.61\.1 dev eth0/);

    // Up again: nothing to add.
    r = onHost('b', 'lab', 'up', FILE, '--host', 'b');
    assert.match(r.out, /already up as described/);
    // The whole lab's matrix, measured across both hosts (one machine here: every namespace is reachable by name).
    r = onHost(undefined, 'lab', 'ping', FILE, '--protocol', 'udp,tcp');
    assert.is(r.code, 0, r.out);
    assert.match(r.out, /^connectivity of lab twohosts \(UDP, TCP\): all as expected$/m);
    // red, on host a, reaches blue, on host b, across the VXLAN link, and blue reaches back.
    assert.match(r.out, /^red( +ok \S+){4}$/m, r.out);
    assert.match(r.out, /^blue( +ok \S+){4}$/m, r.out);
  } finally {
    onHost('a', 'lab', 'down', FILE, '--host', 'a');
    onHost('b', 'lab', 'down', FILE, '--host', 'b');
    ip('netns', 'del', 'nlts-host-a');
    ip('netns', 'del', 'nlts-host-b');
  }
  await assertGone(new Lab(JSON.parse(readFileSync(FILE, 'utf8')), new KernelBackend()));
});

test.run();
