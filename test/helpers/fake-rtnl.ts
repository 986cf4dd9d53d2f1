// An Rtnl client over a FakeKernel that knows three links (lo, nlts-v0 = 10,
// nlts-v1 = 11, the indexes the fixtures were captured with), answers link
// lookups and dumps, acks changes, and records every message sent.
import { Rtnl } from '../../src/client.js';
import { NLM_F_ACK } from '../../src/generated/linux/netlink.js';
import { RTM_GETLINK, RTM_GETROUTE, RTM_NEWLINK, RTM_NEWROUTE } from '../../src/generated/linux/rtnetlink.js';
import { linkMessage } from '../../src/rtnl/link.js';
import { routeMessage } from '../../src/rtnl/route.js';
import type { RouteMessageInput } from '../../src/rtnl/route.js';
import { forEachMessage } from '../../src/netlink/reader.js';
import { FakeKernel, type FakeHandler } from '../../src/socket/fake-kernel.js';

export const LINKS = [
  { index: 1, name: 'lo', type: 'loopback', flags: ['loopback', 'up'] },
  { index: 10, name: 'nlts-v0', type: 'ether', flags: ['broadcast', 'multicast', 'up'] },
  { index: 11, name: 'nlts-v1', type: 'ether', flags: ['broadcast', 'multicast', 'up'] },
] as const;

const DUMP = 0x300;
/** NLM_F_DUMP on a GET: the same bits mean EXCL and REPLACE on a NEW. */
const isDump = (type: number, flags: number): boolean => type % 4 === 2 && (flags & DUMP) === DUMP;

export interface FakeRtnl {
  nl: Rtnl;
  k: FakeKernel;
  /** Every message sent, one Buffer each, in order. */
  messages(): Buffer[];
  /** The last message of this type. */
  last(type: number): Buffer;
  /** Routes the fake answers dumps and lookups with. */
  routes: RouteMessageInput[];
}

/** `handle` sees each request first; returning true means it answered. */
export function fakeRtnl(handle?: (...a: Parameters<FakeHandler>) => boolean): FakeRtnl {
  const routes: RouteMessageInput[] = [];
  const k = new FakeKernel((req, reply) => {
    if (handle?.(req, reply)) return;
    const dump = isDump(req.type, req.flags);
    if (req.type === RTM_GETLINK) {
      const want = linkMessage.decodePayload(req.payload, 0, req.payload.length);
      const found = LINKS.filter((l) => dump || l.index === want.index || l.name === want.name);
      if (!found.length) { reply.error(19, { message: 'no such device' }); return; }
      for (const l of found) reply.data(RTM_NEWLINK, (w) => linkMessage.encodePayload(w, { family: 'unspec', ...l, flags: [...l.flags] }), dump ? 2 : 0);
      if (dump) reply.done(); else reply.ack();
      return;
    }
    if (req.type === RTM_GETROUTE) {
      // A lookup with no routes given is answered with its own request, which is a route message too.
      if (!dump && !routes.length) reply.data(RTM_NEWROUTE, req.payload);
      for (const r of routes) reply.data(RTM_NEWROUTE, (w) => routeMessage.encodePayload(w, r), dump ? 2 : 0);
      if (dump) reply.done(); else reply.ack();
      return;
    }
    if (dump) reply.done();
    else if (req.flags & NLM_F_ACK) reply.ack();
  });
  const nl = Rtnl.openSync({ transport: k });
  const messages = (): Buffer[] => {
    const out: Buffer[] = [];
    for (const d of k.sent) forEachMessage(d, d.length, (s, len) => { out.push(d.subarray(s, s + len)); });
    return out;
  };
  return {
    nl, k, routes, messages,
    last(type) {
      const m = messages().reverse().find((x) => x.readUInt16LE(4) === type);
      if (!m) throw new Error(`nothing of type ${type} was sent`);
      return m;
    },
  };
}
