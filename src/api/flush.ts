// Flushing a table the way `ip route flush` does: one dump, and every object
// it lists sent straight back as a delete request — the same bytes with the
// message type changed — in one pipelined batch. Nothing is decoded into
// objects or encoded again, so a 100,000-route flush costs little more than
// the kernel's own work.
import type { StructLayout } from '../generated/layout.js';
import { NLM_F_REQUEST } from '../generated/linux/netlink.js';
import { NLMSG_HDRLEN, NetlinkWriter } from '../netlink/writer.js';
import type { Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';

/** Where a field of the family header sits in a dumped message (for `keep` to read it without decoding). */
export function headerFieldAt(header: StructLayout, field: string): number {
  const f = header.fields.find((x) => x.name === field);
  if (!f) throw new Error(`${header.name} has no field ${field}`);
  return NLMSG_HDRLEN + f.offset;
}

export interface FlushOptions {
  /** The message type that deletes one object (RTM_DELROUTE...). */
  deleteType: number;
  /** Only the dumped messages this accepts (buf[start] is the nlmsghdr); default all. */
  keep?: (buf: Buffer, start: number) => boolean;
  /** Refusals that mean "already gone", not failure (ESRCH...). */
  gone?: readonly string[];
}

/** Dumps with `dump` and deletes what it lists; returns how many were deleted. Other refusals: the first is thrown. */
export async function flushDumped(sock: Requester, dump: Request, opts: FlushOptions): Promise<number> {
  const w = new NetlinkWriter(64 * 1024);
  const starts: number[] = [];
  await sock.dump(dump, (buf, start, length) => {
    if (opts.keep && !opts.keep(buf, start)) return undefined;
    starts.push(w.length);
    w.copyFrom(buf, start, start + length);
    w.pad();
    return undefined;
  });
  const buf = w.view();
  for (const at of starts) {
    buf.writeUInt16LE(opts.deleteType, at + 4);
    buf.writeUInt16LE(NLM_F_REQUEST, at + 6);
    buf.writeUInt32LE(0, at + 12);
  }
  starts.push(w.length);
  const operation = `${dump.operation ?? 'dump'} (flush)`;
  const r = await sock.batchEncoded({ buf, starts, count: starts.length - 1, describe: () => ({ operation, headerSize: dump.headerSize }) });
  const failed = r.errors.filter((e) => !(opts.gone ?? []).includes(e.code));
  if (failed.length) throw failed[0];
  return starts.length - 1 - r.errors.length;
}
