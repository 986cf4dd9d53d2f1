// The bytes a Request puts on the wire, taken from a fake kernel: the same
// path a real request takes (the socket adds nlmsghdr, REQUEST|ACK or DUMP).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { FakeKernel } from '../../src/socket/fake-kernel.js';
import type { Request } from '../../src/netlink/request.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import { hexdump, listFixtures, loadFixture, normalize, requestOf } from './fixtures.js';

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

/**
 * One test per fixture of a family: what our CLI's parser and request
 * builders make of the fixture's command line equals the bytes iproute2 sent.
 */
export function fixtureTests(family: string, ours: (command: string) => { bytes: Buffer; type: number }, atLeast = 10): void {
  const files = listFixtures(family);
  test(`fixtures: at least ${atLeast} ${family} commands captured`, () => {
    assert.ok(files.length >= atLeast, `${files.length} fixtures`);
  });
  for (const file of files) {
    test(`fixture ${file}: the CLI's words build iproute2's bytes`, () => {
      const f = loadFixture(file);
      const o = ours(f.command);
      assert.is(hexdump(o.bytes), hexdump(requestOf(f, o.type)), f.command);
    });
  }
}

/** The EncodeError a call throws (fails the test when it throws none). */
export function encodeError(fn: () => unknown): EncodeError {
  try { fn(); } catch (e) { if (e instanceof EncodeError) return e; throw e; }
  throw new Error('no EncodeError');
}

/** A verb called with bad input rejects with an EncodeError naming `path`, and nothing reaches the kernel. */
export async function refusedBeforeSending(call: (nl: Rtnl) => Promise<unknown>, message: RegExp, path: string, what = path): Promise<void> {
  const k = new FakeKernel();
  await using nl = Rtnl.openSync({ transport: k });
  const err = await call(nl).then(() => undefined, (e: unknown) => e);
  assert.instance(err, EncodeError, what);
  assert.match((err as EncodeError).message, message, what);
  assert.is((err as EncodeError).path, path, what);
  assert.is(k.sent.length, 0, `${what}: nothing sent`);
}
