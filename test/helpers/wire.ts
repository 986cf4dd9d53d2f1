// The bytes a Request puts on the wire, taken from a fake kernel: the same
// path a real request takes (the socket adds nlmsghdr, REQUEST|ACK or DUMP).
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import type { Request } from '../../src/socket/messages.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { normalize } from './fixtures.js';

/** The request as sent, seq and port id zeroed (as fixtures are compared). */
export function wireBytes(req: Request, dump = false): Buffer {
  const k = new FakeKernel();
  const s = new NetlinkSocket(k);
  if (dump) s.dumpSync(req);
  else s.requestSync(req);
  return normalize(k.sent[0]!);
}

/** A command line of a fixture split into ip's global options and the words after the object. */
export function ipWords(command: string): string[] {
  const words = command.split(' ');
  if (words[0] !== 'ip') throw new Error(`not an ip command: ${command}`);
  return words.slice(1);
}
