// A lab's life on the kernel: up twice and down twice, status against a
// changed system, down without a record, cleanup when the process is ended,
// and the kernel backend's own contracts (batch index, repeatable removals,
// creations that never replace).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabDescription } from '../../src/lab/description.js';
import { BatchItemError } from '../../src/lab/kernel/batch.js';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { statusText } from '../../src/lab/status.js';
import { formatMatrix } from '../../src/lab/format.js';
import { chain } from '../../bench/lab-chain.js';
import { add as addNetns, exists as netnsExists, remove as removeNetns } from '../../src/netns/named.js';
import { assertGone, example } from '../helpers/lab-kernel.js';
import { ip, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const childScript = fileURLToPath(new URL('../helpers/lab-child.js', import.meta.url));
const examplePath = (f: string) => fileURLToPath(new URL(`../../../examples/${f}`, import.meta.url));

const PAIR: LabDescription = {
  name: 'nlts-life',
  namespaces: [{ name: 'l' }, { name: 'r' }],
  veths: [{ a: { name: 'v', namespace: 'l', addresses: ['198.18.10.1/24'] }, b: { name: 'v', namespace: 'r', addresses: ['198.18.10.2/24'] } }],
};

test('up twice changes nothing the second time; down twice is safe', async () => {
  const lab = new Lab(example('../test/fixtures/lab/bridge-root.json'), new KernelBackend());
  assert.ok((await lab.up()).changed);
  const again = await lab.up();
  assert.not.ok(again.changed);
  assert.is(again.steps, 0);
  const first = await lab.down();
  assert.ok(first.removed.includes('link bridge-br0'), first.removed.join(', '));
  const second = await lab.down();
  assert.equal(second, { removed: [], skipped: [] });
  await assertGone(lab);
});

test('status names what is missing, different and extra; up refuses a half-there lab; down still removes it', async () => {
  const lab = new Lab(example('03-router.json'), new KernelBackend());
  await lab.up();
  try {
    ip('-n', 'router-red', 'address', 'del', '10.0.1.2/24', 'dev', 'eth0');
    ip('-n', 'router-blue', 'link', 'set', 'eth0', 'mtu', '1400');
    ip('-n', 'router-router', 'route', 'add', '198.18.99.0/24', 'via', '10.0.2.2');
    ip('-n', 'router-blue', 'link', 'add', 'stray', 'type', 'veth', 'peer', 'name', 'stray2');
    const st = await lab.status();
    assert.not.ok(st.up);
    const line = (state: string, what: RegExp) => st.items.some((i) => i.state === state && what.test(i.what));
    assert.ok(line('missing', /^address 10\.0\.1\.2\/24 on eth0 in router-red$/), statusText(st));
    assert.ok(line('missing', /^route default via 10\.0\.1\.1 in router-red$/), statusText(st)); // went with the address
    assert.ok(line('extra', /^route 198\.18\.99\.0\/24 via 10\.0\.2\.2 dev to-blue in router-router$/), statusText(st));
    assert.ok(line('extra', /^veth stray in router-blue$/), statusText(st));
    const err = await lab.up().then(() => undefined, (e: Error) => e);
    assert.match(err!.message, /is partly up .*run down\(\) first/);
  } finally {
    await lab.down();
  }
  await assertGone(lab);
});

test('down without a record removes nothing; down --force removes what carries the lab\'s names', async () => {
  const backend = new KernelBackend();
  const lab = new Lab(example('../test/fixtures/lab/bridge-root.json'), backend);
  await lab.up();
  await backend.removeRecord(lab.name); // the record is lost
  assert.equal(await lab.down(), { removed: [], skipped: [] });
  assert.ok(netnsExists('bridge-ns1'));
  const forced = await lab.down({ force: true });
  assert.is(forced.removed.length, 7, forced.removed.join(', '));
  await assertGone(lab);
});

test('a name taken by someone else stops up() before anything is made', async () => {
  addNetns('nlts-life-r');
  try {
    const lab = new Lab(PAIR, new KernelBackend());
    const err = await lab.up().then(() => undefined, (e: Error) => e);
    assert.match(err!.message, /namespace nlts-life-r exists already, and no record says this lab made it/);
    assert.not.ok(netnsExists('nlts-life-l'));
    assert.ok(netnsExists('nlts-life-r'), 'someone else\'s namespace is left alone');
  } finally {
    removeNetns('nlts-life-r');
  }
});

test('the kernel backend: a failing batch names its item, removals repeat, creations never replace', async () => {
  const b = new KernelBackend();
  try {
    await b.createNamespace('nlts-kb');
    const again = await b.createNamespace('nlts-kb').then(() => undefined, (e: { code?: string }) => e);
    assert.is(again?.code, 'EEXIST');
    await b.addLinks('nlts-kb', [{ kind: 'bridge', name: 'br0' }]);
    const dup = await b.addLinks('nlts-kb', [{ kind: 'bridge', name: 'br1' }, { kind: 'bridge', name: 'br0' }, { kind: 'bridge', name: 'br2' }]).then(() => undefined, (e: unknown) => e);
    assert.instance(dup, BatchItemError);
    assert.is((dup as BatchItemError).index, 1);
    assert.is((dup as BatchItemError).code, 'EEXIST');
    const links = (await b.inspect('nlts-kb', { sysctls: [] })).links.map((l) => l.name).sort();
    assert.equal(links, ['br0', 'br1', 'lo'], 'the item before took effect, the ones after did not');
    const addr = await b.addAddresses('nlts-kb', [{ dev: 'br0', address: '198.18.11.1/24' }, { dev: 'br0', address: '198.18.11.1/24' }]).then(() => undefined, (e: BatchItemError) => e);
    assert.is(addr?.index, 1);
    const q = await b.addQdiscs('nlts-kb', [{ dev: 'br0', qdisc: { kind: 'netem', delay: '10ms' } }]).then(() => undefined, (e: BatchItemError) => e);
    if (q) {
      assert.is(q.index, 0);
      assert.match(q.message, /this kernel has no qdisc "netem" \(module sch_netem\)/);
    }
    assert.is(await b.deleteLink('nlts-kb', 'br1'), true);
    assert.is(await b.deleteLink('nlts-kb', 'br1'), false);
    await b.writeDnsFiles('nlts-kb', { hosts: 'x' });
    const dns = await b.writeDnsFiles('nlts-kb', { hosts: 'y' }).then(() => undefined, (e: { code?: string }) => e);
    assert.is(dns?.code, 'EEXIST');
    assert.is(await b.removeDnsFiles('nlts-kb'), true);
    assert.is(await b.removeDnsFiles('nlts-kb'), false);
    assert.not.ok(existsSync('/etc/netns/nlts-kb'));
  } finally {
    assert.is(await b.deleteNamespace('nlts-kb'), true);
    assert.is(await b.deleteNamespace('nlts-kb'), false);
    assert.is(await b.deleteLink('nlts-kb', 'br0'), false);
    await b.release();
  }
});

test('release() closes the sockets a lab opened in its namespaces', async () => {
  const lab = new Lab(PAIR, new KernelBackend());
  const sockets = () => readdirSync('/proc/self/fd').filter((fd) => {
    try { return /^socket:/.test(readlinkSync(`/proc/self/fd/${fd}`)); } catch { return false; }
  }).length;
  const before = sockets();
  await lab.up();
  await lab.status();
  assert.is(sockets(), before);
  await lab.down();
  assert.is(sockets(), before);
  await assertGone(lab);
});

/** Starts the child with a lab up, and waits for it to say so. */
function child(file: string, mode?: string): Promise<{ pid: number; exit: Promise<{ code: number | null; stderr: string }> }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [childScript, examplePath(file), ...(mode ? [mode] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d) => { stderr += d; });
    const exit = new Promise<{ code: number | null; stderr: string }>((res) => c.on('close', (code) => res({ code, stderr })));
    c.stdout.on('data', (d) => { if (String(d).includes('up')) resolve({ pid: c.pid!, exit }); });
    void exit.then(({ code }) => reject(new Error(`the child ended (${code}) before its lab was up: ${stderr}`)));
  });
}

test('SIGTERM to a process with a lab up: the lab is removed, the process ends with 143', async () => {
  const lab = new Lab(example('03-router.json'), new KernelBackend());
  const c = await child('03-router.json');
  assert.ok(netnsExists('router-red'));
  process.kill(c.pid, 'SIGTERM');
  const { code, stderr } = await c.exit;
  assert.is(code, 143, stderr);
  await assertGone(lab);
});

test('Ctrl-C (SIGINT) while a lab goes up: what was made is taken back, the process ends with 130', async () => {
  const lab = new Lab(example('03-router.json'), new KernelBackend());
  const c = spawn(process.execPath, [childScript, examplePath('03-router.json'), 'pause'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  c.stderr.on('data', (d) => { stderr += d; });
  const exit = new Promise<number | null>((res) => c.on('close', res));
  await new Promise<void>((res) => c.stdout.on('data', (d) => { if (String(d).includes('mid-up')) res(); }));
  assert.ok(netnsExists('router-red'), 'half up: the namespaces exist');
  process.kill(c.pid!, 'SIGINT');
  assert.is(await exit, 130, stderr);
  await assertGone(lab);
});

test('an uncaught exception in a process with a lab up: the lab is removed, the process ends with 1', async () => {
  const lab = new Lab(example('02-bridge.json'), new KernelBackend());
  const c = await child('02-bridge.json', 'throw');
  const { code, stderr } = await c.exit;
  assert.is(code, 1);
  assert.match(stderr, /the child fails on purpose/);
  await assertGone(lab);
});

test('a chain of 8 namespaces (the bench\'s, shorter): routed end to end, every address reached from everywhere', async () => {
  const lab = new Lab(chain(8), new KernelBackend());
  await lab.up();
  try {
    const st = await lab.status();
    assert.ok(st.up, statusText(st));
    const m = await lab.connectivity({ protocols: ['udp'], timeoutMs: 2000 });
    assert.ok(m.ok && m.cells.flat().every((c) => c.reached), formatMatrix(m));
  } finally {
    await lab.down();
  }
  await assertGone(lab);
});

test.run();
