// The bpf(2) system call, for what the tc API needs from it: opening a
// program pinned in bpffs (BPF_OBJ_GET) to attach it by fd, and, for tests
// and tools, loading a small program and pinning it.
import { __NR_bpf } from '../generated/asm/unistd.js';
import { BPF_OBJ_GET, BPF_OBJ_PIN, BPF_PROG_LOAD, bpf_attr } from '../generated/linux/bpf.js';
import { addressOf, syscallBuffer } from './libc.js';
import { checkBuffer, checkCString, checkFd, checkInt32 } from './validate.js';

function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

function field(name: string): { offset: number } {
  const f = bpf_attr.fields.find((x) => x.name === name);
  if (!f) throw new Error(`bpf_attr has no field ${name}`);
  return f;
}

/** Opens a pinned program or map; returns a new file descriptor (close it when done). */
export function bpfObjGet(path: string): number {
  const p = cstr(checkCString('path', path));
  const attr = Buffer.alloc(bpf_attr.size);
  attr.writeBigUInt64LE(BigInt(addressOf(p)), field('pathname').offset);
  const fd = syscallBuffer(__NR_bpf, BPF_OBJ_GET, attr);
  p.fill(0, 0, 0); // keeps `p` alive until the call has returned
  return fd;
}

/** Pins an fd at a bpffs path. */
export function bpfObjPin(fd: number, path: string): void {
  const p = cstr(checkCString('path', path));
  const attr = Buffer.alloc(bpf_attr.size);
  attr.writeBigUInt64LE(BigInt(addressOf(p)), field('pathname').offset);
  attr.writeUInt32LE(checkFd('fd', fd), field('bpf_fd').offset);
  syscallBuffer(__NR_bpf, BPF_OBJ_PIN, attr);
  p.fill(0, 0, 0);
}

/** Loads a program (instructions as raw 8-byte bpf_insn); returns its fd. */
export function bpfProgLoad(type: number, insns: Buffer, license = 'GPL'): number {
  checkBuffer('insns', insns, 8);
  const lic = cstr(license);
  const attr = Buffer.alloc(bpf_attr.size);
  attr.writeUInt32LE(checkInt32('type', type), field('prog_type').offset);
  attr.writeUInt32LE(insns.length / 8, field('insn_cnt').offset);
  attr.writeBigUInt64LE(BigInt(addressOf(insns)), field('insns').offset);
  attr.writeBigUInt64LE(BigInt(addressOf(lic)), field('license').offset);
  const fd = syscallBuffer(__NR_bpf, BPF_PROG_LOAD, attr);
  lic.fill(0, 0, 0);
  return fd;
}
