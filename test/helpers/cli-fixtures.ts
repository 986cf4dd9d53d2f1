// CLI words against golden fixtures, for the objects whose commands take
// ip's words (nexthop, netconf, addrlabel, ntable, mpls routes): our command
// runs on a fake kernel with the fixture's own command line, and its request
// is compared with the one iproute2 sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rtnl } from '../../src/client.js';
import { type GlobalOptions, parseGlobal } from '../../src/cli/args.js';
import type { Output } from '../../src/cli/output.js';
import { NLM_F_ACK, NLM_F_DUMP } from '../../src/generated/linux/netlink.js';
import { RTM_GETLINK } from '../../src/generated/linux/rtnetlink.js';
import type { NetlinkWriter } from '../../src/netlink/writer.js';
import { type FakeRtnl, fakeRtnl } from './fake-rtnl.js';
import { hexdump, listFixtures, loadFixture, normalize, requestOf } from './fixtures.js';
import { quietOutput } from './quiet-output.js';
import { ipWords } from './wire.js';

/** A request as fixtures compare: seq and port id zeroed, NLM_F_ACK left out (our socket asks every change for one). */
export function comparableRequest(m: Buffer): string {
  const b = normalize(m);
  b.writeUInt16LE(b.readUInt16LE(6) & ~NLM_F_ACK, 6);
  return hexdump(b);
}

/** A fake kernel that answers a dump of `getType` with `items` as `newType` messages. */
export function dumpingFake<T>(getType: number, newType: number, items: readonly T[], encode: (w: NetlinkWriter, item: T) => void): FakeRtnl {
  return fakeRtnl((req, reply) => {
    if (req.type !== getType || (req.flags & NLM_F_DUMP) !== NLM_F_DUMP) return false;
    for (const item of items) reply.data(newType, (w) => encode(w, item), 2);
    reply.done();
    return true;
  });
}

type Command = (nl: Rtnl, words: string[], opts: GlobalOptions, out: Output) => Promise<void>;

/**
 * One test per fixture of `dir`: `command`, given the words after the
 * object, sends iproute2's request. The request compared is the fixture's
 * last message that is not a link lookup, or its first with `first` (a
 * flush's dump: what follows are the kernel's own dumped messages sent back).
 */
export function cliRequestTests(dir: string, command: Command, fake: () => FakeRtnl, which: 'first' | 'last' = 'last'): void {
  for (const file of listFixtures(dir)) {
    test(`fixture ${file}: the CLI's words send iproute2's request`, async () => {
      const f = loadFixture(file);
      const { opts, rest } = parseGlobal(ipWords(f.command));
      const k = fake();
      await command(k.nl, rest.slice(1), opts, quietOutput);
      const own = f.messages.filter((m) => m.type !== RTM_GETLINK);
      const type = (which === 'first' ? own[0] : own[own.length - 1])!.type;
      assert.is(comparableRequest(k.last(type)), comparableRequest(requestOf(f, type)), f.command);
    });
  }
}
