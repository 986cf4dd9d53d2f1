// The connectivity matrix over a fake backend: which processes it starts
// where, how it reads their answers, and how it compares them with what the
// description says.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExecResult, LabProcess } from '../../src/lab/backend.js';
import { parsePingRtt } from '../../src/lab/connectivity.js';
import type { LabDescription } from '../../src/lab/description.js';
import { formatMatrix } from '../../src/lab/format.js';
import { Lab } from '../../src/lab/lab.js';
import type { NsKey } from '../../src/lab/names.js';
import type { ProbeRequest } from '../../src/lab/probe.js';
import { FakeBackend, fakeProcess } from '../helpers/lab-fake.js';

const example = (file: string): LabDescription => JSON.parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8'));

/**
 * A backend whose probe answers when `reaches(from, address)` says so, and
 * whose namespaces have ping when `ping` is set.
 */
function world(reaches: (from: NsKey, address: string) => boolean, options: { ping?: boolean; serverFails?: string; sendFails?: string } = {}) {
  const fake = new FakeBackend();
  const spawned: string[] = [];
  const killed: string[] = [];
  fake.spawn = (ns, argv): LabProcess => {
    spawned.push(`${ns} ${argv.slice(2).join(' ')}`);
    const p = fakeProcess(ns === options.serverFails ? '' : `{"ready":true,"udp":4000,"tcp":5000}\n`);
    if (ns === options.serverFails) p.stdout.push(null);
    const kill = p.kill;
    p.kill = () => { killed.push(String(ns)); kill(); };
    return p;
  };
  fake.exec = async (ns, argv): Promise<ExecResult> => {
    if (argv[0] === 'ping') {
      if (!options.ping) throw Object.assign(new Error('spawn ping ENOENT'), { code: 'ENOENT' });
      const ok = reaches(ns, argv[argv.length - 1]!);
      return ok
        ? { code: 0, signal: null, stdout: `64 bytes from ${argv[argv.length - 1]}: icmp_seq=1 ttl=64 time=0.042 ms\n`, stderr: '' }
        : { code: 1, signal: null, stdout: '', stderr: '' };
    }
    assert.is(argv[2], 'send');
    if (ns === options.sendFails) return { code: 1, signal: null, stdout: '', stderr: 'Error: boom\n' };
    const req = JSON.parse(argv[3]!) as ProbeRequest;
    assert.is(req.timeoutMs, 1000);
    const results = req.targets.map((t) => {
      assert.equal([t.udp, t.tcp], [4000, 5000]);
      const ok = reaches(ns, t.address);
      return { address: t.address, udp: ok ? { ok, rttMs: 0.08 } : { ok, error: 'timeout' }, tcp: ok ? { ok, rttMs: 0.1, connectMs: 0.05 } : { ok, error: 'timeout' } };
    });
    return { code: 0, signal: null, stdout: JSON.stringify({ results }), stderr: '' };
  };
  return { fake, spawned, killed };
}

test('the router lab, answering as described: every cell as expected', async () => {
  const { fake, spawned, killed } = world(() => true);
  const lab = Lab.from(example('03-router.json'), fake);
  const m = await lab.connectivity();
  assert.ok(m.ok);
  assert.is(m.icmp, 'no ping');
  assert.equal(m.sources, ['red', 'router', 'blue']);
  assert.equal(m.targets.map((t) => t.address), ['10.0.1.2', '10.0.1.1', '10.0.2.2', '10.0.2.1']);
  assert.equal(spawned.sort(), [
    'router-blue serve --stdin --timeout 70000 --address 10.0.2.2',
    'router-red serve --stdin --timeout 70000 --address 10.0.1.2',
    'router-router serve --stdin --timeout 70000 --address 10.0.1.1 --address 10.0.2.1',
  ], 'each server answers on its namespace\'s addresses, as the description has them');
  assert.equal(killed.sort(), ['router-blue', 'router-red', 'router-router'], 'every server is stopped');
  const c = m.cells[0]![2]!;
  assert.equal([c.from, c.to, c.toNs, c.reached, c.ok, c.udp?.rttMs, c.icmp], ['red', '10.0.2.2', 'blue', true, true, 0.08, undefined]);
  assert.equal(c.expected.hops, ['red', 'router', 'blue']);
  assert.is(formatMatrix(m), [
    'connectivity of lab router (UDP, TCP (no ping for ICMP)): all as expected',
    'from \\ to  10.0.1.2 (red)  10.0.1.1 (router)  10.0.2.2 (blue)  10.0.2.1 (router)',
    'red        ok 0.08ms       ok 0.08ms          ok 0.08ms        ok 0.08ms',
    'router     ok 0.08ms       ok 0.08ms          ok 0.08ms        ok 0.08ms',
    'blue       ok 0.08ms       ok 0.08ms          ok 0.08ms        ok 0.08ms',
  ].join('\n'));
});

test('what is not as described stands out', async () => {
  const lab = example('03-router.json');
  lab.namespaces[1]!.forwarding = false;
  // The "kernel" forwards anyway between red and blue, and blue cannot reach the router.
  const { fake } = world((from, addr) => !(from === 'router-blue' && addr === '10.0.2.1'));
  const m = await Lab.from(lab, fake).connectivity();
  assert.not.ok(m.ok);
  const text = formatMatrix(m);
  assert.match(text, /: 3 not as expected/);
  assert.match(text, /red +ok 0\.08ms +ok 0\.08ms +UNEXPECTED +ok 0\.08ms/);
  assert.match(text, /blue +UNEXPECTED +ok 0\.08ms +ok 0\.08ms +FAIL timeout/);
  assert.match(text, /\n {2}red → 10\.0\.2\.2: expected not to reach \(router does not forward IPv4\)/);
  assert.match(text, /\n {2}blue → 10\.0\.2\.1: expected to reach/);
});

test('ICMP through ping where it is installed', async () => {
  const { fake } = world((from, addr) => addr !== '10.0.0.2' || from === 'pair-blue', { ping: true });
  const m = await Lab.from(example('01-veth-pair.json'), fake).connectivity({ protocols: ['icmp'] });
  assert.is(m.icmp, 'measured');
  assert.equal(m.cells[0]![0]!.icmp, { ok: true, rttMs: 0.042 });
  assert.equal(m.cells[0]![1]!.icmp, { ok: false, error: 'timeout' });
  assert.is(m.cells[0]![1]!.udp, undefined, 'only what was asked');
  assert.match(formatMatrix(m), /\(UDP, TCP, ICMP\): 1 not as expected\n.*\nred +ok 0\.04ms +FAIL timeout/);
  assert.is(parsePingRtt('64 bytes from ::1: icmp_seq=1 ttl=64 time<1 ms'), 1);
  assert.is(parsePingRtt('nothing'), undefined);
});

test('a probe server that does not start, a probe that fails: each cell says why', async () => {
  const { fake } = world(() => true, { serverFails: 'pair-blue', sendFails: 'pair-red' });
  const m = await Lab.from(example('01-veth-pair.json'), fake).connectivity({ protocols: ['udp', 'tcp'] });
  assert.not.ok(m.ok);
  assert.equal(m.cells[1]![1]!.udp, { ok: false, error: 'the probe server did not start: ended without a word' });
  assert.equal(m.cells[0]![0]!.tcp, { ok: false, error: 'the probe failed: exit 1: Error: boom' });
  assert.ok(m.cells[1]![0]!.udp!.ok, 'blue still reaches red');
  assert.is(m.icmp, 'not asked');
});

test('with IPv6 addresses, probing waits until duplicate address detection has ended; IPv4 alone does not wait', async () => {
  const lab = example('01-veth-pair.json');
  lab.veths![0]!.a.addresses!.push('fd00::1/64');
  lab.veths![0]!.b.addresses!.push('fd00::2/64');
  const { fake } = world(() => true);
  const events: string[] = [];
  let rounds = 0;
  fake.inspect = async (ns) => {
    events.push(`inspect ${ns}`);
    const link = { name: 'veth-blue', up: true, addresses: ['fd00::2/64', 'fe80::1/64'] };
    return { links: [ns === 'pair-blue' && ++rounds <= 2 ? { ...link, tentative: ['fe80::1/64'] } : link], routes: [], sysctls: {} };
  };
  const exec = fake.exec.bind(fake);
  fake.exec = (ns, argv, options) => { events.push(`send ${ns}`); return exec(ns, argv, options); };
  const m = await Lab.from(lab, fake).connectivity({ protocols: ['udp', 'tcp'] });
  assert.ok(m.ok);
  assert.is(rounds, 3, 'asked again until nothing was tentative');
  assert.ok(events.indexOf('send pair-red') > events.lastIndexOf('inspect pair-blue'), events.join(', '));

  events.length = 0;
  const m4 = await Lab.from(example('01-veth-pair.json'), fake).connectivity({ protocols: ['udp', 'tcp'] });
  assert.ok(m4.ok);
  assert.not.ok(events.some((e) => e.startsWith('inspect')), 'an IPv4 lab is probed at once');

  // A bound: still tentative after settleMs, the probes go ahead.
  rounds = -1_000;
  const t0 = Date.now();
  assert.ok((await Lab.from(lab, fake).connectivity({ protocols: ['udp', 'tcp'], settleMs: 300 })).ok);
  assert.ok(Date.now() - t0 < 2000);
});

test.run();
