#!/usr/bin/env node
// The lab's measuring probe (lab check): plain Node, run inside a lab
// namespace by the backend, traffic only between the lab's own namespaces.
//
//   node measure.js serve --address A [--timeout MS] [--window MS]
//       a UDP echo and a TCP sink on A (free ports); prints
//       {"ready":true,"udp":PORT,"tcp":PORT}; the sink answers each
//       connection, once its sender has finished or the window (default 2 s)
//       since its first byte has passed, with {"bytes":N,"ms":T}: what
//       arrived and the time from its first byte to its last, and the same
//       from a quarter of the window on (steadyBytes, steadyMs), which the
//       rate is counted from. Ends when
//       its stdin closes, on SIGTERM, or after MS (default 60 s).
//   node measure.js ping '{"address":A,"port":P,"count":N,"intervalMs":I,"timeoutMs":T}'
//       N numbered UDP echoes, one every I ms; prints {"sent":N,"received":R,"rttMs":[...]}.
//   node measure.js rate '{"address":A,"port":P,"bytes":N,"seconds":S}'
//       sends at most N bytes for at most S seconds over TCP as fast as the
//       path takes them, then prints the sink's {"bytes","ms"} and the rate
//       in bits per second.
import { createSocket } from 'node:dgram';
import { type AddressInfo, connect, createServer, isIPv6 } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface PingRequest { address: string; port: number; count: number; intervalMs: number; timeoutMs: number }
export interface PingResult { sent: number; received: number; rttMs: number[] }
export interface RateRequest { address: string; port: number; bytes: number; seconds: number }
export interface RateResult { bytes: number; ms: number; bitsPerSecond: number }

const now = () => Number(process.hrtime.bigint()) / 1e6;

function serve(address: string, timeoutMs: number, windowMs: number): void {
  const udp = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  udp.on('message', (msg, from) => udp.send(msg, from.port, from.address));
  const tcp = createServer((sock) => {
    let bytes = 0;
    let first = 0;
    let last = 0;
    let answered = false;
    // What arrived, answered when the sender has finished or the window since the first byte has passed
    // (what the sender's socket still holds would take long to drain on a slow path; it is not counted).
    const answer = () => {
      if (answered) return;
      answered = true;
      const steady = markBytes >= 0 && last > markAt ? { steadyBytes: bytes - markBytes, steadyMs: last - markAt } : {};
      sock.end(`${JSON.stringify({ bytes, ms: bytes === 0 ? 0 : last - first, ...steady })}\n`);
    };
    // The rate is counted from a quarter of the window on: TCP's slow start and a shaper's first burst come before.
    let markBytes = -1;
    let markAt = 0;
    sock.on('data', (d) => {
      if (answered) return;
      if (bytes === 0) {
        first = now();
        setTimeout(answer, windowMs).unref();
      }
      bytes += d.length;
      last = now();
      if (markBytes < 0 && last - first >= windowMs / 4) {
        markBytes = bytes;
        markAt = last;
      }
    });
    sock.on('end', answer);
    sock.on('error', () => sock.destroy());
  });
  udp.bind(0, address, () => {
    tcp.listen(0, address, () => {
      const t: AddressInfo | string | null = tcp.address();
      process.stdout.write(`${JSON.stringify({ ready: true, udp: udp.address().port, tcp: typeof t === 'object' && t !== null ? t.port : 0 })}\n`);
    });
  });
  const stop = () => { udp.close(); tcp.close(); process.exit(0); };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  setTimeout(stop, timeoutMs).unref();
}

function ping(req: PingRequest): Promise<PingResult> {
  return new Promise((resolve) => {
    const sock = createSocket(isIPv6(req.address) ? 'udp6' : 'udp4');
    const sentAt = new Map<number, number>();
    const rtt: number[] = [];
    let sent = 0;
    sock.on('message', (msg) => {
      const n = msg.readUInt32BE(0);
      const t = sentAt.get(n);
      if (t === undefined) return;
      sentAt.delete(n);
      rtt.push(Math.round((now() - t) * 1000) / 1000);
    });
    sock.on('error', () => undefined);
    const timer = setInterval(() => {
      if (sent >= req.count) {
        clearInterval(timer);
        setTimeout(() => { sock.close(); resolve({ sent, received: rtt.length, rttMs: rtt }); }, req.timeoutMs);
        return;
      }
      const b = Buffer.alloc(64);
      b.writeUInt32BE(sent, 0);
      sentAt.set(sent, now());
      sent++;
      sock.send(b, req.port, req.address);
    }, req.intervalMs);
  });
}

function rate(req: RateRequest): Promise<RateResult> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: req.address, port: req.port });
    const chunk = Buffer.alloc(16 * 1024, 0x5a);
    let left = req.bytes;
    let answer = '';
    const deadline = now() + req.seconds * 1000;
    const give = () => {
      // As fast as the path takes it: write while the socket has room, until the byte or time budget is spent.
      while (left > 0 && now() < deadline) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!sock.write(piece)) return;
      }
      sock.end();
    };
    sock.on('connect', give);
    sock.on('drain', give);
    sock.on('data', (d) => {
      answer += d.toString();
      // The sink has counted: what is still queued here is not measured.
      if (answer.endsWith('\n')) sock.destroy();
    });
    sock.on('close', () => {
      try {
        const r: unknown = JSON.parse(answer);
        if (typeof r !== 'object' || r === null || !('bytes' in r) || !('ms' in r) || typeof r.bytes !== 'number' || typeof r.ms !== 'number') throw new Error(`the sink said ${answer}`);
        // The steady part when the transfer lasted long enough to have one, else all of it.
        const [b, t] = 'steadyBytes' in r && 'steadyMs' in r && typeof r.steadyBytes === 'number' && typeof r.steadyMs === 'number' ? [r.steadyBytes, r.steadyMs] : [r.bytes, r.ms];
        resolve({ bytes: r.bytes, ms: r.ms, bitsPerSecond: t > 0 ? Math.round((b * 8 * 1000) / t) : 0 });
      } catch (err) {
        reject(err);
      }
    });
    sock.on('error', reject);
    // The budget in time, and then a little for the queue to drain and the answer to come.
    setTimeout(() => { sock.destroy(); reject(new Error('no answer from the sink')); }, req.seconds * 1000 + 10_000).unref();
  });
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? Object.getOwnPropertyDescriptor(o, key)?.value : undefined;
}

function num(o: unknown, key: string): number {
  const v = field(o, key);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`the request's ${key} is not a number`);
  return v;
}

async function main(argv: string[]): Promise<void> {
  const [mode, arg, ...rest] = argv;
  if (mode === 'serve') {
    const opts = [arg, ...rest];
    const at = opts.indexOf('--address');
    const t = opts.indexOf('--timeout');
    const w = opts.indexOf('--window');
    serve(opts[at + 1] ?? '', t >= 0 ? Number(opts[t + 1]) : 60_000, w >= 0 ? Number(opts[w + 1]) : 2000);
    return;
  }
  const req: unknown = JSON.parse(arg ?? '{}');
  const address = field(req, 'address');
  if (typeof address !== 'string') throw new Error('the request has no address');
  const base = { address, port: num(req, 'port') };
  if (mode === 'ping') process.stdout.write(`${JSON.stringify(await ping({ ...base, count: num(req, 'count'), intervalMs: num(req, 'intervalMs'), timeoutMs: num(req, 'timeoutMs') }))}\n`);
  else if (mode === 'rate') process.stdout.write(`${JSON.stringify(await rate({ ...base, bytes: num(req, 'bytes'), seconds: num(req, 'seconds') }))}\n`);
  else throw new Error(`measure.js: unknown mode ${String(mode)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`measure.js: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
