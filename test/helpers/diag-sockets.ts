// The sockets the ss kernel tests list, made in a network namespace of their
// own (run under `unshare --net`), so that nothing else in the test
// namespace changes what ss and netlink-ts see between their two reads:
// TCP listening and connected over 198.18.0.1 and IPv6, UDP bound and
// connected, UNIX stream (listening and connected) and datagram (abstract),
// and a packet socket. Prints one JSON line when ready, then reports
// "closed PORT" when a TCP connection it holds is closed from outside (the
// kill test), and exits when its standard input ends.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bind, close, socket } from '../../src/ffi/libc.js';
import { AF_INET, AF_INET6, AF_PACKET, AF_UNIX, SOCK_DGRAM, SOCK_RAW } from '../../src/generated/libc/socket.js';

execFileSync('ip', ['link', 'set', 'lo', 'up']);
execFileSync('ip', ['addr', 'add', '198.18.0.1/24', 'dev', 'lo']);
execFileSync('ip', ['-6', 'addr', 'add', 'fd00::1/64', 'dev', 'lo', 'nodad']);

const listening = (s: net.Server): Promise<void> => new Promise((r) => s.once('listening', () => r()));
const held: net.Socket[] = [];
const server = net.createServer((c) => { held.push(c); c.on('error', () => undefined); }).listen(8080, '198.18.0.1');
await listening(server);
const client = net.connect(8080, '198.18.0.1');
await new Promise((r) => client.once('connect', r));
client.on('error', () => undefined);
// Reading, so that a socket closed under it is noticed.
client.on('data', () => undefined);
const clientPort = client.localPort;
client.on('close', () => process.stdout.write(`closed ${clientPort}\n`));
const v6 = net.createServer().listen({ port: 9090, host: '::' });
await listening(v6);
const v6only = net.createServer().listen({ port: 9091, host: '::', ipv6Only: true });
await listening(v6only);
const udp = dgram.createSocket('udp4');
await new Promise<void>((r) => udp.bind(5353, '198.18.0.1', () => r()));
const udp6 = dgram.createSocket('udp6');
await new Promise<void>((r) => udp6.bind(5354, 'fd00::1', () => r()));
await new Promise<void>((r) => udp6.connect(5353, 'fd00::1', () => r()));

const dir = mkdtempSync(join(tmpdir(), 'ss-test-'));
const path = join(dir, 'stream.sock');
const unixServer = net.createServer((c) => { held.push(c); }).listen(path);
await listening(unixServer);
const unixClient = net.connect(path);
await new Promise((r) => unixClient.once('connect', r));

// Node has no UNIX datagram or packet sockets: made through the library's libc calls.
const sun = (name: string): Buffer => {
  const b = Buffer.alloc(2 + 1 + name.length);
  b.writeUInt16LE(AF_UNIX, 0);
  b.write(`\0${name}`, 2, 'latin1');
  return b;
};
const fds: number[] = [];
const dgramFd = socket(AF_UNIX, SOCK_DGRAM, 0);
fds.push(dgramFd);
bind(dgramFd, sun('netlink-ts-ss-test'));
// Raw sockets: this machine's kernel has no raw_diag, and ss reads /proc/net/raw{,6} for them.
fds.push(socket(AF_INET, SOCK_RAW, 1 /* IPPROTO_ICMP */));
fds.push(socket(AF_INET6, SOCK_RAW, 58 /* IPPROTO_ICMPV6 */));
let packet = false;
try {
  fds.push(socket(AF_PACKET, SOCK_RAW, 0x0300 /* htons(ETH_P_ALL) */));
  packet = true;
} catch { /* no CAP_NET_RAW here: the test says so */ }

process.stdout.write(`${JSON.stringify({ ready: true, clientPort: client.localPort, unixPath: path, packet })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  for (const fd of fds) close(fd);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
