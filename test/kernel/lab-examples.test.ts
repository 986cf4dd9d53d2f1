// Every example on the kernel: up, status clean, the connectivity the
// description predicts (UDP and TCP; ICMP where ping is installed), down,
// and nothing left — namespace, link, mount, /run/netns or /etc/netns file,
// record. netem, which this kernel lacks, is refused before anything is made.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LabRefusedError } from '../../src/lab/errors.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { statusText } from '../../src/lab/status.js';
import { formatMatrix } from '../../src/lab/format.js';
import { list as listNetns } from '../../src/netns/named.js';
import { EXAMPLES, assertGone, example } from '../helpers/lab-kernel.js';
import { ip, requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

for (const file of EXAMPLES) {
  test(`${file}: up, status, connectivity, down, nothing left`, async () => {
    const lab = new Lab(example(file), new KernelBackend());
    await assertGone(lab, 'before up');
    const up = await lab.up();
    assert.ok(up.changed);
    assert.is(up.steps, lab.plan.steps.length);
    try {
      // Visible to iproute2 as named namespaces while up.
      const names = ip('netns', 'list').split('\n').map((l) => l.split(' ')[0]);
      for (const ns of lab.plan.owned.namespaces) assert.ok(names.includes(ns), `ip netns list shows ${ns}`);
      const st = await lab.status();
      assert.ok(st.up, statusText(st));
      assert.is(st.counts.missing + st.counts.different + st.counts.extra, 0, statusText(st));
      const m = await lab.connectivity({ timeoutMs: 1500 });
      assert.ok(m.ok, formatMatrix(m));
      // These examples put every address within everyone's reach.
      const notEcho = m.cells.flat().filter((c) => !(c.expected.reach && c.reached && c.udp?.ok && c.tcp?.ok));
      assert.equal(notEcho.map((c) => `${c.from} → ${c.to}: udp ${JSON.stringify(c.udp)} tcp ${JSON.stringify(c.tcp)}`), [], formatMatrix(m));
    } finally {
      const down = await lab.down();
      assert.ok(down.removed.length >= lab.plan.owned.namespaces.length);
    }
    await assertGone(lab, 'after down');
    assert.ok(!listNetns().some((n) => lab.plan.owned.namespaces.includes(n)));
  });
}

test('04-tbf.json: the qdisc is tbf at the rate described', async () => {
  const lab = new Lab(example('04-tbf.json'), new KernelBackend());
  await lab.up();
  try {
    const out = run('tc', ['-n', 'tbf-red', '-j', 'qdisc', 'show', 'dev', 'veth-red']);
    const [q] = JSON.parse(out) as { kind: string; options: { rate: number; burst: number } }[];
    assert.is(q!.kind, 'tbf');
    assert.is(q!.options.rate, 125000); // 1 Mbit/s in bytes
    assert.is(q!.options.burst, 4096); // 32 kbit: tc's k is 1024
  } finally {
    await lab.down();
  }
  await assertGone(lab);
});

test('03-router.json: programs run with lab.exec see the namespace\'s hosts file', async () => {
  const lab = new Lab(example('03-router.json'), new KernelBackend());
  await lab.up();
  try {
    const r = await lab.exec('red', ['cat', '/etc/hosts']);
    assert.is(r.code, 0);
    assert.match(r.stdout, /^10\.0\.2\.2\tblue$/m);
    const routes = await lab.exec('red', ['ip', '-j', 'route', 'show', 'default']);
    assert.equal(JSON.parse(routes.stdout).map((x: { gateway: string }) => x.gateway), ['10.0.1.1']);
    const fwd = await lab.exec('router', ['cat', '/proc/sys/net/ipv4/ip_forward']);
    assert.is(fwd.stdout.trim(), '1');
  } finally {
    await lab.down();
  }
  await assertGone(lab);
});

test('05-netem.json: refused before anything is made, naming netem', async () => {
  const lab = new Lab(example('05-netem.json'), new KernelBackend());
  const err = await lab.up().then(() => undefined, (e: unknown) => e);
  if (err === undefined) {
    // A kernel with sch_netem builds it like the others.
    await lab.down();
  } else {
    assert.instance(err, LabRefusedError);
    assert.match((err as Error).message, /no netem qdisc \(the kernel lacks sch_netem\), needed by veths\[0\]\.a\.qdisc/);
    assert.equal((err as LabRefusedError).lacking, { linkKinds: [], qdiscKinds: ['netem'] });
  }
  await assertGone(lab);
});

test.run();
