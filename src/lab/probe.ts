#!/usr/bin/env node
// The lab's connectivity probe: a UDP and TCP echo that needs no program but
// Node itself. Run inside a namespace (by the backend's exec/spawn):
//
//   node probe.js serve [--timeout MS] [--stdin] [--address A]...
//       listens on a free UDP and TCP port on every address of the namespace,
//       or on the addresses given (UDP on each address apart, so that answers
//       come from the address asked),
//       prints {"ready":true,"udp":PORT,"tcp":PORT}, echoes what it gets; ends
//       after MS (default 60 s), on SIGTERM, or when its stdin closes (--stdin).
//   node probe.js send '{"targets":[{"address":"10.0.0.2","udp":PORT,"tcp":PORT}],"timeoutMs":1000}'
//       asks every target at once and prints {"results":[...]} with round-trip
//       times in milliseconds, or why not ('timeout', 'ECONNREFUSED', ...).
import { type Socket as UdpSocket, createSocket } from 'node:dgram';
import { type AddressInfo, type Server, connect, createServer, isIP, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { pathToFileURL } from 'node:url';

export interface ProbeTarget {
  address: string;
  udp?: number;
  tcp?: number;
}

export interface ProbeRequest {
  targets: ProbeTarget[];
  /** How long to wait for each answer. */
  timeoutMs: number;
}

/** What one probe of one address found: whether it answered, and how long it took. */
export interface ProbeOutcome {
  ok: boolean;
  rttMs?: number;
  /** 'timeout', or the socket error code ('ECONNREFUSED', 'ENETUNREACH', ...). */
  error?: string;
}

/** A probe's outcome for one target. */
export interface ProbeResult {
  address: string;
  udp?: ProbeOutcome;
  tcp?: ProbeOutcome & { connectMs?: number };
}

export interface ProbeReady {
  ready: true;
  udp: number;
  tcp: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
/** UDP echoes timed per target once the first has come back. */
const UDP_ROUNDS = 4;
const round = (ms: number) => Math.round(ms * 1000) / 1000;
const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/**
 * Asks one UDP echo, sending again (up to 3 times) while no answer has come.
 * Once one has come, asks a few more times, one after the other: the first
 * answer's time includes the neighbour lookup and a cold path through two
 * programs just started; the shortest is reported.
 */
export function udpProbe(address: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const sock = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    const nonce = `nlts-probe ${process.pid} ${Math.random().toString(36).slice(2)}`;
    const sent: number[] = [];
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const finish = (o: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      sock.close();
      resolve(o);
    };
    const send = () => {
      const payload = Buffer.from(`${nonce} ${sent.length}`);
      sent.push(now());
      sock.send(payload, (err) => { if (err) finish({ ok: false, error: codeOf(err) }); });
    };
    sock.on('error', (err) => finish({ ok: false, error: codeOf(err) }));
    const rtts: number[] = [];
    /** Answers to sends before this index were counted already. */
    let next = 0;
    sock.on('message', (msg) => {
      const text = msg.toString();
      if (!text.startsWith(`${nonce} `)) return;
      const i = Number(text.slice(nonce.length + 1));
      if (i < next) return;
      rtts.push(now() - (sent[i] ?? sent[0]!));
      const best = () => finish({ ok: true, rttMs: round(Math.min(...rtts)) });
      if (rtts.length === 1) {
        for (const t of timers.splice(0)) clearTimeout(t);
        timers.push(setTimeout(best, Math.min(250, timeoutMs)));
      }
      if (rtts.length >= UDP_ROUNDS) return best();
      next = sent.length;
      send();
    });
    // On failure (no route: ENETUNREACH) dgram calls this with the error instead of emitting 'error'.
    sock.connect(port, address, ((err?: Error) => {
      if (err) return finish({ ok: false, error: codeOf(err) });
      send();
      timers.push(setTimeout(send, timeoutMs / 3), setTimeout(send, (2 * timeoutMs) / 3));
    }) as () => void);
    timers.push(setTimeout(() => finish({ ok: false, error: 'timeout' }), timeoutMs));
  });
}

/** Connects, sends a line, and times its echo. */
export function tcpProbe(address: string, port: number, timeoutMs: number): Promise<ProbeOutcome & { connectMs?: number }> {
  return new Promise((resolve) => {
    const t0 = now();
    const nonce = `nlts-probe ${process.pid} ${Math.random().toString(36).slice(2)}\n`;
    let wrote = 0;
    let got = '';
    let connectMs: number | undefined;
    let settled = false;
    const sock = connect({ host: address, port });
    const finish = (o: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(connectMs === undefined ? o : { ...o, connectMs });
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), timeoutMs);
    sock.on('connect', () => {
      connectMs = round(now() - t0);
      wrote = now();
      sock.write(nonce);
    });
    sock.on('data', (d) => {
      got += d.toString();
      if (got.includes(nonce)) finish({ ok: true, rttMs: round(now() - wrote) });
    });
    sock.on('error', (err) => finish({ ok: false, error: codeOf(err) }));
    sock.on('close', () => finish({ ok: false, error: 'closed' }));
  });
}

export async function send(req: ProbeRequest): Promise<ProbeResult[]> {
  return Promise.all(req.targets.map(async (t) => {
    const [udp, tcp] = await Promise.all([
      t.udp === undefined ? undefined : udpProbe(t.address, t.udp, req.timeoutMs),
      t.tcp === undefined ? undefined : tcpProbe(t.address, t.tcp, req.timeoutMs),
    ]);
    const r: ProbeResult = { address: t.address };
    if (udp) r.udp = udp;
    if (tcp) r.tcp = tcp;
    return r;
  }));
}

/**
 * One UDP socket per address, all on one port. A socket bound to the
 * wildcard would answer from whatever address routing picks for the way back
 * — on a router, the near interface's, not the one asked — and the asker's
 * connected socket drops that answer. The addresses are the ones given (the
 * lab knows them); without, the namespace's as Node lists them — which
 * leaves out the addresses of links not yet RUNNING, and a link just brought
 * up may wait up to a second for the kernel to say it is. (IPv6 link-local
 * addresses are left out: they need a scope, and a lab never asks them.)
 */
async function udpServers(given: string[]): Promise<UdpSocket[]> {
  const addresses = given.length ? given : Object.values(networkInterfaces()).flatMap((list) => list ?? [])
    .filter((i) => !(i.family === 'IPv6' && /^fe[89ab]/i.test(i.address)))
    .map((i) => i.address);
  const bind = (address: string, port: number) => new Promise<UdpSocket>((resolve, reject) => {
    const s = createSocket(isIPv6(address) ? { type: 'udp6', ipv6Only: true } : { type: 'udp4' });
    s.once('error', (err) => { s.close(); reject(err); });
    s.bind({ port, address }, () => {
      s.removeAllListeners('error');
      resolve(s);
    });
  });
  if (addresses.length === 0) return [await bind('0.0.0.0', 0)];
  for (let attempt = 0; ; attempt++) {
    const first = await bind(addresses[0]!, 0);
    const sockets = [first];
    try {
      for (const a of addresses.slice(1)) sockets.push(await bind(a, first.address().port));
      return sockets;
    } catch (err) {
      for (const s of sockets) s.close();
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    }
  }
}

function tcpServer(): Promise<Server> {
  const listen = (host: string) => new Promise<Server>((resolve, reject) => {
    const srv = createServer((c) => {
      c.on('data', (d) => c.write(d));
      c.on('error', () => c.destroy());
    });
    srv.once('error', reject);
    srv.listen({ port: 0, host }, () => {
      srv.off('error', reject);
      resolve(srv);
    });
  });
  return listen('::').catch(() => listen('0.0.0.0'));
}

export async function serve(options: { timeoutMs: number; untilStdinCloses: boolean; addresses?: string[] }): Promise<void> {
  const udp = await udpServers(options.addresses ?? []);
  const tcp = await tcpServer();
  for (const u of udp) {
    u.on('message', (msg, rinfo) => u.send(msg, rinfo.port, rinfo.address));
    u.on('error', () => { /* a peer's ICMP error: nothing to do */ });
  }
  const stop = () => {
    for (const u of udp) u.close();
    tcp.close();
    process.exit(0);
  };
  setTimeout(stop, options.timeoutMs).unref();
  process.on('SIGTERM', stop);
  if (options.untilStdinCloses) {
    process.stdin.on('end', stop).on('close', stop).on('error', stop);
    process.stdin.resume();
  }
  const ready: ProbeReady = { ready: true, udp: udp[0]!.address().port, tcp: (tcp.address() as AddressInfo).port };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  // Keep the process alive until one of the ends above (the timer is unref'd).
  await new Promise(() => {});
}

async function main(argv: string[]): Promise<number> {
  const [mode, ...rest] = argv;
  if (mode === 'serve') {
    let timeoutMs = 60_000;
    let untilStdinCloses = false;
    const addresses: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--timeout') timeoutMs = Number(rest[++i]);
      else if (rest[i] === '--stdin') untilStdinCloses = true;
      else if (rest[i] === '--address' && isIP(rest[i + 1] ?? '')) addresses.push(rest[++i]!);
      else throw new Error(`probe serve: unexpected ${JSON.stringify(rest[i])}`);
    }
    if (!(timeoutMs > 0)) throw new Error('probe serve: --timeout needs a number of milliseconds');
    await serve({ timeoutMs, untilStdinCloses, addresses });
    return 0;
  }
  if (mode === 'send' && rest.length === 1) {
    const req = JSON.parse(rest[0]!) as ProbeRequest;
    const results = await send(req);
    process.stdout.write(`${JSON.stringify({ results })}\n`);
    return 0;
  }
  process.stderr.write('usage: probe.js serve [--timeout MS] [--stdin] [--address A]... | probe.js send JSON\n');
  return 2;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
