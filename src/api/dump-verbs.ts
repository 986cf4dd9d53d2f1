// list() and stream() of every dumpable family, from one description of the
// dump: the request (the kernel-side filter) and what the kernel does not
// filter (docs/architecture.md, "Data path of a dump").
import type { Decoder, Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';

/** A dump: its request, and the objects to keep of what it returns (all when absent). */
export interface DumpQuery<T> {
  req: Request;
  keep?: (obj: T) => boolean;
}

/** Every object of the dump, held in one array. */
export async function listOf<T>(sock: Requester, q: DumpQuery<T>, decode: Decoder<T>): Promise<T[]> {
  const all = await sock.dump(q.req, decode);
  return q.keep ? all.filter(q.keep) : all;
}

/** The objects as their datagrams are read: memory stays flat however many there are. */
export async function* streamOf<T>(sock: Requester, q: DumpQuery<T>, decode: Decoder<T>): AsyncGenerator<T> {
  for await (const obj of sock.dumpStream(q.req, decode)) if (!q.keep || q.keep(obj)) yield obj;
}
