// `ip route save` / `ip route restore` / `ip route showdump`: a binary
// stream of the kernel's own RTM_NEWROUTE messages as a dump returns them,
// after a 4-byte magic (ip/iproute.c of iproute2 6.1: route_dump_magic,
// host byte order). A stream ip wrote is read here, and one written here is
// read by ip: the same format, byte for byte (docs/routes-encap.md).
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_REQUEST } from '../generated/linux/netlink.js';
import { RTA_DST, RTA_GATEWAY, RTA_MULTIPATH, RTA_PREFSRC, RTM_GETROUTE, RTM_NEWROUTE, rtmsg } from '../generated/linux/rtnetlink.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import { forEachAttr } from '../netlink/reader.js';
import { NLMSG_HDRLEN, align4 } from '../netlink/writer.js';
import { type Route, decodeRoute } from '../rtnl/route.js';
import type { Requester } from '../socket/netlink-socket.js';
import { resolvedBuild } from './engine.js';
import type { Resolve } from './name-cache.js';
import { type RouteListFilter, checkedRoute, dumpMessage, routeMessageRequest } from './families/route.js';

/** The first four bytes of a saved route dump (ip's route_dump_magic), little-endian as ip writes it on x86 and arm64. */
export const ROUTE_DUMP_MAGIC = 0x45311224;

/**
 * The routes a listing with this filter returns (table main unless told
 * otherwise, as `ip route save`), that `where` accepts, as ip's save format:
 * the magic, then each message exactly as the kernel sent it.
 */
export async function saveRoutes(sock: Requester, resolve: Resolve, filter: RouteListFilter & { where?: (r: Route) => boolean } = {}): Promise<Buffer> {
  const f = { ...filter, table: filter.table ?? 'main' };
  const msg = await resolvedBuild((ctx) => checkedRoute(dumpMessage(f, ctx.ifindex)), resolve);
  const parts: Buffer[] = [Buffer.alloc(4)];
  parts[0]!.writeUInt32LE(ROUTE_DUMP_MAGIC, 0);
  try {
    await sock.dump(routeMessageRequest(RTM_GETROUTE, 0, msg, 'route save', true), (buf, start, length) => {
      if (f.where && !f.where(decodeRoute(buf, start, length)!)) return undefined;
      parts.push(Buffer.from(buf.subarray(start, start + length)));
      return undefined;
    });
  } catch (err) {
    if (!(err instanceof NetlinkError && err.code === 'ENOENT')) throw err;
  }
  return Buffer.concat(parts);
}

/** The messages of a saved dump (checked: the magic, and each length); an EncodeError says what is wrong. */
export function routeDumpMessages(data: Uint8Array): Buffer[] {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (b.length < 4 || b.readUInt32LE(0) !== ROUTE_DUMP_MAGIC) {
    throw new EncodeError('routeDump', `not a saved route dump: magic ${b.length < 4 ? 'missing' : `0x${b.readUInt32LE(0).toString(16)}`}, expected 0x${ROUTE_DUMP_MAGIC.toString(16)}`);
  }
  const out: Buffer[] = [];
  for (let at = 4; at < b.length;) {
    if (b.length - at < NLMSG_HDRLEN) throw new EncodeError('routeDump', `truncated message at byte ${at}`);
    const len = b.readUInt32LE(at);
    if (len < NLMSG_HDRLEN + rtmsg.size || len > b.length - at || len > 16384) throw new EncodeError('routeDump', `malformed message: length ${len} at byte ${at}`);
    out.push(b.subarray(at, at + len));
    at += align4(len);
  }
  return out;
}

/** The routes of a saved dump, decoded (`ip route showdump`). */
export function readRouteDump(data: Uint8Array): Route[] {
  return routeDumpMessages(data).map((m) => decodeRoute(m, 0, m.length)!);
}

/**
 * ip's restore order: routes to local addresses first (no gateway, no
 * preferred source or one equal to the destination), then routes to local
 * networks (a preferred source), then routes through a gateway. A multipath
 * route goes with the gateways here: ip 6.1 sends it first, before the
 * networks its gateways are on, and the kernel refuses it (ENETUNREACH).
 */
function passOf(m: Buffer): number {
  let dst: Buffer | undefined;
  let prefsrc: Buffer | undefined;
  let gateway = false;
  forEachAttr(m, NLMSG_HDRLEN + align4(rtmsg.size), m.length, (t, s, e) => {
    const type = t & 0x3fff;
    if (type === RTA_GATEWAY || type === RTA_MULTIPATH) gateway = true;
    else if (type === RTA_DST) dst = m.subarray(s, e);
    else if (type === RTA_PREFSRC) prefsrc = m.subarray(s, e);
  });
  if (gateway) return 2;
  return prefsrc === undefined || (dst !== undefined && dst.equals(prefsrc)) ? 0 : 1;
}

/**
 * Adds the routes of a saved dump, like `ip route restore`: in ip's three
 * passes, each message as saved with NLM_F_CREATE (and no EXCL: a route that
 * exists is left as it is). Returns how many were added and how many existed.
 */
export async function restoreRoutes(sock: Requester, data: Uint8Array): Promise<{ added: number; existed: number }> {
  const msgs = routeDumpMessages(data);
  let added = 0;
  let existed = 0;
  for (let pass = 0; pass < 3; pass++) {
    const reqs = msgs.filter((m) => passOf(m) === pass).map((m) => ({
      type: m.readUInt16LE(4) === RTM_NEWROUTE ? RTM_NEWROUTE : m.readUInt16LE(4),
      flags: (m.readUInt16LE(6) & ~(NLM_F_REQUEST | NLM_F_ACK)) | NLM_F_CREATE,
      payload: m.subarray(NLMSG_HDRLEN),
      headerSize: align4(rtmsg.size),
      operation: 'route restore',
      expectReply: false,
    }));
    if (!reqs.length) continue;
    const r = await sock.batch(reqs);
    const failed = r.errors.filter((e) => e.code !== 'EEXIST');
    if (failed.length) throw failed[0];
    existed += r.errors.length;
    added += reqs.length - r.errors.length;
  }
  return { added, existed };
}
