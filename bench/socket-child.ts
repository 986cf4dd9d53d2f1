// The sockets the W9 bench lists: `node socket-child.js N` opens a TCP
// listener on 198.18.0.1:5000 and N/2 connections to it (N connected sockets
// and the listener), prints "ready", and holds them until its standard input
// ends. A process of its own, so that the tools timed do not share its fds.
import net from 'node:net';

const n = Number(process.argv[2] ?? 10_000);
const held: net.Socket[] = [];
const server = net.createServer((c) => { held.push(c); }).listen({ port: 5000, host: '198.18.0.1', backlog: 4096 });
await new Promise((r) => server.once('listening', r));
for (let i = 0; i < n / 2; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, n / 2 - i) }, () => new Promise<void>((resolve, reject) => {
    const c = net.connect(5000, '198.18.0.1', () => resolve());
    c.once('error', reject);
    held.push(c);
  })));
}
// Every accepted side is in too before "ready".
while (held.length < n) await new Promise((r) => setTimeout(r, 10));
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
