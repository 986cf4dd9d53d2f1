// Raw sockets from /proc/net/raw and /proc/net/raw6, read as ss reads them
// when the kernel has no raw_diag (CONFIG_INET_RAW_DIAG): ss 6.1's
// dgram_show_line. Only this process's own namespace has them there, so
// this is for a command without -n/-N.
import { readFileSync } from 'node:fs';
import { checkFilter, matchFilter, type SocketFilter } from '../../diag/filter.js';
import { stateName } from '../../diag/states.js';
import type { InetSocket } from '../../diag/types.js';
import { formatIPv4, formatIPv6 } from '../../netlink/ip.js';

/** `%08X...:%04X` as the kernel prints an address and port: each 32-bit word in host (little-endian) order. */
function endpoint(text: string): { address: string; port: number; bytes: Buffer } {
  const [hex, port] = text.split(':') as [string, string];
  const bytes = Buffer.alloc(hex.length / 2);
  for (let i = 0; i < hex.length / 8; i++) bytes.writeUInt32LE(parseInt(hex.slice(8 * i, 8 * i + 8), 16) >>> 0, 4 * i);
  return { address: bytes.length === 4 ? formatIPv4(bytes) : formatIPv6(bytes), port: parseInt(port, 16), bytes };
}

function parse(text: string, family: 4 | 6): InetSocket[] {
  const out: InetSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [, local, remote, st, queues, , , uid, , inode] = f as string[];
    const [wq, rq] = queues!.split(':').map((x) => parseInt(x, 16)) as [number, number];
    const stateNumber = parseInt(st!, 16);
    out.push({
      kind: 'inet', protocol: 'raw', family, stateNumber, state: stateName(stateNumber), local: endpoint(local!), remote: endpoint(remote!),
      ifindex: 0, uid: Number(uid), inode: Number(inode), cookie: 0n, recvQ: rq, sendQ: wq, timer: 0, expires: 0, retransmits: 0,
    });
  }
  return out;
}

/** The raw sockets of these families in these states (bit n: state n) that the filter keeps. */
export function procRawSockets(families: readonly (4 | 6)[], states: number, filter?: SocketFilter, proc = '/proc'): InetSocket[] {
  const node = filter === undefined ? undefined : checkFilter(filter);
  const out: InetSocket[] = [];
  for (const family of families) {
    let text: string;
    try { text = readFileSync(`${proc}/net/${family === 4 ? 'raw' : 'raw6'}`, 'latin1'); } catch { continue; }
    for (const s of parse(text, family)) {
      if (!(states & (1 << s.stateNumber))) continue;
      if (node && !matchFilter(node, { lport: s.local.port, rport: s.remote.port, local: s.local.bytes, remote: s.remote.bytes })) continue;
      out.push(s);
    }
  }
  return out;
}
