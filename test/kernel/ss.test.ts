// netlink-ts ss against iproute2's ss on the same sockets: real sockets made
// by a child in a namespace of its own (test/helpers/diag-sockets.ts), both
// tools run in it through nsenter, their text compared line for line. Also
// the library there (SockDiag opened by the child's pid), the kernel-side
// filter, and killing a connected TCP socket.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SockDiag } from '../../src/diag/client.js';
import type { InetSocket } from '../../src/diag/types.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { cli } from '../helpers/cli-path.js';
import { rejects } from '../helpers/expect.js';
import { waitFor } from '../helpers/settle.js';
import { requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

const childScript = fileURLToPath(new URL('../helpers/diag-sockets.js', import.meta.url));

interface Child { proc: ChildProcessWithoutNullStreams; pid: number; clientPort: number; packet: boolean; lines: string[] }

async function startChild(): Promise<Child> {
  const proc = spawn('unshare', ['--net', process.execPath, childScript], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, nl)); buf = buf.slice(nl + 1); }
  });
  proc.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const first = await waitFor(() => lines[0] ?? (proc.exitCode !== null ? `exit ${proc.exitCode}` : undefined), { what: 'the socket child', timeoutMs: 20_000 });
  if (!first.startsWith('{')) throw new Error(`the socket child failed: ${first} ${err}`);
  const info = JSON.parse(first) as { clientPort: number; packet: boolean };
  // unshare execs node, so the child's pid is the namespace's.
  return { proc, pid: proc.pid!, clientPort: info.clientPort, packet: info.packet, lines };
}

let child: Child;

test.before(async () => { child = await startChild(); });
test.after(async () => {
  child.proc.stdin.end();
  await waitFor(() => child.proc.exitCode !== null, { what: 'the socket child to exit' });
});

const inChild = (cmd: string, args: readonly string[]): string => run('nsenter', ['-t', String(child.pid), '-n', cmd, ...args]);
/** Each tool's own sock_diag socket (netlink protocol 4) is the one row the two cannot share. */
const ownDiagSocket = /^(nl\s+)?UNCONN\s+\d+\s+\d+\s+4:\d+\s/;
const lines = (text: string): string[] => text.split('\n').filter((l) => !ownDiagSocket.test(l));

const CASES: readonly string[][] = [
  ['-wan'], ['-wanp'], ['-wae'], ['-w', '-l', 'sport', '=', ':1'],
  ['-tan'], ['-t'], ['-tln'], ['-uan'], ['-u'], ['-xan'], ['-x'], ['-xe'], ['-xm'], ['-Htan'], ['-4an'], ['-6an'],
  ['-tne'], ['-tnm'], ['-tno'], ['-tanp'], ['-l'], ['-a'], ['-0a'], ['-f', 'netlink', '-a'], ['-a', '-A', 'inet,unix'],
  ['-tan', 'state', 'established'], ['-tan', 'state', 'connected'], ['-tan', 'state', 'listening', 'state', 'established'],
  ['-an', 'exclude', 'listening'], ['-tan', 'sport', '=', ':8080'], ['-tan', 'dport', 'eq', ':8080'],
  ['-tan', '(', 'sport', '=', ':8080', 'or', 'dport', '=', ':8080', ')', 'and', 'not', 'src', '198.18.0.1:8080'],
  ['-tan', 'dst', '198.18.0.0/15'], ['-tan', 'src', '[fd00::1]'], ['-tan', 'sport', '>', ':9000'], ['-tan', 'sport', '<=', ':9090'],
  ['-uan', 'dport', '=', ':5353'], ['-an', 'sport', '!=', ':8080'], ['-xan', 'src', '*'],
];

test('ss -n and netlink-ts ss -n print the same lines for the same sockets', () => {
  const differ: string[] = [];
  for (const args of CASES) {
    const want = lines(inChild('ss', ['-n', ...args]));
    const got = lines(inChild(process.execPath, [cli, 'ss', '-n', ...args]));
    if (JSON.stringify(want) !== JSON.stringify(got)) differ.push(`ss -n ${args.join(' ')}\n--- ss\n${want.join('\n')}\n--- netlink-ts\n${got.join('\n')}`);
  }
  assert.equal(differ, [], differ.join('\n\n'));
  // The comparison saw the sockets, not two empty tables.
  const all = inChild(process.execPath, [cli, 'ss', '-n', '-a']);
  for (const want of ['198.18.0.1:8080', `198.18.0.1:${child.clientPort}`, '*:9090', '[::]:9091', '[fd00::1]:5354', 'stream.sock', '@netlink-ts-ss-test']) {
    assert.ok(all.includes(want), `${want} in\n${all}`);
  }
  if (child.packet) assert.match(all, /^p_raw\s+UNCONN/m);
  else console.log('  no packet socket in this tier (no CAP_NET_RAW)');
});

test('-i and -e -m: the same fields as ss in the same order (values that tick are compared by name)', () => {
  const shape = (t: string): string[] => lines(t).map((l) => l.replace(/:\d+(\.\d+)?(\/\d+(\.\d+)?)?/g, ':N').replace(/ \d+bps/g, ' Nbps').replace(/\d+/g, 'N').replace(/ +/g, ' ').trimEnd());
  for (const args of [['-tin'], ['-tinmo'], ['-tnem', 'state', 'established']]) {
    assert.equal(shape(inChild(process.execPath, [cli, 'ss', ...args])), shape(inChild('ss', args)), args.join(' '));
  }
});

test('--json: the same sockets as objects (cookies as hex, users from /proc)', () => {
  const rows = JSON.parse(inChild(process.execPath, [cli, 'ss', '-tanp', '--json'])) as { state: string; local: { address: string; port: number }; cookie: string; users?: { name: string; pid: number; fd: number }[] }[];
  const listener = rows.find((r) => r.state === 'listening' && r.local.port === 8080);
  assert.ok(listener, JSON.stringify(rows));
  assert.match(listener!.cookie, /^[0-9a-f]+$/);
  assert.is(listener!.users?.[0]?.pid, child.pid);
  assert.is(rows.length, lines(inChild('ss', ['-tanH'])).filter((l) => l !== '').length);
});

test('the library in the child namespace: sockets, states, filters run by the kernel', async () => {
  using d = SockDiag.open({ netns: { pid: child.pid } });
  const tcp = (await d.list({ protocols: ['tcp'], families: [4], extensions: { info: true, memory: true } })) as InetSocket[];
  const text = (s: InetSocket): string => `${s.state} ${s.local.address}:${s.local.port} ${s.remote.address}:${s.remote.port}`;
  assert.equal(tcp.map(text).sort(), [
    `established 198.18.0.1:${child.clientPort} 198.18.0.1:8080`,
    `established 198.18.0.1:8080 198.18.0.1:${child.clientPort}`,
    'listening 198.18.0.1:8080 0.0.0.0:0',
  ]);
  for (const s of tcp) {
    assert.ok(s.inode > 0 && s.cookie > 0n, text(s));
    assert.ok(s.tcpInfo && s.tcpInfo.tcpi_state === s.stateNumber, `tcp_info of ${text(s)}`);
    assert.ok(s.memory && s.memory.rcvbuf > 0, `memory of ${text(s)}`);
    assert.type(s.congestion, 'string');
  }
  const established = tcp.filter((s) => s.state === 'established');
  assert.ok(established.every((s) => s.tcpInfo!.tcpi_snd_wscale > 0), 'window scaling negotiated on lo');
  const ports = async (filter: Parameters<SockDiag['list']>[0]): Promise<string[]> =>
    ((await d.list(filter)) as InetSocket[]).map((s) => `${s.local.port}>${s.remote.port}`).sort();
  assert.equal(await ports({ protocols: ['tcp'], filter: { dport: 8080 } }), [`${child.clientPort}>8080`]);
  assert.equal(await ports({ protocols: ['tcp'], states: ['listening'], filter: { sport: 9000, op: 'ge' } }), ['9090>0', '9091>0']);
  assert.equal(await ports({ protocols: ['tcp'], states: ['connected'], filter: { not: { src: '198.18.0.1', port: 8080 } } }), [`${child.clientPort}>8080`]);
  assert.equal(await ports({ protocols: ['udp'], filter: { or: [{ src: 'fd00::/8' }, { dst: '198.18.0.0/15' }] } }), ['5354>5353']);
  const unix = await d.list({ protocols: ['unix'], states: ['all'] });
  assert.ok(unix.some((s) => s.kind === 'unix' && s.type === 'dgram' && s.name === '@netlink-ts-ss-test'));
  assert.ok(unix.some((s) => s.kind === 'unix' && s.type === 'stream' && s.state === 'listening' && s.name?.endsWith('stream.sock')));
  // Streaming gives the same sockets.
  const streamed: string[] = [];
  for await (const s of d.stream({ protocols: ['tcp'], families: [4] })) streamed.push(text(s as InetSocket));
  assert.equal(streamed.sort(), tcp.map(text).sort());
});

test('bad filters are refused in the caller\'s words before anything is sent', async () => {
  using d = SockDiag.open({ netns: { pid: child.pid } });
  const untyped = d.list.bind(d) as (f: unknown) => Promise<unknown>;
  await rejects(() => untyped({ filter: { sport: 70000 } }), (e) => e instanceof EncodeError && /filter\.sport: expected a port 0\.\.65535, got 70000/.test(e.message));
  await rejects(() => untyped({ filter: { src: '198.18.0.0/33' } }), (e) => e instanceof EncodeError && /prefix length "33"/.test(e.message));
  await rejects(() => untyped({ filter: { and: [] } }), (e) => /filter\.and: expected a non-empty array/.test(e.message));
  await rejects(() => untyped({ states: ['establised'] }), (e) => /wrong state name: establised/.test(e.message));
  await rejects(() => untyped({ protocols: ['sctp'] }), (e) => /unknown protocol "sctp"/.test(e.message));
  const r = spawnResult(['ss', '-tan', 'sport', '=', ':http']);
  assert.match(r, /ss: bad filter: ":http" is not a port number/);
});

function spawnResult(args: string[]): string {
  try {
    return inChild(process.execPath, [cli, ...args]);
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
}

test('-K closes the connected TCP socket it lists; the owner sees it closed and ss no longer lists it', async () => {
  const out = inChild(process.execPath, [cli, 'ss', '-K', '-tn', 'sport', '=', `:${child.clientPort}`]);
  assert.match(out, new RegExp(`198\\.18\\.0\\.1:${child.clientPort}\\s+198\\.18\\.0\\.1:8080`));
  await waitFor(() => child.lines.includes(`closed ${child.clientPort}`), { what: 'the child to see its socket closed' });
  assert.not.match(inChild('ss', ['-tan']), new RegExp(`:${child.clientPort}\\s+198\\.18\\.0\\.1:8080`));
});

test.run();
