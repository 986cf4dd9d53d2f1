// What is chosen per platform: the C library to dlopen (from the files a
// process has mapped) and the kernel tables of the architecture Node runs on.
// Both are tested with injected inputs, so every platform's answer is checked
// on this one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectCLibrary, mappedFiles } from '../../src/ffi/c-library.js';
import { forArch } from '../../src/generated/arch.js';
import * as unistd from '../../src/generated/asm/unistd.js';
import * as fcntl from '../../src/generated/asm/fcntl.js';
import * as x86_64Unistd from '../../src/generated/arch/x86_64/asm/unistd.js';
import * as aarch64Unistd from '../../src/generated/arch/aarch64/asm/unistd.js';
import * as x86_64Fcntl from '../../src/generated/arch/x86_64/asm/fcntl.js';
import * as aarch64Fcntl from '../../src/generated/arch/aarch64/asm/fcntl.js';

const GLIBC_MAPS = `55d0c0a00000-55d0c0b00000 r--p 00000000 08:01 1234 /usr/bin/node
7f0000000000-7f0000100000 r-xp 00000000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
7f0000200000-7f0000201000 rw-p 00000000 00:00 0 [heap]`;
const MUSL_MAPS = `55d0c0a00000-55d0c0b00000 r--p 00000000 08:01 1234 /usr/bin/node
7f0000000000-7f0000100000 r-xp 00000000 08:01 99 /lib/ld-musl-aarch64.so.1
7f0000300000-7f0000400000 r-xp 00000000 08:01 98 /usr/lib/libstdc++.so.6.0.32`;

test('mappedFiles keeps the paths of /proc/self/maps lines', () => {
  assert.equal([...mappedFiles(GLIBC_MAPS)], ['/usr/bin/node', '/usr/lib/x86_64-linux-gnu/libc.so.6']);
  assert.equal(mappedFiles(''), new Set());
});

test('glibc: libc.so.6 mapped', () => {
  assert.equal(detectCLibrary(mappedFiles(GLIBC_MAPS), 'x64'), { family: 'glibc', soname: 'libc.so.6' });
});

test("musl: its loader is the libc, named as musl's programs name it", () => {
  assert.equal(detectCLibrary(mappedFiles(MUSL_MAPS), 'arm64'), { family: 'musl', soname: 'libc.musl-aarch64.so.1' });
  assert.equal(detectCLibrary(new Set(['/usr/bin/node', '/lib/libc.musl-x86_64.so.1']), 'x64'), { family: 'musl', soname: 'libc.musl-x86_64.so.1' });
  // Mapped files but neither libc seen: not glibc; the name comes from the architecture.
  assert.equal(detectCLibrary(new Set(['/usr/bin/node']), 'x64'), { family: 'musl', soname: 'libc.musl-x86_64.so.1' });
});

test('nothing known to be mapped (no /proc): glibc, as ffi-rs assumes', () => {
  assert.equal(detectCLibrary(new Set(), 'arm64'), { family: 'glibc', soname: 'libc.so.6' });
});

test('this process: glibc here, the library libc.ts opens', () => {
  assert.is(detectCLibrary(mappedFiles()).soname, 'libc.so.6');
});

test('forArch picks the table of the architecture named, and refuses one it lacks', () => {
  const tables = { x64: x86_64Unistd, arm64: aarch64Unistd };
  assert.is(forArch('asm/unistd', tables, 'x64').__NR_bpf, 321);
  assert.is(forArch('asm/unistd', tables, 'arm64').__NR_bpf, 280);
  assert.throws(() => forArch('asm/unistd', tables, 'riscv64'), /asm\/unistd tables for x64 and arm64, not for process.arch 'riscv64'/);
  // Inherited names are not architectures.
  assert.throws(() => forArch('asm/unistd', tables, 'toString'), /not for process.arch 'toString'/);
});

test('the choosers export the running architecture’s numbers', () => {
  const mine = process.arch === 'arm64' ? { u: aarch64Unistd, f: aarch64Fcntl } : { u: x86_64Unistd, f: x86_64Fcntl };
  assert.is(unistd.__NR_bpf, mine.u.__NR_bpf);
  assert.is(fcntl.O_DIRECTORY, mine.f.O_DIRECTORY);
  // The difference the per-architecture tables exist for (arm64's asm/fcntl.h).
  assert.is(x86_64Fcntl.O_DIRECTORY, 0o200000);
  assert.is(aarch64Fcntl.O_DIRECTORY, 0o40000);
  assert.is(aarch64Fcntl.O_NOFOLLOW, 0o100000);
});

test.run();
