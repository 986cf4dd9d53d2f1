// The probe script over loopback: no namespace needed.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firstLine, probeCommand } from '../../src/lab/connectivity.js';
import { type ProbeReady, type ProbeResult, send, tcpProbe, udpProbe } from '../../src/lab/probe.js';

const run = promisify(execFile);
const [node, script] = probeCommand() as [string, string];

let server: ChildProcessWithoutNullStreams;
let ready: ProbeReady;

/** A port nothing listens on (taken, then given back). */
async function freePort(kind: 'udp' | 'tcp'): Promise<number> {
  if (kind === 'tcp') {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));
    return port;
  }
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(r));
  return port;
}

async function hasIPv6Loopback(): Promise<boolean> {
  const srv = createServer();
  try {
    await new Promise<void>((resolve, reject) => { srv.once('error', reject); srv.listen(0, '::1', resolve); });
    return true;
  } catch {
    return false;
  } finally {
    srv.close();
  }
}

test.before(async () => {
  server = spawn(node, [script, 'serve', '--stdin', '--timeout', '30000']);
  ready = JSON.parse(await firstLine(server.stdout, 10_000)) as ProbeReady;
});

test.after(() => {
  server.kill();
});

test('serve says where it listens', () => {
  assert.is(ready.ready, true);
  assert.ok(ready.udp > 0 && ready.udp < 65536);
  assert.ok(ready.tcp > 0 && ready.tcp < 65536);
});

test('UDP and TCP echo over 127.0.0.1, with round-trip times', async () => {
  const [r] = await send({ targets: [{ address: '127.0.0.1', udp: ready.udp, tcp: ready.tcp }], timeoutMs: 2000 });
  assert.is(r!.address, '127.0.0.1');
  assert.ok(r!.udp!.ok, JSON.stringify(r));
  assert.ok(r!.tcp!.ok, JSON.stringify(r));
  assert.ok(r!.udp!.rttMs! >= 0 && r!.udp!.rttMs! < 2000);
  assert.ok(r!.tcp!.rttMs! >= 0 && r!.tcp!.connectMs! >= 0);
});

test('over ::1 too, where the machine has IPv6', async () => {
  if (!(await hasIPv6Loopback())) return;
  const [r] = await send({ targets: [{ address: '::1', udp: ready.udp, tcp: ready.tcp }], timeoutMs: 2000 });
  assert.ok(r!.udp!.ok && r!.tcp!.ok, JSON.stringify(r));
});

test('a closed port is refused, quickly', async () => {
  const t0 = Date.now();
  const tcp = await tcpProbe('127.0.0.1', await freePort('tcp'), 3000);
  const udp = await udpProbe('127.0.0.1', await freePort('udp'), 3000);
  assert.equal(tcp, { ok: false, error: 'ECONNREFUSED' });
  assert.equal(udp, { ok: false, error: 'ECONNREFUSED' });
  assert.ok(Date.now() - t0 < 2500, 'refusals come back before the timeout');
});

test('no answer is a timeout, within the time asked', async () => {
  // A UDP socket and a TCP server on loopback that take everything and say nothing.
  const mute = createSocket('udp4');
  await new Promise<void>((r) => mute.bind(0, '127.0.0.1', r));
  const silent = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const t0 = Date.now();
    const [r] = await send({ targets: [{ address: '127.0.0.1', udp: mute.address().port, tcp: (silent.address() as { port: number }).port }], timeoutMs: 300 });
    assert.equal(r!.udp, { ok: false, error: 'timeout' });
    assert.is(r!.tcp!.error, 'timeout');
    assert.ok(r!.tcp!.connectMs! >= 0, 'it did connect');
    assert.ok(Date.now() - t0 < 1500);
  } finally {
    mute.close();
    silent.close();
  }
});

test('the script: send prints JSON for every target; bad words exit 2', async () => {
  const req = { targets: [{ address: '127.0.0.1', udp: ready.udp, tcp: ready.tcp }, { address: '127.0.0.1', tcp: await freePort('tcp') }], timeoutMs: 2000 };
  const { stdout } = await run(node, [script, 'send', JSON.stringify(req)]);
  const { results } = JSON.parse(stdout) as { results: ProbeResult[] };
  assert.is(results.length, 2);
  assert.ok(results[0]!.udp!.ok && results[0]!.tcp!.ok);
  assert.is(results[1]!.udp, undefined);
  assert.equal(results[1]!.tcp, { ok: false, error: 'ECONNREFUSED' });
  const bad = await run(node, [script, 'frobnicate']).then(() => 0, (e: { code: number }) => e.code);
  assert.is(bad, 2);
});

test('serve --address: UDP answers on the addresses given, and only there', async () => {
  const s = spawn(node, [script, 'serve', '--stdin', '--address', '127.0.0.2']);
  try {
    const r = JSON.parse(await firstLine(s.stdout, 10_000)) as ProbeReady;
    const { stdout } = await run(node, [script, 'send', JSON.stringify({ targets: [{ address: '127.0.0.2', udp: r.udp }, { address: '127.0.0.1', udp: r.udp }], timeoutMs: 2000 })]);
    const { results } = JSON.parse(stdout) as { results: ProbeResult[] };
    assert.ok(results[0]!.udp!.ok, 'the address given');
    assert.not.ok(results[1]!.udp!.ok, 'not another of the machine\'s');
  } finally {
    s.stdin.end();
  }
  const bad = await run(node, [script, 'serve', '--address', 'nope']).then(() => 0, (e: { code: number }) => e.code);
  assert.is(bad, 1, 'not an address');
});

test('the server ends when its stdin closes', async () => {
  const s = spawn(node, [script, 'serve', '--stdin']);
  JSON.parse(await firstLine(s.stdout, 10_000));
  const code = new Promise((r) => s.on('exit', r));
  s.stdin.end();
  assert.is(await code, 0);
});

test.run();
