// conntrack without a kernel: our requests against the bytes conntrack-tools
// 1.4.7 sent for the same command (test/fixtures/conntrack/*.json, made by
// test/fixtures/capture.ts), a dump the kernel sent decoded and printed as
// `conntrack -L` printed it at the same moment, input and filter checks
// (nothing sent), the CLI's words, and the monitor source's reading of events.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import * as C from '../../src/generated/linux/netfilter/nfnetlink_conntrack.js';
import * as NF from '../../src/generated/linux/netfilter/nfnetlink.js';
import { NLA_F_NESTED, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL } from '../../src/generated/linux/netlink.js';
import { parseGlobal } from '../../src/cli/args.js';
import { parseConntrackWords } from '../../src/cli/commands/conntrack.js';
import { conntrackEventLine, conntrackLine } from '../../src/cli/conntrack-text.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import type { Request } from '../../src/netlink/request.js';
import { nfType } from '../../src/nfnetlink/header.js';
import { ConntrackApi } from '../../src/nfnetlink/conntrack/api.js';
import { type Conntrack, decodeConntrack } from '../../src/nfnetlink/conntrack/entry.js';
import { conntrackSource } from '../../src/nfnetlink/conntrack/events.js';
import { compileFilter } from '../../src/nfnetlink/conntrack/filter.js';
import { countRequest, cpuStatsRequest, createRequest, flushRequest, getRequest, listRequest } from '../../src/nfnetlink/conntrack/requests.js';
import { conntrackMessage } from '../../src/nfnetlink/conntrack/schema.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { Nfnetlink } from '../../src/nfnetlink/client.js';
import { hexdump, normalize } from '../helpers/fixtures.js';
import { wireBytes } from '../helpers/wire.js';

const FIXTURES = new URL('../../../test/fixtures/conntrack/', import.meta.url).pathname;
const fixture = <T = { command: string; messages: { type: number; hex: string }[] }>(name: string): T => JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8')) as T;

/**
 * Attribute padding zeroed (libmnl leaves what was in its buffer there) and
 * NLM_F_ACK cleared (our socket asks every request for one; conntrack-tools
 * does not ask lookups), seq and port id zeroed.
 */
function comparable(msg: Buffer): Buffer {
  const b = normalize(msg);
  b.writeUInt16LE(b.readUInt16LE(6) & ~NLM_F_ACK, 6);
  const walk = (start: number, end: number): void => {
    for (let at = start; at + 4 <= end;) {
      const len = b.readUInt16LE(at);
      if (len < 4 || at + len > end) return;
      if (b.readUInt16LE(at + 2) & NLA_F_NESTED) walk(at + 4, at + len);
      b.fill(0, at + len, Math.min(end, (at + len + 3) & ~3));
      at += (len + 3) & ~3;
    }
  };
  walk(20, b.length);
  return b;
}

function matches(file: string, req: Request, dump = false): void {
  const f = fixture(file);
  const want = comparable(Buffer.from(f.messages[f.messages.length - 1]!.hex, 'hex'));
  assert.is(hexdump(comparable(wireBytes(req, dump))), hexdump(want), f.command);
}

test('requests are the bytes conntrack-tools sends for the same command', () => {
  const orig = { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp' as const, sport: 1000, dport: 53 };
  matches('create-udp.json', createRequest({ orig, timeout: 50, mark: 7 }));
  matches('get-udp.json', getRequest({ orig }));
  matches('flush.json', flushRequest());
  matches('list-mark.json', listRequest({ mark: 7 }).req, true);
  matches('count.json', countRequest());
  matches('stats.json', cpuStatsRequest(), true);
});

interface DumpFixture { text: string[]; messages: string[] }

test('a dump the kernel sent decodes, and prints as conntrack -L printed it at the same moment', () => {
  const f = fixture<DumpFixture>('dump-reply.json');
  const entries = f.messages.map((hex) => { const b = Buffer.from(hex, 'hex'); return decodeConntrack(b, 0, b.length)!; });
  assert.equal(entries.map((e) => e.issues), entries.map(() => undefined));
  assert.equal(entries.map((e) => conntrackLine(e)), f.text);
  const tcp = entries.find((e) => e.protocolName === 'tcp')!;
  assert.equal([tcp.family, tcp.tcp?.state, tcp.mark, tcp.orig.dport, tcp.statusFlags.includes('ASSURED')], ['ipv4', 'ESTABLISHED', 5, 80, true]);
  const v6 = entries.find((e) => e.family === 'ipv6' && e.protocolName === 'udp')!;
  assert.equal([v6.zone, v6.orig.src, v6.reply.sport], [3, 'fd00::1', 6]);
  // The kernel's bytes are canonical: decoded and encoded again, they come back unchanged (padding aside).
  for (const hex of f.messages) {
    const b = Buffer.from(hex, 'hex');
    const m = conntrackMessage.decodePayload(b, 16, b.length, []);
    const w = new NetlinkWriter();
    conntrackMessage.encodePayload(w, m as never);
    assert.is(w.toBuffer().toString('hex'), b.subarray(16).toString('hex'));
  }
});

test('the event line is conntrack -E\'s', () => {
  const b = Buffer.from(fixture<DumpFixture>('dump-reply.json').messages[2]!, 'hex');
  const ct = decodeConntrack(b, 0, b.length)!;
  assert.is(conntrackEventLine('new', ct), `    [NEW] ${conntrackLine(ct)}`);
  assert.is(conntrackEventLine('del', ct).slice(0, 10), '[DESTROY] ');
  assert.is(conntrackEventLine('update', ct).slice(0, 10), ' [UPDATE] ');
});

test('the monitor source tells new from update by NLM_F_CREATE, and destroy by type', () => {
  const msg = (type: number, flags: number): Buffer => {
    const w = new NetlinkWriter();
    const at = w.beginMessage(type, flags);
    conntrackMessage.encodePayload(w, { family: 2, version: 0, resId: 0, status: 8 });
    w.endMessage(at);
    return w.toBuffer();
  };
  const kind = (b: Buffer) => conntrackSource.kindOf(b, 0, b.length);
  assert.is(kind(msg(nfType(NF.NFNL_SUBSYS_CTNETLINK, C.IPCTNL_MSG_CT_NEW), NLM_F_CREATE | NLM_F_EXCL))?.action, 'new');
  assert.is(kind(msg(nfType(NF.NFNL_SUBSYS_CTNETLINK, C.IPCTNL_MSG_CT_NEW), 0))?.action, 'update');
  assert.is(kind(msg(nfType(NF.NFNL_SUBSYS_CTNETLINK, C.IPCTNL_MSG_CT_DELETE), 0))?.action, 'del');
  assert.is(kind(msg(nfType(NF.NFNL_SUBSYS_CTNETLINK_EXP, C.IPCTNL_MSG_EXP_NEW), 0)), undefined);
  assert.equal(conntrackSource.resolveGroups([]), [NF.NFNLGRP_CONNTRACK_NEW, NF.NFNLGRP_CONNTRACK_UPDATE, NF.NFNLGRP_CONNTRACK_DESTROY]);
  assert.equal(conntrackSource.resolveGroups(['destroy']), [NF.NFNLGRP_CONNTRACK_DESTROY]);
  assert.throws(() => conntrackSource.resolveGroups(['link']), /unknown conntrack group "link"/);
});

test('bad input is refused with the field named, before anything is sent', async () => {
  const k = new FakeKernel();
  using ct = new ConntrackApi(Nfnetlink.open({ transport: k }));
  const bad: [unknown, string, RegExp][] = [
    [{ orig: { src: 'nope', dst: '198.18.0.2', protocol: 'udp' } }, 'conntrack.orig.src', /IPv4 or IPv6/],
    [{ orig: { src: '198.18.0.1', dst: 'fd00::2', protocol: 'udp' } }, 'conntrack.orig', /one address family/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'tcpx' } }, 'conntrack.orig.protocol', /tcp, udp/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'icmp', sport: 1 } }, 'conntrack.orig.sport', /no ports/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp', sport: 70000 } }, 'conntrack.orig.sport', /0 to 65535/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp' }, timeout: -1 }, 'conntrack.timeout', /integer/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp' }, tcpState: 'ESTABLISHED' }, 'conntrack.tcpState', /only tcp/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'tcp' }, tcpState: 'WAITING' }, 'conntrack.tcpState', /TCP state name/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp' }, status: ['NOPE'] }, 'conntrack.status[0]', /unknown status bit/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp' }, labels: 'xyz' }, 'conntrack.labels', /hex/],
    [{ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'icmp', icmp: { type: 3 } } }, 'conntrack.orig.icmp.type', /reply tuple/],
    [null, 'conntrack', /expected/],
  ];
  for (const [input, path, text] of bad) {
    let err: unknown;
    try { await ct.create(input as never); } catch (e) { err = e; }
    assert.instance(err, EncodeError, JSON.stringify(input));
    assert.is((err as EncodeError).path, path, String(err));
    assert.match(String(err), text);
  }
  let err: unknown;
  try { await ct.delete({ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp' }, mark: 1 }); } catch (e) { err = e; }
  assert.match(String(err), /delete finds an entry by its tuple/);
  try { await ct.list({ colour: 'red' } as never); } catch (e) { err = e; }
  assert.match(String(err), /unknown filter "colour"/);
  try { await ct.list({ markMask: 1 }); } catch (e) { err = e; }
  assert.match(String(err), /a mark mask needs a mark/);
  assert.is(k.sent.length, 0);
});

test('filters: family, zone and mark/mask go to the kernel; everything is also checked here', () => {
  const f = compileFilter({ family: 'ipv6', zone: 0, mark: 5, markMask: 0xf, protocol: 'udp', src: 'fd00:0::1', sport: 5, status: ['SEEN_REPLY'] });
  assert.is(f.family, 10);
  assert.equal(f.attrs, { zone: 0, mark: 5, markMask: 0xf });
  const base: Conntrack = {
    family: 'ipv6', protocol: 17, protocolName: 'udp', orig: { src: 'fd00::1', dst: 'fd00::2', protocol: 17, sport: 5, dport: 6 },
    reply: { src: 'fd00::2', dst: 'fd00::1', protocol: 17, sport: 6, dport: 5 }, status: 2, statusFlags: ['SEEN_REPLY'], mark: 0x25,
  };
  assert.ok(f.keep(base));
  assert.not.ok(f.keep({ ...base, zone: 3 }), 'zone 0 selects zone 0 only');
  assert.not.ok(f.keep({ ...base, mark: 0x26 }));
  assert.not.ok(f.keep({ ...base, status: 0 }));
  assert.not.ok(f.keep({ ...base, orig: { ...base.orig, sport: 7 } }));
  assert.not.ok(f.keep({ ...base, family: 'ipv4' }));
  // A family flush says nfgenmsg version 1: with version 0 the kernel flushes every family.
  const flush = wireBytes(flushRequest({ family: 'ipv4' }));
  assert.is(flush.subarray(16).toString('hex'), '02010000');
});

test('the CLI takes conntrack-tools\' words', () => {
  const { opts } = parseGlobal([]);
  const a = parseConntrackWords(['-L', '-p', 'tcp', '-s', '198.18.0.1', '-d', '198.18.0.2', '--dport', '80', '-m', '0x10/0xf0', '--zone', '4', '-f', 'ipv4', '-o', 'json'], opts);
  assert.equal([a.cmd, a.json, a.filter], ['L', true, { protocol: 'tcp', src: '198.18.0.1', dst: '198.18.0.2', dport: 80, mark: 16, markMask: 0xf0, zone: 4, family: 'ipv4' }]);
  assert.equal(parseConntrackWords(['-E', '-e', 'NEW,DESTROY'], opts).events, ['new', 'destroy']);
  assert.equal(parseConntrackWords(['-L', 'expect'], opts).table, 'expect');
  for (const [words, text] of [[['-L', '-D'], /one command/], [['-p'], /needs a value/], [['-L', '--colour', 'x'], /unknown option/], [['-L', '--sport', '99999'], /0 to 65535/], [['-E', '-e', 'BOOM'], /NEW, UPDATE/], [[], /give a command/]] as const) {
    assert.throws(() => parseConntrackWords(words as unknown as string[], opts), text as RegExp);
  }
});

test.run();
