import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync } from 'node:fs';
import { bind, fcntl, getsockname, getsockopt, mount, recv, setns, setsockopt, socket, umount2, unshare } from '../../src/ffi/libc.js';
import { OsError, fromNodeError } from '../../src/ffi/os-error.js';
import { errnoByName, errnoMessage, errnoName } from '../../src/netlink/errno.js';

test('errno numbers and names', () => {
  assert.is(errnoName(17), 'EEXIST');
  assert.is(errnoName(1), 'EPERM');
  assert.is(errnoName(11), 'EAGAIN');
  assert.is(errnoName(95), 'EOPNOTSUPP');
  assert.is(errnoName(524), 'ENOTSUPP');
  assert.is(errnoName(9999), 'E9999');
  assert.is(errnoByName('ENOBUFS'), 105);
  assert.match(errnoMessage(2), /no such file/i);
  const e = new OsError('bind', 98, 'port 5');
  assert.is(e.code, 'EADDRINUSE');
  assert.match(e.message, /bind: EADDRINUSE .*port 5/);
  const wrapped = fromNodeError('read', Object.assign(new Error('x'), { errno: -9, code: 'EBADF' }));
  assert.instance(wrapped, OsError);
  assert.is((wrapped as OsError).errno, 9);
  const other = new Error('plain');
  assert.is(fromNodeError('read', other), other);
});

test('every entry point rejects wrong JS types before ffi-rs sees them', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => socket(16, 3, 2 ** 40), /protocol must be a 32-bit integer/],
    [() => socket('16' as never, 3, 0), /domain must be a 32-bit integer/],
    [() => socket(16, -1, 0), /type must be an unsigned 32-bit/],
    [() => bind(-1, Buffer.alloc(12)), /fd must be a file descriptor/],
    [() => bind(3, new Uint8Array(12) as never), /addr must be a Buffer, got Uint8Array/],
    [() => bind(3, Buffer.alloc(1)), /at least 2 bytes/],
    [() => getsockname(1.5, Buffer.alloc(12)), /file descriptor/],
    [() => setsockopt(3, 270, 11, 1 as never), /optval must be a Buffer/],
    [() => getsockopt(3, 270, 11, Buffer.alloc(0)), /at least 1 bytes/],
    [() => recv(3, null as never, 0), /buf must be a Buffer, got null/],
    [() => fcntl(3, 1030, 2 ** 33), /arg must be a 32-bit integer/],
    [() => setns(3, 0.5), /nstype must be an unsigned 32-bit/],
    [() => unshare(-1), /flags must be an unsigned 32-bit/],
    [() => mount(null, '/a\0b', null, 0, null), /target must not contain a NUL/],
    [() => mount(null, '/x', null, -1, null), /mount flags/],
    [() => umount2(42 as never, 0), /target must be a string/],
  ];
  for (const [fn, re] of bad) assert.throws(fn, re, String(re));
});

test('a netlink socket opens, binds, names itself and reports errno on misuse', () => {
  const fd = socket(16, 3 | 0o2000000 | 0o4000, 0);
  try {
    const addr = Buffer.alloc(12);
    addr.writeUInt16LE(16, 0);
    bind(fd, addr);
    assert.is(getsockname(fd, addr), 12);
    assert.ok(addr.readUInt32LE(4) > 0, 'kernel assigned a port id');
    const one = Buffer.alloc(4);
    one.writeInt32LE(1);
    setsockopt(fd, 270, 11, one);
    const out = Buffer.alloc(4);
    assert.is(getsockopt(fd, 270, 11, out), 4);
    assert.is(out.readInt32LE(), 1);
    assert.is(recv(fd, Buffer.alloc(0), 0x22), -1, 'MSG_PEEK|MSG_TRUNC on an empty socket is EAGAIN, reported as -1');
    const dup = fcntl(fd, 1030, 0);
    assert.ok(dup > fd);
    closeSync(dup);
    const inet = Buffer.alloc(16);
    inet.writeUInt16LE(2, 0); // AF_INET address for a netlink socket
    assert.throws(() => bind(fd, inet), (e: Error) => e instanceof OsError && e.code === 'EINVAL' && e.syscall === 'bind');
  } finally {
    closeSync(fd);
  }
  assert.throws(() => socket(16, 3, 9999), (e: Error) => e instanceof OsError && e.syscall === 'socket');
  assert.throws(() => setsockopt(987654, 1, 1, Buffer.alloc(4)), (e: Error) => e instanceof OsError && e.code === 'EBADF');
});

test.run();
