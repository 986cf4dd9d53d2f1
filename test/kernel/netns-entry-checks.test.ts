// Every netns entry point besides exec/spawn (test/unit/netns-exec-options.test.ts),
// fed wrong types: an EncodeError naming the argument, before anything is
// touched. A kernel test only because a missing check would write under
// /etc/netns, which only the test command's overlay makes safe to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { inspect } from 'node:util';
import { EncodeError } from '../../src/netlink/errors.js';
import * as netns from '../../src/netns/index.js';
import { requireIsolation } from '../helpers/sh.js';

requireIsolation();
const S = Symbol('x');
const self = { path: '/proc/self/ns/net' };

test('each entry point refuses a wrong argument with an EncodeError that names it', () => {
  const cases: [string, () => unknown, string][] = [
    ['add', () => netns.add(S as never), 'netns'],
    ['attach name', () => netns.attach(S as never, { pid: 1 }), 'netns'],
    ['attach target', () => netns.attach('nlts-q', S as never), 'netns'],
    ['exists', () => netns.exists(S as never), 'netns'],
    ['identify', () => netns.identify(42 as never), 'netns'],
    ['pids', () => netns.pids({ fd: S } as never), 'netns.fd'],
    ['remove', () => netns.remove(S as never), 'netns'],
    ['removeAll', () => netns.removeAll(S as never), 'prefix'],
    ['readSysctl key', () => netns.readSysctl(S as never), 'sysctl'],
    ['readSysctl netns', () => netns.readSysctl('net.ipv4.ip_forward', S as never), 'netns'],
    ['writeSysctl value', () => netns.writeSysctl('net.ipv4.ip_forward', S as never), 'sysctl'],
    ['writeSysctl netns', () => netns.writeSysctl('net.ipv4.ip_forward', 1, S as never), 'netns'],
    ['writeEtcFile name', () => netns.writeEtcFile(S as never, 'a', 'x'), 'netns'],
    ['writeEtcFile file', () => netns.writeEtcFile('nlts-q', S as never, 'x'), 'file'],
    ['writeEtcFile content', () => netns.writeEtcFile('nlts-q', 'a', S as never), 'content'],
    ['writeEtcFile content 42', () => netns.writeEtcFile('nlts-q', 'a', 42 as never), 'content'],
    ['writeEtcFile options', () => netns.writeEtcFile('nlts-q', 'a', 'x', S as never), 'options'],
    ['writeEtcFile unknown option', () => netns.writeEtcFile('nlts-q', 'a', 'x', { mdoe: 1 } as never), 'options.mdoe'],
    ['writeEtcFile mode', () => netns.writeEtcFile('nlts-q', 'a', 'x', { mode: S as never }), 'mode'],
    ['writeEtcFile mode -1', () => netns.writeEtcFile('nlts-q', 'a', 'x', { mode: -1 }), 'mode'],
    ['writeEtcFile exclusive', () => netns.writeEtcFile('nlts-q', 'a', 'x', { exclusive: S as never }), 'exclusive'],
    ['readEtcFile name', () => netns.readEtcFile(S as never, 'a'), 'netns'],
    ['readEtcFile file', () => netns.readEtcFile('nlts-q', S as never), 'file'],
    ['removeEtcFiles name', () => netns.removeEtcFiles(S as never, []), 'netns'],
    ['removeEtcFiles files', () => netns.removeEtcFiles('nlts-q', S as never), 'files'],
    ['removeEtcFiles file', () => netns.removeEtcFiles('nlts-q', ['ok', S as never]), 'files[1]'],
    ['open', () => netns.open(S as never), 'netns'],
    ['open fd', () => netns.open({ fd: S } as never), 'netns.fd'],
    ['open path', () => netns.open({ path: S } as never), 'netns.path'],
    ['withNetnsFd ref', () => netns.withNetnsFd(S as never, () => 1), 'netns'],
    ['withNetnsFd fn', () => netns.withNetnsFd(self, S as never), 'fn'],
    ['inNetns fd', () => netns.inNetns(S as never, () => 1), 'fd'],
    ['inNetns fd -1', () => netns.inNetns(-1, () => 1), 'fd'],
    ['inNetns fn', () => netns.withNetnsFd(self, (fd) => netns.inNetns(fd, S as never)), 'fn'],
    ['inNewNetns fn', () => netns.inNewNetns(S as never), 'fn'],
    ['checkNetnsName', () => netns.checkNetnsName(S), 'netns'],
    ['sysctlPath', () => netns.sysctlPath(S as never), 'sysctl'],
  ];
  for (const [what, f, path] of cases) {
    let err: unknown;
    try { f(); } catch (e) { err = e; }
    assert.instance(err, EncodeError, `${what}: ${inspect(err)}`);
    assert.is((err as EncodeError).path, path, what);
  }
  assert.not.ok(existsSync('/etc/netns/nlts-q'), 'nothing was written');
});

test.run();
