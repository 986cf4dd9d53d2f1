// What the tc families (qdisc, class, filter) share in their descriptors:
// the device of a change given by name or index, the context their options
// encoders may ask (other devices' indexes, the device's speed, pinned BPF
// objects), and the link dump for the kinds the kernel lists per device.
import { AF_PACKET } from '../../generated/libc/socket.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import type { Request } from '../../netlink/request.js';
import { NetlinkWriter } from '../../netlink/writer.js';
import { decodeLink } from '../../rtnl/link.js';
import type { EncodeContext } from '../../rtnl/tc/kind.js';
import type { BuildContext, DumpVia } from '../family.js';
import { linkRequest } from './link.js';

// Counters (statistics, htb's count of packets sent straight through), and the warning a
// notification may carry (TCA_EXT_WARN_MSG: about the request, not part of the object's state).
export const tcVolatile = ['stats', 'xstats', 'directPacketsStat', 'warning'];

/** Every link's index, for the kinds the kernel lists per device. */
export async function ifindexes(dump: DumpVia): Promise<number[]> {
  return (await dump(linkRequest(R.RTM_GETLINK, 0, { family: AF_PACKET }, 'link show'), decodeLink)).map((l) => l.index);
}

/**
 * The context a tc change's options encoders get: the engine's lookups, with
 * `what` naming the fields in errors (qdisc.options).
 */
export function tcContext(ctx: BuildContext, ifindex: number, what: string): EncodeContext {
  return {
    ifindex: (n) => ctx.ifindex(n, `${what}.options`),
    speedMbit: () => ctx.speedMbit(ifindex),
    bpfObjGet: (path) => ctx.bpfObjGet(path),
  };
}

/**
 * A tc request encoded now, while the build's context is in force: the
 * options' encoders ask for devices and speeds as they write (mirred's target
 * device), so what they ask is known when the build returns, and the bytes
 * are written once.
 */
export function encodedNow(req: Request): Request {
  const w = new NetlinkWriter(256);
  req.body?.(w);
  const { body: _body, ...rest } = req;
  return { ...rest, payload: w.toBuffer() };
}

/** A tc change's input must be an object with its device (`dev`, by name or index). */
export function checkTcInput<I>(input: I, what: string): I & object {
  if (input === null || typeof input !== 'object') throw new EncodeError(what, `expected a ${what} object, got ${describe(input)}`);
  return input;
}
