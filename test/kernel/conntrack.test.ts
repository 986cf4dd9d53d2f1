// conntrack against this kernel and conntrack-tools 1.4.7: entries made by
// real traffic to a peer namespace (UDP echo, TCP), listed by the library and
// by `conntrack -L` line for line (the timeout aside, which ticks between the
// two), filtered, read one by one, changed, deleted and seen gone, flushed per
// family, counted, and announced as events.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { ConntrackApi, type ConntrackMonitorEvent } from '../../src/nfnetlink/conntrack/api.js';
import type { Conntrack } from '../../src/nfnetlink/conntrack/entry.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { cli } from '../helpers/cli-path.js';
import { ConntrackPeer, HERE, THERE, TCP_PORT, UDP_PORT } from '../helpers/conntrack-peer.js';
import { rejects } from '../helpers/expect.js';
import { requireIsolation, run } from '../helpers/sh.js';
import { waitFor } from '../helpers/settle.js';

requireIsolation();

const peer = new ConntrackPeer();
const SPORT = 40101;

/** conntrack -L lines with the timeout (which ticks between two listings) blanked, sorted. */
const normal = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(/^((?:ipv[46] +\d+ )?\S+ +\d+ )\d+ /, '$1T ')).sort();
const tool = (...args: string[]): string[] => normal(execFileSync('conntrack', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const ours = (...args: string[]): string[] => normal(execFileSync(process.execPath, [cli, 'conntrack', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));

test.before(async () => {
  await peer.start();
  await peer.udpExchange(SPORT);
  await peer.tcpExchange();
});
test.after.each(() => { if (process.env.CT_DEBUG) process.stderr.write(`after: ${run('conntrack', ['-L'])}\n`); });
test.after(() => {
  peer.stop();
  try { run('conntrack', ['-F']); } catch { /* nothing to flush */ }
});

test('real traffic is listed as conntrack -L lists it, line for line', async () => {
  using ct = ConntrackApi.open();
  const all = await ct.list({ family: 'ipv4' });
  const udp = all.find((c) => c.protocolName === 'udp' && c.orig.sport === SPORT);
  assert.ok(udp, JSON.stringify(all));
  assert.equal([udp.orig.src, udp.orig.dst, udp.orig.dport, udp.reply.src, udp.reply.sport], [HERE, THERE, UDP_PORT, THERE, UDP_PORT]);
  assert.ok(udp.statusFlags.includes('SEEN_REPLY'), udp.statusFlags.join());
  const tcp = all.find((c) => c.protocolName === 'tcp' && c.orig.dport === TCP_PORT);
  assert.ok(tcp?.tcp, JSON.stringify(all));
  assert.ok(['TIME_WAIT', 'CLOSE', 'LAST_ACK', 'FIN_WAIT', 'CLOSE_WAIT'].includes(tcp.tcp.state), tcp.tcp.state);
  assert.equal(ours('-L', '-f', 'ipv4'), tool('-L', '-f', 'ipv4'));
  assert.equal(ours('-L', '-f', 'ipv4', '-o', 'extended'), tool('-L', '-f', 'ipv4', '-o', 'extended'));
});

test('filters select what conntrack-tools selects (protocol, addresses, ports, mark, zone)', async () => {
  using ct = ConntrackApi.open();
  await ct.create({ orig: { src: '198.18.9.1', dst: '198.18.9.2', protocol: 'udp', sport: 1, dport: 2 }, mark: 0x15, timeout: 300 });
  await ct.create({ orig: { src: '198.18.9.1', dst: '198.18.9.2', protocol: 'udp', sport: 1, dport: 2 }, zone: 7, timeout: 300 });
  await ct.create({ orig: { src: 'fd00::1', dst: 'fd00::2', protocol: 'tcp', sport: 3, dport: 4 }, tcpState: 'ESTABLISHED', timeout: 300 });
  for (const args of [['-p', 'udp'], ['-p', 'tcp'], ['-s', HERE], ['-d', '198.18.9.2'], ['-p', 'udp', '--dport', String(UDP_PORT)],
    ['-m', '0x15'], ['-m', '0x5/0xf'], ['--zone', '7'], ['-f', 'ipv6'], ['-r', THERE], ['-p', 'udp', '-s', '198.18.9.1', '--sport', '1']]) {
    assert.equal(ours('-L', ...args), tool('-L', ...args), args.join(' '));
  }
  // Zone 0 is "no zone filter" to the kernel; the library still selects zone 0 only.
  const zone0 = await ct.list({ zone: 0, src: '198.18.9.1' });
  assert.equal(zone0.map((c) => c.zone ?? 0), [0]);
  const z7 = await ct.list({ zone: 7 });
  assert.equal(z7.map((c) => [c.zone, c.orig.sport]), [[7, 1]]);
});

test('get finds an entry by its tuple and zone; a missing one is ENOENT', async () => {
  using ct = ConntrackApi.open();
  const got = await ct.get({ orig: { src: HERE, dst: THERE, protocol: 'udp', sport: SPORT, dport: UDP_PORT } });
  assert.equal([got.orig.sport, got.reply.dport], [SPORT, SPORT]);
  const z = await ct.get({ orig: { src: '198.18.9.1', dst: '198.18.9.2', protocol: 'udp', sport: 1, dport: 2 }, zone: 7 });
  assert.is(z.zone, 7);
  await rejects(() => ct.get({ orig: { src: HERE, dst: THERE, protocol: 'udp', sport: 9, dport: 9 } }), (e) => e instanceof NetlinkError && e.code === 'ENOENT');
});

test('update sets the mark and labels that conntrack -L and get then show', async () => {
  using ct = ConntrackApi.open();
  const orig = { src: HERE, dst: THERE, protocol: 'udp' as const, sport: SPORT, dport: UDP_PORT };
  await ct.update({ orig, mark: 42 });
  assert.match(tool('-L', '-p', 'udp', '--sport', String(SPORT)).join('\n'), /mark=42 /);
  assert.is((await ct.get({ orig })).mark, 42);
  await rejects(() => ct.update({ orig: { ...orig, sport: 9 }, mark: 1 }), (e) => e instanceof NetlinkError && e.code === 'ENOENT');
});

test('delete by tuple and by filter: the entries are gone for conntrack -L too', async () => {
  using ct = ConntrackApi.open();
  await ct.delete({ orig: { src: '198.18.9.1', dst: '198.18.9.2', protocol: 'udp', sport: 1, dport: 2 }, zone: 7 });
  assert.equal(tool('-L', '--zone', '7'), []);
  await rejects(() => ct.delete({ orig: { src: '198.18.9.1', dst: '198.18.9.2', protocol: 'udp', sport: 1, dport: 2 }, zone: 7 }),
    (e) => e instanceof NetlinkError && e.code === 'ENOENT');
  const r = await ct.deleteMatching({ protocol: 'udp', src: '198.18.9.1' });
  assert.equal([r.deleted, r.vanished], [1, 0]);
  assert.equal(tool('-L', '-s', '198.18.9.1'), []);
});

test('flush empties one family and leaves the other', async () => {
  using ct = ConntrackApi.open();
  assert.ok((await ct.list({ family: 'ipv6' })).length > 0);
  await ct.flush({ family: 'ipv6' });
  assert.equal(await ct.list({ family: 'ipv6' }), []);
  assert.ok((await ct.list({ family: 'ipv4' })).some((c) => c.orig.sport === SPORT));
});

test('statistics and the count agree with conntrack -S and -C', async () => {
  using ct = ConntrackApi.open();
  const stats = await ct.stats();
  assert.is(stats.length, tool('-S').length);
  assert.ok(stats.every((s, i) => s.cpu === i || s.cpu >= 0));
  assert.ok(stats.some((s) => s.insert !== undefined));
  const { entries } = await ct.count();
  assert.is(entries, Number(tool('-C')[0]));
  assert.equal(ours('-C'), tool('-C'));
  assert.equal(await ct.expectations(), []);
});

test('the monitor reports new, update and destroy, and lists the table first', async () => {
  using ct = ConntrackApi.open();
  const orig = { src: '198.18.9.5', dst: '198.18.9.6', protocol: 'udp' as const, sport: 5, dport: 6 };
  const mon = ct.monitor({ list: true });
  const seen: string[] = [];
  let initial = 0;
  const done = (async () => {
    for await (const ev of mon as AsyncIterable<ConntrackMonitorEvent>) {
      if (ev.kind === 'synced') {
        await ct.create({ orig, timeout: 100 });
        await ct.update({ orig, mark: 3 });
        await ct.delete({ orig });
        continue;
      }
      if (ev.kind !== 'conntrack') continue;
      if (ev.initial) { initial++; continue; }
      const o: Conntrack = ev.object;
      if (o.orig.src !== orig.src) continue;
      seen.push(`${ev.action}${ev.action === 'update' ? `:${o.mark}` : ''}`);
      if (ev.action === 'del') break;
    }
  })();
  await waitFor(() => seen.includes('del'), { what: 'the destroy event', timeoutMs: 10_000 });
  mon.close();
  await done;
  assert.ok(initial > 0);
  assert.equal(seen, ['new', 'update:3', 'del']);
});

test('the command line: -E prints events as conntrack -E does, -D deletes what it selects, -F empties the table', async () => {
  const ev = spawn(process.execPath, [cli, 'conntrack', '-E', '-e', 'NEW,DESTROY', '-p', 'udp', '-s', '198.18.9.7'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  ev.stdout!.on('data', (d) => { out += String(d); });
  const exited = new Promise<number | null>((resolve) => ev.on('exit', (code) => resolve(code)));
  try {
    using ct = ConntrackApi.open();
    // Entries are made until the monitor, subscribed a moment after it started, reports one.
    let sport = 100;
    await waitFor(async () => {
      await ct.create({ orig: { src: '198.18.9.7', dst: '198.18.9.8', protocol: 'udp', sport: sport++, dport: 9 }, timeout: 100 });
      return out.includes('[NEW]');
    }, { what: 'a [NEW] line from netlink-ts conntrack -E', timeoutMs: 10_000 });
    // Not selected by the filter: never printed.
    await ct.create({ orig: { src: '198.18.9.9', dst: '198.18.9.8', protocol: 'udp', sport: 1, dport: 9 }, timeout: 100 });
    execFileSync(process.execPath, [cli, 'conntrack', '-D', '-p', 'udp', '-s', '198.18.9.7'], { stdio: 'ignore' });
    assert.equal(tool('-L', '-s', '198.18.9.7'), []);
    // The entry whose [NEW] was seen is reported destroyed. Entries made before anyone listened are
    // not: with net.netfilter.nf_conntrack_events=2 the kernel gives an entry its event cache only
    // when it is made while someone listens.
    const seen = /\[NEW\] .* sport=(\d+) /.exec(out)![1];
    await waitFor(() => new RegExp(`\\[DESTROY\\] .* sport=${seen} `).test(out), { what: `a [DESTROY] line for sport ${seen}`, timeoutMs: 10_000 });
    const lines = out.split('\n').filter((l) => l !== '');
    assert.ok(lines.every((l) => /^ {4}\[NEW\] udp {6}17 \d+ src=198\.18\.9\.7 |^\[DESTROY\] udp {6}17 \d+ src=198\.18\.9\.7 /.test(l)), out);
    execFileSync(process.execPath, [cli, 'conntrack', '-F'], { stdio: 'ignore' });
    assert.equal(tool('-L'), []);
  } finally {
    ev.kill('SIGTERM');
  }
  assert.is(await exited, 0);
});

test.run();
