// A client on a FakeKernel that knows some links by name and index: it
// answers link lookups, ACKs every change and keeps what was sent, so unit
// tests can compare our request bytes with what iproute2 sent.
import { NLM_F_DUMP } from '../../src/generated/linux/netlink.js';
import { RTM_GETLINK, RTM_NEWLINK } from '../../src/generated/linux/rtnetlink.js';
import { Rtnl } from '../../src/client.js';
import { linkMessage } from '../../src/rtnl/link.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import { splitMessages } from '../fixtures/capture.js';
import { normalize } from './fixtures.js';

export const ENODEV = 19;

export interface FakeLinks {
  nl: Rtnl;
  kernel: FakeKernel;
  /** The messages sent, normalized (seq and port zeroed), one Buffer each. */
  sent(): Buffer[];
  /** The last message of this type sent. */
  last(type: number): Buffer;
}

export function fakeLinks(links: Record<string, number> = {}, refuse?: (type: number, payload: Buffer) => number | undefined): FakeLinks {
  const kernel = new FakeKernel((req, reply) => {
    const errno = refuse?.(req.type, req.payload);
    if (errno) { reply.error(errno, { message: 'refused by the fake kernel' }); return; }
    // NLM_F_DUMP is two bits; NLM_F_EXCL of a NEWLINK shares one of them.
    const dump = (req.flags & NLM_F_DUMP) === NLM_F_DUMP;
    if (req.type === RTM_GETLINK && !dump) {
      const q = linkMessage.decodePayload(req.payload, 0, req.payload.length);
      const entry = Object.entries(links).find(([name, index]) => (q.index ? index === q.index : name === q.name));
      if (!entry) { reply.error(ENODEV); return; }
      reply.data(RTM_NEWLINK, (w) => linkMessage.encodePayload(w, { index: entry[1], name: entry[0], flags: [] }));
      reply.ack();
      return;
    }
    if (dump) reply.done();
    else reply.ack();
  });
  const nl = Rtnl.openSync({ transport: kernel });
  const sent = (): Buffer[] => kernel.sent.flatMap((d) => splitMessages(d)).map((m) => normalize(m));
  return {
    nl, kernel, sent,
    last(type) {
      const m = [...sent()].reverse().find((b) => b.readUInt16LE(4) === type);
      if (!m) throw new Error(`nothing of type ${type} was sent`);
      return m;
    },
  };
}
