// list() and stream() of every dumpable family, from one description of the
// dump: the request (the kernel-side filter) and what the kernel does not
// filter (docs/architecture.md, "Data path of a dump").
import type { Decoder, Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';

/** A dump: its request(s), and the objects to keep of what it returns (all when absent). */
export interface DumpQuery<T> {
  /** One request, or one per device for kinds the kernel lists per device (tc classes). */
  req: Request | readonly Request[];
  /** Which dumped objects to keep (the filters the kernel does not apply). */
  keep?(obj: T): boolean;
  /** A refusal that means "nothing to list" (a route table that does not exist). */
  empty?: (err: unknown) => boolean;
  /** The request names one object and is answered by a reply, not a dump (the statistics of one device). */
  reply?: boolean;
}

const requestsOf = (req: Request | readonly Request[]): readonly Request[] => ('type' in req ? [req] : req);

/** Every object of the dump, held in one array. */
export async function listOf<T>(sock: Requester, q: DumpQuery<T>, decode: Decoder<T>): Promise<T[]> {
  const reqs = requestsOf(q.req);
  const out: T[] = [];
  try {
    if (q.reply) {
      for (const req of reqs) out.push(...(await sock.request({ ...req, expectReply: true }, decode)).filter((obj) => !q.keep || q.keep(obj)));
      return out;
    }
    if (reqs.length === 1) {
      const all = await sock.dump(reqs[0]!, decode);
      return q.keep ? all.filter((obj) => q.keep!(obj)) : all;
    }
    for (const req of reqs) {
      const all = await sock.dump(req, decode);
      for (const obj of all) if (!q.keep || q.keep(obj)) out.push(obj);
    }
  } catch (err) {
    if (q.empty?.(err)) return [];
    throw err;
  }
  return out;
}

/** The objects as their datagrams are read: memory stays flat however many there are. */
export async function* streamOf<T>(sock: Requester, q: DumpQuery<T>, decode: Decoder<T>): AsyncGenerator<T> {
  try {
    if (q.reply) {
      yield* await listOf(sock, q, decode);
      return;
    }
    for (const req of requestsOf(q.req)) {
      for await (const obj of sock.dumpStream(req, decode)) if (!q.keep || q.keep(obj)) yield obj;
    }
  } catch (err) {
    if (q.empty?.(err)) return;
    throw err;
  }
}
