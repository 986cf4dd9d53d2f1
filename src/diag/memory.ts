// SK_MEMINFO_* arrays (INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO,
// PACKET_DIAG_MEMINFO, NETLINK_DIAG_MEMINFO): u32s indexed by the kernel's
// numbers; older kernels send fewer of them.
import {
  SK_MEMINFO_BACKLOG, SK_MEMINFO_DROPS, SK_MEMINFO_FWD_ALLOC, SK_MEMINFO_OPTMEM, SK_MEMINFO_RCVBUF,
  SK_MEMINFO_RMEM_ALLOC, SK_MEMINFO_SNDBUF, SK_MEMINFO_WMEM_ALLOC, SK_MEMINFO_WMEM_QUEUED,
} from '../generated/linux/sock_diag.js';
import type { DecodeIssue } from '../netlink/errors.js';
import type { SocketMemory } from './types.js';

export function decodeMemory(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): SocketMemory | undefined {
  const n = (end - start) >> 2;
  if (n <= SK_MEMINFO_OPTMEM) {
    issues?.push({ path, problem: `${end - start} bytes, the memory counters need at least ${(SK_MEMINFO_OPTMEM + 1) * 4}`, offset: start });
    return undefined;
  }
  const at = (i: number): number => buf.readUInt32LE(start + 4 * i);
  const m: SocketMemory = {
    rmemAlloc: at(SK_MEMINFO_RMEM_ALLOC), rcvbuf: at(SK_MEMINFO_RCVBUF), wmemAlloc: at(SK_MEMINFO_WMEM_ALLOC),
    sndbuf: at(SK_MEMINFO_SNDBUF), fwdAlloc: at(SK_MEMINFO_FWD_ALLOC), wmemQueued: at(SK_MEMINFO_WMEM_QUEUED),
    optmem: at(SK_MEMINFO_OPTMEM),
  };
  if (n > SK_MEMINFO_BACKLOG) m.backlog = at(SK_MEMINFO_BACKLOG);
  if (n > SK_MEMINFO_DROPS) m.drops = at(SK_MEMINFO_DROPS);
  return m;
}

/** A little-endian u64 (a cookie, a cgroup id) as a bigint: one BigInt made when the high word is 0, as it nearly always is. */
export function readBigU64(buf: Buffer, at: number): bigint {
  const hi = buf.readUInt32LE(at + 4);
  const lo = buf.readUInt32LE(at);
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}
