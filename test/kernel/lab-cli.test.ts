// `netlink-ts lab up|down|status|show|exec|ping|run` on the examples: exit
// codes, what they print, and the README's first command (`npm run lab`, which
// is `lab run examples/*.json`) end to end; without privilege, a clear refusal.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { assertGone, example } from '../helpers/lab-kernel.js';
import { envForOtherUser, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const PAIR = `${examples}01-veth-pair.json`;

function run(args: string[], opts: { uid?: number } = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', ...opts, ...(opts.uid !== undefined ? { env: envForOtherUser() } : {}) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('up, up again, status, show, exec, ping, down, status', async () => {
  let r = run(['lab', 'up', PAIR]);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^lab pair is up: 2 namespaces \(pair-red, pair-blue\), 9 steps in \d+ ms$/m);
  try {
    r = run(['lab', 'up', PAIR]);
    assert.is(r.out.trim(), 'lab pair was already up as described; nothing changed');
    r = run(['lab', 'status', PAIR]);
    assert.is(r.code, 0);
    assert.is(r.out.trim(), 'lab pair: 8 ok, 0 missing, 0 different, 0 extra');
    r = run(['lab', 'show', PAIR]);
    assert.match(r.out, /namespace pair-red\n {2}link +kind +state +master +addresses\n {2}lo +UP +127\.0\.0\.1\/8 ::1\/128\n {2}veth-red +veth +UP +10\.0\.0\.1\/24\n/);
    r = run(['lab', 'exec', PAIR, 'blue', '--', 'ip', '-br', 'address', 'show', 'dev', 'veth-blue']);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^veth-blue@if\d+ +UP +10\.0\.0\.2\/24/);
    r = run(['lab', 'exec', PAIR, 'red', 'sh', '-c', 'exit 3']);
    assert.is(r.code, 3);
    r = run(['lab', 'exec', PAIR, 'green', 'true']);
    assert.is(r.code, 1);
    assert.match(r.err, /lab "pair": has no namespace "green" \(it has red, blue\)/);
    r = run(['lab', 'ping', PAIR]);
    assert.is(r.code, 0, r.out + r.err);
    assert.match(r.out, /^connectivity of lab pair \(UDP, TCP.*\): all as expected$/m);
    r = run(['--json', 'lab', 'ping', PAIR, '--protocol', 'udp']);
    const m = JSON.parse(r.out) as { ok: boolean; cells: { udp?: { ok: boolean }; tcp?: unknown }[][] };
    assert.ok(m.ok);
    assert.ok(m.cells.flat().every((c) => c.udp?.ok && c.tcp === undefined));
  } finally {
    r = run(['lab', 'down', PAIR]);
  }
  assert.is(r.code, 0, r.err);
  assert.is(r.out.trim(), 'lab pair is down: removed namespace pair-blue, namespace pair-red');
  r = run(['lab', 'status', PAIR]);
  assert.is(r.code, 1);
  assert.match(r.out, /^lab pair: 0 ok, 2 missing, 0 different, 0 extra \(no record: not made by up\(\)\)$/m);
  await assertGone(new Lab(example('01-veth-pair.json'), new KernelBackend()));
});

test('a refused lab: exit 1 and the reason, nothing made', async () => {
  const r = run(['lab', 'up', `${examples}05-netem.json`]);
  if (r.code === 0) {
    run(['lab', 'down', `${examples}05-netem.json`]); // a kernel with netem
    return;
  }
  assert.is(r.code, 1);
  assert.match(r.err, /^netlink-ts: lab "netem": cannot go up, nothing was created:\n {2}this system has no netem qdisc \(the kernel lacks sch_netem\), needed by veths\[0\]\.a\.qdisc\n$/);
  await assertGone(new Lab(example('05-netem.json'), new KernelBackend()));
});

test('lab run over every example (npm run lab): each up, shown, probed, down, nothing left; exit 0', async () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.json')).sort().map((f) => `${examples}${f}`);
  const r = run(['lab', 'run', ...files]);
  assert.is(r.code, 0, r.out + r.err);
  const left = r.out.match(/nothing of the lab is left/g) ?? [];
  assert.is(left.length, files.length, r.out);
  assert.match(r.out, /^ {2}\S+01-veth-pair\.json +pair +ok +up in \d+ ms; 4 of 4 paths answer, all as expected$/m);
  assert.match(r.out, /^ {2}\S+03-router\.json +router +ok +up in \d+ ms; 12 of 12 paths answer, all as expected$/m);
  // The NAT router: blue reaches only itself (the firewall drops the rest, as the description predicts).
  assert.match(r.out, /^ {2}\S+07-router-nat\.json +natrouter +ok +up in \d+ ms; 9 of 12 paths answer, all as expected$/m);
  assert.match(r.out, /^all 7 labs went as expected/m);
  assert.match(r.out, /^the host is unchanged: its \d+ links?, \d+ address(es)?, \d+ routes? and \d+ qdiscs? are as they were before the run$/m);
  for (const f of files) await assertGone(new Lab(example(f.slice(examples.length)), new KernelBackend()));
});

test.run();
