// Helpers for the traffic-control tests: the bytes a Request becomes on the
// wire (as the socket frames it), and the device index a fixture's tc used.
import { NLM_F_ACK, NLM_F_REQUEST } from '../../src/generated/linux/netlink.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import type { Request } from '../../src/socket/messages.js';
import type { Fixture } from '../fixtures/capture.js';
import { normalize, requestOf } from './fixtures.js';

/** The message a NetlinkSocket sends for one request that asks for an ACK (seq and port 0). */
export function requestBytes(req: Request): Buffer {
  const w = new NetlinkWriter();
  const at = w.beginMessage(req.type, NLM_F_REQUEST | NLM_F_ACK | (req.flags ?? 0), 0, 0);
  req.body?.(w);
  w.endMessage(at);
  return normalize(w.toBuffer());
}

/** tcm_ifindex of the fixture's request of this type. */
export function fixtureIfindex(f: Fixture, type: number): number {
  return requestOf(f, type).readInt32LE(16 + 4);
}
