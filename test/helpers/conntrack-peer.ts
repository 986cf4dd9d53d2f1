// Real connections for conntrack tests: a peer namespace behind a veth pair
// (198.18.7.1 here, 198.18.7.2 there) running a UDP echo and a TCP server,
// and an nftables rule with `ct state` here so that this namespace tracks
// connections. Everything it makes, it removes in stop(); the server is
// ended by its pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { ip, run } from './sh.js';
import { waitFor } from './settle.js';

export const PEER = 'nlts_ctpeer';
export const HERE = '198.18.7.1';
export const THERE = '198.18.7.2';
export const UDP_PORT = 40002;
export const TCP_PORT = 40003;

const SERVER = `
const d = require('dgram').createSocket('udp4');
d.on('message', (m, r) => d.send(m, r.port, r.address));
d.bind(${UDP_PORT}, '${THERE}', () => {
  require('net').createServer((s) => s.end('hello')).listen(${TCP_PORT}, '${THERE}', () => console.log('up'));
});`;

export const RULESET = `table inet nlts_ct {
  chain out { type filter hook output priority 0; ct state new counter; }
}`;

export class ConntrackPeer {
  private server: ChildProcess | undefined;

  async start(): Promise<void> {
    run('nft', ['-f', '-'], RULESET);
    ip('netns', 'add', PEER);
    ip('link', 'add', 'ct0', 'type', 'veth', 'peer', 'name', 'ct1');
    ip('link', 'set', 'ct1', 'netns', PEER);
    ip('addr', 'add', `${HERE}/24`, 'dev', 'ct0');
    ip('link', 'set', 'ct0', 'up');
    ip('-n', PEER, 'addr', 'add', `${THERE}/24`, 'dev', 'ct1');
    ip('-n', PEER, 'link', 'set', 'ct1', 'up');
    ip('-n', PEER, 'link', 'set', 'lo', 'up');
    const server = this.server = spawn('ip', ['netns', 'exec', PEER, process.execPath, '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    server.stdout!.on('data', (d) => { out += String(d); });
    await waitFor(() => out.includes('up'), { what: 'the peer\'s servers to listen', timeoutMs: 10_000 });
  }

  /** One UDP datagram from `sport`, echoed back (so the entry has seen a reply). */
  async udpExchange(sport: number): Promise<void> {
    const s = createSocket('udp4');
    try {
      await new Promise<void>((resolve) => s.bind(sport, HERE, resolve));
      const echoed = new Promise<void>((resolve) => s.once('message', () => resolve()));
      // The link may still be settling: send until the echo comes back.
      let got = false;
      void echoed.then(() => { got = true; });
      await waitFor(async () => {
        s.send('ping', UDP_PORT, THERE);
        await new Promise((r) => setTimeout(r, 50));
        return got;
      }, { what: 'the UDP echo', timeoutMs: 10_000 });
    } finally {
      s.close();
    }
  }

  /** A TCP connection opened, read to its end and closed. */
  async tcpExchange(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const c = connect({ host: THERE, port: TCP_PORT, localAddress: HERE });
      c.on('data', () => undefined);
      c.on('end', () => { c.end(); });
      c.on('close', () => resolve());
      c.on('error', reject);
    });
  }

  stop(): void {
    if (this.server?.pid !== undefined && this.server.exitCode === null) this.server.kill('SIGTERM');
    try { ip('link', 'del', 'ct0'); } catch { /* already gone */ }
    try { ip('netns', 'del', PEER); } catch { /* already gone */ }
    try { run('nft', ['delete', 'table', 'inet', 'nlts_ct']); } catch { /* already gone */ }
  }
}
