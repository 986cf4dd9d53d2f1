// The sock_diag decoders on replies this kernel sent for the kernel test's
// sockets (test/fuzz/seeds/diag.json, captured by test/fuzz/capture-diag.ts):
// what each kind decodes to, and a cut-short message reported, not thrown.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { inetDecoder } from '../../../src/diag/inet.js';
import { netlinkDecoder } from '../../../src/diag/netlink.js';
import { packetDecoder } from '../../../src/diag/packet.js';
import type { DiagSocket, InetSocket, UnixSocket } from '../../../src/diag/types.js';
import { unixDecoder } from '../../../src/diag/unix.js';
import type { DiagSeedFile } from '../../fuzz/diag-targets.js';

const file = JSON.parse(readFileSync(new URL('../../../../test/fuzz/seeds/diag.json', import.meta.url), 'utf8')) as DiagSeedFile;
const DECODERS = { 'diag.inet.tcp': inetDecoder('tcp'), 'diag.inet.udp': inetDecoder('udp'), 'diag.unix': unixDecoder, 'diag.packet': packetDecoder, 'diag.netlink': netlinkDecoder } as Record<string, (b: Buffer, s: number, l: number) => DiagSocket | undefined>;
const decoded = file.messages.map((m) => { const b = Buffer.from(m.hex, 'hex'); return DECODERS[m.target]!(b, 0, b.length)!; });

test('every captured reply decodes without an issue', () => {
  assert.ok(decoded.length >= 15);
  for (const s of decoded) assert.is(s.issues, undefined, JSON.stringify(s.issues));
});

test('TCP: states, addresses, tcp_info with the bitfield window scales, memory, congestion; UDP over IPv6', () => {
  const tcp = decoded.filter((s): s is InetSocket => s.kind === 'inet' && s.protocol === 'tcp');
  const listener = tcp.find((s) => s.state === 'listening' && s.local.port === 8080)!;
  assert.equal([listener.family, listener.local.address, listener.remote.address, listener.remote.port], [4, '198.18.0.1', '0.0.0.0', 0]);
  const est = tcp.filter((s) => s.state === 'established');
  assert.is(est.length, 2);
  for (const s of est) {
    assert.is(s.tcpInfo!.tcpi_state, 1);
    assert.ok(s.tcpInfo!.tcpi_snd_wscale > 0 && s.tcpInfo!.tcpi_rcv_wscale > 0, 'wscale from the bitfield');
    assert.ok(s.memory!.rcvbuf > 0 && s.memory!.drops !== undefined);
    assert.type(s.congestion, 'string');
    assert.ok(s.cookie > 0n && s.inode > 0 && s.cgroupId !== undefined);
  }
  assert.ok(tcp.some((s) => s.family === 6 && s.v6only === true && s.local.port === 9091));
  const udp6 = decoded.find((s): s is InetSocket => s.kind === 'inet' && s.protocol === 'udp' && s.family === 6)!;
  assert.equal([udp6.local.address, udp6.local.port, udp6.remote.port, udp6.state], ['fd00::1', 5354, 5353, 'established']);
});

test('UNIX, packet and netlink sockets', () => {
  const unix = decoded.filter((s): s is UnixSocket => s.kind === 'unix');
  assert.ok(unix.some((s) => s.type === 'dgram' && s.name === '@netlink-ts-ss-test' && s.state === 'unconnected'));
  assert.ok(unix.some((s) => s.type === 'stream' && s.state === 'listening' && s.name!.endsWith('/stream.sock')));
  assert.ok(unix.some((s) => s.type === 'stream' && s.state === 'established' && s.peer > 0));
  const packet = decoded.find((s) => s.kind === 'packet');
  assert.equal(packet && [packet.type, packet.protocol, packet.ifindex, packet.state], ['raw', 3, 0, 'unconnected']);
  const nl = decoded.filter((s) => s.kind === 'netlink');
  // The kernel's own rtnetlink socket (port 0) and the capturing sock_diag socket (protocol 4).
  assert.ok(nl.some((s) => s.kind === 'netlink' && s.protocol === 0 && s.portId === 0));
  assert.ok(nl.some((s) => s.kind === 'netlink' && s.protocol === 4 && s.portId > 0 && s.memory !== undefined));
});

const FIXED: Record<string, number> = { 'diag.inet.tcp': 72, 'diag.inet.udp': 72, 'diag.unix': 16, 'diag.packet': 16, 'diag.netlink': 28 };

test('a message cut anywhere decodes without throwing; cut inside its fixed header, the object says so', () => {
  for (const [i, m] of file.messages.entries()) {
    const b = Buffer.from(m.hex, 'hex');
    for (let cut = 16; cut <= b.length; cut++) {
      const s = DECODERS[m.target]!(b, 0, cut);
      if (cut < 16 + FIXED[m.target]!) assert.ok(s && (s.issues?.length ?? 0) > 0, `${m.target} #${i} cut to ${cut}`);
    }
  }
});

test.run();
