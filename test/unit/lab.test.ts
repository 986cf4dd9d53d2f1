import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProcessHooks } from '../../src/lab/cleanup.js';
import type { LabDescription } from '../../src/lab/description.js';
import { LabError, LabUpError, LabValidationError } from '../../src/lab/errors.js';
import { formatNamespaces } from '../../src/lab/format.js';
import { Lab } from '../../src/lab/lab.js';
import { statusText } from '../../src/lab/status.js';
import { FakeBackend } from '../helpers/lab-fake.js';

const EXAMPLES = ['01-veth-pair.json', '02-bridge.json', '03-router.json', '04-tbf.json', '05-netem.json', '07-router-nat.json'];
const example = (file: string): LabDescription => JSON.parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8'));

/** A lab on a fresh fake world, and that world's first snapshot. */
function setup(file: string | LabDescription, fake = new FakeBackend()) {
  const lab = Lab.from(typeof file === 'string' ? example(file) : file, fake);
  return { lab, fake, empty: fake.snapshot() };
}

test('up builds the lab, status says so, down leaves the world as it was', async () => {
  for (const f of EXAMPLES.slice(0, 4)) {
    const { lab, fake, empty } = setup(f);
    const r = await lab.up();
    assert.ok(r.changed);
    assert.is(r.steps, lab.plan.steps.length);
    const st = await lab.status();
    assert.ok(st.up, `${f}\n${statusText(st)}`);
    assert.is(st.counts.missing + st.counts.different + st.counts.extra, 0, statusText(st));
    assert.ok(st.recorded);
    assert.ok(fake.records.has(lab.name));
    const down = await lab.down();
    assert.ok(down.removed.length > 0);
    assert.equal(down.skipped, []);
    assert.is(fake.snapshot(), empty, f);
  }
});

test('what up made, in the fake world', async () => {
  const { lab, fake } = setup('03-router.json');
  await lab.up();
  const router = await fake.inspect('router-router', { sysctls: ['net.ipv4.ip_forward'] });
  assert.equal(router.sysctls, { 'net.ipv4.ip_forward': '1' });
  assert.equal(router.links.map((l) => `${l.name} ${l.up ? 'UP' : 'DOWN'} ${l.addresses.join(',')}`), ['lo UP 127.0.0.1/8,::1/128', 'to-red UP 10.0.1.1/24', 'to-blue UP 10.0.2.1/24']);
  const red = await fake.inspect('router-red', { sysctls: [] });
  assert.ok(red.routes.some((r) => r.to === '0.0.0.0/0' && r.via === '10.0.1.1' && r.dev === 'eth0'));
  assert.match(fake.dns.get('router-red')!.hosts!, /10\.0\.2\.2\tblue/);
  // Batches: one request per kind of change and namespace.
  assert.ok(fake.calls.includes('setLinksUp(router-router, 3)'));
  assert.ok(fake.calls.includes('addAddresses(router-router, 2)'));
});

test('a table of each namespace: links, state, addresses, routes', async () => {
  const { lab, fake } = setup('03-router.json');
  await lab.up();
  const states = await Promise.all(['router-red', 'router-router'].map(async (ns) => ({ ns, state: await fake.inspect(ns, { sysctls: [] }) })));
  assert.is(formatNamespaces(states), [
    'namespace router-red',
    '  link  kind  state  master  addresses',
    '  lo          UP             127.0.0.1/8 ::1/128',
    '  eth0  veth  UP             10.0.1.2/24',
    '  route        via       dev   proto',
    '  10.0.1.0/24            eth0  kernel',
    '  default      10.0.1.1  eth0  boot',
    '',
    'namespace router-router',
    '  link     kind  state  master  addresses',
    '  lo             UP             127.0.0.1/8 ::1/128',
    '  to-red   veth  UP             10.0.1.1/24',
    '  to-blue  veth  UP             10.0.2.1/24',
    '  route        via  dev      proto',
    '  10.0.1.0/24       to-red   kernel',
    '  10.0.2.0/24       to-blue  kernel',
  ].join('\n'));
  assert.match(formatNamespaces([{ ns: 'x', state: { links: [], routes: [], sysctls: {} } }]), /\(no routes\)/);
});

test('up twice: the second finds the lab up and changes nothing; down twice is safe', async () => {
  const { lab, fake, empty } = setup('02-bridge.json');
  await lab.up();
  const after = fake.snapshot();
  const changes = fake.changes;
  const again = await lab.up();
  assert.not.ok(again.changed);
  assert.is(fake.changes, changes);
  assert.is(fake.snapshot(), after);
  // Another Lab object (another process) for the same description sees the same.
  assert.not.ok((await Lab.from(example('02-bridge.json'), fake).up()).changed);
  await lab.down();
  const second = await lab.down();
  assert.equal(second, { removed: [], skipped: [] });
  assert.is(fake.snapshot(), empty);
});

test('fault injection: step k of n fails, for every k; nothing is left each time', async () => {
  for (const f of EXAMPLES.slice(0, 4)) {
    const n = Lab.from(example(f), new FakeBackend()).plan.steps.length;
    for (let k = 1; k <= n; k++) {
      const fake = new FakeBackend();
      const empty = fake.snapshot();
      fake.failAt = k;
      const lab = Lab.from(example(f), fake);
      const err = await lab.up().then(() => undefined, (e: unknown) => e);
      assert.instance(err, LabUpError, `${f} k=${k}`);
      const e = err as LabUpError;
      assert.is(e.step, k, `${f}: the k-th change is step k`);
      assert.is(e.steps, n);
      assert.equal(e.rollbackErrors, []);
      assert.match(e.message, new RegExp(`step ${k} of ${n} failed: .*injected fault at change ${k}.*everything it had made is removed again`));
      assert.ok(e.message.includes(lab.plan.steps[k - 1]!.what), e.message);
      assert.ok(e.message.includes(`(${lab.plan.steps[k - 1]!.source})`), e.message);
      assert.match(String((e.cause as Error).message), /injected fault/);
      assert.is(fake.snapshot(), empty, `${f}: something was left after a fault at step ${k}`);
      // And the lab can go up afterwards.
      fake.failAt = undefined;
      assert.ok((await lab.up()).changed);
      await lab.down();
      assert.is(fake.snapshot(), empty);
    }
  }
});

test('a kernel without netem: up stops before creating anything and names the qdisc', async () => {
  const { lab, fake, empty } = setup('05-netem.json');
  const err = await lab.up().then(() => undefined, (e: unknown) => e);
  assert.instance(err, LabError);
  assert.match((err as Error).message, /lab "netem": cannot go up, nothing was created:\n {2}this system has no netem qdisc \(the kernel lacks sch_netem\), needed by veths\[0\]\.a\.qdisc/);
  assert.is(fake.changes, 0);
  assert.is(fake.snapshot(), empty);
  assert.not.ok(fake.records.has('netem'));
});

test('a kernel that refuses a qdisc it claimed to have: rollback, and the message names the step', async () => {
  const fake = new FakeBackend();
  fake.unsupported = async () => ({ linkKinds: [], qdiscKinds: [] });
  const { lab, empty } = setup('05-netem.json', fake);
  const err = await lab.up().then(() => undefined, (e: unknown) => e) as LabUpError;
  assert.instance(err, LabUpError);
  assert.match(err.message, /step 10 of 10 failed: add netem qdisc to veth-red in netem-red \(veths\[0\]\.a\.qdisc\): ENOENT: Error: Specified qdisc kind is unknown \(netem\)/);
  assert.is(fake.snapshot(), empty);
});

test('names taken by someone else: up refuses, lists every conflict, touches nothing', async () => {
  const fake = new FakeBackend();
  await fake.createNamespace('bridge-ns2');
  await fake.addLinks(null, [{ kind: 'bridge', name: 'bridge-br0' }]);
  const { lab, empty } = setup('../test/fixtures/lab/bridge-root.json', fake);
  const err = await lab.up().then(() => undefined, (e: unknown) => e) as Error;
  assert.match(err.message, /namespace bridge-ns2 exists already, and no record says this lab made it/);
  assert.match(err.message, /link bridge-br0 exists already in the root namespace/);
  assert.is(fake.snapshot(), empty);
  // down has no record: it removes nothing, the foreign objects stay.
  assert.equal(await lab.down(), { removed: [], skipped: [] });
  assert.is(fake.snapshot(), empty);
});

test('down removes what the record lists, and a root link only with the lab alias', async () => {
  const { lab, fake } = setup('../test/fixtures/lab/bridge-root.json');
  await lab.up();
  // Someone replaced a port with a link of their own under the same name.
  await fake.deleteLink(null, 'bridge-ns3-br');
  await fake.addLinks(null, [{ kind: 'bridge', name: 'bridge-ns3-br', alias: 'mine' }]);
  const r = await lab.down();
  assert.equal(r.skipped, ['link bridge-ns3-br: its alias is "mine", not "netlink-ts lab bridge"']);
  assert.ok(r.removed.includes('namespace bridge-ns1') && r.removed.includes('link bridge-br0'));
  assert.ok((await fake.inspect(null, { sysctls: [] })).links.some((l) => l.name === 'bridge-ns3-br'));
});

test('down after the description changed still removes what the record lists', async () => {
  const fake = new FakeBackend();
  const empty = fake.snapshot();
  await Lab.from(example('03-router.json'), fake).up();
  const smaller = example('03-router.json');
  smaller.namespaces = smaller.namespaces.filter((n) => n.name !== 'blue').map((n) => ({ name: n.name }));
  smaller.veths = smaller.veths!.slice(0, 1);
  const lab = Lab.from(smaller, fake);
  const st = await lab.status();
  assert.ok(st.items.some((i) => i.state === 'extra' && i.what === 'namespace router-blue (recorded, no longer described)'), statusText(st));
  await lab.down();
  assert.is(fake.snapshot(), empty);
});

test('down without a record removes nothing; with force, what carries the lab names', async () => {
  const { lab, fake, empty } = setup('../test/fixtures/lab/bridge-root.json');
  await lab.up();
  fake.records.clear();
  assert.equal(await lab.down(), { removed: [], skipped: [] });
  const r = await lab.down({ force: true });
  assert.is(r.removed.length, 7);
  assert.is(fake.snapshot(), empty);
});

test('a half-made lab (a crash during up): up refuses, down cleans up', async () => {
  const { lab, fake, empty } = setup('03-router.json');
  // A process that died part way: its record is there, part of the lab is not.
  await lab.up();
  await fake.deleteNamespace('router-blue');
  await fake.removeDnsFiles('router-blue');
  const err = await lab.up().then(() => undefined, (e: unknown) => e) as Error;
  assert.is(err.message, 'lab "router": is partly up (missing: link to-blue in router-router; missing: namespace router-blue); run down() first');
  await lab.down();
  assert.is(fake.snapshot(), empty);
});

test('rollback that cannot remove something says so and keeps the record', async () => {
  const fake = new FakeBackend();
  fake.failAt = 5;
  fake.failRemoval.add('namespace pair-red');
  const lab = Lab.from(example('01-veth-pair.json'), fake);
  const err = await lab.up().then(() => undefined, (e: unknown) => e) as LabUpError;
  assert.is(err.rollbackErrors.length, 1);
  assert.match(err.message, /taking back what it had made failed 1 time\(s\): EBUSY: cannot remove namespace pair-red/);
  assert.ok(fake.records.has('pair'));
  fake.failRemoval.clear();
  const r = await lab.down();
  assert.equal(r.removed, ['namespace pair-red']);
  assert.not.ok(fake.records.has('pair'));
});

test('down that fails part way reports it and can be repeated', async () => {
  const { lab, fake, empty } = setup('03-router.json');
  await lab.up();
  fake.failRemoval.add('dns router-red');
  const err = await lab.down().then(() => undefined, (e: unknown) => e) as Error;
  assert.match(err.message, /down removed 4 thing\(s\) but failed 1 time\(s\): EBUSY: cannot remove \/etc\/netns\/router-red; the record is kept/);
  fake.failRemoval.clear();
  assert.equal((await lab.down()).removed, ['/etc/netns/router-red']);
  assert.is(fake.snapshot(), empty);
});

test('status: missing, different and extra, each named', async () => {
  const { lab, fake } = setup('03-router.json');
  assert.not.ok((await lab.status()).up);
  assert.equal((await lab.status()).counts, { ok: 0, missing: 3, extra: 0, different: 0 });
  await lab.up();
  const red = fake.spaces.get('router-red')!;
  red.links.get('eth0')!.addresses = ['10.0.1.2/24', '10.0.1.9/24', 'fe80::1/64'];
  red.links.get('lo')!.up = false;
  red.routes = [];
  fake.spaces.get('router-router')!.sysctls.set('net.ipv4.ip_forward', '0');
  fake.spaces.get('router-router')!.links.get('to-blue')!.addresses = [];
  await fake.addLinks('router-router', [{ kind: 'veth', name: 'stray', peer: { name: 'stray2', ns: 'router-router' } }]);
  fake.dns.set('router-blue', { hosts: 'changed' });
  const st = await lab.status();
  const got = st.items.filter((i) => i.state !== 'ok').map((i) => `${i.state} ${i.what}${i.want ? ` (${i.want}/${i.got})` : ''}`);
  assert.equal(got.sort(), [
    'different /etc/netns/router-blue/hosts',
    'different lo in router-red (up/down)',
    'different sysctl net.ipv4.ip_forward in router-router (1/0)',
    'extra address 10.0.1.9/24 on eth0 in router-red',
    'extra veth stray in router-router',
    'extra veth stray2 in router-router',
    'missing address 10.0.2.1/24 on to-blue in router-router',
    'missing route default via 10.0.1.1 in router-red',
  ]);
  assert.not.ok(st.up);
  assert.match(statusText(st), /lab router: \d+ ok, 2 missing, 3 different, 3 extra\n {2}different lo in router-red: want up, got down {2}\[namespaces\[0\]\.loopback\]/);
});

test('status of links: kind, master, state, mtu, mac, alias, qdisc', async () => {
  const d: LabDescription = {
    name: 's', namespaces: [{ name: 'a' }],
    bridges: [{ name: 'br' }],
    veths: [{ a: { name: 'p', bridge: 'br' }, b: { name: 'e', namespace: 'a', mtu: 1400, mac: '02:00:00:00:00:01', qdisc: { kind: 'tbf', rate: '1mbit', burst: '10kb', latency: '50ms' } } }],
  };
  const { lab, fake } = setup(d);
  await lab.up();
  assert.ok((await lab.status()).up);
  const e = fake.spaces.get('s-a')!.links.get('e')!;
  e.mtu = 1500;
  e.mac = '02:00:00:00:00:02';
  delete e.qdisc;
  const root = fake.spaces.get('\0root')!;
  delete root.links.get('s-p')!.master;
  root.links.get('s-br')!.alias = 'other';
  root.links.get('s-br')!.up = false;
  const got = (await lab.status()).items.filter((i) => i.state !== 'ok').map((i) => `${i.state} ${i.what} (${i.want}/${i.got})`);
  assert.equal(got, [
    'different mtu of link e in s-a (1400/1500)',
    'different mac of link e in s-a (02:00:00:00:00:01/02:00:00:00:00:02)',
    'different qdisc of link e in s-a (tbf/noqueue)',
    'different state of link s-br in the root namespace (up/down)',
    'different alias of link s-br in the root namespace (netlink-ts lab s/other)',
    'different master of link s-p in the root namespace (s-br/none)',
  ]);
});

test('exec runs in the lab namespace by its lab name', async () => {
  const { lab, fake } = setup('01-veth-pair.json');
  const seen: string[] = [];
  fake.exec = async (ns, argv) => {
    seen.push(`${ns} ${argv.join(' ')}`);
    return { code: 0, signal: null, stdout: 'hi\n', stderr: '' };
  };
  assert.is((await lab.exec('red', ['echo', 'hi'])).stdout, 'hi\n');
  await lab.exec(null, ['true']);
  assert.equal(seen, ['pair-red echo hi', 'null true']);
  const err = await lab.exec('green', ['true']).then(() => undefined, (e: unknown) => e) as Error;
  assert.match(err.message, /lab "pair": has no namespace "green" \(it has red, blue\)/);
});

test('an invalid description never makes a Lab', () => {
  const d = example('01-veth-pair.json');
  d.veths![0]!.b.namespace = 'blu';
  assert.throws(() => Lab.from(d, new FakeBackend()), (e: unknown) => e instanceof LabValidationError &&
    e.message === 'the lab description has 1 problem:\n  veths[0].b.namespace: unknown namespace "blu" (did you mean "blue"?)');
});

/** A stand-in for `process`: events we emit, exits we record. */
class FakeProcess extends EventEmitter implements ProcessHooks {
  exits: (number | undefined)[] = [];
  exit(code?: number): void {
    this.exits.push(code);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 5));

test('Ctrl-C while going up: the build stops before its next step, takes back what it made, then the process ends (130)', async () => {
  for (const [event, code, cleanupOnExit] of [['SIGINT', 130, true], ['SIGTERM', 143, true], ['SIGINT', 130, false]] as const) {
    const proc = new FakeProcess();
    const fake = new FakeBackend();
    const empty = fake.snapshot();
    const lab = new Lab(example('03-router.json'), fake, { cleanupOnExit, process: proc });
    // The signal arrives while the links are being made (after the namespaces exist).
    const addLinks = fake.addLinks.bind(fake);
    let sent = false;
    fake.addLinks = async (ns, links) => {
      await addLinks(ns, links);
      if (!sent) { sent = true; proc.emit(event); }
    };
    const err = await lab.up().then(() => undefined, (e: unknown) => e);
    assert.instance(err, LabUpError, event);
    assert.match((err as Error).message, /interrupted: the process is ending; everything it had made is removed again/);
    await settle();
    assert.is(fake.snapshot(), empty, `${event}: nothing left`);
    assert.equal(proc.exits, [code], `${event}: the process ends as the signal would have ended it`);
    assert.is(proc.listenerCount('SIGINT'), 0, 'no hooks left');
  }
  // The signal during the last step: the lab is up; removed again before the end with cleanupOnExit, kept without.
  for (const cleanupOnExit of [true, false]) {
    const proc = new FakeProcess();
    const fake = new FakeBackend();
    const empty = fake.snapshot();
    const lab = new Lab(example('01-veth-pair.json'), fake, { cleanupOnExit, process: proc });
    // It arrives during the last change (the count of changes comes from a run without it).
    const dry = new FakeBackend();
    await new Lab(example('01-veth-pair.json'), dry).up();
    const changers = ['createNamespace', 'addLinks', 'setMasters', 'setLinksUp', 'addAddresses', 'addRoutes', 'setSysctls', 'addQdiscs', 'writeDnsFiles'] as const;
    let sent = false;
    for (const m of changers) {
      const inner = (fake[m] as (...a: unknown[]) => Promise<void>).bind(fake);
      (fake as unknown as Record<string, unknown>)[m] = async (...a: unknown[]) => {
        await inner(...a);
        if (!sent && fake.changes === dry.changes) { sent = true; proc.emit('SIGINT'); }
      };
    }
    const report = await lab.up();
    assert.ok(sent && report.changed, 'the last change was made, and up() says so');
    await settle();
    if (cleanupOnExit) assert.is(fake.snapshot(), empty, 'removed by the pending cleanup');
    else assert.ok((await lab.status()).up, 'left up: nobody asked for its removal');
    assert.equal(proc.exits, [130]);
  }
});

test('cleanup on exit: SIGINT, SIGTERM, uncaught errors, end of program; removed after down', async () => {
  for (const [event, code] of [['SIGINT', 130], ['SIGTERM', 143], ['uncaughtException', 1], ['unhandledRejection', 1], ['beforeExit', undefined]] as const) {
    const proc = new FakeProcess();
    const fake = new FakeBackend();
    const empty = fake.snapshot();
    const lab = new Lab(example('01-veth-pair.json'), fake, { cleanupOnExit: true, process: proc });
    const errors: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => { errors.push(s); return true; }) as typeof process.stderr.write;
    try {
      await lab.up();
      assert.is(proc.listenerCount('SIGINT'), 1);
      proc.emit(event, new Error('boom'));
      await settle();
    } finally {
      process.stderr.write = write;
    }
    assert.is(fake.snapshot(), empty, event);
    assert.equal(proc.exits, code === undefined ? [] : [code], event);
    assert.is(proc.listenerCount('SIGINT'), 0, 'hooks are gone once the lab is down');
    if (event === 'uncaughtException') assert.ok(errors.some((e) => e.includes('boom')), 'the error is still printed');
  }
  // down() by hand removes the hooks; process.exit() while up leaves a warning.
  const proc = new FakeProcess();
  const lab = new Lab(example('01-veth-pair.json'), new FakeBackend(), { cleanupOnExit: true, process: proc });
  await lab.up();
  await lab.up();
  assert.is(proc.listenerCount('exit'), 1);
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => { lines.push(s); return true; }) as typeof process.stderr.write;
  try {
    proc.emit('exit', 0);
  } finally {
    process.stderr.write = write;
  }
  assert.match(lines.join(''), /lab "pair" was left in place/);
  await lab.down();
  assert.is(proc.listenerCount('exit'), 0);
});

test('await using: the lab goes down at the end of the block', async () => {
  const fake = new FakeBackend();
  const empty = fake.snapshot();
  {
    await using lab = Lab.from(example('01-veth-pair.json'), fake);
    await lab.up();
    assert.is.not(fake.snapshot(), empty);
  }
  assert.is(fake.snapshot(), empty);
});

test.run();
