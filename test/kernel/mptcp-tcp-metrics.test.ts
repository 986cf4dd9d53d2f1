// mptcp_pm and tcp_metrics beside iproute2 (6.1): endpoints and limits made
// by either are seen the same by both (text and -j), path-manager events of
// a real MPTCP connection print as ip mptcp monitor prints them, and the TCP
// metrics the kernel keeps from real connections between 198.18 addresses
// print, delete and flush as ip tcp_metrics does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import * as net from 'node:net';
import { MptcpApi } from '../../src/mptcp/client.js';
import { TcpMetricsApi } from '../../src/tcp-metrics/client.js';
import { cli } from '../helpers/cli-path.js';
import { rejects } from '../helpers/expect.js';
import { waitFor } from '../helpers/settle.js';
import { ip, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('mptcp endpoints and limits: made by netlink-ts or ip, shown the same by both', async () => {
  ip('link', 'set', 'lo', 'up');
  // A signal endpoint with a port listens on it: the address must be local.
  ip('address', 'add', '198.18.3.2/32', 'dev', 'lo');
  using api = MptcpApi.open();
  try {
    ours('mptcp', 'endpoint', 'add', '198.18.3.1', 'id', '3', 'signal', 'dev', 'lo');
    ours('mptcp', 'endpoint', 'add', 'fd00::31', 'subflow', 'backup');
    ip('mptcp', 'endpoint', 'add', '198.18.3.2', 'port', '1234', 'signal');
    ip('mptcp', 'endpoint', 'add', '198.18.3.9', 'id', '9', 'subflow', 'fullmesh');
    for (const w of [['show'], ['show', 'id', '3'], ['show', 'id', '9']]) {
      assert.is(ours('mptcp', 'endpoint', ...w), ip('mptcp', 'endpoint', ...w), w.join(' '));
      assert.equal(JSON.parse(ours('-j', 'mptcp', 'endpoint', ...w)), JSON.parse(ip('-j', 'mptcp', 'endpoint', ...w)), `-j ${w.join(' ')}`);
    }
    const eps = await api.endpoints();
    assert.equal(eps.find((e) => e.id === 9), { address: '198.18.3.9', id: 9, flags: ['subflow', 'fullmesh'] });
    assert.equal(eps.find((e) => e.port === 1234)?.flags, ['signal']);

    ours('mptcp', 'endpoint', 'change', 'id', '9', 'nofullmesh');
    assert.match(ip('mptcp', 'endpoint', 'show', 'id', '9'), /^198\.18\.3\.9 id 9 subflow \n$/);
    ours('mptcp', 'endpoint', 'delete', 'id', '3');
    assert.not.match(ip('mptcp', 'endpoint', 'show'), /198\.18\.3\.1 /);

    ours('mptcp', 'limits', 'set', 'subflows', '3', 'add_addr_accepted', '4');
    assert.is(ours('mptcp', 'limits', 'show'), ip('mptcp', 'limits', 'show'));
    assert.equal(await api.limits(), { subflows: 3, addAddrAccepted: 4 });
    ip('mptcp', 'limits', 'set', 'subflows', '1');
    assert.equal(JSON.parse(ours('-j', 'mptcp', 'limits', 'show')), { add_addr_accepted: 4, subflows: 1 });

    await rejects(() => api.addEndpoint({ address: '198.18.3.300' }), (e) => /not a valid IP address/.test(e.message));
    await rejects(() => api.addEndpoint({ address: '198.18.3.7', flags: ['signal', 'nope' as never] }), (e) => /"nope" is not an endpoint flag/.test(e.message));
  } finally {
    await api.flushEndpoints();
    ip('mptcp', 'limits', 'set', 'subflows', '2', 'add_addr_accepted', '0');
    ip('address', 'del', '198.18.3.2/32', 'dev', 'lo');
  }
  assert.is(ip('mptcp', 'endpoint', 'show'), '');
});

const python = ['/usr/bin/python3', '/bin/python3'].find(existsSync);

// One MPTCP connection over lo: Node cannot open IPPROTO_MPTCP sockets, Python can.
const MPTCP_CONNECT = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); s.bind(('198.18.3.1', 0)); s.listen(1)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); c.connect(s.getsockname())
a, _ = s.accept(); c.sendall(b'x'); a.recv(1); c.close(); a.close(); s.close()
`;

function watch(cmd: string, args: string[]): { child: ChildProcess; lines: () => string[] } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { text += d; });
  return { child, lines: () => text.split('\n').filter(Boolean) };
}

(python ? test : test.skip)('mptcp monitor prints a connection\'s events as ip mptcp monitor does', async () => {
  ip('link', 'set', 'lo', 'up');
  ip('address', 'add', '198.18.3.1/32', 'dev', 'lo');
  const theirs = watch('ip', ['mptcp', 'monitor']);
  const mine = watch(process.execPath, [cli, 'mptcp', 'monitor']);
  try {
    // Until both are listening: connections until each has printed a CLOSED.
    await waitFor(() => {
      execFileSync(python!, ['-c', MPTCP_CONNECT]);
      return theirs.lines().some((l) => l.includes('CLOSED]')) && mine.lines().some((l) => l.includes('CLOSED]'));
    }, { timeoutMs: 10_000, what: 'both monitors to print events' });
    const [t0, m0] = [theirs.lines().length, mine.lines().length];
    execFileSync(python!, ['-c', MPTCP_CONNECT]);
    const closed = (ls: string[]): number => ls.filter((l) => l.includes('CLOSED]')).length;
    await waitFor(() => closed(theirs.lines().slice(t0)) >= 2 && closed(mine.lines().slice(m0)) >= 2 && theirs.lines().length - t0 === mine.lines().length - m0,
      { what: 'the events of one connection in both' });
    const got = mine.lines().slice(m0);
    assert.equal(got, theirs.lines().slice(t0));
    assert.ok(got.some((l) => /^\[ {7}CREATED\] token=[0-9a-f]{8} .*saddr4=198\.18\.3\.1/.test(l)), got.join('\n'));
  } finally {
    theirs.child.kill();
    mine.child.kill();
    await Promise.all([theirs.child.exitCode === null ? once(theirs.child, 'exit') : undefined, mine.child.exitCode === null ? once(mine.child, 'exit') : undefined]);
    ip('address', 'del', '198.18.3.1/32', 'dev', 'lo');
  }
});

/** A TCP connection from `from` to `to` that carries some data and closes: the kernel keeps metrics for both ends. */
async function connectOnce(from: string, to: string): Promise<void> {
  const server = net.createServer((s) => { s.on('data', () => {}); s.on('end', () => s.end()); });
  server.listen(0, to);
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const c = net.connect({ host: to, port, localAddress: from });
  await once(c, 'connect');
  c.end(Buffer.alloc(65536, 1));
  await once(c, 'close');
  server.close();
  await once(server, 'close');
}

const noAge = (s: string): string => s.replace(/ age [\d.]+sec/g, ' age Xsec');

// Deleting needs CAP_NET_ADMIN over the initial user namespace (the family's
// GENL_ADMIN_PERM): in the unprivileged tier only the reads are compared.
const realRoot = process.env.NETLINK_TS_TEST_USERNS !== '1';

test('tcp_metrics of real connections: show (text, -j, filters), delete and flush as ip tcp_metrics', async () => {
  ip('link', 'set', 'lo', 'up');
  for (const a of ['198.18.4.1/32', '198.18.4.2/32', '198.18.5.1/32']) ip('address', 'add', a, 'dev', 'lo');
  ip('address', 'add', 'fd00::41/128', 'dev', 'lo', 'nodad');
  using api = TcpMetricsApi.open();
  try {
    if (realRoot) ip('tcp_metrics', 'flush', 'all');
    await connectOnce('198.18.4.2', '198.18.4.1');
    await connectOnce('198.18.4.1', '198.18.5.1');
    await connectOnce('fd00::41', 'fd00::41');
    await waitFor(async () => (await api.list()).length >= 4, { what: 'metrics of three connections' });
    for (const w of [[], ['198.18.4.0/24'], ['src', '198.18.4.1'], ['address', '198.18.5.1']]) {
      assert.is(noAge(ours('tcp_metrics', 'show', ...w)), noAge(ip('tcp_metrics', 'show', ...w)), `show ${w.join(' ')}`);
    }
    assert.is(noAge(ours('-6', 'tcp_metrics', 'show')), noAge(ip('-6', 'tcp_metrics', 'show')));
    const strip = (rows: Record<string, unknown>[]): Record<string, unknown>[] => rows.map(({ age: _a, ...r }) => r);
    assert.equal(strip(JSON.parse(ours('-j', 'tcp_metrics', 'show'))), strip(JSON.parse(ip('-j', 'tcp_metrics', 'show'))));

    const one = await api.get('198.18.5.1');
    assert.ok(one && one.source === '198.18.4.1' && (one.rttUs ?? 0) > 0, JSON.stringify(one));

    await rejects(() => api.list({ dst: '198.18.4.0/99' }), (e) => /prefix length "99"/.test(e.message));
    if (!realRoot) {
      await rejects(() => api.delete('198.18.5.1'), (e) => (e as { code?: string }).code === 'EPERM');
      return;
    }
    ours('tcp_metrics', 'delete', '198.18.5.1');
    assert.not.match(ip('tcp_metrics', 'show'), /^198\.18\.5\.1 /m);
    assert.is(await api.get('198.18.5.1'), undefined);
    ours('tcp_metrics', 'flush', '198.18.4.0/24');
    assert.not.match(ip('tcp_metrics', 'show'), /^198\.18\./m);
    assert.match(ip('tcp_metrics', 'show'), /^fd00::41 /m);
    ours('tcp_metrics', 'flush', 'all');
    assert.is(ip('tcp_metrics', 'show'), '');
  } finally {
    for (const a of ['198.18.4.1/32', '198.18.4.2/32', '198.18.5.1/32']) ip('address', 'del', a, 'dev', 'lo');
    ip('address', 'del', 'fd00::41/128', 'dev', 'lo');
  }
});

test.run();
