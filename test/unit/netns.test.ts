import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NsidApi, nsidRequest } from '../../src/api/nsid.js';
import { decodeNsid } from '../../src/rtnl/nsid.js';
import { linkRequest } from '../../src/api/families/link.js';
import { parseGlobal } from '../../src/cli/args.js';
import { execve, flock, ioctlNoArg } from '../../src/ffi/libc.js';
import { RTM_GETNSID, RTM_NEWLINK, RTM_NEWNSID } from '../../src/generated/linux/rtnetlink.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from '../../src/generated/linux/netlink.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { NetnsError } from '../../src/netns/errors.js';
import { exec, spawn } from '../../src/netns/exec.js';
import { NetnsNameError, checkNetnsName, netnsEtcDir, netnsPath } from '../../src/netns/names.js';
import { describeRef, openNetnsRef } from '../../src/netns/ref.js';
import { readSysctl, sysctlPath, writeSysctl } from '../../src/netns/sysctl.js';
import { add, exists, remove, removeAll } from '../../src/netns/named.js';
import { nsidMessage } from '../../src/rtnl/nsid.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { hexdump, loadFixture, requestOf } from '../helpers/fixtures.js';

test('namespace names are checked like ip netns checks them, each problem named', () => {
  assert.is(checkNetnsName('blue'), 'blue');
  assert.is(checkNetnsName('x'.repeat(255)), 'x'.repeat(255));
  assert.is(checkNetnsName('ünï'), 'ünï');
  const bad: [unknown, RegExp][] = [
    ['', /must not be empty/],
    ['.', /"\." is not a usable/],
    ['..', /"\.\." is not a usable/],
    ['a/b', /contains "\/"/],
    ['/', /contains "\/"/],
    ['a\0b', /contains a NUL/],
    ['x'.repeat(256), /256 bytes long, longer than a file name may be \(255\)/],
    ['é'.repeat(128), /256 bytes long/],
    [42, /must be a string, got 42/],
    [undefined, /must be a string, got undefined/],
  ];
  for (const [name, re] of bad) {
    assert.throws(() => checkNetnsName(name), (e: Error) => e instanceof EncodeError && re.test(e.message), String(re));
  }
  assert.is(netnsPath('blue'), '/run/netns/blue');
  assert.is(netnsEtcDir('blue'), '/etc/netns/blue');
});

test('a bad namespace name is a NetnsNameError (an EncodeError of its own, not an encoder failure)', () => {
  assert.throws(() => checkNetnsName('a/b', 'lab.netns'), (e: Error) => e instanceof NetnsNameError && e.name === 'NetnsNameError'
    && (e as NetnsNameError).path === 'lab.netns' && e instanceof EncodeError);
});

test('every netns entry point rejects a bad name before touching anything', () => {
  for (const fn of [() => add('a/b'), () => remove('..'), () => exists(''), () => openNetnsRef('a\0'), () => readSysctl('net.ipv4.ip_forward', '.')]) {
    assert.throws(fn, (e: Error) => e instanceof EncodeError);
  }
  assert.throws(() => removeAll('a/'), /cannot start a namespace name/);
  assert.throws(() => removeAll(3 as never), /expected a string/);
});

test('namespace references: name, path, fd, pid, each checked', () => {
  assert.equal(describeRef('blue'), { file: '/run/netns/blue', label: '"blue"', name: 'blue' });
  assert.equal(describeRef({ name: 'blue' }), { file: '/run/netns/blue', label: '"blue"', name: 'blue' });
  assert.equal(describeRef({ path: '/proc/1/ns/net' }), { file: '/proc/1/ns/net', label: '/proc/1/ns/net' });
  assert.equal(describeRef({ fd: 7 }), { fd: 7, label: 'fd 7' });
  assert.equal(describeRef({ pid: 42 }), { file: '/proc/42/ns/net', label: 'pid 42' });
  const bad: [unknown, RegExp][] = [
    [{ pid: 0 }, /netns\.pid: 0 is not a process id/],
    [{ pid: 1.5 }, /is not a process id/],
    [{ pid: '42' }, /is not a process id/],
    [{ fd: -1 }, /netns\.fd: .*file descriptor/],
    [{ path: '' }, /netns\.path: must not be empty/],
    [{ path: 'a\0b' }, /NUL/],
    [{ name: 'x', pid: 1 }, /exactly one of name, path, fd or pid \(got name, pid\)/],
    [{}, /exactly one .*got none/],
    [{ port: 1 }, /exactly one/],
    [null, /expected a namespace name/],
    [5, /expected a namespace name/],
  ];
  for (const [ref, re] of bad) assert.throws(() => describeRef(ref as never), (e: Error) => e instanceof EncodeError && re.test(e.message), String(re));
});

test('opening a namespace that is not there says which and why', () => {
  try {
    openNetnsRef('nlts-unit-missing', 'netns exec "nlts-unit-missing"');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NetnsError);
    assert.is((e as NetnsError).code, 'ENOENT');
    assert.match((e as Error).message, /^netns exec "nlts-unit-missing": no network namespace named "nlts-unit-missing": ENOENT/);
  }
  assert.throws(() => openNetnsRef({ pid: 4194303 }), /no process with pid 4194303: ENOENT/);
  assert.throws(() => openNetnsRef({ path: '/nonexistent/ns' }), /no namespace file at \/nonexistent\/ns/);
  // A regular file is not a namespace (ENOTTY from NS_GET_NSTYPE), nor is another kind of namespace.
  assert.throws(() => openNetnsRef({ path: '/proc/self/status' }), /\/proc\/self\/status is not a namespace file: ENOTTY/);
  assert.throws(() => openNetnsRef({ path: '/proc/self/ns/uts' }), /is a namespace, but not a network namespace: EINVAL/);
  assert.throws(() => openNetnsRef({ fd: 999999 }), /fd 999999 is not open: EBADF/);
  // Our own namespace opens by path and by pid.
  for (const ref of [{ path: '/proc/self/ns/net' }, { pid: process.pid }]) {
    using ns = openNetnsRef(ref);
    assert.ok(ns.fd > 2);
  }
});

test('NetnsError: the operation, the problem, the errno and a hint about privilege', () => {
  const e = new NetnsError('netns add "x"', 'mount', 1, 'cannot bind the namespace to /run/netns/x');
  assert.is(e.code, 'EPERM');
  assert.is(e.errno, 1);
  assert.is(e.syscall, 'mount');
  assert.is(e.message, 'netns add "x": cannot bind the namespace to /run/netns/x: EPERM (operation not permitted); this needs root (CAP_SYS_ADMIN)');
  const again = NetnsError.from(e, 'netns attach "x"', 'ignored') as NetnsError;
  assert.match(again.message, /^netns attach "x": cannot bind the namespace/);
  assert.is(NetnsError.from(e, 'netns add "x"', 'ignored'), e);
  const plain = new Error('not an os error');
  assert.is(NetnsError.from(plain, 'op', 'p'), plain);
  const fsErr = Object.assign(new Error('x'), { errno: -13, code: 'EACCES', syscall: 'open' });
  assert.match((NetnsError.from(fsErr, 'op', 'cannot create /run/netns/x') as Error).message, /^op: cannot create \/run\/netns\/x: EACCES .*needs root/);
});

test('sysctl keys: net.* only, dots or slashes (for names with dots), no escapes', () => {
  assert.is(sysctlPath('net.ipv4.ip_forward'), '/proc/sys/net/ipv4/ip_forward');
  assert.is(sysctlPath('net.ipv6.conf.all.forwarding'), '/proc/sys/net/ipv6/conf/all/forwarding');
  assert.is(sysctlPath('net/ipv4/conf/eth0.100/rp_filter'), '/proc/sys/net/ipv4/conf/eth0.100/rp_filter');
  assert.throws(() => sysctlPath('kernel.hostname'), /is not a net\.\* sysctl/);
  assert.throws(() => sysctlPath('net'), /names a directory/);
  assert.throws(() => sysctlPath('net.ipv4..x'), /empty or invalid part/);
  assert.throws(() => sysctlPath('net/ipv4/../../kernel/x'), /empty or invalid part "\.\."/);
  assert.throws(() => sysctlPath(1 as never), /a key must be a string/);
  assert.throws(() => writeSysctl('net.ipv4.ip_forward', 'a\nb'), /one-line string/);
  assert.throws(() => writeSysctl('net.ipv4.ip_forward', NaN), /number or a one-line string/);
  assert.throws(() => writeSysctl('net.ipv4.ip_forward', {} as never), /number or a one-line string/);
});

test('exec and spawn reject bad input before anything starts', async () => {
  const bad: [() => unknown, RegExp][] = [
    [() => spawn('x', []), /argv: expected a non-empty array/],
    [() => spawn('x', 'ls' as never), /argv: expected a non-empty array/],
    [() => spawn('x', ['']), /argv\[0\]: the program must not be empty/],
    [() => spawn('x', ['ls', 'a\0b']), /argv\[1\]: contains a NUL/],
    [() => spawn('x', ['ls', 3 as never]), /argv\[1\]: expected a string/],
    [() => spawn('x', ['ls'], { env: { 'A=B': '1' } }), /env\.A=B: a variable name/],
    [() => spawn('x', ['ls'], { env: { A: 'a\0' } }), /env\.A: contains a NUL/],
    [() => spawn('x', ['ls'], { uid: -1 }), /uid: -1 is not a user or group id/],
    [() => spawn('x', ['ls'], { gid: 1.5 }), /gid: 1\.5 is not/],
    [() => spawn('x', ['ls'], { groups: [1, 'a' as never] }), /groups\[1\]/],
    [() => spawn('x', ['ls'], { stdio: ['pipe', 'ipc'] }), /stdio\[1\]: "ipc" needs a Node\.js child/],
    [() => spawn('x', ['ls'], { cwd: 'a\0' }), /cwd/],
    [() => spawn('x', ['ls'], { mounts: false, groups: [1] }), /supplementary groups need mounts: true/],
    [() => spawn('a/b', ['ls']), /contains "\/"/],
    [() => spawn({ pid: -3 }, ['ls']), /is not a process id/],
  ];
  for (const [fn, re] of bad) assert.throws(fn, (e: Error) => e instanceof EncodeError && re.test(e.message), String(re));
  // The namespace is opened before anything is spawned: a missing one throws at once.
  assert.throws(() => spawn('nlts-unit-missing', ['true']), /no network namespace named "nlts-unit-missing"/);
  try {
    await exec('nlts-unit-missing', ['true']);
    assert.unreachable();
  } catch (e) {
    assert.is((e as NetnsError).code, 'ENOENT');
  }
  const ac = new AbortController();
  ac.abort();
  assert.throws(() => spawn('x', ['true'], { signal: ac.signal }), /aborted/);
});

test('the ffi additions check their arguments first', () => {
  assert.throws(() => execve('/bin/true', [], []), /argv must hold at least the program name/);
  assert.throws(() => execve('/bin/true', ['a\0'], []), /argv\[0\] must not contain a NUL/);
  assert.throws(() => execve('/bin/true', 'true' as never, []), /argv must be an array of strings/);
  assert.throws(() => execve('/bin/true', ['true'], ['A=1', 2 as never]), /envp\[1\] must be a string/);
  assert.throws(() => execve('/bin/t\0rue', ['true'], []), /path must not contain a NUL/);
  assert.throws(() => execve('/nonexistent/program', ['x'], []), /execve: ENOENT .*\/nonexistent\/program/);
  assert.throws(() => flock(-1, 2), /fd must be a file descriptor/);
  assert.throws(() => ioctlNoArg(0, -1), /request must be an unsigned 32-bit/);
  assert.throws(() => ioctlNoArg(999999, 0xb703), /ioctl: EBADF/);
});

async function rejects(fn: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected a rejection matching ${re}`);
}

const strip = (b: Buffer): Buffer => { const c = Buffer.from(b); c.writeUInt32LE(0, 8); c.writeUInt32LE(0, 12); return c; };

function encode(type: number, flags: number, body: (w: NetlinkWriter) => void): Buffer {
  const w = new NetlinkWriter(64);
  const at = w.beginMessage(type, flags, 0, 0);
  body(w);
  w.endMessage(at);
  return strip(w.toBuffer());
}

test('RTM_NEWNSID and RTM_GETNSID requests equal what ip netns sends', () => {
  const cases: [string, number, number, Parameters<typeof nsidRequest>[2]][] = [
    ['netns/set.json', RTM_NEWNSID, NLM_F_REQUEST | NLM_F_ACK, { fd: 6, nsid: 7 }],
    ['netns/set-auto.json', RTM_NEWNSID, NLM_F_REQUEST | NLM_F_ACK, { fd: 6, nsid: -1 }],
    ['netns/list.json', RTM_GETNSID, NLM_F_REQUEST, { fd: 6 }],
    ['netns/list-id.json', RTM_GETNSID, NLM_F_REQUEST | NLM_F_DUMP, {}],
    ['netns/list-id-target.json', RTM_GETNSID, NLM_F_REQUEST | NLM_F_DUMP, { targetNsid: 7 }],
  ];
  for (const [file, type, flags, value] of cases) {
    const f = loadFixture(file);
    const want = requestOf(f, type);
    const req = nsidRequest(type, 0, value, 'test');
    const got = encode(type, flags, (w) => req.body!(w));
    assert.is(hexdump(got), hexdump(want), `${f.command}`);
  }
});

test('moving a link by namespace fd: the RTM_NEWLINK ip link set DEV netns NAME sends', () => {
  for (const file of ['link/set-netns-name.json', 'link/set-netns-path.json']) {
    const f = loadFixture(file);
    const want = requestOf(f, RTM_NEWLINK);
    const req = linkRequest(RTM_NEWLINK, 0, { index: want.readInt32LE(20), netnsFd: want.readUInt32LE(36) }, 'test');
    assert.is(hexdump(encode(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, (w) => req.body!(w))), hexdump(want), f.command);
  }
});

test('NsidApi against a fake kernel: set by pid, get, list with names, unassigned ids', async () => {
  const k = new FakeKernel((req, reply) => {
    if (req.type === RTM_NEWNSID) { reply.ack(); return; }
    const asked = nsidMessage.decodePayload(req.payload, 0, req.payload.length);
    const answer = (nsid: number, current?: number): void => {
      reply.data(RTM_NEWNSID, (w) => nsidMessage.encodePayload(w, { family: 0, nsid, currentNsid: current }), req.flags & NLM_F_DUMP ? 2 : 0);
    };
    if (req.flags & NLM_F_DUMP) {
      answer(3, asked.targetNsid === undefined ? undefined : 9);
      answer(4);
      reply.done();
      return;
    }
    answer(asked.pid === 1 ? -1 : 12);
    reply.ack();
  });
  const sock = new NetlinkSocket(k);
  const api = new NsidApi(sock);
  await api.set({ pid: 77 }, 5);
  const sent = nsidMessage.decodePayload(k.sent[0]!, 16, k.sent[0]!.length);
  assert.is(sent.pid, 77);
  assert.is(sent.nsid, 5);
  await api.set({ pid: 77 }, 'auto');
  assert.is(nsidMessage.decodePayload(k.sent[1]!, 16, k.sent[1]!.length).nsid, -1);
  assert.is(await api.get({ pid: 1 }), undefined, 'NETNSA_NSID_NOT_ASSIGNED is undefined');
  assert.is(await api.get({ pid: 2 }), 12);
  const all = await api.list();
  assert.equal(all.map((e) => e.nsid), [3, 4]);
  const targeted = await api.list({ targetNsid: 1 });
  assert.is(targeted[0]!.currentNsid, 9);
  assert.is(await api.peerNetns({}), undefined);
  assert.is(await api.nameOf(-1), undefined);
  await rejects(() => api.set({ pid: 1 }, -2 as never), /nsid: -2 is not a namespace id/);
  await rejects(() => api.list({ targetNsid: 2 ** 31 }), /targetNsid/);
  const decoded = decodeNsid(k.sent[0]!, 0, k.sent[0]!.length)!;
  assert.is(decoded.family, 'unspec');
  sock.close();
});

test('trailing options stop at "--": what follows belongs to the program', () => {
  const r = parseGlobal(['-n', 'blue', 'netns', 'exec', 'blue', '--', 'ls', '-s', '--json']);
  assert.is(r.opts.netns, 'blue');
  assert.is(r.opts.json, false);
  assert.is(r.opts.stats, false);
  assert.equal(r.rest, ['netns', 'exec', 'blue', '--', 'ls', '-s', '--json']);
  const l = parseGlobal(['netns', 'exec', 'blue', 'ls', '-s']);
  assert.equal(l.raw, ['netns', 'exec', 'blue', 'ls', '-s']);
  assert.equal(l.rest, ['netns', 'exec', 'blue', 'ls']);
});

test.run();
